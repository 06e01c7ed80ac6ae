// Backprop Lab's JS API: loads the WebAssembly engine in Node and in browsers
// and turns the engine's error values into thrown LabErrors.
import createBackpropLabCore from './backprop-lab-core.mjs';

/** An error the engine reported: code, the config field or argument at fault, and a readable message. */
export class LabError extends Error {
  constructor({ code, field = '', message, problems }) {
    super(message);
    this.name = 'LabError';
    this.code = code;
    this.field = field;
    if (problems) this.problems = problems;
  }
}

const isNode = typeof process === 'object' && !!process.versions?.node && typeof window === 'undefined';
// The single-file build defines this and carries the wasm inside the module.
const embedded = typeof BPLAB_EMBEDDED_WASM !== 'undefined' && BPLAB_EMBEDDED_WASM;

function unwrap(result) {
  if (result && result.error) throw new LabError(result.error);
  return result;
}

async function fetchWithProgress(url, onProgress) {
  const response = await fetch(url);
  if (!response.ok) throw new LabError({ code: 'load_failed', message: `could not load ${url}: HTTP ${response.status}` });
  const total = Number(response.headers.get('content-length')) || 0;
  if (!response.body || !onProgress) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress({ loaded, total });
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

async function wasmBinary(onProgress) {
  if (embedded) return undefined;
  const url = new URL('./backprop-lab-core.wasm', import.meta.url);
  if (isNode) {
    const { readFile } = await import('node:fs/promises');
    return new Uint8Array(await readFile(url));
  }
  return fetchWithProgress(url, onProgress);
}

/**
 * Loads the engine. options.onProgress({ loaded, total }) reports the wasm download in browsers.
 * @returns {Promise<Lab>}
 */
export async function loadEngine(options = {}) {
  if (typeof WebAssembly !== 'object') {
    throw new LabError({ code: 'no_webassembly', message: 'this browser cannot run WebAssembly, which Backprop Lab needs' });
  }
  const binary = await wasmBinary(options.onProgress);
  const core = await createBackpropLabCore(binary ? { wasmBinary: binary } : {});
  return new Lab(core);
}

function checkIndex(value, field) {
  if (!Number.isInteger(value) || value < 0) {
    throw new LabError({ code: 'out_of_range', field, message: `${field} is ${String(value)}; allowed: a whole number from 0` });
  }
}

export class Lab {
  #core;
  #live = 0;

  constructor(core) {
    this.#core = core;
  }

  /** The engine's version string. */
  get version() {
    return this.#core.engineInfo().version;
  }

  /** Bytes the engine has allocated, and the size of its memory (for leak checks). */
  memory() {
    return { used: this.#core.engineInfo().heapUsed, size: this.#core.HEAP8.buffer.byteLength };
  }

  /** Trainers created and not yet deleted. */
  get liveTrainers() {
    return this.#live;
  }

  /** Builds a trainer; throws LabError('invalid_config') listing every problem in config. */
  createTrainer(config) {
    const handle = new this.#core.TrainerHandle();
    const result = handle.init(config);
    if (result.error) {
      handle.delete();
      throw new LabError(result.error);
    }
    this.#live += 1;
    return new Trainer(handle, () => { this.#live -= 1; });
  }
}

export class Trainer {
  #handle;
  #onDelete;
  #sizes;

  constructor(handle, onDelete) {
    this.#handle = handle;
    this.#onDelete = onDelete;
    this.#sizes = Object.freeze(unwrap(handle.layerSizes()));
  }

  #h() {
    if (!this.#handle) throw new LabError({ code: 'deleted', message: 'this trainer was deleted' });
    return this.#handle;
  }

  /** [inputs, …hidden units, outputs]. */
  get layerSizes() {
    return this.#sizes;
  }

  /** Layer l's weights, W[j][i] row-major (units × inputs). */
  getWeights(l) {
    return unwrap(this.#h().getWeights(l));
  }

  setWeights(l, w) {
    unwrap(this.#h().setWeights(l, w));
  }

  getBiases(l) {
    return unwrap(this.#h().getBiases(l));
  }

  setBiases(l, b) {
    unwrap(this.#h().setBiases(l, b));
  }

  /** Replaces the training split: x has n points (2 numbers each with features, else `inputs`), y n targets. */
  setData(x, y, n) {
    checkIndex(n, 'n');
    unwrap(this.#h().setData(x, y, n));
  }

  /** The training and test points, labels and targets. */
  data() {
    return unwrap(this.#h().data());
  }

  /** n × outputs. */
  predict(x, n) {
    checkIndex(n, 'n');
    return unwrap(this.#h().predict(x, n));
  }

  /** Runs one phase → { phase, layer } of the phase that ran. */
  stepPhase() {
    return unwrap(this.#h().stepPhase());
  }

  /** Finishes the current batch → { loss, epoch, batch }. */
  trainStep() {
    return unwrap(this.#h().trainStep());
  }

  /** Finishes the current epoch → { loss, epoch, lr }. */
  trainEpoch() {
    return unwrap(this.#h().trainEpoch());
  }

  /** Where the phase machine stands: { phase, layer (of the next step), epoch, batch, batchesPerEpoch, lr }. */
  cursor() {
    return unwrap(this.#h().cursor());
  }

  /** Everything layer l computed for the current batch. */
  trace(l) {
    return unwrap(this.#h().trace(l));
  }

  /** { trainLoss, testLoss, trainAccuracy, testAccuracy }; accuracies are null for regression. */
  evaluate() {
    return unwrap(this.#h().evaluate());
  }

  /**
   * Every non-input neuron's output on a res × res grid, neuron after neuron, rows from yMax down.
   * A view on the engine's memory: valid until the next call into the trainer.
   */
  heatmaps(res, xMin, xMax, yMin, yMax) {
    return unwrap(this.#h().heatmaps(res, xMin, xMax, yMin, yMax));
  }

  /** The same grid for each input feature. */
  inputHeatmaps(res, xMin, xMax, yMin, yMax) {
    return unwrap(this.#h().inputHeatmaps(res, xMin, xMax, yMin, yMax));
  }

  /** Everything that training changes, as bytes for restore(). */
  snapshot() {
    return unwrap(this.#h().snapshot());
  }

  restore(snapshot) {
    unwrap(this.#h().restore(snapshot));
  }

  delete() {
    if (!this.#handle) return;
    this.#handle.delete();
    this.#handle = null;
    this.#onDelete();
  }
}
