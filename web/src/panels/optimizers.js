// The optimizer race: SGD, Momentum, Nesterov, AdaGrad, RMSProp and Adam
// start from one point on a 2-D loss surface and are moved by the engine's own
// optimizer code (lab.descendSurface). The panel draws their paths on a
// contour map of lab.surfaceGrid, steps or plays through them, and shows each
// optimizer's state: velocity, squared-gradient sum or average, Adam's
// bias-corrected moments and the effective learning rate.
//
// With gradient noise on, each step's gradient is the surface's plus a seeded
// normal draw, as a random mini-batch's gradient differs from the full one:
// SGD's path turns jagged, and keeps jittering near the minimum, while
// Momentum's running average smooths the draws out.
// The engine's race has no noise, so the page adds it: each racer is then a
// trainer whose only two parameters are (w₁, w₂) (one linear unit: its weight
// and its bias), and each step hands it the noisy gradient through a batch of
// two samples made to have exactly that gradient, so the engine's own
// optimizer step moves it.
import { random } from '../data/owndata.js';
import { h, pixelRatio, sizeCanvas } from '../dom.js';
import { formatNumber, t } from '../i18n/index.js';
import { numText } from '../stepper/tex.js';
import { parseValue } from '../state.js';
import { linearTicks, Plot, traceShape } from './plot.js';
import { optimizerCall, raceCode } from './torch.js';
import { chips, codeBlock, panelHead, SERIES_COLORS, SERIES_SHAPES, slider, Player } from './ui.js';

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
/** Each racer's hyper-parameters as its card names them: [string key, value]. */
const HYPER_SHOWN = {
  momentum: [['race.momentum', 0.9]], nesterov: [['race.momentum', 0.9]], rmsprop: [['race.decay', 0.9]],
  adam: [['race.betas', '(0.9, 0.999)']],
};
const vec = (v) => (v ? `(${numText(v[0])}, ${numText(v[1])})` : '–');  // 4 significant digits each
/** Gradient noise: none, or its standard deviation as a share of the gradient's size at the default start. */
export const NOISE = ['0', '0.02', '0.05'];

/** A seeded stream of standard normal numbers (mulberry32 and Box–Muller): the same seed, the same noise. */
export function normals(seed, count) {
  const uniform = random(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 2) {
    const u = 1 - uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < count) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/**
 * A race with a noisy gradient, in the shape lab.descendSurface returns: every step the
 * surface's gradient at the point (from the engine) plus sigma × the next two normals, handed to
 * the engine's optimizer. gradX/gradY are the gradients the optimizer was given.
 */
export function noisyDescent(lab, surface, optimizer, start, steps, sigma, noise) {
  const here = (point) => lab.descendSurface(surface, optimizer, point, 0);
  const first = here(start);
  const path = {
    x: [start[0]], y: [start[1]], value: [first.value[0]], gradX: [], gradY: [], states: [first.states[0]], diverged: false,
  };
  const trainer = lab.createTrainer({ inputs: 1, layers: [{ units: 1, activation: 'linear' }], loss: 'mse', optimizer, batchSize: 2, shuffle: false });
  let point = first;
  try {
    trainer.setWeights(0, [start[0]]);
    trainer.setBiases(0, [start[1]]);
    for (let k = 0; k < steps; k++) {
      const [w, b] = [path.x[k], path.y[k]];
      const gx = point.gradX[0] + sigma * noise[2 * k];
      const gy = point.gradY[0] + sigma * noise[2 * k + 1];
      path.gradX.push(gx);
      path.gradY.push(gy);
      // Inputs 1 and −1 with residuals r₁, r₂ (prediction − target): the batch's mean squared
      // error has ∂/∂w = r₁ − r₂ and ∂/∂b = r₁ + r₂, so these residuals give (gx, gy).
      const r1 = (gx + gy) / 2, r2 = (gy - gx) / 2;
      try {
        trainer.setData([1, -1], [(w + b) - r1, (b - w) - r2], 2);
        trainer.trainStep();
      } catch (err) {
        if (err?.code === 'diverged' || err?.code === 'invalid_argument') {
          path.diverged = true;
          break;
        }
        throw err;
      }
      const next = [trainer.getWeights(0)[0], trainer.getBiases(0)[0]];
      point = here(next);
      path.x.push(next[0]);
      path.y.push(next[1]);
      path.value.push(point.value[0]);
      path.states.push(joinState(trainer.trace(0).state));
    }
  } finally {
    trainer.delete();
  }
  // The gradient at the last point has no update after it: the surface's own.
  path.gradX.push(point.gradX?.[0] ?? NaN);
  path.gradY.push(point.gradY?.[0] ?? NaN);
  for (const key of ['x', 'y', 'value', 'gradX', 'gradY']) path[key] = Float64Array.from(path[key]);
  return path;
}

/** The trainer's state of its weight (w₁) and its bias (w₂) as one state per coordinate, like descendSurface's. */
function joinState({ weights, biases }) {
  const state = { step: weights.step };
  for (const key of Object.keys(weights)) if (key !== 'step') state[key] = [weights[key][0], biases[key][0]];
  return state;
}

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
  #noise = '0';
  #seed = 1;
  #noiseChips;
  #equal;
  #code = codeBlock('race-torch');
  #codeFor = 'sgd';
  #codeChips;

  constructor(root, { lab, update }) {
    this.root = root;
    this.#lab = lab;
    this.#surfaceChips = chips(SURFACES, (name) => update({ surface: name }));
    this.#coordChips = chips(['0', '1'], (k) => { this.#coordinate = Number(k); this.#drawCharts(); });
    this.#noiseChips = chips(NOISE, (level) => { this.#player.pause(); this.#noise = level; this.#compute(this.#step); }, 'noise-chips');
    this.#codeChips = chips(RACERS, (name) => { this.#codeFor = name; this.#drawCode(); }, 'code-chips');
    this.#equal = this.#buildEqual();
    this.#buttons = {
      play: this.#player.button,
      step: h('button', { type: 'button', class: 'text-button panel-step', onclick: () => { this.#player.pause(); this.#go(this.#step + 1); } }),
      reset: h('button', { type: 'button', class: 'text-button panel-reset', onclick: () => { this.#player.pause(); this.#go(0); } }),
      restart: h('button', { type: 'button', class: 'text-button', onclick: () => { this.#start = [...this.#view.start]; this.#compute(); } }),
      reseed: h('button', { type: 'button', class: 'text-button race-reseed', onclick: () => { this.#player.pause(); this.#seed += 1; this.#compute(this.#step); } }),
    };
    this.#scrub = slider({ id: 'race-step', min: 0, max: 100, step: 1, value: 0, digits: 0, onInput: (k) => { this.#player.pause(); this.#go(k); } });
    this.#map = h('canvas', { class: 'race-map', role: 'img' });
    this.#mapBox = h('div', { class: 'race-map-box' }, this.#map);
    this.#map.addEventListener('pointerdown', (e) => this.#pickStart(e));
    new ResizeObserver(() => { if (this.#surface) this.#drawMap(); }).observe(this.#mapBox);
    this.#valuePlot = new Plot(h('div'), { height: 190 });
    this.#lrPlot = new Plot(h('div'), { height: 190 });
    for (const key of ['surface', 'hint', 'charts', 'coordinate', 'noise', 'codeFor']) this.#labels[key] = h('span', { class: key === 'charts' ? 'panel-subtitle' : 'field-label', id: `race-label-${key}` });
    this.#labels.noiseNote = h('p', { class: 'panel-note race-noise-note' });
    this.#noiseChips.el.setAttribute('aria-labelledby', 'race-label-noise');
    this.#codeChips.el.setAttribute('aria-labelledby', 'race-label-codeFor');
    this.#surfaceChips.el.setAttribute('aria-labelledby', 'race-label-surface');
    this.#coordChips.el.setAttribute('aria-labelledby', 'race-label-coordinate');
    for (const name of RACERS) this.#rows.set(name, this.#buildRow(name));
    this.#list.append(...[...this.#rows.values()].map((r) => r.el));
    root.append(
      this.#head.el,
      h('div', { class: 'panel-toolbar' },
        h('div', { class: 'field' }, this.#labels.surface, this.#surfaceChips.el),
        h('div', { class: 'field' }, this.#labels.noise, h('div', { class: 'chips-row' }, this.#noiseChips.el, this.#buttons.reseed)),
        this.#buttons.play, this.#buttons.step, this.#buttons.reset,
        this.#scrub.el),
      this.#labels.noiseNote,
      h('div', { class: 'panel-main race-main' },
        h('div', { class: 'panel-figure' },
          this.#mapBox,
          h('p', { class: 'hint race-hint' }, this.#labels.hint, ' ', this.#buttons.restart),
          h('div', { class: 'race-charts-head' }, this.#labels.charts, h('div', { class: 'field field-row' }, this.#labels.coordinate, this.#coordChips.el)),
          h('div', { class: 'race-charts' }, this.#valuePlot.canvas.parentElement, this.#lrPlot.canvas.parentElement),
          h('div', { class: 'field' }, this.#labels.codeFor, this.#codeChips.el),
          this.#code.el),
        h('div', { class: 'panel-side race-side' }, this.#equal.el, this.#list)));
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
    this.#buttons.reseed.textContent = t('race.reseed');
    this.#labels.noise.textContent = t('race.noise');
    this.#labels.noiseNote.textContent = t('race.noiseNote');
    this.#labels.codeFor.textContent = t('race.codeFor');
    this.#noiseChips.label((level) => (level === '0' ? t('race.noiseOff') : `σ = ${Math.round(Number(level) * 100)} %`));
    this.#codeChips.label((name) => t(`option.optimizer.${name}`));
    this.#equal.retranslate();
    this.#code.retranslate();
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

  /** The noise's standard deviation: its share of the gradient's size at the surface's default start (0: none). */
  #sigma() {
    if (this.#noise === '0') return 0;
    const g = this.#lab.descendSurface(this.#surface, { name: 'sgd', lr: 1 }, this.#view.start, 0);
    return Number(this.#noise) * Math.hypot(g.gradX[0], g.gradY[0]);
  }

  /** One learning rate for every racer, to compare them at equal rates; or back to the surface's own. */
  #buildEqual() {
    const label = h('span', { class: 'field-label' });
    const input = h('input', { type: 'text', inputmode: 'decimal', class: 'race-lr', id: 'race-equal-lr', value: '0.01', autocomplete: 'off', spellcheck: 'false' });
    const message = h('span', { class: 'field-error', role: 'alert' });
    const apply = h('button', { type: 'button', class: 'text-button race-equal' });
    const tuned = h('button', { type: 'button', class: 'text-button race-tuned' });
    const setAll = (rate) => {
      this.#player.pause();
      for (const name of RACERS) this.#rates[name] = typeof rate === 'number' ? rate : rate[name];
      for (const [name, row] of this.#rows) {
        row.lr.value = String(this.#rates[name]);
        row.lr.removeAttribute('aria-invalid');
        row.message.textContent = '';
      }
      this.#compute(this.#step);
    };
    apply.addEventListener('click', () => {
      const { value, reason } = parseValue(RATE, input.value.trim());
      input.setAttribute('aria-invalid', String(Boolean(reason)));
      message.textContent = reason ? t('race.badRate') : '';
      if (!reason) setAll(value);
    });
    tuned.addEventListener('click', () => setAll(RATES[this.#surface]));
    return {
      el: h('div', { class: 'race-equal-box' },
        h('label', { class: 'race-lr-field', for: 'race-equal-lr' }, label, input),
        h('div', { class: 'button-row' }, apply, tuned),
        message),
      retranslate: () => {
        label.textContent = t('race.equalLr');
        apply.textContent = t('race.equal');
        tuned.textContent = t('race.tuned');
      },
    };
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
    const message = h('span', { class: 'field-error race-lr-error', role: 'alert' });
    lr.addEventListener('change', () => {
      const { value, reason } = parseValue(RATE, lr.value.trim());
      if (reason) {
        lr.setAttribute('aria-invalid', 'true');
        message.textContent = t('race.badRate');
        return;
      }
      lr.removeAttribute('aria-invalid');
      message.textContent = '';
      this.#rates[name] = value;
      this.#player.pause();
      this.#compute(this.#step);
    });
    const where = h('p', { class: 'race-where mono' });
    const state = h('dl', { class: 'race-state' });
    const torch = h('code', { class: 'race-call' });
    const el = h('div', { class: 'race-row', dataset: { optimizer: name } },
      h('label', { class: 'race-title' }, check, swatch, title),
      h('label', { class: 'race-lr-field' }, lrLabel, lr),
      message, where, state, torch);
    return {
      el, check, lr, message, where, state, torch,
      retranslate: () => {
        title.textContent = t(`option.optimizer.${name}`);
        lrLabel.textContent = t('race.lr');
        lr.setAttribute('aria-label', t('race.lrOf', { name: t(`option.optimizer.${name}`) }));
      },
    };
  }

  /**
   * Runs every optimizer from the start for the surface's number of steps, with the engine: the
   * whole race at once, with what every frame reads from it (the rates by step, the configs).
   * With noise, every racer gets the same draws.
   */
  #compute(keepStep = 0) {
    this.#stepAxis = Float64Array.from({ length: this.#steps + 1 }, (_, i) => i);
    const sigma = this.#sigma();
    const noise = sigma ? normals(this.#seed, 2 * this.#steps) : null;
    for (const name of RACERS) {
      const path = sigma
        ? noisyDescent(this.#lab, this.#surface, this.config(name), this.#start, this.#steps, sigma, noise)
        : this.#lab.descendSurface(this.#surface, this.config(name), this.#start, this.#steps);
      // The effective rate of w₁ and of w₂ at each step (none before the first).
      path.rates = [0, 1].map((c) => Float64Array.from(path.states, (s, i) => (i === 0 ? NaN : s.effectiveLr?.[c] ?? this.#rates[name])));
      this.#paths.set(name, path);
      const row = this.#rows.get(name);
      row.el.dataset.config = JSON.stringify(this.config(name));
      row.torch.textContent = optimizerCall(this.config(name), '[w]');
    }
    this.#list.dataset.surface = this.#surface;
    this.#list.dataset.start = JSON.stringify(this.#start);
    this.#list.dataset.sigma = String(sigma);
    this.#list.dataset.seed = String(this.#seed);
    this.#noiseChips.select(this.#noise);
    this.#buttons.reseed.hidden = !sigma;
    this.#drawCode();
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
      row.where.textContent = `${t('race.position')} ${vec([path.x[i], path.y[i]])} · f = ${numText(path.value[i])}`
        + (path.diverged && i < this.#step ? ` · ${t('race.diverged', { step: i })}` : '');
      const items = [[this.#noise === '0' ? 'race.gradient' : 'race.noisyGradient', vec([path.gradX[i], path.gradY[i]])]];
      for (const [key, value] of HYPER_SHOWN[name] ?? []) items.push([key, typeof value === 'number' ? numText(value) : value]);
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

  /** The PyTorch script of one racer: the same surface, start, rate and steps (and noise, drawn by torch). */
  #drawCode() {
    this.#codeChips.select(this.#codeFor);
    this.#code.set(raceCode(this.#surface, this.config(this.#codeFor), this.#start, this.#steps, this.#sigma()));
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
