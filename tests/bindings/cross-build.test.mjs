// Same config and seed: the WebAssembly build must reproduce the native build's
// weights after 50 steps (written by tests/engine/test_trainer.cpp) to 1e-12; measured, they agree to
// about 1e-16 (the last bits of a few libm results), so a much looser match would mean a real difference.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { labForFile } from '../helpers/lab.mjs';
import { fixtureDir } from '../helpers/paths.mjs';

const lab = await labForFile();

test('50 steps in WebAssembly give the native weights (to 1e-14, within the 1e-12 asked)', async () => {
  const file = path.join(fixtureDir, 'native-50-steps.json');
  const fixture = JSON.parse(await readFile(file, 'utf8').catch(() => {
    throw new Error(`${file} is missing: the native engine tests write it (npm test runs them first)`);
  }));
  const t = lab.createTrainer(fixture.config);
  try {
    for (let i = 0; i < fixture.steps; i++) t.trainStep();
    assert.equal(t.cursor().lr, fixture.lr);
    let worst = 0;
    fixture.layers.forEach((expected, l) => {
      const w = t.getWeights(l);
      const b = t.getBiases(l);
      assert.equal(w.length, expected.weights.length);
      assert.equal(b.length, expected.biases.length);
      expected.weights.forEach((x, i) => { worst = Math.max(worst, Math.abs(w[i] - x)); });
      expected.biases.forEach((x, i) => { worst = Math.max(worst, Math.abs(b[i] - x)); });
    });
    assert.ok(worst <= 1e-14, `largest difference ${worst}`);
    console.log(`largest native − wasm difference: ${worst}`);
  } finally {
    t.delete();
  }
});

// The heatmaps are computed in float32 by kernels that do the same operations in the same order
// in both builds: from the native weights (set exactly), WebAssembly gives every cell bit for bit.
test('heatmaps of the trained network: from the native weights, the native float32 values, every cell', async () => {
  const fixture = JSON.parse(await readFile(path.join(fixtureDir, 'native-50-steps.json'), 'utf8'));
  const { res, xMin, xMax, yMin, yMax, values } = fixture.heatmaps;
  const t = lab.createTrainer(fixture.config);
  try {
    fixture.layers.forEach(({ weights, biases }, l) => {
      t.setWeights(l, weights);
      t.setBiases(l, biases);
    });
    const maps = t.heatmaps(res, xMin, xMax, yMin, yMax);
    assert.equal(maps.length, values.length);
    const differ = values.filter((x, i) => maps[i] !== Math.fround(x)).length;
    assert.equal(differ, 0, `${differ} of ${values.length} cells differ`);
  } finally {
    t.delete();
  }
});
