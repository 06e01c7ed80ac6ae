// Every method of the JS API (bindings/index.mjs), checked against numbers worked out by
// hand or against another method's independent view of the same computation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LabError, circleConfig, expectLabError, labForFile, softmaxConfig, softmaxData, using } from '../helpers/lab.mjs';

const lab = await labForFile();

const close = (actual, expected, tolerance, what) => {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
};

// y = 2·x1 − x2 + 0.5, one linear unit, MSE, plain SGD: small enough to work out by hand.
const linearConfig = {
  seed: 1, inputs: 2, layers: [{ units: 1, activation: 'linear' }], loss: 'mse',
  optimizer: { name: 'sgd', lr: 0.1 }, batchSize: 2, shuffle: false,
};

test('the lab: version, registries, limits, memory', () => {
  assert.match(lab.version, /^\d+\.\d+\.\d+$/);
  assert.deepEqual([...lab.names.activations], ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'softmax']);
  assert.deepEqual([...lab.names.losses], ['mse', 'bce', 'cce', 'half_mse']);
  assert.deepEqual([...lab.names.optimizers], ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw']);
  assert.deepEqual([...lab.names.schedules], ['constant', 'step', 'exponential', 'cosine', 'plateau']);
  assert.deepEqual([...lab.names.features], ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2']);
  assert.deepEqual([...lab.names.regularizations], ['none', 'l1', 'l2']);
  assert.deepEqual([...lab.names.inits], ['xavier', 'he', 'uniform', 'zero']);
  assert.ok(lab.names.datasets.includes('spiral') && lab.names.datasets.includes('xor'));
  assert.ok(Object.isFrozen(lab.names) && Object.isFrozen(lab.names.losses));
  // Room for TensorFlow Playground's largest network: 6 hidden layers × 8 neurons.
  assert.ok(lab.limits.layers >= 7 && lab.limits.units >= 8);
  const { used, size } = lab.memory();
  assert.ok(used > 0 && size > used && size % 65536 === 0, `${used} of ${size}`);
});

test('createTrainer, layerSizes, liveTrainers and delete', () => {
  const before = lab.liveTrainers;
  const t = lab.createTrainer({ ...circleConfig, features: ['x1', 'x2', 'x1x2'], layers: [{ units: 6 }, { units: 3 }, { units: 1, activation: 'sigmoid' }] });
  assert.equal(lab.liveTrainers, before + 1);
  assert.deepEqual([...t.layerSizes], [3, 6, 3, 1]);
  assert.equal(t.deleted, false);
  t.delete();
  assert.equal(lab.liveTrainers, before);
  assert.equal(t.deleted, true);
  t.delete();  // a second delete does nothing
  assert.equal(lab.liveTrainers, before);
});

test('every method of a deleted trainer throws LabError deleted', () => {
  const t = lab.createTrainer(circleConfig);
  t.delete();
  const calls = {
    layerSizes: () => t.layerSizes, config: () => t.config,
    getWeights: () => t.getWeights(0), setWeights: () => t.setWeights(0, new Float64Array(8)),
    getBiases: () => t.getBiases(0), setBiases: () => t.setBiases(0, new Float64Array(4)),
    setData: () => t.setData([0, 0], [1], 1), data: () => t.data(), predict: () => t.predict([0, 0], 1),
    stepPhase: () => t.stepPhase(), trainStep: () => t.trainStep(), trainEpoch: () => t.trainEpoch(),
    cursor: () => t.cursor(), trace: () => t.trace(0), evaluate: () => t.evaluate(),
    heatmaps: () => t.heatmaps(4, -1, 1, -1, 1), inputHeatmaps: () => t.inputHeatmaps(4, -1, 1, -1, 1),
    snapshot: () => t.snapshot(), restore: () => t.restore(new Uint8Array(8)),
  };
  for (const [name, call] of Object.entries(calls)) {
    const error = expectLabError(call, { code: 'deleted', field: 'trainer', says: 'createTrainer' });
    assert.ok(error instanceof Error && error.name === 'LabError', name);
  }
});

test('weights, biases and predict: y = 2·x1 − x2 + 0.5', () => using(lab, linearConfig, (t) => {
  t.setWeights(0, [2, -1]);
  t.setBiases(0, new Float64Array([0.5]));
  assert.deepEqual([...t.getWeights(0)], [2, -1]);
  assert.deepEqual([...t.getBiases(0)], [0.5]);
  assert.ok(t.getWeights(0) instanceof Float64Array);
  // A copy: changing it leaves the trainer alone.
  t.getWeights(0)[0] = 99;
  assert.equal(t.getWeights(0)[0], 2);
  assert.deepEqual([...t.predict([1, 3, 2, -1, 0, 0], 3)], [-0.5, 5.5, 0.5]);
  assert.deepEqual([...t.predict([], 0)], []);
}));

test('setData, then one SGD step worked out by hand', () => using(lab, linearConfig, (t) => {
  t.setWeights(0, [2, -1]);
  t.setBiases(0, [0.5]);
  t.setData([1, 3, 2, -1], [0.5, 1], 2);
  // ŷ = (−0.5, 5.5); per-sample dl/dŷ = 2(ŷ − y) = (−2, 9); loss = mean((ŷ − y)²) = (1 + 20.25) / 2.
  // dW = mean(dl/dŷ · x) = ((−2 + 18) / 2, (−6 − 9) / 2) = (8, −7.5); db = 3.5; step: −0.1 × gradient.
  const step = t.trainStep();
  assert.deepEqual(step, { loss: 10.625, epoch: 1, batch: 0 });
  close(t.getWeights(0), [1.2, -0.25], 1e-15, 'W');
  close(t.getBiases(0), [0.15], 1e-15, 'b');
  const trace = t.trace(0);
  assert.equal(trace.batch, 2);
  assert.deepEqual([...trace.samples], [0, 1]);
  assert.deepEqual([...trace.input], [1, 3, 2, -1]);
  assert.deepEqual([...trace.z], [-0.5, 5.5]);
  assert.deepEqual([...trace.a], [-0.5, 5.5]);
  assert.deepEqual([...trace.upstream], [-2, 9]);
  assert.deepEqual([...trace.local], [1, 1]);
  assert.deepEqual([...trace.downstream], [-2, 9]);
  assert.deepEqual([...trace.dW], [8, -7.5]);
  assert.deepEqual([...trace.db], [3.5]);
  assert.deepEqual([...trace.penalty], [0, 0]);
  assert.deepEqual([...trace.weightsBefore], [2, -1]);
  close(trace.update, [-0.8, 0.75], 1e-15, 'update');
  close(trace.biasUpdate, [-0.35], 1e-15, 'biasUpdate');
  assert.equal(trace.loss, 10.625);
  assert.equal(trace.state.lr, 0.1);
  assert.deepEqual([...trace.state.weights.effectiveLr], [0.1, 0.1]);
  const data = t.data();
  assert.deepEqual([...data.train.points], [1, 3, 2, -1]);
  assert.deepEqual([...data.train.targets], [0.5, 1]);
  assert.equal(data.test.size, 0);
  assert.equal(data.classification, false);
  assert.deepEqual(t.evaluate().testLoss, null);
}));

test('stepPhase walks forward, loss, backward, update; cursor says what comes next', () => using(lab, circleConfig, (t) => {
  assert.deepEqual(t.cursor(), { phase: 'forward', layer: 0, epoch: 0, batch: 0, batchesPerEpoch: 10, lr: 0.03 });
  const ran = [];
  for (let i = 0; i < 6; i++) ran.push(t.stepPhase());
  assert.deepEqual(ran.map((r) => r.phase), ['forward', 'forward', 'loss', 'backward', 'backward', 'update']);
  assert.deepEqual(ran.map((r) => r.layer).filter((_, i) => i !== 2 && i !== 5), [0, 1, 1, 0]);
  assert.deepEqual(t.cursor(), { phase: 'forward', layer: 0, epoch: 0, batch: 1, batchesPerEpoch: 10, lr: 0.03 });
  t.stepPhase();
  const midway = t.trace(0);
  assert.equal(midway.forwardDone, true);
  assert.equal(midway.backwardDone, false);
  assert.equal(t.trace(1).forwardDone, false);
  assert.deepEqual(t.cursor().phase, 'forward');
  assert.deepEqual(t.cursor().layer, 1);
}));

test('trace: upstream × local = downstream, and every number agrees with the weights and the loss', () => using(lab, circleConfig, (t) => {
  t.trainStep();
  for (let i = 0; i < 6; i++) t.stepPhase();  // the second batch, through its update
  const [inputs, hidden, outputs] = t.layerSizes;
  const h = t.trace(0);
  const o = t.trace(1);
  const W0 = h.weightsBefore;
  const W1 = o.weightsBefore;
  const rows = h.batch;
  assert.equal(rows, 10);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < hidden; j++) {
      const k = r * hidden + j;
      let z = h.biasesBefore[j];
      for (let i = 0; i < inputs; i++) z += W0[j * inputs + i] * h.input[r * inputs + i];
      assert.ok(Math.abs(h.z[k] - z) < 1e-12, 'z = W·x + b');
      assert.ok(Math.abs(h.a[k] - Math.tanh(z)) < 1e-12, 'a = tanh z');
      assert.ok(Math.abs(h.local[k] - (1 - h.a[k] ** 2)) < 1e-12, "tanh' = 1 − a²");
      // dl/da_j: every path from a_j into the output layer.
      let upstream = 0;
      for (let q = 0; q < outputs; q++) upstream += W1[q * hidden + j] * o.downstream[r * outputs + q];
      assert.ok(Math.abs(h.upstream[k] - upstream) < 1e-12, 'upstream = Wᵀ · downstream above');
      assert.ok(Math.abs(h.downstream[k] - h.upstream[k] * h.local[k]) < 1e-15, 'downstream = upstream × local');
    }
  }
  // The output layer's a is the layer above's input.
  close(o.input, h.a, 0, 'input of layer 1');
  // dW = batch mean of downstream_j · input_i.
  for (let j = 0; j < hidden; j++) {
    for (let i = 0; i < inputs; i++) {
      let dw = 0;
      for (let r = 0; r < rows; r++) dw += h.downstream[r * hidden + j] * h.input[r * inputs + i];
      assert.ok(Math.abs(h.dW[j * inputs + i] - dw / rows) < 1e-15);
    }
  }
  // The output layer's downstream and the batch loss are BCE from the logits, worked out here.
  const targets = t.data().train.targets;
  const y = Float64Array.from(o.samples, (s) => targets[s]);
  const sigmoid = (z) => 1 / (1 + Math.exp(-z));
  close(o.downstream, Float64Array.from(o.z, (z, r) => sigmoid(z) - y[r]), 1e-15, 'dl/dz = σ(z) − y');
  const bce = o.z.reduce((sum, z, r) => sum - (y[r] * Math.log(sigmoid(z)) + (1 - y[r]) * Math.log(1 - sigmoid(z))), 0) / o.z.length;
  assert.ok(Math.abs(o.loss - bce) < 1e-14, `${o.loss} vs ${bce}`);
  // Adam's second step from its state: m̂ / (√v̂ + eps) with torch's bias corrections.
  const s = h.state.weights;
  assert.equal(s.step, 2);
  const [b1, b2, eps, lr] = [0.9, 0.999, 1e-8, 0.03];
  for (let i = 0; i < h.dW.length; i++) {
    const expected = -(lr / (1 - b1 ** 2)) * s.expAvg[i] / (Math.sqrt(s.expAvgSq[i]) / Math.sqrt(1 - b2 ** 2) + eps);
    assert.ok(Math.abs(h.update[i] - expected) < 1e-15, `update[${i}]`);
    assert.ok(Math.abs(t.getWeights(0)[i] - (W0[i] + h.update[i])) < 1e-15, 'after = before + update');
  }
}));

test('trainEpoch: the mean of its batches, and the schedule steps at its end', () => {
  const config = { ...circleConfig, schedule: { name: 'step', stepSize: 1, gamma: 0.5 } };
  const [byEpoch, byStep] = [lab.createTrainer(config), lab.createTrainer(config)];
  try {
    const epoch = byEpoch.trainEpoch();
    let sum = 0;
    for (let b = 0; b < 10; b++) sum += byStep.trainStep().loss;
    assert.equal(epoch.epoch, 1);
    assert.equal(epoch.lr, 0.015);
    assert.ok(Math.abs(epoch.loss - sum / 10) < 1e-15);
    assert.deepEqual(byEpoch.getWeights(1), byStep.getWeights(1));
    assert.equal(byEpoch.cursor().lr, 0.015);
    assert.equal(byEpoch.trainEpoch().lr, 0.0075);
  } finally {
    byEpoch.delete();
    byStep.delete();
  }
});

test('evaluate agrees with predict and lab.loss over the whole splits', () => using(lab, circleConfig, (t) => {
  for (let e = 0; e < 3; e++) t.trainEpoch();
  const { train, test: testSplit } = t.data();
  assert.equal(train.size, 100);
  assert.equal(testSplit.size, 100);
  const result = t.evaluate();
  for (const [split, loss, accuracy] of [[train, result.trainLoss, result.trainAccuracy], [testSplit, result.testLoss, result.testAccuracy]]) {
    const p = t.predict(split.points, split.size);
    assert.ok(Math.abs(lab.loss('bce', p, split.targets).loss - loss) < 1e-9);
    const right = Array.from(p).filter((pi, r) => (pi > 0.5) === (split.labels[r] === 1)).length;
    assert.equal(accuracy, right / split.size);
  }
  using(lab, { seed: 2, features: ['x1', 'x2'], layers: [{ units: 1 }], dataset: { name: 'plane', samples: 50 } }, (r) => {
    const e = r.evaluate();
    assert.equal(e.trainAccuracy, null);
    assert.equal(typeof e.trainLoss, 'number');
  });
}));

test('heatmaps: every neuron at every cell centre, layer by layer, rows from yMax down', () => using(lab, circleConfig, (t) => {
  t.trainEpoch();
  const res = 8;
  const cells = res * res;
  const heat = t.heatmaps(res, -6, 6, -4, 4);
  assert.ok(heat instanceof Float32Array);
  assert.equal(heat.length, (4 + 1) * cells);
  assert.equal(heat.buffer.byteLength, lab.memory().size, 'a view on the engine memory, not a copy');
  const W0 = t.getWeights(0);
  const b0 = t.getBiases(0);
  const points = [];
  for (let row = 0; row < res; row++) {
    for (let col = 0; col < res; col++) points.push(-6 + (col + 0.5) * 1.5, 4 - (row + 0.5) * 1);
  }
  const p = t.predict(points, cells);
  const copy = Float32Array.from(heat);
  for (let cell = 0; cell < cells; cell++) {
    const [x1, x2] = [points[2 * cell], points[2 * cell + 1]];
    for (let j = 0; j < 4; j++) {
      const a = Math.tanh(W0[2 * j] * x1 + W0[2 * j + 1] * x2 + b0[j]);
      assert.ok(Math.abs(copy[j * cells + cell] - a) < 1e-6, `hidden ${j}, cell ${cell}`);
    }
    assert.ok(Math.abs(copy[4 * cells + cell] - p[cell]) < 1e-6, `output, cell ${cell}`);
  }
  const inputs = t.inputHeatmaps(res, -6, 6, -4, 4);
  assert.equal(inputs.length, 2 * cells);
  assert.equal(inputs[0], -6 + 0.75);             // x1 of the top-left cell
  assert.equal(inputs[cells], 4 - 0.5);           // x2 of the top-left cell
  assert.equal(inputs[cells + cells - 1], -4 + 0.5);
}));

test('inputHeatmaps computes the features of each cell', () => using(lab, { ...circleConfig, features: ['x1sq', 'sinx2'] }, (t) => {
  const maps = Float32Array.from(t.inputHeatmaps(2, -2, 2, -2, 2));
  // Cells at (−1, 1), (1, 1), (−1, −1), (1, −1).
  close(maps, [1, 1, 1, 1, Math.sin(1), Math.sin(1), Math.sin(-1), Math.sin(-1)], 1e-7, 'features');
}));

test('snapshot and restore rewind everything, mid-batch too', () => using(lab, circleConfig, (t) => {
  t.trainStep();
  t.stepPhase();
  t.stepPhase();
  const saved = t.snapshot();
  assert.ok(saved instanceof Uint8Array && saved.length > 0);
  const cursor = t.cursor();
  const run = () => {
    for (let i = 0; i < 4; i++) t.stepPhase();
    for (let i = 0; i < 12; i++) t.trainStep();
    return { w: [t.getWeights(0), t.getWeights(1)], trace: t.trace(0), cursor: t.cursor() };
  };
  const first = run();
  t.restore(saved);
  assert.deepEqual(t.cursor(), cursor);
  assert.deepEqual(t.snapshot(), saved);
  assert.deepEqual(run(), first);
}));

test('config returns the complete config, and building from it gives the same trainer', () => using(lab, circleConfig, (t) => {
  const full = t.config;
  assert.equal(full.optimizer.beta1, 0.9);
  assert.equal(full.optimizer.beta2, 0.999);
  assert.deepEqual(full.features, ['x1', 'x2']);
  assert.equal(full.inputs, undefined);
  assert.deepEqual(full.dataset, { name: 'circle', samples: 200, noise: 0, trainRatio: 0.5, classes: 2 });
  using(lab, full, (twin) => {
    assert.deepEqual(twin.snapshot(), t.snapshot());
    assert.deepEqual(twin.config, full);
  });
}));

test('resolveConfig fills in torch\'s defaults without building a trainer', () => {
  const live = lab.liveTrainers;
  const resolve = (optimizer) => lab.resolveConfig({ layers: [{ units: 1 }], optimizer }).optimizer;
  assert.deepEqual(
    { ...resolve({ name: 'rmsprop', lr: 0.01 }) },
    { name: 'rmsprop', lr: 0.01, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, lrDecay: 0,
      initialAccumulatorValue: 0, alpha: 0.99, centered: false, beta1: 0.9, beta2: 0.999, amsgrad: false, eps: 1e-8 });
  assert.equal(resolve({ name: 'adagrad' }).eps, 1e-10);
  assert.equal(resolve({ name: 'adamw' }).weightDecay, 0.01);
  assert.equal(resolve({ name: 'momentum' }).momentum, 0.9);
  assert.deepEqual([resolve({ name: 'nesterov' }).momentum, resolve({ name: 'nesterov' }).nesterov], [0.9, true]);
  const full = lab.resolveConfig({ layers: [{ units: 3 }, { units: 2, activation: 'softmax' }] });
  assert.equal(full.loss, 'cce', 'the loss that fits a softmax output');
  assert.deepEqual(full.layers, [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'softmax' }]);
  assert.deepEqual(lab.resolveConfig({ layers: [{ units: 2, activation: 'leakyRelu' }, { units: 1, activation: 'elu' }] }).layers,
    [{ units: 2, activation: 'leakyRelu', alpha: 0.01 }, { units: 1, activation: 'elu', alpha: 1 }]);
  assert.equal(lab.resolveConfig({ layers: [{ units: 1 }], schedule: { name: 'exponential' } }).schedule.gamma, 0.95);
  assert.equal(lab.liveTrainers, live);
  assert.throws(() => lab.resolveConfig({ layers: [] }), LabError);
});

test('a softmax trainer on data given with setData learns its training split', () => using(lab, softmaxConfig, (t) => {
  const { x, y, n } = softmaxData(40);
  t.setData(x, y, n);
  assert.equal(t.cursor().batchesPerEpoch, 10);
  const first = t.trainEpoch().loss;
  let last = first;
  for (let e = 0; e < 60; e++) last = t.trainEpoch().loss;
  assert.ok(last < first / 2, `${first} → ${last}`);
  const p = t.predict(x, n);
  for (let r = 0; r < n; r++) assert.ok(Math.abs(p[3 * r] + p[3 * r + 1] + p[3 * r + 2] - 1) < 1e-12);
  assert.ok(t.evaluate().trainAccuracy > 0.9);
  assert.throws(() => t.heatmaps(4, -1, 1, -1, 1), (e) => e.code === 'not_a_plane' && e.field === 'inputs');
}));

test('probe and paths: the probe rides along outside the batch mean, paths sum to ∂l/∂w', () => {
  const config = {
    seed: 9, features: ['x1', 'x2'], loss: 'cce', batchSize: 5, shuffle: false,
    layers: [{ units: 3, activation: 'tanh' }, { units: 3, activation: 'sigmoid' }, { units: 2, activation: 'softmax' }],
    optimizer: { name: 'sgd', lr: 0.1 },
    dataset: { name: 'xor', samples: 40, noise: 0, trainRatio: 0.5 },
  };
  const t = lab.createTrainer(config);
  const twin = lab.createTrainer(config);
  try {
    assert.equal(t.probe, null);
    t.setProbe(7);
    assert.equal(t.probe, 7);
    assert.equal(t.trace(0).probe, null, 'no phase has run: the batch does not carry it yet');
    while (t.cursor().phase !== 'update') { t.stepPhase(); twin.stepPhase(); }
    for (let l = 0; l < 3; l++) {
      const a = t.trace(l);
      const b = twin.trace(l);
      assert.deepEqual(a.dW, b.dW, 'the probe stays out of the batch mean');
      assert.equal(a.probe.index, 7);
      assert.equal(a.probe.z.length, a.units);
      assert.equal(a.probe.dW.length, a.units * a.inputs);
      a.probe.dW.forEach((g, k) => assert.equal(g, a.probe.downstream[Math.floor(k / a.inputs)] * a.probe.input[k % a.inputs]));
    }
    assert.ok(t.trace(2).probe.loss > 0);
    assert.equal(twin.trace(2).probe, null);

    // The course's picture on a 2-3-3-2 net: a first-layer weight reaches the loss along 3 × 2 paths.
    const p = t.paths(0, 1, 0, { limit: 4 });
    assert.equal(p.sample, 'probe');
    assert.equal(p.count, 6);
    assert.equal(p.paths.length, 4);
    assert.ok(Math.abs(p.sum - t.trace(0).probe.dW[1 * 2 + 0]) <= 1e-12 * Math.max(1, Math.abs(p.sum)));
    const all = t.paths(0, 1, 0, { limit: 64 });
    const total = all.paths.reduce((s, path) => s + path.product, 0);
    assert.ok(Math.abs(total - p.sum) <= 1e-15 + 1e-12 * Math.abs(p.sum));
    for (const path of all.paths) {
      assert.equal(path.units.length, 3);
      assert.equal(path.units[0], 1);
      assert.equal(path.factors.length, 6);  // a_i, f′(z_j), w, f′, w, ∂l/∂z_o
      assert.equal(path.factors.reduce((x, y) => x * y, 1), path.product);
    }
    const mean = t.paths(0, 1, 0, { sample: 'mean' });
    assert.ok(Math.abs(mean.sum - t.trace(0).dW[2]) <= 1e-15 + 1e-12 * Math.abs(mean.sum));
    assert.equal(mean.paths[0].factors, undefined);
    const row = t.paths(2, 0, 1, { sample: 3 });
    assert.equal(row.count, 1);
    assert.equal(row.sample, 3);

    t.stepPhase();  // the update
    twin.stepPhase();
    assert.deepEqual(t.getWeights(0), twin.getWeights(0));
    t.stepPhase();  // forward(0) of the next batch
    expectLabError(() => t.paths(0, 0, 0), { code: 'not_ready', field: 'layer' });
    expectLabError(() => t.paths(0, 3, 0), { code: 'out_of_range', field: 'to' });
    expectLabError(() => t.setProbe(20), { code: 'out_of_range', field: 'index' });
    expectLabError(() => t.setProbe('7'), { code: 'invalid_argument', field: 'index' });
    t.setProbe(null);
    assert.equal(t.probe, null);
    assert.equal(t.trace(0).probe, null);
    while (t.cursor().phase !== 'update') t.stepPhase();
    expectLabError(() => t.paths(0, 0, 0, { sample: 'probe' }), { code: 'invalid_argument', field: 'sample' });
  } finally {
    t.delete();
    twin.delete();
  }
});

test('reconfigure: live hyper-parameters keep the weights and the optimizer state', () => using(lab, circleConfig, (t) => {
  for (let i = 0; i < 5; i++) t.trainStep();
  const before = t.trace(0).state.weights;
  const weights = t.getWeights(0);
  t.reconfigure({ ...circleConfig, optimizer: { name: 'adam', lr: 0.1 }, regularization: { kind: 'l2', rate: 0.01 } });
  assert.deepEqual(t.getWeights(0), weights);
  assert.equal(t.cursor().lr, 0.1);
  assert.equal(t.config.optimizer.lr, 0.1);
  assert.equal(t.config.regularization.kind, 'l2');
  t.trainStep();
  assert.equal(t.trace(0).state.weights.step, before.step + 1, "Adam's step count goes on");
  t.reconfigure({ ...circleConfig, optimizer: { name: 'sgd', lr: 0.1 } });
  t.trainStep();
  assert.equal(t.trace(0).state.weights.step, 1, 'another optimizer starts its own state');
  const snapshot = t.snapshot();
  expectLabError(() => t.reconfigure({ ...circleConfig, layers: [{ units: 5 }, { units: 1, activation: 'sigmoid' }] }),
    { code: 'invalid_config', field: 'layers[0]', says: 'build a new trainer' });
  expectLabError(() => t.reconfigure({ ...circleConfig, optimizer: { name: 'sgd', lr: 0 } }), { code: 'invalid_config', field: 'optimizer.lr' });
  assert.deepEqual(t.snapshot(), snapshot);
}));

test('a diverged step says where, with the learning rate as a number', () => using(lab, {
  seed: 4, inputs: 1, layers: [{ units: 1, activation: 'linear' }], loss: 'mse', optimizer: { name: 'sgd', lr: 1000 }, batchSize: 2,
}, (t) => {
  t.setData([1, 2, 3, 4], [1, 2, 3, 4], 4);
  let error;
  for (let i = 0; i < 50 && !error; i++) {
    try { t.trainStep(); } catch (err) { error = err; }
  }
  assert.ok(error instanceof LabError);
  assert.equal(error.code, 'diverged');
  assert.deepEqual(Object.keys(error.details).sort(), ['batch', 'epoch', 'lr']);
  assert.equal(error.details.lr, 1000);
  assert.equal(error.details.epoch, t.cursor().epoch);
}));

test('gradientSizes: mean |∂L/∂W| per layer, NaN before backward reaches it', () => using(lab, circleConfig, (t) => {
  assert.ok(t.gradientSizes().every(Number.isNaN));
  t.trainStep();
  const sizes = t.gradientSizes();
  assert.equal(sizes.length, 2);
  sizes.forEach((size, l) => {
    const dW = t.trace(l).dW;
    const mean = dW.reduce((s, g) => s + Math.abs(g), 0) / dW.length;
    assert.ok(Math.abs(size - mean) <= 1e-15 * mean);
  });
}));

test('paths: sample must be \'probe\', \'mean\' or a batch row, with or without a probe', () => using(lab, circleConfig, (t) => {
  t.setProbe(3);
  while (t.cursor().phase !== 'update') t.stepPhase();
  for (const sample of [{}, [], true, null, 'first', 1.5, -1]) {
    const code = typeof sample === 'number' ? 'out_of_range' : 'invalid_argument';
    expectLabError(() => t.paths(0, 0, 0, { sample }), { code, field: 'sample' });
  }
  assert.equal(t.paths(0, 0, 0).sample, 'probe');
  assert.equal(t.paths(0, 0, 0, { sample: 'mean' }).sample, 'mean');
  assert.equal(t.paths(0, 0, 0, { sample: 2 }).sample, 2);
}));

test('the lab-level calls read settings as plain data: a throwing getter is a LabError, not a crash', () => {
  const throwing = { name: 'step', get gamma() { throw new Error('no gamma'); } };
  expectLabError(() => lab.scheduleRates(throwing, 0.1, 5), { code: 'invalid_argument', field: 'schedule', says: 'no gamma' });
  expectLabError(() => lab.descendSurface('valley', { name: 'sgd', get lr() { throw new Error('no lr'); } }, [1, 1], 3),
    { code: 'invalid_argument', field: 'optimizer', says: 'no lr' });
  expectLabError(() => lab.descendSurface('valley', { name: 'sgd', lr: () => 0.1 }, [1, 1], 3), { code: 'invalid_argument', field: 'optimizer.lr' });
  expectLabError(() => lab.descendSurface('valley', { name: 'sgd', lr: 0.1 }, [{ valueOf: () => 1 }, 1], 3), { code: 'invalid_argument', field: 'start[0]' });
  expectLabError(() => lab.createTrainer({ ...circleConfig, get seed() { throw 5; } }), { code: 'invalid_config', field: 'config', says: 'unreadable' });
  assert.equal(lab.scheduleRates({ name: 'step', stepSize: 1, gamma: 0.5 }, 1, 2).lr[2], 0.25);
});

test('trace(last).loss is null until this batch\'s loss phase has run', () => using(lab, circleConfig, (t) => {
  t.trainStep();
  t.stepPhase();  // forward(0) of the next batch
  assert.equal(t.trace(1).loss, null);
  t.stepPhase();  // forward(1)
  t.stepPhase();  // the loss
  assert.ok(t.trace(1).loss > 0);
}));

test('trace(l).step names the batch its numbers belong to, after the cursor has moved on', () => using(lab, circleConfig, (t) => {
  const perEpoch = t.cursor().batchesPerEpoch;
  for (let i = 0; i < perEpoch - 1; i++) t.trainStep();
  while (t.cursor().phase !== 'update') t.stepPhase();
  assert.deepEqual(t.trace(0).step, { epoch: 0, batch: perEpoch - 1 });
  t.stepPhase();  // the update: the epoch ends and the cursor moves to the next one
  assert.deepEqual({ epoch: t.cursor().epoch, batch: t.cursor().batch }, { epoch: 1, batch: 0 });
  assert.deepEqual(t.trace(0).step, { epoch: 0, batch: perEpoch - 1 });
  t.stepPhase();
  assert.deepEqual(t.trace(0).step, { epoch: 1, batch: 0 });
}));

test('plateau watches the test loss after each epoch, or with metric \'train\' the epoch\'s training loss', () => {
  assert.equal(lab.resolveConfig({ layers: [{ units: 1 }], schedule: { name: 'plateau' } }).schedule.metric, 'test');
  expectLabError(() => lab.resolveConfig({ layers: [{ units: 1 }], schedule: { name: 'plateau', metric: 'best' } }),
    { code: 'invalid_config', field: 'schedule.metric', says: "'test' or 'train'" });
  // A linear unit trained towards 3 on the plane, whose test targets stay within ±1.2: each epoch
  // the training loss falls and the test loss rises. Patience 0: any epoch that is not the best cuts.
  const config = (metric, trainRatio) => ({
    features: ['x1', 'x2'], layers: [{ units: 1, activation: 'linear' }], loss: 'mse',
    optimizer: { name: 'sgd', lr: 0.01 }, schedule: { name: 'plateau', patience: 0, threshold: 0, factor: 0.5, metric },
    batchSize: 20, shuffle: false, dataset: { name: 'plane', samples: 40, noise: 0, trainRatio },
  });
  const rates = (metric, trainRatio) => using(lab, config(metric, trainRatio), (t) => {
    const { train } = t.data();
    t.setData(train.points, new Float64Array(train.size).fill(3), train.size);
    t.setWeights(0, [0, 0]);
    t.setBiases(0, [0]);
    assert.deepEqual(t.config.schedule.metric, metric);
    const out = [];
    let before = t.evaluate();
    for (let e = 0; e < 3; e++) {
      const epoch = t.trainEpoch();
      const after = t.evaluate();
      assert.ok(after.trainLoss < before.trainLoss, 'the training loss falls');
      if (after.testLoss !== null) assert.ok(after.testLoss > before.testLoss, 'the test loss rises');
      before = after;
      out.push(epoch.lr);
    }
    return out;
  });
  assert.deepEqual(rates('test', 0.5), [0.01, 0.005, 0.0025]);
  assert.deepEqual(rates('train', 0.5), [0.01, 0.01, 0.01]);
  assert.deepEqual(rates('test', 1), [0.01, 0.01, 0.01], 'no test split: the training loss');
});

test('half_mse and init \'zero\': the Playground\'s circle as its link opens it, ±1 targets on a tanh output', () => using(lab, {
  seed: 5, features: ['x1', 'x2'], layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'tanh' }],
  loss: 'half_mse', init: 'zero', optimizer: { name: 'sgd', lr: 0.03 }, dataset: { name: 'circle', samples: 100, trainRatio: 0.5 },
}, (t) => {
  for (let l = 0; l < 2; l++) {
    assert.ok(t.getWeights(l).every((w) => w === 0) && t.getBiases(l).every((b) => b === 0), `layer ${l} starts at 0`);
  }
  const { train } = t.data();
  assert.ok(train.targets.every((y) => y === 1 || y === -1), 'two classes aim at −1 and 1');
  // All-zero weights: every output is tanh(0) = 0, so each sample's loss is ½(0 − (±1))² = ½.
  assert.equal(t.evaluate().trainLoss, 0.5);
  const first = t.trainEpoch();
  assert.equal(first.epoch, 1);
  // The hidden units output 0 and get no gradient: the network is symmetric, and stays so.
  assert.ok(t.getWeights(0).every((w) => w === 0) && t.getWeights(1).every((w) => w === 0));
  assert.deepEqual(t.config.loss, 'half_mse');
  assert.deepEqual(t.config.init, 'zero');
}));

test('deadUnits: per layer, the units that output 0 for every training sample', () => using(lab, {
  inputs: 1, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'linear' }], loss: 'mse',
}, (t) => {
  t.setData([-1, -0.5, 0.25, 1], [0, 0, 0, 0], 4);
  // z = w·x + b per unit: −x − 2 < 0 on [−1, 1] (dead), x (alive for x > 0), −x (alive for x < 0).
  t.setWeights(0, [-1, 1, -1]);
  t.setBiases(0, [-2, 0, 0]);
  assert.deepEqual(t.deadUnits(), [1, 0]);
  t.setBiases(0, [-2, -1, -1]);  // x − 1 ≤ 0 and −x − 1 ≤ 0 on [−1, 1]: all three dead
  t.setBiases(1, [0.5]);
  assert.deepEqual(t.deadUnits(), [3, 0], 'the output is its bias, 0.5, everywhere');
  t.setBiases(1, [0]);
  assert.deepEqual(t.deadUnits(), [3, 1], 'and with a bias of 0 it outputs 0 everywhere too');
}));
