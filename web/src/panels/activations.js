// Activation functions: each one and its derivative (the local gradient f′(z))
// from the engine's own functions, a z slider reading out f(z) and f′(z), the
// range where f′ nearly vanishes, and softmax on a score vector with the
// diagonal of its Jacobian taken from a softmax layer's backward trace.
import { h } from '../dom.js';
import { formatNumber, t } from '../i18n/index.js';
import { typeset } from '../stepper/tex.js';
import { Plot } from './plot.js';
import { activationCode, softmaxCode } from './torch.js';
import { chips, codeBlock, DERIVATIVE_COLOR, FUNCTION_COLOR, grid, panelHead, readout, slider, VANISH_BAND } from './ui.js';

const ELEMENTWISE = ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'linear'];
const FUNCTIONS = [...ELEMENTWISE, 'softmax'];
const Z_RANGE = 6;
const POINTS = 481;
/** Below this the local gradient passes on less than a hundredth of the upstream gradient. */
const VANISHING = 0.01;
// Leaky ReLU's α starts at 0.01, the network's and F.leaky_relu's default.
const ALPHA = { leakyRelu: { min: 0.01, max: 0.3, step: 0.01, value: 0.01 }, elu: { min: 0.1, max: 2, step: 0.1, value: 1 } };
// Each function and its derivative, typeset (one line each). The prime is the character ′, not
// TeX's ' (a superscript, which Chromium's MathML sets apart from its letter).
const FORMULA = {
  sigmoid: ['\\sigma(z) = \\dfrac{1}{1 + e^{-z}}', '\\sigma′(z) = \\sigma(z)\\,\\bigl(1 - \\sigma(z)\\bigr)'],
  tanh: ['\\tanh(z) = \\dfrac{e^{z} - e^{-z}}{e^{z} + e^{-z}}', '\\tanh′(z) = 1 - \\tanh^2(z)'],
  relu: ['\\mathrm{ReLU}(z) = \\max(0, z)', '\\mathrm{ReLU}′(z) = 1\\;\\;(z > 0),\\quad 0\\;\\;(z \\le 0)'],
  leakyRelu: ['\\mathrm{LeakyReLU}(z) = z\\;\\;(z > 0),\\quad \\alpha z\\;\\;(z \\le 0)',
    '\\mathrm{LeakyReLU}′(z) = 1\\;\\;(z > 0),\\quad \\alpha\\;\\;(z \\le 0)'],
  elu: ['\\mathrm{ELU}(z) = z\\;\\;(z > 0),\\quad \\alpha\\,(e^{z} - 1)\\;\\;(z \\le 0)',
    '\\mathrm{ELU}′(z) = 1\\;\\;(z > 0),\\quad \\alpha e^{z}\\;\\;(z \\le 0)'],
  linear: ['f(z) = z', 'f′(z) = 1'],
  softmax: ['p_i = \\dfrac{e^{z_i}}{\\sum_j e^{z_j}}', '\\dfrac{\\partial p_i}{\\partial z_i} = p_i\\,(1 - p_i)'],
};

/** The formula lines of an activation, typeset into el. */
function showFormula(el, name) {
  el.replaceChildren(...FORMULA[name].map((tex) => typeset(h('span', { class: 'formula-line' }), tex)));
  return el;
}
const MAX_SCORES = 6;
const SCORE_RANGE = 6;

/** Ranges of z where the derivative is below VANISHING, as plot bands. */
function vanishingBands(z, derivative) {
  const bands = [];
  let start = null;
  for (let i = 0; i < z.length; i++) {
    const low = Math.abs(derivative[i]) < VANISHING;
    if (low && start === null) start = z[i];
    if (!low && start !== null) {
      bands.push({ x0: start, x1: z[i], color: VANISH_BAND });
      start = null;
    }
  }
  if (start !== null) bands.push({ x0: start, x1: z[z.length - 1], color: VANISH_BAND });
  return bands;
}

export class ActivationsPanel {
  #lab;
  #name = 'sigmoid';
  #z = 2;
  #alpha = { leakyRelu: ALPHA.leakyRelu.value, elu: ALPHA.elu.value };
  #scores = [2, 1, 0.1];
  #focus = 0;
  #head = panelHead();
  #chips;
  #plot;
  #small = [];
  #zSlider;
  #alphaSlider;
  #readouts;
  #formula = h('p', { class: 'formula' });
  #note = h('p', { class: 'panel-note' });
  #local = h('p', { class: 'panel-note local-note' });
  #elementwise;
  #softmax;
  #scoreRows = h('div', { class: 'score-rows' });
  #bars = h('div', { class: 'prob-bars' });
  #softPlot;
  #softReadouts;
  #smallTitle = h('h3', { class: 'panel-subtitle' });
  #scoreButtons;
  #scoreSliders = [];
  #softNote = h('p', { class: 'panel-note' });
  #code = codeBlock('act-torch');
  #softCode = codeBlock('act-torch');

  constructor(root, { lab, update }) {
    this.root = root;
    this.#lab = lab;
    this.#chips = chips(FUNCTIONS, (name) => update({ activationFn: name }), 'function-chips');
    this.#plot = new Plot(h('div', { class: 'act-plot' }), { height: 300, onPick: (z) => this.#setZ(z) });
    this.#zSlider = slider({ id: 'act-z', min: -Z_RANGE, max: Z_RANGE, step: 0.01, value: this.#z, onInput: (z) => this.#setZ(z) });
    this.#alphaSlider = slider({
      id: 'act-alpha', min: 0.01, max: 2, step: 0.01, value: 0.01,
      onInput: (a) => {
        this.#alpha[this.#name] = a;
        this.#draw();
      },
    });
    this.#readouts = { value: readout('readout-function'), derivative: readout('readout-derivative') };
    const smallGrid = h('div', { class: 'small-multiples' }, ELEMENTWISE.map((name) => {
      const box = h('button', { type: 'button', class: 'small-plot', dataset: { fn: name }, onclick: () => update({ activationFn: name }) });
      const caption = h('span', { class: 'small-caption' });
      box.append(caption);
      const plot = new Plot(box, { height: 110 });
      this.#small.push({ name, plot, caption, box });
      return box;
    }));
    this.#elementwise = h('div', { class: 'act-elementwise' },
      h('div', { class: 'panel-main' },
        h('div', { class: 'panel-figure' }, this.#plot.canvas.parentElement),
        h('div', { class: 'panel-side' },
          this.#formula,
          this.#zSlider.el,
          this.#alphaSlider.el,
          h('dl', { class: 'readouts' }, this.#readouts.value.el, this.#readouts.derivative.el),
          this.#local,
          this.#note,
          this.#code.el)),
      this.#smallTitle,
      smallGrid);
    this.#softPlot = new Plot(h('div', { class: 'act-plot' }), { height: 260, onPick: (z) => this.#setScore(this.#focus, z) });
    this.#softReadouts = { sum: readout('readout-sum'), local: readout('readout-derivative') };
    this.#scoreButtons = {
      add: h('button', { type: 'button', class: 'text-button', onclick: () => this.#resize(1) }),
      remove: h('button', { type: 'button', class: 'text-button', onclick: () => this.#resize(-1) }),
    };
    this.#softmax = h('div', { class: 'act-softmax' },
      h('div', { class: 'panel-main' },
        h('div', { class: 'panel-figure' }, this.#softPlot.canvas.parentElement),
        h('div', { class: 'panel-side' },
          showFormula(h('p', { class: 'formula' }), 'softmax'),
          this.#softNote,
          this.#scoreRows,
          h('div', { class: 'button-row' }, this.#scoreButtons.add, this.#scoreButtons.remove),
          this.#bars,
          h('dl', { class: 'readouts' }, this.#softReadouts.sum.el, this.#softReadouts.local.el),
          this.#softCode.el)));
    root.append(this.#head.el, this.#chips.el, this.#elementwise, this.#softmax);
  }

  show(state) {
    this.sync(state);
  }

  hide() {}

  sync(state) {
    this.#name = state.activationFn;
    this.#chips.select(this.#name);
    this.#draw();
  }

  retranslate() {
    this.#head.retranslate('act.title', 'act.intro');
    this.#chips.label((name) => t(`option.activation.${name}`));
    this.#zSlider.retranslate(t('act.z'));
    this.#readouts.value.retranslate('f(z)');
    this.#readouts.derivative.retranslate(t('act.derivativeAt'));
    this.#softReadouts.sum.retranslate(t('act.sum'));
    this.#softReadouts.local.retranslate(t('act.softLocal'));
    this.#smallTitle.textContent = t('act.compare');
    this.#scoreButtons.add.textContent = t('act.addScore');
    this.#scoreButtons.remove.textContent = t('act.removeScore');
    this.#code.retranslate();
    this.#softCode.retranslate();
    for (const s of this.#small) s.caption.textContent = t(`option.activation.${s.name}`);
    if (this.#name) this.#draw();
  }

  #setZ(z) {
    this.#z = Math.max(-Z_RANGE, Math.min(Z_RANGE, Math.round(z * 100) / 100));
    this.#zSlider.set(this.#z);
    this.#draw();
  }

  #draw() {
    const softmax = this.#name === 'softmax';
    this.#elementwise.hidden = softmax;
    this.#softmax.hidden = !softmax;
    if (softmax) this.#drawSoftmax();
    else this.#drawElementwise();
  }

  #options(name) {
    return name in ALPHA ? { alpha: this.#alpha[name] } : undefined;
  }

  #drawElementwise() {
    const name = this.#name;
    const z = grid(-Z_RANGE, Z_RANGE, POINTS);
    const curve = this.#lab.activation(name, z, this.#options(name));
    const here = this.#lab.activation(name, [this.#z], this.#options(name));
    const value = here.value[0];
    const local = here.derivative[0];
    const alpha = ALPHA[name];
    this.#alphaSlider.el.hidden = !alpha;
    if (alpha) {
      this.#alphaSlider.input.min = alpha.min;
      this.#alphaSlider.input.max = alpha.max;
      this.#alphaSlider.input.step = alpha.step;
      this.#alphaSlider.set(this.#alpha[name]);
      this.#alphaSlider.retranslate('α');
    }
    showFormula(this.#formula, name);
    this.#readouts.value.set(value);
    this.#readouts.derivative.set(local);
    this.#readouts.derivative.value.classList.toggle('is-vanishing', Math.abs(local) < VANISHING);
    this.#local.textContent = Math.abs(local) < VANISHING
      ? t('act.localVanishing', { local: formatNumber(local, 4) })
      : t('act.local', { local: formatNumber(local, 4) });
    this.#note.textContent = t(`act.note.${name}`);
    this.#code.set(activationCode(name, { z: this.#z, alpha: this.#options(name)?.alpha, value, derivative: local }));
    const [lo, hi] = yRange(curve.value, curve.derivative);
    const fLabel = t('act.function', { name: t(`option.activation.${name}`) });
    const dLabel = t('act.derivative');
    this.#plot.draw({
      label: t('act.plotLabel', { name: t(`option.activation.${name}`) }),
      x: { min: -Z_RANGE, max: Z_RANGE, title: t('act.zAxis') },
      y: { min: lo, max: hi, title: t('act.yAxis') },
      bands: vanishingBands(z, curve.derivative),
      vlines: [{ x: this.#z, color: '#8a939c', dash: true }],
      hlines: [{ y: 0, color: '#aeb6bf' }],
      series: [
        { x: z, y: curve.value, color: FUNCTION_COLOR, width: 2.5 },
        { x: z, y: curve.derivative, color: DERIVATIVE_COLOR, width: 2.5, dash: true },
      ],
      markers: [
        { x: this.#z, y: value, color: FUNCTION_COLOR, text: `f = ${formatNumber(value, 3)}` },
        { x: this.#z, y: local, color: DERIVATIVE_COLOR, shape: 'square', text: `f′ = ${formatNumber(local, 3)}` },
      ],
      legend: [
        { text: fLabel, color: FUNCTION_COLOR },
        { text: dLabel, color: DERIVATIVE_COLOR, kind: 'dash' },
        { text: t('act.vanishingBand', { limit: VANISHING }), color: VANISH_BAND, kind: 'band' },
      ],
    });
    for (const s of this.#small) {
      const c = this.#lab.activation(s.name, z, this.#options(s.name));
      const [a, b] = yRange(c.value, c.derivative);
      s.box.classList.toggle('is-current', s.name === name);
      s.box.setAttribute('aria-pressed', String(s.name === name));
      s.box.setAttribute('aria-label', t(`option.activation.${s.name}`));
      s.plot.draw({
        label: t('act.plotLabel', { name: t(`option.activation.${s.name}`) }),
        x: { min: -Z_RANGE, max: Z_RANGE, ticks: [-5, 0, 5] },
        y: { min: a, max: b },
        bands: vanishingBands(z, c.derivative),
        series: [
          { x: z, y: c.value, color: FUNCTION_COLOR, width: 2 },
          { x: z, y: c.derivative, color: DERIVATIVE_COLOR, width: 2, dash: true },
        ],
      });
    }
  }

  #setScore(k, value) {
    this.#focus = k;
    this.#scores[k] = Math.max(-SCORE_RANGE, Math.min(SCORE_RANGE, Math.round(value * 100) / 100));
    this.#drawSoftmax();
  }

  #resize(delta) {
    const n = this.#scores.length + delta;
    if (n < 2 || n > MAX_SCORES) return;
    if (delta > 0) this.#scores.push(0);
    else this.#scores.pop();
    this.#focus = Math.min(this.#focus, n - 1);
    this.#drawSoftmax();
  }

  /**
   * Class k's probability as its score sweeps the range (the other scores fixed), and ∂p_k/∂z_k,
   * from a softmax layer's forward and backward trace; the last row is the current score.
   */
  #softmaxSweep(k) {
    const scores = this.#scores;
    const n = scores.length;
    const sweep = [...grid(-SCORE_RANGE, SCORE_RANGE, 241), scores[k]];
    const rows = sweep.length;
    const trainer = this.#lab.createTrainer({
      inputs: 1, layers: [{ units: n, activation: 'softmax' }], loss: 'cce', batchSize: rows, shuffle: false,
    });
    try {
      // z = W·x + b with W = e_k and b = the other scores: row i of the batch holds z_k = sweep[i].
      trainer.setWeights(0, scores.map((_, j) => (j === k ? 1 : 0)));
      trainer.setBiases(0, scores.map((s, j) => (j === k ? 0 : s)));
      const targets = new Float64Array(rows * n);
      for (let i = 0; i < rows; i++) targets[i * n + k] = 1;
      trainer.setData(sweep, targets, rows);
      trainer.stepPhase();  // forward
      trainer.stepPhase();  // loss
      trainer.stepPhase();  // backward: local = the Jacobian's diagonal
      const trace = trainer.trace(0);
      const column = (values) => Float64Array.from({ length: rows - 1 }, (_, i) => values[i * n + k]);
      return { sweep: sweep.slice(0, -1), p: column(trace.a), local: column(trace.local), localHere: trace.local[(rows - 1) * n + k] };
    } finally {
      trainer.delete();
    }
  }

  /** One slider per score, rebuilt only when the number of scores changes (never under a dragging finger). */
  #buildScores() {
    this.#scoreSliders = this.#scores.map((s, j) => {
      const row = slider({
        id: `score-${j}`, min: -SCORE_RANGE, max: SCORE_RANGE, step: 0.01, value: s,
        onInput: (v) => this.#setScore(j, v),
      });
      row.retranslate(t('act.score', { n: j + 1 }));
      return row;
    });
    this.#scoreRows.replaceChildren(...this.#scoreSliders.map((row) => row.el));
  }

  #drawSoftmax() {
    const scores = this.#scores;
    const k = this.#focus;
    if (this.#scoreSliders.length !== scores.length) this.#buildScores();
    const p = this.#lab.softmax(scores);
    this.#softNote.textContent = t('act.note.softmax');
    this.#scoreButtons.add.disabled = scores.length >= MAX_SCORES;
    this.#scoreButtons.remove.disabled = scores.length <= 2;
    this.#scoreSliders.forEach((row, j) => {
      row.el.classList.toggle('is-focus', j === k);
      row.retranslate(t('act.score', { n: j + 1 }));
    });
    this.#bars.replaceChildren(h('p', { class: 'field-label', text: t('act.probabilities') }), ...Array.from(p, (pj, j) => h('div', { class: `prob-row${j === k ? ' is-focus' : ''}` },
      h('span', { class: 'prob-name', text: `p${j + 1}` }),
      h('span', { class: 'prob-track' }, h('span', { class: 'prob-fill', style: `width:${(100 * pj).toFixed(2)}%` })),
      h('output', { class: 'prob-value', dataset: { value: String(pj) }, text: pj.toFixed(4) }))));
    let sum = 0;
    for (const pj of p) sum += pj;
    this.#softReadouts.sum.set(sum, 6);
    this.#softCode.set(softmaxCode(scores, p));
    const { sweep, p: curve, local, localHere } = this.#softmaxSweep(k);
    this.#softReadouts.local.set(localHere);
    this.#softPlot.draw({
      label: t('act.softPlotLabel', { n: k + 1 }),
      x: { min: -SCORE_RANGE, max: SCORE_RANGE, title: t('act.scoreAxis', { n: k + 1 }) },
      y: { min: 0, max: 1, title: t('act.yAxis') },
      bands: vanishingBands(sweep, local),
      vlines: [{ x: scores[k], color: '#8a939c', dash: true }],
      series: [
        { x: sweep, y: curve, color: FUNCTION_COLOR, width: 2.5 },
        { x: sweep, y: local, color: DERIVATIVE_COLOR, width: 2.5, dash: true },
      ],
      markers: [
        { x: scores[k], y: p[k], color: FUNCTION_COLOR, text: `p${k + 1} = ${formatNumber(p[k], 3)}` },
        { x: scores[k], y: localHere, color: DERIVATIVE_COLOR, shape: 'square' },
      ],
      legend: [
        { text: t('act.softFunction', { n: k + 1 }), color: FUNCTION_COLOR },
        { text: t('act.softDerivative', { n: k + 1 }), color: DERIVATIVE_COLOR, kind: 'dash' },
        { text: t('act.vanishingBand', { limit: VANISHING }), color: VANISH_BAND, kind: 'band' },
      ],
    });
  }
}

/** A y range that holds both curves with a little room, at least [−0.1, 1.1]. */
function yRange(a, b) {
  let lo = -0.1, hi = 1.1;
  for (const v of [...a, ...b]) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const pad = (hi - lo) * 0.04;
  return [lo - pad, hi + pad];
}
