// Losses and softmax: a softmax calculator with the cross-entropy of the true
// class (and why it has a minus sign, in which log), binary cross-entropy with
// a sigmoid showing which term vanishes for each label, the course's two
// 3-sample examples (same accuracy, different cross-entropy), cross-entropy
// against squared error as the predicted probability of the true class falls
// (the losses and the gradient that reaches the logits), and the same network
// trained with each of the two. Every probability, loss and gradient comes
// from the engine (lab.softmax, lab.loss, lab.activation, trainers' traces).
import { h } from '../dom.js';
import { formatNumber, subscript, t } from '../i18n/index.js';
import { errorText } from '../errors.js';
import { applyChanges, defaultState, engineConfig, parseValue } from '../state.js';
import { Plot } from './plot.js';
import { binaryCode, crossEntropyCode, examplesCode, twoLossesCode } from './torch.js';
import { chips, codeBlock, DERIVATIVE_COLOR, FUNCTION_COLOR, grid, panelHead, Player, readout, slider } from './ui.js';

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

/** The probability the "which log" note writes out: the course's log 0.1. */
const LOG_EXAMPLE = 0.1;

/**
 * The two networks trained side by side: the same data, seed, layers and softmax output, one
 * with cross-entropy and one with squared error. On these the course's point shows: CE reaches
 * 95 % in about half the epochs.
 */
export const TRAIN = {
  datasets: ['circle', 'xor'],
  rates: ['0.03', '0.1', '0.3'],
  hidden: [4, 2],
  activation: 'tanh',
  seed: 1,
  epochs: 150,
  target: 0.95,
};

/** The createTrainer config of one of the two networks. */
export function trainConfig(loss, dataset, lr) {
  return {
    seed: TRAIN.seed,
    features: ['x1', 'x2'],
    layers: [...TRAIN.hidden.map((units) => ({ units, activation: TRAIN.activation })), { units: 2, activation: 'softmax' }],
    loss,
    optimizer: { name: 'sgd', lr },
    batchSize: 10,
    dataset: { name: dataset, samples: 500, noise: 0, trainRatio: 0.5 },
  };
}

/**
 * Where the comparison turns round: the playground's own defaults with BCE and with MSE, as the
 * playground builds them (MSE on two classes: a tanh output with targets −1 and +1).
 */
export const PLAYGROUND_CHECK = { losses: ['bce', 'mse'], epochs: 100 };
export function playgroundConfig(loss) {
  return engineConfig(applyChanges(defaultState(), { loss }).state);
}

/** The first epoch (1, 2, …) at which a trainer's training accuracy reaches TRAIN.target, or null. */
export function epochsToTarget(trainer, epochs) {
  for (let e = 1; e <= epochs; e++) {
    trainer.trainEpoch();
    if (trainer.evaluate().trainAccuracy >= TRAIN.target) return e;
  }
  return null;
}

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
  #train;
  #race = { dataset: TRAIN.datasets[0], lr: TRAIN.rates[0], nets: [], epoch: 0, error: null, check: null };
  #sweeps = null;

  constructor(root, { lab }) {
    this.root = root;
    this.#lab = lab;
    this.#calc = this.#buildCalculator();
    this.#examples = this.#buildExamples();
    this.#compare = this.#buildCompare();
    this.#binary = this.#buildBinary();
    this.#train = this.#buildTrain();
    root.append(this.#head.el, h('div', { class: 'loss-grid' },
      this.#calc.el, this.#binary.el, this.#examples.el, this.#compare.el, this.#train.el));
  }

  show() {
    if (this.#race.nets.length === 0) this.#buildRace();
    this.#drawAll();
  }

  hide() {
    this.#train.player.pause();
  }

  sync() {}

  retranslate() {
    this.#head.retranslate('loss.title', 'loss.intro');
    for (const [key, el] of Object.entries(this.#text)) el.textContent = t(key);
    this.#calc.retranslate();
    this.#compare.retranslate();
    this.#binary.retranslate();
    this.#examples.retranslate();
    this.#train.retranslate();
    this.#drawAll();
  }

  #drawAll() {
    this.#drawCalculator();
    this.#drawExamples();
    this.#drawCompare();
    this.#drawBinary();
    if (this.#race.nets.length) this.#drawTrain();
  }

  /** An element whose text is the string `key`, refreshed on a language change. */
  #translated(tag, key, attrs = {}) {
    const el = h(tag, attrs);
    this.#text[key] = el;
    return el;
  }

  #section(name, titleKey, introKey, ...children) {
    return h('section', { class: `loss-card loss-${name}`, 'aria-labelledby': `loss-${name}-title` },
      this.#translated('h3', titleKey, { class: 'panel-subtitle', id: `loss-${name}-title` }),
      this.#translated('p', introKey, { class: 'panel-note' }), ...children);
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
    const log10 = readout('readout-log10');
    const ln = readout('readout-ln');
    const code = codeBlock();
    const el = this.#section('calculator', 'loss.calc.title', 'loss.calc.intro',
      h('div', { class: 'table-fit' }, h('table', { class: 'calc-table' }, h('thead', {}, head), rows)),
      h('div', { class: 'button-row' }, add, remove, example),
      error,
      h('dl', { class: 'readouts' }, sum.el, ce.el),
      formula,
      h('div', { class: 'log-note' },
        this.#translated('h4', 'loss.log.title', { class: 'panel-minor' }),
        this.#translated('p', 'loss.log.text', { class: 'panel-note' }),
        h('dl', { class: 'readouts readouts-inline' }, log10.el, ln.el)),
      code.el);
    return {
      el, rows, sum, ce, formula, error, add, remove, example, head, log10, ln, code, inputs: [],
      retranslate: () => {
        head.replaceChildren(...['loss.calc.class', 'loss.calc.score', 'loss.calc.probability', 'loss.calc.true'].map((key) => h('th', { scope: 'col', text: t(key) })));
        add.textContent = t('act.addScore');
        remove.textContent = t('act.removeScore');
        example.textContent = t('loss.calc.example');
        sum.retranslate(t('act.sum'));
        ce.retranslate(t('loss.calc.ce'));
        log10.retranslate(`−log₁₀ ${LOG_EXAMPLE}`);
        ln.retranslate(`−ln ${LOG_EXAMPLE}`);
        code.retranslate();
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
        h('td', {}, h('span', { class: 'prob-cell' }, h('span', { class: 'prob-track', 'aria-hidden': 'true' }, bar), value)),
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
    // −ln p from the engine's cross-entropy of p against 1; −log₁₀ p is the same over ln 10.
    const ln = this.#lab.loss('bce', [LOG_EXAMPLE], [1]).loss;
    c.ln.set(ln, 3);
    c.log10.set(ln / Math.LN10, 3);
    c.code.set(crossEntropyCode(this.#scores, this.#truth, loss));
  }

  // ---- the course's two examples ---------------------------------------------------------

  #buildExamples() {
    const boxes = EXAMPLES.map((_, i) => {
      const table = h('div', { class: 'example-body' });
      const code = codeBlock();
      return { el: h('div', { class: 'example', dataset: { example: String(i + 1) } }, table, code.el), table, code };
    });
    const el = this.#section('examples', 'loss.ex.title', 'loss.ex.intro', h('div', { class: 'examples' }, boxes.map((b) => b.el)));
    return { el, boxes, retranslate: () => boxes.forEach((b) => b.code.retranslate()) };
  }

  #drawExamples() {
    this.#examples.boxes.forEach((box, i) => {
      const { outputs, classes } = EXAMPLES[i];
      const k = outputs[0].length;
      const flat = outputs.flat();
      const targets = classes.flatMap((c) => oneHot(c, k));
      const ce = this.#lab.loss('cce', flat, targets, { units: k });
      const mse = this.#lab.loss('mse', flat, targets, { units: k });
      const correct = outputs.map((row, s) => argmax(row) === classes[s]);
      const accuracy = correct.filter(Boolean).length / correct.length;
      box.table.replaceChildren(
        h('h4', { text: t('loss.ex.name', { n: i + 1 }) }),
        h('div', { class: 'table-fit' }, h('table', { class: 'example-table' },
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col', text: t('loss.ex.sample') }),
            h('th', { scope: 'col', text: t('loss.ex.outputs') }),
            h('th', { scope: 'col', text: t('loss.ex.truth') }),
            h('th', { scope: 'col', text: t('loss.ex.correct') }),
            h('th', { scope: 'col', text: t('loss.ex.ce') }))),
          h('tbody', {}, outputs.map((row, s) => h('tr', { class: correct[s] ? '' : 'is-wrong' },
            h('th', { scope: 'row', text: String(s + 1) }),
            h('td', { class: 'mono outputs-cell' }, row.map((v, j) => h('span', { class: j === classes[s] ? 'is-truth' : '', text: `${j ? ' ' : ''}${v.toFixed(1)}` }))),
            h('td', { text: String(classes[s] + 1) }),
            h('td', {}, h('span', { 'aria-hidden': 'true', text: correct[s] ? '✓ ' : '✗ ' }), h('span', { class: 'mark-word', text: t(correct[s] ? 'loss.ex.right' : 'loss.ex.wrong') })),
            h('td', { class: 'mono ce-cell', dataset: { value: String(ce.perSample[s]) }, text: formatNumber(ce.perSample[s], 3, true) })))))),
        h('dl', { class: 'readouts readouts-inline' },
          exampleReadout('readout-accuracy', t('loss.ex.accuracy'), accuracy, `${(100 * accuracy).toFixed(1)} %`),
          exampleReadout('readout-ce', t('loss.ex.meanCe'), ce.loss, formatNumber(ce.loss, 3)),
          exampleReadout('readout-mse', t('loss.ex.mse'), mse.loss, formatNumber(mse.loss, 3))));
      box.code.set(examplesCode(outputs, classes, ce.loss, mse.loss));
    });
  }

  // ---- cross-entropy against squared error --------------------------------------------

  #buildCompare() {
    const lossPlot = new Plot(h('div'), { height: 220 });
    const gradPlot = new Plot(h('div'), { height: 200 });
    const pSlider = slider({ id: 'loss-p', min: 0.001, max: 0.999, step: 0.001, value: this.#p, digits: 3, onInput: (p) => { this.#p = p; this.#drawCompare(); } });
    const out = { ce: readout('readout-ce'), se: readout('readout-se'), ceGrad: readout('readout-ce-grad'), seGrad: readout('readout-se-grad') };
    const el = this.#section('compare', 'loss.cmp.title', 'loss.cmp.intro',
      pSlider.el,
      h('dl', { class: 'readouts readouts-grid' }, Object.values(out).map((r) => r.el)),
      lossPlot.canvas.parentElement,
      this.#translated('p', 'loss.cmp.gradNote', { class: 'panel-note' }),
      gradPlot.canvas.parentElement);
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

  /**
   * |∂l/∂z| at the true class's logit for each p, from a softmax output layer's backward trace:
   * two classes, the true one's logit z₁ = ln(p / (1 − p)) against z₂ = 0, so that p₁ = p.
   */
  #logitGradients(loss, ps) {
    const rows = ps.length;
    const trainer = this.#lab.createTrainer({ inputs: 1, layers: [{ units: 2, activation: 'softmax' }], loss, batchSize: rows, shuffle: false });
    try {
      trainer.setWeights(0, [1, 0]);
      trainer.setBiases(0, [0, 0]);
      const x = Float64Array.from(ps, (p) => Math.log(p / (1 - p)));
      const targets = new Float64Array(2 * rows);
      for (let i = 0; i < rows; i++) targets[2 * i] = 1;
      trainer.setData(x, targets, rows);
      trainer.stepPhase();  // forward
      trainer.stepPhase();  // loss
      trainer.stepPhase();  // backward: downstream = ∂l/∂z
      const { downstream, a } = trainer.trace(0);
      return { grad: Float64Array.from({ length: rows }, (_, i) => Math.abs(downstream[2 * i])), p: Float64Array.from({ length: rows }, (_, i) => a[2 * i]) };
    } finally {
      trainer.delete();
    }
  }

  #drawCompare() {
    const c = this.#compare;
    const p = grid(0.001, 1, 1000);
    const ones = new Float64Array(p.length).fill(1);
    // The true class's probability p against target 1: −ln p and (1 − p)², each sample on its own.
    const pCe = p.subarray(0, p.length - 1);
    const ce = this.#lab.loss('bce', pCe, ones.subarray(0, pCe.length));
    const se = this.#lab.loss('mse', p, ones);
    const ceHere = this.#lab.loss('bce', [this.#p], [1]);
    const seHere = this.#lab.loss('mse', [this.#p], [1]);
    const sweep = grid(0.001, 0.999, 400);
    this.#sweeps ??= { ce: this.#logitGradients('cce', sweep), se: this.#logitGradients('mse', sweep) };
    const { ce: ceGrad, se: seGrad } = this.#sweeps;
    const ceGradHere = this.#logitGradients('cce', [this.#p]).grad[0];
    const seGradHere = this.#logitGradients('mse', [this.#p]).grad[0];
    c.out.ce.set(ceHere.loss, 3);
    c.out.se.set(seHere.loss, 3);
    c.out.ceGrad.set(ceGradHere, 3);
    c.out.seGrad.set(seGradHere, 3);
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
    c.gradPlot.draw({
      label: t('loss.cmp.gradLabel'),
      x: { min: 0, max: 1, title: t('loss.cmp.pAxis') },
      y: { min: 0, max: 1.05, title: t('loss.cmp.gradAxis') },
      vlines: [{ x: this.#p, color: '#8a939c', dash: true }],
      series: [{ x: ceGrad.p, y: ceGrad.grad, color: CE_COLOR, width: 2.5 }, { x: seGrad.p, y: seGrad.grad, color: SE_COLOR, width: 2.5, dash: true }],
      markers: marks(ceGradHere, seGradHere),
      legend: [{ text: t('loss.cmp.ceGradLine'), color: CE_COLOR }, { text: t('loss.cmp.seGradLine'), color: SE_COLOR, kind: 'dash' }],
    });
  }

  // ---- binary cross-entropy with a sigmoid --------------------------------------------

  #buildBinary() {
    const plot = new Plot(h('div'), { height: 230 });
    const zSlider = slider({ id: 'bce-z', min: -6, max: 6, step: 0.01, value: this.#z, onInput: (z) => { this.#z = z; this.#drawBinary(); } });
    const labels = chips(['0', '1'], (y) => { this.#label = Number(y); this.#drawBinary(); }, 'label-chips');
    const labelName = h('span', { class: 'field-label', id: 'bce-label-name' });
    labels.el.setAttribute('aria-labelledby', 'bce-label-name');
    const terms = h('div', { class: 'bce-terms' });
    const out = { yHat: readout('readout-yhat'), loss: readout('readout-bce') };
    const code = codeBlock();
    const el = this.#section('binary', 'loss.bce.title', 'loss.bce.intro',
      h('div', { class: 'field' }, labelName, labels.el),
      zSlider.el,
      h('dl', { class: 'readouts readouts-inline' }, out.yHat.el, out.loss.el),
      terms,
      plot.canvas.parentElement,
      code.el);
    return {
      el, plot, zSlider, labels, terms, out, code,
      retranslate: () => {
        labelName.textContent = t('loss.bce.label');
        labels.label((y) => `y = ${y}`);
        zSlider.retranslate(t('loss.bce.z'));
        out.yHat.retranslate('ŷ = σ(z)');
        out.loss.retranslate(t('loss.bce.loss'));
        code.retranslate();
      },
    };
  }

  #drawBinary() {
    const b = this.#binary;
    const y = this.#label;
    b.labels.select(String(y));
    const yHat = this.#lab.activation('sigmoid', [this.#z]).value[0];
    const total = this.#lab.loss('bce', [this.#z], [y], { logits: true }).loss;
    // −ln ŷ and −ln(1 − ŷ): the loss a label of 1 or of 0 would give.
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
    b.code.set(binaryCode(this.#z, y, total));
  }

  // ---- the same network trained with each loss ----------------------------------------

  #buildTrain() {
    const player = new Player({ step: () => this.#advance(), done: () => this.#race.epoch >= TRAIN.epochs || !!this.#race.error, rewind: () => { if (this.#race.epoch >= TRAIN.epochs) this.#buildRace(); } });
    const step = h('button', { type: 'button', class: 'text-button panel-step', onclick: () => { player.pause(); this.#advance(); } });
    const reset = h('button', { type: 'button', class: 'text-button panel-reset', onclick: () => this.#buildRace() });
    const datasets = chips(TRAIN.datasets, (name) => { this.#race.dataset = name; this.#buildRace(); }, 'train-datasets');
    const rates = chips(TRAIN.rates, (lr) => { this.#race.lr = lr; this.#buildRace(); }, 'train-rates');
    const datasetName = h('span', { class: 'field-label', id: 'train-dataset-name' });
    const rateName = h('span', { class: 'field-label', id: 'train-rate-name' });
    datasets.el.setAttribute('aria-labelledby', 'train-dataset-name');
    rates.el.setAttribute('aria-labelledby', 'train-rate-name');
    const epoch = readout('readout-epoch');
    const head = h('tr');
    const cells = ['cce', 'mse'].map((loss) => ({
      name: h('th', { scope: 'row' }),
      accuracy: h('td', { class: 'mono train-accuracy' }),
      reached: h('td', { class: 'train-reached' }),
      loss,
    }));
    const table = h('table', { class: 'train-table' }, h('thead', {}, head),
      h('tbody', {}, cells.map((c) => h('tr', { dataset: { loss: c.loss } }, c.name, c.accuracy, c.reached))));
    const accPlot = new Plot(h('div'), { height: 200 });
    const gradPlot = new Plot(h('div'), { height: 180 });
    const error = h('p', { class: 'panel-error', role: 'alert', hidden: true });
    const check = h('p', { class: 'panel-note train-check' });
    const code = codeBlock();
    const el = this.#section('train', 'loss.train.title', 'loss.train.intro',
      h('div', { class: 'panel-toolbar' },
        h('div', { class: 'field' }, datasetName, datasets.el),
        h('div', { class: 'field' }, rateName, rates.el)),
      h('div', { class: 'button-row' }, player.button, step, reset),
      error,
      h('dl', { class: 'readouts readouts-inline' }, epoch.el),
      h('div', { class: 'table-fit' }, table),
      h('div', { class: 'train-plots' }, accPlot.canvas.parentElement, gradPlot.canvas.parentElement),
      this.#translated('p', 'loss.train.when', { class: 'panel-note' }),
      check,
      code.el);
    return {
      el, player, step, reset, datasets, rates, epoch, cells, accPlot, gradPlot, error, check, code,
      retranslate: () => {
        datasetName.textContent = t('setting.dataset');
        rateName.textContent = t('setting.learningRate');
        datasets.label((name) => t(`option.dataset.${name}`));
        rates.label((lr) => lr);
        step.textContent = t('panel.stepEpoch');
        reset.textContent = t('panel.reset');
        epoch.retranslate(t('epoch'));
        head.replaceChildren(...['loss.train.network', 'loss.train.accuracy', 'loss.train.reached'].map((key) => h('th', { scope: 'col', text: t(key) })));
        cells[0].name.textContent = t('loss.train.ceLine');
        cells[1].name.textContent = t('loss.train.seLine');
        code.retranslate();
        player.retranslate();
      },
    };
  }

  /** Two new networks, one per loss, from the same seed: the same data and starting weights. */
  #buildRace() {
    const r = this.#race;
    this.#train.player.pause();
    for (const net of r.nets) net.trainer.delete();
    r.nets = [];
    r.epoch = 0;
    r.error = null;
    try {
      r.nets = ['cce', 'mse'].map((loss) => {
        const trainer = this.#lab.createTrainer(trainConfig(loss, r.dataset, Number(r.lr)));
        const start = trainer.evaluate().trainAccuracy;
        return { loss, trainer, accuracy: [start], gradient: [], reached: start >= TRAIN.target ? 0 : null };
      });
    } catch (err) {
      r.error = err;
    }
    this.#train.datasets.select(r.dataset);
    this.#train.rates.select(r.lr);
    this.#drawTrain();
  }

  /** One epoch of each network, batch by batch, keeping the mean |∂L/∂W| of the output layer. */
  #advance() {
    const r = this.#race;
    if (r.error || !r.nets.length || r.epoch >= TRAIN.epochs) return;
    try {
      for (const net of r.nets) {
        const batches = net.trainer.cursor().batchesPerEpoch;
        let sum = 0;
        for (let b = 0; b < batches; b++) {
          net.trainer.trainStep();
          const sizes = net.trainer.gradientSizes();
          sum += sizes[sizes.length - 1];
        }
        net.gradient.push(sum / batches);
        const accuracy = net.trainer.evaluate().trainAccuracy;
        net.accuracy.push(accuracy);
        if (net.reached === null && accuracy >= TRAIN.target) net.reached = r.epoch + 1;
      }
      r.epoch += 1;
    } catch (err) {
      r.error = err;
      this.#train.player.pause();
    }
    this.#drawTrain();
  }

  #drawTrain() {
    const r = this.#race;
    const c = this.#train;
    c.error.hidden = !r.error;
    if (r.error) c.error.textContent = t('panel.engineError', { message: errorText(r.error) });
    if (!r.nets.length) return;
    const [ce] = r.nets;
    c.epoch.set(r.epoch, 0);
    r.nets.forEach((net, i) => {
      const cell = c.cells[i];
      const accuracy = net.accuracy.at(-1);
      cell.accuracy.textContent = `${(100 * accuracy).toFixed(1)} %`;
      cell.accuracy.dataset.value = String(accuracy);
      cell.reached.textContent = net.reached === null ? t('loss.train.notYet') : t('loss.train.atEpoch', { n: net.reached });
      cell.reached.dataset.value = String(net.reached);
    });
    const epochs = Float64Array.from(ce.accuracy, (_, e) => e);
    const max = Math.max(20, r.epoch);
    const names = [t('loss.train.ceLine'), t('loss.train.seLine')];
    const styles = [{ color: CE_COLOR, width: 2.5 }, { color: SE_COLOR, width: 2.5, dash: true }];
    c.accPlot.draw({
      label: t('loss.train.accLabel'),
      x: { min: 0, max, title: t('panel.epochAxis') },
      y: { min: 0.4, max: 1, title: t('loss.train.accAxis'), format: (v) => `${Math.round(v * 100)} %` },
      hlines: [{ y: TRAIN.target, color: '#8a939c', dash: true }],
      series: r.nets.map((net, i) => ({ x: epochs, y: Float64Array.from(net.accuracy), ...styles[i] })),
      legend: r.nets.map((_, i) => ({ text: names[i], color: styles[i].color, kind: i ? 'dash' : 'line' })),
    });
    const gradEpochs = Float64Array.from(ce.gradient, (_, e) => e + 1);
    const values = r.nets.flatMap((net) => net.gradient).filter((v) => v > 0);
    const lo = values.length ? 10 ** Math.floor(Math.log10(Math.min(...values))) : 1e-4;
    const hi = values.length ? 10 ** Math.ceil(Math.log10(Math.max(...values))) : 1;
    c.gradPlot.draw({
      label: t('loss.train.gradLabel'),
      x: { min: 0, max, title: t('panel.epochAxis') },
      y: { min: lo, max: hi > lo ? hi : lo * 10, log: true, title: t('loss.train.gradAxis') },
      series: r.nets.map((net, i) => ({ x: gradEpochs, y: Float64Array.from(net.gradient), ...styles[i] })),
      legend: r.nets.map((_, i) => ({ text: names[i], color: styles[i].color, kind: i ? 'dash' : 'line' })),
    });
    c.code.set(twoLossesCode({ hidden: TRAIN.hidden, activation: TRAIN.activation, classes: 2, lr: Number(r.lr) }));
    this.#drawCheck();
  }

  /** The playground's defaults with BCE and with MSE, once: where MSE is the faster one. */
  #drawCheck() {
    const r = this.#race;
    if (!r.check) {
      r.check = {};
      for (const loss of PLAYGROUND_CHECK.losses) {
        const trainer = this.#lab.createTrainer(playgroundConfig(loss));
        try {
          r.check[loss] = epochsToTarget(trainer, PLAYGROUND_CHECK.epochs);
        } finally {
          trainer.delete();
        }
      }
    }
    const shown = (n) => (n === null ? t('loss.train.never', { n: PLAYGROUND_CHECK.epochs }) : t('loss.train.atEpoch', { n }));
    this.#train.check.textContent = t('loss.train.check', { mse: shown(r.check.mse), bce: shown(r.check.bce) });
    this.#train.check.dataset.mse = String(r.check.mse);
    this.#train.check.dataset.bce = String(r.check.bce);
  }
}

function exampleReadout(className, name, value, text) {
  return h('div', { class: `readout ${className}` }, h('dt', { text: name }), h('dd', {}, h('output', { class: 'readout-value', dataset: { value: String(value) }, text })));
}
