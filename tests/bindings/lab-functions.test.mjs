// lab.activation, lab.softmax and lab.loss: the engine's own functions for the course panels,
// checked against values worked out by hand and against finite differences.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectLabError, labForFile } from '../helpers/lab.mjs';

const lab = await labForFile();

const near = (actual, expected, tolerance = 1e-15) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} vs ${expected}`);
const allNear = (actual, expected, tolerance) => {
  assert.equal(actual.length, expected.length);
  expected.forEach((x, i) => near(actual[i], x, tolerance));
};

test('activation values and local gradients, by hand', () => {
  const sigmoid = lab.activation('sigmoid', [0, Math.log(3), -Math.log(3)]);
  assert.ok(sigmoid.value instanceof Float64Array && sigmoid.derivative instanceof Float64Array);
  allNear(sigmoid.value, [0.5, 0.75, 0.25], 1e-15);
  allNear(sigmoid.derivative, [0.25, 0.1875, 0.1875], 1e-15);  // σ′(0) = 0.25, the most it ever is
  allNear(lab.activation('tanh', [0]).derivative, [1]);
  allNear(lab.activation('linear', [-3, 7]).value, [-3, 7]);
  allNear(lab.activation('linear', [-3, 7]).derivative, [1, 1]);
  const relu = lab.activation('relu', new Float64Array([-2, 0, 3]));
  allNear(relu.value, [0, 0, 3]);
  allNear(relu.derivative, [0, 0, 1]);  // torch: relu′(0) = 0
  const leaky = lab.activation('leakyRelu', [-2, 0, 3], { alpha: 0.1 });
  allNear(leaky.value, [-0.2, 0, 3]);
  allNear(leaky.derivative, [0.1, 0.1, 1]);
  assert.equal(leaky.alpha, 0.1);
  assert.equal(lab.activation('leakyRelu', [-1]).alpha, 0.01, "torch's default slope");
  const elu = lab.activation('elu', [-Math.LN2, 0, 2]);
  allNear(elu.value, [-0.5, 0, 2]);  // e^(−ln 2) − 1
  allNear(elu.derivative, [0.5, 1, 1], 1e-15);
  allNear(lab.activation('elu', [-Math.LN2, 0], { alpha: 2 }).derivative, [1, 2], 1e-15);
});

test('every activation\'s derivative matches a central difference of its values', () => {
  const h = 1e-6;
  const z = Float64Array.from({ length: 41 }, (_, i) => -4 + 0.2 * i + 0.013);  // away from the kink at 0
  for (const name of ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu']) {
    const { derivative } = lab.activation(name, z, { alpha: 0.3 });
    const plus = lab.activation(name, z.map((x) => x + h), { alpha: 0.3 }).value;
    const minus = lab.activation(name, z.map((x) => x - h), { alpha: 0.3 }).value;
    z.forEach((_, i) => near(derivative[i], (plus[i] - minus[i]) / (2 * h), 1e-8));
  }
});

test('softmax: probabilities that sum to 1, stable for large scores', () => {
  const p = lab.softmax([0, Math.log(2), Math.log(3)]);
  assert.ok(p instanceof Float64Array);
  allNear(p, [1 / 6, 2 / 6, 3 / 6], 1e-15);
  allNear(lab.softmax([1000, 1000]), [0.5, 0.5]);
  allNear(lab.softmax([-1000, 0]), [0, 1]);
  allNear(lab.softmax([42]), [1]);
  const scores = Array.from({ length: 10 }, (_, i) => Math.sin(i) * 5);
  near(lab.softmax(scores).reduce((a, b) => a + b, 0), 1, 1e-15);
});

test('loss: cross-entropy of p = 0.9 on the right class is −log 0.9 = 0.1053…', () => {
  const cce = lab.loss('cce', [0.9, 0.05, 0.05], [1, 0, 0]);
  near(cce.loss, 0.10536051565782628);
  allNear(cce.perSample, [0.10536051565782628]);
  allNear(cce.gradient, [-1 / 0.9, 0, 0], 1e-15);  // ∂l/∂p = −y / p
  const bce = lab.loss('bce', [0.9, 0.1], [1, 1]);
  allNear(bce.perSample, [0.10536051565782628, 2.302585092994046], 1e-15);
  near(bce.loss, (0.10536051565782628 + 2.302585092994046) / 2, 1e-15);
  allNear(bce.gradient, [-1 / 0.9, -1 / 0.1], 1e-12);
});

test('loss from logits: log 2 at z = 0, and p − y for the gradient', () => {
  const bce = lab.loss('bce', [0, 0], [1, 0], { logits: true });
  allNear(bce.perSample, [Math.LN2, Math.LN2]);
  allNear(bce.gradient, [-0.5, 0.5]);
  const cce = lab.loss('cce', [0, 0, 0, 2, 1, 0], [0, 1, 0, 1, 0, 0], { logits: true, units: 3 });
  near(cce.perSample[0], Math.log(3));
  const e = [Math.E ** 2, Math.E, 1];
  const sum = e[0] + e[1] + e[2];
  near(cce.perSample[1], -Math.log(e[0] / sum), 1e-15);
  allNear(cce.gradient, [1 / 3, -2 / 3, 1 / 3, e[0] / sum - 1, e[1] / sum, e[2] / sum], 1e-15);
  // Stable where the probabilities round to 0 or 1.
  const extreme = lab.loss('bce', [1000, -1000], [0, 1], { logits: true });
  allNear(extreme.perSample, [1000, 1000]);
  allNear(extreme.gradient, [1, -1]);
});

test('loss gradients match central differences of the per-sample losses', () => {
  const h = 1e-6;
  const z = [0.3, -1.2, 2.0, 0.7, 0.1, -0.4];
  for (const [name, targets, options] of [
    ['cce', [0, 1, 0, 0.2, 0.3, 0.5], { logits: true, units: 3 }],
    ['bce', [1, 0, 0.5, 1, 0, 0.25], { logits: true }],
    ['mse', [0, 1, -2, 3, 0.5, 0], { units: 2 }],
    ['half_mse', [-1, 1, -1, 1, 0.5, 0], { units: 2 }],
  ]) {
    const { gradient } = lab.loss(name, z, targets, options);
    const k = options.units || 1;
    z.forEach((_, i) => {
      const shift = (d) => lab.loss(name, z.map((x, j) => (j === i ? x + d : x)), targets, options).perSample[Math.floor(i / k)];
      near(gradient[i], (shift(h) - shift(-h)) / (2 * h), 1e-8);
    });
  }
});

test('mse: mean over outputs of (ŷ − y)², then mean over samples', () => {
  const one = lab.loss('mse', [1, 2], [0, 0]);
  allNear(one.perSample, [1, 4]);
  near(one.loss, 2.5);
  allNear(one.gradient, [2, 4]);
  const two = lab.loss('mse', [1, 2, 3, 5], [0, 0, 3, 3], { units: 2 });
  allNear(two.perSample, [2.5, 2]);
  near(two.loss, 2.25);
  allNear(two.gradient, [1, 2, 0, 2]);
});

test('half_mse: TensorFlow Playground\'s ½(ŷ − y)², mean over outputs and samples; its gradient ŷ − y', () => {
  const one = lab.loss('half_mse', [0.5, -0.25], [1, -1]);
  allNear(one.perSample, [0.125, 0.28125]);
  near(one.loss, 0.203125);
  allNear(one.gradient, [-0.5, 0.75]);  // the playground's o − t
  const two = lab.loss('half_mse', [1, 2, 3, 5], [0, 0, 3, 3], { units: 2 });
  allNear(two.perSample, [1.25, 1]);
  allNear(two.gradient, [0.5, 1, 0, 1]);
  // Exactly half of MSE, sample by sample.
  const mse = lab.loss('mse', [0.3, -0.7, 2.5], [1, -1, 2]);
  const half = lab.loss('half_mse', [0.3, -0.7, 2.5], [1, -1, 2]);
  mse.perSample.forEach((x, i) => near(half.perSample[i], x / 2));
  expectLabError(() => lab.loss('half_mse', [0], [1], { logits: true }), { code: 'invalid_argument', field: 'logits', says: "'half_mse' compares the outputs" });
});

test('the lab-level calls refuse bad input with the field and what is allowed', () => {
  const elementwise = "'linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu'";
  const cases = [
    [() => lab.activation('tanhh', [0]), { code: 'invalid_argument', field: 'name', says: ["'tanhh'", elementwise] }],
    [() => lab.activation(3, [0]), { code: 'invalid_argument', field: 'name', says: 'name is 3' }],
    [() => lab.activation('softmax', [0, 1]), { code: 'invalid_argument', field: 'name', says: ['lab.softmax', elementwise] }],
    [() => lab.activation('tanh', 0.5), { code: 'invalid_argument', field: 'z', says: 'a Float64Array or an array of numbers' }],
    [() => lab.activation('tanh', []), { code: 'invalid_argument', field: 'z', says: ['0 numbers', 'allowed: 1 to 1048576'] }],
    [() => lab.activation('tanh', [0, NaN]), { code: 'invalid_argument', field: 'z', says: ['z[1] is NaN', 'finite'] }],
    [() => lab.activation('tanh', ['0']), { code: 'invalid_argument', field: 'z', says: "z[0] is '0'" }],
    [() => lab.activation('elu', [0], { alpha: -1 }), { code: 'invalid_argument', field: 'alpha', says: ['-1', 'a number above 0, at most 10'] }],
    [() => lab.activation('leakyRelu', [0], { alpha: 2 }), { code: 'invalid_argument', field: 'alpha', says: 'a number from 0 to 1' }],
    [() => lab.activation('leakyRelu', [0], { alpha: '0.1' }), { code: 'invalid_argument', field: 'alpha', says: "'0.1'" }],
    [() => lab.activation('tanh', [0], { alpah: 1 }), { code: 'invalid_argument', field: 'options.alpah', says: 'alpha' }],
    [() => lab.activation('tanh', [0], 0.1), { code: 'invalid_argument', field: 'options', says: '{ alpha }' }],
    [() => lab.softmax([]), { code: 'invalid_argument', field: 'scores', says: '0 numbers' }],
    [() => lab.softmax([1, Infinity]), { code: 'invalid_argument', field: 'scores', says: 'scores[1] is Infinity' }],
    [() => lab.softmax(new Float32Array(2)), { code: 'invalid_argument', field: 'scores', says: 'Float32Array' }],
    [() => lab.softmax(new Float64Array(2 ** 20 + 1)), { code: 'invalid_argument', field: 'scores', says: '1048577 numbers' }],
    [() => lab.loss('hinge', [0], [1]), { code: 'invalid_argument', field: 'name', says: "'mse', 'bce', 'cce' or 'half_mse'" }],
    [() => lab.loss('mse', [0, 1], [1]), { code: 'invalid_argument', field: 'targets', says: ['1 numbers', 'allowed: 2'] }],
    [() => lab.loss('mse', [0, 1, 2], [1, 2, 3], { units: 2 }), { code: 'invalid_argument', field: 'outputs', says: 'a multiple of units = 2' }],
    [() => lab.loss('mse', [0, 1], [1, 2], { units: 0.5 }), { code: 'out_of_range', field: 'units', says: 'a whole number from 1 to 512' }],
    [() => lab.loss('mse', [0], [1], { logits: true }), { code: 'invalid_argument', field: 'logits', says: "'bce' and 'cce'" }],
    [() => lab.loss('bce', [0], [1], { logits: 'yes' }), { code: 'invalid_argument', field: 'logits', says: 'true or false' }],
    [() => lab.loss('bce', [1], [1]), { code: 'invalid_argument', field: 'outputs', says: ['outputs[0] is 1', 'above 0, below 1', 'logits: true'] }],
    [() => lab.loss('bce', [0.5], [2]), { code: 'invalid_argument', field: 'targets', says: ['targets[0] is 2', 'from 0 to 1'] }],
    [() => lab.loss('cce', [0.5, 0.5], [1, 1]), { code: 'invalid_argument', field: 'targets', says: 'summing to 1' }],
    [() => lab.loss('cce', [0.5, 0.4], [1, 0]), { code: 'invalid_argument', field: 'outputs', says: ['sum to 0.9', 'summing to 1'] }],
    [() => lab.loss('cce', [0, 1], [0, 1]), { code: 'invalid_argument', field: 'outputs', says: 'outputs[0] is 0' }],
    [() => lab.loss('mse', [NaN], [0]), { code: 'invalid_argument', field: 'outputs', says: 'outputs[0] is NaN' }],
    [() => lab.loss('mse', [0], [-Infinity]), { code: 'invalid_argument', field: 'targets', says: 'targets[0] is -Infinity' }],
    [() => lab.loss('mse', [0], [0], { unit: 1 }), { code: 'invalid_argument', field: 'options.unit', says: 'logits, units' }],
  ];
  for (const [fn, expected] of cases) expectLabError(fn, expected);
});

test('optimizer race: SGD and Momentum on the valley follow their update rules step by step', () => {
  const start = [-4, 1];
  // valley: f = ½(x²/10 + 20y²), ∇f = (x/10, 20y)
  const grad = ([x, y]) => [x / 10, 20 * y];
  const lr = 0.09;
  const sgd = lab.descendSurface('valley', { name: 'sgd', lr }, start, 5);
  let p = [...start];
  for (let i = 0; i <= 5; i++) {
    near(sgd.x[i], p[0], 1e-14);
    near(sgd.y[i], p[1], 1e-14);
    near(sgd.value[i], 0.5 * (p[0] ** 2 / 10 + 20 * p[1] ** 2), 1e-13);
    const g = grad(p);
    near(sgd.gradX[i], g[0], 1e-14);
    near(sgd.gradY[i], g[1], 1e-13);
    p = [p[0] - lr * g[0], p[1] - lr * g[1]];
  }
  // lr·20 = 1.8 > 1: every step overshoots the narrow direction, the zig-zag the course describes
  for (let i = 1; i <= 5; i++) assert.ok(Math.sign(sgd.y[i]) !== Math.sign(sgd.y[i - 1]), `step ${i} crosses the valley floor`);
  assert.equal(sgd.diverged, false);
  assert.equal(sgd.states.length, 6);
  assert.equal(sgd.states[0].step, 0);

  const momentum = lab.descendSurface('valley', { name: 'momentum', lr }, start, 3);
  let q = [...start];
  let v = null;
  for (let i = 1; i <= 3; i++) {
    const g = grad(q);
    v = v ? v.map((vi, k) => 0.9 * vi + g[k]) : g;  // torch: the first buffer is the gradient itself
    q = q.map((qi, k) => qi - lr * v[k]);
    near(momentum.x[i], q[0], 1e-13);
    near(momentum.y[i], q[1], 1e-13);
    allNear(momentum.states[i].momentumBuffer, v, 1e-13);
  }
});

test('optimizer race: AdaGrad\'s effective rate shrinks, Adam reports its bias-corrected moments', () => {
  const view = lab.surfaceView('rosenbrock');
  assert.deepEqual(view.minimum, [1, 1]);
  assert.ok(view.xMin < view.start[0] && view.start[0] < view.xMax && view.yMin < view.start[1] && view.start[1] < view.yMax);
  const ada = lab.descendSurface('rosenbrock', { name: 'adagrad', lr: 0.1 }, view.start, 20);
  for (let i = 2; i <= 20; i++) {
    for (const k of [0, 1]) assert.ok(ada.states[i].effectiveLr[k] <= ada.states[i - 1].effectiveLr[k]);
  }
  const sum = [0, 0];
  for (let i = 0; i < 3; i++) {
    sum[0] += ada.gradX[i] ** 2;
    sum[1] += ada.gradY[i] ** 2;
  }
  allNear(ada.states[3].sum, sum, 1e-9 * Math.max(...sum));
  allNear(ada.states[3].effectiveLr, sum.map((s) => 0.1 / (Math.sqrt(s) + 1e-10)), 1e-12);

  const adam = lab.descendSurface('saddle', { name: 'adam', lr: 0.05 }, [0.5, 0.01], 2);
  const g0 = [adam.gradX[0], adam.gradY[0]];
  allNear(adam.states[1].mHat, g0, 1e-15);                  // m̂₁ = g₁ exactly
  allNear(adam.states[1].vHat, g0.map((g) => g * g), 1e-15); // v̂₁ = g₁²
  assert.equal(adam.states[1].expAvg.length, 2);
  // The effective rate is the one the card shows beside m̂: each step is −rate · m̂.
  for (const i of [1, 2]) {
    const step = [adam.x[i] - adam.x[i - 1], adam.y[i] - adam.y[i - 1]];
    allNear(step, adam.states[i].mHat.map((m, k) => -adam.states[i].effectiveLr[k] * m), 1e-15);
  }
  near(adam.states[1].effectiveLr[0], 0.05 / (Math.abs(g0[0]) + 1e-8), 1e-15);  // step 1: lr / (|g| + eps)
});

test('optimizer race: the contour grid is f at the cell centres, rows from the top', () => {
  const grid = lab.surfaceGrid('saddle', 4, -2, 2, -1, 1);
  assert.equal(grid.length, 16);
  for (let row = 0; row < 4; row++) {
    for (let col = 0; col < 4; col++) {
      const x = -2 + (col + 0.5) * 1;
      const y = 1 - (row + 0.5) * 0.5;
      near(grid[row * 4 + col], x * x - y * y, 1e-15);
    }
  }
});

test('optimizer race: bad input is refused with the field', () => {
  expectLabError(() => lab.descendSurface('bowl', { name: 'sgd', lr: 0.1 }, [0, 0], 3), { code: 'invalid_argument', field: 'name', says: "'valley'" });
  expectLabError(() => lab.descendSurface('valley', { name: 'sgd', lr: -1 }, [0, 0], 3), { code: 'invalid_argument', field: 'optimizer' });
  expectLabError(() => lab.descendSurface('valley', { name: 'rmsprop', lr: 0.1, alpha: 2 }, [0, 0], 3), { code: 'invalid_argument', field: 'optimizer' });
  expectLabError(() => lab.descendSurface('valley', { name: 'sgd', lr: 0.1 }, [0, NaN], 3), { code: 'invalid_argument', field: 'start[1]' });
  expectLabError(() => lab.descendSurface('valley', { name: 'sgd', lr: 0.1 }, { x: 0, y: 0 }, 3), { code: 'invalid_argument', field: 'start' });
  expectLabError(() => lab.descendSurface('valley', { name: 'sgd', lr: 0.1 }, [0, 0], -1), { code: 'out_of_range', field: 'steps' });
  expectLabError(() => lab.surfaceGrid('valley', 0, -1, 1, -1, 1), { code: 'out_of_range', field: 'res' });
  expectLabError(() => lab.surfaceGrid('valley', 8, 1, -1, -1, 1), { code: 'invalid_argument', field: 'xMin' });
  const blown = lab.descendSurface('saddle', { name: 'sgd', lr: 1000 }, [0.1, 0.1], 400);
  assert.equal(blown.diverged, true);
  assert.ok(blown.x.length < 401);
  assert.ok(Number.isFinite(blown.x[blown.x.length - 1]));
});

test('schedules: the rate of each epoch, as torch steps it', () => {
  const step = lab.scheduleRates({ name: 'step', stepSize: 2, gamma: 0.5 }, 0.1, 5).lr;
  allNear(step, [0.1, 0.1, 0.05, 0.05, 0.025, 0.025], 1e-17);
  const exp = lab.scheduleRates({ name: 'exponential', gamma: 0.9 }, 1, 3).lr;
  allNear(exp, [1, 0.9, 0.81, 0.729], 1e-15);
  const cosine = lab.scheduleRates({ name: 'cosine', tMax: 4, etaMin: 0.01 }, 0.1, 4).lr;
  for (let e = 0; e <= 4; e++) near(cosine[e], 0.01 + 0.09 * (1 + Math.cos((Math.PI * e) / 4)) / 2, 1e-15);
  allNear(lab.scheduleRates({ name: 'constant' }, 0.3, 2).lr, [0.3, 0.3, 0.3]);

  // ReduceLROnPlateau: the loss stalls after epoch 2; with patience 2 the third stalled epoch cuts the rate.
  const losses = [1.0, 0.8, 0.8, 0.8, 0.8, 0.8, 0.5];
  const plateau = lab.scheduleRates({ name: 'plateau', patience: 2, factor: 0.5 }, 0.2, 7, losses);
  allNear(plateau.lr, [0.2, 0.2, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1]);
  allNear(plateau.badEpochs, [0, 0, 1, 2, 0, 1, 0]);
  allNear(plateau.best, [1.0, 0.8, 0.8, 0.8, 0.8, 0.8, 0.5]);
});

test('schedules: bad input names the field', () => {
  expectLabError(() => lab.scheduleRates({ name: 'linear' }, 0.1, 5), { code: 'invalid_argument', field: 'schedule.name' });
  expectLabError(() => lab.scheduleRates({ name: 'step', gamma: 0 }, 0.1, 5), { code: 'invalid_argument', field: 'schedule.gamma' });
  expectLabError(() => lab.scheduleRates({ name: 'step' }, -1, 5), { code: 'invalid_argument', field: 'lr' });
  expectLabError(() => lab.scheduleRates({ name: 'plateau' }, 0.1, 3), { code: 'invalid_argument', field: 'losses' });
  expectLabError(() => lab.scheduleRates({ name: 'plateau' }, 0.1, 2, [1, NaN]), { code: 'invalid_argument', field: 'losses' });
  expectLabError(() => lab.scheduleRates({ name: 'step' }, 0.1, 0), { code: 'out_of_range', field: 'epochs' });
});
