// Frame-by-frame mode in the browser: stepping phase by phase, the inspector's
// numbers against the engine's own trace (a twin trainer built in Node from
// the same settings), stepping back exactly, the step history's bounds, the
// mode in the URL, and screenshots of each phase in both languages.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { distDir } from '../helpers/paths.mjs';
import { blockNetwork, newPage, openLab, screenshot, useBrowser } from './browser.mjs';
import * as S from '../../web/src/state.js';

const run = useBrowser({ engine: true });

const at = (hash) => `${run.browser.url}${hash}`;
// What Temml draws for TeX it cannot read: an error span, or the command in its error colour.
const TEX_ERRORS = '#inspector .temml-error, #inspector [mathcolor="#b22222"], #inspector [style*="b22222"]';

/** The trainer the page builds for this hash, built here from the same settings table. */
function twin(hash) {
  const { state, ignored } = S.parseUrl('', hash);
  assert.deepEqual(ignored, []);
  return run.lab.createTrainer(S.engineConfig(state));
}

async function stepPhases(page, n) {
  for (let i = 0; i < n; i++) await page.keyboard.press('ArrowRight');
}

/** Every exact number the inspector shows: { quantity: { value, terms } }, in page order. */
function inspectorNumbers(page) {
  return page.$$eval('#inspector [data-quantity]', (els) => els.map((el) => ({
    quantity: el.dataset.quantity,
    value: el.dataset.value === undefined ? null : Number(el.dataset.value),
    terms: el.dataset.terms ? JSON.parse(el.dataset.terms) : null,
  })));
}

async function quantity(page, name) {
  const found = (await inspectorNumbers(page)).filter((q) => q.quantity === name);
  assert.equal(found.length, 1, `the inspector shows ${name} once`);
  return found[0];
}

/** The state the page shows: caption, timeline, metrics, and every inspector number. */
async function pageNumbers(page) {
  return {
    caption: await page.textContent('#frame-caption'),
    epoch: await page.textContent('#epoch'),
    batch: await page.textContent('#batch'),
    trainLoss: await page.getAttribute('#train-loss', 'data-value'),
    testLoss: await page.getAttribute('#test-loss', 'data-value'),
    inspector: await inspectorNumbers(page),
    marks: await page.$$eval('.net-node', (els) => els.map((el) => el.getAttribute('aria-description'))),
  };
}

const close = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: page ${a}, engine ${b}`);

// Batch size 1: the sample followed is the whole batch, so every per-sample number is the trace's row 0.
const HASH = '#mode=frames&dataset=xor&networkShape=3,2&batchSize=1&seed=5&learningRate=0.1&optimizer=adam';

test('stepping to the backward phase of the first layer shows the trace\'s numbers in the inspector', async () => {
  const { page, errors } = await newPage(run.browser.context, { viewport: { width: 1280, height: 900 } });
  await openLab(page, at(HASH));
  assert.equal(await page.getAttribute('.mode-button[data-mode="frames"]', 'aria-pressed'), 'true');
  const t = twin(HASH);
  const L = t.layerSizes.length - 1;
  // forward ×L, loss, backward L−1 … 0: the backward phase of weight layer 0 (hidden layer 1) is step 2L + 1.
  await stepPhases(page, 2 * L + 1);
  for (let k = 0; k < 2 * L + 1; k++) t.stepPhase();
  assert.deepEqual(t.cursor().phase, 'update');
  assert.match(await page.textContent('.frame-chip.is-current'), /←1/);
  assert.match(await page.textContent('#frame-caption'), /Backward: hidden layer 1/);

  const trace = t.trace(0);
  assert.ok(trace.backwardDone);
  const j = 0;  // the inspector follows the step: the first neuron of hidden layer 1
  assert.match(await page.textContent('#inspector'), /Neuron h1\.1/);
  close((await quantity(page, 'z')).value, trace.z[j], 'z');
  close((await quantity(page, 'a')).value, trace.a[j], 'a');
  close((await quantity(page, 'upstream')).value, trace.upstream[j], '∂ℓ/∂a');
  close((await quantity(page, 'local')).value, trace.local[j], "f′(z)");
  close((await quantity(page, 'downstream')).value, trace.downstream[j], '∂ℓ/∂z');
  // The terms: z's weights and inputs, and ∂ℓ/∂a's weights of the layer above and their ∂ℓ/∂z.
  const z = await quantity(page, 'z');
  const w0 = t.getWeights(0);
  const inputs = t.layerSizes[0];
  z.terms.slice(0, -1).forEach(([w, a], i) => {
    close(w, w0[j * inputs + i], `w${j}${i}`);
    close(a, trace.input[i], `a${i}`);
  });
  close(z.terms.at(-1), t.getBiases(0)[j], 'b');
  const up = await quantity(page, 'upstream');
  const w1 = t.getWeights(1);
  const above = t.trace(1);
  up.terms.forEach(([w, g], k) => {
    close(w, w1[k * t.layerSizes[1] + j], `w(1)${k}${j}`);
    close(g, above.downstream[k], `∂ℓ/∂z of h2.${k + 1}`);
  });
  // The formulas show the same numbers, rounded to four significant digits.
  const text = (await page.textContent('#inspector')).replace(/−/g, '-');
  for (const x of [trace.z[j], trace.upstream[j], trace.local[j], trace.downstream[j]]) {
    assert.ok(text.includes(String(Number(x.toPrecision(4)))), `${x} is written in the inspector, with its sign`);
  }
  // A weight into that neuron: ∂ℓ/∂w = ∂ℓ/∂z · a, and with one sample the batch mean is the same.
  await page.getByRole('button', { name: 'from X₂' }).click();
  const grad = await quantity(page, 'sampleGrad');
  close(grad.value, trace.dW[j * inputs + 1], '∂ℓ/∂w');
  close((await quantity(page, 'batchGrad')).value, trace.dW[j * inputs + 1], 'batch ∂L/∂w');
  assert.deepEqual(grad.terms, [trace.downstream[j], trace.input[1]]);
  // The neuron's marks carry the numbers for hover, focus and screen readers.
  const node = '.net-node[data-column="1"][data-unit="0"]';
  assert.match(await page.getAttribute(node, 'aria-description'), /upstream/);
  await page.focus(node);
  assert.match(await page.textContent('.net-tooltip'), new RegExp(`downstream ∂ℓ/∂z = ${String(Number(trace.downstream[j].toPrecision(4))).replace('-', '−')}`));
  assert.deepEqual(errors, []);
  t.delete();
  await page.close();
});

test('the update shows the optimizer\'s state and each weight\'s before → after, as the engine did it', async () => {
  const { page, errors } = await newPage(run.browser.context, { viewport: { width: 1280, height: 900 } });
  await openLab(page, at(HASH));
  const t = twin(HASH);
  const L = t.layerSizes.length - 1;
  // Two batches, so Adam's state has a history.
  await page.click('#step-batch');
  t.trainStep();
  await stepPhases(page, 2 * L + 2);
  for (let k = 0; k < 2 * L + 2; k++) t.stepPhase();
  assert.match(await page.textContent('.frame-chip.is-current'), /Δw/);
  const trace = t.trace(0);
  assert.ok(trace.updateDone);
  const after = t.getWeights(0);
  const k = 0;  // the inspector follows the step: W[0][0] of the first layer
  close((await quantity(page, 'expAvg')).value, trace.state.weights.expAvg[k], 'm');
  close((await quantity(page, 'expAvgSq')).value, trace.state.weights.expAvgSq[k], 'v');
  close((await quantity(page, 'mHat')).value, trace.state.weights.mHat[k], 'm̂');
  close((await quantity(page, 'vHat')).value, trace.state.weights.vHat[k], 'v̂');
  close((await quantity(page, 'delta')).value, trace.update[k], 'Δw');
  const step = await quantity(page, 'after');
  close(step.value, after[k], 'w after');
  close(step.terms[0], trace.weightsBefore[k], 'w before');
  assert.match(await page.textContent('#inspector'), /t=2/, 'Adam\'s step count');
  assert.deepEqual(errors, []);
  t.delete();
  await page.close();
});

test('a step back returns the page to the previous numbers exactly, across an update too', async () => {
  const { page, errors } = await newPage(run.browser.context, { viewport: { width: 1280, height: 900 } });
  await openLab(page, at('#mode=frames&batchSize=4&seed=11'));
  const seen = [await pageNumbers(page)];
  for (let k = 0; k < 10; k++) {  // one batch of 8 phases and two more: across the update
    await stepPhases(page, 1);
    seen.push(await pageNumbers(page));
  }
  assert.notEqual(seen[8].trainLoss, seen[7].trainLoss, 'the update changed the loss');
  for (let k = 9; k >= 0; k--) {
    await page.click('#step-back');
    assert.deepEqual(await pageNumbers(page), seen[k], `after stepping back to step ${k}`);
  }
  // Forward again from the start retraces the same numbers.
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await pageNumbers(page), seen[1]);
  await page.keyboard.press('ArrowLeft');
  assert.deepEqual(await pageNumbers(page), seen[0]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the history keeps the last 128 steps, and a setting that rebuilds the trainer clears it', async () => {
  const { page, errors } = await newPage(run.browser.context);
  await openLab(page, at('#mode=frames&networkShape=2&seed=3'));
  await stepPhases(page, 4);
  const start = await pageNumbers(page);
  await stepPhases(page, 128);
  const epochLater = await page.textContent('#batch');
  for (let k = 0; k < 128; k++) await page.keyboard.press('ArrowLeft');
  assert.deepEqual(await pageNumbers(page), start, '128 steps back');
  await page.keyboard.press('ArrowLeft');
  assert.deepEqual(await pageNumbers(page), start, '132 steps were taken, the oldest 4 fell out of the ring');
  assert.notEqual(epochLater, start.batch);

  await stepPhases(page, 3);
  // Frame mode folds the settings behind the Settings button.
  assert.equal(await page.isVisible('#setting-learningRate'), false);
  await page.click('#settings-toggle');
  await page.selectOption('#setting-learningRate', '0.1');  // a new trainer with the weights kept
  const rebuilt = await pageNumbers(page);
  await page.click('#step-back');
  assert.deepEqual(await pageNumbers(page), rebuilt, 'nothing to step back to');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the mode is kept in the URL, train mode draws no overlay, and the step controls are named', async () => {
  const { page, errors } = await newPage(run.browser.context);
  await openLab(page, at(''));
  assert.equal(await page.getAttribute('.mode-button[data-mode="train"]', 'aria-pressed'), 'true');
  assert.equal(await page.isVisible('#inspector'), false);
  await page.getByRole('button', { name: 'Frame by frame' }).click();
  assert.match(page.url(), /mode=frames/);
  assert.match(page.url(), /frameSpeed=1p/);
  for (const name of ['Back', 'Finish batch', 'Finish epoch']) assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, name);
  assert.equal(await page.getAttribute('#step', 'title'), 'Step: one phase (→); back: ←');
  await page.click('#step');
  assert.equal(await page.locator('.net-mark').count() > 0, true, 'the forward values are on the neurons');
  // Play runs one phase per second at the slowest speed.
  await page.click('#play');
  await page.waitForFunction(() => document.querySelectorAll('.frame-chip.is-done').length >= 2);
  await page.click('#play');
  // Fast play in frame mode trains whole epochs, and the inspector catches up on pause.
  await page.selectOption('#setting-frameSpeed', '1e');
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('epoch').textContent !== '000,000');
  await page.click('#play');
  assert.match(await page.textContent('#inspector'), /Weight X₁ → h1\.1/, 'paused after an update: the first weight');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  assert.match(page.url(), /mode=train/);
  assert.doesNotMatch(page.url(), /frameSpeed/);
  assert.equal(await page.locator('.net-mark').count(), 0, 'no overlay in train mode');
  assert.equal(await page.isVisible('#frame-controls'), false);
  await page.evaluate(() => document.activeElement.blur());
  const epoch = Number((await page.textContent('#epoch')).replace(/\D/g, ''));
  await page.keyboard.press('ArrowRight');
  assert.equal(Number((await page.textContent('#epoch')).replace(/\D/g, '')), epoch + 1, '→ steps an epoch in train mode');
  await openLab(page, at('#mode=frames&mode_hide=true'));
  assert.equal(await page.isVisible('.mode-switch'), false, 'mode_hide keeps a lesson in frame mode');
  assert.equal(await page.isVisible('#inspector'), true);
  assert.deepEqual(errors, []);
  await page.close();
});

test('screenshots of the forward, backward and update phases, in English and Korean, desktop and phone', async () => {
  const phone = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
  for (const lang of ['en', 'ko']) {
    for (const [device, options] of [['desktop', { viewport: { width: 1280, height: 900 } }], ['phone', phone]]) {
      const context = await run.browser.newContext({ locale: lang === 'ko' ? 'ko-KR' : 'en-US', ...options });
      const { page, errors } = await newPage(context);
      await openLab(page, at(`#mode=frames&lang=${lang}&seed=2`));
      await stepPhases(page, 2);
      await screenshot(page, `frame-forward-${device}-${lang}`);
      await stepPhases(page, 5);  // loss, backward out, 2, 1
      await screenshot(page, `frame-backward-${device}-${lang}`);
      await stepPhases(page, 1);
      assert.equal(await page.textContent('.frame-chip.is-current'), 'Δw');
      await screenshot(page, `frame-update-${device}-${lang}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${lang} ${device}: no sideways scrolling (${overflow}px)`);
      assert.deepEqual(errors, []);
      await context.close();
    }
  }
});

test('every optimizer\'s update and the softmax and MSE outputs are written out with the engine\'s numbers', async () => {
  const { page, errors } = await newPage(run.browser.context, { viewport: { width: 1280, height: 900 } });
  const cases = [
    ['optimizer=sgd&regularization=l2&regularizationRate=0.01', ['delta', 'penalty']],
    ['optimizer=momentum', ['momentumBuffer', 'delta']],
    ['optimizer=nesterov', ['momentumBuffer', 'delta']],
    ['optimizer=adagrad', ['sum', 'effectiveLr', 'delta']],
    ['optimizer=rmsprop', ['squareAvg', 'effectiveLr', 'delta']],
    ['optimizer=adamw', ['expAvg', 'expAvgSq', 'mHat', 'vHat', 'delta']],
  ];
  const stateKey = { sum: 'sum', squareAvg: 'squareAvg', momentumBuffer: 'momentumBuffer', effectiveLr: 'effectiveLr', expAvg: 'expAvg', expAvgSq: 'expAvgSq', mHat: 'mHat', vHat: 'vHat' };
  for (const [settings, shown] of cases) {
    const hash = `#mode=frames&networkShape=3&seed=4&batchSize=5&${settings}`;
    await openLab(page, at(hash));
    const t = twin(hash);
    await page.click('#step-batch');
    t.trainStep();
    const trace = t.trace(0);
    for (const name of shown) {
      const expected = name === 'delta' ? trace.update[0] : name === 'penalty' ? trace.penalty[0] : trace.state.weights[stateKey[name]][0];
      close((await quantity(page, name)).value, expected, `${settings}: ${name}`);
    }
    assert.equal(await page.locator(TEX_ERRORS).count(), 0, `${settings}: every formula typesets`);
    t.delete();
  }
  // Softmax + cross-entropy: the output neuron's ∂ℓ/∂z is p − y.
  const hash = '#mode=frames&classes=3&dataset=blobs&networkShape=2&batchSize=1&seed=6';
  await openLab(page, at(hash));
  const t = twin(hash);
  await stepPhases(page, 4);  // forward 1, forward out, loss, backward out
  for (let k = 0; k < 4; k++) t.stepPhase();
  const out = t.trace(1);
  const y = t.data().train.targets.subarray(out.samples[0] * 3, out.samples[0] * 3 + 3);
  close((await quantity(page, 'downstream')).value, out.downstream[0], 'softmax ∂ℓ/∂z');
  assert.match(await page.textContent('#inspector'), /p_j−y_j|pj−yj/, 'written as p − y');
  close(out.downstream[0], out.a[0] - y[0], 'the engine\'s own p − y');
  close((await quantity(page, 'sampleLoss')).value, out.loss, 'a batch of one: its loss is the sample\'s');
  assert.equal(await page.locator(TEX_ERRORS).count(), 0);
  t.delete();
  // Regression with MSE: ∂ℓ/∂ŷ = 2(ŷ − y) and a linear output; the batch's loss is the mean of three.
  const reg = '#mode=frames&problem=regression&networkShape=2&batchSize=3&seed=6&lang=en';
  await openLab(page, at(reg));
  await stepPhases(page, 3);  // forward 1, forward out, loss
  const r = twin(reg);
  for (let k = 0; k < 3; k++) r.stepPhase();
  const lossTrace = r.trace(1);
  assert.match(await page.textContent('#frame-caption'), new RegExp(`over ${lossTrace.batch} samples`));
  const c = r.cursor();
  assert.match(await page.textContent('#frame-caption'), new RegExp(`Now: epoch ${c.epoch + 1}, batch ${c.batch + 1} of ${c.batchesPerEpoch}`));
  assert.ok((await page.textContent('#frame-caption')).replace(/−/g, '-').includes(String(Number(lossTrace.loss.toPrecision(4)))), 'the caption writes the batch loss');
  await stepPhases(page, 1);  // backward out
  r.stepPhase();
  const o = r.trace(1);
  const target = r.data().train.targets[o.samples[0]];
  close((await quantity(page, 'downstream')).value, 2 * (o.a[0] - target), '∂ℓ/∂ŷ = 2(ŷ − y), times a linear output’s 1');
  close((await quantity(page, 'sampleLoss')).value, (o.a[0] - target) ** 2, 'the followed sample’s own loss');
  close((await quantity(page, 'batchLoss')).value, o.loss, 'the batch mean the optimizer descends');
  assert.equal(await page.locator(TEX_ERRORS).count(), 0);
  r.delete();
  assert.deepEqual(errors, []);
  await page.close();
});

test('a first-layer weight lists every path to the loss, and their products sum to ∂ℓ/∂w', async () => {
  const { page, errors } = await newPage(run.browser.context, { viewport: { width: 1280, height: 900 } });
  // The course's picture: θ₁₁ reaches the loss through both neurons of the next layer.
  const hash = '#mode=frames&dataset=xor&networkShape=2,2&batchSize=4&seed=8';
  await openLab(page, at(hash));
  const t = twin(hash);
  const L = t.layerSizes.length - 1;
  await stepPhases(page, 2 * L + 1);  // backward of the first layer
  await page.getByRole('button', { name: 'from X₁' }).click();
  const rows = await page.$$eval('#inspector .ix-path', (els) => els.map((el) => Number(el.dataset.product)));
  assert.equal(rows.length, 2, 'X₁ → h1.1 → h2.1 → out and X₁ → h1.1 → h2.2 → out: the course\'s blue and orange paths');
  const grad = await quantity(page, 'sampleGrad');
  const sum = rows.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - grad.value) <= 1e-9, `Σ paths ${sum} = ∂ℓ/∂w ${grad.value}`);
  close((await quantity(page, 'pathSum')).value, grad.value, 'the sum over all paths equals ∂ℓ/∂w');
  assert.equal(await page.locator('.net-path').count(), rows.length, 'each path is drawn on the network');
  // The same numbers from the engine directly: the probe is the batch's first sample.
  for (let k = 0; k < 2 * L + 1; k++) t.stepPhase();
  const first = t.trace(0).samples[0];
  t.setProbe(first);
  close(grad.value, t.trace(0).probe.dW[0], 'the probe\'s own ∂ℓ/∂w');
  const engine = t.paths(0, 0, 0, { sample: 'probe' });
  assert.deepEqual(rows.map((x) => Number(x.toPrecision(12))), engine.paths.map((p) => Number(p.product.toPrecision(12))), 'the listed products are the engine’s, in its order');
  close((await quantity(page, 'pathSum')).value, engine.sum, 'the engine’s sum over all paths');
  close((await quantity(page, 'batchGrad')).value, t.trace(0).dW[0], 'the batch mean the optimizer uses');
  assert.match(await page.textContent('#inspector'), /The optimizer does not use one sample’s gradient but the mean over the batch’s 4 samples/);
  // Hovering a path in the list highlights it on the network.
  await page.hover('#inspector .ix-path >> nth=0');
  assert.equal(await page.locator('.net-path.is-hot').count(), 1);
  assert.deepEqual(errors, []);
  t.delete();
  await page.close();
});

test('the backprop lesson shows what its text promises: a first-layer weight with two paths to the loss', async () => {
  const { page, errors } = await newPage(run.browser.context, { viewport: { width: 1280, height: 900 } });
  await openLab(page, at('#lesson=backprop&lang=en'));
  assert.match(await page.textContent('#lesson'), /two paths/);
  const L = (await page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('networkShape'))).split(',').length + 1;
  await stepPhases(page, 2 * L + 1);  // backward of the first layer
  await page.getByRole('button', { name: 'from X₁' }).click();
  assert.equal(await page.locator('#inspector .ix-path').count(), 2);
  assert.deepEqual(errors, []);
  await page.close();
});

test('with batch size 1 the probe is the batch; a picked point elsewhere is labelled as outside it', async () => {
  const { page, errors } = await newPage(run.browser.context, { viewport: { width: 1280, height: 900 } });
  const hash = '#mode=frames&batchSize=1&seed=9&lang=en';
  const t = twin(hash);
  t.stepPhase();
  const first = t.trace(0).samples[0];
  await openLab(page, at(hash));
  await stepPhases(page, 1);
  assert.equal(Number(await page.getAttribute('#inspector .ix-sample-line', 'data-sample')), first, 'followed: the batch’s one sample');
  assert.match(await page.textContent('#inspector'), /this sample is the whole batch/);
  const other = (first + 1) % t.data().train.size;
  await openLab(page, at(`${hash}&probe=${other}`));
  await stepPhases(page, 1);
  assert.equal(Number(await page.getAttribute('#inspector .ix-sample-line', 'data-sample')), other);
  assert.match(await page.textContent('#inspector'), /with batch size 1 the batch is another sample/);
  await page.getByRole('button', { name: 'Follow the batch' }).click();
  assert.equal(Number(await page.getAttribute('#inspector .ix-sample-line', 'data-sample')), first);
  assert.deepEqual(errors, []);
  t.delete();
  await page.close();
});

test('clicking a training point makes it the probe: its own numbers fill the network, in the URL too', async () => {
  const { page, errors } = await newPage(run.browser.context, { viewport: { width: 1280, height: 900 } });
  const hash = '#mode=frames&batchSize=10&seed=9';
  await openLab(page, at(hash));
  const t = twin(hash);
  const { points, size } = t.data().train;
  // A point far from its neighbours, so the click can only mean it (positions within the plot).
  const { width, height } = await page.locator('.plot-points').boundingBox();
  const pixel = (i) => [((points[2 * i] + 6) / 12) * width, ((6 - points[2 * i + 1]) / 12) * height];
  let pick = -1;
  for (let i = 0; i < size && pick < 0; i++) {
    const [x, y] = pixel(i);
    let nearest = Infinity;
    for (let k = 0; k < size; k++) if (k !== i) nearest = Math.min(nearest, Math.hypot(pixel(k)[0] - x, pixel(k)[1] - y));
    if (nearest > 10) pick = i;
  }
  assert.ok(pick >= 0);
  const [x, y] = pixel(pick);
  await page.locator('.plot-points').click({ position: { x, y } });
  assert.match(page.url(), new RegExp(`probe=${pick}(&|$)`));
  assert.match(await page.textContent('#inspector'), new RegExp(`Training sample #${pick}\\b`));
  await stepPhases(page, 1);
  t.setProbe(pick);
  t.stepPhase();
  const probe = t.trace(0).probe;
  close((await quantity(page, 'z')).value, probe.z[0], 'the probe\'s z');
  close((await quantity(page, 'a')).value, probe.a[0], 'the probe\'s a');
  const inBatch = [...t.trace(0).samples].includes(pick);
  assert.match(await page.textContent('#inspector'), inBatch ? /row \d+ of this batch/ : /not in this batch of 10/);
  await page.getByRole('button', { name: 'Follow the batch' }).click();
  assert.doesNotMatch(page.url(), /probe=/);
  assert.match(await page.textContent('#inspector'), /The first of this batch’s 10 samples/);
  await page.getByRole('button', { name: 'Random sample' }).click();
  assert.match(page.url(), /probe=\d+/);
  assert.deepEqual(errors, []);
  t.delete();
  await page.close();
});

test('the single file steps frame by frame from file:// with the network blocked, formulas and all', async () => {
  const { page, errors } = await newPage(run.browser.context);
  const requests = await blockNetwork(page);
  await openLab(page, `${pathToFileURL(path.join(distDir, 'backprop-lab.html')).href}#mode=frames&networkShape=3`);
  await stepPhases(page, 5);  // forward ×2, loss, backward out, backward 1
  assert.ok(await page.locator('#inspector math').count() > 3, 'the formulas are typeset as MathML');
  assert.equal(await page.locator(TEX_ERRORS).count(), 0);
  assert.ok(await page.locator('.net-mark-up:not([hidden])').count() > 0, 'gradient marks are drawn');
  assert.deepEqual(requests, [], 'nothing is fetched from the network');
  assert.deepEqual(errors, []);
  await page.close();
});
