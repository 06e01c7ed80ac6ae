// The JS API package (dist/lib) in a browser: a page of the same site imports it, and it loads
// the engine from the .wasm beside it and trains.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newPage, openBrowser, openLab } from './browser.mjs';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.close(); });

test('a page imports dist/lib/index.mjs, loads the engine beside it and trains an epoch', async () => {
  const { page, errors } = await newPage(browser.context);
  await openLab(page, browser.url);  // a page of the site: the lab, with its own engine loaded
  const wasm = [];
  page.on('request', (request) => { if (request.url().endsWith('.wasm')) wasm.push(new URL(request.url()).pathname); });
  const result = await page.evaluate(async () => {
    const { loadEngine, LabError } = await import('/lib/index.mjs');
    const lab = await loadEngine();
    const t = lab.createTrainer({ seed: 3, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', dataset: { name: 'xor' } });
    const epoch = t.trainEpoch();
    let refused = null;
    try { t.setWeights(0, [1]); } catch (err) { refused = err instanceof LabError ? err.code : String(err); }
    t.delete();
    return { epoch, refused, version: lab.version };
  });
  assert.equal(result.epoch.epoch, 1);
  assert.ok(Number.isFinite(result.epoch.loss));
  assert.equal(result.refused, 'invalid_argument');
  assert.deepEqual(wasm, ['/lib/backprop-lab-core.wasm'], 'the engine comes from the package\'s own .wasm');
  assert.deepEqual(errors, []);
  await page.close();
});
