// The network diagram: every neuron as a small heatmap of its output over the
// input plane, links coloured (sign) and sized (magnitude) by their weight,
// each neuron's bias as a small square at its lower left. Links are painted
// on one canvas (by a worker where the browser can: link-painter.js), every
// neuron's map and bias square on another (two repaints per frame however large
// the network; no element changes style while training plays); transparent SVG
// paths catch the pointer on the links, and an element per neuron takes focus,
// clicks and, in an outlined element of its own, its bias square's. Hover shows a
// value, click or tap opens an editor (weight-editor.js); input neurons switch features on and
// off; + and − buttons change the hidden layers.
//
// It draws what it is given: setStructure() when the network changes shape,
// drawMaps() with the engine's grid values every frame, drawParams() with
// the weights and biases. Columns are numbered 0 (inputs) … L (output);
// weight layer l links column l to column l + 1, as W[j][i] (to j, from i).
//
// Frame-by-frame mode adds setSelectMode() (a click or Enter selects a neuron
// or a weight instead of opening the editor), setLinkValues() (links coloured
// and sized by the values given, e.g. ∂ℓ/∂w, instead of the weights) and
// `overlay` (network-overlay.js: marks, numbers, flow, paths and selection
// drawn on this diagram's geometry).
import { diverging, Ramp } from '../colors.js';
import { h, pixelRatio, sizeCanvas, svg } from '../dom.js';
import { formatNumber, t } from '../i18n/index.js';
import { MAX_HIDDEN_LAYERS, MAX_UNITS } from '../state.js';
import { paintMap } from './heatmap.js';
import { LinkPainter, PENDING } from './link-painter.js';
import { FrameOverlay, relative, signedColor } from './network-overlay.js';
import { WeightEditor } from './weight-editor.js';

const HEAD = 70;  // room above the neurons for titles and the layer buttons
const BIAS_GAP = 3;  // px between a neuron and its bias square
const clamp = (x, lo, hi) => Math.max(lo, Math.min(hi, x));

/** While weights change every frame, links are repainted at most this often (20 per second). */
const LINK_INTERVAL_MS = 50;
export class NetworkView {
  #root;
  #on;
  #stage;
  #links;  // LinkPainter of the links' canvas
  #mapCanvas;
  #hits;
  #tooltip;
  #editor;
  #structure = null;
  #columns = [];   // per column: [{ el, bias, row, x, y }]
  #paths = [];     // per weight layer: [{ hit, to, from, color, width, x0, y0, x1, y1 }]
  #weights = [];
  #biases = [];
  #inputs = null;
  #width = 0;
  #size = 0;
  #crowded = false;  // a map reaches into the bias square of the neuron after it (a very narrow diagram)
  #maxHeight = null;
  #linkSize = null;
  #overlayGroup;
  #select = null;       // frame mode: (selection) => void
  #linkValues = null;   // frame mode: { layers: [Float64Array | null], scale, tip(l, j, i) }
  #right = 6;           // room right of the output neurons (frame mode: for their numbers)
  #rowGap = 0;          // at least this much between rows (frame mode on a phone: numbers go there)
  #linksPaintedAt = -Infinity;
  #linksTimer = 0;

  /**
   * on: { toggleFeature(name), setShape(shape), edit(changes), preview(neuron | null), resized() }
   * where changes are [{ kind: 'weight' | 'bias', layer, to, from, value }]
   * and neuron is { column, unit }.
   */
  constructor(root, on) {
    this.#root = root;
    this.#on = on;
    root.classList.add('network-view');
    const linkCanvas = h('canvas', { class: 'net-link-canvas', 'aria-hidden': 'true' });
    this.#mapCanvas = h('canvas', { class: 'net-map-canvas', 'aria-hidden': 'true' });
    this.#hits = svg('g', { class: 'net-hit-layer' });
    this.#overlayGroup = svg('g', { class: 'net-overlay' });
    const drawing = svg('svg', { class: 'net-links' });
    drawing.append(this.#overlayGroup, this.#hits);
    this.#tooltip = h('div', { class: 'net-tooltip', 'aria-hidden': 'true', hidden: true });
    this.#stage = h('div', { class: 'net-stage', role: 'group' }, linkCanvas, this.#mapCanvas, drawing, this.#tooltip);
    root.append(this.#stage);
    this.#links = new LinkPainter(linkCanvas, diverging.css);
    this.#editor = new WeightEditor(this.#stage, (changes) => this.#on.edit(changes));
    /** Frame mode's drawing over this diagram. */
    this.overlay = new FrameOverlay(() => this.#geometry());
    this.#hits.addEventListener('pointermove', (e) => this.#hover(e));
    this.#hits.addEventListener('pointerleave', () => this.#hideTooltip());
    this.#hits.addEventListener('click', (e) => this.#clickLink(e));
    new ResizeObserver(() => {
      if (!this.#structure || this.#root.clientWidth === this.#width) return;
      this.#layout();
      this.#on.resized();
    }).observe(root);
  }

  /**
   * structure: { features (all names), active (names in use), sizes ([inputs, …hidden, outputs]),
   * hiddenActivation, outputActivation, classes, canToggleFeatures, canChangeShape }
   */
  setStructure(structure) {
    this.#editor.close();
    this.#structure = structure;
    this.#inputs = null;
    this.#build();
    this.#layout();
  }

  /** Keeps the diagram within height px (embed mode fits the frame), or null for no limit. */
  setMaxHeight(height) {
    if (height === this.#maxHeight) return;
    this.#maxHeight = height;
    if (this.#structure) {
      this.#layout();
      this.#on.resized();
    }
  }

  nodeElement(column, unit) {
    return this.#columns[column]?.[unit]?.el ?? null;
  }

  /** A neuron's short name as the diagram writes it (X₁, h2.1, out 1, Class 0); inputs count active features. */
  shortName(column, unit) {
    return this.#shortName(column, unit);
  }

  /** The input features' maps, all features one after another (res × res each). */
  drawInputs(values, res, scales) {
    this.#inputs = { values, res, scales };
    const { features } = this.#structure;
    this.#columns[0].forEach((node) => {
      const k = features.indexOf(node.feature);
      const { ramp, lo, hi } = scales[k];
      paintMap(this.#mapCanvas, values, k * res * res, res, ramp, lo, hi, null, this.#rect(node, node.unit >= 0 ? 1 : 0.3));
    });
    if (this.#crowded) this.#paintBiases(true);
  }

  /** Every non-input neuron's map, column after column, with its { ramp, lo, hi }. */
  drawMaps(values, res, scales) {
    const cells = res * res;
    let n = 0;
    for (let c = 1; c < this.#columns.length; c++) {
      for (const node of this.#columns[c]) {
        const { ramp, lo, hi } = scales[n];
        paintMap(this.#mapCanvas, values, n * cells, res, ramp, lo, hi, null, this.#rect(node));
        n += 1;
      }
    }
    if (this.#crowded) this.#paintBiases(true);
  }

  /** weights[l]: units × inputs of weight layer l; biases[l]: its units. */
  drawParams(weights, biases) {
    this.#weights = weights;
    this.#biases = biases;
    if (!this.#linkValues) this.#styleLinks();
    this.#paintBiases();
  }

  // Each bias square whose colour changed (every one, forced), on the maps' canvas under its outlined element.
  #paintBiases(force = false) {
    const ctx = this.#mapCanvas.getContext('2d');
    for (let c = 1; c < this.#columns.length; c++) {
      const b = this.#biases[c - 1];
      if (b?.length !== this.#columns[c].length) continue;
      this.#columns[c].forEach((node, j) => {
        const color = Ramp.index(b[j], -1, 1);
        if (color === node.biasColor && !force) return;
        node.biasColor = color;
        ctx.fillStyle = diverging.css[color];
        ctx.fillRect(...node.biasRect);
      });
    }
  }

  // Links by weight (colour = sign, width = size), or by the frame mode's values.
  #styleLinks() {
    const k = clamp(this.#size / 40, 0.55, 1);
    const given = this.#linkValues;
    let changed = false;
    this.#paths.forEach((layer, l) => {
      const values = given ? given.layers[l] : this.#weights[l];
      const inputs = this.#structure.sizes[l];
      for (const link of layer) {
        let color = PENDING;
        let width = 1;
        if (values && given) {
          const value = values[link.to * inputs + link.from];
          color = signedColor(value, given.scale);
          width = Math.round((0.75 + 6 * relative(value, given.scale)) * k * 4) / 4;
        } else if (values) {
          const value = values[link.to * inputs + link.from];
          color = Ramp.index(value, -1, 1);
          // The playground's 1 … 10 px for |w| 0 … 5, scaled to the neuron size.
          width = Math.round((1 + 1.8 * Math.min(Math.abs(value), 5)) * k * 4) / 4;
        }
        if (color === link.color && width === link.width) continue;
        link.color = color;
        link.width = width;
        changed = true;
      }
    });
    if (!changed) return;
    // While training plays, the weights move a little every frame; repainting every link at
    // most LINK_INTERVAL_MS apart keeps their look current at a fraction of the cost (each
    // repaint rasterises every curve). A change after a pause, and every frame-mode step, paints
    // at once; the last change is always painted.
    const wait = given ? 0 : LINK_INTERVAL_MS - (performance.now() - this.#linksPaintedAt);
    if (wait <= 0) this.#paintLinks();
    else if (!this.#linksTimer) this.#linksTimer = setTimeout(() => this.#paintLinks(), wait);
  }

  // ---- frame-by-frame ------------------------------------------------------------------------

  /**
   * select: null (clicks edit) or (selection) => void, called with { kind: 'neuron', column, unit }
   * or { kind: 'weight', layer, to, from }; room: { right (px kept right of the output neurons),
   * rowGap (px kept at least between rows) }, for numbers drawn beside the neurons.
   */
  setSelectMode(select, { right = 6, rowGap = 0 } = {}) {
    const changed = !!select !== !!this.#select || right !== this.#right || rowGap !== this.#rowGap;
    this.#select = select;
    this.#right = right;
    this.#rowGap = rowGap;
    this.#editor.close();
    this.#stage.classList.toggle('is-selecting', !!select);
    if (changed && this.#structure) {
      this.#layout();
      this.#on.resized();
    }
  }

  /**
   * layers: per weight layer a Float64Array (units × inputs) or null (not computed yet: drawn faint);
   * scale: the magnitude drawn at full width; tip(l, j, i): the hover text. null: back to the weights.
   */
  setLinkValues(values) {
    if (values === null && this.#linkValues === null) return;  // the weights are drawn already
    this.#linkValues = values;
    for (const layer of this.#paths) for (const link of layer) link.color = -2;  // restyle every link
    this.#styleLinks();
  }

  // What the overlay draws on: positions of the neurons and the links, in the stage's pixels.
  #geometry() {
    return {
      stage: this.#stage,
      group: this.#overlayGroup,
      size: this.#size,
      width: this.#linkSize?.width ?? 0,
      height: this.#linkSize?.height ?? 0,
      columns: this.#columns,
      links: this.#paths,
      heads: [...this.#stage.querySelectorAll('.net-head, .net-label')],
    };
  }

  retranslate() {
    if (!this.#structure) return;
    const inputs = this.#inputs;
    this.setStructure(this.#structure);
    if (inputs) this.drawInputs(inputs.values, inputs.res, inputs.scales);
  }

  #rect(node, alpha = 1) {
    return { x: node.x - this.#size / 2, y: node.y - this.#size / 2, size: this.#size, alpha };
  }

  #paintLinks() {
    clearTimeout(this.#linksTimer);
    this.#linksTimer = 0;
    this.#linksPaintedAt = performance.now();
    if (!this.#linkSize) return;
    this.#links.paint(this.#paths, this.#linkSize.width, this.#linkSize.height, pixelRatio());
  }

  // ---- names ---------------------------------------------------------------------------

  #shortName(column, unit) {
    const { active, sizes, outputActivation } = this.#structure;
    if (column === 0) return t(`feature.${active[unit]}`);
    if (column === sizes.length - 1) {
      return outputActivation === 'softmax' ? t('legend.class', { n: unit + 1 }) : t('network.short.output', { unit: unit + 1 });
    }
    return t('network.short.hidden', { layer: column, unit: unit + 1 });
  }

  #longName(column, unit) {
    const { sizes, outputActivation } = this.#structure;
    if (column === sizes.length - 1) {
      return outputActivation === 'softmax' ? t('network.outputClass', { unit }) : t('network.outputNeuron', { unit: unit + 1 });
    }
    return t('network.hidden', { layer: column, unit: unit + 1 });
  }

  // ---- building --------------------------------------------------------------------------

  #build() {
    const s = this.#structure;
    this.#stage.setAttribute('aria-label', t('network.label'));
    for (const el of [...this.#stage.querySelectorAll('.net-node, .net-head, .net-label')]) el.remove();
    this.#hits.replaceChildren();
    this.overlay.reset();
    this.#columns = [];
    this.#paths = [];
    this.#stage.classList.remove('has-paths', 'has-hot-path');

    const shown = s.canToggleFeatures ? s.features : s.active;
    this.#columns.push(shown.map((feature, row) => this.#inputNode(feature, row)));
    for (let c = 1; c < s.sizes.length; c++) {
      const units = s.sizes[c];
      this.#columns.push(Array.from({ length: units }, (_, j) => this.#neuronNode(c, j)));
    }
    for (let l = 0; l + 1 < s.sizes.length; l++) {
      const layer = [];
      for (let j = 0; j < s.sizes[l + 1]; j++) {
        for (let i = 0; i < s.sizes[l]; i++) {
          const hit = svg('path', { class: 'net-hit', fill: 'none', 'data-layer': l, 'data-to': j, 'data-from': i });
          this.#hits.append(hit);
          layer.push({ hit, to: j, from: i, color: 128, width: 1 });
        }
      }
      this.#paths.push(layer);
    }
    this.#buildHeads();
  }

  #inputNode(feature, row) {
    const s = this.#structure;
    const on = s.active.includes(feature);
    const name = t(`feature.${feature}`);
    const el = h('div', {
      class: `net-node net-input${on ? '' : ' is-off'}`,
      role: s.canToggleFeatures ? 'checkbox' : 'img',
      tabindex: s.canToggleFeatures ? '0' : null,
      'aria-checked': s.canToggleFeatures ? String(on) : null,
      'aria-label': t('network.input', { name }),
      title: s.canToggleFeatures ? t(on ? 'network.inputOn' : 'network.inputOff', { name }) : null,
      dataset: { feature },
    });
    const label = h('div', { class: `net-label${on ? '' : ' is-off'}`, 'aria-hidden': 'true', text: name });
    if (s.canToggleFeatures) {
      const toggle = () => {
        if (on && s.active.length === 1) {
          this.#flashTooltip(el, t('network.lastInput'));
          return;
        }
        this.#on.toggleFeature(feature);
      };
      el.addEventListener('click', toggle);
      el.addEventListener('keydown', (e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        toggle();
      });
    }
    const unit = s.active.indexOf(feature);
    if (on) this.#previewOn(el, 0, unit);
    this.#stage.append(el, label);
    return { el, label, feature, row, unit };
  }

  #neuronNode(column, unit) {
    const s = this.#structure;
    const output = column === s.sizes.length - 1;
    const activation = output ? s.outputActivation : s.hiddenActivation;
    const bias = h('span', { class: 'net-bias', dataset: { column, unit } });
    const el = h('div', {
      class: `net-node${output ? ' net-output' : ''}`,
      role: 'button',
      tabindex: '0',
      'aria-label': t('network.neuronAction', { name: this.#longName(column, unit), activation: t(`option.activation.${activation}`) }),
      dataset: { column, unit },
    }, bias);
    el.addEventListener('click', (e) => {
      if (this.#select) this.#select({ kind: 'neuron', column, unit });
      else if (e.target === bias) this.#openEditor([this.#biasRow(column, unit)], e);
      else this.#openEditor(this.#neuronRows(column, unit), e);
    });
    el.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      if (this.#select) this.#select({ kind: 'neuron', column, unit });
      else this.#openEditor(this.#neuronRows(column, unit), null, el);
    });
    el.addEventListener('pointermove', (e) => {
      const tip = this.overlay.tip(column, unit);
      if (e.pointerType === 'touch' || !tip || e.target === bias) return;
      this.#showTooltip(e, tip);
    });
    el.addEventListener('pointerleave', () => this.#hideTooltip());
    bias.addEventListener('pointermove', (e) => {
      if (e.pointerType === 'touch') return;
      e.stopPropagation();
      const row = this.#biasRow(column, unit);
      this.#showTooltip(e, t('network.value', { label: row.label, value: formatNumber(row.value, 4) }));
    });
    bias.addEventListener('pointerleave', () => this.#hideTooltip());
    // Keyboard users read the same numbers on focus.
    el.addEventListener('focus', () => {
      const tip = this.overlay.tip(column, unit);
      if (!tip) return;
      const box = el.getBoundingClientRect();
      this.#showTooltip({ clientX: box.left, clientY: box.top }, tip);
    });
    el.addEventListener('blur', () => this.#hideTooltip());
    this.#previewOn(el, column, unit);
    this.#stage.append(el);
    return { el, bias, row: unit, biasColor: -1 };
  }

  #previewOn(el, column, unit) {
    const show = () => this.#on.preview({ column, unit, name: this.#shortName(column, unit) });
    const hide = () => this.#on.preview(null);
    el.addEventListener('pointerenter', (e) => { if (e.pointerType !== 'touch') show(); });
    el.addEventListener('pointerleave', hide);
    el.addEventListener('focus', show);
    el.addEventListener('blur', hide);
  }

  #buildHeads() {
    const s = this.#structure;
    const hidden = s.sizes.length - 2;
    const button = (label, text, disabled, onclick) =>
      h('button', { type: 'button', class: 'icon-button small', 'aria-label': label, title: label, disabled, onclick }, text);
    const title = h('div', { class: 'net-head net-title-inputs' },
      h('span', { class: 'net-title', text: t('network.features') }));
    if (s.canToggleFeatures) title.title = t('network.featuresHint');
    const layerCount = hidden === 0 ? t('network.noHidden') : hidden === 1 ? t('network.hiddenLayer') : t('network.hiddenLayers', { n: hidden });
    const shape = s.sizes.slice(1, -1);
    const layers = h('div', { class: 'net-head net-title-hidden', dataset: { setting: 'networkShape' } },
      s.canChangeShape ? button(t('network.addLayer'), '+', hidden >= MAX_HIDDEN_LAYERS, () => this.#on.setShape([...shape, shape.at(-1) ?? 2])) : null,
      s.canChangeShape ? button(t('network.removeLayer'), '−', hidden === 0, () => this.#on.setShape(shape.slice(0, -1))) : null,
      h('span', { class: 'net-title', text: layerCount }));
    const output = h('div', { class: 'net-head net-title-output' },
      h('span', { class: 'net-title', text: t('network.output') }),
      h('span', { class: 'net-subtitle', text: t(`option.activation.${s.outputActivation}`) }));
    this.#stage.append(title, layers, output);
    shape.forEach((units, k) => {
      const set = (n) => this.#on.setShape(shape.map((u, m) => (m === k ? n : u)));
      const head = h('div', { class: 'net-head net-layer-head', dataset: { column: k + 1, setting: 'networkShape' } },
        s.canChangeShape ? h('div', { class: 'net-layer-buttons' },
          button(t('network.addNeuron', { layer: k + 1 }), '+', units >= MAX_UNITS, () => set(units + 1)),
          button(t('network.removeNeuron', { layer: k + 1 }), '−', units <= 1, () => set(units - 1))) : null,
        h('span', { class: 'net-count', dataset: { full: units === 1 ? t('network.neuron') : t('network.neurons', { n: units }) }, text: String(units) }));
      this.#stage.append(head);
    });
  }

  // ---- layout ------------------------------------------------------------------------------

  #layout() {
    const s = this.#structure;
    const width = Math.max(240, this.#root.clientWidth);
    this.#width = this.#root.clientWidth;
    const columns = s.sizes.length;
    const labelWidth = width < 420 ? 50 : 56;
    const rows = Math.max(...this.#columns.map((col) => col.length));
    const gap = (s) => Math.max(6, Math.round(s * 0.3), this.#rowGap);
    let byHeight = Infinity;
    if (this.#maxHeight) byHeight = this.#rowGap ? Math.floor((this.#maxHeight - HEAD) / rows - this.#rowGap) : Math.floor((this.#maxHeight - HEAD) / rows / 1.3);
    const size = clamp(Math.min(Math.floor((width - labelWidth) / (columns * 1.8)), byHeight), 16, 46);
    this.#size = size;
    const right = this.#right;
    const pitchX = (width - labelWidth - size - right) / (columns - 1);
    const pitchY = size + gap(size);
    const x = (c) => labelWidth + size / 2 + c * pitchX;
    const y = (row) => HEAD + row * pitchY + size / 2;
    const height = HEAD + rows * pitchY;
    this.#stage.style.height = `${height}px`;
    this.#stage.style.setProperty('--node', `${size}px`);
    this.#stage.style.setProperty('--label', width < 420 ? '.68rem' : '.78rem');
    const bias = Math.max(6, Math.round(size * 0.22));
    this.#stage.style.setProperty('--bias', `${bias}px`);
    this.#stage.style.setProperty('--bias-gap', `${BIAS_GAP}px`);
    this.#crowded = pitchX - size < BIAS_GAP + bias;
    const drawing = this.#hits.parentNode;
    drawing.setAttribute('width', width);
    drawing.setAttribute('height', height);
    drawing.setAttribute('viewBox', `0 0 ${width} ${height}`);

    sizeCanvas(this.#mapCanvas, width, height).clearRect(0, 0, width, height);
    const ratio = pixelRatio();
    const snap = (v) => Math.round(v * ratio) / ratio;  // whole device pixels, as the bias's outline is drawn
    this.#columns.forEach((column, c) => {
      for (const node of column) {
        node.x = x(c);
        node.y = y(node.row);
        Object.assign(node.el.style, { left: `${node.x - size / 2}px`, top: `${node.y - size / 2}px` });
        if (node.label) Object.assign(node.label.style, { left: '0px', top: `${node.y - 9}px`, width: `${labelWidth - 6}px` });
        if (c > 0) {  // the bias square, lower left of the neuron: [x, y, width, height] on the maps' canvas
          const left = snap(node.x - size / 2 - BIAS_GAP - bias), right = snap(node.x - size / 2 - BIAS_GAP);
          const top = snap(node.y + size / 2 - bias), bottom = snap(node.y + size / 2);
          node.biasRect = [left, top, right - left, bottom - top];
        }
      }
    });
    const inputs = this.#columns[0].filter((node) => node.unit >= 0);
    this.#paths.forEach((layer, l) => {
      const from = l === 0 ? inputs : this.#columns[l];
      const to = this.#columns[l + 1];
      for (const link of layer) {
        const a = from[link.from], b = to[link.to];
        Object.assign(link, { x0: a.x + size / 2, y0: a.y, x1: b.x - size / 2, y1: b.y });
        const mid = (link.x0 + link.x1) / 2;
        link.d = `M${link.x0.toFixed(1)} ${a.y.toFixed(1)}C${mid.toFixed(1)} ${a.y.toFixed(1)} `
          + `${mid.toFixed(1)} ${b.y.toFixed(1)} ${link.x1.toFixed(1)} ${b.y.toFixed(1)}`;
        link.hit.setAttribute('d', link.d);
      }
    });
    this.#linkSize = { width, height };
    this.#paintLinks();
    this.#linksPaintedAt = -Infinity;  // the restyle for the new size that follows paints at once
    this.#placeHeads(x, pitchX, size, width);
    this.overlay.relayout();
    if (this.#inputs) this.drawInputs(this.#inputs.values, this.#inputs.res, this.#inputs.scales);
    this.#paintBiases(true);  // the canvas was cleared
  }

  #placeHeads(x, pitchX, size, width) {
    const columns = this.#structure.sizes.length;
    const place = (el, cx, top, w) => Object.assign(el.style, { left: `${clamp(cx - w / 2, 0, width - w)}px`, top: `${top}px`, width: `${w}px` });
    // Row 1: the hidden layers' count and buttons; row 2: the inputs' and the output's titles
    // beside each hidden layer's own buttons.
    const hiddenCentre = columns > 2 ? (x(1) + x(columns - 2)) / 2 : (x(0) + x(1)) / 2;
    place(this.#stage.querySelector('.net-title-hidden'), hiddenCentre, 0, Math.min(width, Math.max(220, pitchX)));
    place(this.#stage.querySelector('.net-title-inputs'), x(0) - 12, 30, Math.max(size + 30, Math.min(96, pitchX)));
    place(this.#stage.querySelector('.net-title-output'), x(columns - 1), 30, Math.max(size + 12, Math.min(96, pitchX)));
    for (const head of this.#stage.querySelectorAll('.net-layer-head')) {
      const c = Number(head.dataset.column);
      place(head, x(c), 28, Math.max(size, pitchX - 4));
      const count = head.querySelector('.net-count');
      count.textContent = pitchX >= 76 ? count.dataset.full : count.dataset.full.replace(/\D*(\d+)\D*/, '$1');
    }
  }

  // ---- values: tooltip and editor ------------------------------------------------------------

  #weightRow(layer, to, from) {
    const inputs = this.#structure.sizes[layer];
    return {
      kind: 'weight', layer, to, from,
      value: this.#weights[layer]?.[to * inputs + from] ?? 0,
      label: t('network.weight', { from: this.#shortName(layer, from), to: this.#shortName(layer + 1, to) }),
    };
  }

  #biasRow(column, unit) {
    return {
      kind: 'bias', layer: column - 1, to: unit, from: -1,
      value: this.#biases[column - 1]?.[unit] ?? 0,
      label: t('network.bias', { name: this.#shortName(column, unit) }),
    };
  }

  #neuronRows(column, unit) {
    const rows = [this.#biasRow(column, unit)];
    for (let i = 0; i < this.#structure.sizes[column - 1]; i++) rows.push(this.#weightRow(column - 1, unit, i));
    return rows;
  }

  #linkAt(target) {
    if (!target?.classList?.contains('net-hit')) return null;
    return this.#weightRow(Number(target.dataset.layer), Number(target.dataset.to), Number(target.dataset.from));
  }

  #hover(e) {
    if (e.pointerType === 'touch') return;
    const row = this.#linkAt(e.target);
    if (!row) return this.#hideTooltip();
    const tip = this.#linkValues?.tip?.(row.layer, row.to, row.from);
    this.#showTooltip(e, tip ?? t('network.value', { label: row.label, value: formatNumber(row.value, 4) }));
  }

  #clickLink(e) {
    const row = this.#linkAt(e.target);
    if (!row) return;
    if (this.#select) this.#select({ kind: 'weight', layer: row.layer, to: row.to, from: row.from });
    else this.#openEditor([row], e);
  }

  #stagePoint(e) {
    const box = this.#stage.getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  }

  #showTooltip(e, text) {
    const { x, y } = this.#stagePoint(e);
    this.#tooltip.textContent = text;
    this.#tooltip.hidden = false;
    const w = this.#tooltip.offsetWidth;
    this.#tooltip.style.left = `${clamp(x + 12, 0, this.#stage.clientWidth - w)}px`;
    this.#tooltip.style.top = `${Math.max(0, y - 34)}px`;
  }

  #flashTooltip(el, text) {
    const box = el.getBoundingClientRect();
    this.#showTooltip({ clientX: box.right, clientY: box.top }, text);
    setTimeout(() => this.#hideTooltip(), 1800);
  }

  #hideTooltip() {
    this.#tooltip.hidden = true;
  }

  #openEditor(rows, event, origin = event?.currentTarget) {
    this.#hideTooltip();
    const title = rows.length === 1 ? rows[0].label : t('edit.title', { name: this.#shortName(rows[0].layer + 1, rows[0].to) });
    const at = event ? this.#stagePoint(event) : { x: origin.offsetLeft + origin.offsetWidth, y: origin.offsetTop };
    this.#editor.open(rows, title, at, origin);
  }

}
