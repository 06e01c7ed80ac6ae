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
    [() => lab.loss('hinge', [0], [1]), { code: 'invalid_argument', field: 'name', says: "'mse', 'bce' or 'cce'" }],
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
