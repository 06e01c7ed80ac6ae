// The chain rule of one variable, before the networks: y(v(u(x))) built from
// three small functions (u = 2x − 1, v = σ(u), y = (v − 1)²), each one's
// derivative at x and their product dy/dx, peeled from the outside in like an
// onion, checked against a numerical derivative and drawn as the slope of the
// tangent. The three functions are one neuron and its loss: a sigmoid unit
// with weight 2 and bias −1 and a squared error against 1, so the engine
// computes every value and derivative (forward, loss and backward of that
// unit); the panel multiplies them, which is the rule itself.
import { h } from '../dom.js';
import { formatNumber, t } from '../i18n/index.js';
import { typeset } from '../stepper/tex.js';
import { Plot } from './plot.js';
import { chainCode } from './torch.js';
import { codeBlock, DERIVATIVE_COLOR, FUNCTION_COLOR, grid, panelHead, slider } from './ui.js';

/** u = W·x + B, v = σ(u), y = (v − TARGET)². */
export const CHAIN = { w: 2, b: -1, target: 1 };
const X_RANGE = 4;
/** The step of the numerical derivative (central difference). */
const H = 1e-5;
const LAYERS = ['outer', 'middle', 'inner'];
const LAYER_COLORS = { outer: '#0072b2', middle: '#009e73', inner: '#d55e00' };

export class ChainPanel {
  #lab;
  #head = panelHead();
  #x = 0.6;
  #trainer;
  #slider;
  #plot;
  #onion = h('p', { class: 'chain-onion', 'aria-hidden': 'true' });
  #rule = h('p', { class: 'formula chain-rule' });
  #rows = {};
  #product;
  #numeric;
  #note = h('p', { class: 'panel-note' });
  #networkNote = h('p', { class: 'panel-note' });
  #tableHead = h('tr');
  #code = codeBlock('chain-torch');
  #curve = null;

  constructor(root, { lab }) {
    this.root = root;
    this.#lab = lab;
    this.#trainer = lab.createTrainer({
      inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse', batchSize: 1, shuffle: false,
    });
    this.#trainer.setWeights(0, [CHAIN.w]);
    this.#trainer.setBiases(0, [CHAIN.b]);
    this.#slider = slider({ id: 'chain-x', min: -X_RANGE, max: X_RANGE, step: 0.01, value: this.#x, onInput: (x) => this.#setX(x) });
    this.#plot = new Plot(h('div', { class: 'chain-plot' }), { height: 280, onPick: (x) => this.#setX(x) });
    for (const layer of LAYERS) {
      this.#rows[layer] = {
        name: h('th', { scope: 'row' }),
        fn: h('td', { class: 'chain-fn' }),
        value: h('td', { class: 'mono chain-value' }),
        derivative: h('td', { class: 'mono chain-derivative' }),
        row: null,
      };
      const r = this.#rows[layer];
      r.row = h('tr', { dataset: { layer }, style: `--layer:${LAYER_COLORS[layer]}` }, r.name, r.fn, r.value, r.derivative);
    }
    this.#product = h('p', { class: 'formula chain-product' });
    this.#numeric = h('p', { class: 'panel-note chain-numeric' });
    root.append(
      this.#head.el,
      h('div', { class: 'panel-main' },
        h('div', { class: 'panel-figure' }, this.#plot.canvas.parentElement),
        h('div', { class: 'panel-side' },
          this.#onion,
          this.#slider.el,
          h('div', { class: 'table-fit' }, h('table', { class: 'chain-table' },
            h('thead', {}, this.#tableHead),
            h('tbody', {}, LAYERS.map((layer) => this.#rows[layer].row)))),
          this.#rule,
          this.#product,
          this.#numeric,
          this.#note,
          this.#networkNote)),
      this.#code.el);
  }

  show() {
    this.#draw();
  }

  hide() {}

  sync() {}

  retranslate() {
    this.#head.retranslate('chain.title', 'chain.intro');
    this.#slider.retranslate(t('chain.x'));
    this.#tableHead.replaceChildren(...['chain.layer', 'chain.function', 'chain.value', 'chain.derivative'].map((key) => h('th', { scope: 'col', text: t(key) })));
    for (const layer of LAYERS) this.#rows[layer].name.textContent = t(`chain.${layer}`);
    this.#rows.outer.fn.textContent = 'y = (v − 1)²';
    this.#rows.middle.fn.textContent = 'v = σ(u)';
    this.#rows.inner.fn.textContent = 'u = 2x − 1';
    this.#onion.replaceChildren(
      h('span', { class: 'onion-outer', text: 'y = (' }),
      h('span', { class: 'onion-middle', text: ' σ( ' }),
      h('span', { class: 'onion-inner', text: '2x − 1' }),
      h('span', { class: 'onion-middle', text: ' ) ' }),
      h('span', { class: 'onion-outer', text: '− 1)²' }));
    this.#onion.setAttribute('aria-hidden', 'true');
    this.#note.textContent = t('chain.note');
    this.#networkNote.textContent = t('chain.network');
    this.#code.retranslate();
    typeset(this.#rule, '\\dfrac{dy}{dx} = \\dfrac{dy}{dv}\\cdot\\dfrac{dv}{du}\\cdot\\dfrac{du}{dx}');
    this.#draw();
  }

  #setX(x) {
    this.#x = Math.max(-X_RANGE, Math.min(X_RANGE, Math.round(x * 100) / 100));
    this.#slider.set(this.#x);
    this.#draw();
  }

  /**
   * u, v, y and the three derivatives at x, from the engine: one forward, loss and backward pass
   * of the unit on the single sample x with target 1. du/dx is the unit's weight.
   */
  at(x) {
    const tr = this.#trainer;
    tr.setData([x], [CHAIN.target], 1);
    tr.stepPhase();  // forward
    tr.stepPhase();  // loss
    tr.stepPhase();  // backward
    const trace = tr.trace(0);
    return {
      u: trace.z[0], v: trace.a[0], y: trace.loss,
      dydv: trace.upstream[0], dvdu: trace.local[0], dudx: tr.getWeights(0)[0],
    };
  }

  /** y at many x at once: the unit's outputs and the engine's squared error against 1. */
  #values(xs) {
    const v = this.#trainer.predict(xs, xs.length);
    return this.#lab.loss('mse', v, new Float64Array(xs.length).fill(CHAIN.target)).perSample;
  }

  #draw() {
    if (!this.#trainer) return;
    const x = this.#x;
    const s = this.at(x);
    const slope = s.dydv * s.dvdu * s.dudx;  // the chain rule: the product of the three
    const [below, above] = this.#values([x - H, x + H]);
    const numeric = (above - below) / (2 * H);
    const cells = { outer: [s.y, s.dydv, 'dy/dv'], middle: [s.v, s.dvdu, 'dv/du'], inner: [s.u, s.dudx, 'du/dx'] };
    for (const [layer, [value, derivative, name]] of Object.entries(cells)) {
      const r = this.#rows[layer];
      r.value.textContent = formatNumber(value, 4);
      r.value.dataset.value = String(value);
      r.derivative.textContent = `${name} = ${formatNumber(derivative, 4)}`;
      r.derivative.dataset.value = String(derivative);
    }
    const paren = (v) => (v < 0 ? `(${formatNumber(v, 4)})` : formatNumber(v, 4));
    this.#product.textContent = `dy/dx = ${paren(s.dydv)} × ${paren(s.dvdu)} × ${paren(s.dudx)} = ${formatNumber(slope, 4)}`;
    this.#product.dataset.value = String(slope);
    this.#numeric.textContent = t('chain.numeric', { h: '10⁻⁵', value: formatNumber(numeric, 4) });
    this.#numeric.dataset.value = String(numeric);
    this.#code.set(chainCode(CHAIN, x, s.y, slope));

    this.#curve ??= (() => {
      const xs = grid(-X_RANGE, X_RANGE, 321);
      return { x: xs, y: this.#values(xs) };
    })();
    const span = 1.2;
    const tangent = { x: Float64Array.of(x - span, x + span), y: Float64Array.of(s.y - span * slope, s.y + span * slope) };
    this.#plot.draw({
      label: t('chain.plotLabel'),
      x: { min: -X_RANGE, max: X_RANGE, title: 'x' },
      y: { min: -0.1, max: 1.2, title: 'y' },
      vlines: [{ x, color: '#8a939c', dash: true }],
      series: [
        { ...this.#curve, color: FUNCTION_COLOR, width: 2.5 },
        { ...tangent, color: DERIVATIVE_COLOR, width: 2.5, dash: true },
      ],
      markers: [{ x, y: s.y, color: FUNCTION_COLOR, text: `y = ${formatNumber(s.y, 3)}` }],
      legend: [
        { text: t('chain.curve'), color: FUNCTION_COLOR },
        { text: t('chain.tangent', { slope: formatNumber(slope, 3) }), color: DERIVATIVE_COLOR, kind: 'dash' },
      ],
    });
  }
}
