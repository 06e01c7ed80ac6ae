// The playground page, served over HTTP: loading, training, every dataset,
// keyboard, languages, URL state, bad input, errors, editing, sharing, phones.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiUrl } from '../helpers/paths.mjs';
import { canvasColours, epochOf, linkPoint, newPage, openBrowser, openLab, screenshot, trainUntil, valueOf } from './browser.mjs';
import * as S from '../../web/src/state.js';
import { formatNumber } from '../../web/src/i18n/index.js';
import { diverging, neuronScale, Ramp } from '../../web/src/colors.js';

const { loadEngine } = await import(apiUrl);
let browser;
let lab;  // the engine in Node, for twins of the page's trainer
before(async () => {
  browser = await openBrowser();
  lab = await loadEngine();
});
after(async () => { await browser?.close(); });

const at = (hash = '') => `${browser.url}${hash}`;

test('the page loads the engine with no console error and names its controls', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  await openLab(page, at());
  assert.match(await page.textContent('#version'), /^\d+\.\d+\.\d+$/);
  assert.equal(await page.textContent('#epoch'), '000,000');
  assert.equal(await page.getByRole('button', { name: 'Play', exact: true }).count(), 1);
  assert.equal(await page.getByRole('button', { name: 'Step', exact: true }).count(), 1);
  assert.equal(await page.getByRole('button', { name: 'Reset the network', exact: true }).count(), 1);
  const unnamed = await page.evaluate(() => [...document.querySelectorAll('button, select, input, [tabindex="0"]')]
    .filter((el) => el.offsetParent !== null)
    .filter((el) => !(el.getAttribute('aria-label') || el.closest('label') || el.textContent.trim()))
    .map((el) => el.outerHTML.slice(0, 80)));
  assert.deepEqual(unnamed, []);
  assert.ok(await canvasColours(page, '.plot-map') > 20, 'the output plot is drawn');
  assert.equal(await page.locator('.net-node').count(), 7 + 4 + 2 + 1, '7 inputs, 4 + 2 hidden, 1 output');
  assert.deepEqual(errors, []);
  await screenshot(page, 'default');
  await page.close();
});

for (const dataset of ['xor', 'circle']) {
  test(`pressing Play trains: the loss falls on ${dataset}`, async () => {
    const { page, errors } = await newPage(browser.context);
    await openLab(page, at(`#dataset=${dataset}`));
    const before = await valueOf(page, '#train-loss');
    await trainUntil(page, 30);
    const after = await valueOf(page, '#train-loss');
    assert.ok(after < 0.75 * before, `training loss ${before} → ${after}`);
    assert.ok(await valueOf(page, '#test-loss') < before, 'the test loss falls too');
    assert.ok(await canvasColours(page, '#loss-chart canvas') > 3, 'the loss curve is drawn');
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('every dataset renders, and a 3-class set trains with softmax and class colours', async () => {
  const { page, errors } = await newPage(browser.context);
  const cases = [
    ['#dataset=circle', 2], ['#dataset=xor', 2], ['#dataset=gauss', 2], ['#dataset=spiral', 2], ['#dataset=blobs', 2],
    ['#problem=regression&regDataset=plane', 0], ['#problem=regression&regDataset=multigauss', 0],
    ['#classes=3&dataset=blobs', 3], ['#classes=5&dataset=spiral', 5],
  ];
  for (const [hash, classes] of cases) {
    await openLab(page, at(hash));
    assert.ok(await canvasColours(page, '.plot-map') > 20, `${hash}: output map drawn`);
    assert.ok(await canvasColours(page, '.plot-points') > 2, `${hash}: points drawn`);
    assert.equal(await page.locator('.legend-item').count(), classes, `${hash}: one legend entry per class`);
    assert.equal(await page.locator('.net-output').count(), classes > 2 ? classes : 1, `${hash}: output neurons`);
    assert.equal(await page.isVisible('#test-accuracy'), classes > 0, `${hash}: accuracy only for classes`);
  }
  await openLab(page, at('#classes=3&dataset=blobs'));
  assert.equal(await page.inputValue('#setting-loss'), 'cce');
  assert.equal(await page.textContent('.net-title-output .net-subtitle'), 'Softmax');
  await trainUntil(page, 15);
  assert.ok(await valueOf(page, '#train-accuracy') > 0.8, 'three blobs are learned');
  assert.deepEqual(errors, []);
  await screenshot(page, 'multiclass');
  await page.close();
});

test('Space plays and pauses, → steps one epoch, Tab reaches the controls', async () => {
  const { page } = await newPage(browser.context);
  await openLab(page, at());
  await page.keyboard.press('Space');
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'true');
  assert.equal(await page.getAttribute('#play', 'aria-label'), 'Pause');
  await page.waitForFunction(() => document.getElementById('epoch').textContent !== '000,000');
  await page.keyboard.press('Space');
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'false');
  const epoch = await epochOf(page);
  await page.keyboard.press('ArrowRight');
  assert.equal(await epochOf(page), epoch + 1);
  // On a focused button → still steps, and Space presses the button itself.
  await page.focus('#step');
  await page.keyboard.press('ArrowRight');
  assert.equal(await epochOf(page), epoch + 2);
  await page.keyboard.press('Space');
  assert.equal(await epochOf(page), epoch + 3);
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'false');
  await page.focus('#reset');
  const reached = new Set();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    reached.add(await page.evaluate(() => document.activeElement.id || document.activeElement.className));
  }
  for (const id of ['play', 'step', 'setting-problem', 'setting-learningRate']) assert.ok(reached.has(id), `Tab reaches #${id}`);
  assert.ok([...reached].some((c) => String(c).includes('net-node')), 'Tab reaches the neurons');
  await page.close();
});

test('a refused number names its range in full, under its field, without moving the row', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  await openLab(page, at('#optimizer=rmsprop'));
  const top = () => page.$eval('[data-setting="optimizer"]', (el) => el.getBoundingClientRect().top);
  const before = await top();
  await page.fill('#setting-seed', '-3');
  await page.press('#setting-seed', 'Enter');
  assert.equal(await page.getAttribute('#setting-seed', 'aria-invalid'), 'true');
  assert.equal(await page.textContent('[data-setting="seed"] .field-error'), 'Enter a number from 0 to 2147483647');
  assert.equal(await top(), before, 'the fields beside it stay where they were');
  assert.match(page.url(), /seed=1(&|$)/, 'the refused entry changed nothing');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the language toggle changes the labels and is kept in the URL; Korean browsers start in Korean', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  await openLab(page, at());
  assert.equal(await page.textContent('[data-setting="learningRate"] .field-label'), 'Learning rate');
  await page.click('.lang-button[data-lang="ko"]');
  assert.equal(await page.getAttribute('#play', 'aria-label'), '재생');
  assert.ok(await canvasColours(page, '.net-map-canvas') > 20, 'the diagram is drawn again');
  assert.equal(await page.textContent('[data-setting="learningRate"] .field-label'), '학습률');
  assert.equal(await page.textContent('#output-title'), '출력');
  assert.equal(await page.getAttribute('html', 'lang'), 'ko');
  assert.match(page.url(), /lang=ko/);
  await page.reload();
  await page.waitForSelector('body.is-ready');
  assert.equal(await page.getAttribute('#play', 'aria-label'), '재생');
  await trainUntil(page, 5);
  await screenshot(page, 'korean');
  assert.deepEqual(errors, []);
  await page.close();

  const korean = await browser.newContext({ locale: 'ko-KR' });
  const other = await korean.newPage();
  await openLab(other, at());
  assert.equal(await other.getAttribute('#play', 'aria-label'), '재생');
  assert.doesNotMatch(other.url(), /lang=/, 'a detected language is not forced on whoever gets the link');
  await korean.close();
});

test('a URL round trip restores the same settings and the same first epoch', async () => {
  const { page, errors } = await newPage(browser.context);
  await openLab(page, at());
  await page.selectOption('#setting-optimizer', 'adam');
  await page.selectOption('#setting-learningRate', '0.01');
  await page.selectOption('#setting-activation', 'relu');
  await page.click('.thumb-option:has(input[value="spiral"])');
  await page.click('button[aria-label="Add a hidden layer"]');
  await page.fill('#setting-seed', '42');
  await page.press('#setting-seed', 'Enter');
  await page.click('.net-input[data-feature="x1sq"]');
  const url = page.url();
  assert.match(url, /optimizer=adam/);
  assert.match(url, /networkShape=4,2,2/);
  assert.match(url, /features=x1,x2,x1sq/);
  await page.click('#step');
  const firstEpoch = await valueOf(page, '#train-loss');

  const again = await browser.context.newPage();
  await openLab(again, url);
  for (const [id, value] of [['optimizer', 'adam'], ['learningRate', '0.01'], ['activation', 'relu'], ['seed', '42']]) {
    assert.equal(await again.inputValue(`#setting-${id}`), value, id);
  }
  assert.equal(await again.isChecked('input[value="spiral"]'), true);
  assert.equal(await again.locator('.net-node').count(), 7 + 4 + 2 + 2 + 1);
  await again.click('#step');
  assert.equal(await valueOf(again, '#train-loss'), firstEpoch, 'same seed, same first epoch');

  await openLab(again, url.replace('seed=42', 'seed=43'));
  await again.click('#step');
  assert.notEqual(await valueOf(again, '#train-loss'), firstEpoch, 'another seed, another first epoch');

  // Editing the address by hand applies it at once.
  await again.evaluate(() => { location.hash = 'dataset=gauss&networkShape=3&learningRate=0.3'; });
  await again.waitForFunction(() => document.querySelector('input[value="gauss"]').checked);
  assert.equal(await again.locator('.net-node').count(), 7 + 3 + 1);
  assert.equal(await again.inputValue('#setting-learningRate'), '0.3');
  assert.equal(await again.textContent('#epoch'), '000,000');
  assert.deepEqual(errors, []);
  await again.close();
  await page.close();
});

test('changing the learning rate or optimizer while training keeps the weights and the epoch count', async () => {
  const { page, errors } = await newPage(browser.context);
  await openLab(page, at('#dataset=xor&learningRate=0.1'));
  await trainUntil(page, 20);
  const epoch = await epochOf(page);
  const loss = await valueOf(page, '#train-loss');
  await page.selectOption('#setting-learningRate', '0.01');
  assert.equal(await epochOf(page), epoch, 'the count goes on');
  assert.ok(Math.abs(await valueOf(page, '#train-loss') - loss) < 1e-9, 'the same weights, the same loss');
  await page.selectOption('#setting-optimizer', 'momentum');
  assert.equal(await page.inputValue('#setting-momentum'), '0.9');
  assert.ok(Math.abs(await valueOf(page, '#train-loss') - loss) < 1e-9);
  assert.equal(await valueOf(page, '#lr'), 0.01);
  await page.click('#step');
  assert.equal(await epochOf(page), epoch + 1);
  await page.selectOption('#setting-activation', 'relu');
  assert.equal(await epochOf(page), 0, 'a new activation is a new network');
  assert.deepEqual(errors, []);
  await page.close();
});

test('every number beside the plot is the engine’s: both losses, both accuracies, the scheduled rate, the epoch', async () => {
  const hash = '#dataset=spiral&schedule=step&stepSize=2&gamma=0.5&learningRate=0.1&seed=3&speed=1e&lang=en';
  const { page, errors } = await newPage(browser.context);
  await openLab(page, at(hash));
  for (let i = 0; i < 5; i++) await page.click('#step');
  const twin = lab.createTrainer(S.engineConfig(S.parseUrl('', hash).state));
  try {
    for (let i = 0; i < 5; i++) twin.trainEpoch();
    const e = twin.evaluate();
    for (const [id, value] of [['#train-loss', e.trainLoss], ['#test-loss', e.testLoss]]) {
      assert.equal(await valueOf(page, id), value, id);
      assert.equal(await page.textContent(id), formatNumber(value, 3, true), `${id} as shown`);
    }
    for (const [id, value] of [['#train-accuracy', e.trainAccuracy], ['#test-accuracy', e.testAccuracy]]) {
      assert.equal(await valueOf(page, id), value, id);
      assert.equal(await page.textContent(id), `${(100 * value).toFixed(1)} %`, `${id} as shown`);
    }
    assert.equal(twin.cursor().lr, 0.1 * 0.5 ** 2, 'StepLR halved the rate after epochs 2 and 4');
    assert.equal(await valueOf(page, '#lr'), twin.cursor().lr);
    assert.equal(await page.textContent('#epoch'), '000,005');
  } finally {
    twin.delete();
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('the output plot is the engine\'s map, a canvas pixel per grid cell, which the browser shows scaled up smoothly', async () => {
  const hash = '#dataset=xor&seed=5&speed=1e&lang=en';
  const { state } = S.parseUrl('', hash);
  const { page, errors } = await newPage(browser.context);
  await openLab(page, at(hash));
  for (let i = 0; i < 5; i++) await page.click('#step');
  const shown = await page.$eval('.plot-map', (canvas) => ({
    res: canvas.width,
    height: canvas.height,
    pixels: [...canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data],
  }));
  const { res } = shown;
  assert.ok(res >= 32 && res <= 100 && shown.height === res, `one pixel per cell of the engine's grid (${res} × ${shown.height})`);
  const twin = lab.createTrainer(S.engineConfig(state));
  try {
    for (let i = 0; i < 5; i++) twin.trainEpoch();
    const maps = twin.heatmaps(res, S.PLANE.xMin, S.PLANE.xMax, S.PLANE.yMin, S.PLANE.yMax);
    const output = maps.subarray(maps.length - res * res);
    const { ramp, lo, hi } = neuronScale(S.outputLayer(state).activation);
    assert.equal(lo, 0, 'a sigmoid output, on [0, 1]');
    let off = 0;
    output.forEach((value, i) => {
      const want = ramp.soft.rgb[Ramp.index(value, lo, hi)];
      const got = shown.pixels.slice(4 * i, 4 * i + 3);
      if (want.some((v, ch) => Math.abs(v - got[ch]) > 1)) off += 1;
    });
    assert.equal(off, 0, 'every cell has the colour of the engine\'s output there');
  } finally {
    twin.delete();
  }
  // On screen: the grid scaled to the plot's size, as a bilinear drawImage paints it (inside the
  // frame's edge lines). Two colours with a sharp edge between them show how it is scaled.
  await page.check('#setting-discretize');
  await page.addStyleTag({ content: '.plot-points, .plot-marks { visibility: hidden; }' });
  const png = await page.locator('.plot-map').screenshot();
  const { width } = await page.locator('.plot-map').boundingBox();
  assert.ok(width > 3 * res, `scaled up (${width} px for ${res} cells)`);
  const far = await page.evaluate(async ({ b64, size }) => {
    const shot = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
    const read = (draw) => {
      const ctx = new OffscreenCanvas(size, size).getContext('2d');
      draw(ctx);
      return ctx.getImageData(0, 0, size, size).data;
    };
    const a = read((ctx) => ctx.drawImage(shot, 0, 0));
    const b = read((ctx) => {
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'low';
      ctx.drawImage(document.querySelector('.plot-map'), 0, 0, size, size);
    });
    let n = 0;
    for (let y = 2; y < size - 2; y++) {
      for (let x = 2; x < size - 2; x++) {
        const i = 4 * (y * size + x);
        if ([0, 1, 2].some((ch) => Math.abs(a[i + ch] - b[i + ch]) > 6)) n += 1;
      }
    }
    return n / (size - 4) ** 2;
  }, { b64: png.toString('base64'), size: Math.round(width) });
  assert.ok(far < 0.001, `the plot on screen is the grid scaled up smoothly (${(100 * far).toFixed(2)} % of pixels differ)`);
  // A narrower plot (its column alone, so nothing else asks for a redraw) shows the same grid,
  // which the browser scales: resizing the plot does not clear its map.
  const grid = () => page.$eval('.plot-map', (c) => [...c.getContext('2d').getImageData(0, 0, c.width, c.height).data].join());
  const before = await grid();
  await page.$eval('#output-plot', (el) => { el.style.width = '260px'; });
  await page.waitForFunction((w) => document.querySelector('.plot-map').getBoundingClientRect().width < w - 40, width);
  assert.equal(await grid(), before, 'the grid is kept whole through the resize');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a new learning rate keeps the momentum buffer: the next epoch matches torch-style param_groups in Node', async () => {
  const hash = '#dataset=xor&optimizer=momentum&learningRate=0.1&seed=5';
  const { page, errors } = await newPage(browser.context);
  await openLab(page, at(hash));
  for (let i = 0; i < 3; i++) await page.click('#step');
  await page.selectOption('#setting-learningRate', '0.01');
  await page.click('#step');
  assert.equal(await epochOf(page), 4);

  const { state } = S.parseUrl('', hash);
  const twin = lab.createTrainer(S.engineConfig(state));
  try {
    for (let i = 0; i < 3; i++) twin.trainEpoch();
    twin.reconfigure(S.engineConfig({ ...state, learningRate: 0.01 }));
    twin.trainEpoch();
    assert.equal(await valueOf(page, '#train-loss'), twin.evaluate().trainLoss);
    // A fresh buffer would have given another loss: the state really carried over.
    const fresh = lab.createTrainer(S.engineConfig(state));
    for (let i = 0; i < 3; i++) fresh.trainEpoch();
    const weights = [0, 1, 2].map((l) => [fresh.getWeights(l), fresh.getBiases(l)]);
    const restarted = lab.createTrainer(S.engineConfig({ ...state, learningRate: 0.01 }));
    weights.forEach(([w, b], l) => { restarted.setWeights(l, w); restarted.setBiases(l, b); });
    restarted.trainEpoch();
    assert.notEqual(restarted.evaluate().trainLoss, twin.evaluate().trainLoss);
    fresh.delete();
    restarted.delete();
  } finally {
    twin.delete();
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('a malformed URL loads with defaults, says what it ignored, and runs no script', async () => {
  const { page, errors } = await newPage(browser.context);
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const hash = [
    'learningRate=abc', 'networkShape=9,9,9,9,9,9,9,9', `dataset=${encodeURIComponent('<script>window.__xss=1</script>')}`,
    'noise=1e308', 'seed=-5', 'batchSize=99999999999999999999', 'bogus=1',
    `features=${encodeURIComponent('<img src=x onerror="window.__xss=2">')}`, '%E0%A4%A=1', 'activation=',
    `lang=${encodeURIComponent('"><svg onload=alert(1)>')}`, 'showTestData=maybe',
  ].join('&');
  await openLab(page, at(`#${hash}`));
  const notice = page.locator('[data-notice="url"]');
  assert.equal(await notice.isVisible(), true);
  const text = await notice.textContent();
  for (const key of ['learningRate', 'networkShape', 'dataset', 'noise', 'seed', 'batchSize', 'bogus', 'features', 'activation', 'lang', 'showTestData']) {
    assert.ok(text.includes(key), `the notice names ${key}`);
  }
  assert.ok(text.includes('<script>window.__xss=1</script>'), 'URL text is shown as text');
  assert.equal(await page.locator('#notices script, #notices img, #notices svg').count(), 0, 'and never becomes markup');
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(dialogs, []);
  assert.equal(await page.inputValue('#setting-learningRate'), '0.03');
  assert.equal(await page.isChecked('input[value="circle"]'), true);
  assert.equal(await page.locator('.net-node').count(), 7 + 4 + 2 + 1);
  assert.doesNotMatch(page.url(), /bogus|abc|script/, 'the address is rewritten with the values in use');
  await page.click('.notice-close');
  assert.equal(await notice.count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a diverging learning rate pauses training with a clear message and loses nothing', async () => {
  const { page, errors } = await newPage(browser.context);
  await openLab(page, at('#problem=regression&regDataset=plane&activation=relu&learningRate=10'));
  await page.click('#play');
  const notice = page.locator('[data-notice="error"]');
  await notice.waitFor();
  assert.match(await notice.textContent(), /diverged.*learning rate 10/);
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'false');
  assert.equal(await page.inputValue('#setting-learningRate'), '10');
  assert.match(page.url(), /learningRate=10/);
  await page.selectOption('#setting-learningRate', '0.01');
  assert.equal(await notice.count(), 0, 'a new setting clears the message');
  await page.click('#reset');
  await trainUntil(page, 3);
  assert.ok(Number.isFinite(await valueOf(page, '#train-loss')));
  assert.deepEqual(errors, []);
  await page.close();
});

test('hovering a link shows its weight; clicking edits it; a neuron edits its bias', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  await openLab(page, at());
  const link = await linkPoint(page, { layer: 0, to: 0, from: 0 });
  await page.mouse.move(link.x, link.y);
  assert.match(await page.textContent('.net-tooltip'), /^Weight X₁ → h1\.1: −?\d/);
  const lossBefore = await valueOf(page, '#train-loss');
  await page.mouse.click(link.x, link.y);
  const editor = page.locator('.net-editor');
  assert.equal(await editor.locator('.net-editor-title').textContent(), 'Weight X₁ → h1.1');
  await editor.locator('input').fill('2.5');
  await editor.locator('input').press('Enter');
  assert.equal(await editor.count(), 0);
  assert.notEqual(await valueOf(page, '#train-loss'), lossBefore, 'the loss follows the edited weight');
  await page.mouse.click(link.x, link.y);
  assert.equal(await page.inputValue('.net-editor input'), '2.5');
  await page.keyboard.press('Escape');

  await page.focus('.net-node[data-column="1"][data-unit="0"]');
  await page.keyboard.press('Enter');
  const rows = page.locator('.net-editor input');
  assert.equal(await rows.count(), 1 + 2, 'bias and two incoming weights');
  await rows.first().fill('-1.25');
  await rows.first().press('Enter');
  await page.focus('.net-node[data-column="1"][data-unit="0"]');
  await page.keyboard.press('Enter');
  assert.equal(await page.inputValue('.net-editor input >> nth=0'), '-1.25');
  await page.locator('.net-editor input').first().fill('1e999');
  await page.locator('.net-editor input').first().press('Enter');
  assert.equal(await page.textContent('.net-editor-error'), 'Enter a finite number');
  assert.deepEqual(errors, []);
  await page.close();
});

/**
 * The maps' canvas under each element matching selector, read at one moment, in the page: for
 * each, its key ('column.unit', or an input's feature), its middle's and its leftmost pixel
 * column's colour at mid-height as 'rgb(r,g,b)', and whether its middle is drawn at all.
 */
function readMapPixels(selector) {
  const canvas = document.querySelector('.net-map-canvas');
  const frame = canvas.getBoundingClientRect();
  const k = canvas.width / frame.width;
  const ctx = canvas.getContext('2d');
  const at = (x, y) => ctx.getImageData(Math.floor((x - frame.x) * k), Math.floor((y - frame.y) * k), 1, 1).data;
  const rgb = ([r, g, b]) => `rgb(${r},${g},${b})`;
  return [...document.querySelectorAll(selector)].map((el) => {
    const box = el.getBoundingClientRect();
    const y = box.y + box.height / 2;
    const middle = at(box.x + box.width / 2, y);
    return { key: el.dataset.feature ?? `${el.dataset.column}.${el.dataset.unit}`, middle: rgb(middle), left: rgb(at(box.x + 0.5, y)), drawn: middle[3] > 0 };
  });
}

/** Every bias square's colours: { 'column.unit': { middle, left } }. */
const biasColours = async (page) => Object.fromEntries((await page.evaluate(readMapPixels, '.net-bias')).map(({ key, middle, left }) => [key, { middle, left }]));
const biasPixel = async (page, column, unit) => (await biasColours(page))[`${column}.${unit}`].middle;

/** Sets (value given) or reads a neuron's bias through its editor. */
async function editBias(page, column, unit, value = null) {
  await page.focus(`.net-node[data-column="${column}"][data-unit="${unit}"]`);
  await page.keyboard.press('Enter');
  const input = page.locator('.net-editor input').first();
  if (value === null) {
    const shown = Number(await input.inputValue());
    await page.keyboard.press('Escape');
    return shown;
  }
  await input.fill(String(value));
  await input.press('Enter');
  return value;
}

test('each bias square shows its bias\'s colour: after an edit, a resize and training, with no element restyled while training plays', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  await openLab(page, at('#speed=1e'));
  const colour = (b) => diverging.css[Ramp.index(b, -1, 1)];
  for (const [column, unit, value] of [[1, 0, 0.5], [1, 3, -1.25], [2, 1, 0.05], [3, 0, -0.3]]) {
    await editBias(page, column, unit, value);
    assert.equal(await biasPixel(page, column, unit), colour(value), `bias of ${column}.${unit} set to ${value}`);
  }
  const wide = await page.$eval('.net-map-canvas', (c) => c.width);
  await page.setViewportSize({ width: 1000, height: 900 });  // a smaller diagram: the canvas is cleared and painted again
  await page.waitForFunction((w) => document.querySelector('.net-map-canvas').width < w, wide);
  assert.equal(await biasPixel(page, 1, 0), colour(0.5), 'painted again after a resize');
  assert.equal(await biasPixel(page, 3, 0), colour(-0.3));

  await page.evaluate(() => {
    window.restyled = 0;
    new MutationObserver((list) => { window.restyled += list.length; })
      .observe(document.querySelector('.net-stage'), { subtree: true, attributes: true, attributeFilter: ['style', 'class'] });
  });
  await trainUntil(page, 30);
  assert.equal(await page.evaluate(() => window.restyled), 0, 'no element of the diagram changed style or class while training played');
  for (const [column, unit] of [[1, 0], [1, 2], [2, 0], [2, 1], [3, 0]]) {
    const b = await editBias(page, column, unit);
    assert.equal(await biasPixel(page, column, unit), colour(b), `bias of ${column}.${unit} after training: ${b}`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a diagram so narrow that a map reaches into the next bias square, every square stays whole while training plays', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 250, height: 700 } });
  await openLab(page, at('#networkShape=8,8,8,8,8,8&speed=1e'));
  // The inputs' maps come once the page is idle, after the first drawing of the squares.
  await page.waitForFunction(`(${readMapPixels})('.net-input')[0].drawn`);
  const before = Object.entries(await biasColours(page));
  assert.deepEqual(before.filter(([, c]) => c.left !== c.middle), [], 'whole once the inputs\' maps are drawn');
  await page.click('#play');
  await page.waitForFunction(() => Number(document.getElementById('epoch').textContent.replace(/\D/g, '')) >= 20);
  const overlapped = await page.evaluate(() => [...document.querySelectorAll('.net-node')].some((a) => [...document.querySelectorAll('.net-bias')].some((b) => {
    const r = a.getBoundingClientRect(), s = b.getBoundingClientRect();
    return r.right > s.left && r.left < s.left && r.bottom > s.top && r.top < s.bottom;
  })));
  const squares = Object.entries(await biasColours(page));  // read while playing: the maps are repainted every frame
  await page.click('#play');
  assert.ok(overlapped, 'a map reaches into a bias square at this width');
  assert.equal(squares.length, 48 + 1);
  assert.deepEqual(squares.filter(([, c]) => c.left !== c.middle), [], 'every bias square is one colour edge to middle');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Share dialog gives the link and an iframe snippet for the current state', async () => {
  const { page } = await newPage(browser.context);
  await openLab(page, at('#dataset=xor&learningRate=0.1'));
  await page.click('#share');
  assert.equal(await page.inputValue('#share-link'), page.url());
  let snippet = await page.inputValue('#share-snippet');
  assert.match(snippet, /^<iframe src="[^"]*#[^"]*dataset=xor[^"]*embed=true[^"]*" width="900" height="640"/);
  assert.doesNotMatch(snippet, /&(?!amp;)/, 'ampersands are escaped in the attribute');
  await page.click('.share-hide summary');
  await page.check('.share-hide-item input[value="learningRate"]');
  snippet = await page.inputValue('#share-snippet');
  assert.match(snippet, /learningRate_hide=true/);
  await page.click('.share-actions button');
  assert.equal(await page.isVisible('.share-dialog'), false);
  await page.close();
});

test('while the engine loads, the page shows its progress', async () => {
  const { page, errors } = await newPage(browser.context);
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/backprop-lab-core.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(at());
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Loading the engine'));
  assert.equal(await page.isVisible('#loader'), true);
  assert.equal(await page.isDisabled('#play'), true);
  release();
  await page.waitForSelector('body.is-ready');
  assert.equal(await page.isVisible('#loader'), false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('without WebAssembly the page says so plainly', async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => { delete globalThis.WebAssembly; });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(at());
  await page.waitForSelector('.loader.is-error');
  assert.match(await page.textContent('#status'), /cannot run WebAssembly/);
  assert.deepEqual(errors, []);
  await context.close();
});

// A browser without a WebAssembly feature cannot decode its instructions: SIMD's prefix 0xfd, a
// try block (opcode 0x06 with an empty block type, 0x40).
for (const [feature, en, ko] of [
  ['SIMD', /not its SIMD instructions.*Safari 16\.4/, /SIMD 명령은 지원하지 않습니다/],
  ['exception handling', /not its exception handling.*Chrome or Edge 95, Firefox 100/, /예외 처리는 지원하지 않습니다/],
]) {
  test(`with WebAssembly but no ${feature} the page names what is missing, in Korean too`, async () => {
    const context = await browser.newContext();
    await context.addInitScript((lacks) => {
      const missing = lacks === 'SIMD'
        ? (bytes) => bytes.includes(0xfd)
        : (bytes) => bytes.some((b, i) => b === 0x06 && bytes[i + 1] === 0x40);
      const validate = WebAssembly.validate;
      WebAssembly.validate = (bytes) => !missing(new Uint8Array(bytes)) && validate(bytes);
    }, feature);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    await page.goto(at('#lang=en'));
    await page.waitForSelector('.loader.is-error');
    assert.match(await page.textContent('#status'), en);
    await page.goto(at('#lang=ko'));
    await page.reload();
    await page.waitForSelector('.loader.is-error');
    assert.match(await page.textContent('#status'), ko);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('on a 375-px phone the page fits its width, and a tap shows and edits a weight', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  await openLab(page, at('#classes=3&dataset=blobs'));
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), 'no sideways scrolling');
  const link = await linkPoint(page, { layer: 1, to: 0, from: 0 });
  await page.touchscreen.tap(link.x, link.y);
  assert.equal(await page.isVisible('.net-editor'), true, 'a tap opens the weight');
  assert.match(await page.textContent('.net-editor-title'), /^Weight h1\.1 → h2\.1$/);
  await page.locator('.net-editor button[type="button"]').tap();
  await page.tap('#play');
  await page.waitForFunction(() => Number(document.getElementById('epoch').textContent.replace(/\D/g, '')) >= 10);
  await page.tap('#play');
  await screenshot(page, 'phone');
  assert.deepEqual(errors, []);
  await context.close();
});

// Counts the links' paints wherever they happen: a message with links to a worker, or a clear of the
// links' canvas on the page's thread.
function countLinkPaints() {
  window.linkPaints = 0;
  window.workerPaints = 0;
  window.threadPaints = 0;
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    if (message?.links) { window.linkPaints += 1; window.workerPaints += 1; }
    return post.call(this, message, ...rest);
  };
  const clear = CanvasRenderingContext2D.prototype.clearRect;
  CanvasRenderingContext2D.prototype.clearRect = function (...args) {
    if (this.canvas.classList.contains('net-link-canvas')) { window.linkPaints += 1; window.threadPaints += 1; }
    return clear.apply(this, args);
  };
}

// Plays, checks the links' repaint rate, pauses, and returns once no paint has come for 300 ms.
async function playAndPause(page) {
  await page.click('#play');
  await page.waitForFunction(() => Number(document.getElementById('epoch').textContent.replace(/\D/g, '')) >= 5);
  const [paints0, epoch0, t0] = await page.evaluate(() => [window.linkPaints, document.getElementById('epoch').textContent, performance.now()]);
  await page.waitForTimeout(2000);
  const [paints1, epoch1, t1] = await page.evaluate(() => [window.linkPaints, document.getElementById('epoch').textContent, performance.now()]);
  await page.click('#play');
  const seconds = (t1 - t0) / 1000;
  const epochs = Number(epoch1.replace(/\D/g, '')) - Number(epoch0.replace(/\D/g, ''));
  const rate = (paints1 - paints0) / seconds;
  assert.ok(rate <= 21 && rate >= 1, `${rate.toFixed(1)} link repaints a second while ${(epochs / seconds).toFixed(1)} epochs a second`);
  await waitForNoPaint(page);
}

async function waitForNoPaint(page) {
  await page.evaluate(() => { window.quietSince = performance.now(); window.lastPaints = window.linkPaints; });
  await page.waitForFunction(() => {
    const now = performance.now();
    if (window.linkPaints !== window.lastPaints) Object.assign(window, { lastPaints: window.linkPaints, quietSince: now });
    return now - window.quietSince >= 300;
  }, null, { polling: 50 });
}

// A resize and back repaints the links from the weights as they are: the same picture as before.
async function resizeAndBack(page) {
  const before = await page.evaluate(() => window.linkPaints);
  await page.setViewportSize({ width: 1100, height: 900 });
  await page.waitForFunction((p) => window.linkPaints > p, before);
  const resized = await page.evaluate(() => window.linkPaints);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.waitForFunction((p) => window.linkPaints > p, resized);
  await waitForNoPaint(page);
}

// Sets weight 0 of layer 0 far from where it is, by the editor; returns once Enter is handled.
async function editFirstWeight(page) {
  const link = await linkPoint(page, { layer: 0, to: 0, from: 0 });
  await page.mouse.click(link.x, link.y);
  const current = Number(await page.inputValue('.net-editor input'));
  await page.fill('.net-editor input', String(current > 0 ? -4.5 : 4.5));
  await page.press('.net-editor input', 'Enter');
}

const SPIRAL_6x8 = '#networkShape=8,8,8,8,8,8&dataset=spiral&learningRate=0.1&speed=1e';
const stagePicture = (page) => page.locator('.net-stage').screenshot({ animations: 'disabled', caret: 'hide' });

test('on a slow machine the counter moves with the numbers: a frame that spares them leaves the counter too', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  await openLab(page, at('#networkShape=8,8,8,8,8,8&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2&speed=1e'));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 10 });  // slow enough to spare on any machine
  // Per animation frame: whether the counter's text and the training loss's value changed.
  await page.evaluate(() => {
    const epoch = document.getElementById('epoch'), loss = document.getElementById('train-loss');
    window.frames_ = [];
    let now = { counter: false, loss: false };
    new MutationObserver(() => { now.counter = true; }).observe(epoch, { characterData: true, childList: true, subtree: true });
    new MutationObserver(() => { now.loss = true; }).observe(loss, { attributes: true, attributeFilter: ['data-value'] });
    const tick = () => {
      window.frames_.push({ ...now, epoch: epoch.textContent });
      // Once asked, pause on a frame that trained without writing the counter: what it shows is behind.
      if (window.pauseWhenSpared && !now.counter) {
        window.pauseWhenSpared = false;
        window.shownAtPause = Number(epoch.textContent.replace(/\D/g, ''));
        document.getElementById('play').click();
      }
      now = { counter: false, loss: false };
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.click('#play');
  await page.waitForTimeout(6000);
  await page.evaluate(() => { window.pauseWhenSpared = true; });
  await page.waitForFunction(() => !window.pauseWhenSpared);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  const frames = (await page.evaluate(() => window.frames_)).slice(60);  // after the budget has adapted
  const alone = frames.filter((f) => f.counter && !f.loss).length;
  const steps = frames.filter((f) => f.counter).map((f) => Number(f.epoch.replace(/\D/g, '')));
  const jumps = steps.slice(1).filter((e, k) => e - steps[k] > 1).length;
  assert.ok(jumps > 0, 'the budget spared some frames (the counter skipped epochs)');
  assert.equal(alone, 0, 'no frame wrote the counter without the numbers');
  // Paused after a spared frame, the counter shows the epoch trained: one Step adds exactly one.
  const paused = await epochOf(page);
  assert.ok(paused > await page.evaluate(() => window.shownAtPause), 'the pause wrote the epochs the spared frames trained');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.waitForFunction((n) => Number(document.getElementById('epoch').textContent.replace(/\D/g, '')) !== n, paused);
  assert.equal(await epochOf(page), paused + 1);
  assert.deepEqual(errors, []);
  await page.close();
});

/** Objects in each layout the page does while `during()` runs (Chromium's trace of Layout events). */
async function layoutSizes(page, during) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] }, transferMode: 'ReportEvents' });
  await during();
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  return events.filter((e) => e.name === 'Layout' && e.ph === 'X').map((e) => e.args.beginData.totalObjects);
}

for (const [lang, viewport] of [['en', { width: 1280, height: 900 }], ['ko', { width: 390, height: 844 }]]) {
  test(`while training plays the numbers it rewrites are laid out on their own, not the page (${lang}, ${viewport.width}×${viewport.height})`, async () => {
    const { page, errors } = await newPage(browser.context, { viewport });
    await openLab(page, at(`#speed=1b&lang=${lang}`));  // a batch a frame: the batch line changes too
    // The whole page laid out once, for scale.
    const whole = Math.max(...await layoutSizes(page, () => page.evaluate(() => new Promise((resolve) => {
      document.body.style.paddingLeft = '1px';
      requestAnimationFrame(() => requestAnimationFrame(() => { document.body.style.paddingLeft = ''; resolve(); }));
    }))));
    await page.click('#play');
    await page.waitForFunction(() => Number(document.getElementById('epoch').textContent.replace(/\D/g, '')) >= 1);
    const playing = await layoutSizes(page, () => page.waitForTimeout(1500));  // the frame time is rewritten too
    await page.click('#play');
    assert.ok(whole > 200, `the whole page is ${whole} objects`);
    assert.ok(playing.length >= 5, `laid out on ${playing.length} frames`);  // the frame budget may spare the text on a busy machine
    const largest = Math.max(...playing);
    assert.ok(largest * 10 < whole, `the largest layout while playing took ${largest} of the page's ${whole} objects`);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('a worker paints the links: at most 20 times a second while playing, the last weights always drawn, the same picture as the page would paint', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  await page.addInitScript(countLinkPaints);
  await openLab(page, at(SPIRAL_6x8));
  await page.mouse.move(1270, 890);  // no hover on the diagram in its pictures
  // The canvas belongs to the worker: the page's thread cannot draw on it.
  assert.equal(await page.$eval('.net-link-canvas', (c) => { try { c.getContext('2d'); return 'drawable'; } catch (e) { return e.name; } }), 'InvalidStateError');
  // Before training, the picture equals the one the page's thread paints from the same weights.
  const other = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  await other.page.addInitScript(() => { delete HTMLCanvasElement.prototype.transferControlToOffscreen; });
  await other.page.addInitScript(countLinkPaints);
  await openLab(other.page, at(SPIRAL_6x8));
  await other.page.mouse.move(1270, 890);
  await waitForNoPaint(page);
  await waitForNoPaint(other.page);
  assert.equal(await other.page.evaluate(() => window.workerPaints), 0);
  assert.ok(await other.page.evaluate(() => window.threadPaints) > 0);
  assert.ok((await stagePicture(page)).equals(await stagePicture(other.page)), 'the worker paints what the page would');
  assert.deepEqual(other.errors, []);
  await other.page.close();

  await playAndPause(page);
  const paused = await stagePicture(page);
  await resizeAndBack(page);
  assert.ok((await stagePicture(page)).equals(paused), 'after a resize and back, the same links');
  // An edit after a pause is sent at once, by the time Enter has been handled, and drawn: the
  // middle of the edited link changes.
  const mid = await linkPoint(page, { layer: 0, to: 0, from: 0 });
  const linkMiddle = () => page.screenshot({ clip: { x: mid.x - 3, y: mid.y - 3, width: 6, height: 6 } });
  const middle = await linkMiddle();
  const sent = await page.evaluate(() => window.linkPaints);
  await editFirstWeight(page);
  assert.ok(await page.evaluate(() => window.linkPaints) > sent);
  await waitForNoPaint(page);
  assert.ok(!(await linkMiddle()).equals(middle), 'the edited weight is drawn');
  assert.equal(await page.evaluate(() => window.threadPaints), 0, 'nothing painted on the page\'s thread');
  assert.deepEqual(errors, []);
  await page.close();
});

test('without OffscreenCanvas the page paints the links itself: at most 20 times a second while playing, the last weights always drawn', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  await page.addInitScript(() => { delete HTMLCanvasElement.prototype.transferControlToOffscreen; });
  await page.addInitScript(countLinkPaints);
  await openLab(page, at(SPIRAL_6x8));
  const links = () => page.$eval('.net-link-canvas', (c) => c.toDataURL());
  await playAndPause(page);
  const paused = await links();
  await resizeAndBack(page);
  assert.equal(await links(), paused);
  // An edit after a pause is drawn at once, by the time Enter has been handled.
  await editFirstWeight(page);
  const edited = await links();
  assert.notEqual(edited, paused);
  await page.waitForTimeout(150);
  assert.equal(await links(), edited);
  assert.equal(await page.evaluate(() => window.workerPaints), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a worker that fails leaves the links to the page: a fresh canvas takes the worker\'s, with the links on it', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  await page.addInitScript(() => {
    const Real = Worker;
    window.Worker = class extends Real {
      constructor() { super(URL.createObjectURL(new Blob(['throw new Error("no worker here")'], { type: 'text/javascript' }))); }
    };
  });
  await page.addInitScript(countLinkPaints);
  await openLab(page, at(SPIRAL_6x8));
  await page.waitForFunction(() => window.threadPaints > 0);
  assert.equal(await page.locator('.net-link-canvas').count(), 1);
  assert.ok(await canvasColours(page, '.net-link-canvas') > 3, 'the links are drawn on the fresh canvas');
  await page.click('#play');
  await page.waitForFunction(() => Number(document.getElementById('epoch').textContent.replace(/\D/g, '')) >= 5);
  await page.click('#play');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Share dialog exports a PyTorch script that Python runs to the lab\'s losses, and the weights and data as JSON', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  await openLab(page, at('#dataset=xor&optimizer=adam&learningRate=0.01&networkShape=4,2&regularization=L2&regularizationRate=0.001&lang=ko'));
  await trainUntil(page, 3);
  await page.click('#share');
  assert.equal((await page.textContent('#export-pytorch')).trim(), 'PyTorch 스크립트');
  assert.equal((await page.textContent('#export-json')).trim(), '가중치와 데이터 (JSON)');
  const [script] = await Promise.all([page.waitForEvent('download'), page.click('#export-pytorch')]);
  assert.equal(script.suggestedFilename(), 'backprop-lab.py');
  const file = await script.path();
  const { readFile } = await import('node:fs/promises');
  assert.match(await readFile(file, 'utf8'), /^# 실험실의 네트워크/m, 'comments in the page\'s language');
  const { spawnSync } = await import('node:child_process');
  const python = spawnSync('/usr/bin/python3', [file], { encoding: 'utf8' });
  assert.equal(python.status, 0, `${python.stdout}\n${python.stderr}`);
  assert.equal(python.stdout.split('\n').filter((line) => /^epoch \d+ loss \S+$/.test(line)).length, 10, python.stdout);

  const [json] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  assert.equal(json.suggestedFilename(), 'backprop-lab-weights.json');
  const doc = JSON.parse(await readFile(await json.path(), 'utf8'));
  assert.equal(doc.format, 'backprop-lab-trainer');
  assert.deepEqual(doc.layers.map((l) => [l.units, l.inputs, l.weights.length]), [[4, 2, 8], [2, 4, 8], [1, 2, 2]]);
  assert.ok(doc.data.train.size > 0 && doc.optimizerState[0].weights.step > 0);
  assert.equal(await page.textContent('#export-status'), '');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the trained network saves to a file and opens again exactly; a damaged file is refused and changes nothing', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  await openLab(page, at('#dataset=xor&optimizer=adam&learningRate=0.01&networkShape=5,3&lang=en'));
  await trainUntil(page, 12);
  const trained = { epoch: await epochOf(page), loss: await valueOf(page, '#train-loss'), url: page.url() };
  await page.click('#share');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-network')]);
  assert.match(download.suggestedFilename(), /^backprop-lab-epoch-\d+\.json$/);
  const saved = await (await import('node:fs/promises')).readFile(await download.path(), 'utf8');
  await page.keyboard.press('Escape');

  // A different page: other settings, untrained. Opening the file brings the trained network back.
  await openLab(page, at('#dataset=circle&lang=ko'));
  await page.click('#share');
  await page.setInputFiles('#open-network', { name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(saved) });
  await page.waitForFunction(() => !document.querySelector('.share-dialog').open);
  assert.equal(await epochOf(page), trained.epoch);
  assert.equal(await valueOf(page, '#train-loss'), trained.loss, 'the same network, to the last bit');
  assert.match(page.url(), /dataset=xor/);
  assert.match(page.url(), /networkShape=5,3/);
  assert.match(page.url(), /lang=ko/, 'the page keeps its own language');
  assert.equal(await page.getAttribute('#play', 'aria-label'), '재생');
  await trainUntil(page, trained.epoch + 2);

  // Damaged files: a notice with the reason, and the network and URL as they were.
  const before = { epoch: await epochOf(page), loss: await valueOf(page, '#train-loss'), url: page.url() };
  const doc = JSON.parse(saved);
  const flipped = Buffer.from(doc.snapshot, 'base64');
  flipped[flipped.length >> 1] ^= 4;
  for (const [name, text, says] of [
    ['notes.txt', 'hello', /JSON 파일이 아닙니다/],
    ['cut.json', saved.slice(0, saved.length >> 1), /중간에 잘렸습니다/],
    ['other.json', JSON.stringify({ ...doc, snapshot: flipped.toString('base64') }), /설정과 맞지 않거나/],
    ['odd.json', JSON.stringify({ ...doc, settings: `${doc.settings}&noise=loud` }), /설정이 손상되었습니다: noise/],
  ]) {
    if (!(await page.evaluate(() => document.querySelector('.share-dialog').open))) await page.click('#share');
    await page.setInputFiles('#open-network', { name, mimeType: 'application/json', buffer: Buffer.from(text) });
    await page.waitForSelector('.notice[data-notice="file"]');
    assert.match(await page.textContent('.notice[data-notice="file"]'), new RegExp(`${name.replace('.', '\\.')} 파일을 열 수 없습니다`));
    assert.match(await page.textContent('.notice[data-notice="file"]'), says);
    assert.match(await page.textContent('.share-file-status'), says);
    assert.doesNotMatch(await page.textContent('.notice[data-notice="file"]'), /checksum|snapshot|mismatch/i, 'no engine English on the Korean page');
    assert.equal(await epochOf(page), before.epoch);
    assert.equal(await valueOf(page, '#train-loss'), before.loss);
    assert.equal(page.url(), before.url);
    await page.keyboard.press('Escape');
    await page.click('.notice[data-notice="file"] .notice-close');
  }
  await screenshot(page, 'opened-network-ko');
  assert.deepEqual(errors, []);
  await page.close();
});
