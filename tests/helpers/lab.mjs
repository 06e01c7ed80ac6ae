// Shared by the module tests: the built JS API, small configs, and the checks that a
// rejected call throws the right LabError and leaves the trainer as it was.
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { apiUrl } from './paths.mjs';

export const { loadEngine, LabError, Lab, Trainer } = await import(apiUrl);

/** One engine per test file; after the file's tests, every trainer it made must be deleted. */
export async function labForFile() {
  const lab = await loadEngine();
  after(() => assert.equal(lab.liveTrainers, 0, 'a test left a trainer undeleted'));
  return lab;
}

/** Makes a trainer for one test and deletes it afterwards, even when the test fails. */
export function using(lab, config, body) {
  const t = lab.createTrainer(config);
  try {
    return body(t);
  } finally {
    t.delete();
  }
}

// 2 inputs → 4 tanh → 1 sigmoid with BCE, on TensorFlow Playground's circle.
export const circleConfig = Object.freeze({
  seed: 3,
  features: ['x1', 'x2'],
  layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  loss: 'bce',
  optimizer: { name: 'adam', lr: 0.03 },
  batchSize: 10,
  dataset: { name: 'circle', samples: 200, noise: 0, trainRatio: 0.5 },
});

// 3 raw inputs → 5 relu → 3 softmax with CCE, data given with setData.
export const softmaxConfig = Object.freeze({
  seed: 11,
  inputs: 3,
  layers: [{ units: 5, activation: 'relu' }, { units: 3, activation: 'softmax' }],
  loss: 'cce',
  optimizer: { name: 'momentum', lr: 0.1 },
  batchSize: 4,
});

/** n samples for softmaxConfig: x in [-1, 1]³ from a fixed formula, one-hot y by the largest input. */
export function softmaxData(n) {
  const x = new Float64Array(n * 3);
  const y = new Float64Array(n * 3);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < 3; i++) x[r * 3 + i] = Math.sin(1.7 * r + 2.3 * i);
    const row = Array.from(x.subarray(r * 3, r * 3 + 3));
    y[r * 3 + row.indexOf(Math.max(...row))] = 1;
  }
  return { x, y, n };
}

/**
 * Runs fn, which must throw a LabError with this code and field whose message names the field
 * (or one of its elements) and says each of `says`.
 */
export function expectLabError(fn, { code, field, says = [] }) {
  let error;
  try {
    fn();
  } catch (err) {
    error = err;
  }
  assert.ok(error instanceof LabError, `expected a LabError ${code}/${field}, got ${error}`);
  assert.equal(error.code, code, error.message);
  assert.equal(error.field, field, error.message);
  assert.ok(error.message.includes(field), `the message should name ${field}: ${error.message}`);
  for (const text of [].concat(says)) {
    assert.ok(error.message.includes(text), `the message should say "${text}": ${error.message}`);
  }
  return error;
}

/** Everything observable about a trainer's state: snapshot bytes, every parameter, the cursor. */
export function stateOf(t) {
  const layers = t.layerSizes.length - 1;
  return {
    snapshot: t.snapshot(),
    weights: Array.from({ length: layers }, (_, l) => t.getWeights(l)),
    biases: Array.from({ length: layers }, (_, l) => t.getBiases(l)),
    cursor: t.cursor(),
  };
}

/** expectLabError, and the trainer is exactly as before the call. */
export function expectRejected(t, fn, expected) {
  const before = stateOf(t);
  const error = expectLabError(fn, expected);
  assert.deepEqual(stateOf(t), before, `${expected.code}/${expected.field} changed the trainer`);
  return error;
}
