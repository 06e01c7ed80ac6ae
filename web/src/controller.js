// The controller owns the engine's trainer and the play loop and hands the
// views what they draw. It is the only module that calls the trainer.
//
// - configure(state, how): 'reset' builds a new network from the settings;
//   'hot' gives the live trainer the new hyper-parameters (trainer.reconfigure:
//   learning rate, optimizer, schedule, regularization and batch size change
//   while the weights, the epoch count and the optimizer's state carry on, as
//   in torch); 'view' only redraws.
// - The play loop runs on requestAnimationFrame; each frame calls `stepper`
//   (by default: the speed setting's batches or epochs), records the losses
//   and redraws. In frame mode (setMode('frame')) Step runs one phase
//   (trainer.stepPhase()), play paces phases per second or runs batches and
//   epochs per frame (the frameSpeed setting), and every step first keeps a
//   snapshot so stepBack() can undo it. The mode, the frame speed and the
//   probe come from the settings (configure), never from the views.
// - In frame mode each redraw reads the step once (stepper/frame-model.js)
//   and hands it to `hooks.onRender(frame)`, which draws the chain rule; the
//   learner's selection comes back through select().
// - All heatmaps come from one trainer.heatmaps() call per rendered frame.
// - The learner's own data (setOwnData) goes to the engine with setData: the
//   training split into the trainer, the test split into a second trainer
//   (the engine takes one split per trainer) that gets the weights before it
//   evaluates. data() is the one way to read the data in use, own or not.
import { featureScale, neuronScale } from './colors.js';
import { splits, targets } from './data/owndata.js';
import { Series } from './series.js';
import { classCount, engineConfig, FEATURES, outputLayer, PLANE, usesOwnData } from './state.js';
import { readFrame, validSelection } from './stepper/frame-model.js';
import { History } from './stepper/history.js';

/** Cells per side of the input features' maps (computed once). */
const INPUT_RES = 48;
// Multiply-adds the per-frame heatmap grid may cost (the engine's grid kernel
// does about 1.7 M a millisecond here, `npm run bench`): 1 500 000 gives a
// 6 × 8 network with every input a 50 × 50 grid, the default network 100 × 100
// (TensorFlow Playground: 100 × 100 for the output, 10 × 10 per neuron).
const GRID_BUDGET = 1500000;

/**
 * Cells per side of the per-frame heatmap grid for a network of these layer
 * sizes: as fine as the budget allows, between 32 and 100.
 */
export function gridResolution(sizes) {
  let perCell = 0;
  for (let l = 1; l < sizes.length; l++) perCell += (sizes[l - 1] + 4) * sizes[l];  // multiply-adds + activation
  return Math.max(32, Math.min(100, Math.floor(Math.sqrt(GRID_BUDGET / perCell))));
}

// Work per animation frame for each speed setting.
const SPEEDS = { '1b': ['batch', 1], '5b': ['batch', 5], '1e': ['epoch', 1], '5e': ['epoch', 5], '20e': ['epoch', 20] };
// Frame mode's play: phases per second, or batches / epochs per animation frame.
const FRAME_SPEEDS = {
  '1p': ['phase', 1], '2p': ['phase', 2], '5p': ['phase', 5], '20p': ['phase', 20],
  '1b': ['batch', 1], '1e': ['epoch', 1], '20e': ['epoch', 20],
};
/** Steps kept for stepping back. */
export const HISTORY_STEPS = 128;

/** The default stepper: `count` phases, batches (the rest of the current one first) or epochs. */
/**
 * trainer.evaluate(), where weights whose loss over a split overflows (refused as `diverged`)
 * read as the evaluation the refusal carries: that loss Infinity, which the page shows as ∞.
 */
function evaluation(trainer) {
  try {
    return trainer.evaluate();
  } catch (err) {
    if (err?.code === 'diverged' && err.details) return err.details;
    throw err;
  }
}

export function trainUnits(trainer, unit, count) {
  for (let i = 0; i < count; i++) {
    if (unit === 'phase') trainer.stepPhase();
    else if (unit === 'batch') trainer.trainStep();
    else trainer.trainEpoch();
  }
}

/**
 * What a played frame draws when the machine is slow. Training keeps its pace (the speed
 * setting's units every frame); when frames take longer than the display's interval, the numbers
 * and curves (the epoch counter, an evaluation over both splits, text, two charts) and then the
 * maps (every neuron's picture, the output plot) are drawn every few frames instead of every one,
 * and back to every frame once there is time again. A frame that writes no text lays nothing
 * out, so the browser has no layout and no hover test to do for it. Paused, all of it is drawn
 * at once.
 */
export class FrameBudget {
  static CHECK = 12;  // frames between two looks at the pace
  static MAX_WAIT = 16;  // checks, at most, before drawing more is tried again after it failed
  #text = 1;
  #maps = 1;
  #frame = 0;
  #last = 0;
  #interval = 0;
  #shortest = Infinity;
  #wait = 0;  // checks to let pass before drawing more again
  #backoff = 1;  // … after late frames: doubled each time drawing more made frames late again
  #tried = false;  // the last change drew more

  /**
   * The parts the frame at `time` (a requestAnimationFrame timestamp) draws: { maps, text }.
   * Spared parts fall on different frames (the text on the frame before a multiple of its step,
   * the maps on a multiple of theirs), so that no frame carries both while either is spared.
   */
  next(time) {
    if (this.#last) {
      const dt = time - this.#last;
      this.#interval = this.#interval ? 0.8 * this.#interval + 0.2 * dt : dt;
      if (dt > 4) this.#shortest = Math.min(this.#shortest, dt);
    }
    this.#last = time;
    this.#frame += 1;
    if (this.#frame % FrameBudget.CHECK === 0) this.#adapt();
    return { maps: this.#frame % this.#maps === 0, text: (this.#frame + 1) % this.#text === 0 };
  }

  // Slower than the display by a tenth: spare more (text first, up to every 6th frame; then the
  // maps, up to every 3rd). Close to the display's pace: draw more again (the maps first), but
  // only after a wait that doubles each time drawing more made the frames late again, so that a
  // machine at the edge keeps the display's pace instead of swinging around it.
  #adapt() {
    // The display's interval: the shortest seen, taken as at most 50 Hz's (a machine whose every
    // frame is late from the first one would otherwise take its own pace for the display's).
    const vsync = Math.min(Math.max(this.#shortest, 1000 / 240), 1000 / 50);
    if (this.#interval > 1.1 * vsync) {
      if (this.#tried) this.#backoff = Math.min(FrameBudget.MAX_WAIT, 2 * this.#backoff);
      this.#tried = false;
      this.#wait = this.#backoff;
      if (this.#text < 6) this.#text += this.#text < 3 ? 1 : 3;
      else if (this.#maps < 3) this.#maps += 1;
    } else if (this.#interval < 1.04 * vsync) {
      if (this.#tried) this.#backoff = 1;  // the last step held
      this.#tried = false;
      if (this.#wait > 0) this.#wait -= 1;
      else if (this.#maps > 1 || this.#text > 1) {
        if (this.#maps > 1) this.#maps -= 1;
        else this.#text = this.#text > 3 ? 3 : this.#text - 1;
        this.#tried = true;
      }
    }
  }

  /** Play stopped: the next play starts measuring afresh. Whether anything was being spared. */
  reset() {
    const spared = this.#text > 1 || this.#maps > 1;
    this.#last = 0;
    this.#interval = 0;
    this.#frame = 0;
    this.#wait = 0;
    this.#tried = false;
    return spared;
  }
}

export class Controller {
  /** What one frame of play or one Step does: (trainer, unit, count) → void. */
  stepper = trainUnits;
  trainer = null;
  state = null;
  playing = false;
  /** Mean milliseconds of work per played frame (training + drawing). */
  frameMs = 0;
  /** 'train' or 'frame' (frame by frame). */
  mode = 'train';
  /** Frame mode's play speed (the frameSpeed setting, which applies without a rebuild). */
  frameSpeed = '1p';
  /** Snapshots taken before each frame-mode step, for stepBack(). */
  history = new History(HISTORY_STEPS);
  #budget = new FrameBudget();

  #lab;
  #views;
  #hooks;
  #raf = 0;
  #epochOffset = 0;
  #res = INPUT_RES;
  #scales = [];
  #outputOffset = 0;
  #inputMaps = null;  // the input features' pictures, made once the page is up (drawInputMaps)
  #inputScales = FEATURES.map(featureScale);
  #preview = null;
  #last = null;
  #keepMaps = false;  // the next render may skip the maps: a frame-mode step that moved no weight
  #clock = null;     // frame mode's phase pacing: { time, due }
  #probe = null;
  #trainSize = 0;
  #selection = null;   // frame mode: the learner's pick of a neuron or a weight, or null (follow the step)
  #frameCache = null;  // frame mode: the trainer's data and config, read once per trainer
  #own = null;         // the learner's own data (OwnData), used while the settings say so
  #ownSplits = null;   // its train and test splits, as handed to the engine
  #testTrainer = null; // holds the own test split: it evaluates with the trainer's weights
  #series = { trainLoss: new Series(), testLoss: new Series(), trainAccuracy: new Series(), testAccuracy: new Series() };

  /**
   * views: { network, output, lossChart, accuracyChart, metrics };
   * hooks: { onError(err), onPlayingChange(playing), onFrame(ms), onRender(frame), onRecord(metrics),
   * onNoData() } where frame is null in train mode, else one step read by readFrame
   * (stepper/frame-model.js); metrics what metrics() returns, after every step; onNoData: play or
   * Step with own data that has no training point.
   */
  constructor(lab, views, hooks) {
    this.#lab = lab;
    this.#views = views;
    this.#hooks = hooks;
  }

  configure(state, how) {
    this.state = state;
    this.frameSpeed = state.frameSpeed;
    const modeChanged = this.#setMode(state.mode === 'frames' ? 'frame' : 'train');
    const probeChanged = this.#setProbe(state.mode === 'frames' ? state.probe : null);
    // Frame mode shows only the inputs in use: the diagram changes with the mode. A change that
    // builds a new network draws it anyway (and the old trainer's layers may not fit the new settings).
    if (modeChanged && this.trainer && how !== 'reset') this.#setStructure();
    if (how === 'page') {
      if ((modeChanged || probeChanged) && this.trainer) {
        this.#drawMetrics();
        this.render();
      }
      return true;
    }
    if (how === 'view' && this.trainer) {
      this.#drawMetrics();
      this.render();
      return true;
    }
    if (how === 'hot' && this.trainer && this.#reconfigure()) return true;
    return this.#build(how === 'hot' && this.trainer !== null);
  }

  /**
   * The new settings on the live trainer; false when it cannot take them (then a new trainer is
   * built, which reports any problem with the settings themselves).
   */
  #reconfigure() {
    try {
      this.trainer.reconfigure(engineConfig(this.state));
    } catch {
      return false;
    }
    this.history.clear();  // snapshots of the old settings no longer fit
    this.#frameCache = null;
    this.#syncProbe();
    this.#record('none');  // the rate (and a new batch size's cursor) on screen
    this.render();
    return true;
  }

  /** A new network from the same settings (and seed): back to epoch 0. */
  reset() {
    this.pause();
    return this.#build(false);
  }

  play() {
    if (this.playing || !this.trainer) return;
    this.playing = true;
    this.#clock = null;
    this.#hooks.onPlayingChange(true);
    this.#raf = requestAnimationFrame(this.#frame);
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    cancelAnimationFrame(this.#raf);
    // Whatever the frame budget left out while playing is drawn now, exactly.
    if (this.#budget.reset() && this.trainer) {
      this.#record('push');
      this.render();
    }
    this.#hooks.onPlayingChange(false);
    if (this.mode === 'frame') this.render();  // frame mode draws its inspector once play stops
  }

  /** Whether play runs whole batches or epochs per frame (frame mode then keeps its drawing light). */
  get playingFast() {
    return this.playing && (this.mode !== 'frame' || FRAME_SPEEDS[this.frameSpeed][0] !== 'phase');
  }

  toggle() {
    if (this.playing) this.pause();
    else this.play();
  }

  /** One batch or one epoch, by the speed setting's unit; one phase in frame mode. */
  step() {
    this.pause();
    this.#advance(1);
  }

  /** Frame mode's own steps: 'phase', 'batch' (the rest of this batch) or 'epoch' (the rest of this epoch). */
  stepBy(unit) {
    this.pause();
    this.#advance(1, unit);
  }

  /** Undoes the last frame-mode step exactly (the engine's snapshot); false when there is none. */
  stepBack() {
    this.pause();
    const snapshot = this.history.pop();
    if (!snapshot || !this.trainer) return false;
    try {
      this.trainer.restore(snapshot);
    } catch (err) {
      this.history.clear();
      this.#hooks.onError(err);
      return false;
    }
    this.#syncProbe();
    this.#record('rewind');
    this.render();
    return true;
  }

  /** What a save file keeps beside the settings: the engine's snapshot, the epochs before it, the curves. */
  saved() {
    const curves = {};
    for (const [name, series] of Object.entries(this.#series)) {
      const points = [];
      series.forEach((x, y) => points.push([x, Number.isFinite(y) ? y : null]));
      curves[name] = points;
    }
    return { snapshot: this.trainer.snapshot(), epochOffset: this.#epochOffset, curves };
  }

  /**
   * A saved network on the trainer just built from its settings (configure first): weights,
   * optimizer state and cursor from the snapshot, then its curves. Throws LabError bad_snapshot,
   * with the trainer unchanged, if the snapshot does not fit.
   */
  restoreSaved({ snapshot, epochOffset, curves }) {
    this.pause();
    this.trainer.restore(snapshot);
    this.#epochOffset = epochOffset;
    for (const [name, series] of Object.entries(this.#series)) {
      series.clear();
      for (const [x, y] of curves[name] ?? []) series.push(x, y);
    }
    this.history.clear();
    this.#syncProbe();
    this.#record(this.#series.trainLoss.empty ? 'push' : 'none');
    this.render();
  }

  get stepUnit() {
    if (this.mode === 'frame') return 'phase';
    return SPEEDS[this.state?.speed ?? '1e'][0];
  }

  // 'train' or 'frame'; pauses, and in train mode forgets the steps kept for stepping back.
  #setMode(mode) {
    if (mode === this.mode) return false;
    this.pause();
    this.mode = mode;
    if (mode === 'train') {
      this.history.clear();
      this.#selection = null;
    }
    this.#syncProbe();
    return true;
  }

  // The learner's probe: a training sample to follow through every phase, or null to follow the
  // first sample of each batch. Kept across rebuilds while the training split has it.
  #setProbe(index) {
    if (index === this.#probe) return false;
    this.#probe = index;
    this.#syncProbe();
    return true;
  }

  /**
   * Frame mode: the neuron { kind: 'neuron', column, unit } or weight { kind: 'weight', layer, to,
   * from } the learner picked, or null to follow the step.
   */
  select(selection) {
    this.#selection = selection;
    this.render();
  }

  /** The learner's probe while the training split has it, else null (frame mode follows the batch). */
  get probe() {
    return this.#probe !== null && this.#probe < this.#trainSize ? this.#probe : null;
  }

  // Frame mode has the engine carry one sample beside the batch (trainer.setProbe): the learner's
  // pick, else the batch's first sample, so that its own numbers (∂ℓ/∂w, ℓ) are always at hand.
  // Train mode carries none.
  #syncProbe() {
    const trainer = this.trainer;
    if (!trainer) return;
    let target = null;
    if (this.mode === 'frame' && this.probe !== null) target = this.probe;
    else if (this.mode === 'frame') {
      const { forwardDone, samples } = trainer.trace(0);
      target = forwardDone && samples.length > 0 ? samples[0] : trainer.probe;
    }
    if (target === trainer.probe) return;
    try {
      trainer.setProbe(target);
    } catch (err) {
      this.#hooks.onError(err);
    }
  }

  /** changes: [{ kind: 'weight' | 'bias', layer, to, from, value }] */
  edit(changes) {
    if (!this.trainer) return;
    if (this.mode === 'frame') this.history.push(this.trainer.snapshot());
    try {
      for (const layer of new Set(changes.map((c) => c.layer))) {
        const w = this.trainer.getWeights(layer);
        const b = this.trainer.getBiases(layer);
        const inputs = this.trainer.layerSizes[layer];
        for (const c of changes.filter((x) => x.layer === layer)) {
          if (c.kind === 'bias') b[c.to] = c.value;
          else w[c.to * inputs + c.from] = c.value;
        }
        this.trainer.setWeights(layer, w);
        this.trainer.setBiases(layer, b);
      }
    } catch (err) {
      this.#hooks.onError(err);
    }
    this.#record('none');
    this.render();
  }

  /** neuron: null or { column, unit, name } to show in the output plot. */
  preview(neuron) {
    this.#preview = neuron;
    if (!this.playing) this.render();
  }

  /** Draws the network and the output plot from one heatmap call, then the weights. */
  render() {
    const trainer = this.trainer;
    if (!trainer) return;
    this.#drawMaps(trainer);
    const layers = trainer.layerSizes.length - 1;
    const weights = [];
    const biases = [];
    for (let l = 0; l < layers; l++) {
      weights.push(trainer.getWeights(l));
      biases.push(trainer.getBiases(l));
    }
    this.#views.network.drawParams(weights, biases);
    this.#hooks.onRender?.(this.mode === 'frame' ? this.#readFrame(trainer) : null);
  }

  #readFrame(trainer) {
    const frame = readFrame(trainer, {
      selection: this.#selection,
      followed: this.probe === null ? 'batch' : 'probe',
      cache: this.#frameCache,
      light: this.playingFast,
    });
    this.#frameCache = frame.cache;
    return frame;
  }

  // Between updates the weights stand still, so frame mode's forward, loss and backward steps keep the maps.
  #drawMaps(trainer) {
    const keep = this.#keepMaps;
    this.#keepMaps = false;
    if (keep) return;
    const res = this.#res;
    let maps;
    try {
      maps = trainer.heatmaps(res, PLANE.xMin, PLANE.xMax, PLANE.yMin, PLANE.yMax);
    } catch (err) {
      if (err?.code === 'diverged') return;  // weights whose maps overflow float32: the last maps stay
      throw err;
    }
    // `maps` is a view on the engine's memory: draw everything from it before the next engine call.
    this.#views.network.drawMaps(maps, res, this.#scales);
    this.#views.output.draw({
      values: maps,
      offset: this.#outputOffset * res * res,
      res,
      discretize: this.state.discretize,
      showTest: this.state.showTestData,
      preview: this.#previewFrame(),
    });
  }

  redrawText() {
    if (!this.trainer) return;
    this.#drawMetrics();
    this.#drawCharts();
  }

  /**
   * The input features' pictures (all seven, from a throwaway trainer): made once, after the
   * page is up, so that Play is ready sooner; the diagram's inputs are drawn when they come.
   */
  drawInputMaps() {
    this.#inputMaps ??= featureMaps(this.#lab);
    if (this.trainer) this.#views.network.drawInputs(this.#inputMaps, INPUT_RES, this.#inputScales);
  }

  #previewFrame() {
    const p = this.#preview;
    if (!p) return null;
    if (p.column === 0) {
      const k = FEATURES.indexOf(this.state.features[p.unit]);
      if (k < 0 || !this.#inputMaps) return null;
      return { name: p.name, values: this.#inputMaps, res: INPUT_RES, offset: k * INPUT_RES * INPUT_RES, scale: this.#inputScales[k] };
    }
    const sizes = this.trainer.layerSizes;
    let n = p.unit;
    for (let c = 1; c < p.column; c++) n += sizes[c];
    return { name: p.name, offset: n * this.#res * this.#res, scale: this.#scales[n] };
  }

  #frame = (time) => {
    if (!this.playing) return;
    const start = performance.now();
    const [unit, count] = this.mode === 'frame' ? FRAME_SPEEDS[this.frameSpeed] : SPEEDS[this.state.speed];
    if (unit === 'phase') this.#pacedPhases(time, count);
    else this.#advance(count, unit, this.#budget.next(time));
    this.frameMs = this.frameMs === 0 ? performance.now() - start : 0.9 * this.frameMs + 0.1 * (performance.now() - start);
    this.#hooks.onFrame?.(this.frameMs);
    if (this.playing) this.#raf = requestAnimationFrame(this.#frame);
  };

  // `rate` phases per second, each its own step back; the first one at once.
  #pacedPhases(time, rate) {
    const interval = 1000 / rate;
    this.#clock ??= { due: time };
    const due = Math.min(3, Math.floor((time - this.#clock.due) / interval) + 1);
    if (due <= 0) return;
    this.#clock.due += due * interval;
    if (time - this.#clock.due > interval) this.#clock.due = time;  // after a stall, no burst
    for (let i = 0; i < due && this.playing; i++) this.#advance(1, 'phase', i === due - 1 && { maps: true, text: true });
  }

  /**
   * count units of training; then, as `draw` asks ({ maps, text } or false): the maps (the
   * neurons' pictures and the plot), the numbers and curves (which need an evaluation), or
   * only the counter.
   */
  #advance(count, unit = this.stepUnit, draw = { maps: true, text: true }) {
    if (this.#trainSize === 0) {
      this.pause();
      this.#hooks.onNoData?.();
      return;
    }
    const frame = this.mode === 'frame';
    if (frame) this.history.push(this.trainer.snapshot());
    let refused = null;
    try {
      this.stepper(this.trainer, unit, count);
    } catch (err) {
      if (frame) this.history.pop();
      this.pause();
      refused = err;
    }
    if (frame) this.#syncProbe();
    this.#record('push', !draw || draw.text || refused !== null);
    // Reported once the numbers on screen are those of the weights kept.
    if (refused) this.#hooks.onError(refused);
    if (!draw) return;
    const { phase, layer } = this.#last.cursor;
    this.#keepMaps = (frame && unit === 'phase' && !(phase === 'forward' && layer === 0))  // forward 0 next: an update just ran
      || (!draw.maps && !refused);
    this.render();
  }

  #build(keepWeights) {
    let next;
    try {
      next = this.#lab.createTrainer(engineConfig(this.state));
    } catch (err) {
      this.pause();
      this.#hooks.onError(err);
      return false;
    }
    const previous = this.trainer;
    if (keepWeights) {
      // The new trainer starts its own count at epoch 0 and batch 0.
      const c = previous.cursor();
      this.#epochOffset += c.epoch + (c.batchesPerEpoch ? c.batch / c.batchesPerEpoch : 0);
      for (let l = 0; l < previous.layerSizes.length - 1; l++) {
        next.setWeights(l, previous.getWeights(l));
        next.setBiases(l, previous.getBiases(l));
      }
    } else {
      this.#epochOffset = 0;
      for (const s of Object.values(this.#series)) s.clear();
    }
    previous?.delete();
    this.trainer = next;
    this.#loadOwnData();
    this.history.clear();
    this.#frameCache = null;
    if (!keepWeights) this.#setStructure();
    this.#selection = validSelection(this.#selection, next.layerSizes);
    this.#trainSize = next.data().train.size;
    this.#syncProbe();
    this.#record('push');
    this.render();
    return true;
  }

  /**
   * The learner's own data (OwnData, or null). While the settings use own data of this kind it
   * goes to the live trainer at once (training carries on; the epoch starts over); otherwise it
   * waits for the next configure. Returns whether the live trainer took it.
   */
  setOwnData(data) {
    this.#own = data;
    const live = this.trainer && this.state && usesOwnData(this.state) && data && data.classes === classCount(this.state);
    if (!live) return false;
    const before = this.#ownSplits?.train.size ?? 0;
    if (before > 0 && splits(data).train.size === 0) {
      // setData takes at least one point: a trainer without data, the weights kept.
      const built = this.#build(true);
      if (built) this.#showData();
      return built;
    }
    if (!this.#loadOwnData()) return false;
    this.history.clear();  // snapshots of the old data no longer fit
    this.#frameCache = null;
    this.#trainSize = this.trainer.data().train.size;
    this.#syncProbe();
    this.#showData();
    this.#record('none');
    this.render();
    return true;
  }

  // The own data into the trainer (training split) and the test trainer (test split).
  #loadOwnData() {
    this.#testTrainer?.delete();
    this.#testTrainer = null;
    this.#ownSplits = null;
    if (!usesOwnData(this.state) || !this.#own) return true;
    const own = this.#own;
    const split = splits(own);
    const output = outputLayer(this.state);
    try {
      if (split.train.size > 0) this.trainer.setData(split.train.points, targets(split.train.labels, own.classes, output), split.train.size);
      if (split.test.size > 0) {
        this.#testTrainer = this.#lab.createTrainer(engineConfig(this.state));
        this.#testTrainer.setData(split.test.points, targets(split.test.labels, own.classes, output), split.test.size);
      }
    } catch (err) {
      this.#hooks.onError(err);
      return false;
    }
    this.#ownSplits = split;
    return true;
  }

  /**
   * The data in use, own or built in: { source ('draw' | 'file' | 'formula' | a dataset's name),
   * classes (0: regression), classNames, axes, value (see data/owndata.js), train, test } with each
   * split { points (x, y pairs in the plane), labels, size }. The one place to read the data from
   * (exporters, the CSV download).
   */
  data() {
    if (!this.trainer) return null;
    const s = this.state;
    if (this.#ownSplits) {
      const own = this.#own;
      return { ...own, train: this.#ownSplits.train, test: this.#ownSplits.test };
    }
    const data = this.trainer.data();
    const source = usesOwnData(s) ? 'draw' : s.problem === 'regression' ? s.regDataset : s.dataset;
    return { source, classes: classCount(s), classNames: null, axes: null, value: null, train: data.train, test: data.test };
  }

  /** Training and test metrics: the own test split is evaluated by its own trainer with the same weights. */
  #evaluate() {
    const e = evaluation(this.trainer);
    if (!usesOwnData(this.state)) return e;
    const test = this.#testTrainer;
    if (!test) return { ...e, testLoss: null, testAccuracy: null };
    for (let l = 0; l < this.trainer.layerSizes.length - 1; l++) {
      test.setWeights(l, this.trainer.getWeights(l));
      test.setBiases(l, this.trainer.getBiases(l));
    }
    const t = evaluation(test);
    return { ...e, testLoss: t.trainLoss, testAccuracy: t.trainAccuracy };
  }

  #setStructure() {
    const s = this.state;
    const sizes = this.trainer.layerSizes;
    const out = outputLayer(s);
    const last = sizes.length - 1;
    this.#scales = [];
    for (let c = 1; c <= last; c++) {
      const activation = c === last ? out.activation : s.activation;
      for (let j = 0; j < sizes[c]; j++) this.#scales.push(neuronScale(activation, j, sizes[c]));
    }
    this.#outputOffset = this.#scales.length - sizes[last];  // in maps
    this.#res = gridResolution(sizes);
    this.#preview = null;
    this.#views.network.setStructure({
      features: FEATURES,
      active: s.features,
      sizes,
      hiddenActivation: s.activation,
      outputActivation: out.activation,
      canToggleFeatures: !s.hide.has('features') && this.mode !== 'frame',
      canChangeShape: !s.hide.has('networkShape'),
    });
    if (this.#inputMaps) this.#views.network.drawInputs(this.#inputMaps, INPUT_RES, this.#inputScales);
    this.#showData();
  }

  #showData() {
    const data = this.data();
    this.#views.output.setData({
      train: { points: data.train.points, labels: data.train.labels },
      test: { points: data.test.points, labels: data.test.labels },
      classes: data.classes,
      classNames: data.classNames,
      axes: data.axes,
      value: data.value,
      scale: this.#scales[this.#scales.length - 1],
    });
  }

  /**
   * how: 'push' adds the point to the curves, 'rewind' cuts them back to it (a step back), 'none'
   * leaves them. Without `evaluate` (a frame the budget spares) nothing is written: the counter
   * moves with the numbers.
   */
  #record(how, evaluate = true) {
    const c = this.trainer.cursor();
    const x = this.#epochOffset + c.epoch + (c.batchesPerEpoch ? c.batch / c.batchesPerEpoch : 0);
    if (!evaluate && this.#last) {
      this.#last = { ...this.#last, x, cursor: c };
      return;
    }
    const e = this.#evaluate();
    this.#last = { ...e, x, cursor: c };
    if (how === 'rewind') {
      for (const s of Object.values(this.#series)) s.truncate(x);
    }
    if (how !== 'none') {
      this.#series.trainLoss.push(x, e.trainLoss);
      this.#series.testLoss.push(x, e.testLoss);
      if (e.trainAccuracy !== null) {
        this.#series.trainAccuracy.push(x, e.trainAccuracy);
        this.#series.testAccuracy.push(x, e.testAccuracy ?? NaN);
      }
    }
    this.#drawMetrics();
    this.#drawCharts();
    this.#hooks.onRecord?.(this.metrics());
  }

  /** The numbers on screen: epoch (counted as the page shows it), batch, losses, accuracies, rate. */
  metrics() {
    const m = this.#last;
    if (!m) return null;
    return {
      epoch: Math.floor(m.x + 1e-9), batch: m.cursor.batch, batchesPerEpoch: m.cursor.batchesPerEpoch,
      trainLoss: m.trainLoss, testLoss: m.testLoss, trainAccuracy: m.trainAccuracy, testAccuracy: m.testAccuracy, lr: m.cursor.lr,
    };
  }

  #drawMetrics() {
    const m = this.metrics();
    if (m) this.#views.metrics.draw({ ...m, showBatch: this.stepUnit !== 'epoch' });
  }

  #drawCharts() {
    const s = this.#series;
    this.#views.lossChart.draw([s.trainLoss, s.testLoss]);
    if (this.#last?.trainAccuracy !== null) this.#views.accuracyChart.draw([s.trainAccuracy, s.testAccuracy]);
  }
}

/** The input features' maps over the plane, all seven, from a throwaway trainer. */
function featureMaps(lab) {
  const probe = lab.createTrainer({
    features: FEATURES,
    layers: [{ units: 1, activation: 'linear' }],
    dataset: { name: 'plane', samples: 2 },
  });
  try {
    return probe.inputHeatmaps(INPUT_RES, PLANE.xMin, PLANE.xMax, PLANE.yMin, PLANE.yMax).slice();
  } finally {
    probe.delete();
  }
}
