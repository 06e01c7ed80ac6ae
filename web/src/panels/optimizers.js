// The optimizer race: SGD, Momentum, Nesterov, AdaGrad, RMSProp and Adam
// start from one point on a 2-D loss surface and are moved by the engine's own
// optimizer code (lab.descendSurface). The panel draws their paths on a
// contour map of lab.surfaceGrid, steps or plays through them, and shows each
// optimizer's state: velocity, squared-gradient sum or average, Adam's
// bias-corrected moments and the effective learning rate.
import { h, pixelRatio, sizeCanvas } from '../dom.js';
import { formatNumber, t } from '../i18n/index.js';
import { numText } from '../stepper/tex.js';
import { parseValue } from '../state.js';
import { linearTicks, Plot, traceShape } from './plot.js';
import { chips, panelHead, SERIES_COLORS, SERIES_SHAPES, slider, Player } from './ui.js';

/** A racer's learning rate: above 0, at most 10. */
const RATE = { type: 'number', min: Number.MIN_VALUE, max: 10 };

const RACERS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'];
/**
 * Learning rates that make each surface's story visible: on the valley SGD zig-zags across
 * the steep direction, Momentum damps it, AdaGrad's rate shrinks; on the saddle SGD lingers;
 * on Rosenbrock's curved valley the adaptive methods turn the corner.
 */
const RATES = {
  valley: { sgd: 0.09, momentum: 0.01, nesterov: 0.01, adagrad: 1, rmsprop: 0.1, adam: 0.3 },
  saddle: { sgd: 0.05, momentum: 0.02, nesterov: 0.02, adagrad: 0.5, rmsprop: 0.05, adam: 0.1 },
  rosenbrock: { sgd: 0.001, momentum: 0.001, nesterov: 0.001, adagrad: 0.5, rmsprop: 0.01, adam: 0.05 },
};
const STEPS = { valley: 150, saddle: 100, rosenbrock: 500 };
const SURFACES = ['valley', 'saddle', 'rosenbrock'];
const CONTOUR_RES = 140;
const LEVELS = 14;
const HYPER = { momentum: { momentum: 0.9 }, nesterov: { momentum: 0.9 }, rmsprop: { alpha: 0.9 } };
const vec = (v) => (v ? `(${numText(v[0])}, ${numText(v[1])})` : '–');  // 4 significant digits each

export class OptimizersPanel {
  #lab;
  #head = panelHead();
  #surface = null;
  #view;
  #start;
  #rates = {};
  #visible = new Set(RACERS);
  #paths = new Map();
  #step = 0;
  #stepAxis = new Float64Array(1);  // 0, 1, … steps: the charts' x
  #steps = 0;
  #player = new Player({ step: () => this.#go(this.#step + 1), done: () => this.#step >= this.#steps, rewind: () => { if (this.#step >= this.#steps) this.#step = 0; } });
  #coordinate = 0;
  #contour = null;
  #layer = null;
  #layerKey = '';
  #levels = [];
  #map;
  #mapBox;
  #mapFrame = null;
  #rows = new Map();
  #list = h('div', { class: 'race-list' });
  #surfaceChips;
  #coordChips;
  #scrub;
  #buttons;
  #valuePlot;
  #lrPlot;
  #labels = {};

  constructor(root, { lab, update }) {
    this.root = root;
    this.#lab = lab;
    this.#surfaceChips = chips(SURFACES, (name) => update({ surface: name }));
    this.#coordChips = chips(['0', '1'], (k) => { this.#coordinate = Number(k); this.#drawCharts(); });
    this.#buttons = {
      play: this.#player.button,
      step: h('button', { type: 'button', class: 'text-button panel-step', onclick: () => { this.#player.pause(); this.#go(this.#step + 1); } }),
      reset: h('button', { type: 'button', class: 'text-button panel-reset', onclick: () => { this.#player.pause(); this.#go(0); } }),
      restart: h('button', { type: 'button', class: 'text-button', onclick: () => { this.#start = [...this.#view.start]; this.#compute(); } }),
    };
    this.#scrub = slider({ id: 'race-step', min: 0, max: 100, step: 1, value: 0, digits: 0, onInput: (k) => { this.#player.pause(); this.#go(k); } });
    this.#map = h('canvas', { class: 'race-map', role: 'img' });
    this.#mapBox = h('div', { class: 'race-map-box' }, this.#map);
    this.#map.addEventListener('pointerdown', (e) => this.#pickStart(e));
    new ResizeObserver(() => { if (this.#surface) this.#drawMap(); }).observe(this.#mapBox);
    this.#valuePlot = new Plot(h('div'), { height: 190 });
    this.#lrPlot = new Plot(h('div'), { height: 190 });
    for (const key of ['surface', 'hint', 'charts', 'coordinate']) this.#labels[key] = h('span', { class: key === 'charts' ? 'panel-subtitle' : 'field-label' });
    for (const name of RACERS) this.#rows.set(name, this.#buildRow(name));
    this.#list.append(...[...this.#rows.values()].map((r) => r.el));
    root.append(
      this.#head.el,
      h('div', { class: 'panel-toolbar' },
        h('div', { class: 'field' }, this.#labels.surface, this.#surfaceChips.el),
        this.#buttons.play, this.#buttons.step, this.#buttons.reset,
        this.#scrub.el),
      h('div', { class: 'panel-main race-main' },
        h('div', { class: 'panel-figure' },
          this.#mapBox,
          h('p', { class: 'hint race-hint' }, this.#labels.hint, ' ', this.#buttons.restart),
          h('div', { class: 'race-charts-head' }, this.#labels.charts, h('div', { class: 'field field-row' }, this.#labels.coordinate, this.#coordChips.el)),
          h('div', { class: 'race-charts' }, this.#valuePlot.canvas.parentElement, this.#lrPlot.canvas.parentElement)),
        h('div', { class: 'panel-side race-side' }, this.#list)));
  }

  show(state) {
    this.sync(state);
  }

  hide() {
    this.#player.pause();
  }

  sync(state) {
    if (state.surface === this.#surface) return;
    this.#player.pause();
    this.#surface = state.surface;
    this.#view = this.#lab.surfaceView(this.#surface);
    this.#start = [...this.#view.start];
    this.#rates = { ...RATES[this.#surface] };
    this.#steps = STEPS[this.#surface];
    this.#contour = null;
    this.#layerKey = '';
    this.#surfaceChips.select(this.#surface);
    for (const [name, row] of this.#rows) row.lr.value = String(this.#rates[name]);
    this.#compute();
  }

  retranslate() {
    this.#head.retranslate('race.title', 'race.intro');
    this.#surfaceChips.label((name) => t(`race.surface.${name}`));
    this.#coordChips.label((k) => (k === '0' ? 'w₁' : 'w₂'));
    this.#labels.surface.textContent = t('race.surface');
    this.#labels.hint.textContent = t('race.hint');
    this.#labels.charts.textContent = t('race.charts');
    this.#labels.coordinate.textContent = t('race.coordinate');
    this.#buttons.step.textContent = t('race.stepOne');
    this.#buttons.reset.textContent = t('race.rewind');
    this.#buttons.restart.textContent = t('race.defaultStart');
    this.#scrub.retranslate(t('race.scrub'));
    for (const [name, row] of this.#rows) row.retranslate(name);
    this.#player.retranslate();
    for (const row of this.#rows.values()) row.keys = null;  // their terms are written again in this language
    if (this.#surface) this.#render();
  }

  /** The optimizer config the engine gets: torch's names and this panel's rate. */
  config(name) {
    return { name, lr: this.#rates[name], ...HYPER[name] };
  }

  #buildRow(name) {
    const k = RACERS.indexOf(name);
    const check = h('input', { type: 'checkbox', checked: true });
    check.addEventListener('change', () => {
      if (check.checked) this.#visible.add(name);
      else this.#visible.delete(name);
      this.#render();
    });
    const swatch = h('canvas', { class: 'race-swatch', 'aria-hidden': 'true' });
    const ctx = sizeCanvas(swatch, 16, 16);
    ctx.fillStyle = SERIES_COLORS[k];
    ctx.beginPath();
    traceShape(ctx, SERIES_SHAPES[k], 8, 8, 5);
    ctx.fill();
    const title = h('span', { class: 'race-name' });
    const lrLabel = h('span', { class: 'field-label' });
    const lr = h('input', { type: 'text', inputmode: 'decimal', class: 'race-lr', autocomplete: 'off', spellcheck: 'false' });
    lr.addEventListener('change', () => {
      const { value, reason } = parseValue(RATE, lr.value.trim());
      if (reason) {
        lr.setAttribute('aria-invalid', 'true');
        return;
      }
      lr.removeAttribute('aria-invalid');
      this.#rates[name] = value;
      this.#compute(this.#step);
    });
    const where = h('p', { class: 'race-where mono' });
    const state = h('dl', { class: 'race-state' });
    const el = h('div', { class: 'race-row', dataset: { optimizer: name } },
      h('label', { class: 'race-title' }, check, swatch, title),
      h('label', { class: 'race-lr-field' }, lrLabel, lr),
      where, state);
    return {
      el, check, lr, where, state,
      retranslate: () => {
        title.textContent = t(`option.optimizer.${name}`);
        lrLabel.textContent = t('race.lr');
        lr.setAttribute('aria-label', t('race.lrOf', { name: t(`option.optimizer.${name}`) }));
      },
    };
  }

  /** Runs every optimizer from the start for the surface's number of steps, with the engine. */
  /** The whole race at once, with what every frame reads from it (the rates by step, the configs). */
  #compute(keepStep = 0) {
    this.#stepAxis = Float64Array.from({ length: this.#steps + 1 }, (_, i) => i);
    for (const name of RACERS) {
      const path = this.#lab.descendSurface(this.#surface, this.config(name), this.#start, this.#steps);
      // The effective rate of w₁ and of w₂ at each step (none before the first).
      path.rates = [0, 1].map((c) => Float64Array.from(path.states, (s, i) => (i === 0 ? NaN : s.effectiveLr?.[c] ?? this.#rates[name])));
      this.#paths.set(name, path);
      this.#rows.get(name).el.dataset.config = JSON.stringify(this.config(name));
    }
    this.#list.dataset.surface = this.#surface;
    this.#list.dataset.start = JSON.stringify(this.#start);
    this.#scrub.input.max = String(this.#steps);
    this.#go(Math.min(keepStep, this.#steps));
  }

  #go(step) {
    this.#step = Math.max(0, Math.min(this.#steps, step));
    this.#scrub.set(this.#step);
    this.#render();
  }

  #render() {
    this.#drawMap();
    this.#drawRows();
    this.#drawCharts();
  }

  /** Index of the point shown at the current step: the last one a diverged path reached. */
  #at(path) {
    return Math.min(this.#step, path.x.length - 1);
  }

  #drawRows() {
    for (const [name, row] of this.#rows) {
      const path = this.#paths.get(name);
      const i = this.#at(path);
      const s = path.states[i];
      row.el.dataset.x = String(path.x[i]);
      row.el.dataset.y = String(path.y[i]);
      row.el.dataset.step = String(i);
      row.el.classList.toggle('is-off', !this.#visible.has(name));
      row.where.textContent = `${t('race.position')} (${formatNumber(path.x[i], 3)}, ${formatNumber(path.y[i], 3)}) · f = ${formatNumber(path.value[i], 4)}`
        + (path.diverged && i < this.#step ? ` · ${t('race.diverged', { step: i })}` : '');
      const items = [['race.gradient', vec([path.gradX[i], path.gradY[i]])]];
      if (s.momentumBuffer) items.push(['race.velocity', vec(s.momentumBuffer)]);
      if (s.sum) items.push(['race.sum', vec(s.sum)]);
      if (s.squareAvg) items.push(['race.squareAvg', vec(s.squareAvg)]);
      if (s.mHat) items.push(['race.mHat', vec(s.mHat)]);
      if (s.vHat) items.push(['race.vHat', vec(s.vHat)]);
      items.push(['race.effectiveLr', vec(s.effectiveLr ?? [this.#rates[name], this.#rates[name]])]);
      // The same terms as last frame (the usual case while playing): only their numbers change.
      const keys = items.map(([key]) => key).join();
      if (row.keys !== keys) {
        row.keys = keys;
        row.values = items.map(() => h('dd', { class: 'mono' }));
        row.state.replaceChildren(...items.flatMap(([key], k) => [h('dt', { text: t(key) }), row.values[k]]));
      }
      items.forEach(([, text], k) => { row.values[k].textContent = text; });
    }
  }

  // ---- the contour map ----------------------------------------------------------------

  #mapSize() {
    const width = Math.max(260, this.#mapBox.clientWidth);
    const height = Math.round(Math.min(440, Math.max(220, width * 0.62)));
    return { width, height };
  }

  /** The surface's values on a grid and quantile levels for its contours (once per surface). */
  #ensureContour() {
    if (this.#contour) return;
    const v = this.#view;
    const values = this.#lab.surfaceGrid(this.#surface, CONTOUR_RES, v.xMin, v.xMax, v.yMin, v.yMax);
    const sorted = Float64Array.from(values).sort();
    this.#levels = Array.from({ length: LEVELS }, (_, i) => sorted[Math.floor(((i + 0.5) / LEVELS) * sorted.length)]);
    this.#contour = values;
  }

  #drawMap() {
    if (!this.#paths.size) return;
    this.#ensureContour();
    const { width, height } = this.#mapSize();
    const ctx = sizeCanvas(this.#map, width, height);
    const pad = { left: 38, right: 8, top: 8, bottom: 34 };
    const w = width - pad.left - pad.right;
    const hgt = height - pad.top - pad.bottom;
    const v = this.#view;
    const px = (x) => pad.left + ((x - v.xMin) / (v.xMax - v.xMin)) * w;
    const py = (y) => pad.top + ((v.yMax - y) / (v.yMax - v.yMin)) * hgt;
    this.#mapFrame = { pad, w, hgt };
    ctx.clearRect(0, 0, width, height);
    ctx.drawImage(this.#contourLayer(width, height, pad, w, hgt), 0, 0, width, height);
    ctx.save();
    ctx.beginPath();
    ctx.rect(pad.left, pad.top, w, hgt);
    ctx.clip();
    // The minimum (the saddle point on the saddle) and the start.
    ctx.strokeStyle = '#1d232a';
    ctx.lineWidth = 2;
    const [mx, my] = [px(v.minimum[0]), py(v.minimum[1])];
    ctx.beginPath();
    ctx.moveTo(mx - 6, my - 6); ctx.lineTo(mx + 6, my + 6);
    ctx.moveTo(mx + 6, my - 6); ctx.lineTo(mx - 6, my + 6);
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(px(this.#start[0]), py(this.#start[1]), 6, 0, 2 * Math.PI);
    ctx.stroke();
    RACERS.forEach((name, k) => {
      if (!this.#visible.has(name)) return;
      const path = this.#paths.get(name);
      const last = this.#at(path);
      ctx.strokeStyle = SERIES_COLORS[k];
      ctx.lineWidth = 2;
      ctx.lineJoin = 'round';
      ctx.beginPath();
      for (let i = 0; i <= last; i++) {
        const x = clampPx(px(path.x[i]));
        const y = clampPx(py(path.y[i]));
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.stroke();
      ctx.fillStyle = SERIES_COLORS[k];
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      traceShape(ctx, SERIES_SHAPES[k], px(path.x[last]), py(path.y[last]), 6);
      ctx.fill();
      ctx.stroke();
    });
    ctx.restore();
    this.#drawMapAxes(ctx, px, py, pad, w, hgt, height);
    this.#map.setAttribute('aria-label', t('race.mapLabel', { surface: t(`race.surface.${this.#surface}`), step: this.#step }));
  }

  /** The filled contours and their lines, painted once per surface and size, then reused every frame. */
  #contourLayer(width, height, pad, w, hgt) {
    const ratio = pixelRatio();
    const key = `${this.#surface}|${width}|${height}|${ratio}`;
    if (this.#layerKey === key) return this.#layer;
    this.#layer ??= document.createElement('canvas');
    this.#layer.width = Math.round(width * ratio);
    this.#layer.height = Math.round(height * ratio);
    const ctx = this.#layer.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    this.#paintContour(ctx, pad.left, pad.top, w, hgt);
    this.#layerKey = key;
    return this.#layer;
  }

  #paintContour(ctx, left, top, w, hgt) {
    const res = CONTOUR_RES;
    const band = new Uint8Array(res * res);
    for (let i = 0; i < band.length; i++) {
      let b = 0;
      while (b < LEVELS && this.#contour[i] > this.#levels[b]) b += 1;
      band[i] = b;
    }
    const image = new ImageData(res, res);
    for (let i = 0; i < band.length; i++) {
      // Low values darker blue-grey, high values near white.
      const f = band[i] / LEVELS;
      image.data[4 * i] = Math.round(190 + 62 * f);
      image.data[4 * i + 1] = Math.round(208 + 45 * f);
      image.data[4 * i + 2] = Math.round(224 + 31 * f);
      image.data[4 * i + 3] = 255;
    }
    const tile = document.createElement('canvas');
    tile.width = res;
    tile.height = res;
    tile.getContext('2d').putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(tile, left, top, w, hgt);
    // Contour lines: the edges between bands, by marching squares on cell centres.
    const cw = w / res, ch = hgt / res;
    ctx.strokeStyle = 'rgba(60, 90, 115, 0.45)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const level of this.#levels) {
      for (let r = 0; r < res - 1; r++) {
        for (let c = 0; c < res - 1; c++) {
          const a = this.#contour[r * res + c], b = this.#contour[r * res + c + 1];
          const d = this.#contour[(r + 1) * res + c], e = this.#contour[(r + 1) * res + c + 1];
          const cross = [];
          const edge = (v0, v1, x0, y0, x1, y1) => {
            if ((v0 > level) === (v1 > level)) return;
            const f = (level - v0) / (v1 - v0);
            cross.push([x0 + (x1 - x0) * f, y0 + (y1 - y0) * f]);
          };
          edge(a, b, c, r, c + 1, r);
          edge(b, e, c + 1, r, c + 1, r + 1);
          edge(d, e, c, r + 1, c + 1, r + 1);
          edge(a, d, c, r, c, r + 1);
          for (let k = 0; k + 1 < cross.length; k += 2) {
            ctx.moveTo(left + (cross[k][0] + 0.5) * cw, top + (cross[k][1] + 0.5) * ch);
            ctx.lineTo(left + (cross[k + 1][0] + 0.5) * cw, top + (cross[k + 1][1] + 0.5) * ch);
          }
        }
      }
    }
    ctx.stroke();
  }

  #drawMapAxes(ctx, px, py, pad, w, hgt, height) {
    const v = this.#view;
    ctx.strokeStyle = '#8a939c';
    ctx.lineWidth = 1;
    ctx.strokeRect(pad.left + 0.5, pad.top + 0.5, w - 1, hgt - 1);
    ctx.fillStyle = '#4b5561';
    ctx.font = '11px system-ui, "Noto Sans KR", NanumGothic, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const x of linearTicks(v.xMin, v.xMax, Math.max(3, Math.floor(w / 70)))) ctx.fillText(formatNumber(x, 2), px(x), pad.top + hgt + 4);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const y of linearTicks(v.yMin, v.yMax, 4)) ctx.fillText(formatNumber(y, 2), pad.left - 5, py(y));
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText('w₁', pad.left + w / 2, height - 2);
    ctx.save();
    ctx.translate(10, pad.top + hgt / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    ctx.fillText('w₂', 0, 0);
    ctx.restore();
  }

  /** A press on the map moves the start there and runs the race again. */
  #pickStart(e) {
    const f = this.#mapFrame;
    if (!f) return;
    const box = this.#map.getBoundingClientRect();
    const fx = (e.clientX - box.left - f.pad.left) / f.w;
    const fy = (e.clientY - box.top - f.pad.top) / f.hgt;
    if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return;
    const v = this.#view;
    const round = (x) => Math.round(x * 100) / 100;
    this.#player.pause();
    this.#start = [round(v.xMin + fx * (v.xMax - v.xMin)), round(v.yMax - fy * (v.yMax - v.yMin))];
    this.#compute();
  }

  // ---- charts ------------------------------------------------------------------------

  #drawCharts() {
    if (!this.#paths.size) return;
    const last = this.#step;
    const shown = RACERS.filter((name) => this.#visible.has(name));
    const saddle = this.#surface === 'saddle';
    // Views on the whole race computed once, cut at the step shown: nothing is copied per frame.
    const series = (pick) => shown.map((name) => {
      const path = this.#paths.get(name);
      const n = Math.min(last, path.x.length - 1) + 1;
      return { x: this.#stepAxis.subarray(0, n), y: pick(path).subarray(0, n), color: SERIES_COLORS[RACERS.indexOf(name)], width: 2 };
    });
    const legend = shown.map((name) => ({ text: t(`option.optimizer.${name}`), color: SERIES_COLORS[RACERS.indexOf(name)] }));
    const values = series((path) => path.value);
    this.#valuePlot.draw({
      label: t('race.valueLabel'),
      x: { min: 0, max: this.#steps, title: t('race.stepAxis') },
      y: saddle ? { min: -10, max: 10, title: t('race.valueAxis') } : { ...logRange(values), log: true, title: t('race.valueAxis') },
      series: values,
      legend,
    });
    const c = this.#coordinate;
    const rates = series((path) => path.rates[c]);
    this.#lrPlot.draw({
      label: t('race.lrLabel'),
      x: { min: 0, max: this.#steps, title: t('race.stepAxis') },
      y: { ...logRange(rates), log: true, title: t('race.lrAxis', { w: c === 0 ? 'w₁' : 'w₂' }) },
      series: rates,
      legend,
    });
    this.#coordChips.select(String(c));
  }
}

/** Keeps far-away points drawable: the canvas still shows their direction. */
const clampPx = (v) => Math.max(-1e4, Math.min(1e4, v));

/** Whole decades around the positive values of the series. */
function logRange(series) {
  let lo = Infinity, hi = 0;
  for (const s of series) {
    for (const v of s.y) {
      if (v > 0 && v < lo) lo = v;
      if (v > hi && Number.isFinite(v)) hi = v;
    }
  }
  if (!(hi > 0)) return { min: 1e-3, max: 1 };
  lo = Math.max(lo, hi * 1e-12);
  // A little room beyond each end, so a line at an exact power of ten is not on the frame.
  const min = 10 ** Math.floor(Math.log10(lo) - 0.05);
  const max = 10 ** Math.ceil(Math.log10(hi) + 0.05);
  return { min, max: max > min ? max : min * 10 };
}
