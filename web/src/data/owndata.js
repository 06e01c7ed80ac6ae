// The learner's own data — drawn on the plot, imported from a file, or made
// from a formula — as plain values: points in the input plane, each with a
// label and a split, and how to read the plane in the units the data came in.
// The controller hands it to the engine (trainer.setData); the codec puts it
// in a link or a save file; views draw it. Nothing here calls the engine.
//
// OwnData = {
//   source: 'draw' | 'file' | 'formula', name: the file's name or the formula ('' when drawn),
//   classes: 0 for regression, else 2 … 5; classNames: a name per class (from a file) or null,
//   points: [x0, y0, x1, y1, …] in the plane, on a 0.001 grid,
//   labels: a class index per point, or the regression target (−1 … 1, on a 0.0001 grid),
//   test: 1 for a test point, 0 for a training point,
//   axes: null (plane units) or { x: { name, a, b }, y: { name, a, b } } with plane = a · v + b,
//   value: null or { name, lo, hi }: regression target = −1 + 2 (v − lo) / (hi − lo),
//   recipe: the formula it was made from, while no point was drawn over it, else null,
// }

/** Most points a link carries; more go into a saved file. */
export const LINK_POINTS = 500;
export const MAX_CLASSES = 5;
/** Min–max scaling puts a column's smallest value at −SPAN and its largest at +SPAN. */
export const SPAN = 5;
/** Standardising puts mean ± 1 sd at ± Z_SCALE: ± 3 sd fill the plane (± 6). */
export const Z_SCALE = 2;
export const PLANE_EDGE = 6;

/** Every own point sits on a 0.001 grid of the plane, so a link holds it exactly. */
export const onGrid = (v) => Math.round(v * 1000) / 1000 || 0;
/** Regression targets sit on a 0.0001 grid. */
export const onValueGrid = (v) => Math.round(v * 10000) / 10000 || 0;
const clampPlane = (v) => Math.max(-PLANE_EDGE, Math.min(PLANE_EDGE, v));

/** Why data cannot be used: `key` and `params` of a string in the tables (data.*). */
export class DataError extends Error {
  constructor(key, params = {}) {
    super(`${key} ${JSON.stringify(params)}`);
    this.name = 'DataError';
    this.key = key;
    this.params = params;
  }
}

/** A seeded generator of uniform numbers in [0, 1) (mulberry32): the same seed, the same split. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Deals n points into train and test: a seeded shuffle, the first round(n × ratio) train.
 * @returns {number[]} 1 for test, per point
 */
export function dealSplit(n, ratio, seed) {
  const order = Array.from({ length: n }, (_, i) => i);
  const next = random(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const test = new Array(n).fill(1);
  const train = Math.round(n * ratio);
  for (let k = 0; k < train; k++) test[order[k]] = 0;
  return test;
}

export const pointCount = (data) => data.labels.length;
export const testCount = (data) => data.test.reduce((sum, v) => sum + v, 0);

/** The same points dealt again into train and test (the split slider moved). */
export function redeal(data, ratio, seed) {
  return { ...data, test: dealSplit(pointCount(data), ratio, seed) };
}

/** No points yet, for drawing: classes 0 (regression) or 2 … 5. */
export function emptyData(classes) {
  return { source: 'draw', name: '', classes, classNames: null, points: [], labels: [], test: [], axes: null, value: null, recipe: null };
}

/** Own data from the splits the engine holds (a built-in dataset, to draw over). */
export function fromSplits({ train, test }, classes) {
  const data = emptyData(classes);
  for (const [split, flag] of [[train, 0], [test, 1]]) {
    for (let i = 0; i < split.labels.length; i++) {
      data.points.push(onGrid(split.points[2 * i]), onGrid(split.points[2 * i + 1]));
      data.labels.push(classes === 0 ? onValueGrid(split.labels[i]) : split.labels[i]);
      data.test.push(flag);
    }
  }
  return data;
}

/**
 * Where a drawn point goes: 'train', 'test', or 'auto' — test while the test share is below
 * 1 − ratio, so the split follows the slider as points are added.
 */
export function splitForNew(data, where, ratio) {
  if (where === 'train') return 0;
  if (where === 'test') return 1;
  return testCount(data) < Math.floor((pointCount(data) + 1) * (1 - ratio) + 1e-9) ? 1 : 0;
}

/** A copy with one more point (drawing turns a formula's points into drawn ones). */
export function withPoint(data, x, y, label, test) {
  return {
    ...data,
    source: data.source === 'formula' ? 'draw' : data.source,
    recipe: null,
    points: [...data.points, onGrid(clampPlane(x)), onGrid(clampPlane(y))],
    labels: [...data.labels, data.classes === 0 ? onValueGrid(label) : label],
    test: [...data.test, test],
  };
}

/** A copy with point i moved to (x, y). */
export function movedPoint(data, i, x, y) {
  const points = [...data.points];
  points[2 * i] = onGrid(clampPlane(x));
  points[2 * i + 1] = onGrid(clampPlane(y));
  return { ...data, recipe: null, source: data.source === 'formula' ? 'draw' : data.source, points };
}

/** A copy without the points whose indices are listed. */
export function withoutPoints(data, indices) {
  const gone = new Set(indices);
  const keep = (_, i) => !gone.has(i);
  return {
    ...data,
    recipe: null,
    source: data.source === 'formula' ? 'draw' : data.source,
    points: data.points.filter((_, k) => !gone.has(k >> 1)),
    labels: data.labels.filter(keep),
    test: data.test.filter(keep),
  };
}

/** The index of the point nearest (x, y) within `radius` plane units, or −1. */
export function nearestPoint(data, x, y, radius) {
  let best = -1;
  let bestDistance = radius * radius;
  for (let i = 0; i < data.labels.length; i++) {
    const d = (data.points[2 * i] - x) ** 2 + (data.points[2 * i + 1] - y) ** 2;
    if (d <= bestDistance) [best, bestDistance] = [i, d];
  }
  return best;
}

/** The two splits as the engine's data() shapes them: { points, labels, size, index } (index: into data). */
export function splits(data) {
  const make = (flag) => {
    const index = [];
    data.test.forEach((t, i) => { if (t === flag) index.push(i); });
    const points = new Float64Array(2 * index.length);
    const labels = new Float64Array(index.length);
    index.forEach((i, k) => {
      points[2 * k] = data.points[2 * i];
      points[2 * k + 1] = data.points[2 * i + 1];
      labels[k] = data.labels[i];
    });
    return { points, labels, size: index.length, index };
  };
  return { train: make(0), test: make(1) };
}

/**
 * What the loss compares with, for labels of a split: one-hot rows for a softmax output, 0 / 1
 * for a sigmoid, −1 / +1 for a tanh output on two classes, the value for regression.
 * output: { units, activation } of the output layer (state.js outputLayer).
 */
export function targets(labels, classes, output) {
  const n = labels.length;
  if (classes === 0) return Float64Array.from(labels);
  if (output.units > 1) {
    const y = new Float64Array(n * output.units);
    for (let i = 0; i < n; i++) y[i * output.units + labels[i]] = 1;
    return y;
  }
  const low = output.activation === 'tanh' ? -1 : 0;
  return Float64Array.from(labels, (k) => (k === 1 ? 1 : low));
}

/** A value in the units the data came in, from a plane coordinate on `axis` ('x' or 'y'). */
export function fromPlane(data, axis, v) {
  const scale = data.axes?.[axis];
  return scale ? (v - scale.b) / scale.a : v;
}

/** A regression target back in the label's own units. */
export function fromTarget(data, t) {
  const value = data.value;
  return value ? value.lo + ((t + 1) / 2) * (value.hi - value.lo) : t;
}
