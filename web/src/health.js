// Training that stalls without diverging, seen epoch by epoch: a hidden ReLU layer whose units
// all output 0 for every training point (no gradient passes below it), and a loss that jumps up
// and down instead of falling (a learning rate that overshoots). Both keep every number finite,
// so the divergence refusal never fires; the page explains them with a suggestion.

/** How many epochs of training loss the oscillation test looks at. */
export const WINDOW = 12;

const median = (xs) => {
  const sorted = [...xs].sort((x, y) => x - y);
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
};

/**
 * Whether a run of epoch losses swings instead of falling: most successive changes reverse
 * direction, the typical change is large next to the loss itself (not the ripple, or the rare
 * spike, of a noisy mini-batch run), and the loss has made no real progress since the first
 * epoch (start). Returns { low, high } of the window, or null.
 */
export function oscillation(losses, start) {
  if (losses.length < WINDOW) return null;
  const w = losses.slice(-WINDOW);
  if (!w.every(Number.isFinite)) return null;
  let turns = 0;
  const steps = [];
  for (let i = 1; i < w.length; i++) {
    steps.push(Math.abs(w[i] - w[i - 1]));
    if (i >= 2 && (w[i] - w[i - 1]) * (w[i - 1] - w[i - 2]) < 0) turns += 1;
  }
  const level = median(w);
  const swings = turns >= Math.ceil(0.5 * (w.length - 2));
  const large = median(steps) > 0.3 * level && Math.max(...w) - Math.min(...w) > 0.05;
  const stuck = !(level < 0.7 * start);
  return swings && large && stuck ? { low: Math.min(...w), high: Math.max(...w) } : null;
}

/**
 * The hidden ReLU layers (1-based, as the page numbers them) whose every unit is dead.
 * dead: the engine's deadUnits(), one count per layer; layers: the config's layers.
 */
export function deadLayers(dead, layers) {
  const out = [];
  for (let l = 0; l + 1 < layers.length; l++) {
    if (layers[l].activation === 'relu' && dead[l] === layers[l].units) out.push(l + 1);
  }
  return out;
}

/** Follows one run epoch by epoch; a reset or a step back to an earlier epoch starts over. */
export class HealthWatch {
  #epoch = -1;
  #losses = [];
  #start = null;       // the first epoch's loss
  #swing = null;       // the last swing seen ({ low, high }), kept for a window of epochs
  #swingEpoch = 0;

  #restart() {
    this.#losses = [];
    this.#start = null;
    this.#swing = null;
  }

  /**
   * After each recorded step: metrics as the controller gives them, the live trainer and the
   * hidden layers' activation (every hidden layer of the page's network has the same one; only
   * ReLU layers are asked for their dead units). Returns { deadLayers, oscillation } at a new
   * epoch, or undefined when nothing new was seen.
   */
  observe(metrics, trainer, activation) {
    if (!metrics || !trainer) return undefined;
    if (metrics.epoch === this.#epoch) return undefined;
    if (metrics.epoch < this.#epoch || metrics.epoch === 0) this.#restart();
    this.#epoch = metrics.epoch;
    if (metrics.epoch === 0) return { deadLayers: [], oscillation: null };
    if (metrics.trainLoss !== null) this.#losses.push(metrics.trainLoss);
    this.#start ??= metrics.trainLoss;
    if (this.#losses.length > WINDOW) this.#losses.shift();
    // A swing stays reported for a window of epochs: one calmer epoch does not end it.
    const swing = oscillation(this.#losses, this.#start ?? Infinity);
    if (swing) [this.#swing, this.#swingEpoch] = [swing, metrics.epoch];
    else if (this.#swing && metrics.epoch - this.#swingEpoch >= WINDOW) this.#swing = null;
    let dead = [];
    if (activation === 'relu') {
      const sizes = trainer.layerSizes;
      dead = deadLayers(trainer.deadUnits(), sizes.slice(1).map((units, l) => ({ units, activation: l + 2 < sizes.length ? 'relu' : 'output' })));
    }
    return { deadLayers: dead, oscillation: this.#swing };
  }
}
