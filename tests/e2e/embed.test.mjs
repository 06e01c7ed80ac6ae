// Embedding in course material: a 600 × 400 iframe on a lesson page, with
// embed mode and hidden controls, shows only what the URL asks for and fits.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newPage, openBrowser, screenshot, trainUntil } from './browser.mjs';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.close(); });

const hidden = ['datasetColumn', 'problem', 'classes', 'loss', 'regularization', 'optimizer', 'schedule', 'init', 'seed', 'speed', 'lossChart', 'features', 'step'];

test('an embed URL with hidden controls shows only what it asks for, inside a 600 × 400 iframe', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 800, height: 560 } });
  const src = `${browser.url}#embed=true&dataset=xor&${hidden.map((name) => `${name}_hide=true`).join('&')}`;
  await page.setContent(`<!doctype html><html><body style="margin:20px;background:#eef0f2">
    <p>Lesson 3: why XOR needs a hidden layer.</p>
    <iframe id="lab" src="${src}" width="600" height="400" style="border:1px solid #999" title="lab"></iframe></body></html>`);
  const frame = await (await page.$('#lab')).contentFrame();
  await frame.waitForSelector('body.is-ready');

  const visible = (selector) => frame.isVisible(selector);
  for (const selector of ['#play', '#reset', '#epoch', '#setting-learningRate', '#setting-activation', '#network', '.plot-map', '#test-loss']) {
    assert.equal(await visible(selector), true, `${selector} is shown`);
  }
  for (const selector of ['.masthead', '.footer', '#share', '#step', '.column-data', '#setting-optimizer', '#setting-loss',
    '#setting-problem', '#setting-seed', '#loss-chart', '.toolbar-secondary', '.net-input.is-off']) {
    assert.equal(await visible(selector), false, `${selector} is hidden`);
  }
  assert.equal(await frame.locator('.net-input').count(), 2, 'only the inputs in use');
  const size = await frame.evaluate(() => ({
    width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight,
  }));
  assert.ok(size.width <= 600, `no sideways scrolling (${size.width} px)`);
  assert.ok(size.height <= 400, `fits the frame's height (${size.height} px)`);

  await trainUntil(frame, 20);  // a frame answers the same calls as a page
  await screenshot(page, 'embed-600x400');
  assert.deepEqual(errors, []);
  await page.close();
});

test('embed mode also fits a wide, short frame and a narrow, tall one', async () => {
  for (const [width, height] of [[900, 360], [360, 640]]) {
    const { page, errors } = await newPage(browser.context, { viewport: { width: width + 40, height: height + 40 } });
    await page.setContent(`<iframe id="lab" src="${browser.url}#embed=true&features_hide=true" width="${width}" height="${height}" style="border:0"></iframe>`);
    const frame = await (await page.$('#lab')).contentFrame();
    await frame.waitForSelector('body.is-ready');
    const scrollWidth = await frame.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= width, `${width} × ${height}: no sideways scrolling (${scrollWidth} px)`);
    assert.equal(await frame.isVisible('.plot-map'), true);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('in a frame too short for every setting, the settings fold behind one button and the network and plot show first', async () => {
  for (const lang of ['en', 'ko']) {
    const { page, errors } = await newPage(browser.context, { viewport: { width: 640, height: 440 } });
    await page.setContent(`<iframe id="lab" src="${browser.url}#embed=true&lang=${lang}&dataset=xor" width="600" height="400" style="border:0"></iframe>`);
    const frame = await (await page.$('#lab')).contentFrame();
    await frame.waitForSelector('body.is-ready');
    const toggle = frame.locator('#settings-toggle');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal((await toggle.textContent()).trim(), lang === 'en' ? 'Settings' : '설정');
    for (const selector of ['#setting-activation', '#setting-learningRate', '.column-data']) {
      assert.equal(await frame.isVisible(selector), false, `${selector} is folded away`);
    }
    // The diagram's output neuron and the whole plot are inside the frame, unscrolled.
    for (const selector of ['#play', '.net-output', '.plot-map']) {
      const box = await frame.locator(selector).first().boundingBox();
      assert.ok(box && box.y >= 0 && box.y + box.height <= 400 && box.x + box.width <= 600, `${selector} is in view (${JSON.stringify(box)})`);
    }
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    for (const selector of ['#setting-activation', '#setting-learningRate']) assert.equal(await frame.isVisible(selector), true);
    await frame.selectOption('#setting-activation', 'relu');
    assert.match(await frame.evaluate(() => location.hash), /activation=relu/);
    await toggle.click();
    assert.equal(await frame.isVisible('#setting-activation'), false);
    if (lang === 'ko') await screenshot(page, 'embed-600x400-folded-ko');
    assert.deepEqual(errors, []);
    await page.close();
  }
});
