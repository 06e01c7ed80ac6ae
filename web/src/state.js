// The page's settings in one declarative table (as TensorFlow Playground's
// State.PROPS): each entry names a setting, its type, default and allowed
// values, its URL key, the control that edits it, how a change applies
// (rebuild the network, keep the weights, or only redraw) and how it maps onto
// the engine's createTrainer config. The URL parser, the controls and the
// engine config are all driven by SETTINGS; nothing else lists settings.
//
// Entry fields:
//   name      URL key and state property
//   type      'enum' | 'int' | 'number' | 'bool' | 'list' (subset of values) | 'intList' | 'text' (matching `pattern`)
//   values    enum/list choices;  min, max: numeric range (also per item of an intList)
//   maxLength intList length limit; presets: suggested numbers for a select
//   default   a value, or (state) => value when it depends on settings above it
//   allowed   (state) => values accepted in that state, reading settings above it
//             (checked after every change)
//   implies   (value) => other changes that setting it brings along
//   follows   names whose change resets this setting to its default (optimizer → betas)
//   relevant  (state) => whether the setting applies now (controls hide, engine skips)
//   apply     'reset' new network · 'hot' new trainer, weights kept · 'view' redraw only · 'page'
//   announce  the page says so when another change moves this setting (3 classes → a spiral)
//   control   how the controls module renders it; group: where it goes
//   engine    (config, value, state) => writes the value into the createTrainer config
//   field     the engine setting it is made from ('optimizer.alpha'), for the entries below
//
// The optimizer and schedule entries are made from the engine's own settings table
// (lab.settings, read from bindings/settings.mjs before the engine has loaded): their type,
// values, range, defaults and the optimizers or schedules that read them are the engine's.

import { SETTINGS as ENGINE_SETTINGS } from '../../bindings/settings.mjs';
import { LESSONS } from './lessons/catalog.js';
import { fromPlayground } from './playground-link.js';

export const FEATURES = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'];
export const CLASSIFICATION_DATASETS = ['circle', 'xor', 'gauss', 'spiral', 'blobs'];
export const REGRESSION_DATASETS = ['plane', 'multigauss'];
const MULTICLASS_DATASETS = ['spiral', 'blobs'];
/** The learner's own data (drawn, imported or from a formula: web/src/data/), a choice of either problem. */
export const OWN = 'own';
export const MAX_HIDDEN_LAYERS = 6;
export const MAX_UNITS = 8;
export const SAMPLES = 500;
/** The input plane every dataset lives in, and the heatmaps' extent. */
export const PLANE = { xMin: -6, xMax: 6, yMin: -6, yMax: 6 };
const SEED_MAX = 2147483647;
/** The views besides the playground (web/src/panels), each with its URL `panel=<name>`. */
export const PANELS = ['playground', 'chain', 'activations', 'vanishing', 'losses', 'optimizers', 'schedules', 'lessons'];
const panelIs = (name) => (s) => s.panel === name;

const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const REGULARIZATION_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];

const ENGINE = Object.fromEntries(ENGINE_SETTINGS.map((e) => [e.field, e]));
const PAGE_TYPES = { number: 'number', count: 'int', flag: 'bool', choice: 'enum' };

/**
 * The entry of URL setting `name` for the engine's setting `field` ('optimizer.alpha'). The page
 * may narrow it (`page`): `shownFor`, the optimizers or schedules it is shown for when fewer than
 * read it; `min`, `max`, its own bounds inside the engine's range (an open end needs one);
 * `default`, a course value in place of torch's; and where its control sits. A setting whose
 * default differs between the kinds it is shown for returns to that kind's default when the
 * optimizer or schedule changes.
 */
function engineSetting(name, field, page = {}) {
  const e = ENGINE[field];
  const [group, key] = field.split('.');
  const { shownFor = e.readers, ...rest } = page;
  const kindDefault = (kind) => e.defaults?.[kind] ?? e.default;
  const shownDefaults = new Set((shownFor ?? []).map(kindDefault));
  const entry = {
    name, field, type: PAGE_TYPES[e.type], apply: 'hot', control: e.type === 'choice' ? 'select' : 'number', group: 'training',
    default: shownDefaults.size > 1 ? (s) => kindDefault(s[group]) : shownDefaults.values().next().value ?? e.default,
    engine: (c, v) => { c[group][key] = v; },
  };
  if (e.values) entry.values = [...e.values];
  if (e.min !== undefined) Object.assign(entry, { min: e.min, max: e.max });
  if (shownFor && shownFor.length < ENGINE[`${group}.name`].values.length) entry.relevant = (s) => shownFor.includes(s[group]);
  if (shownDefaults.size > 1) entry.follows = [group];
  Object.assign(entry, rest);
  if ((e.minOpen && rest.min === undefined) || (e.maxOpen && rest.max === undefined)) {
    throw new Error(`${name}: the page needs its own bound where ${field}'s range is open`);
  }
  return entry;
}

const isRegression = (s) => s.problem === 'regression';
/** Whether the state trains on the learner's own data (then the data decides the classes). */
export const usesOwnData = (s) => (isRegression(s) ? s.regDataset : s.dataset) === OWN;
/** 0 for regression, else the number of classes. */
export const classCount = (s) => (isRegression(s) ? 0 : s.classes);

/**
 * Losses that fit the problem: MSE always; BCE for two classes; softmax CE for classes;
 * TensorFlow Playground's ½ squared error for regression and two classes (its tanh output).
 */
export function allowedLosses(s) {
  const k = classCount(s);
  if (k === 0) return ['mse', 'half_mse'];
  return k === 2 ? ['bce', 'cce', 'mse', 'half_mse'] : ['cce', 'mse'];
}

const defaultLoss = (s) => allowedLosses(s)[0];

/**
 * The output layer the loss calls for: sigmoid for BCE, softmax (one unit per
 * class) for CE, and for MSE and the playground's ½ squared error the playground's
 * tanh on two classes (targets −1 and +1), linear on regression; MSE on more
 * classes gets softmax.
 */
export function outputLayer(s) {
  const k = classCount(s);
  if (k === 0) return { units: 1, activation: 'linear' };
  if (s.loss === 'bce') return { units: 1, activation: 'sigmoid' };
  if (s.loss === 'cce' || k > 2) return { units: k, activation: 'softmax' };
  return { units: 1, activation: 'tanh' };
}

export const SETTINGS = [
  { name: 'lang', type: 'enum', values: ['en', 'ko'], default: null, apply: 'page', control: 'lang', group: 'header' },
  {
    name: 'problem', type: 'enum', values: ['classification', 'regression'], default: 'classification',
    apply: 'reset', control: 'select', group: 'top',
  },
  {
    name: 'classes', type: 'int', min: 2, max: 5, default: 2, apply: 'reset', control: 'select', group: 'top', announce: true,
    relevant: (s) => !isRegression(s) && s.dataset !== OWN,
    engine: (c, v) => { c.dataset.classes = v; },
  },
  {
    name: 'dataset', type: 'enum', values: [...CLASSIFICATION_DATASETS, OWN], default: (s) => (s.classes > 2 ? 'spiral' : 'circle'),
    allowed: (s) => (s.classes > 2 ? [...MULTICLASS_DATASETS, OWN] : [...CLASSIFICATION_DATASETS, OWN]),
    // Picking a two-class set brings the class count back to 2.
    implies: (v) => (MULTICLASS_DATASETS.includes(v) || v === OWN ? {} : { classes: 2 }),
    relevant: (s) => !isRegression(s), apply: 'reset', control: 'datasets', group: 'data', announce: true,
    engine: (c, v) => { c.dataset.name = v; },
  },
  {
    name: 'regDataset', type: 'enum', values: [...REGRESSION_DATASETS, OWN], default: 'plane',
    relevant: isRegression, apply: 'reset', control: 'datasets', group: 'data',
    engine: (c, v) => { c.dataset.name = v; },
  },
  {
    name: 'percTrainData', type: 'int', min: 10, max: 90, step: 10, default: 50, apply: 'reset', control: 'slider', group: 'data',
    engine: (c, v) => { c.dataset.trainRatio = v / 100; },
  },
  {
    name: 'noise', type: 'int', min: 0, max: 50, step: 5, default: 0, apply: 'reset', control: 'slider', group: 'data',
    relevant: (s) => !usesOwnData(s),
    engine: (c, v) => { c.dataset.noise = v / 100; },
  },
  {
    name: 'batchSize', type: 'int', min: 1, max: 30, step: 1, default: 10, apply: 'hot', control: 'slider', group: 'data',
    engine: (c, v) => { c.batchSize = v; },
  },
  {
    name: 'seed', type: 'int', min: 0, max: SEED_MAX, default: 1, apply: 'reset', control: 'number', group: 'training',
    engine: (c, v) => { c.seed = v; },
  },
  {
    name: 'features', type: 'list', values: FEATURES, minLength: 1, default: ['x1', 'x2'], apply: 'reset', control: 'features', group: 'network',
    engine: (c, v) => { c.features = [...v]; },
  },
  {
    name: 'networkShape', type: 'intList', min: 1, max: MAX_UNITS, maxLength: MAX_HIDDEN_LAYERS, default: [4, 2],
    apply: 'reset', control: 'networkShape', group: 'network',
    engine: (c, v, s) => { c.layers = [...v.map((units) => ({ units, activation: s.activation })), outputLayer(s)]; },
  },
  {
    name: 'activation', type: 'enum', values: ['tanh', 'sigmoid', 'relu', 'leakyRelu', 'elu', 'linear'], default: 'tanh',
    apply: 'reset', control: 'select', group: 'top',
  },
  {
    // Back to the problem's own loss whenever the problem changes; MSE stays a choice to compare.
    name: 'loss', type: 'enum', values: ['mse', 'bce', 'cce', 'half_mse'], default: defaultLoss, allowed: allowedLosses, follows: ['problem', 'classes'],
    apply: 'reset', control: 'select', group: 'top', announce: true,
    engine: (c, v) => { c.loss = v; },
  },
  engineSetting('learningRate', 'optimizer.lr', { min: 1e-6, max: 10, presets: LEARNING_RATES, control: 'select', group: 'top' }),
  {
    name: 'regularization', type: 'enum', values: ['none', 'l1', 'l2'], default: 'none', apply: 'hot', control: 'select', group: 'top',
    engine: (c, v) => { c.regularization.kind = v; },
  },
  {
    name: 'regularizationRate', type: 'number', min: 0, max: 10, presets: REGULARIZATION_RATES, default: 0,
    apply: 'hot', control: 'select', group: 'top', relevant: (s) => s.regularization !== 'none',
    engine: (c, v) => { c.regularization.rate = v; },
  },
  engineSetting('optimizer', 'optimizer.name'),
  // The page's plain SGD has no momentum; torch refuses Nesterov without momentum, and the floor keeps the field valid.
  engineSetting('momentum', 'optimizer.momentum', {
    shownFor: ['momentum', 'nesterov', 'rmsprop'], max: 0.999, allowed: (s) => (s.optimizer === 'nesterov' ? { min: 0.001 } : null),
  }),
  // torch's RMSprop alpha: the course's decay of the squared-gradient average, 0.9.
  engineSetting('rmsDecay', 'optimizer.alpha', { max: 0.999, default: 0.9 }),
  engineSetting('beta1', 'optimizer.beta1', { max: 0.999 }),
  engineSetting('beta2', 'optimizer.beta2', { max: 0.9999 }),
  engineSetting('eps', 'optimizer.eps', { min: 1e-12 }),
  // The others' weight decay is the regularization setting; AdamW's is its own, decoupled.
  engineSetting('weightDecay', 'optimizer.weightDecay', { shownFor: ['adamw'] }),
  engineSetting('schedule', 'schedule.name'),
  engineSetting('stepSize', 'schedule.stepSize', { max: 10000 }),
  engineSetting('gamma', 'schedule.gamma', { min: 0.001 }),
  engineSetting('tMax', 'schedule.tMax', { max: 10000 }),
  engineSetting('factor', 'schedule.factor', { min: 0.01, max: 0.99 }),
  engineSetting('patience', 'schedule.patience', { max: 1000 }),
  // The engine watches the test loss; the page keeps the training loss its schedules panel plots unless asked.
  // ReduceLROnPlateau watches a metric evaluated each epoch: the test loss (the course's; the
  // engine's default too), or the epoch's mean training loss.
  engineSetting('plateauMetric', 'schedule.metric'),
  {
    // 'zero' is the playground's initZero: every weight and bias 0.
    name: 'init', type: 'enum', values: ['xavier', 'he', 'uniform', 'zero'], default: 'xavier', apply: 'reset', control: 'select', group: 'training',
    engine: (c, v) => { c.init = v; },
  },
  {
    // Work per animation frame: batches (b) or epochs (e).
    name: 'speed', type: 'enum', values: ['1b', '5b', '1e', '5e', '20e'], default: '1e', apply: 'view', control: 'select', group: 'training',
  },
  {
    // Train plays epochs as fast as it can; frames steps forward, loss, backward and update one phase at a time.
    name: 'mode', type: 'enum', values: ['train', 'frames'], default: 'train', apply: 'page', control: 'mode', group: 'mode',
  },
  {
    // Frame mode's play: phases per second (p), or batches / epochs per frame (b, e).
    name: 'frameSpeed', type: 'enum', values: ['1p', '2p', '5p', '20p', '1b', '1e', '20e'], default: '1p',
    relevant: (s) => s.mode === 'frames', apply: 'page', control: 'frameSpeed', group: 'frame',
  },
  {
    // The probe: the training sample frame mode follows (none: the first sample of each batch).
    name: 'probe', type: 'int', min: 0, max: SAMPLES - 1, default: null, relevant: (s) => s.mode === 'frames', apply: 'page',
    // Another training split has other samples: the index no longer names the point picked.
    follows: ['problem', 'dataset', 'regDataset', 'classes', 'seed', 'percTrainData'],
  },
  {
    // Own data of up to LINK_POINTS points, compressed (web/src/data/codec.js); the page decodes it.
    name: 'data', type: 'text', pattern: /^[A-Za-z0-9_-]{1,400000}$/, default: null, relevant: usesOwnData, apply: 'page',
  },
  { name: 'showTestData', type: 'bool', default: false, apply: 'view', control: 'toggle', group: 'output' },
  { name: 'discretize', type: 'bool', default: false, apply: 'view', control: 'toggle', group: 'output' },
  { name: 'embed', type: 'bool', default: false, apply: 'page' },
  // The page allowed to drive an embedded lab by postMessage (web/EMBED.md); none: its parent frame, whatever its origin.
  { name: 'parentOrigin', type: 'origin', default: null, apply: 'page' },
  // Course panels and lessons (web/src/panels, web/src/lessons): only redraw the page.
  { name: 'panel', type: 'enum', values: PANELS, default: 'playground', relevant: (s) => s.panel !== 'playground', apply: 'page' },
  {
    // A lesson brings its preset along; keys given next to it in the URL win.
    name: 'lesson', type: 'enum', values: LESSONS.map((l) => l.id), default: null, apply: 'page',
    implies: (id) => lessonPreset(id),
  },
  {
    name: 'activationFn', type: 'enum', values: ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'linear', 'softmax'], default: 'sigmoid',
    relevant: panelIs('activations'), apply: 'page',
  },
  { name: 'surface', type: 'enum', values: ['valley', 'saddle', 'rosenbrock'], default: 'valley', relevant: panelIs('optimizers'), apply: 'page' },
];

export const SETTING = Object.fromEntries(SETTINGS.map((p) => [p.name, p]));

/**
 * The settings a lesson sets: its preset, less any key that is not a setting
 * or holds a value the setting would refuse (a guard only: the lessons test
 * checks that every preset comes through whole, `mode: 'frames'` included).
 */
export function lessonPreset(id) {
  const lesson = LESSONS.find((l) => l.id === id);
  if (!lesson) return {};
  const preset = {};
  for (const [name, value] of Object.entries(lesson.preset)) {
    const p = SETTING[name];
    if (p && parseValue(p, formatValue(p, value)).value !== undefined) preset[name] = value;
  }
  return preset;
}

/**
 * Parts of the page that are not settings but can be hidden with `<part>_hide=true`
 * (besides every setting that has a control).
 */
export const PARTS = ['panelNav', 'playControls', 'step', 'reset', 'share', 'regenerate', 'ownData', 'datasetColumn', 'network', 'output', 'lossChart', 'metrics'];
export const HIDEABLE = [...SETTINGS.filter((p) => p.control).map((p) => p.name), ...PARTS];
const HIDE_SUFFIX = '_hide';

const valueOf = (x, s) => (typeof x === 'function' ? x(s) : x);
export const defaultOf = (p, s) => clone(valueOf(p.default, s));
export const isRelevant = (p, s) => !p.relevant || p.relevant(s);
const clone = (v) => (Array.isArray(v) ? [...v] : v);

/** Whether value v is acceptable for p in state s (beyond its type and range). */
function isAllowed(p, v, s) {
  const allowed = p.allowed?.(s);
  if (!allowed) return true;
  if (Array.isArray(allowed)) return allowed.includes(v);
  return v >= allowed.min;
}

// ---- text ⇄ value ---------------------------------------------------------------------

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Parses URL text for p → { value } or { reason } ('invalid' | 'outOfRange'). */
export function parseValue(p, text) {
  switch (p.type) {
    case 'bool':
      if (text === 'true' || text === '1') return { value: true };
      if (text === 'false' || text === '0') return { value: false };
      return { reason: 'invalid' };
    case 'enum':
      return p.values.includes(text) ? { value: text } : { reason: 'invalid' };
    case 'int':
    case 'number': {
      if (!NUMBER.test(text)) return { reason: 'invalid' };
      const x = Number(text);
      if (p.type === 'int' && !Number.isInteger(x)) return { reason: 'invalid' };
      if (!Number.isFinite(x) || x < p.min || x > p.max) return { reason: 'outOfRange' };
      return { value: x === 0 ? 0 : x };  // no -0
    }
    case 'list': {
      const items = text === '' ? [] : text.split(',');
      if (items.some((item) => !p.values.includes(item))) return { reason: 'invalid' };
      const value = p.values.filter((v) => items.includes(v));
      return value.length < (p.minLength || 0) ? { reason: 'outOfRange' } : { value };
    }
    case 'text':
      return p.pattern.test(text) ? { value: text } : { reason: 'invalid' };
    case 'intList': {
      const items = text === '' ? [] : text.split(',');
      if (items.some((item) => !/^\d+$/.test(item))) return { reason: 'invalid' };
      const value = items.map(Number);
      if (value.length > p.maxLength || value.some((x) => x < p.min || x > p.max)) return { reason: 'outOfRange' };
      return { value };
    }
    case 'origin': {
      // An origin as a page's location names it: scheme, host and port, nothing more.
      let url = null;
      try { url = new URL(text); } catch { return { reason: 'invalid' }; }
      return ['http:', 'https:'].includes(url.protocol) && url.origin === text ? { value: text } : { reason: 'invalid' };
    }
    default:
      return { reason: 'invalid' };
  }
}

export function formatValue(p, value) {
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

// ---- state --------------------------------------------------------------------------------

/** Every setting at its default, in table order (defaults may read earlier settings). */
export function defaultState() {
  const s = { hide: new Set() };
  for (const p of SETTINGS) s[p.name] = defaultOf(p, s);
  return s;
}

/**
 * Applies changes ({ name: value }) to state s and returns the new state with
 * the names that changed. Settings that follow a changed one return to their
 * default; a setting the change made invalid (BCE once there are 3 classes)
 * falls back to its default. A setting's `implies` lets the others give way
 * to it instead (dataset 'circle' → 2 classes).
 */
export function applyChanges(s, changes) {
  const next = { ...s, hide: new Set(s.hide) };
  const changed = new Set();
  const all = {};
  for (const [name, value] of Object.entries(changes)) Object.assign(all, SETTING[name]?.implies?.(value));
  Object.assign(all, changes);
  const explicit = new Set(Object.keys(all));
  for (const [name, value] of Object.entries(all)) {
    if (!SETTING[name]) continue;
    if (!sameValue(next[name], value)) changed.add(name);
    next[name] = clone(value);
  }
  for (const p of SETTINGS) {
    const allowed = isAllowed(p, next[p.name], next);
    if (explicit.has(p.name) && allowed) continue;
    const follows = !explicit.has(p.name) && p.follows?.some((n) => changed.has(n));
    if (!follows && allowed) continue;
    const value = defaultOf(p, next);
    if (!sameValue(next[p.name], value)) changed.add(p.name);
    next[p.name] = value;
  }
  return { state: next, changed };
}

export function sameValue(a, b) {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

// ---- URL ------------------------------------------------------------------------------------

function decode(text) {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** key=value pairs of a query or hash string, in order; undecodable ones are kept as null. */
function pairs(text) {
  const body = text.replace(/^[?#]/, '');
  if (!body) return [];
  return body.split('&').filter(Boolean).map((part) => {
    const at = part.indexOf('=');
    const rawKey = at < 0 ? part : part.slice(0, at);
    const rawValue = at < 0 ? '' : part.slice(at + 1);
    return { key: decode(rawKey), value: decode(rawValue), raw: part };
  });
}

/**
 * Reads the query and then the hash (which wins). Anything missing, unknown,
 * malformed or out of range keeps its default and is listed in `ignored` as
 * { key, value, reason } with reason 'unknown' | 'invalid' | 'outOfRange' |
 * 'notAllowed' | 'malformed', for the page's notice.
 */
export function parseUrl(search = '', hash = '') {
  const given = new Map();
  // A TensorFlow Playground link opens as the same experiment (playground-link.js).
  const playground = fromPlayground([...pairs(search), ...pairs(hash)]);
  const ignored = [...playground.ignored];
  const hide = new Set();
  for (const { key, value, raw } of playground.pairs) {
    if (key === null || value === null) {
      ignored.push({ key: raw, value: '', reason: 'malformed' });
      continue;
    }
    if (key.endsWith(HIDE_SUFFIX) && HIDEABLE.includes(key.slice(0, -HIDE_SUFFIX.length))) {
      const flag = parseValue({ type: 'bool' }, value);
      if (flag.reason) ignored.push({ key, value, reason: flag.reason });
      else if (flag.value) hide.add(key.slice(0, -HIDE_SUFFIX.length));
      else hide.delete(key.slice(0, -HIDE_SUFFIX.length));
      continue;
    }
    const p = SETTING[key];
    if (!p) {
      ignored.push({ key, value, reason: 'unknown' });
      continue;
    }
    const parsed = parseValue(p, value);
    if (parsed.reason) ignored.push({ key, value, reason: parsed.reason });
    else given.set(key, parsed.value);
  }
  // What a given setting implies (a lesson's preset) fills in what the URL does not give.
  for (const [key, value] of [...given]) {
    for (const [name, implied] of Object.entries(SETTING[key].implies?.(value) ?? {})) if (!given.has(name)) given.set(name, implied);
  }
  const state = { hide };
  for (const p of SETTINGS) {
    state[p.name] = defaultOf(p, state);
    if (!given.has(p.name)) continue;
    const value = given.get(p.name);
    if (isAllowed(p, value, state)) state[p.name] = value;
    else ignored.push({ key: p.name, value: formatValue(p, value), reason: 'notAllowed' });
  }
  return { state, ignored: dedupe(ignored) };
}

// A key given twice with the same fault is reported once.
function dedupe(list) {
  const seen = new Set();
  return list.filter(({ key, reason }) => {
    const id = `${key}\u0000${reason}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

const encode = (text) => encodeURIComponent(text).replace(/%2C/g, ',');

/**
 * The hash that restores s: every setting that applies (an optimizer's own
 * hyper-parameters only with that optimizer), lang once chosen, and the embed
 * and hide flags when set.
 */
export function serialize(s) {
  const parts = [];
  // A lesson's preset fills in what the link does not say: a setting that departs from it is
  // written even where it would not be otherwise (panel=playground beside a panel's lesson).
  const preset = s.lesson ? lessonPreset(s.lesson) : {};
  for (const p of SETTINGS) {
    const value = s[p.name];
    if (value === null || value === undefined) continue;
    if (!isRelevant(p, s) && !(p.name in preset && !sameValue(preset[p.name], value))) continue;
    if (p.name === 'embed' && !value) continue;
    parts.push(`${p.name}=${encode(formatValue(p, value))}`);
  }
  for (const name of HIDEABLE) if (s.hide.has(name)) parts.push(`${name}${HIDE_SUFFIX}=true`);
  return parts.join('&');
}

// ---- engine ----------------------------------------------------------------------------------

/** The createTrainer config for state s: every relevant setting's engine mapping, in table order. */
export function engineConfig(s) {
  const config = {
    shuffle: true,
    dataset: { samples: SAMPLES },
    optimizer: {},
    schedule: {},
    regularization: {},
  };
  for (const p of SETTINGS) {
    if (p.engine && isRelevant(p, s)) p.engine(config, s[p.name], s);
  }
  // Own data has no generator: the controller gives it with trainer.setData.
  if (usesOwnData(s)) delete config.dataset;
  return config;
}
