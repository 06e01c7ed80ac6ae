/**
 * Backprop Lab's JS API: loads the WebAssembly engine in Node and in browsers,
 * builds trainers, and turns the engine's error values into thrown LabErrors.
 * This file is the API's reference; README.md points here.
 *
 * ```js
 * import { loadEngine } from './bindings/index.mjs';
 * const lab = await loadEngine();
 * const t = lab.createTrainer({
 *   seed: 7, features: ['x1', 'x2'],
 *   layers: [{ units: 4, activation: 'tanh' }, { units: 3, activation: 'softmax' }],
 *   loss: 'cce', optimizer: { name: 'adam', lr: 0.01 },
 *   dataset: { name: 'spiral', classes: 3, samples: 500, noise: 0.1, trainRatio: 0.5 },
 * });
 * t.trainEpoch();
 * t.delete();   // every trainer owns engine memory until delete()
 * ```
 *
 * Conventions: names are camelCase; arrays going in are `Float64Array` or arrays
 * of numbers, arrays coming out are `Float64Array` unless noted, row-major. The
 * weights of layer l are `W[j][i]`, from input i to unit j (units × inputs). Losses,
 * optimizers and schedules follow PyTorch in float64 (reduction 'mean', torch.optim,
 * torch.optim.lr_scheduler stepped once per epoch).
 *
 * Every method checks its arguments before the engine sees them. A rejected call
 * throws a LabError and changes nothing: the trainer's snapshot() bytes are the same
 * before and after, and no engine memory is kept. Nothing but a LabError is ever thrown,
 * whatever the arguments: a symbol, a BigInt, a Proxy (its traps may throw), a getter or
 * valueOf that throws, a typed array of another realm or on a detached buffer, a sparse or
 * frozen array. Arrays are read once, element by element, in JS; the engine only ever sees
 * numbers, strings and its own copies.
 *
 * Numbers that overflow: every number documented as finite is finite. Where the float64 (or,
 * for heatmaps, float32) result would be infinite or NaN, the call is refused with LabError
 * `diverged` instead, and nothing changes: training calls undo the step (weights, optimizer
 * state, cursor as before it); evaluate, predict and heatmaps return nothing (evaluate's error
 * carries the evaluation in `details`, the overflowing loss as Infinity). null in evaluate()
 * means an empty split, never an overflow.
 *
 * @module backprop-lab
 */
import createBackpropLabCore from './backprop-lab-core.mjs';
import { pytorchScript, trainerJSON } from './pytorch.mjs';

/**
 * What went wrong, as `LabError.code`:
 * - `invalid_config`: createTrainer / resolveConfig got a config with problems; `problems` lists every one.
 * - `invalid_argument`: an argument of the wrong type, length or value (a string for a number,
 *   a Float32Array for weights, NaN or Infinity in data, x.length ≠ n × inputs, an unknown name).
 * - `out_of_range`: a number outside what is allowed: a layer index that does not exist, a
 *   negative or fractional index or count.
 * - `no_data`: training asked for, with neither a dataset in the config nor setData.
 * - `not_a_plane`: heatmaps asked for, with inputs that are not the (x1, x2) plane.
 * - `bad_snapshot`: restore() got bytes that are not a snapshot of this trainer.
 * - `not_ready`: paths() asked for a layer the backward pass has not reached in this batch.
 * - `diverged`: numbers overflowed (became infinite or NaN). From stepPhase, trainStep and
 *   trainEpoch (field 'optimizer.lr'): the batch's loss, the epoch's mean loss, a weight or the
 *   optimizer's state; the step was undone (the weights and optimizer state are as before the
 *   step; trainEpoch keeps the batches before it) and `details` says where ({ lr, epoch, batch }).
 *   From evaluate (field 'weights'): the loss over a whole split, with these weights; `details`
 *   is the evaluation, that loss Infinity. From predict (field 'x'): the outputs for these points.
 *   From heatmaps (field 'weights'): a neuron's float32 map. Nothing changes.
 * - `deleted`: the trainer was used after delete().
 * - `out_of_memory`, `internal`: the engine failed; `load_failed`, `no_webassembly`: loadEngine failed
 *   (`no_webassembly` with field 'simd': WebAssembly without its SIMD instructions; 'exceptions':
 *   without its exception handling).
 * @typedef {'invalid_config'|'invalid_argument'|'out_of_range'|'no_data'|'not_a_plane'|'bad_snapshot'|'not_ready'|'diverged'|'deleted'|'out_of_memory'|'internal'|'load_failed'|'no_webassembly'} LabErrorCode
 */

/**
 * One problem of a config: `message` is "field is value; allowed: allowed".
 * @typedef {{ field: string, value: string, allowed: string, message: string }} ConfigProblem
 */

/**
 * An error the engine or the API reported.
 * `field` names the config field or argument at fault as the JS API spells it
 * ("optimizer.lr", "layers[1].units", "dataset.name", "layer", "x", "snapshot");
 * `message` names it too, with what is allowed. For `invalid_config`, `problems` lists
 * every problem of the config at once and `field` is the first one's.
 */
export class LabError extends Error {
  constructor({ code, field = '', message, problems, details }) {
    super(message);
    this.name = 'LabError';
    /** @type {LabErrorCode} */
    this.code = code;
    /** @type {string} */
    this.field = field;
    /** @type {ConfigProblem[] | undefined} */
    if (problems) this.problems = problems;
    /**
     * @type {{ lr: number, epoch: number, batch: number } | { trainLoss: number|null, testLoss: number|null,
     *   trainAccuracy: number|null, testAccuracy: number|null } | undefined}
     *   for `diverged` from training: where it happened; from evaluate: the evaluation, an overflowing loss Infinity
     */
    if (details) this.details = details;
  }
}

const isNode = typeof process === 'object' && !!process.versions?.node && typeof window === 'undefined';
// The single-file build defines this as the engine's .wasm, gzip-compressed and in base64: the
// file carries it inside the module, a third smaller than the .wasm's own base64.
const embedded = typeof BPLAB_EMBEDDED_WASM !== 'undefined' && BPLAB_EMBEDDED_WASM;

/** The embedded engine's bytes: base64 decoded, then gunzipped by the browser (DecompressionStream). */
async function embeddedBinary() {
  if (typeof DecompressionStream !== 'function') {
    throw new LabError({ code: 'no_webassembly', field: 'decompression', message: 'this browser cannot decompress the engine carried in this file (DecompressionStream: Chrome 80, Firefox 113, Safari 16.4 and later); open the site\'s index.html over http instead' });
  }
  const damaged = (why) => new LabError({ code: 'load_failed', field: 'embedded', message: `the engine carried in this file is damaged: ${why?.message ?? why}` });
  let packed;
  try {
    packed = decodeBase64(embedded);
  } catch (err) {
    throw damaged(err);  // a character that is not base64
  }
  // The bytes are written to the decompressor in one piece: a Blob's stream() hands them over
  // asynchronously, chunk by chunk, which took three times as long at a 4× slower CPU.
  const gunzip = new DecompressionStream('gzip');
  const writer = gunzip.writable.getWriter();
  // A damaged file rejects these too; the read below reports it.
  writer.write(packed).catch(() => {});
  writer.close().catch(() => {});
  try {
    return new Uint8Array(await new Response(gunzip.readable).arrayBuffer());
  } catch (err) {
    // The read only says that it failed; the writer's side holds why.
    throw damaged(await writer.closed.then(() => err, (why) => why));
  }
}

function decodeBase64(text) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
  // A plain loop: Uint8Array.from(text, mapFn) calls a function per character, ten times slower.
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function unwrap(result) {
  if (result && result.error) throw new LabError(result.error);
  return result;
}

async function fetchChecked(url) {
  const response = await fetch(url);
  if (!response.ok) throw new LabError({ code: 'load_failed', field: 'download', message: `could not load ${url}: HTTP ${response.status}` });
  return response;
}

/** A response's body, its progress reported as it arrives; with keep false only counted (null). */
async function readWithProgress(response, onProgress, { keep = true } = {}) {
  const total = Number(response.headers.get('content-length')) || 0;
  if (!response.body || !onProgress) return keep ? new Uint8Array(await response.arrayBuffer()) : null;
  const reader = response.body.getReader();
  const chunks = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (keep) chunks.push(value);
    loaded += value.length;
    onProgress({ loaded, total });
  }
  if (!keep) return null;
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

async function fetchWithProgress(url, onProgress) {
  return readWithProgress(await fetchChecked(url), onProgress);
}

// In a browser the engine's download starts as soon as this module is evaluated, while the rest
// of a page's script still is, and it is compiled as it arrives (once it is all there, where the
// server does not call it application/wasm); loadEngine takes it up
// (each call instantiates the compiled module anew). Its failures are loadEngine's to report.
// The single file's engine is unpacked and compiled the same way, while the page's script is evaluated.
const early = isNode || typeof WebAssembly !== 'object' ? null
  : embedded ? startUnpacking() : typeof fetch === 'function' ? startDownload() : null;

function startDownload() {
  const progress = { loaded: 0, total: 0, listeners: new Set() };
  const report = (p) => {
    Object.assign(progress, p);
    for (const listener of progress.listeners) listener(p);
  };
  // Compiled while it downloads (at a 4× slower CPU the engine was ready about a tenth of a second
  // sooner); a copy of the response counts the bytes for the progress bar. A browser without
  // compileStreaming, or a server that does not serve the engine as application/wasm (which
  // streaming needs), gets it compiled whole.
  const streams = (r) => typeof WebAssembly.compileStreaming === 'function'
    && (r.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase() === 'application/wasm';
  const split = fetchChecked(new URL('./backprop-lab-core.wasm', import.meta.url)).then((r) => (streams(r)
    ? { counted: r.clone(), module: WebAssembly.compileStreaming(r) }
    : { counted: r, module: null }));
  const bytes = split.then(({ counted, module: m }) => readWithProgress(counted, report, { keep: !m }));
  const module = split.then(({ module: m }) => m ?? bytes.then((b) => WebAssembly.compile(b)));
  // A streamed compile can finish before the copy is read out: every byte came, say so.
  module.then(() => { if (progress.total && progress.loaded < progress.total) report({ loaded: progress.total, total: progress.total }); }, () => {});
  return settle({ progress, bytes, module });
}

function startUnpacking() {
  const bytes = embeddedBinary();
  const module = bytes.then((b) => WebAssembly.compile(b));
  return settle({ progress: { loaded: 0, total: 0, listeners: new Set() }, bytes, module });
}

// What loadEngine takes up: the module, and whether the bytes came (for a failure's message),
// not the bytes themselves, which the page would otherwise keep for as long as it is open.
function settle({ progress, bytes, module }) {
  const fetched = bytes.then(() => true);
  fetched.catch(() => {});
  module.catch(() => {});
  return { progress, fetched, module };
}

/** The engine compiled from the download started early, reporting its progress to onProgress. */
async function earlyModule(onProgress) {
  if (onProgress) {
    if (early.progress.loaded) onProgress({ loaded: early.progress.loaded, total: early.progress.total });
    early.progress.listeners.add(onProgress);
  }
  try {
    return await early.module;
  } catch (err) {
    // A download or an unpacking that failed is said as such; else the bytes are no working engine.
    try {
      await early.fetched;
    } catch (failed) {
      if (failed instanceof LabError) throw failed;
      throw new LabError({ code: 'load_failed', field: 'download', message: `could not load backprop-lab-core.wasm: ${failed?.message ?? failed}` });
    }
    throw new LabError({ code: 'load_failed', field: 'compile', message: `backprop-lab-core.wasm is not a working engine: ${err?.message ?? err}` });
  } finally {
    early.progress.listeners.delete(onProgress);
  }
}

async function wasmBinary(onProgress) {
  if (embedded) return embeddedBinary();
  const url = new URL('./backprop-lab-core.wasm', import.meta.url);
  if (isNode) {
    const { readFile } = await import('node:fs/promises');
    return new Uint8Array(await readFile(url));
  }
  return fetchWithProgress(url, onProgress);
}

// The WebAssembly features the engine is compiled for, each with a module valid only where the
// feature is. They are asked in this order; the first one missing is what loadEngine reports.
const FEATURES = [
  {
    // SIMD (-msimd128): one function that returns a v128 (i8x16.splat, i8x16.popcnt).
    field: 'simd',
    probe: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]),
    message: 'this browser runs WebAssembly without its SIMD instructions (simd128), which Backprop Lab needs; Chrome 91, Firefox 89, Safari 16.4 and later have them',
  },
  {
    // Exception handling (-fwasm-exceptions: a C++ exception is caught inside the engine, with no
    // call out to JS around each call that may throw): one function holding an empty try … catch_all.
    field: 'exceptions',
    probe: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 8, 1, 6, 0, 6, 64, 25, 11, 11]),
    message: 'this browser runs WebAssembly without its exception handling (exceptions), which Backprop Lab needs; Chrome 95, Firefox 100, Safari 15.2 and later have it',
  },
];

/**
 * Loads the engine. Each call instantiates its own engine (its own memory).
 * @param {{ onProgress?: (p: { loaded: number, total: number }) => void }} [options]
 *   onProgress reports the wasm download in browsers (total is 0 when unknown).
 * @returns {Promise<Lab>}
 * @throws {LabError} `no_webassembly`, `load_failed` (field 'download': the .wasm could not be
 *   fetched or read; 'embedded': the engine a single-file build carries cannot be unpacked;
 *   'compile': it is not a working engine); `invalid_argument` for options
 */
export async function loadEngine(options = {}) {
  const { onProgress } = optionsArg(options, ['onProgress']);
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw invalid('options.onProgress', `options.onProgress is ${safeKind(onProgress)}; allowed: a function ({ loaded, total }) => …`);
  }
  if (typeof WebAssembly !== 'object') {
    throw new LabError({ code: 'no_webassembly', message: 'this browser cannot run WebAssembly, which Backprop Lab needs' });
  }
  for (const { field, probe, message } of FEATURES) {
    if (!WebAssembly.validate(probe)) throw new LabError({ code: 'no_webassembly', field, message });
  }
  let coreOptions = {};
  let instantiated = null;  // rejects if the compiled engine cannot be instantiated
  if (early) {
    const module = await earlyModule(onProgress);
    let fail;
    instantiated = new Promise((resolve, reject) => { fail = reject; });
    coreOptions = {
      instantiateWasm(imports, receive) {
        WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module), fail);
        return {};
      },
    };
  } else {
    let binary;
    try {
      binary = await wasmBinary(onProgress);
    } catch (err) {
      if (err instanceof LabError) throw err;
      throw new LabError({ code: 'load_failed', field: 'download', message: `could not load backprop-lab-core.wasm: ${err?.message ?? err}` });
    }
    if (binary) coreOptions = { wasmBinary: binary };
  }
  let core;
  try {
    core = await Promise.race([createBackpropLabCore(coreOptions), ...(instantiated ? [instantiated] : [])]);
  } catch (err) {
    throw new LabError({ code: 'load_failed', field: 'compile', message: `backprop-lab-core.wasm is not a working engine: ${String(err?.message ?? err).replace(/ Build with -s ASSERTIONS=1 for more info\.?/, '')}` });
  }
  return new Lab(core);
}

// ---- arguments: what the engine's bindings accept is plain data -------------------------

function kindOf(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${Object.prototype.toString.call(value).slice(8, -1)} of ${value.length}`;
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined) return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function invalid(field, message) {
  return new LabError({ code: 'invalid_argument', field, message });
}

// What reaches the engine is plain: numbers, strings, booleans, null, undefined, and typed
// arrays of this realm that are the caller's own copies or plain views. Nothing the engine reads
// can run the caller's code (a getter, a Proxy's trap, valueOf), so a hostile value is refused
// here, in JS, with a LabError, never by an exception thrown through the engine.

// The typed-array kind of a value ('Float64Array', …), from the intrinsic getter: it reads an
// internal slot, so it works across realms and runs no code of the caller's (undefined otherwise).
const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag).get;
const typedArrayLength = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), 'length').get;

/** Array.isArray, which throws for a revoked Proxy: false then. */
function isArraySafe(value) {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

/** What a value is, for a message, running none of the caller's code (kindOf may read an array's length). */
function safeKind(value) {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    return typeof value === 'symbol' || typeof value === 'bigint' ? `a ${typeof value}` : kindOf(value);
  }
  const tag = typedArrayTag.call(value);
  if (tag) return `a ${tag} of ${typedArrayLength.call(value)}`;
  if (isArraySafe(value)) {
    try {
      return kindOf(value);
    } catch {
      return 'an array';
    }
  }
  return typeof value === 'function' ? 'a function' : 'an object';
}

/**
 * A number, name or flag argument as the engine may read it: primitives as they are (the engine
 * says what is wrong with them and what is allowed); an object is replaced by a stand-in of its
 * kind (an empty array of its length, an empty object), so that the engine's message names what
 * was given without reading the caller's object.
 */
function scalar(value) {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  if (typeof value === 'function') return () => {};
  if (isArraySafe(value)) {
    let length = 0;
    try {
      length = Number(value.length) >>> 0;
    } catch {
      // a Proxy whose trap throws: shown as an empty array
    }
    return new Array(length);
  }
  return {};
}

/** message of a caught error without calling anything of the thrown value's own. */
function reason(err) {
  if (err instanceof Error) return err.message;
  return safeKind(err);
}

/** A typed array of this realm for the engine: a plain view is passed, anything else copied. */
function ownTypedArray(value, Type, field) {
  const plain = Object.getPrototypeOf(value) === Type.prototype && !Object.getOwnPropertyDescriptor(value, 'length');
  if (plain && typedArrayLength.call(value) > 0) return value;  // (a detached buffer's view has length 0)
  try {
    return new Type(value);  // from another realm (an iframe), a view with properties of its own, or empty
  } catch (err) {
    throw invalid(field, `${field} is ${safeKind(value)} that cannot be read (${reason(err)}); allowed: a Float64Array or an array of numbers`);
  }
}

/**
 * A Float64Array of this realm for a Float64Array (of any realm) or an array of numbers; anything
 * else is refused, naming the first element that is not a number.
 */
function float64Arg(value, field) {
  if (typedArrayTag.call(value) === 'Float64Array') return ownTypedArray(value, Float64Array, field);
  if (!isArraySafe(value)) {
    throw invalid(field, `${field} is ${safeKind(value)}; allowed: a Float64Array or an array of numbers`);
  }
  // Each element is read once (a getter could answer differently a second time).
  const numbers = [];
  let i = 0;
  try {
    const n = value.length;
    if (typeof n !== 'number') throw new TypeError(`its length is ${safeKind(n)}`);
    for (; i < n; i++) {
      const x = value[i];
      if (typeof x !== 'number') throw invalid(field, `${field}[${i}] is ${safeKind(x)}; allowed: numbers`);
      numbers.push(x);
    }
  } catch (err) {
    if (err instanceof LabError) throw err;
    throw invalid(field, `${field} is an array that cannot be read at ${field}[${i}] (${reason(err)}); allowed: a Float64Array or an array of numbers`);
  }
  return Float64Array.from(numbers);
}

function snapshotArg(value) {
  if (typedArrayTag.call(value) === 'Uint8Array') {
    try {
      return ownTypedArray(value, Uint8Array, 'snapshot');
    } catch {
      // refused below, as bytes that are not a snapshot
    }
  }
  throw new LabError({
    code: 'bad_snapshot', field: 'snapshot',
    message: `snapshot is ${safeKind(value)}; allowed: the Uint8Array that snapshot() returned`,
  });
}

/**
 * The options object of a call: undefined, or an object with only the known fields; their values
 * are read once, here, and handed on as scalars.
 */
function optionsArg(options, known) {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || isArraySafe(options)) {
    throw invalid('options', `options is ${safeKind(options)}; allowed: an object { ${known.join(', ')} }`);
  }
  const out = {};
  let at = 'options';
  try {
    for (const key of Object.keys(options)) {
      at = `options.${key}`;
      if (!known.includes(key)) throw invalid(at, `${at} is an unknown field; allowed: the fields ${known.join(', ')}`);
      out[key] = options[key];
    }
  } catch (err) {
    if (err instanceof LabError) throw err;
    throw invalid(at, `${at} cannot be read (${reason(err)}); allowed: an object { ${known.join(', ')} } of plain values`);
  }
  return out;
}

/** The first thing in value that is not data (a function, a symbol), with its path as a config field. */
function notData(value, path, seen = new Set()) {
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') return { field: path || 'config', value };
  if (value === null || typeof value !== 'object' || seen.has(value)) return null;
  seen.add(value);
  for (const [key, inner] of Object.entries(value)) {
    const found = notData(inner, Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key, seen);
    if (found) return found;
  }
  return null;
}

/**
 * Plain data only reaches the engine: a structured clone runs the caller's getters here, in JS,
 * and refuses functions, so that reading settings in the engine never runs foreign code.
 * @returns {{ data: any } | { field: string, value: string }} the clone, or what could not be read
 */
function cloneData(value, path) {
  if (typeof structuredClone !== 'function') return { data: value };
  try {
    return { data: structuredClone(value) };
  } catch (err) {
    let found = null;
    try {
      found = notData(value, path);
    } catch {
      // a getter that throws again: reported as unreadable below
    }
    if (found) return { field: found.field, value: kindOf(found.value) };
    return { field: path || 'config', value: `unreadable (${reason(err)})` };
  }
}

const PLAIN_DATA = 'plain data: numbers, strings, booleans, arrays and objects';

function plainData(value, field) {
  if (value === null || typeof value !== 'object') return value;
  const clone = cloneData(value, field);
  if ('data' in clone) return clone.data;
  throw invalid(clone.field, `${clone.field} is ${clone.value}; allowed: ${PLAIN_DATA}`);
}

function plainConfig(config) {
  const clone = cloneData(config, '');
  if ('data' in clone) return clone.data;
  const problem = { field: clone.field, value: clone.value, allowed: PLAIN_DATA };
  problem.message = `${problem.field} is ${problem.value}; allowed: ${problem.allowed}`;
  throw new LabError({ code: 'invalid_config', field: problem.field, message: `invalid trainer config: ${problem.message}`, problems: [problem] });
}

// ---- the lab ---------------------------------------------------------------------------

/**
 * The loaded engine: makes trainers and offers the engine's own activation, softmax and
 * loss functions to the course panels (no JS re-implementation of the math).
 */
export class Lab {
  #core;
  #live = 0;
  #names;
  #limits;
  #settings;

  constructor(core) {
    this.#core = core;
  }

  /** The engine's version string. */
  get version() {
    return this.#core.engineInfo().version;
  }

  /**
   * For leak checks: `used` is the engine heap's bytes in use (mallinfo's uordblks),
   * `size` the byte length of the wasm memory (it only grows).
   * @returns {{ used: number, size: number }}
   */
  memory() {
    return { used: this.#core.engineInfo().heapUsed, size: this.#core.HEAP8.buffer.byteLength };
  }

  /** Trainers created and not yet deleted. */
  get liveTrainers() {
    return this.#live;
  }

  /**
   * Every name the config accepts, from the engine's registries (one per kind):
   * `{ activations, losses, optimizers, schedules, regularizations, inits, datasets, features, phases }`.
   * @returns {Readonly<Record<string, readonly string[]>>}
   */
  get names() {
    this.#names ??= deepFreeze(this.#core.names());
    return this.#names;
  }

  /**
   * The engine's bounds: `{ layers, units, inputs, samples, batchSize, gridRes, points, results, values, lr }`
   * (most layers, units per layer, inputs, dataset samples, batch size, heatmap res, points per
   * predict call, numbers one predict or heatmaps call returns, numbers per array of the
   * lab-level calls, learning rate).
   */
  get limits() {
    this.#limits ??= Object.freeze(this.#core.limits());
    return this.#limits;
  }

  /**
   * The engine's one table of optimizer and schedule settings, which reading a config,
   * validating it, a snapshot's fingerprint and a live reconfigure all use. One entry per
   * setting, the optimizer's and the schedule's name first:
   * `{ field, type, values?, min?, max?, minOpen?, maxOpen?, default, defaults?, readers?, onChange?, atMostLr? }`
   * - `field`: as a config and its errors spell it ('optimizer.lr', 'schedule.gamma', 'optimizer.name')
   * - `type`: 'number' | 'count' (a whole number) | 'flag' (true or false) | 'choice' (one of `values`)
   * - `min`, `max`: the range; `minOpen` / `maxOpen`: that end itself is not allowed
   * - `default`; `defaults`: the optimizers or schedules whose own default differs ({ adagrad: 1e-10 })
   * - `readers`: the optimizers or schedules that read it (the others ignore it; a flag must then be false)
   * - `onChange`: what a live trainer does when it changes: 'keep', 'newState' (the optimizer's state
   *   starts afresh), 'restartSchedule' (the schedule restarts from the rate)
   * - `atMostLr`: it may not exceed the learning rate where a reader reads it
   * @returns {ReadonlyArray<Readonly<object>>}
   */
  get settings() {
    this.#settings ??= deepFreeze(this.#core.settings());
    return this.#settings;
  }

  /**
   * Builds a trainer. The config (every field optional unless noted):
   * - `seed` (1): whole number 0…2^53; every random choice (data, noise, split, init, shuffle) comes from it.
   * - `inputs` (2): number of inputs, for data given with setData; or
   *   `features`: a list of 'x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2' computed from each
   *   point (x1, x2) (not both).
   * - `layers` (required): `[{ units, activation, alpha }]`, hidden layers then the output layer;
   *   units 1…512; activation 'linear', 'sigmoid', 'tanh' (hidden default), 'relu', 'leakyRelu'
   *   (alpha 0…1, default 0.01), 'elu' (alpha above 0, at most 10, default 1), 'softmax'
   *   (output only, ≥ 2 units); the output layer defaults to 'linear'.
   * - `loss`: 'mse' | 'bce' (sigmoid output) | 'cce' (softmax output) | 'half_mse' (TensorFlow
   *   Playground's square error: the mean over samples and outputs of ½(ŷ − y)², whose gradient is
   *   ŷ − y; PyTorch's `0.5 * nn.MSELoss()`); default from the output layer. 'mse' and 'half_mse' take
   *   any output: two classes then aim at −1 and 1 through a tanh output (at 0 and 1 otherwise), and
   *   they are the losses for regression.
   * - `optimizer`: `{ name, lr, … }`, name 'sgd' (default) | 'momentum' | 'nesterov' | 'adagrad' |
   *   'rmsprop' | 'adam' | 'adamw'; lr above 0, at most 1000 (default 0.03); torch's hyper-parameters
   *   with torch's defaults: momentum, dampening, nesterov, weightDecay, lrDecay,
   *   initialAccumulatorValue, alpha, centered, beta1, beta2, amsgrad, eps.
   * - `schedule`: `{ name, … }`, name 'constant' (default) | 'step' (stepSize, gamma) |
   *   'exponential' (gamma) | 'cosine' (tMax, etaMin) | 'plateau' (factor, patience, threshold,
   *   cooldown, minLr, eps, metric); stepped once per epoch. ReduceLROnPlateau's `metric` is what it
   *   watches: 'test' (default), the test split's loss evaluated at each epoch's end (the training loss
   *   when there is no test split), or 'train', the epoch's mean training loss. The full table, with
   *   ranges and defaults: `lab.settings`.
   * - `regularization`: `{ kind: 'none' | 'l1' | 'l2', rate }`, rate 0…10, on weights only.
   * - `init`: 'xavier' (default; torch's xavier_uniform_, biases 0) | 'he' (kaiming_normal_, biases 0) |
   *   'uniform' (the playground's U(−0.5, 0.5) weights, biases 0.1) | 'zero' (every weight and bias 0,
   *   the playground's initZero: it leaves the network symmetric — the units of a layer compute the same
   *   and get the same gradient, so they stay equal; with tanh hidden layers no weight moves at all).
   * - `batchSize` (10): 1…4096; `shuffle` (true).
   * - `dataset`: `{ name, samples, noise, trainRatio, classes }`, name 'circle' | 'xor' | 'gauss' |
   *   'spiral' | 'blobs' | 'plane' | 'multigauss'; samples 2…20000 (500), noise 0…1 (0),
   *   trainRatio above 0, at most 1 (0.5), classes 2…5 for 'spiral' and 'blobs' (2). Without a
   *   dataset, give data with setData.
   * Unknown fields are problems too, so a typo is never silently ignored.
   * @param {object} config
   * @returns {Trainer}
   * @throws {LabError} `invalid_config`, with `problems` listing every problem at once
   */
  createTrainer(config) {
    const plain = plainConfig(config);
    const handle = new this.#core.TrainerHandle();
    const result = handle.init(plain);
    if (result.error) {
      handle.delete();
      throw new LabError(result.error);
    }
    this.#live += 1;
    return new Trainer(handle, () => { this.#live -= 1; });
  }

  /**
   * Checks a config without building a trainer, and returns it complete: every field present,
   * defaults filled in (torch's for the chosen optimizer), in the shape createTrainer accepts.
   * @param {object} config
   * @returns {object}
   * @throws {LabError} `invalid_config`, as createTrainer
   */
  resolveConfig(config) {
    return unwrap(this.#core.resolveConfig(plainConfig(config))).config;
  }

  /**
   * An element-wise activation and its derivative (the local gradient f′(z)) at each z, computed by
   * the engine's own functions. At the kinks torch's convention holds: relu′(0) = 0, leakyRelu′(0) =
   * alpha, elu′(0) = alpha.
   * @param {'linear'|'sigmoid'|'tanh'|'relu'|'leakyRelu'|'elu'} name  softmax works on a row: see softmax()
   * @param {Float64Array|number[]} z  1 to limits.values finite numbers
   * @param {{ alpha?: number }} [options]  Leaky ReLU's slope (0…1, default 0.01), ELU's scale (default 1)
   * @returns {{ value: Float64Array, derivative: Float64Array, alpha: number }}
   * @throws {LabError} `invalid_argument` (field 'name', 'z', 'alpha', 'options'; the message names the element, z[i])
   */
  activation(name, z, options) {
    const { alpha } = optionsArg(options, ['alpha']);
    return unwrap(this.#core.activation(scalar(name), float64Arg(z, 'z'), scalar(alpha)));
  }

  /**
   * softmax of one row of scores (logits), shifted by the row's maximum as training does.
   * @param {Float64Array|number[]} scores  1 to limits.values finite numbers
   * @returns {Float64Array} probabilities, summing to 1
   * @throws {LabError} `invalid_argument` (field 'scores'; the message names the element, scores[i])
   */
  softmax(scores) {
    return unwrap(this.#core.softmax(float64Arg(scores, 'scores')));
  }

  /**
   * A loss over samples × units outputs, with training's own functions and conventions:
   * reduction 'mean' (loss = mean of perSample); 'mse' per sample = mean over units of (ŷ − y)²;
   * 'half_mse' per sample = mean over units of ½(ŷ − y)² (TensorFlow Playground's square error);
   * 'bce' per sample = mean over units of binary cross-entropy; 'cce' per sample = −Σ y·log p.
   * bce and cce are computed from logits, stably (BCEWithLogitsLoss, CrossEntropyLoss).
   * @param {'mse'|'bce'|'cce'|'half_mse'} name
   * @param {Float64Array|number[]} outputs  samples × units: for 'bce'/'cce' probabilities (bce: above 0,
   *   below 1; cce: above 0, rows summing to 1), or logits with `{ logits: true }`
   * @param {Float64Array|number[]} targets  same length; bce 0…1, cce rows summing to 1 (one-hot)
   * @param {{ logits?: boolean, units?: number }} [options]  units: outputs per sample (default 1 for
   *   mse, half_mse and bce; for cce the whole array is one sample)
   * @returns {{ loss: number, perSample: Float64Array, gradient: Float64Array }} IEEE float64 numbers, as
   *   torch computes them: outputs and targets far enough apart (1e200) give Infinity. gradient: samples × units,
   *   the derivative of each sample's own loss with respect to the outputs as given (∂l/∂ŷ, the
   *   output layer's upstream gradient; with logits ∂l/∂z, its downstream gradient, p − y for bce and cce)
   * @throws {LabError} `invalid_argument` (field 'name', 'outputs', 'targets', 'logits', 'units', 'options')
   */
  loss(name, outputs, targets, options) {
    const { logits, units } = optionsArg(options, ['logits', 'units']);
    return unwrap(this.#core.loss(scalar(name), float64Arg(outputs, 'outputs'), float64Arg(targets, 'targets'), scalar(logits), scalar(units)));
  }

  /**
   * The optimizer race's surfaces (names in lab.names.surfaces): 'valley' ½(x²/10 + 20y²), where SGD
   * zig-zags across the narrow direction; 'saddle' x² − y²; 'rosenbrock' (1 − x)² + 100(y − x²)².
   * @param {'valley'|'saddle'|'rosenbrock'} name
   * @returns {{ xMin: number, xMax: number, yMin: number, yMax: number, start: number[], minimum: number[] }}
   *   a frame showing the interesting part, a fair start point, and the minimum (the saddle point for 'saddle')
   * @throws {LabError} `invalid_argument` (field 'name')
   */
  surfaceView(name) {
    return unwrap(this.#core.surfaceView(scalar(name)));
  }

  /**
   * f over a res × res grid, rows from yMax down and columns from xMin across, at cell centres
   * (the layout of Trainer.heatmaps), for contour plots.
   * @returns {Float64Array} res × res values, IEEE float64: Infinity where f overflows (a frame out at 1e200)
   * @throws {LabError} `invalid_argument` (field 'name', 'res', 'xMin', 'xMax', 'yMin', 'yMax')
   */
  surfaceGrid(name, res, xMin, xMax, yMin, yMax) {
    return unwrap(this.#core.surfaceGrid(scalar(name), scalar(res), scalar(xMin), scalar(xMax), scalar(yMin), scalar(yMax)));
  }

  /**
   * Moves a point down a surface with the engine's own optimizer step (the same code and
   * hyper-parameters as training; optimizer as in createTrainer's config, e.g. { name: 'rmsprop',
   * lr: 0.01, alpha: 0.9 }).
   * @param {string} name  a surface
   * @param {object} optimizer
   * @param {number[]} start  [x, y]
   * @param {number} steps  0 to limits.surfaceSteps updates
   * @returns {{ x: Float64Array, y: Float64Array, value: Float64Array, gradX: Float64Array,
   *   gradY: Float64Array, states: object[], diverged: boolean }} the start and each step after it
   *   (steps + 1 entries; fewer when an update was refused because it made the point non-finite, then
   *   diverged is true). states[i] is the optimizer state after i updates, as in trace().state.weights:
   *   momentumBuffer, sum, squareAvg, expAvg, expAvgSq, mHat, vHat, effectiveLr (per coordinate x, y).
   * @throws {LabError} `invalid_argument` (field 'name', 'optimizer…', 'start', 'steps')
   */
  descendSurface(name, optimizer, start, steps) {
    if (!isArraySafe(start)) {
      throw invalid('start', `start is ${safeKind(start)}; allowed: a point [x, y]`);
    }
    // Plain copies: no getter of the caller's objects may run inside the engine.
    let point;
    try {
      point = start.length === 2 ? [scalar(start[0]), scalar(start[1])] : scalar(start);
    } catch (err) {
      throw invalid('start', `start is an array that cannot be read (${reason(err)}); allowed: a point [x, y]`);
    }
    return unwrap(this.#core.descendSurface(scalar(name), plainData(optimizer, 'optimizer'), point, scalar(steps)));
  }

  /**
   * The learning rate of each epoch under a schedule, stepped once per epoch by the engine's own
   * scheduler (torch.optim.lr_scheduler semantics), for plotting rate against epoch.
   * @param {object} schedule  as in createTrainer's config, e.g. { name: 'cosine', tMax: 20 }
   * @param {number} lr  the base learning rate
   * @param {number} epochs  1 to limits.epochs
   * @param {Float64Array|number[]} [losses]  each epoch's loss that 'plateau' watches (the test loss,
   *   or with metric 'train' the training loss): required for 'plateau' (mode min: a loss that stops
   *   improving by threshold for patience epochs cuts the rate)
   * @returns {{ lr: Float64Array, best?: Float64Array, badEpochs?: Float64Array }} lr[e] is the rate
   *   epoch e trains with (epochs + 1 entries, lr[0] the base); for 'plateau' also the best loss and
   *   the count of epochs without improvement after each epoch
   * @throws {LabError} `invalid_argument` (field 'schedule…', 'lr', 'epochs', 'losses')
   */
  scheduleRates(schedule, lr, epochs, losses) {
    const losses64 = losses === undefined ? undefined : float64Arg(losses, 'losses');
    return unwrap(this.#core.scheduleRates(plainData(schedule, 'schedule'), scalar(lr), scalar(epochs), losses64));
  }
}

function deepFreeze(value) {
  for (const inner of Object.values(value)) if (typeof inner === 'object' && inner) deepFreeze(inner);
  return Object.freeze(value);
}

// ---- the trainer -------------------------------------------------------------------------

/**
 * One network with its data, optimizer, schedule and phase machine. Made by lab.createTrainer;
 * owns engine memory until delete(). Every method throws LabError `deleted` after delete().
 *
 * The phase machine walks forward(layer 0 … L−1) → loss → backward(layer L−1 … 0) → update →
 * next batch. An epoch is one pass over the training split in batches taken in order (the last one
 * may be smaller); with shuffle, the order is reshuffled (seeded) before each epoch.
 */
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
    if (!this.#handle) {
      throw new LabError({ code: 'deleted', field: 'trainer', message: 'this trainer was deleted; make a new one with lab.createTrainer(config)' });
    }
    return this.#handle;
  }

  /** [inputs, …hidden units, outputs]: layer l maps layerSizes[l] inputs to layerSizes[l + 1] units. */
  get layerSizes() {
    this.#h();
    return this.#sizes;
  }

  /** Whether delete() was called. */
  get deleted() {
    return !this.#handle;
  }

  /** The trainer's complete config (defaults filled in), as lab.resolveConfig returns it. */
  get config() {
    return unwrap(this.#h().config());
  }

  /**
   * New training settings on this live trainer, as changing a torch optimizer's param_groups would:
   * optimizer (its state is kept while the name and the state-shaping settings — momentum, centered,
   * amsgrad — stay the same), learning rate and schedule (the schedule restarts from the new rate),
   * regularization, batchSize (the current epoch starts over) and shuffle. The weights, the epoch
   * count and the data stay; the current batch starts over. Snapshots taken before no longer fit.
   * @param {object} config  a whole config, as for createTrainer; seed, inputs/features, layers, loss,
   *   init and dataset must be the ones this trainer was built with
   * @throws {LabError} `invalid_config` (with problems, or naming the setting that cannot change live);
   *   nothing changes
   */
  reconfigure(config) {
    unwrap(this.#h().reconfigure(plainConfig(config)));
  }

  /**
   * Layer l's weights, W[j][i] from input i to unit j, row-major (units × inputs); a copy.
   * @param {number} l  0 … layerSizes.length − 2
   * @returns {Float64Array}
   * @throws {LabError} `out_of_range` / `invalid_argument` (field 'layer')
   */
  getWeights(l) {
    return unwrap(this.#h().getWeights(scalar(l)));
  }

  /**
   * Replaces layer l's weights (units × inputs finite numbers). The current batch starts over.
   * @param {number} l
   * @param {Float64Array|number[]} w
   * @throws {LabError} field 'layer'; 'weights' for its type, length, or an element that is NaN, Infinity or not a number (the message names weights[i])
   */
  setWeights(l, w) {
    const h = this.#h();
    unwrap(h.setWeights(scalar(l), float64Arg(w, 'weights')));
  }

  /** Layer l's biases (units); a copy. @returns {Float64Array} */
  getBiases(l) {
    return unwrap(this.#h().getBiases(scalar(l)));
  }

  /** Replaces layer l's biases (units finite numbers). The current batch starts over. */
  setBiases(l, b) {
    const h = this.#h();
    unwrap(h.setBiases(scalar(l), float64Arg(b, 'biases')));
  }

  /**
   * Replaces the training split with n samples (1 … limits.samples) and starts the epoch over.
   * x: n points, each `inputs` numbers, or (x1, x2) when the config has features. y: n × outputs
   * targets: one-hot rows for 'cce', 0…1 for 'bce', any finite number for 'mse' and 'half_mse'.
   * @param {Float64Array|number[]} x
   * @param {Float64Array|number[]} y
   * @param {number} n
   * @throws {LabError} field 'n', 'x', 'y' (lengths, NaN or Infinity, targets the loss cannot take; the message names the element)
   */
  setData(x, y, n) {
    const h = this.#h();
    unwrap(h.setData(float64Arg(x, 'x'), float64Arg(y, 'y'), scalar(n)));
  }

  /**
   * The data: `{ train, test, pointSize, classification, classes }`; each split is
   * `{ points (size × pointSize), labels (class index, or the regression value), targets
   * (size × outputs, what the loss compares with), size }`.
   */
  data() {
    return unwrap(this.#h().data());
  }

  /**
   * The network's outputs for n points (0 … limits.points, and n × outputs ≤ limits.results),
   * laid out as setData's x.
   * @param {Float64Array|number[]} x  n × inputs finite numbers
   * @param {number} n
   * @returns {Float64Array} n × outputs, finite
   * @throws {LabError} field 'n', 'x' (lengths, NaN or Infinity); `diverged` (field 'x') when an
   *   output overflows (points or weights too large)
   */
  predict(x, n) {
    const h = this.#h();
    return unwrap(h.predict(float64Arg(x, 'x'), scalar(n)));
  }

  /**
   * Runs one phase of the current batch.
   * @returns {{ phase: 'forward'|'loss'|'backward'|'update', layer: number }} the phase that ran
   * @throws {LabError} `no_data`; `diverged` (the loss phase: the batch's loss, or the epoch's running
   *   total, is not finite; the update phase: a weight or the optimizer state is not; the phase is
   *   undone, weights unchanged)
   */
  stepPhase() {
    return unwrap(this.#h().stepPhase());
  }

  /**
   * Finishes the current batch (the phases left of it).
   * @returns {{ loss: number, epoch: number, batch: number }} the batch's mean loss (finite), epochs
   *   completed, batches completed in the current epoch
   * @throws {LabError} `no_data`, `diverged` (the batch is undone: weights, optimizer state and cursor
   *   as before the call)
   */
  trainStep() {
    return unwrap(this.#h().trainStep());
  }

  /**
   * Finishes the current epoch; the schedule steps at its end.
   * @returns {{ loss: number, epoch: number, lr: number }} the epoch's mean training loss (finite),
   *   epochs completed, the learning rate for the next epoch
   * @throws {LabError} `no_data`, `diverged` (a batch's loss or the epoch's mean loss would overflow, or
   *   a weight: that batch is undone, the batches before it stay applied; never `loss: Infinity`)
   */
  trainEpoch() {
    return unwrap(this.#h().trainEpoch());
  }

  /**
   * Where the phase machine stands.
   * @returns {{ phase: string, layer: number, epoch: number, batch: number, batchesPerEpoch: number, lr: number }}
   *   phase and layer of the next step; epochs completed; the current batch's index in the epoch;
   *   the learning rate of the current epoch
   */
  cursor() {
    return unwrap(this.#h().cursor());
  }

  /**
   * Everything layer l computed for the current batch so far: the very numbers the backward
   * pass used. Per-sample arrays are batch × units, row-major; per-sample values are derivatives
   * of that sample's own loss, and the batch gradient (dW, db) is their mean.
   * - `batch` rows in the batch, `units`, `inputs`; `samples`: the rows' indices in the training split
   * - `step`: `{ epoch, batch }`, which batch these numbers belong to (after its update the cursor
   *   has already moved on to the next one)
   * - `forwardDone`, `backwardDone`, `updateDone`: which phases have run for this layer
   * - `input` (batch × inputs): what the layer saw (the previous layer's a, or the features)
   * - `z` pre-activation, `a` = f(z) activation
   * - `upstream` ∂l/∂a (from the layer above, or the loss), `local` f′(z) (for softmax the
   *   Jacobian's diagonal p(1 − p)), `downstream` ∂l/∂z = upstream × local (for softmax the full
   *   sum Σ ∂l/∂p_j · ∂p_j/∂z)
   * - `dW` (units × inputs): mean over the batch of ∂l/∂z_j · a_i; `db` (units): mean of ∂l/∂z_j;
   *   `penalty` (units × inputs): what L1/L2 adds to dW for the optimizer
   * - `weightsBefore`, `biasesBefore`: the parameters the update started from; `update`,
   *   `biasUpdate`: the change the optimizer applied (after = before + update)
   * - `state`: `{ lr, weights, biases }`, the rate the update used and torch's optimizer state per
   *   parameter tensor: `{ step, momentumBuffer?, sum?, squareAvg?, gradAvg?, expAvg?, expAvgSq?,
   *   maxExpAvgSq?, effectiveLr?, mHat?, vHat? }` (effectiveLr: the rate each gradient was scaled by,
   *   for Adam and AdamW the rate of m̂ (the step is −effectiveLr · m̂, plus AdamW's decay);
   *   mHat, vHat: Adam's bias-corrected moments)
   * - `loss` (output layer only): the batch's mean loss
   * - `probe`: null, or the probe sample's own numbers (see setProbe): `{ index, input, z, a, upstream,
   *   local, downstream, dW (its own ∂l/∂W = ∂l/∂z_j · a_i), db, loss (output layer) }`, valid under
   *   the same *Done flags
   * @param {number} l
   */
  trace(l) {
    return unwrap(this.#h().trace(scalar(l)));
  }

  /**
   * Loss and accuracy over each whole split; null where a split is empty, and accuracies null
   * for regression. Every number is finite: weights whose loss over a split overflows (a step
   * before a divergence can leave such weights, or setWeights) are refused, not reported as ∞.
   * @returns {{ trainLoss: number|null, testLoss: number|null, trainAccuracy: number|null, testAccuracy: number|null }}
   * @throws {LabError} `diverged` (field 'weights'): a split's loss overflows; `details` holds the
   *   evaluation with that loss as Infinity (what a page can show as ∞); nothing changes
   */
  evaluate() {
    return unwrap(this.#h().evaluate());
  }

  /**
   * Every non-input neuron's activation over a res × res grid of the (x1, x2) plane, in one call.
   * Layout (Float32Array of neurons × res × res): neuron after neuron, layer by layer (layer 0's
   * units first, the output layer's last); within a neuron's map, rows from yMax down to yMin,
   * columns from xMin across, each value at its cell's centre. Neuron k of the whole network
   * starts at k × res²; cell (row, col) is at k × res² + row × res + col.
   * Computed in float32, for drawing: within 1e-5 of predict() (which is float64), and the same
   * numbers in every build.
   * A view on the engine's memory, not a copy: valid until the next call into this trainer (it
   * reuses the buffer) and detached when the engine's memory grows; copy it to keep it.
   * @param {number} res  1 … limits.gridRes, and neurons × res² ≤ limits.results (a large network gets a coarser grid)
   * @param {number} xMin  finite, xMin < xMax
   * @param {number} xMax
   * @param {number} yMin  finite, yMin < yMax
   * @param {number} yMax
   * @returns {Float32Array} finite values
   * @throws {LabError} field 'res', 'xMin', 'xMax', 'yMin', 'yMax' (`out_of_range` also when the plane's
   *   features overflow float32); `not_a_plane`; `diverged` (field 'weights') when a neuron's value
   *   overflows float32 (about 3.4e38) or is NaN: the maps are not returned
   */
  heatmaps(res, xMin, xMax, yMin, yMax) {
    return unwrap(this.#h().heatmaps(scalar(res), scalar(xMin), scalar(xMax), scalar(yMin), scalar(yMax)));
  }

  /**
   * The same grid for each of the network's inputs (features), inputs × res × res; a view as heatmaps().
   * @returns {Float32Array} finite values
   * @throws {LabError} as heatmaps: `out_of_range` on the bound farthest from 0 when a feature of the
   *   plane overflows float32
   */
  inputHeatmaps(res, xMin, xMax, yMin, yMax) {
    return unwrap(this.#h().inputHeatmaps(scalar(res), scalar(xMin), scalar(xMax), scalar(yMin), scalar(yMax)));
  }

  /**
   * Everything training changes, as bytes for restore() (to rewind): a header (format, layer sizes,
   * optimizer, batch size, training-set size), the weights and biases, the optimizer's state, the
   * schedule's state, the cursor (phase, layer, epoch, batch), the epoch's shuffle order and the
   * shuffle generator, the running epoch loss, and the current batch with its whole trace. It does
   * not hold the config or the data: restore it into the trainer it came from (or one built from the
   * same config).
   * @returns {Uint8Array}
   */
  snapshot() {
    return unwrap(this.#h().snapshot());
  }

  /**
   * Puts the trainer back where snapshot() was taken. Bytes of another shape, truncated or garbage
   * are refused and change nothing.
   * @param {Uint8Array} snapshot
   * @throws {LabError} `bad_snapshot`
   */
  restore(snapshot) {
    const h = this.#h();
    unwrap(h.restore(snapshotArg(snapshot)));
  }

  /**
   * Each layer's mean |∂L/∂W| for the current batch (NaN for layers backward has not reached yet):
   * how much gradient reaches each layer, without copying whole traces.
   * @returns {Float64Array} one number per layer, input side first
   */
  gradientSizes() {
    return unwrap(this.#h().gradientSizes());
  }

  /**
   * Per layer, how many units output exactly 0 for every training sample: dead units, such as a ReLU
   * whose z stays below 0 for all the data. No gradient passes through them, so they do not learn
   * again; a hidden layer that is all dead stops the gradient for every layer below it.
   * @returns {number[]} one count per layer, input side first
   */
  deadUnits() {
    return Array.from(unwrap(this.#h().deadUnits()));
  }

  /**
   * Chooses the probe: one training sample (an index into data().train) carried through every phase
   * beside the batch, with the same weights and kernels, but never part of the batch means — it
   * changes nothing the optimizer does. Chosen mid-batch, it is computed at once for the phases
   * already run (after the update, with the weights the batch used). trace(l).probe then holds its
   * own numbers. null clears it. A snapshot holds the choice.
   * @param {number|null} index
   * @throws {LabError} `out_of_range` (field 'index'), `no_data`
   */
  setProbe(index) {
    unwrap(this.#h().setProbe(scalar(index)));
  }

  /** The probe's training index, or null. */
  get probe() {
    return unwrap(this.#h().probe()).index;
  }

  /**
   * Every path from weight W_l[to][from] to the loss: the chain to → k (layer l+1) → … → o (an
   * output unit). Along a path, for one sample, the product is
   *   a_from · f′(z_to) · Π_hidden m>l (W_m[k_m][k_(m−1)] · f′(z_(k_m))) · W_out[o][k] · ∂l/∂z_o
   * (for the output layer itself a_from · ∂l/∂z_to); ∂l/∂z_o is the output's exact downstream gradient,
   * so softmax + CE and sigmoid + BCE enter as p − y. The products of all paths sum to ∂l/∂w.
   * @param {number} l  layer
   * @param {number} to  unit j of layer l
   * @param {number} from  input i of layer l
   * @param {{ sample?: 'probe'|'mean'|number, limit?: number }} [options]  sample: the probe (the
   *   default when one is set), a batch row, or 'mean' (the default otherwise): products averaged over
   *   the batch, summing to trace(l).dW; limit: how many paths to list, largest |product| first (64)
   * @returns {{ layer: number, to: number, from: number, sample: string|number, count: number,
   *   sum: number, listedSum: number, paths: { units: number[], product: number, factors?: Float64Array }[] }}
   *   count and sum cover all paths; factors (not for 'mean') in the formula's order
   * @throws {LabError} `not_ready` (backward has not reached layer l in this batch), `out_of_range`
   *   (field 'layer', 'to', 'from', 'sample', 'limit'), `invalid_argument` (field 'sample', 'options')
   */
  paths(l, to, from, options) {
    const h = this.#h();
    const { sample, limit } = optionsArg(options, ['sample', 'limit']);
    return unwrap(h.paths(scalar(l), scalar(to), scalar(from), scalar(sample), scalar(limit)));
  }

  /**
   * The trainer as plain data, for a file ("Weights and data (JSON)"; JSON.stringify(trainer) writes it):
   * `{ format, config, layerSizes, layers: [{ inputs, units, weights, biases }], data: { pointSize,
   * classification, classes, train, test }, cursor, evaluation, optimizerState: [{ weights, biases }]
   * (torch's optimizer.state per parameter tensor, as trace(l).state gives it), schedule: { lastEpoch,
   * lr, best, numBadEpochs, cooldownCounter }, epochLoss: { sum, samples } (the current epoch's
   * batches so far), order }` (the current epoch's order of the training samples); arrays are plain.
   * @returns {object}
   */
  toJSON() {
    return trainerJSON(this, unwrap(this.#h().resumeState(1)));
  }

  /**
   * A self-contained PyTorch script (torch only) that continues this training: it rebuilds the network
   * as torch.nn.Sequential in float64 with these weights, the data (and the features as Python), the
   * loss, the torch.optim optimizer with its state and the lr_scheduler with its state, L1/L2 as the
   * lab applies them; prints the train and test loss of the current weights and exits with an error if
   * they differ from the lab's by more than 1e-9; then trains `epochs` epochs in the lab's batch order
   * (a trainer stopped mid-epoch or mid-batch finishes that epoch first), printing
   * `epoch <k> loss <x>` per epoch: k and x as the lab's next trainEpoch() calls report them.
   * Nothing about this trainer changes.
   * @param {{ epochs?: number, language?: 'en'|'ko' }} [options]  epochs: 1 … 1000 (10), and at most
   *   limits.values training samples in all; language: of the script's comments ('en')
   * @returns {string} the script's text
   * @throws {LabError} `no_data`; `out_of_range` (field 'epochs'); `invalid_argument` (field 'language', 'options', or an unknown option)
   */
  toPyTorch(options) {
    return pytorchScript(this, options, (epochs) => unwrap(this.#h().resumeState(epochs)));
  }

  /** Frees the trainer's engine memory; later calls throw LabError `deleted`. Calling it again does nothing. */
  delete() {
    if (!this.#handle) return;
    this.#handle.delete();
    this.#handle = null;
    this.#onDelete();
  }
}
