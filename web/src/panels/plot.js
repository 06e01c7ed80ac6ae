// An x–y chart on a canvas for the course panels: axes with ticks and titles,
// linear or log scales, lines, shaded bands, reference lines, markers and an
// HTML legend. It draws the numbers it is given (every one from the engine)
// and redraws itself when its box changes size.
import { h, sizeCanvas } from '../dom.js';
import { formatNumber, superscript } from '../i18n/index.js';
import { traceMarker } from '../views/markers.js';

const FONT = '11px system-ui, "Noto Sans KR", NanumGothic, sans-serif';
const TEXT = '#4b5561';
const GRID = '#e3e6e9';
const AXIS = '#8a939c';

/** Shape index of traceMarker by name. */
const SHAPES = { circle: 0, square: 1, triangle: 2, diamond: 3, cross: 4 };

/** Traces a marker on a canvas path: the class markers' shapes, and a five-pointed star. */
export function traceShape(ctx, shape, x, y, r) {
  if (shape !== 'star') {
    traceMarker(ctx, SHAPES[shape] ?? 0, x, y, r);
    return;
  }
  for (let i = 0; i < 10; i++) {
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    const radius = i % 2 ? r * 0.55 : r * 1.3;
    const px = x + radius * Math.cos(angle), py = y + radius * Math.sin(angle);
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  }
  ctx.closePath();
}

/** About `count` round tick values covering [lo, hi]. */
export function linearTicks(lo, hi, count = 5) {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return ticks;
}

/** Powers of ten covering [lo, hi] (lo > 0), thinned to at most 7. */
function logTicks(lo, hi) {
  const first = Math.ceil(Math.log10(lo) - 1e-9);
  const last = Math.floor(Math.log10(hi) + 1e-9);
  const every = Math.max(1, Math.ceil((last - first + 1) / 7));
  const ticks = [];
  for (let e = first; e <= last; e += every) ticks.push(10 ** e);
  return ticks;
}

const logLabel = (v) => {
  const e = Math.round(Math.log10(v));
  if (e >= -2 && e <= 3) return formatNumber(v, 3);
  return `10${superscript(e)}`;
};

function scale(axis, from, to) {
  if (axis.log) {
    const a = Math.log10(axis.min), b = Math.log10(axis.max);
    return (v) => from + ((Math.log10(v) - a) / (b - a)) * (to - from);
  }
  return (v) => from + ((v - axis.min) / (axis.max - axis.min)) * (to - from);
}

function invert(axis, from, to) {
  if (axis.log) {
    const a = Math.log10(axis.min), b = Math.log10(axis.max);
    return (p) => 10 ** (a + ((p - from) / (to - from)) * (b - a));
  }
  return (p) => axis.min + ((p - from) / (to - from)) * (axis.max - axis.min);
}

export class Plot {
  #root;
  #canvas;
  #legend;
  #height;
  #width = null;
  #spec = null;
  #frame = null;
  #onPick = null;

  /**
   * root: the element to fill; height: canvas height in CSS pixels;
   * onPick(x, y): called with data coordinates while the chart is pressed or dragged.
   */
  constructor(root, { height = 240, onPick = null } = {}) {
    this.#root = root;
    this.#height = height;
    this.#onPick = onPick;
    this.#canvas = h('canvas', { class: 'plot-canvas', role: 'img' });
    this.#legend = h('div', { class: 'plot-legend' });
    root.classList.add('plot');
    root.append(this.#canvas, this.#legend);
    if (onPick) this.#bindPointer();
    // The width is read here, after layout, not on every draw (panels redraw every frame while playing).
    new ResizeObserver(() => {
      this.#width = root.clientWidth;
      if (this.#spec) this.draw(this.#spec);
    }).observe(root);
  }

  get canvas() {
    return this.#canvas;
  }

  /**
   * spec: {
   *   label: accessible description,
   *   x: { min, max, title, log, ticks?, format? }, y: { min, max, title, log, format? },
   *   series: [{ x, y, color, width?, dash? }], bands: [{ x0, x1, color }],
   *   hlines / vlines: [{ y | x, color, dash? }], markers: [{ x, y, color, shape?, size?, text? }],
   *   legend: [{ text, color, kind: 'line' | 'dash' | 'band' | 'marker', shape? }]
   * }
   */
  draw(spec) {
    this.#spec = spec;
    this.#canvas.setAttribute('aria-label', spec.label ?? '');
    const width = Math.max(160, this.#width ?? this.#root.clientWidth);
    const height = this.#height;
    const ctx = sizeCanvas(this.#canvas, width, height);
    ctx.clearRect(0, 0, width, height);
    ctx.font = FONT;
    const { x: xAxis, y: yAxis } = spec;
    const yTicks = yAxis.ticks ?? (yAxis.log ? logTicks(yAxis.min, yAxis.max) : linearTicks(yAxis.min, yAxis.max, height < 180 ? 3 : 5));
    const yText = yAxis.format ?? (yAxis.log ? logLabel : (v) => formatNumber(v, 4));
    const labelWidth = Math.max(...yTicks.map((v) => ctx.measureText(yText(v)).width));
    const left = Math.ceil(labelWidth) + (yAxis.title ? 26 : 10);
    const right = 12;
    const top = 10;
    const bottom = xAxis.title ? 36 : 20;
    const plotW = width - left - right;
    const plotH = height - top - bottom;
    const px = scale(xAxis, left, left + plotW);
    const py = scale(yAxis, top + plotH, top);
    this.#frame = { left, top, plotW, plotH, x: invert(xAxis, left, left + plotW), y: invert(yAxis, top + plotH, top) };
    const xTicks = xAxis.ticks ?? (xAxis.log ? logTicks(xAxis.min, xAxis.max) : linearTicks(xAxis.min, xAxis.max, Math.max(3, Math.floor(plotW / 70))));
    const xText = xAxis.format ?? (xAxis.log ? logLabel : (v) => formatNumber(v, 4));

    // Grid and tick labels.
    ctx.strokeStyle = GRID;
    ctx.lineWidth = 1;
    ctx.fillStyle = TEXT;
    ctx.beginPath();
    for (const v of yTicks) {
      const y = Math.round(py(v)) + 0.5;
      ctx.moveTo(left, y);
      ctx.lineTo(left + plotW, y);
    }
    for (const v of xTicks) {
      const x = Math.round(px(v)) + 0.5;
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + plotH);
    }
    ctx.stroke();
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of yTicks) ctx.fillText(yText(v), left - 5, py(v));
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const v of xTicks) {
      // A label that would spill past the canvas edge is aligned to it instead.
      const text = xText(v);
      const half = ctx.measureText(text).width / 2;
      const x = px(v);
      ctx.textAlign = x + half > width ? 'right' : x - half < 0 ? 'left' : 'center';
      ctx.fillText(text, ctx.textAlign === 'right' ? width : ctx.textAlign === 'left' ? 0 : x, top + plotH + 4);
    }
    ctx.textAlign = 'center';

    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, plotW, plotH);
    ctx.clip();
    for (const band of spec.bands ?? []) {
      ctx.fillStyle = band.color;
      const x0 = px(Math.max(xAxis.min, band.x0));
      const x1 = px(Math.min(xAxis.max, band.x1));
      ctx.fillRect(x0, top, x1 - x0, plotH);
    }
    for (const line of spec.hlines ?? []) this.#rule(ctx, line, left, left + plotW, py(line.y), py(line.y));
    for (const line of spec.vlines ?? []) this.#rule(ctx, line, px(line.x), px(line.x), top, top + plotH);
    for (const s of spec.series ?? []) this.#line(ctx, s, px, py, yAxis.log);
    ctx.restore();
    for (const m of spec.markers ?? []) this.#marker(ctx, m, px, py, { left, top, plotW, plotH });

    // Axes and their titles.
    ctx.strokeStyle = AXIS;
    ctx.beginPath();
    ctx.moveTo(left + 0.5, top);
    ctx.lineTo(left + 0.5, top + plotH + 0.5);
    ctx.lineTo(left + plotW, top + plotH + 0.5);
    ctx.stroke();
    ctx.fillStyle = TEXT;
    if (xAxis.title) {
      ctx.textAlign = 'center';
      ctx.textBaseline = 'bottom';
      ctx.fillText(xAxis.title, left + plotW / 2, height - 2);
    }
    if (yAxis.title) {
      ctx.save();
      ctx.translate(11, top + plotH / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(yAxis.title, 0, 0);
      ctx.restore();
    }
    this.#drawLegend(spec.legend ?? []);
  }

  #rule(ctx, line, x0, x1, y0, y1) {
    ctx.strokeStyle = line.color;
    ctx.lineWidth = line.width ?? 1;
    ctx.setLineDash(line.dash ? [4, 3] : []);
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.stroke();
    ctx.setLineDash([]);
  }

  #line(ctx, s, px, py, logY) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = s.width ?? 2;
    ctx.lineJoin = 'round';
    ctx.setLineDash(s.dash ? [6, 4] : []);
    ctx.beginPath();
    let pen = false;
    let drawn = 0;
    for (let i = 0; i < s.x.length; i++) {
      const yv = s.y[i];
      if (!Number.isFinite(yv) || (logY && yv <= 0)) {
        pen = false;
        continue;
      }
      // Far outside the frame a point is pulled in, so the clip still draws the line's direction.
      const x = px(s.x[i]);
      const y = Math.max(-1e4, Math.min(1e4, py(yv)));
      if (pen && s.step) ctx.lineTo(x, py(s.y[i - 1]));
      if (pen) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      pen = true;
      drawn += 1;
    }
    ctx.stroke();
    ctx.setLineDash([]);
    // A series of one point (the first epoch) is a dot, not an invisible line.
    if (drawn === 1) {
      const i = s.y.findIndex((v) => Number.isFinite(v) && (!logY || v > 0));
      ctx.fillStyle = s.color;
      ctx.beginPath();
      ctx.arc(px(s.x[i]), py(s.y[i]), (s.width ?? 2) + 1, 0, 2 * Math.PI);
      ctx.fill();
    }
  }

  #marker(ctx, m, px, py, box) {
    const x = px(m.x);
    const y = py(m.y);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    if (x < box.left - 1 || x > box.left + box.plotW + 1 || y < box.top - 1 || y > box.top + box.plotH + 1) return;
    ctx.fillStyle = m.color;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    traceShape(ctx, m.shape ?? 'circle', x, y, m.size ?? 5);
    ctx.fill();
    ctx.stroke();
    if (!m.text) return;
    ctx.fillStyle = '#1d232a';
    ctx.textBaseline = 'bottom';
    const w = ctx.measureText(m.text).width;
    const right = x + 8 + w > box.left + box.plotW;
    ctx.textAlign = right ? 'right' : 'left';
    ctx.fillText(m.text, right ? x - 8 : x + 8, Math.max(box.top + 14, y - 4));
  }

  #drawLegend(items) {
    this.#legend.replaceChildren(...items.map((item) => {
      const swatch = h('span', { class: `plot-swatch plot-swatch-${item.kind ?? 'line'}`, 'aria-hidden': 'true' });
      swatch.style.setProperty('--swatch', item.color);
      if (item.kind === 'marker') swatch.dataset.shape = item.shape ?? 'circle';
      return h('span', { class: 'plot-key' }, swatch, item.text);
    }));
    this.#legend.hidden = items.length === 0;
  }

  #bindPointer() {
    const pick = (e) => {
      const f = this.#frame;
      if (!f) return;
      const box = this.#canvas.getBoundingClientRect();
      const cx = Math.max(f.left, Math.min(f.left + f.plotW, e.clientX - box.left));
      const cy = Math.max(f.top, Math.min(f.top + f.plotH, e.clientY - box.top));
      this.#onPick(f.x(cx), f.y(cy));
    };
    this.#canvas.addEventListener('pointerdown', (e) => {
      this.#canvas.setPointerCapture(e.pointerId);
      pick(e);
    });
    this.#canvas.addEventListener('pointermove', (e) => { if (this.#canvas.hasPointerCapture(e.pointerId)) pick(e); });
  }
}
