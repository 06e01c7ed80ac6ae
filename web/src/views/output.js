// The output plot: the network's decision boundary (classification) or
// surface (regression) over the input plane from the engine's grid values,
// the training points (and optionally the test points) on top, axes and a
// legend. While a neuron is hovered it shows that neuron's map instead.
// Frame-by-frame mode rings the current batch's points and the probe, and
// lets a click (or tap) on a training point pick it as the probe.
import { classColors, diverging } from '../colors.js';
import { h, sizeCanvas, svg } from '../dom.js';
import { formatNumber, t } from '../i18n/index.js';
import { PLANE } from '../state.js';
import { paintClasses, paintMap } from './heatmap.js';
import { markerPath, traceMarker } from './markers.js';

const AXIS_LEFT = 24;
const AXIS_BOTTOM = 20;
const TICK_CHAR = 6;  // px per character of a tick label
const TICKS = [-6, -4, -2, 0, 2, 4, 6];
const MAX_SIZE = 360;

export class OutputView {
  #root;
  #frame;
  #map;
  #points;
  #axes;
  #caption;
  #legend;
  #marks;
  #pick = null;
  #marked = { probe: null, batch: [] };
  #data = null;
  #options = { showTest: false };
  #size = 0;
  #left = AXIS_LEFT;
  #maxSize = MAX_SIZE;
  /** While true (Draw mode), a click adds a point instead of picking one. */
  drawing = false;
  #legendKey = '';

  /** The plot follows root's width; a resize redraws its points and axes, and the browser scales the map. */
  constructor(root) {
    this.#root = root;
    this.#map = h('canvas', { class: 'plot-map' });
    this.#points = h('canvas', { class: 'plot-points' });
    this.#axes = svg('svg', { class: 'plot-axes', 'aria-hidden': 'true' });
    this.#caption = h('span', { class: 'plot-caption', hidden: true });
    this.#marks = svg('svg', { class: 'plot-marks', 'aria-hidden': 'true' });
    this.#frame = h('div', { class: 'plot-frame', role: 'img' }, this.#map, this.#points, this.#marks, this.#axes, this.#caption);
    this.#frame.addEventListener('click', (e) => this.#pickAt(e));
    this.#legend = h('div', { class: 'legend' });
    root.append(this.#frame, this.#legend);
    new ResizeObserver(() => this.#resize()).observe(root);
  }

  /**
   * data: { train: { points, labels }, test: { points, labels }, classes (0 = regression),
   * scale: { ramp, lo, hi } of a single output, and for own data classNames, axes and value
   * (data/owndata.js): the legend's names, the axes' units }
   */
  setData(data) {
    this.#data = data;
    this.#legendKey = '';
    this.#ticks = axisTicks(data.axes);
    this.#left = Math.max(AXIS_LEFT, 8 + TICK_CHAR * Math.max(0, ...this.#ticks.y.map((t) => t.text.length)));
    this.#resize(true);
  }

  #ticks = axisTicks(null);

  /** The plot's frame (Draw mode listens on it). */
  get frame() {
    return this.#frame;
  }

  /** The plane point under a pointer, or null outside the plot. */
  planeAt(clientX, clientY) {
    const box = this.#map.getBoundingClientRect();
    const u = (clientX - box.left) / box.width;
    const v = (clientY - box.top) / box.height;
    if (!(u >= 0 && u <= 1 && v >= 0 && v <= 1)) return null;
    return [PLANE.xMin + u * (PLANE.xMax - PLANE.xMin), PLANE.yMax - v * (PLANE.yMax - PLANE.yMin)];
  }

  /** Where a plane point is drawn, in px from the frame's top left corner. */
  pixelOf(x, y) {
    const [px, py] = this.#toPixel(x, y);
    return [px + this.#left, py];
  }

  /** Plane units per CSS pixel. */
  get unitsPerPixel() {
    return (PLANE.xMax - PLANE.xMin) / Math.max(1, this.#size);
  }

  /**
   * frame: { values, offset, res, discretize, showTest, preview }. The output
   * maps start at offset; preview (null or { name, offset, scale, values? })
   * names one neuron's map to show instead.
   */
  draw(frame) {
    if (!this.#data) return;
    if (frame.showTest !== this.#options.showTest) {
      this.#options.showTest = frame.showTest;
      this.#drawPoints();
    }
    const { values, offset, res, discretize, preview } = frame;
    const { classes, scale } = this.#data;
    if (preview) {
      const { ramp, lo, hi } = preview.scale;
      paintMap(this.#map, preview.values ?? values, preview.offset, preview.res ?? res, ramp.soft, lo, hi);
    } else if (classes > 2 || (classes === 2 && scale.softmax)) {
      paintClasses(this.#map, values, offset, res, classes, discretize);
    } else {
      const threshold = discretize ? (scale.lo + scale.hi) / 2 : null;
      paintMap(this.#map, values, offset, res, scale.ramp.soft, scale.lo, scale.hi, threshold);
    }
    // Written only when it changes: this runs every frame while training plays.
    if (this.#caption.hidden !== !preview) this.#caption.hidden = !preview;
    const caption = preview ? t('output.preview', { name: preview.name }) : '';
    if (preview && this.#caption.textContent !== caption) this.#caption.textContent = caption;
    this.#drawLegend(frame);
  }

  /** pick: null, or (index) => void called with the training point nearest a click (frame mode's probe). */
  setPickable(pick) {
    this.#pick = pick;
    this.#frame.classList.toggle('is-pickable', !!pick);
  }

  /** Rings the probe (a training index or null) and the current batch's training indices. */
  setMarks(probe, batch) {
    this.#marked = { probe, batch: [...batch] };
    this.#drawMarks();
  }

  #drawMarks() {
    const s = this.#size;
    this.#marks.setAttribute('width', s);
    this.#marks.setAttribute('height', s);
    this.#marks.style.left = `${this.#left}px`;
    const points = this.#data?.train.points;
    if (!points || !s) return this.#marks.replaceChildren();
    const ring = (i, r, cls) => {
      const [x, y] = this.#toPixel(points[2 * i], points[2 * i + 1]);
      return svg('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r, class: cls });
    };
    const { probe, batch } = this.#marked;
    const rings = batch.filter((i) => i < this.#data.train.labels.length).map((i) => ring(i, 6, 'mark-batch'));
    if (probe !== null && probe < this.#data.train.labels.length) rings.push(ring(probe, 9, 'mark-probe-halo'), ring(probe, 9, 'mark-probe'));
    this.#marks.replaceChildren(...rings);
  }

  #pickAt(e) {
    const points = this.#data?.train.points;
    if (!this.#pick || !points || this.drawing) return;
    const box = this.#map.getBoundingClientRect();
    const px = e.clientX - box.left, py = e.clientY - box.top;
    let best = -1, bestDistance = 14 * 14;  // within 14 px
    for (let i = 0; i < this.#data.train.labels.length; i++) {
      const [x, y] = this.#toPixel(points[2 * i], points[2 * i + 1]);
      const d = (x - px) ** 2 + (y - py) ** 2;
      if (d < bestDistance) [best, bestDistance] = [i, d];
    }
    if (best >= 0) this.#pick(best);
  }

  /** Keeps the plot within px (embed mode fits the frame), or null for the usual size. */
  setMaxSize(px) {
    const next = px === null ? MAX_SIZE : Math.max(120, Math.min(MAX_SIZE, Math.floor(px)));
    if (next === this.#maxSize) return;
    this.#maxSize = next;
    this.#resize();
  }

  retranslate() {
    this.#legendKey = '';
    this.#frame.setAttribute('aria-label', t('output.plot'));
    this.#drawAxes();
  }

  #resize(force = false) {
    const size = Math.max(120, Math.min(this.#maxSize, this.#root.clientWidth - this.#left - 2));
    if (size === this.#size && !force) return;
    this.#size = size;
    this.#frame.style.width = `${size + this.#left}px`;
    this.#frame.style.height = `${size + AXIS_BOTTOM}px`;
    this.#frame.style.setProperty('--plot-left', `${this.#left}px`);
    for (const canvas of [this.#map, this.#points]) {
      Object.assign(canvas.style, { left: `${this.#left}px`, top: '0px', width: `${size}px`, height: `${size}px` });
    }
    this.#drawAxes();
    this.#drawPoints();
    this.#drawMarks();
  }

  #toPixel(x, y) {
    const s = this.#size;
    return [((x - PLANE.xMin) / (PLANE.xMax - PLANE.xMin)) * s, ((PLANE.yMax - y) / (PLANE.yMax - PLANE.yMin)) * s];
  }

  #drawAxes() {
    const s = this.#size;
    if (!s) return;
    const left = this.#left;
    this.#frame.setAttribute('aria-label', t('output.plot'));
    this.#axes.setAttribute('width', s + left);
    this.#axes.setAttribute('height', s + AXIS_BOTTOM);
    this.#axes.replaceChildren();
    // Ticks sit at the data's own units when it has them (an imported file's, a formula's).
    for (const { at, text } of this.#ticks.x) {
      const x = left + this.#toPixel(at, 0)[0];
      const label = svg('text', { x, y: s + 15, 'text-anchor': 'middle', class: 'tick-label' });
      label.textContent = text;
      this.#axes.append(svg('line', { x1: x, x2: x, y1: s, y2: s + 4, class: 'tick' }), label);
    }
    for (const { at, text } of this.#ticks.y) {
      const py = this.#toPixel(0, at)[1];
      const label = svg('text', { x: left - 6, y: py + 3.5, 'text-anchor': 'end', class: 'tick-label' });
      label.textContent = text;
      this.#axes.append(svg('line', { x1: left - 4, x2: left, y1: py, y2: py, class: 'tick' }), label);
    }
    const frame = svg('rect', { x: left + 0.5, y: 0.5, width: s - 1, height: s - 1, class: 'plot-border' });
    this.#axes.append(frame);
  }

  #pointColor(label) {
    const { classes } = this.#data;
    if (classes === 0) return diverging.cssAt(label, -1, 1);
    return classColors(classes)[label];
  }

  #drawPoints() {
    if (!this.#data || !this.#size) return;
    const ctx = sizeCanvas(this.#points, this.#size, this.#size);
    ctx.clearRect(0, 0, this.#size, this.#size);
    const { classes } = this.#data;
    const r = this.#size < 240 ? 2.6 : 3.3;
    const layer = (split, stroke, width) => {
      const { points, labels } = split;
      ctx.lineWidth = width;
      ctx.strokeStyle = stroke;
      for (let i = 0; i < labels.length; i++) {
        const [x, y] = this.#toPixel(points[2 * i], points[2 * i + 1]);
        ctx.beginPath();
        traceMarker(ctx, classes > 2 ? labels[i] : 0, x, y, r);
        ctx.fillStyle = this.#pointColor(labels[i]);
        ctx.fill();
        ctx.stroke();
      }
    };
    // Regression points near 0 are as pale as the paper: a grey rim keeps them visible.
    layer(this.#data.train, classes === 0 ? 'rgba(29,35,42,0.4)' : 'rgba(255,255,255,0.95)', 1);
    if (this.#options.showTest) layer(this.#data.test, '#1d232a', 1.25);
  }

  #drawLegend(frame) {
    const { classes } = this.#data;
    const scale = frame.preview?.scale ?? this.#data.scale;
    const key = `${classes}|${scale.lo}|${scale.hi}|${scale.softmax}|${frame.showTest}|${!!frame.preview}|${document.documentElement.lang}`;
    const { classNames, value, axes } = this.#data;
    if (key === this.#legendKey) return;
    this.#legendKey = key;
    const items = [];
    if (classes >= 2) {
      for (let k = 0; k < classes; k++) {
        const color = classColors(classes)[k];
        const icon = svg('svg', { width: 14, height: 14, viewBox: '0 0 14 14', 'aria-hidden': 'true' });
        icon.append(svg('path', { d: markerPath(classes > 2 ? k : 0, 7, 7, 5), fill: color, stroke: '#1d232a', 'stroke-width': 0.6 }));
        // A file's own class names; else the course counts classes from 1, and a binary label y = 0 or 1 is named beside it.
        const name = classNames?.[k] ?? (classes === 2 ? t('legend.binaryClass', { n: k + 1, y: k }) : t('legend.class', { n: k + 1 }));
        items.push(h('span', { class: 'legend-item' }, icon, name));
      }
    }
    const rows = [h('div', { class: 'legend-row' }, items)];
    if (frame.preview || classes === 0 || (classes === 2 && !scale.softmax)) {
      const probability = !frame.preview && classes === 2 && scale.lo === 0;
      const title = probability ? t('legend.probability') : !frame.preview && value?.name ? value.name : t('legend.value');
      // A regression target shows in the label's own units.
      const unit = (v) => formatNumber(!frame.preview && value ? value.lo + ((v + 1) / 2) * (value.hi - value.lo) : v);
      rows.push(h('div', { class: 'legend-scale' },
        h('span', { class: 'legend-scale-title', text: title }),
        h('span', { class: 'legend-bar', 'aria-hidden': 'true', style: `background:linear-gradient(to right,${[0, 128, 255].map((i) => scale.ramp.soft.css[i]).join(',')})` }),
        h('span', { class: 'legend-ticks' },
          h('span', { text: unit(scale.lo) }),
          h('span', { text: unit((scale.lo + scale.hi) / 2) }),
          h('span', { text: unit(scale.hi) }))));
    }
    if (axes && (axes.x.name || axes.y.name)) {
      rows.push(h('div', { class: 'legend-row legend-note legend-axes' },
        h('span', { text: t('legend.axes', { x: axes.x.name || '–', y: axes.y.name || '–' }) })));
    }
    if (frame.showTest) {
      rows.push(h('div', { class: 'legend-row legend-note' },
        h('span', { class: 'legend-item' }, h('span', { class: 'dot dot-train', 'aria-hidden': 'true' }), t('legend.train')),
        h('span', { class: 'legend-item' }, h('span', { class: 'dot dot-test', 'aria-hidden': 'true' }), t('legend.test'))));
    }
    this.#legend.replaceChildren(...rows);
  }
}

/**
 * The axes' ticks as { at (plane), text }: the plane's −6 … 6 by 2, or for data with units
 * (axes: { x, y } with plane = a · v + b) about five round values of its own across the plane.
 */
export function axisTicks(axes) {
  const plane = TICKS.map((v) => ({ at: v, text: formatNumber(v) }));
  if (!axes) return { x: plane, y: plane };
  const along = ({ a, b }) => {
    const lo = Math.min((PLANE.xMin - b) / a, (PLANE.xMax - b) / a);
    const hi = Math.max((PLANE.xMin - b) / a, (PLANE.xMax - b) / a);
    const raw = (hi - lo) / 5;
    const power = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((m) => m * power).find((m) => m >= raw);
    const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    const ticks = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
      const text = Math.abs(v) >= 1e4 ? `${Number((v / 1000).toPrecision(3))}k` : (Math.abs(v) < step / 2 ? 0 : v).toFixed(digits);
      ticks.push({ at: a * v + b, text: text.replace('-', '−') });
    }
    return ticks;
  };
  return { x: along(axes.x), y: along(axes.y) };
}
