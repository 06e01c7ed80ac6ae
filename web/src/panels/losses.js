// Losses and softmax: a softmax calculator with the cross-entropy of the true
// class, the course's two 3-sample examples (same accuracy, different
// cross-entropy), cross-entropy against squared error as the predicted
// probability of the true class falls, and binary cross-entropy with a
// sigmoid, showing which term vanishes for each label. Every probability and
// loss comes from the engine (lab.softmax, lab.loss, lab.activation).
import { h } from '../dom.js';
import { formatNumber, subscript, t } from '../i18n/index.js';
import { parseValue } from '../state.js';
import { Plot } from './plot.js';
import { chips, DERIVATIVE_COLOR, FUNCTION_COLOR, grid, panelHead, readout, slider } from './ui.js';

/** A score the calculator accepts: any finite number (− as well as - for the sign). */
const SCORE = { type: 'number', min: -Infinity, max: Infinity };

const DEFAULT_SCORES = [0, 2.89, 0];
const MAX_CLASSES = 6;
const CE_COLOR = FUNCTION_COLOR;
const SE_COLOR = '#d55e00';

/**
 * The course's two examples: three samples, three classes, softmax outputs and the true class.
 * Both get two of three right (the first sample wrong), with different confidence.
 */
const EXAMPLES = [
  { outputs: [[0.1, 0.2, 0.7], [0.3, 0.4, 0.3], [0.3, 0.3, 0.4]], classes: [0, 1, 2] },
  { outputs: [[0.3, 0.4, 0.3], [0.1, 0.7, 0.2], [0.1, 0.2, 0.7]], classes: [0, 1, 2] },
];

const oneHot = (k, n) => Array.from({ length: n }, (_, j) => (j === k ? 1 : 0));
const argmax = (row) => row.reduce((best, v, j) => (v > row[best] ? j : best), 0);

export class LossesPanel {
  #lab;
  #head = panelHead();
  #scores = [...DEFAULT_SCORES];
  #truth = 1;
  #p = 0.1;
  #z = 1.5;
  #label = 1;
  #text = {};
  #calc;
  #examples;
  #compare;
  #binary;

  constructor(root, { lab }) {
    this.root = root;
    this.#lab = lab;
    this.#calc = this.#buildCalculator();
    this.#examples = this.#buildExamples();
    this.#compare = this.#buildCompare();
    this.#binary = this.#buildBinary();
    root.append(this.#head.el, h('div', { class: 'loss-grid' }, this.#calc.el, this.#examples.el, this.#compare.el, this.#binary.el));
  }

  show() {
    this.#drawAll();
  }

  hide() {}

  sync() {}

  retranslate() {
    this.#head.retranslate('loss.title', 'loss.intro');
    for (const [key, el] of Object.entries(this.#text)) el.textContent = t(key);
    this.#calc.retranslate();
    this.#compare.retranslate();
    this.#binary.retranslate();
    this.#drawAll();
  }

  #drawAll() {
    this.#drawCalculator();
    this.#drawExamples();
    this.#drawCompare();
    this.#drawBinary();
  }

  /** An element whose text is the string `key`, refreshed on a language change. */
  #translated(tag, key, attrs = {}) {
    const el = h(tag, attrs);
    this.#text[key] = el;
    return el;
  }

  #section(titleKey, introKey, ...children) {
    return h('section', { class: 'loss-card' }, this.#translated('h3', titleKey, { class: 'panel-subtitle' }), this.#translated('p', introKey, { class: 'panel-note' }), ...children);
  }

  // ---- softmax calculator ------------------------------------------------------------

  #buildCalculator() {
    const rows = h('tbody');
    const sum = readout('readout-sum');
    const ce = readout('readout-ce');
    const formula = h('p', { class: 'formula ce-formula' });
    const error = h('p', { class: 'panel-error', role: 'alert', hidden: true });
    const add = h('button', { type: 'button', class: 'text-button', onclick: () => this.#resizeScores(1) });
    const remove = h('button', { type: 'button', class: 'text-button', onclick: () => this.#resizeScores(-1) });
    const example = h('button', { type: 'button', class: 'text-button', onclick: () => this.#courseExample() });
    const head = h('tr');
    const el = this.#section('loss.calc.title', 'loss.calc.intro',
      h('div', { class: 'table-scroll' }, h('table', { class: 'calc-table' }, h('thead', {}, head), rows)),
      h('div', { class: 'button-row' }, add, remove, example),
      error,
      h('dl', { class: 'readouts' }, sum.el, ce.el),
      formula);
    el.classList.add('loss-calculator');
    return {
      el, rows, sum, ce, formula, error, add, remove, example, head, inputs: [],
      retranslate: () => {
        head.replaceChildren(...['loss.calc.class', 'loss.calc.score', 'loss.calc.probability', 'loss.calc.true'].map((key) => h('th', { scope: 'col', text: t(key) })));
        add.textContent = t('act.addScore');
        remove.textContent = t('act.removeScore');
        example.textContent = t('loss.calc.example');
        sum.retranslate(t('act.sum'));
        ce.retranslate(t('loss.calc.ce'));
        this.#buildScoreRows();
      },
    };
  }

  #buildScoreRows() {
    const c = this.#calc;
    c.inputs = this.#scores.map((s, j) => {
      const input = h('input', {
        type: 'text', inputmode: 'decimal', class: 'score-input', value: String(s), 'aria-label': t('loss.calc.scoreOf', { n: j + 1 }),
        autocomplete: 'off', spellcheck: 'false',
      });
      input.addEventListener('input', () => this.#readScores());
      const radio = h('input', { type: 'radio', name: 'true-class', value: String(j), 'aria-label': t('loss.calc.trueOf', { n: j + 1 }) });
      radio.checked = j === this.#truth;
      radio.addEventListener('change', () => {
        this.#truth = j;
        this.#drawCalculator();
      });
      const bar = h('span', { class: 'prob-fill' });
      const value = h('output', { class: 'prob-value' });
      const row = h('tr', { dataset: { class: String(j) } },
        h('th', { scope: 'row', text: String(j + 1) }),
        h('td', {}, input),
        h('td', {}, h('span', { class: 'prob-cell' }, h('span', { class: 'prob-track' }, bar), value)),
        h('td', { class: 'true-cell' }, radio));
      return { input, radio, bar, value, row };
    });
    c.rows.replaceChildren(...c.inputs.map((r) => r.row));
  }

  #readScores() {
    const c = this.#calc;
    const parsed = c.inputs.map((r) => parseValue(SCORE, r.input.value.trim().replace(/−/g, '-')));
    const bad = parsed.findIndex((x) => x.reason);
    for (const [j, r] of c.inputs.entries()) r.input.setAttribute('aria-invalid', String(j === bad));
    if (bad >= 0) {
      c.error.hidden = false;
      c.error.textContent = t('loss.calc.invalid', { n: bad + 1 });
      return;
    }
    c.error.hidden = true;
    this.#scores = parsed.map((x) => x.value);
    this.#drawCalculator();
  }

  #resizeScores(delta) {
    const n = this.#scores.length + delta;
    if (n < 2 || n > MAX_CLASSES) return;
    if (delta > 0) this.#scores.push(0);
    else this.#scores.pop();
    this.#truth = Math.min(this.#truth, n - 1);
    this.#buildScoreRows();
    this.#drawCalculator();
  }

  /** The course's example: softmax outputs (0.05, 0.9, 0.05) with class 2 true, given as scores ln p. */
  #courseExample() {
    this.#scores = [0.05, 0.9, 0.05].map((p) => Math.round(Math.log(p) * 1e4) / 1e4);
    this.#truth = 1;
    this.#calc.error.hidden = true;
    this.#buildScoreRows();
    this.#drawCalculator();
  }

  #drawCalculator() {
    const c = this.#calc;
    const n = this.#scores.length;
    c.add.disabled = n >= MAX_CLASSES;
    c.remove.disabled = n <= 2;
    const p = this.#lab.softmax(this.#scores);
    let sum = 0;
    for (const [j, r] of c.inputs.entries()) {
      sum += p[j];
      r.bar.style.width = `${(100 * p[j]).toFixed(2)}%`;
      r.value.textContent = formatNumber(p[j], 4);
      r.value.dataset.value = String(p[j]);
      r.row.classList.toggle('is-true', j === this.#truth);
      r.radio.checked = j === this.#truth;
    }
    c.sum.set(sum, 6);
    const { loss } = this.#lab.loss('cce', this.#scores, oneHot(this.#truth, n), { logits: true });
    c.ce.set(loss, 3);
    c.formula.textContent = t('loss.calc.formula', { n: subscript(this.#truth + 1), p: formatNumber(p[this.#truth], 4), loss: formatNumber(loss, 3) });
  }

  // ---- the course's two examples ---------------------------------------------------------

  #buildExamples() {
    const tables = EXAMPLES.map((_, i) => h('div', { class: 'example', dataset: { example: String(i + 1) } }));
    const el = this.#section('loss.ex.title', 'loss.ex.intro', h('div', { class: 'examples' }, tables));
    return { el, tables };
  }

  #drawExamples() {
    this.#examples.tables.forEach((box, i) => {
      const { outputs, classes } = EXAMPLES[i];
      const k = outputs[0].length;
      const flat = outputs.flat();
      const targets = classes.flatMap((c) => oneHot(c, k));
      const ce = this.#lab.loss('cce', flat, targets, { units: k });
      const mse = this.#lab.loss('mse', flat, targets, { units: k });
      const correct = outputs.map((row, s) => argmax(row) === classes[s]);
      const accuracy = correct.filter(Boolean).length / correct.length;
      box.replaceChildren(
        h('h4', { text: t('loss.ex.name', { n: i + 1 }) }),
        h('div', { class: 'table-scroll' }, h('table', { class: 'example-table' },
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col', text: t('loss.ex.sample') }),
            h('th', { scope: 'col', text: t('loss.ex.outputs') }),
            h('th', { scope: 'col', text: t('loss.ex.truth') }),
            h('th', { scope: 'col', text: t('loss.ex.correct') }),
            h('th', { scope: 'col', text: t('loss.ex.ce') }))),
          h('tbody', {}, outputs.map((row, s) => h('tr', { class: correct[s] ? '' : 'is-wrong' },
            h('th', { scope: 'row', text: String(s + 1) }),
            h('td', { class: 'mono' }, row.map((v, j) => h('span', { class: j === classes[s] ? 'is-truth' : '', text: `${j ? ' ' : ''}${v.toFixed(1)}` }))),
            h('td', { text: String(classes[s] + 1) }),
            h('td', { text: correct[s] ? '✓' : '✗', 'aria-label': t(correct[s] ? 'loss.ex.right' : 'loss.ex.wrong') }),
            h('td', { class: 'mono', text: formatNumber(ce.perSample[s], 3) })))))),
        h('dl', { class: 'readouts readouts-inline' },
          exampleReadout('readout-accuracy', t('loss.ex.accuracy'), accuracy, `${(100 * accuracy).toFixed(1)} %`),
          exampleReadout('readout-ce', t('loss.ex.meanCe'), ce.loss, formatNumber(ce.loss, 3)),
          exampleReadout('readout-mse', t('loss.ex.mse'), mse.loss, formatNumber(mse.loss, 3))));
    });
  }

  // ---- cross-entropy against squared error --------------------------------------------

  #buildCompare() {
    const lossPlot = new Plot(h('div'), { height: 230 });
    const gradPlot = new Plot(h('div'), { height: 190 });
    const pSlider = slider({ id: 'loss-p', min: 0.001, max: 0.999, step: 0.001, value: this.#p, digits: 3, onInput: (p) => { this.#p = p; this.#drawCompare(); } });
    const out = { ce: readout('readout-ce'), se: readout('readout-se'), ceGrad: readout('readout-ce-grad'), seGrad: readout('readout-se-grad') };
    const el = this.#section('loss.cmp.title', 'loss.cmp.intro',
      pSlider.el,
      h('dl', { class: 'readouts readouts-grid' }, Object.values(out).map((r) => r.el)),
      lossPlot.canvas.parentElement, gradPlot.canvas.parentElement);
    return {
      el, lossPlot, gradPlot, pSlider, out,
      retranslate: () => {
        pSlider.retranslate(t('loss.cmp.p'));
        out.ce.retranslate(t('loss.cmp.ce'));
        out.se.retranslate(t('loss.cmp.se'));
        out.ceGrad.retranslate(t('loss.cmp.ceGrad'));
        out.seGrad.retranslate(t('loss.cmp.seGrad'));
      },
    };
  }

  #drawCompare() {
    const c = this.#compare;
    const p = grid(0.001, 1, 1000);
    const ones = new Float64Array(p.length).fill(1);
    // The true class's probability p against target 1: −log p and (1 − p)², each sample on its own.
    const ce = this.#lab.loss('bce', p.subarray(0, p.length - 1), ones.subarray(0, p.length - 1));
    const se = this.#lab.loss('mse', p, ones);
    const ceHere = this.#lab.loss('bce', [this.#p], [1]);
    const seHere = this.#lab.loss('mse', [this.#p], [1]);
    c.out.ce.set(ceHere.loss, 3);
    c.out.se.set(seHere.loss, 3);
    c.out.ceGrad.set(ceHere.gradient[0], 3);
    c.out.seGrad.set(seHere.gradient[0], 3);
    const pCe = p.subarray(0, p.length - 1);
    const marks = (ceValue, seValue) => [
      { x: this.#p, y: ceValue, color: CE_COLOR },
      { x: this.#p, y: seValue, color: SE_COLOR, shape: 'square' },
    ];
    c.lossPlot.draw({
      label: t('loss.cmp.plotLabel'),
      x: { min: 0, max: 1, title: t('loss.cmp.pAxis') },
      y: { min: 0, max: 5, title: t('loss.cmp.lossAxis') },
      vlines: [{ x: this.#p, color: '#8a939c', dash: true }],
      series: [{ x: pCe, y: ce.perSample, color: CE_COLOR, width: 2.5 }, { x: p, y: se.perSample, color: SE_COLOR, width: 2.5, dash: true }],
      markers: marks(ceHere.loss, seHere.loss),
      legend: [{ text: t('loss.cmp.ceLine'), color: CE_COLOR }, { text: t('loss.cmp.seLine'), color: SE_COLOR, kind: 'dash' }],
    });
    const abs = (values) => Float64Array.from(values, Math.abs);
    c.gradPlot.draw({
      label: t('loss.cmp.gradLabel'),
      x: { min: 0, max: 1, title: t('loss.cmp.pAxis') },
      y: { min: 0.01, max: 1000, log: true, title: t('loss.cmp.gradAxis') },
      vlines: [{ x: this.#p, color: '#8a939c', dash: true }],
      series: [{ x: pCe, y: abs(ce.gradient), color: CE_COLOR, width: 2.5 }, { x: p, y: abs(se.gradient), color: SE_COLOR, width: 2.5, dash: true }],
      markers: marks(Math.abs(ceHere.gradient[0]), Math.abs(seHere.gradient[0])),
      legend: [{ text: t('loss.cmp.ceGradLine'), color: CE_COLOR }, { text: t('loss.cmp.seGradLine'), color: SE_COLOR, kind: 'dash' }],
    });
  }

  // ---- binary cross-entropy with a sigmoid --------------------------------------------

  #buildBinary() {
    const plot = new Plot(h('div'), { height: 230 });
    const zSlider = slider({ id: 'bce-z', min: -6, max: 6, step: 0.01, value: this.#z, onInput: (z) => { this.#z = z; this.#drawBinary(); } });
    const labels = chips(['0', '1'], (y) => { this.#label = Number(y); this.#drawBinary(); }, 'label-chips');
    const labelName = h('span', { class: 'field-label' });
    const terms = h('div', { class: 'bce-terms' });
    const out = { yHat: readout('readout-yhat'), loss: readout('readout-bce') };
    const el = this.#section('loss.bce.title', 'loss.bce.intro',
      h('div', { class: 'field' }, labelName, labels.el),
      zSlider.el,
      h('dl', { class: 'readouts readouts-inline' }, out.yHat.el, out.loss.el),
      terms,
      plot.canvas.parentElement);
    return {
      el, plot, zSlider, labels, terms, out,
      retranslate: () => {
        labelName.textContent = t('loss.bce.label');
        labels.label((y) => `y = ${y}`);
        zSlider.retranslate(t('loss.bce.z'));
        out.yHat.retranslate('ŷ = σ(z)');
        out.loss.retranslate(t('loss.bce.loss'));
      },
    };
  }

  #drawBinary() {
    const b = this.#binary;
    const y = this.#label;
    b.labels.select(String(y));
    const yHat = this.#lab.activation('sigmoid', [this.#z]).value[0];
    const total = this.#lab.loss('bce', [this.#z], [y], { logits: true }).loss;
    // −log ŷ and −log(1 − ŷ): the loss a label of 1 or of 0 would give.
    const ifOne = this.#lab.loss('bce', [this.#z], [1], { logits: true }).loss;
    const ifZero = this.#lab.loss('bce', [this.#z], [0], { logits: true }).loss;
    b.out.yHat.set(yHat, 4);
    b.out.loss.set(total, 4);
    const term = (key, weight, value, vanished) => h('p', { class: `bce-term${vanished ? ' is-vanished' : ''}`, dataset: { vanished: String(vanished) } },
      h('span', { class: 'mono', text: t(key, { y: weight, value: formatNumber(value, 4) }) }),
      vanished ? h('span', { class: 'bce-vanished', text: t('loss.bce.vanished') }) : null);
    b.terms.replaceChildren(
      h('p', { class: 'formula', text: 'BCE = −[ y·log ŷ + (1 − y)·log(1 − ŷ) ]' }),
      term('loss.bce.term1', y, y * ifOne, y === 0),
      term('loss.bce.term2', 1 - y, (1 - y) * ifZero, y === 1));
    const z = grid(-6, 6, 481);
    const lossOf = (label) => this.#lab.loss('bce', z, new Float64Array(z.length).fill(label), { logits: true }).perSample;
    b.plot.draw({
      label: t('loss.bce.plotLabel'),
      x: { min: -6, max: 6, title: t('loss.bce.zAxis') },
      y: { min: 0, max: 6.5, title: t('loss.cmp.lossAxis') },
      vlines: [{ x: this.#z, color: '#8a939c', dash: true }],
      series: [
        { x: z, y: lossOf(1), color: FUNCTION_COLOR, width: y === 1 ? 3 : 1.5 },
        { x: z, y: lossOf(0), color: DERIVATIVE_COLOR, width: y === 0 ? 3 : 1.5, dash: true },
      ],
      markers: [{ x: this.#z, y: total, color: y === 1 ? FUNCTION_COLOR : DERIVATIVE_COLOR, text: `${formatNumber(total, 3)}` }],
      legend: [{ text: t('loss.bce.line1'), color: FUNCTION_COLOR }, { text: t('loss.bce.line0'), color: DERIVATIVE_COLOR, kind: 'dash' }],
    });
  }
}

function exampleReadout(className, name, value, text) {
  return h('div', { class: `readout ${className}` }, h('dt', { text: name }), h('dd', {}, h('output', { class: 'readout-value', dataset: { value: String(value) }, text })));
}
