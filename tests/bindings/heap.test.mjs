// No rejected call may keep engine memory: 100 000 of them, spread over every kind of bad
// input, must leave the heap's used bytes and the memory size exactly as they were, the
// trainer untouched, and the module still able to train.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LabError, circleConfig, labForFile, softmaxConfig } from '../helpers/lab.mjs';

const lab = await labForFile();

test('100 000 rejected calls leave the wasm heap unchanged and the module still trains', () => {
  const t = lab.createTrainer(circleConfig);
  const raw = lab.createTrainer(softmaxConfig);  // no data yet, and not on the plane
  const gone = lab.createTrainer(circleConfig);
  gone.delete();
  try {
    t.trainStep();
    t.stepPhase();
    const snapshot = t.snapshot();
    const badConfig = {
      seed: -1, features: ['x1', 'x9'], layers: [{ units: 0 }, { units: 1e12, activation: 'sofmax' }],
      loss: 'hinge', optimizer: { name: 'adam', lr: NaN, beta2: 1 }, dataset: { name: 'moons', samples: 'many' }, typo: 1,
    };
    const nanWeights = Float64Array.from({ length: 8 }, (_, i) => (i === 5 ? NaN : 0));
    const kinds = {
      'config: every problem at once': () => lab.createTrainer(badConfig),
      'config: huge layer': () => lab.createTrainer({ ...circleConfig, layers: [{ units: 1e12 }, { units: 1, activation: 'sigmoid' }] }),
      'config: unknown names': () => lab.createTrainer({ ...circleConfig, optimizer: { name: 'adamax', lr: 0.1 }, dataset: { name: 'moons' } }),
      'config: non-positive rate': () => lab.createTrainer({ ...circleConfig, optimizer: { name: 'sgd', lr: -1 } }),
      'config: not data': () => lab.createTrainer({ ...circleConfig, hook: () => {} }),
      'resolveConfig': () => lab.resolveConfig({ layers: [] }),
      'layer out of range': () => t.getWeights(2),
      'layer of the wrong type': () => t.trace('0'),
      'fractional layer': () => t.getBiases(0.5),
      'weights of the wrong length': () => t.setWeights(0, new Float64Array(7)),
      'NaN weights': () => t.setWeights(0, nanWeights),
      'Float32Array weights': () => t.setWeights(0, new Float32Array(8)),
      'Infinity bias': () => t.setBiases(1, [Infinity]),
      'setData length mismatch': () => t.setData([1, 2, 3], [1], 1),
      'setData NaN': () => t.setData([1, NaN], [1], 1),
      'setData targets': () => t.setData([1, 2], [2], 1),
      'setData n': () => t.setData([1, 2], [1], 0),
      'predict mismatch': () => t.predict([1, 2, 3], 2),
      'heatmap res': () => t.heatmaps(0, -6, 6, -6, 6),
      'heatmap bounds': () => t.heatmaps(8, 6, -6, -6, 6),
      'not a plane': () => raw.heatmaps(8, -1, 1, -1, 1),
      'no data': () => raw.trainStep(),
      'garbage snapshot': () => t.restore(new Uint8Array(64).fill(7)),
      'truncated snapshot': () => t.restore(snapshot.subarray(0, snapshot.length - 1)),
      'foreign snapshot': () => raw.restore(snapshot),
      'deleted trainer': () => gone.getWeights(0),
      'activation name': () => lab.activation('swish', [0]),
      'activation alpha': () => lab.activation('elu', [0], { alpha: -1 }),
      'softmax NaN': () => lab.softmax([0, NaN]),
      'loss targets': () => lab.loss('cce', [0.5, 0.5], [1, 1]),
      'loss probabilities': () => lab.loss('bce', [1], [1]),
      'surface optimizer': () => lab.descendSurface('valley', { name: 'adam', lr: 0.1, beta1: 2 }, [0, 0], 5),
      'surface start': () => lab.descendSurface('rosenbrock', { name: 'sgd', lr: 0.1 }, [Infinity, 0], 5),
      'surface grid': () => lab.surfaceGrid('saddle', 8, 0, 0, -1, 1),
      'probe index': () => t.setProbe(1e6),
      'paths before backward': () => raw.paths(0, 0, 0),
    };
    const calls = Object.values(kinds);
    const reject = (call) => {
      try {
        call();
      } catch (err) {
        if (err instanceof LabError) return err.code;
        throw err;
      }
      throw new Error('the call was accepted');
    };
    // Measured before the first rejected call: not even a one-time allocation is allowed.
    const before = lab.memory();
    const codes = new Map();
    const total = 100000;
    for (let i = 0; i < total; i++) {
      const code = reject(calls[i % calls.length]);
      codes.set(code, (codes.get(code) || 0) + 1);
    }
    const after = lab.memory();
    console.log(`heap after ${total} rejected calls of ${calls.length} kinds: used ${before.used} → ${after.used} bytes, memory ${before.size} → ${after.size} bytes; codes ${JSON.stringify(Object.fromEntries(codes))}`);
    assert.deepEqual(after, before);
    assert.deepEqual([...codes.keys()].sort(), ['bad_snapshot', 'deleted', 'invalid_argument', 'invalid_config', 'no_data', 'not_a_plane', 'not_ready', 'out_of_range']);
    assert.deepEqual(t.snapshot(), snapshot, 'the trainer is as it was');

    // And it still learns: the circle is separable by 4 tanh units.
    const start = t.evaluate();
    for (let e = 0; e < 40; e++) t.trainEpoch();
    const end = t.evaluate();
    assert.ok(end.trainLoss < start.trainLoss / 2, `loss ${start.trainLoss} → ${end.trainLoss}`);
    assert.ok(end.trainAccuracy > 0.9, `accuracy ${end.trainAccuracy}`);
  } finally {
    t.delete();
    raw.delete();
  }
});

test('trainers give their memory back when deleted', () => {
  const before = lab.memory().used;
  for (let i = 0; i < 50; i++) {
    const t = lab.createTrainer({ ...circleConfig, layers: [{ units: 8 }, { units: 8 }, { units: 1, activation: 'sigmoid' }] });
    t.trainStep();
    t.heatmaps(32, -6, 6, -6, 6);
    t.delete();
  }
  assert.equal(lab.memory().used, before);
});
