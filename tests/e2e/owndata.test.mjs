// The learner's own data in the browser: CSV files of real shapes imported and
// checked against an independent scaling and a twin trainer in Node; malformed
// files refused by line and column with nothing changed; drawing and erasing by
// mouse, touch and keyboard; formula datasets; the link and the save file.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { dsvFormat } from 'd3-dsv';
import { epochOf, newPage, openLab, screenshot, useBrowser, valueOf } from './browser.mjs';
import * as S from '../../web/src/state.js';

const run = useBrowser({ engine: true });

const at = (hash = '#lang=en') => `${run.browser.url}${hash}`;

// ---- files of real shapes ---------------------------------------------------------------------

// Fisher's iris (a sample of its rows), five columns with a header and text labels.
const IRIS = `sepal_length,sepal_width,petal_length,petal_width,species
5.1,3.5,1.4,0.2,setosa
4.9,3.0,1.4,0.2,setosa
4.7,3.2,1.3,0.2,setosa
5.0,3.6,1.4,0.2,setosa
5.4,3.9,1.7,0.4,setosa
7.0,3.2,4.7,1.4,versicolor
6.4,3.2,4.5,1.5,versicolor
6.9,3.1,4.9,1.5,versicolor
5.5,2.3,4.0,1.3,versicolor
6.5,2.8,4.6,1.5,versicolor
6.3,3.3,6.0,2.5,virginica
5.8,2.7,5.1,1.9,virginica
7.1,3.0,5.9,2.1,virginica
6.3,2.9,5.6,1.8,virginica
6.5,3.0,5.8,2.2,virginica
`;
// A European spreadsheet's export: semicolons, decimal commas, no header, 0/1 labels.
const SEMICOLON = '172,5;68,2;1\n160,0;55,1;0\n181,3;80,0;1\n155,8;49,9;0\n169,1;62,4;1\n158,4;60,3;0\n175,0;71,7;1\n162,2;52,8;0\n';
// Tab-separated, many distinct label values: regression (size, rooms → price).
const TSV = 'area\trooms\tprice\n52\t2\t182000\n75\t3\t251000\n40\t1\t139500\n98\t4\t330000\n63\t2\t205000\n120\t5\t415000\n88\t3\t301000\n';

const parse = (text, delimiter, decimalComma = false) => text.trim().split('\n').map((line) => dsvFormat(delimiter).parseRows(line)[0]
  .map((cell) => (/^[\d.,-]+$/.test(cell) ? Number(decimalComma ? cell.replace(',', '.') : cell) : cell)));

/** The documented scaling: min–max onto −5 … 5, then the 0.001 grid. */
function minMax(values) {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return (v) => Math.round((-5 + (10 * (v - lo)) / (hi - lo)) * 1000) / 1000;
}

async function importText(page, text, name = 'data.csv') {
  await page.click('#data-import');
  await page.setInputFiles('#data-file', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.waitForSelector('#data-use, #data-import-error:not(:empty)');
}

/** The page's data as its CSV export: rows of [x1, x2, label, split]. */
async function exported(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#data-export')]);
  const text = await readFile(await download.path(), 'utf8');
  return dsvFormat(',').parseRows(text.trim());
}

const stateOf = async (page) => S.parseUrl('', await page.evaluate(() => location.hash)).state;

/**
 * A trainer in Node holding the expected points: train and test splits of [x, y, label] in the
 * page's order; checks both losses and accuracies against the page, then after one epoch.
 */
async function checkTwin(page, train, test, classes) {
  let state = await stateOf(page);
  if (classes) state = S.applyChanges(state, { classes }).state;
  const config = S.engineConfig(state);
  const out = S.outputLayer(state);
  const targetsOf = (rows) => rows.flatMap(([, , y]) => {
    if (!classes) return [y];
    if (out.units > 1) return Array.from({ length: out.units }, (_, k) => (k === y ? 1 : 0));
    return [y === 1 ? 1 : out.activation === 'tanh' ? -1 : 0];
  });
  const make = (rows) => {
    const t = run.lab.createTrainer(config);
    t.setData(rows.flatMap(([x, y]) => [x, y]), targetsOf(rows), rows.length);
    return t;
  };
  const twin = make(train);
  const twinTest = make(test);
  try {
    const compare = async () => {
      for (let l = 0; l < twin.layerSizes.length - 1; l++) {
        twinTest.setWeights(l, twin.getWeights(l));
        twinTest.setBiases(l, twin.getBiases(l));
      }
      const e = twin.evaluate();
      const t = twinTest.evaluate();
      assert.equal(await valueOf(page, '#train-loss'), e.trainLoss, 'training loss');
      assert.equal(await valueOf(page, '#test-loss'), t.trainLoss, 'test loss');
      if (classes) {
        assert.equal(await valueOf(page, '#train-accuracy'), e.trainAccuracy);
        assert.equal(await valueOf(page, '#test-accuracy'), t.trainAccuracy);
      }
    };
    await compare();
    await page.click('#step');
    twin.trainEpoch();
    await compare();
  } finally {
    twin.delete();
    twinTest.delete();
  }
}

/**
 * Splits the expected rows by the split the page's export shows. An exported value is the file's
 * within the plane's 0.001 grid (6 significant digits), so each row is matched to the nearest.
 */
function bySplit(expected, rows) {
  const train = [];
  const test = [];
  for (const row of rows) {
    const [x, y] = [Number(row[0]), Number(row[1])];
    const match = expected.find((e) => Math.abs(e.raw[0] - x) <= 1e-3 * Math.max(1, Math.abs(x)) && Math.abs(e.raw[1] - y) <= 1e-3 * Math.max(1, Math.abs(y)));
    assert.ok(match, `exported row ${row} is a row of the file`);
    (row[3] === 'train' ? train : test).push(match.point);
  }
  return { train, test };
}

test('an iris CSV with a header, five columns and text labels: three classes, the file’s units, numbers as an independent scaling gives', async () => {
  const { page, errors } = await newPage(run.browser.context, { viewport: { width: 1280, height: 800 } });
  await openLab(page, at());
  await importText(page, IRIS, 'iris.csv');
  assert.match(await page.textContent('#data-found'), /15 rows, 5 columns, separated by commas/);
  assert.equal(await page.isChecked('#data-header'), true, 'a header is found');
  await page.selectOption('#data-x', '2');
  await page.selectOption('#data-y', '3');
  assert.equal(await page.inputValue('#data-label'), '4', 'the last column is the label');
  await screenshot(page, 'owndata-import-dialog-1280');
  await page.click('#data-use');
  assert.match(await page.textContent('#data-summary'), /From iris\.csv.*15 rows/s);
  assert.deepEqual(await page.locator('.legend-item').allTextContents(), ['setosa', 'versicolor', 'virginica']);
  assert.match(await page.textContent('.legend-axes'), /petal_length.*petal_width/);
  const ticks = await page.locator('.plot-axes .tick-label').allTextContents();
  assert.ok(ticks.includes('4') && ticks.includes('2') && !ticks.includes('−6'), `ticks in cm: ${ticks}`);
  assert.match(await page.evaluate(() => location.hash), /dataset=own&.*data=[\w-]+/);

  const rows = parse(IRIS, ',').slice(1);
  const sx = minMax(rows.map((r) => r[2]));
  const sy = minMax(rows.map((r) => r[3]));
  const names = ['setosa', 'versicolor', 'virginica'];
  const expected = rows.map((r) => ({ point: [sx(r[2]), sy(r[3]), names.indexOf(r[4])], raw: [r[2], r[3]] }));
  const exportedRows = (await exported(page)).slice(1);
  assert.equal(exportedRows.length, 15);
  assert.equal(exportedRows.filter((r) => r[3] === 'train').length, 8, 'round(15 × 50 %) training rows');
  // Duplicates (same petal sizes) share their point, so matching by value is enough.
  const { train, test: testRows } = bySplit(expected, exportedRows);
  await checkTwin(page, train, testRows, 3);
  await screenshot(page, 'owndata-iris-1280');
  assert.deepEqual(errors, []);
  await page.close();
});

test('semicolons with decimal commas and no header, tab-separated regression, space-separated text: each read as the file means', async () => {
  const { page, errors } = await newPage(run.browser.context);
  await openLab(page, at());
  await importText(page, SEMICOLON, 'heights.csv');
  assert.match(await page.textContent('#data-found'), /8 rows, 3 columns, separated by semicolons\. Decimal commas\./);
  assert.equal(await page.isChecked('#data-header'), false);
  await page.click('#data-use');
  let rows = parse(SEMICOLON, ';', true);
  let sx = minMax(rows.map((r) => r[0]));
  let sy = minMax(rows.map((r) => r[1]));
  let expected = rows.map((r) => ({ point: [sx(r[0]), sy(r[1]), r[2]], raw: [r[0], r[1]] }));
  let split = bySplit(expected, (await exported(page)).slice(1));
  await checkTwin(page, split.train, split.test, 2);
  assert.deepEqual(await page.locator('.legend-item').allTextContents(), ['0', '1']);

  await importText(page, TSV, 'flats.tsv');
  assert.match(await page.textContent('#data-found'), /7 rows, 3 columns, separated by tabs/);
  await page.click('#data-use');
  assert.equal(await page.inputValue('#setting-problem'), 'regression', 'many distinct numbers: regression');
  assert.match(await page.textContent('.legend-scale-title'), /price/);
  rows = parse(TSV, '\t').slice(1);
  sx = minMax(rows.map((r) => r[0]));
  sy = minMax(rows.map((r) => r[1]));
  const prices = rows.map((r) => r[2]);
  const [lo, hi] = [Math.min(...prices), Math.max(...prices)];
  expected = rows.map((r) => ({ point: [sx(r[0]), sy(r[1]), Math.round((-1 + (2 * (r[2] - lo)) / (hi - lo)) * 10000) / 10000], raw: [r[0], r[1]] }));
  split = bySplit(expected, (await exported(page)).slice(1));
  await checkTwin(page, split.train, split.test, 0);

  await importText(page, '  1.5   2.0  a\n 3.0 4.25   b\n2 1 a\n4 4 b\n', 'points.txt');
  assert.match(await page.textContent('#data-found'), /4 rows, 3 columns, separated by spaces/);
  await page.click('#data-use');
  assert.equal(await page.inputValue('#setting-problem'), 'classification');
  assert.deepEqual(await page.locator('.legend-item').allTextContents(), ['a', 'b']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('malformed files are refused by line and column, in both languages, and nothing on the page changes', async () => {
  const cases = [
    ['x,y,label\n1,2,a\n3,,b\n4,5,a\n', /line 3, column 2 \(“y”\): the value is missing/, /3번째 줄, 열 2 \(“y”\): 값이 비어 있습니다/],
    ['x,y,label\n1,2,a\n3,4,b\n5,five,a\n', /line 4, column 2 \(“y”\): “five” is not a number/, /4번째 줄, 열 2 \(“y”\): “five”은\(는\) 숫자가 아닙니다/],
    ['12\n15\n17\n', /line 1 has a single column/, /1번째 줄에 열이 하나뿐입니다/],
    ['x,y,c\n1,1,a\n2,2,b\n3,3,c\n4,4,d\n5,5,e\n6,6,f\n7,7,a\n', /line 7, column 3 \(“c”\): “f” would be a class beyond the 5/, /7번째 줄, 열 3 \(“c”\): “f”/],
    ['\n  \n', /there is nothing in it/, /내용이 없습니다/],
  ];
  for (const lang of ['en', 'ko']) {
    const { page, errors } = await newPage(run.browser.context);
    await openLab(page, at(`#lang=${lang}&dataset=xor`));
    await page.click('#step');
    const hash = await page.evaluate(() => location.hash);
    const loss = await valueOf(page, '#train-loss');
    for (const [text, en, ko] of cases) {
      await importText(page, text, 'bad.csv');
      if (await page.locator('#data-use').count()) await page.click('#data-use');
      const message = await page.textContent('#data-import-error');
      assert.match(message, lang === 'en' ? en : ko, message);
      assert.match(message, /bad\.csv/);
      await page.keyboard.press('Escape');
      assert.equal(await page.evaluate(() => location.hash), hash, 'the settings are as they were');
      assert.equal(await valueOf(page, '#train-loss'), loss, 'the network is as it was');
      assert.equal(await epochOf(page), 1);
      assert.equal(await page.isHidden('#data-summary'), true);
    }
    if (lang === 'ko') await screenshot(page, 'owndata-refused-ko');
    assert.deepEqual(errors, []);
    await page.close();
  }
});

// ---- drawing --------------------------------------------------------------------------------

/** The page position of a plane point on the output plot. */
async function planePoint(page, x, y) {
  await page.locator('.plot-map').scrollIntoViewIfNeeded();
  const box = await page.locator('.plot-map').boundingBox();
  return { x: box.x + ((x + 6) / 12) * box.width, y: box.y + ((6 - y) / 12) * box.height };
}

const pointsOf = async (page) => (await exported(page)).slice(1).map((r) => ({ x: Number(r[0]), y: Number(r[1]), label: r[2], split: r[3] }));
const near = (a, b, tol) => Math.abs(a - b) <= tol;

test('drawing with a mouse: click adds in the chosen class, drag moves, right-click and the eraser delete, Clear empties; training runs on', async () => {
  const { page, errors } = await newPage(run.browser.context, { viewport: { width: 1280, height: 800 } });
  await openLab(page, at('#lang=en&dataset=circle'));
  await page.click('#data-draw');
  assert.match(await page.textContent('#data-summary'), /Your drawn points.*500 rows/s, 'drawing starts from the points on screen');
  await page.click('#draw-clear');
  assert.match(await page.textContent('#data-summary'), /0 rows/);
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('notices').textContent.includes('No training points yet'));
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'false', 'play stops at once');
  await page.selectOption('#draw-split', 'train');
  for (const [x, y] of [[-3, 2], [-2, 3]]) await page.mouse.click(...Object.values(await planePoint(page, x, y)));
  await page.click('.draw-class[data-cls="1"]');
  await page.selectOption('#draw-split', 'test');
  await page.mouse.click(...Object.values(await planePoint(page, 3, -3)));
  let points = await pointsOf(page);
  assert.equal(points.length, 3);
  const tol = 0.05;
  assert.ok(points.some((p) => near(p.x, -3, tol) && near(p.y, 2, tol) && p.label === '0' && p.split === 'train'), JSON.stringify(points));
  assert.ok(points.some((p) => near(p.x, 3, tol) && near(p.y, -3, tol) && p.label === '1' && p.split === 'test'));
  await page.selectOption('#draw-split', 'train');
  await page.mouse.click(...Object.values(await planePoint(page, 2, -2)));
  // Training runs while drawing.
  await page.click('#play');
  await page.waitForFunction(() => Number(document.getElementById('epoch').textContent.replace(/\D/g, '')) >= 3);
  await page.mouse.click(...Object.values(await planePoint(page, 4, -1)));
  await page.waitForFunction(() => Number(document.getElementById('epoch').textContent.replace(/\D/g, '')) >= 6);
  await page.click('#play');
  assert.equal((await pointsOf(page)).length, 5);
  // Drag the point at (−3, 2) to (−4, −4).
  const from = await planePoint(page, -3, 2);
  const to = await planePoint(page, -4, -4);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 6 });
  await page.mouse.up();
  points = await pointsOf(page);
  assert.ok(points.some((p) => near(p.x, -4, tol) && near(p.y, -4, tol)) && !points.some((p) => near(p.x, -3, tol) && near(p.y, 2, tol)), 'moved');
  await page.mouse.click(to.x, to.y, { button: 'right' });
  assert.equal((await pointsOf(page)).length, 4, 'right-click deletes');
  await page.click('.draw-tool[data-tool="erase"]');
  await page.mouse.click(...Object.values(await planePoint(page, 3, -3)));
  points = await pointsOf(page);
  assert.equal(points.length, 3, 'the eraser deletes');
  assert.ok(!points.some((p) => p.split === 'test'));
  await screenshot(page, 'owndata-draw-1280');
  assert.deepEqual(errors, []);
  await page.close();
});

test('drawing by touch on a phone (tap adds, long press deletes) and by keyboard (arrows, Enter, Delete)', async () => {
  const context = await run.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: 'ko-KR' });
  const { page, errors } = await newPage(context);
  await openLab(page, at('#lang=ko&dataset=xor'));
  await page.click('#data-draw');
  await page.click('#draw-clear');
  await page.locator('.plot-map').scrollIntoViewIfNeeded();
  const p = await planePoint(page, 1, 1);
  await page.touchscreen.tap(p.x, p.y);
  let points = await pointsOf(page);
  assert.equal(points.length, 1);
  assert.ok(near(points[0].x, 1, 0.1) && near(points[0].y, 1, 0.1), JSON.stringify(points));
  // A long press on it deletes it (the summary above the plot grew: find the point again).
  const q = await planePoint(page, 1, 1);
  const fire = (type) => page.locator('.plot-frame').dispatchEvent(type, {
    pointerId: 7, pointerType: 'touch', isPrimary: true, clientX: q.x, clientY: q.y, button: 0, bubbles: true,
  });
  await fire('pointerdown');
  await page.waitForTimeout(800);
  await fire('pointerup');
  assert.equal((await pointsOf(page)).length, 0, 'the long press deleted the point');
  await screenshot(page, 'owndata-draw-phone-ko');

  // Keyboard: the focused plot's crosshair starts where the pointer last pressed, (1, 1).
  await page.focus('.plot-frame');
  for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowUp', 'ArrowUp', 'Enter']) await page.keyboard.press(key);
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('Enter');
  points = await pointsOf(page);
  assert.deepEqual(points.map((r) => [r.x, r.y]).sort(), [[0, 1.5], [2, 1.5]]);
  assert.equal(await epochOf(page), 0, 'Enter and the arrows stayed in the plot: nothing was trained or stepped');
  await page.focus('.plot-frame');
  await page.keyboard.press('Delete');
  assert.deepEqual((await pointsOf(page)).map((r) => [r.x, r.y]), [[2, 1.5]], 'Delete erased the point at the crosshair');
  assert.deepEqual(errors, []);
  await context.close();
});

test('frame by frame on drawn data: steps run, and a clicked drawn point becomes the probe the inspector follows', async () => {
  const { page, errors } = await newPage(run.browser.context, { viewport: { width: 1280, height: 900 } });
  await openLab(page, at('#lang=en&dataset=xor&batchSize=2'));
  await page.click('#data-draw');
  await page.click('#draw-clear');
  await page.selectOption('#draw-split', 'train');
  for (const [x, y, cls] of [[-4, 4, 0], [4, 4, 1], [4, -4, 0], [-4, -4, 1]]) {
    await page.click(`.draw-class[data-cls="${cls}"]`);
    await page.mouse.click(...Object.values(await planePoint(page, x, y)));
  }
  await page.click('#draw-done');
  const link = await page.evaluate(() => location.hash);
  // Only the hash changes: the page is ready already, and lays out frame mode when it reads it.
  await page.goto(at(`${link}&mode=frames`));
  await page.waitForSelector('body.is-ready.is-frame-mode');
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const target = await planePoint(page, 4, -4);
  await page.mouse.click(target.x, target.y);
  await page.waitForFunction(() => /probe=\d+/.test(location.hash));
  const probe = Number(page.url().match(/probe=(\d+)/)?.[1]);
  assert.equal(probe, 2, 'the third drawn training point');
  assert.match(await page.textContent('#inspector'), /Training sample #2\b/);
  for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
  assert.ok(await page.locator('.net-num').count() > 0, 'numbers on the network');
  assert.deepEqual(errors, []);
  await page.close();
});

// ---- formulas --------------------------------------------------------------------------------

test('a formula dataset: class 1 exactly where y > f(x), in the formula’s units; a bad formula is refused at its character', async () => {
  const { page, errors } = await newPage(run.browser.context);
  await openLab(page, at());
  await page.click('#data-formula');
  await page.fill('#data-fx', 'sin(x');
  await page.click('#data-make');
  assert.match(await page.textContent('#data-formula-error'), /Nothing was changed: character 6: “\)” is missing here/);
  await page.fill('#data-fx', 'x^3 - 2*cos(x) + foo');
  await page.click('#data-make');
  assert.match(await page.textContent('#data-formula-error'), /character 18: “foo” is unknown/);
  assert.equal(await page.isHidden('#data-summary'), true, 'nothing changed');
  await page.fill('#data-fx', 'x^3 - x');
  await page.fill('#data-from', '-2');
  await page.fill('#data-to', '2');
  await page.fill('#data-samples', '300');
  await page.fill('#data-noise', '0');
  await page.click('#data-make');
  assert.match(await page.textContent('#data-summary'), /Class 1 where y > x\^3 - x.*300 rows/s);
  const points = await pointsOf(page);
  assert.equal(points.length, 300);
  let agree = 0;
  for (const q of points) {
    assert.ok(q.x >= -2 && q.x <= 2, 'x in the range asked for');
    const above = q.y > q.x ** 3 - q.x;
    if ((q.label === 'y > x^3 - x') === above) agree += 1;
  }
  // Exported values are rounded to the plane's 0.001 grid: only points within a hair of the curve may differ.
  assert.ok(agree >= 297, `${agree} of 300 on the right side of the curve`);
  assert.ok(points.some((q) => q.label === 'y ≤ x^3 - x') && points.some((q) => q.label === 'y > x^3 - x'));
  const link = await page.evaluate(() => location.hash);
  assert.ok(link.length < 700, 'a formula travels as its recipe, not as 300 points');
  const again = await run.browser.context.newPage();
  await openLab(again, at(link));
  assert.deepEqual(await pointsOf(again), points, 'the link makes the same points');
  await again.close();
  assert.deepEqual(errors, []);
  await page.close();
});

test('the batch line fits beside the epoch counter at any count: 18 000 batches an epoch of a large file, and the built-in data, page and embed', async () => {
  // Whether the text stays inside its box, one line high and no wider.
  const fits = (page) => page.$eval('#batch', (el) => ({
    text: el.textContent,
    fits: el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight && el.getClientRects().length === 1,
  }));
  const rows = Array.from({ length: 20000 }, (_, i) => `${(i % 97) / 10},${(i % 89) / 10},${i % 2}`).join('\n');
  // Embed mode has no data import: the built-in data only.
  for (const [hash, viewport, withLargeFile] of [
    ['#lang=en&batchSize=1&speed=1b&percTrainData=90', { width: 1280, height: 800 }, true],
    ['#lang=ko&batchSize=1&speed=1b&percTrainData=90', { width: 390, height: 844 }, true],
    ['#lang=en&batchSize=1&speed=1b&embed=true', { width: 640, height: 480 }, false],
  ]) {
    const { page, errors } = await newPage(run.browser.context, { viewport });
    await openLab(page, at(hash));
    await page.click('#step');
    const builtIn = await fits(page);
    assert.match(builtIn.text, /1 \/ (250|450)/);
    assert.ok(builtIn.fits, `${hash}: "${builtIn.text}" fits its box`);
    if (withLargeFile) {
      await importText(page, `x,y,label\n${rows}\n`, 'large.csv');
      await page.click('#data-use');
      // Five batches a frame up to a four-digit count: the line's longest text.
      await page.selectOption('#setting-speed', '5b');
      await page.click('#play');
      await page.waitForFunction(() => Number(/(\d[\d,]*) \//.exec(document.getElementById('batch').textContent)?.[1].replace(/,/g, '')) >= 1000, null, { timeout: 60000 });
      await page.click('#play');
      await page.waitForFunction(() => document.getElementById('play').getAttribute('aria-pressed') === 'false');
      const large = await fits(page);
      assert.match(large.text, /\d{4} \/ 18,?000/);
      assert.ok(large.fits, `${hash}: "${large.text}" fits its box`);
    }
    assert.deepEqual(errors, []);
    await page.close();
  }
});

// ---- the data travels -------------------------------------------------------------------------

test('own data travels: a link up to 500 points, a save file of any size, both opening to the same data and numbers', async () => {
  const { page, errors } = await newPage(run.browser.context);
  await openLab(page, at('#lang=en&dataset=spiral&classes=3&seed=4'));
  await page.click('#data-draw');
  await page.mouse.click(...Object.values(await planePoint(page, 0.5, 5.5)));
  for (let i = 0; i < 3; i++) await page.click('#step');
  const points = await pointsOf(page);
  assert.equal(points.length, 501);
  // 501 points: the link leaves them out, and says so.
  await page.click('#share');
  assert.match(await page.textContent('#share-data-note'), /501 points; a link holds at most 500/);
  assert.doesNotMatch(await page.inputValue('#share-link'), /data=/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-network')]);
  const saved = await readFile(await download.path(), 'utf8');
  await page.keyboard.press('Escape');
  const loss = await valueOf(page, '#train-loss');
  const testLoss = await valueOf(page, '#test-loss');

  const opened = await run.browser.context.newPage();
  await openLab(opened, at('#lang=en'));
  await opened.click('#share');
  await opened.setInputFiles('#open-network', { name: 'net.json', mimeType: 'application/json', buffer: Buffer.from(saved) });
  await opened.waitForFunction(() => !document.querySelector('.share-dialog').open);
  assert.equal(await epochOf(opened), 3);
  assert.equal(await valueOf(opened, '#train-loss'), loss, 'the same data and weights: the same loss');
  assert.equal(await valueOf(opened, '#test-loss'), testLoss);
  assert.deepEqual(await pointsOf(opened), points);
  // Erase one: 500 points go into the link, which opens to the same data.
  await opened.click('#data-draw');
  await opened.click('.draw-tool[data-tool="erase"]');
  await opened.mouse.click(...Object.values(await planePoint(opened, 0.5, 5.5)));
  const fewer = await pointsOf(opened);
  assert.equal(fewer.length, 500);
  const link = await opened.evaluate(() => location.href);
  assert.match(link, /dataset=own.*data=/);
  const third = await run.browser.context.newPage();
  await openLab(third, link);
  assert.deepEqual(await pointsOf(third), fewer);
  // A damaged link is refused with a notice and the default dataset.
  await third.goto(at('#lang=en&dataset=own&data=AAAA'));
  await third.waitForSelector('body.is-ready');
  assert.match(await third.textContent('#notices'), /own data could not be used/);
  assert.match(await third.evaluate(() => location.hash), /dataset=circle/);
  await third.close();
  await opened.close();
  assert.deepEqual(errors, []);
  await page.close();
});

test('the own data tools in Korean and English, laptop and phone', async () => {
  for (const [lang, viewport] of [['en', { width: 390, height: 844 }], ['ko', { width: 1280, height: 800 }]]) {
    const { page, errors } = await newPage(run.browser.context, { viewport });
    await openLab(page, at(`#lang=${lang}`));
    await importText(page, IRIS, 'iris.csv');
    await screenshot(page, `owndata-dialog-${lang}-${viewport.width}`, { fullPage: false });
    await page.click('#data-use');
    await page.click('#data-draw');
    const bar = await page.locator('#draw-bar').boundingBox();
    assert.ok(bar.x >= 0 && bar.x + bar.width <= viewport.width, 'the draw bar fits the width');
    await screenshot(page, `owndata-${lang}-${viewport.width}`);
    assert.deepEqual(errors, []);
    await page.close();
  }
});
