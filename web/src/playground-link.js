// TensorFlow Playground's links, read as the same experiment. The course's
// slides link to playground.tensorflow.org with a hash such as
//   #activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03
//   &regularizationRate=0&noise=0&networkShape=4,2&seed=0.66230&showTestData=false
//   &discretize=false&percTrainData=50&x=true&y=true&xTimesY=false&…&problem=classification
//   &initZero=false&hideText=false
// Its keys that the lab spells the same (activation, batchSize, dataset, learningRate, …) pass
// through; the others are translated here, before the URL parser reads them:
// - one flag per input (x, y, xSquared, ySquared, xTimesY, sinX, sinY) → features;
// - regDataset reg-plane | reg-gauss → plane | multigauss; regularization L1 | L2 → l1 | l2;
// - its seed (any text, usually a decimal such as 0.66230) → a whole seed, deterministically;
// - its `_hide` keys → the lab's (numHiddenLayers → networkShape, playButton → playControls, …),
//   an input's → features_hide with the input left out;
// - its loss, the mean of ½(ŷ − y)² on a tanh output with ±1 labels (linear for regression), and
//   its start, U(−0.5, 0.5) weights and 0.1 biases or all zero with initZero → loss=half_mse and
//   init=uniform | zero, unless the link names the lab's own loss or init;
// - collectStats, hideText and tutorial mean nothing here and are dropped without a notice;
//   cosX, cosY and the datasets reg-maximum, reg-argmax, which the lab lacks, are reported.

const FEATURE_KEYS = { x: 'x1', y: 'x2', xSquared: 'x1sq', ySquared: 'x2sq', xTimesY: 'x1x2', sinX: 'sinx1', sinY: 'sinx2' };
const MISSING_FEATURES = ['cosX', 'cosY'];
const DEFAULT_ON = ['x', 'y'];
const REG_DATASETS = { 'reg-plane': 'plane', 'reg-gauss': 'multigauss' };
const REGULARIZATIONS = { L1: 'l1', L2: 'l2', none: 'none' };
const SILENT = ['collectStats', 'hideText', 'tutorial'];
const HIDE_NAMES = { numHiddenLayers: 'networkShape', playButton: 'playControls', stepButton: 'step', resetButton: 'reset' };
const HIDE = '_hide';
const SEED_MAX = 2147483647;

// Keys and values only the Playground writes: one of them makes a link the Playground's.
const PLAYGROUND_ONLY = new Set([...Object.keys(FEATURE_KEYS), ...MISSING_FEATURES, ...SILENT, 'initZero',
  ...Object.keys(HIDE_NAMES).map((name) => `${name}${HIDE}`)]);

/**
 * Whether the pairs ([{ key, value }]) are a TensorFlow Playground link: one of the keys or values
 * only it writes (it always writes its input flags). A decimal seed alone is not enough: in the
 * lab's own links a seed is a whole number, and anything else is reported as such.
 */
export function isPlaygroundLink(pairs) {
  return pairs.some(({ key, value }) => key !== null && (PLAYGROUND_ONLY.has(key)
    || (key === 'regDataset' && /^reg-/.test(value ?? ''))
    || (key === 'regularization' && (value === 'L1' || value === 'L2'))));
}

/**
 * The Playground's seed (any text; it writes Math.random().toFixed(5)) as the lab's whole seed:
 * a decimal 0.ddddd becomes ddddd (0.66230 → 66230), a whole number stays, any other text is
 * hashed (FNV-1a), so the same link always gives the same data and starting weights.
 */
export function playgroundSeed(text) {
  if (/^\d+$/.test(text) && Number(text) <= SEED_MAX) return Number(text);
  const decimal = text.match(/^0?\.(\d{1,9})$/);
  if (decimal) return Number(decimal[1].padEnd(5, '0'));
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % SEED_MAX;
}

const flag = (value) => value !== 'false';  // as the Playground reads a boolean

/**
 * Translates a Playground link's pairs ([{ key, value, raw }]) into the lab's, in order; returns
 * { pairs, ignored } where ignored lists what the lab cannot do ({ key, value, reason: 'unsupported' }).
 * Pairs of a link that is not the Playground's come back unchanged.
 */
export function fromPlayground(pairs) {
  if (!isPlaygroundLink(pairs)) return { pairs, ignored: [] };
  const out = [];
  const ignored = [];
  const on = new Set(DEFAULT_ON);
  const hiddenInputs = new Set();
  let featuresGiven = false;
  let lossGiven = false;
  let initGiven = false;
  let initZero = false;
  const push = (key, value, raw) => out.push({ key, value, raw: raw ?? `${key}=${value}` });
  for (const pair of pairs) {
    const { key, value } = pair;
    if (key === null || value === null) {
      out.push(pair);
      continue;
    }
    const hidden = key.endsWith(HIDE) ? key.slice(0, -HIDE.length) : null;
    if (key in FEATURE_KEYS) {
      featuresGiven = true;
      if (flag(value)) on.add(key);
      else on.delete(key);
    } else if (MISSING_FEATURES.includes(key)) {
      if (flag(value)) ignored.push({ key, value, reason: 'unsupported' });
    } else if (SILENT.includes(key)) {
      // Meaningless here: the Playground's statistics, its text column and tutorials.
    } else if (key === 'regDataset') {
      if (value in REG_DATASETS) push(key, REG_DATASETS[value]);
      else if (/^reg-/.test(value)) ignored.push({ key, value, reason: 'unsupported' });
      else out.push(pair);
    } else if (key === 'regularization' && value in REGULARIZATIONS) {
      push(key, REGULARIZATIONS[value]);
    } else if (key === 'seed') {
      push(key, String(playgroundSeed(value)));
    } else if (key === 'initZero') {
      initZero = flag(value);
    } else if (hidden && hidden in FEATURE_KEYS) {
      if (flag(value)) hiddenInputs.add(hidden);
    } else if (hidden && hidden in HIDE_NAMES) {
      push(`${HIDE_NAMES[hidden]}${HIDE}`, value);
    } else if (hidden === 'dataset') {
      // The Playground's dataset control holds both kinds of datasets.
      out.push(pair);
      push(`regDataset${HIDE}`, value);
    } else {
      if (key === 'loss') lossGiven = true;
      if (key === 'init') initGiven = true;
      out.push(pair);
    }
  }
  // The Playground removes a hidden input from the network altogether.
  const features = Object.keys(FEATURE_KEYS).filter((k) => on.has(k) && !hiddenInputs.has(k)).map((k) => FEATURE_KEYS[k]);
  if (featuresGiven || hiddenInputs.size) push('features', features.join(','));
  if (hiddenInputs.size) push(`features${HIDE}`, 'true');
  // What the Playground differentiates, and where it starts from.
  if (!lossGiven) push('loss', 'half_mse');
  if (!initGiven) push('init', initZero ? 'zero' : 'uniform');
  return { pairs: out, ignored };
}
