// The chain-rule inspector: for the selected neuron or weight it writes each
// formula of the step with the engine's numbers in it (typeset as MathML).
// It draws what it is given: every number comes from the trainer's trace (or
// its paths), collected by the frame mode; nothing here computes a model
// value. Each formula's element carries the exact numbers it shows
// (data-quantity, data-value, data-terms as JSON), for readers that want
// every digit and for the tests.
import { h, svg } from '../dom.js';
import { t } from '../i18n/index.js';
import { factor, num, numText, prepareTypesetting, typeset } from '../stepper/tex.js';
import { circuit } from './circuit.js';
import { pathStyle } from './network-overlay.js';

/** Terms of a long sum per line: three in a wide column, two in a narrow one (a phone's sheet). */
const termsPerLine = (width) => (width > 0 && width < 440 ? 2 : 3);
const ACTIVATION_TEX = {
  tanh: '\\tanh', sigmoid: '\\sigma', relu: '\\operatorname{ReLU}', leakyRelu: '\\operatorname{LeakyReLU}',
  elu: '\\operatorname{ELU}', softmax: '\\operatorname{softmax}',
};
const d = (top, bottom) => `\\dfrac{\\partial ${top}}{\\partial ${bottom}}`;
const times = (a, b) => `${factor(a)}\\cdot ${factor(b)}`;

/** A long sum as lines `= t₁ + t₂ + t₃`, `+ t₄ + …` (each line is typeset on its own). */
function sumLines(terms, perLine) {
  if (terms.length === 0) return ['= 0'];
  const lines = [];
  for (let k = 0; k < terms.length; k += perLine) {
    const chunk = terms.slice(k, k + perLine).join(' + ');
    lines.push(k === 0 ? `= ${chunk}` : `\\quad + ${chunk}`);
  }
  return lines;
}

export class Inspector {
  #root;
  #on;
  #shown = [];  // [{ key, signature, el }] of the sections on screen
  #fitQueued = 0;
  #sizes;       // watches each fitted formula's size
  #width = 0;   // the column's width, as last observed

  /**
   * on: { selectNeuron(column, unit), selectWeight(layer, to, from), hoverPath(k | null),
   *       randomProbe(), followBatch(), followStep(), setGradients('sample' | 'batch') }
   */
  constructor(root, on) {
    this.#root = root;
    this.#on = on;
    root.classList.add('inspector');
    new ResizeObserver(() => {
      if (root.clientWidth === this.#width) return;
      this.#width = root.clientWidth;
      for (const formula of root.querySelectorAll('.ix-formula[data-fitted]')) delete formula.dataset.fitted;
      this.#fitSoon();
    }).observe(root);
    this.#sizes = new ResizeObserver((entries) => {
      for (const { target } of entries) delete target.closest('.ix-formula')?.dataset.fitted;
      this.#fitSoon();
    });
    root.addEventListener('scroll', () => this.#fitSoon(), { passive: true });
    window.addEventListener('scroll', () => this.#fitSoon(), { passive: true });
  }

  clear() {
    this.#root.replaceChildren();
    this.#shown = [];
  }

  /**
   * model: see FrameMode.#inspectorModel. The selected neuron or weight comes first, its chain
   * rule (the formula marked .ix-key) at the top; then the loss and the sample followed.
   */
  draw(model) {
    const lang = document.documentElement.lang;
    const sections = [['title', lang, () => h('h2', { class: 'ix-title', id: 'inspector-title', text: t('ix.title') })]];
    const loss = model.loss ? ['loss', [lang, model.loss, model.lossFirst], () => this.#loss(model.loss, model.lossFirst)] : null;
    if (loss && model.lossFirst) sections.push(loss);
    if (model.neuron) sections.push(['neuron', [lang, model.neuron], () => this.#neuron(model.neuron)]);
    else if (model.weight) sections.push(['weight', [lang, model.weight], () => this.#weight(model.weight)]);
    else sections.push(['hint', lang, () => h('p', { class: 'ix-hint', text: t('ix.pickSomething') })]);
    if (loss && !model.lossFirst) sections.push(loss);
    sections.push(['sample', [lang, model.sample], () => this.#sample(model)]);
    this.#show(sections);
  }

  // Sections whose numbers did not change since the last step keep their elements (and the
  // browser its layout of them): only the changed ones are built, typeset and laid out anew.
  #show(sections) {
    const before = this.#shown;
    const same = before.length === sections.length && before.every((old, k) => old.key === sections[k][0]);
    const next = sections.map(([key, data, build], k) => {
      const signature = JSON.stringify(data);
      const old = same ? before[k] : null;
      return old && old.signature === signature ? old : { key, signature, el: build(), fresh: true };
    });
    if (same) next.forEach((part, k) => { if (part.fresh) before[k].el.replaceWith(part.el); });
    else this.#root.replaceChildren(...next.map((part) => part.el));
    this.#shown = next.map(({ key, signature, el }) => ({ key, signature, el }));
    this.#fitSoon();
    // Formulas shown as TeX until the typesetter arrives are fitted again once typeset.
    prepareTypesetting().then(() => {
      for (const formula of this.#root.querySelectorAll('.ix-formula[data-fitted]')) delete formula.dataset.fitted;
      this.#fitSoon();
    });
  }

  // Formulas out of view are not laid out (content-visibility: auto), so fitting waits for the
  // next frame and looks only at what is in view; scrolling brings the rest in.
  #fitSoon() {
    if (this.#fitQueued) return;
    this.#fitQueued = requestAnimationFrame(() => {
      this.#fitQueued = 0;
      this.#fit();
    });
  }

  // A formula line wider than its column is set smaller until it fits (down to 60 %), so that
  // no number runs off the column; all widths are read first, then all sizes set.
  #fit() {
    const view = { top: 0, bottom: window.innerHeight };
    const shown = [...this.#root.querySelectorAll('.ix-formula:not([data-fitted])')].filter((formula) => {
      const box = formula.getBoundingClientRect();
      return box.bottom > view.top && box.top < view.bottom;
    });
    const lines = shown.flatMap((formula) => [...formula.querySelectorAll('.ix-line')]);
    for (const formula of shown) formula.dataset.fitted = '';
    // Measured at full size; a formula whose size changes later (its math font arrives, it is
    // typeset) is fitted again.
    for (const line of lines) {
      line.style.removeProperty('--fit');
      if (line.firstElementChild) this.#sizes.observe(line.firstElementChild);
    }
    const widths = lines.map((line) => [line.clientWidth, line.scrollWidth]);
    lines.forEach((line, k) => {
      const [room, needed] = widths[k];
      if (needed > room + 1 && room > 0) line.style.setProperty('--fit', Math.max(0.6, Math.floor((100 * room) / needed) / 100));
    });
  }

  // ---- pieces ----------------------------------------------------------------------------

  /** One formula, or a list of lines typeset one under the other, with its exact numbers as data. */
  #formula(tex, data = {}) {
    const lines = Array.isArray(tex) ? tex : [tex];
    const el = h('div', { class: `ix-formula${data.key ? ' ix-key' : ''}` }, ...lines.map((line) => typeset(h('div', { class: 'ix-line' }), line)));
    if (data.quantity) el.dataset.quantity = data.quantity;
    if (data.value !== undefined) el.dataset.value = String(data.value);
    if (data.terms) el.dataset.terms = JSON.stringify(data.terms);
    return el;
  }

  #section(title, ...children) {
    return h('section', { class: 'ix-section' }, h('h3', { class: 'ix-heading', text: title }), ...children);
  }

  #note(text, cls = '') {
    return h('p', { class: `ix-note ${cls}`, text });
  }

  #button(text, onclick, extra = {}) {
    return h('button', { type: 'button', class: 'text-button ix-button', onclick, ...extra }, text);
  }

  // ---- the sample -------------------------------------------------------------------------

  #sample(model) {
    const s = model.sample;
    if (!s) return this.#section(t('ix.sample'), this.#note(t('ix.noSample')));
    const where = h('p', { class: 'ix-sample-line', dataset: { sample: s.index } },
      h('strong', { text: t('ix.sampleIndex', { index: s.index }) }), ' ',
      t('ix.samplePoint', { x1: numText(s.point[0]), x2: numText(s.point[1]), label: s.label }));
    let role;
    if (!s.started) role = t('ix.notStarted');
    else if (s.kind === 'probe') role = s.inBatch ? t('ix.probeInBatch', { row: s.row + 1, size: s.batchSize })
      : t(s.batchSize === 1 ? 'ix.probeOutsideOne' : 'ix.probeOutside', { size: s.batchSize });
    else role = t(s.batchSize === 1 ? 'ix.followOne' : 'ix.followBatch', { size: s.batchSize });
    const buttons = h('div', { class: 'ix-buttons' },
      this.#button(t('ix.random'), () => this.#on.randomProbe()),
      s.kind === 'probe' ? this.#button(t('ix.follow'), () => this.#on.followBatch()) : null);
    const legend = this.#note(t('ix.lossLegend'), 'ix-muted');
    return this.#section(t('ix.sample'), where, this.#note(role), this.#note(t('ix.pickHint'), 'ix-muted'), buttons, legend);
  }

  // ---- the loss ---------------------------------------------------------------------------

  #loss(loss, key = false) {
    const parts = [];
    const { kind, p, y, value } = loss;
    const result = value === null ? '' : ` = ${num(value)}`;
    if (kind === 'bce') {
      parts.push(this.#formula([`\\ell = -\\bigl[\\,y\\cdot\\log(p) + (1-y)\\cdot\\log(1-p)\\,\\bigr]`,
        `= -\\bigl[\\,${num(y[0])}\\cdot\\log(${num(p[0])}) + (1-${num(y[0])})\\cdot\\log(1-${num(p[0])})\\,\\bigr]`, result.replace(' = ', '= ')],
      { quantity: 'sampleLoss', value: value ?? undefined, key }));
    } else if (kind === 'cce') {
      const c = y.indexOf(1);
      parts.push(this.#formula([`\\ell = -\\sum_k y_k\\cdot\\log(p_k) = -\\log(p_{${c}})`, `= -\\log(${num(p[c])})${result}`],
        { quantity: 'sampleLoss', value: value ?? undefined, key }));
    } else {
      // half_mse, the playground's square error, is half of it.
      const half = kind === 'half_mse' ? '\\tfrac{1}{2}' : '';
      const terms = Array.from(p, (pk, k) => `\\left(${num(pk)} - ${factor(y[k])}\\right)^2`);
      const mean = p.length > 1 ? `\\tfrac{1}{${p.length}}\\bigl(${terms.join(' + ')}\\bigr)` : terms[0];
      parts.push(this.#formula([`\\ell = \\tfrac{1}{K}\\sum_k ${half}(\\hat y_k - y_k)^2`, `= ${half ? `${half}\\cdot ` : ''}${mean}${result}`],
        { quantity: 'sampleLoss', value: value ?? undefined, key }));
    }
    parts.push(this.#formula(`L = \\tfrac{1}{B}\\sum_{n=1}^{B} \\ell_n = ${num(loss.batchMean)}\\quad (B=${loss.batchSize})`,
      { quantity: 'batchLoss', value: loss.batchMean }));
    parts.push(this.#note(t(`ix.loss.${kind}`), 'ix-muted'));
    return this.#section(t('ix.lossTitle', { name: t(`option.loss.${kind}`) }), ...parts);
  }

  // ---- a neuron ---------------------------------------------------------------------------

  // Whether the inspector follows the step, or the learner's pick (with a way back): after the key formula.
  #following(item, autoKey) {
    return item.auto ? this.#note(t(autoKey), 'ix-muted')
      : h('div', { class: 'ix-buttons' }, this.#button(t('ix.followStep'), () => this.#on.followStep()));
  }

  #neuron(n) {
    const parts = [];
    const following = this.#following(n, 'ix.autoNeuron');
    if (!n.forwardDone) {
      parts.push(this.#note(t('ix.notYet')), following);
      return this.#section(t('ix.neuronTitle', { name: n.name }), ...parts);
    }
    const terms = n.inputs.map((x) => times(x.w, x.a));
    const zFormula = () => this.#formula([`z_j = \\sum_i w_{ji}\\,a_i + b_j`, ...sumLines([...terms, factor(n.bias)], termsPerLine(this.#width)), `= ${num(n.z)}`],
      { quantity: 'z', value: n.z, terms: [...n.inputs.map((x) => [x.w, x.a]), n.bias], key: !n.backwardDone });
    const aFormula = () => this.#formula(this.#activationTex(n), { quantity: 'a', value: n.a, key: !n.backwardDone });
    const picture = h('figure', { class: 'ix-circuit' },
      circuit(n, { f: this.#activationShort(n.activation), label: t('ix.circuitLabel', { name: n.name }) }),
      h('figcaption', { class: 'ix-muted', text: t(n.backwardDone ? 'ix.circuitBackward' : 'ix.circuitForward') }));
    if (n.backwardDone) {
      // The chain rule first: Upstream × Local = Downstream, then the circuit it runs along.
      parts.push(h('h4', { class: 'ix-step', text: t('ix.backward') }));
      parts.push(...this.#downstream(n));
      parts.push(following, picture);
      parts.push(this.#upstream(n));
      parts.push(this.#formula(this.#localTex(n), { quantity: 'local', value: n.local }));
      parts.push(h('h4', { class: 'ix-step', text: t('ix.forward') }));
      parts.push(this.#note(t('ix.indices', { j: n.name, from: n.fromName })));
      parts.push(zFormula(), aFormula(), this.#weightList(n));
    } else {
      parts.push(h('h4', { class: 'ix-step', text: t('ix.forward') }));
      parts.push(zFormula(), aFormula());
      parts.push(following, picture);
      parts.push(this.#note(t('ix.indices', { j: n.name, from: n.fromName })));
      parts.push(this.#weightList(n));
      parts.push(this.#note(t('ix.backwardLater'), 'ix-muted'));
    }
    return this.#section(t('ix.neuronTitle', { name: n.name }), ...parts);
  }

  #activationShort(activation) {
    return { tanh: 'tanh', sigmoid: 'σ', relu: 'ReLU', leakyRelu: 'LReLU', elu: 'ELU', softmax: 'softmax', linear: 'id' }[activation] ?? activation;
  }

  #activationTex(n) {
    if (n.activation === 'linear') return `a_j = z_j = ${num(n.a)}`;
    if (n.activation === 'softmax') return `a_j = p_j = \\dfrac{e^{z_j}}{\\sum_k e^{z_k}} = ${num(n.a)}`;
    const f = ACTIVATION_TEX[n.activation];
    return `a_j = ${f}(z_j) = ${f}\\left(${num(n.z)}\\right) = ${num(n.a)}`;
  }

  #localTex(n) {
    const a = factor(n.a);
    const value = num(n.local);
    switch (n.activation) {
      case 'tanh': return `f'(z_j) = 1 - a_j^2 = 1 - ${a}^2 = ${value}`;
      case 'sigmoid': return `f'(z_j) = a_j\\cdot(1 - a_j) = ${a}\\cdot(1 - ${a}) = ${value}`;
      case 'relu': return `f'(z_j) = \\begin{cases} 1 & z_j > 0 \\\\ 0 & z_j \\le 0 \\end{cases} = ${value}`;
      case 'leakyRelu': return `f'(z_j) = \\begin{cases} 1 & z_j > 0 \\\\ \\alpha & z_j \\le 0 \\end{cases} = ${value}`;
      case 'elu': return `f'(z_j) = \\begin{cases} 1 & z_j > 0 \\\\ a_j + \\alpha & z_j \\le 0 \\end{cases} = ${value}`;
      case 'softmax': return `${d('p_j', 'z_j')} = p_j\\cdot(1 - p_j) = ${a}\\cdot(1 - ${a}) = ${value}`;
      default: return `f'(z_j) = 1`;
    }
  }

  #upstream(n) {
    if (!n.output) {
      const terms = n.terms.map((x) => times(x.w, x.g));
      const wrap = h('div', {},
        this.#note(t('ix.upstreamHidden', { above: n.aboveName })),
        this.#formula([`${d('\\ell', 'a_j')} = \\sum_k w_{kj}\\,${d('\\ell', 'z_k')}`, ...sumLines(terms, termsPerLine(this.#width)), `= ${num(n.upstream)}`],
          { quantity: 'upstream', value: n.upstream, terms: n.terms.map((x) => [x.w, x.g]) }));
      return wrap;
    }
    const p = factor(n.a), y = factor(n.y);
    let tex;
    if (n.lossKind === 'bce') tex = [`${d('\\ell', 'p')} = -\\dfrac{y}{p} + \\dfrac{1-y}{1-p}`, `= -\\dfrac{${num(n.y)}}{${num(n.a)}} + \\dfrac{1-${num(n.y)}}{1-${num(n.a)}}`];
    else if (n.lossKind === 'cce') tex = [`${d('\\ell', 'p_j')} = -\\dfrac{y_j}{p_j}`, `= -\\dfrac{${num(n.y)}}{${num(n.a)}}`];
    else if (n.lossKind === 'half_mse') tex = [`${d('\\ell', '\\hat y_j')} = \\tfrac{1}{K}(\\hat y_j - y_j)`, `= \\tfrac{1}{${n.outputs}}\\left(${p} - ${y}\\right)`];
    else tex = [`${d('\\ell', '\\hat y_j')} = \\tfrac{2}{K}(\\hat y_j - y_j)`, `= \\tfrac{2}{${n.outputs}}\\left(${p} - ${y}\\right)`];
    tex[1] += ` = ${num(n.upstream)}`;
    return h('div', {},
      this.#note(t('ix.upstreamOutput')),
      this.#formula(tex, { quantity: 'upstream', value: n.upstream }));
  }

  #downstream(n) {
    const parts = [];
    const p = num(n.a), y = factor(n.y ?? 0);
    if (n.activation === 'softmax') {
      const tail = n.lossKind === 'cce';
      parts.push(this.#formula([`${d('\\ell', 'z_j')} = \\sum_k ${d('\\ell', 'p_k')}\\,${d('p_k', 'z_j')}${tail ? ' = p_j - y_j' : ''}`, `= ${tail ? `${p} - ${y} = ` : ''}${num(n.downstream)}`],
        { quantity: 'downstream', value: n.downstream, key: true }));
      parts.push(this.#note(t(n.lossKind === 'cce' ? 'ix.softmaxCe' : 'ix.softmaxJacobian'), 'ix-muted'));
      return parts;
    }
    const tail = n.output && n.activation === 'sigmoid' && n.lossKind === 'bce' ? ` = p - y = ${p} - ${y}` : '';
    parts.push(this.#formula([`${d('\\ell', 'z_j')} = ${d('\\ell', 'a_j')}\\cdot f'(z_j)`, `= ${times(n.upstream, n.local)}${tail} = ${num(n.downstream)}`],
      { quantity: 'downstream', value: n.downstream, terms: [n.upstream, n.local], key: true }));
    parts.push(this.#note(t(tail ? 'ix.sigmoidBce' : 'ix.chainRule'), 'ix-muted'));
    return parts;
  }

  #weightList(n) {
    const list = h('div', { class: 'ix-links', role: 'group', 'aria-label': t('ix.incoming') },
      h('span', { class: 'ix-links-label', text: t('ix.incoming') }),
      ...n.inputs.map((x, i) => this.#button(t('ix.linkFrom', { name: x.name }), () => this.#on.selectWeight(n.column - 1, n.unit, i))));
    return list;
  }

  // ---- a weight ---------------------------------------------------------------------------

  #weight(w) {
    const parts = [];
    const about = [this.#following(w, 'ix.autoWeight'), this.#note(t('ix.weightIs', { from: w.fromName, to: w.toName, course: w.course }))];
    if (!w.backwardDone) {
      parts.push(this.#formula(`w_{ji} = ${num(w.value)}`, { quantity: 'weight', value: w.value, key: true }), ...about);
      parts.push(this.#note(t('ix.weightLater')));
    } else {
      parts.push(h('h4', { class: 'ix-step', text: t('ix.gradient') }));
      parts.push(this.#formula([`${d('\\ell', 'w_{ji}')} = ${d('\\ell', 'z_j')}\\cdot a_i`, `= ${times(w.down, w.a)} = ${num(w.sampleGrad)}`],
        { quantity: 'sampleGrad', value: w.sampleGrad, terms: [w.down, w.a], key: true }));
      parts.push(...about);
      parts.push(this.#note(t(w.batchSize === 1 ? 'ix.batchOfOne' : 'ix.batchMean', { size: w.batchSize }), 'ix-muted'));
      parts.push(this.#formula(`${d('L', 'w_{ji}')} = \\tfrac{1}{B}\\sum_{n=1}^{B} ${d('\\ell_n', 'w_{ji}')} = ${num(w.batchGrad)}\\quad (B=${w.batchSize})`,
        { quantity: 'batchGrad', value: w.batchGrad }));
      if (w.regularization !== 'none') {
        const rule = w.regularization === 'l1' ? '\\lambda\\,\\operatorname{sign}(w_{ji})' : '\\lambda\\,w_{ji}';
        parts.push(this.#formula(`g = ${d('L', 'w_{ji}')} + ${rule} = ${num(w.batchGrad)} + ${factor(w.penalty)}\\quad (\\lambda=${num(w.rate)})`,
          { quantity: 'penalty', value: w.penalty }));
      }
      if (w.paths) parts.push(this.#paths(w));
    }
    if (w.update) parts.push(...this.#update(w));
    return this.#section(t('ix.weightTitle', { from: w.fromName, to: w.toName }), ...parts);
  }

  #paths(w) {
    const p = w.paths;
    const rows = p.list.map((path, k) => h('tr', {
      class: 'ix-path', tabindex: '0', dataset: { k, product: String(path.product) },
      onpointerenter: () => this.#on.hoverPath(k), onpointerleave: () => this.#on.hoverPath(null),
      onfocus: () => this.#on.hoverPath(k), onblur: () => this.#on.hoverPath(null),
    },
    h('td', { class: 'ix-path-units' }, this.#swatch(k), path.names.join(' → '),
      path.factors ? h('span', { class: 'ix-path-factors', text: Array.from(path.factors, numText).join(' × ') }) : null),
    h('td', { class: `ix-path-product ${path.product < 0 ? 'is-negative' : 'is-positive'}`, text: numText(path.product) })));
    const table = h('table', { class: 'ix-paths' },
      h('thead', {}, h('tr', {}, h('th', { text: t('ix.path') }), h('th', { text: t('ix.product') }))),
      h('tbody', {}, ...rows));
    const more = p.count > p.list.length ? this.#note(t('ix.pathsMore', { shown: p.list.length, count: p.count, listed: numText(p.listedSum) }), 'ix-muted') : null;
    return h('div', { class: 'ix-paths-block' },
      h('h4', { class: 'ix-step', text: t('ix.pathsTitle', { count: p.count }) }),
      this.#note(t('ix.pathsIntro')),
      this.#formula(w.output ? `${d('\\ell', 'w_{ji}')} = a_i\\cdot ${d('\\ell', 'z_j')}`
        : [`${d('\\ell', 'w_{ji}')} = \\sum_{\\text{${t('ix.pathsSub')}}} a_i\\cdot f'(z_j)`, `\\quad\\cdot \\prod \\bigl(w\\cdot f'(z)\\bigr) \\cdot w_{ok}\\cdot ${d('\\ell', 'z_o')}`]),
      table, more,
      this.#formula(`\\sum_{\\text{${t('ix.pathsSub')}}} = ${num(p.sum)} = ${d('\\ell', 'w_{ji}')}`,
        { quantity: 'pathSum', value: p.sum, terms: p.list.map((path) => path.product) }));
  }

  // The path's colour and dash, as the diagram draws it.
  #swatch(k) {
    const style = pathStyle(k);
    const el = svg('svg', { class: 'ix-path-swatch', viewBox: '0 0 24 8', width: 24, height: 8, 'aria-hidden': 'true' });
    el.append(svg('line', { x1: 1, y1: 4, x2: 23, y2: 4, stroke: style.color, 'stroke-width': 3, 'stroke-dasharray': style.dash || 'none' }));
    return el;
  }

  #update(w) {
    const u = w.update;
    const parts = [h('h4', { class: 'ix-step', text: t('ix.update', { name: t(`option.optimizer.${u.optimizer}`) }) })];
    const g = w.regularization === 'none' ? factor(w.batchGrad) : `\\left(${num(w.batchGrad)} + ${factor(w.penalty)}\\right)`;
    const s = u.state;
    // The rule on one line, its numbers on the next.
    const line = (tex, quantity, value) => {
      const sides = tex.split(' = ');
      const lines = sides.length > 2 ? [`${sides[0]} = ${sides[1]}`, `= ${sides.slice(2).join(' = ')}`] : [tex];
      parts.push(this.#formula(lines, { quantity, value }));
    };
    const delta = `= ${num(u.delta)}`;
    switch (u.optimizer) {
      case 'sgd':
        line(`\\Delta w = -\\eta\\,g = -${num(u.lr)}\\cdot ${g} ${delta}`, 'delta', u.delta);
        break;
      case 'momentum':
      case 'nesterov':
        line(`v_t = \\mu\\,v_{t-1} + g_t = ${num(s.momentumBuffer)}\\quad (\\mu=${num(u.hyper.momentum)})`, 'momentumBuffer', s.momentumBuffer);
        if (u.optimizer === 'momentum') line(`\\Delta w = -\\eta\\,v_t = -${num(u.lr)}\\cdot ${factor(s.momentumBuffer)} ${delta}`, 'delta', u.delta);
        else line(`\\Delta w = -\\eta\\,(g_t + \\mu\\,v_t) = -${num(u.lr)}\\left(${g} + ${num(u.hyper.momentum)}\\cdot ${factor(s.momentumBuffer)}\\right) ${delta}`, 'delta', u.delta);
        break;
      case 'adagrad':
        line(`s_t = s_{t-1} + g_t^2 = ${num(s.sum)}`, 'sum', s.sum);
        line(`\\eta_{\\text{eff}} = \\dfrac{\\eta}{\\sqrt{s_t}+\\epsilon} = \\dfrac{${num(u.lr)}}{\\sqrt{${num(s.sum)}}+${num(u.hyper.eps)}} = ${num(s.effectiveLr)}`, 'effectiveLr', s.effectiveLr);
        line(`\\Delta w = -\\eta_{\\text{eff}}\\,g_t = -${num(s.effectiveLr)}\\cdot ${g} ${delta}`, 'delta', u.delta);
        break;
      case 'rmsprop':
        line(`s_t = \\alpha\\,s_{t-1} + (1-\\alpha)\\,g_t^2 = ${num(s.squareAvg)}\\quad (\\alpha=${num(u.hyper.alpha)})`, 'squareAvg', s.squareAvg);
        line(`\\eta_{\\text{eff}} = \\dfrac{\\eta}{\\sqrt{s_t}+\\epsilon} = \\dfrac{${num(u.lr)}}{\\sqrt{${num(s.squareAvg)}}+${num(u.hyper.eps)}} = ${num(s.effectiveLr)}`, 'effectiveLr', s.effectiveLr);
        if (s.momentumBuffer !== undefined) line(`v_t = \\mu\\,v_{t-1} + \\eta_{\\text{eff}}\\,g_t / \\eta = ${num(s.momentumBuffer)}`, 'momentumBuffer', s.momentumBuffer);
        line(`\\Delta w = -\\eta_{\\text{eff}}\\,g_t = -${num(s.effectiveLr)}\\cdot ${g} ${delta}`, 'delta', u.delta);
        break;
      default: {  // adam, adamw
        const [b1, b2] = [num(u.hyper.beta1), num(u.hyper.beta2)];
        line(`m_t = \\beta_1 m_{t-1} + (1-\\beta_1)\\,g_t = ${num(s.expAvg)}\\quad (\\beta_1=${b1})`, 'expAvg', s.expAvg);
        line(`v_t = \\beta_2 v_{t-1} + (1-\\beta_2)\\,g_t^2 = ${num(s.expAvgSq)}\\quad (\\beta_2=${b2})`, 'expAvgSq', s.expAvgSq);
        line(`\\hat m_t = \\dfrac{m_t}{1-\\beta_1^{\\,t}} = \\dfrac{${num(s.expAvg)}}{1-${b1}^{${s.step}}} = ${num(s.mHat)}\\quad (t=${s.step})`, 'mHat', s.mHat);
        line(`\\hat v_t = \\dfrac{v_t}{1-\\beta_2^{\\,t}} = \\dfrac{${num(s.expAvgSq)}}{1-${b2}^{${s.step}}} = ${num(s.vHat)}`, 'vHat', s.vHat);
        const decay = u.optimizer === 'adamw' ? ` - \\eta\\lambda\\,w` : '';
        line(`\\Delta w = -\\eta\\,\\dfrac{\\hat m_t}{\\sqrt{\\hat v_t}+\\epsilon}${decay} = -${num(u.lr)}\\cdot\\dfrac{${num(s.mHat)}}{\\sqrt{${num(s.vHat)}}+${num(u.hyper.eps)}}${decay ? `-${num(u.lr)}\\cdot${num(u.hyper.weightDecay)}\\cdot${factor(u.before)}` : ''} ${delta}`, 'delta', u.delta);
      }
    }
    parts.push(h('h4', { class: 'ix-step', text: t('ix.beforeAfter') }));
    parts.push(this.#formula([`w_{ji}:\\; ${num(u.before)} \\;\\longrightarrow\\; ${num(u.after)}`, `w + \\Delta w = ${factor(u.before)} + ${factor(u.delta)} = ${num(u.after)}`],
      { quantity: 'after', value: u.after, terms: [u.before, u.delta] }));
    return parts;
  }
}
