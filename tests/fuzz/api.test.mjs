// 10 000 random configs, each with a random sequence of calls through the JS API: createTrainer
// and resolveConfig with configs built from the engine's own tables (lab.names, lab.limits,
// lab.settings: every loss, activation, optimizer and its settings, schedule, dataset, feature and
// init), then weights, biases, data, predictions, training by phase, batch and epoch, evaluation,
// heatmaps, snapshots (whole and damaged), live reconfiguration, the probe, paths, traces, delete
// and use after delete, and the lab-level functions. Arguments are valid, at the edges, or hostile:
// symbols, BigInts, Proxies (some whose traps throw, some revoked), throwing getters and valueOf,
// detached buffers, typed arrays of another realm, huge, empty, sparse and frozen arrays, −0,
// subnormals, 1e308, NaN, strings, null and undefined, wrong lengths, layer indices that do not exist.
// Whatever comes in: only a LabError escapes (code, field and message non-empty strings), and a refused
// call leaves the trainer's snapshot bytes as they were; every number the API documents as finite is
// finite; the engine's heap comes back to where it was after every sequence (all its trainers
// deleted) and no trainer is left alive.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import vm from 'node:vm';
import { LabError, loadEngine } from '../helpers/lab.mjs';
import { check, SEED } from './random.mjs';

const lab = await loadEngine();
const { names, limits, settings } = lab;
const other = vm.runInNewContext(`({
  f64: (n) => new Float64Array(n).fill(0.25),
  u8: (bytes) => new Uint8Array(bytes),
  array: (n) => new Array(n).fill(0.5),
  object: () => ({ name: 'adam', lr: 0.01 }),
})`);

// ---- values: each is described by a plain spec (printable, so that a failing sequence can be
// shown), made into the real value when the call runs ----------------------------------------

const HOSTILE = ['symbol', 'bigint', 'proxy', 'throwingProxy', 'revokedProxy', 'throwingGetter', 'throwingValueOf', 'valueOf',
  'detached', 'otherRealm', 'hugeArray', 'emptyArray', 'minusZero', 'subnormal', 'big', 'minusBig', 'nan', 'infinity',
  'string', 'numericString', 'null', 'undefined', 'frozen', 'sparse', 'function', 'true', 'float32', 'arrayBuffer',
  'date', 'bigIndex', 'negative', 'fraction', 'throwingArrayProxy', 'object'];

function makeHostile(kind) {
  const boom = () => { throw new Error('boom from the caller'); };
  switch (kind) {
    case 'symbol': return Symbol('fuzz');
    case 'bigint': return 12n;
    case 'proxy': return new Proxy({ a: 1 }, {});
    case 'throwingProxy': return new Proxy({}, { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom });
    case 'revokedProxy': { const p = Proxy.revocable([], {}); p.revoke(); return p.proxy; }
    case 'throwingGetter': return Object.defineProperty({}, 'lr', { get: boom, enumerable: true });
    case 'throwingValueOf': return { valueOf: boom, toString: boom };
    case 'valueOf': return { valueOf: () => 1 };
    case 'detached': { const a = new Float64Array(4); structuredClone(a.buffer, { transfer: [a.buffer] }); return a; }
    case 'otherRealm': return other.f64(4);
    case 'hugeArray': return new Array(200000).fill(0.5);
    case 'emptyArray': return [];
    case 'minusZero': return -0;
    case 'subnormal': return 5e-324;
    case 'big': return 1e308;
    case 'minusBig': return -1e308;
    case 'nan': return NaN;
    case 'infinity': return -Infinity;
    case 'string': return 'tanh';
    case 'numericString': return '1';
    case 'null': return null;
    case 'undefined': return undefined;
    case 'frozen': return Object.freeze([0.5, 0.5]);
    case 'sparse': return [0.5, , 0.5];  // eslint-disable-line no-sparse-arrays
    case 'function': return () => 1;
    case 'true': return true;
    case 'float32': return new Float32Array(4);
    case 'arrayBuffer': return new ArrayBuffer(8);
    case 'date': return new Date(0);
    case 'bigIndex': return 2 ** 53;
    case 'negative': return -1;
    case 'fraction': return 0.5;
    case 'throwingArrayProxy': return new Proxy([1, 2, 3, 4], { get: (target, key) => (key === 'length' ? 4 : boom()) });
    case 'object': return {};
    default: throw new Error(`unknown hostile kind ${kind}`);
  }
}

// Numbers that are odd but finite (accepted where a finite number is), and ones that are not.
const ODD_NUMBERS = [-0, 5e-324, -5e-324, 1e308, -1e308, 1e-300, 2 ** 53, 0.1];
const BAD_ELEMENTS = ['nan', 'infinity', 'symbol', 'bigint', 'throwingValueOf', 'valueOf', 'numericString', 'null', 'undefined', 'object'];

/** Spec of an array of numbers of length n (or a wrong one), in one of the shapes callers pass. */
function numbersSpec(t, n, scale = 2) {
  const spec = { n, scale, shape: t.pick(['float64', 'float64', 'array', 'array', 'otherRealm', 'frozen', 'subarray', 'proxy']) };
  if (t.chance(0.1)) spec.n = t.pick([0, n + 1, Math.max(0, n - 1), n * 2]);
  if (t.chance(0.12) && spec.n > 0) spec.odd = [t.int(spec.n), t.pick(ODD_NUMBERS)];
  if (t.chance(0.1) && spec.n > 0) spec.bad = [t.int(spec.n), t.pick(BAD_ELEMENTS)];
  if (t.chance(0.04) && spec.n > 1) spec.hole = t.int(spec.n);
  if (t.chance(0.05)) spec.hostile = t.pick(HOSTILE);
  spec.seed = t.int(1e9);
  return spec;
}

function makeNumbers(spec) {
  if (spec.hostile) return makeHostile(spec.hostile);
  let s = spec.seed;
  const values = Array.from({ length: spec.n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return ((s / 2 ** 32) * 2 - 1) * spec.scale;
  });
  if (spec.odd) values[spec.odd[0]] = spec.odd[1];
  const plain = !spec.bad && spec.hole === undefined;
  if (spec.bad) values[spec.bad[0]] = makeHostile(spec.bad[1]);
  if (spec.hole !== undefined) delete values[spec.hole];
  switch (plain ? spec.shape : 'array') {
    case 'float64': return Float64Array.from(values);
    case 'otherRealm': { const a = other.f64(values.length); a.set(values); return a; }
    case 'frozen': return Object.freeze(values);
    case 'subarray': { const a = new Float64Array(values.length + 2); a.set(values, 1); return a.subarray(1, values.length + 1); }
    case 'proxy': return new Proxy(values, {});
    default: return values;
  }
}

/** A number argument: mostly valid (in lo…hi), sometimes at or past the edges, or hostile. */
function intSpec(t, lo, hi) {
  const r = t.int(20);
  if (r < 14) return { v: lo + t.int(hi - lo + 1) };
  if (r < 17) return { v: t.pick([lo - 1, hi + 1, lo, hi, lo + 0.5, -0, 2 ** 32, 2 ** 53 + 2]) };
  return { hostile: t.pick(HOSTILE) };
}
function realSpec(t, value) {
  const r = t.int(20);
  if (r < 16) return { v: value };
  if (r < 18) return { v: t.pick([1e308, -1e308, 5e-324, -0, 1e38, 3e38]) };
  return { hostile: t.pick(HOSTILE) };
}
const make = (spec) => (spec && 'hostile' in spec ? makeHostile(spec.hostile) : spec?.v);

// ---- configs from the engine's tables ---------------------------------------------------------

function settingValue(t, entry) {
  switch (entry.type) {
    case 'flag': return t.chance(0.5);
    case 'choice': return t.pick(entry.values);
    case 'count': return Math.min(entry.max, entry.min + t.int(20));
    default: {
      const lo = entry.min, hi = Math.min(entry.max, entry.field === 'optimizer.lr' ? 1 : entry.max);
      let x = lo + t.int(1000) / 1000 * (hi - lo);
      if (entry.minOpen && x <= lo) x = lo + (hi - lo) / 1000;
      if (entry.maxOpen && x >= entry.max) x = entry.max - (entry.max - lo) / 1000;
      return x;
    }
  }
}

/** optimizer or schedule settings: every setting its reader reads, each present half of the time. */
function group(t, prefix, name) {
  const out = { name };
  for (const entry of settings) {
    const [head, key] = entry.field.split('.');
    if (head !== prefix || key === 'name' || !(entry.readers ?? []).includes(name)) continue;
    if (t.chance(0.5)) out[key] = settingValue(t, entry);
  }
  if (prefix === 'optimizer') {
    out.lr = t.chance(0.05) ? t.pick([limits.lr, 100, 10]) : t.pick([0.003, 0.03, 0.1, 0.5]);
    if (out.nesterov && !(out.momentum > 0)) out.momentum = 0.9;
    if (out.nesterov) out.dampening = 0;
  }
  if (prefix === 'schedule') {
    if ('etaMin' in out) out.etaMin = 0;
    if ('minLr' in out) out.minLr = 0;
  }
  return out;
}

const CLASS_DATASETS = new Set(['spiral', 'blobs']);

function configSpec(t, large = false) {
  const loss = t.pick(names.losses);
  const c = { seed: t.int(2 ** 31) };
  const plane = t.chance(0.75);
  if (plane) c.features = names.features.filter(() => t.chance(0.5)).concat(t.chance(0.5) ? [] : ['x1']).filter((f, i, a) => a.indexOf(f) === i);
  else c.inputs = 1 + t.int(large ? 8 : 3);
  if (plane && c.features.length === 0) c.features = ['x1', 'x2'];
  const hidden = large ? 2 + t.int(5) : t.int(3);
  const widest = large ? 8 : 4;
  const hiddenActivations = names.activations.filter((a) => a !== 'softmax');
  c.layers = Array.from({ length: hidden }, () => {
    const layer = { units: 1 + t.int(widest), activation: t.pick(hiddenActivations) };
    if (t.chance(0.2) && (layer.activation === 'leakyRelu' || layer.activation === 'elu')) layer.alpha = t.pick([0.01, 0.2, 1]);
    return layer;
  });
  let outputs = 1;
  let activation = t.pick(hiddenActivations);
  if (loss === 'cce') { outputs = 2 + t.int(4); activation = 'softmax'; }
  if (loss === 'bce') activation = 'sigmoid';
  if ((loss === 'mse' || loss === 'half_mse') && t.chance(0.3)) outputs = 1 + t.int(3);
  c.layers.push({ units: outputs, activation });
  c.loss = loss;
  c.optimizer = group(t, 'optimizer', t.pick(names.optimizers));
  c.schedule = group(t, 'schedule', t.pick(names.schedules));
  c.regularization = { kind: t.pick(names.regularizations), rate: t.pick([0, 0.001, 0.01, 0.3]) };
  c.init = t.pick(names.inits);
  c.batchSize = 1 + t.int(large ? 64 : 12);
  c.shuffle = t.chance(0.5);
  if (plane && t.chance(0.85)) {
    const name = loss === 'cce' ? t.pick(['spiral', 'blobs']) : t.pick(names.datasets.filter((d) => !CLASS_DATASETS.has(d) || t.chance(0.3)));
    c.dataset = { name, samples: large ? 500 + t.int(1500) : 2 + t.int(40), noise: t.int(5) / 4, trainRatio: t.pick([1, 0.5, 0.8, 0.1]) };
    if (CLASS_DATASETS.has(name)) c.dataset.classes = loss === 'cce' ? outputs : 2;
  }
  c.frozen = t.chance(0.1);  // deep-frozen, as a course author's constant might be
  // A hostile or out-of-range value somewhere in one config in five.
  if (t.chance(0.2)) {
    const path = t.pick([['seed'], ['inputs'], ['loss'], ['init'], ['batchSize'], ['shuffle'], ['layers'], ['layers', 0, 'units'], ['layers', 0, 'activation'],
      ['optimizer'], ['optimizer', 'lr'], ['optimizer', 'name'], ['optimizer', 'momentum'], ['schedule', 'name'], ['schedule', 'gamma'],
      ['regularization', 'rate'], ['dataset', 'samples'], ['dataset', 'noise'], ['dataset', 'trainRatio'], ['features', 0], ['bogus']]);
    c.hole = { path, value: t.chance(0.6) ? { hostile: t.pick(HOSTILE) } : { v: t.pick([0, -1, 1e308, NaN, 513, 2 ** 53, 'x', 0.5]) } };
  }
  return c;
}

function deepFreeze(value) {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function makeConfig(spec) {
  const { hole, frozen, ...config } = structuredClone(spec);
  if (hole) {
    let at = config;
    for (const key of hole.path.slice(0, -1)) {
      if (at[key] === null || typeof at[key] !== 'object') at[key] = {};
      at = at[key];
    }
    at[hole.path.at(-1)] = make(hole.value);
  }
  return frozen && !(hole && 'hostile' in hole.value) ? deepFreeze(config) : config;
}

// ---- calls ------------------------------------------------------------------------------------

const RANGE = { res: [1, 12], bounds: [-6, 6] };

function gridArgs(t, large) {
  return [intSpec(t, 1, large ? 64 : RANGE.res[1]), realSpec(t, -6), realSpec(t, 6), realSpec(t, -6), realSpec(t, 6)];
}

/** One call's spec: which call, on which trainer (the latest made), with which argument specs. */
function callSpec(t, shape, large) {
  const { inputs = 2, outputs = 1, layers = 2, point = 2 } = shape;
  const layer = () => (t.chance(0.85) ? { v: t.int(layers) } : intSpec(t, -1, layers + 1));
  const units = shape.sizes ?? [];
  const n = 1 + t.int(large ? 300 : 12);
  const calls = [
    ['trainStep', 6], ['stepPhase', 6], ['trainEpoch', 3], ['evaluate', 4], ['predict', 4], ['heatmaps', 3], ['inputHeatmaps', 1],
    ['getWeights', 2], ['setWeights', 4], ['getBiases', 1], ['setBiases', 3], ['setData', 3], ['data', 1], ['cursor', 1],
    ['trace', 2], ['gradientSizes', 1], ['setProbe', 2], ['paths', 2], ['snapshot', 1], ['restore', 4], ['reconfigure', 2],
    ['config', 1], ['delete', 1], ['lab', 5], ['create', 1],
  ];
  let r = t.int(calls.reduce((sum, [, w]) => sum + w, 0));
  let call;
  for (const [name, weight] of calls) {
    call = name;
    if ((r -= weight) < 0) break;
  }
  const l = t.int(layers);
  const size = (k) => units[k] ?? 2;
  switch (call) {
    case 'setWeights': return { call, args: [layer(), numbersSpec(t, size(l) * size(l + 1), t.chance(0.05) ? 1e300 : 2)] };
    case 'setBiases': return { call, args: [layer(), numbersSpec(t, size(l + 1), t.chance(0.05) ? 1e300 : 2)] };
    case 'getWeights': case 'getBiases': case 'trace': return { call, args: [layer()] };
    case 'setData': {
      const spec = { call, args: [numbersSpec(t, n * point, t.chance(0.05) ? 1e200 : 3), numbersSpec(t, n * outputs, 1), intSpec(t, n, n)] };
      spec.targets = shape.loss;  // the targets are made to fit the loss, most of the time
      return spec;
    }
    case 'predict': return { call, args: [numbersSpec(t, n * point, t.chance(0.05) ? 1e300 : 3), intSpec(t, n, n)] };
    case 'heatmaps': case 'inputHeatmaps': return { call, args: gridArgs(t, large) };
    case 'setProbe': return { call, args: [t.chance(0.2) ? { v: null } : intSpec(t, 0, 10)] };
    case 'paths': {
      const options = t.chance(0.5) ? { v: undefined } : t.chance(0.8)
        ? { v: { sample: t.pick(['mean', 'probe', 0, 1, 99, 'row', -1]), limit: t.pick([1, 8, 64, 0, 1e9]) } } : { hostile: t.pick(HOSTILE) };
      return { call, args: [layer(), intSpec(t, 0, 4), intSpec(t, 0, 4), options] };
    }
    case 'restore': return { call, damage: t.pick(['none', 'none', 'flip', 'truncate', 'extend', 'zero', 'other', 'hostile', 'otherRealm', 'header']), at: t.int(1e6), byte: t.int(256), hostile: t.pick(HOSTILE) };
    case 'reconfigure': return { call, change: t.pick(['optimizer', 'schedule', 'batchSize', 'regularization', 'layers', 'seed', 'whole', 'hostile']), config: configSpec(t, large) };
    case 'lab': return labSpec(t);
    case 'create': return { call, config: configSpec(t, false) };
    default: return { call, args: [] };
  }
}

function labSpec(t) {
  const fn = t.pick(['activation', 'softmax', 'loss', 'surfaceGrid', 'surfaceView', 'descendSurface', 'scheduleRates', 'resolveConfig']);
  const n = 1 + t.int(8);
  switch (fn) {
    case 'activation': return { call: 'lab', fn, args: [t.chance(0.9) ? { v: t.pick(names.activations) } : { hostile: t.pick(HOSTILE) }, numbersSpec(t, n, t.chance(0.1) ? 1e308 : 5),
      t.chance(0.7) ? { v: undefined } : t.chance(0.7) ? { v: { alpha: t.pick([0.01, 0.5, 1, 2, -1]) } } : { hostile: t.pick(HOSTILE) }] };
    case 'softmax': return { call: 'lab', fn, args: [numbersSpec(t, n, t.chance(0.1) ? 1e308 : 5)] };
    case 'loss': return { call: 'lab', fn, args: [t.chance(0.9) ? { v: t.pick(names.losses) } : { hostile: t.pick(HOSTILE) }, numbersSpec(t, n, 0.49), numbersSpec(t, n, 0.49),
      t.chance(0.5) ? { v: { logits: t.chance(0.5) } } : t.chance(0.8) ? { v: { units: t.pick([1, 2, n, 0]) } } : { hostile: t.pick(HOSTILE) }] };
    case 'surfaceView': return { call: 'lab', fn, args: [t.chance(0.9) ? { v: t.pick(names.surfaces) } : { hostile: t.pick(HOSTILE) }] };
    case 'surfaceGrid': return { call: 'lab', fn, args: [{ v: t.pick(names.surfaces) }, intSpec(t, 1, 16), realSpec(t, -2), realSpec(t, 2), realSpec(t, -2), realSpec(t, 2)] };
    case 'descendSurface': return { call: 'lab', fn, args: [{ v: t.pick(names.surfaces) }, t.chance(0.9) ? { v: group(t, 'optimizer', t.pick(names.optimizers)) } : { hostile: t.pick(HOSTILE) },
      t.chance(0.85) ? { v: [t.int(5) - 2, t.int(5) - 2] } : { hostile: t.pick(HOSTILE) }, intSpec(t, 0, 40)] };
    case 'scheduleRates': {
      const schedule = group(t, 'schedule', t.pick(names.schedules));
      const epochs = 1 + t.int(30);
      return { call: 'lab', fn, args: [t.chance(0.9) ? { v: schedule } : { hostile: t.pick(HOSTILE) }, realSpec(t, 0.1), intSpec(t, epochs, epochs),
        schedule.name === 'plateau' || t.chance(0.2) ? numbersSpec(t, epochs, 1) : { v: undefined }] };
    }
    default: return { call: 'lab', fn, config: configSpec(t, false) };
  }
}

/** What a config means for the calls after it: sizes, outputs and the loss, as far as the spec says. */
function shapeOf(spec) {
  const inputs = spec.features?.length ?? spec.inputs ?? 2;
  const sizes = [inputs, ...(Array.isArray(spec.layers) ? spec.layers.map((l) => l?.units ?? 1) : [1])];
  return { inputs, sizes, layers: sizes.length - 1, outputs: sizes.at(-1), point: spec.features ? 2 : inputs, loss: spec.loss };
}

/** A sequence: a config first (the trainer's), then the calls; the large ones are few. */
function sequence(t, k) {
  const large = k % 97 === 5;
  const config = configSpec(t, large);
  const shape = shapeOf(config);
  const length = large ? 4 + t.int(6) : 1 + t.int(12);
  return [{ call: 'create', config, large }, ...Array.from({ length }, () => callSpec(t, shape, large))];
}

// ---- running a sequence -------------------------------------------------------------------------

/** Targets that fit the loss (one-hot for cce, 0…1 for bce) unless the spec made them odd. */
function fitTargets(y, loss, outputs) {
  if (!ArrayBuffer.isView(y) || Object.prototype.toString.call(y) !== '[object Float64Array]' || y.length === 0) return y;  // (a Proxy is no view; a detached one has length 0)
  const out = Float64Array.from(y);
  for (let r = 0; r * outputs < out.length; r++) {
    for (let o = 0; o < outputs && r * outputs + o < out.length; o++) {
      const i = r * outputs + o;
      if (loss === 'bce') out[i] = Math.abs(out[i]);
      if (loss === 'cce') out[i] = o === r % outputs ? 1 : 0;
    }
  }
  return out;
}

function damaged(bytes, spec, t) {
  const at = bytes.length ? spec.at % bytes.length : 0;
  switch (spec.damage) {
    case 'flip': { const b = bytes.slice(); b[at] ^= 1 + (spec.byte % 255); return b; }
    case 'truncate': return bytes.slice(0, at);
    case 'extend': { const b = new Uint8Array(bytes.length + 1 + (spec.byte % 64)); b.set(bytes); return b; }
    case 'zero': return new Uint8Array(bytes.length);
    case 'header': { const b = bytes.slice(); b.fill(spec.byte, 0, Math.min(16, b.length)); return b; }
    case 'other': return t?.snapshot() ?? bytes;
    case 'hostile': return makeHostile(spec.hostile);
    case 'otherRealm': { const b = other.u8(bytes.length); b.set(bytes); return b; }
    default: return bytes;
  }
}

function reconfigured(t, spec) {
  const current = t.config;
  switch (spec.change) {
    case 'optimizer': return { ...current, optimizer: spec.config.optimizer };
    case 'schedule': return { ...current, schedule: spec.config.schedule };
    case 'batchSize': return { ...current, batchSize: spec.config.batchSize };
    case 'regularization': return { ...current, regularization: spec.config.regularization };
    case 'layers': return { ...current, layers: spec.config.layers };
    case 'seed': return { ...current, seed: spec.config.seed + 1 };
    case 'hostile': return { ...current, optimizer: makeHostile(spec.config.seed % 2 ? 'throwingGetter' : 'throwingProxy') };
    default: return makeConfig(spec.config);
  }
}

const finite = (x, what) => assert.ok(Number.isFinite(x), `${what} is ${String(x)}, documented finite`);
function allFinite(array, what) {
  for (let i = 0; i < array.length; i++) if (!Number.isFinite(array[i])) assert.fail(`${what}[${i}] is ${array[i]}, documented finite`);
}
const nullOrFinite = (x, what) => assert.ok(x === null || Number.isFinite(x), `${what} is ${String(x)}: documented a finite number, or null for an empty split`);

/** Checks every number a call documents as finite. */
function checkResult(spec, result, t) {
  switch (spec.call) {
    case 'trainStep': finite(result.loss, 'trainStep().loss'); finite(result.epoch, 'epoch'); finite(result.batch, 'batch'); break;
    case 'trainEpoch': finite(result.loss, 'trainEpoch().loss'); finite(result.epoch, 'epoch'); finite(result.lr, 'trainEpoch().lr'); break;
    case 'evaluate':
      for (const key of ['trainLoss', 'testLoss', 'trainAccuracy', 'testAccuracy']) nullOrFinite(result[key], `evaluate().${key}`);
      if (t.data().train.size > 0) assert.notEqual(result.trainLoss, null, 'evaluate().trainLoss is null with a training split');
      break;
    case 'predict': assert.ok(result instanceof Float64Array); allFinite(result, 'predict()'); break;
    case 'heatmaps': case 'inputHeatmaps': assert.ok(result instanceof Float32Array); allFinite(result, `${spec.call}()`); break;
    case 'getWeights': case 'getBiases': allFinite(result, `${spec.call}()`); break;
    case 'cursor': for (const key of ['layer', 'epoch', 'batch', 'batchesPerEpoch', 'lr']) finite(result[key], `cursor().${key}`); break;
    case 'data': for (const split of ['train', 'test']) { allFinite(result[split].points, `data().${split}.points`); allFinite(result[split].targets, `data().${split}.targets`); } break;
    case 'snapshot': assert.ok(result instanceof Uint8Array); break;
    case 'lab':
      if (spec.fn === 'activation') { allFinite(result.value, 'activation().value'); allFinite(result.derivative, 'activation().derivative'); }
      if (spec.fn === 'softmax') allFinite(result, 'softmax()');
      if (spec.fn === 'scheduleRates') allFinite(result.lr, 'scheduleRates().lr');
      break;
    default:
  }
}

const SKIPPED = Symbol('no trainer was made');

function run(spec, state) {
  const t = state.trainers.at(-1);
  const args = () => spec.args.map((a) => ('shape' in a ? makeNumbers(a) : make(a)));
  switch (spec.call) {
    case 'create': {
      const trainer = lab.createTrainer(makeConfig(spec.config));
      state.trainers.push(trainer);
      return trainer;
    }
    case 'lab': {
      if (spec.fn === 'resolveConfig') return lab.resolveConfig(makeConfig(spec.config));
      return lab[spec.fn](...args());
    }
    default:
  }
  if (!t) return SKIPPED;
  switch (spec.call) {
    case 'setData': {
      const [x, y, n] = args();
      return t.setData(x, spec.targets && y ? fitTargets(y, spec.targets, t.deleted ? 1 : t.layerSizes.at(-1)) : y, n);
    }
    case 'restore': {
      const own = t.deleted ? new Uint8Array(8) : t.snapshot();
      const otherTrainer = spec.damage === 'other' ? state.trainers.find((x) => x !== t && !x.deleted) : null;
      return t.restore(damaged(own, spec, otherTrainer));
    }
    case 'reconfigure': return t.reconfigure(t.deleted ? {} : reconfigured(t, spec));
    case 'config': return t.config;
    case 'delete': return t.delete();
    case 'paths': {
      const [l, to, from, options] = args();
      return t.paths(l, to, from, options);
    }
    default: return t[spec.call](...args());
  }
}

function checkError(err, spec) {
  if (!(err instanceof LabError)) {
    assert.fail(`${spec.call}${spec.fn ? ` ${spec.fn}` : ''} threw ${err?.constructor?.name ?? typeof err} (${typeof err === 'object' ? err?.message : String(err)}), not a LabError`);
  }
  for (const key of ['code', 'field', 'message']) {
    assert.ok(typeof err[key] === 'string' && err[key].length > 0, `LabError.${key} is ${JSON.stringify(err[key])} (${err.code}: ${err.message})`);
  }
  return err.code;
}

const outcomes = new Map();
function count(key) {
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
}

function runSequence(specs) {
  const state = { trainers: [] };
  try {
    for (const spec of specs) {
      let result;
      // A refused call changes nothing: the trainer's snapshot bytes are the same before and after.
      const t = state.trainers.at(-1);
      const before = t && !t.deleted && spec.call !== 'lab' && spec.call !== 'create' ? t.snapshot() : null;
      try {
        result = run(spec, state);
      } catch (err) {
        const code = checkError(err, spec);
        count(`${spec.call === 'lab' ? spec.fn : spec.call}:${code}`);
        // (trainEpoch's batches before the one that diverged stay applied, as documented)
        if (before && !(spec.call === 'trainEpoch' && code === 'diverged')) assert.deepEqual(t.snapshot(), before, `${spec.call} refused (${code}: ${err.message}) but changed the trainer`);
        continue;
      }
      if (result === SKIPPED) continue;
      count(`${spec.call === 'lab' ? spec.fn : spec.call}:ok`);
      checkResult(spec, result, state.trainers.at(-1));
    }
  } finally {
    for (const t of state.trainers) t.delete();
  }
  assert.equal(lab.liveTrainers, 0, 'every trainer deleted');
}

// Values no JSON can hold are written so that the shortest failing sequence still prints.
const printable = (specs) => JSON.parse(JSON.stringify(specs, (key, value) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value)));

test(`10 000 configs and call sequences through the JS API: only LabErrors, finite numbers, a flat heap, no trainer left (seed ${SEED})`, async () => {
  // Warm-up: the engine's own caches and the largest buffers a sequence makes.
  await check({ name: 'api warm-up', count: 60, make: (t, k) => sequence(t, k % 2 ? 5 : k), property: runSequence, show: printable });
  const before = lab.memory();
  let sequences = 0;
  await check({
    name: 'api',
    count: 10000,
    make: (t, k) => sequence(t, k),
    property: (specs) => {
      sequences += 1;
      runSequence(specs);
      const now = lab.memory();
      assert.equal(now.used, before.used, `the engine's heap is back to ${before.used} bytes in use after a sequence (now ${now.used})`);
    },
    shrinkable: (x) => Array.isArray(x),
    show: printable,
  });
  const calls = [...outcomes.values()].reduce((a, b) => a + b, 0);
  console.log(`outcomes of ${calls} calls in ${sequences} sequences (call:result): ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`);
  const after = lab.memory();
  assert.equal(after.used, before.used, 'no engine memory kept');
  assert.ok(after.size <= Math.max(before.size, 256 * 2 ** 20), `the wasm memory stays within its warm-up size (${before.size} → ${after.size} bytes)`);
  assert.equal(lab.liveTrainers, 0);
  // Every call and every code the API can refuse with was reached.
  const reached = new Set([...outcomes.keys()].map((k) => k.split(':')[0]));
  for (const call of ['create', 'trainStep', 'stepPhase', 'trainEpoch', 'evaluate', 'predict', 'heatmaps', 'inputHeatmaps', 'setWeights', 'setBiases', 'setData',
    'snapshot', 'restore', 'reconfigure', 'setProbe', 'paths', 'trace', 'cursor', 'gradientSizes', 'data', 'delete',
    'activation', 'softmax', 'loss', 'surfaceGrid', 'descendSurface', 'scheduleRates', 'resolveConfig']) assert.ok(reached.has(call), `${call} was called`);
  const codes = new Set([...outcomes.keys()].map((k) => k.split(':')[1]));
  for (const code of ['ok', 'invalid_config', 'invalid_argument', 'out_of_range', 'bad_snapshot', 'deleted', 'diverged', 'no_data']) assert.ok(codes.has(code), `${code} was seen`);
});
