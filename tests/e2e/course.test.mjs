// What a learner of the course meets on the playground and around it: the
// classes counted from 1, titled charts, a notice when one choice moves
// others, a skip link to Play, the same footer in both languages, embeds
// that keep the page's language, and the folded lesson card's links.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newPage, openBrowser, openLab, screenshot } from './browser.mjs';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.close(); });

const at = (hash = '') => `${browser.url}${hash}`;

test('classes are counted from 1 in the legend, with the binary label beside them', async () => {
  const { page, errors } = await newPage(browser.context);
  await openLab(page, at('#lang=en'));
  assert.deepEqual(await page.$$eval('.legend-item', (els) => els.map((el) => el.textContent)), ['Class 1 (y = 0)', 'Class 2 (y = 1)']);
  assert.match(await page.textContent('.legend-scale-title'), /y = 1 \(class 2\)/);
  await openLab(page, at('#classes=3&lang=ko'));
  assert.deepEqual(await page.$$eval('.legend-item', (els) => els.map((el) => el.textContent)), ['클래스 1', '클래스 2', '클래스 3']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the loss and accuracy charts have titles, in both languages', async () => {
  const { page, errors } = await newPage(browser.context);
  await openLab(page, at('#lang=en'));
  assert.deepEqual(await page.$$eval('.chart-title', (els) => els.map((el) => el.textContent)), ['Loss per epoch', 'Accuracy per epoch']);
  await openLab(page, at('#lang=ko'));
  assert.deepEqual(await page.$$eval('.chart-title', (els) => els.map((el) => el.textContent)), ['에포크별 손실', '에포크별 정확도']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('choosing 3 classes on the circle says which settings followed, in both languages, and a later change clears it', async () => {
  const { page, errors } = await newPage(browser.context);
  for (const [lang, dataset, loss] of [['en', /Dataset: Circle → Spiral/, /Loss: Binary cross-entropy → Softmax cross-entropy/], ['ko', /데이터셋: 원 → 나선/, /손실 함수: 이진 교차 엔트로피 → 소프트맥스 교차 엔트로피/]]) {
    await openLab(page, at(`#dataset=circle&lang=${lang}`));
    await page.selectOption('#setting-classes', '3');
    const notice = page.locator('.notice[data-notice="switched"]');
    await notice.waitFor();
    const text = await notice.textContent();
    assert.match(text, dataset);
    assert.match(text, loss);
    assert.match(page.url(), /dataset=spiral/);
    if (lang === 'ko') await screenshot(page, 'notice-switched-ko', { fullPage: false });
    await page.selectOption('#setting-learningRate', '0.1');
    assert.equal(await notice.count(), 1, 'a setting that moves nothing else leaves it');
    await page.selectOption('#setting-activation', 'relu');
    assert.equal(await notice.count(), 0, 'a new network clears it');
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('the skip link is the first stop of the keyboard and goes to Play without touching the address', async () => {
  for (const [hash, target] of [['#dataset=xor&lang=ko', '#play'], ['#panel=vanishing&lang=ko', '.panel-vanishing .panel-play']]) {
    const { page, errors } = await newPage(browser.context);
    await openLab(page, at(hash));
    const url = page.url();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'skip-play');
    assert.equal(await page.textContent('#skip-play'), '재생 버튼으로 건너뛰기');
    const box = await page.locator('#skip-play').boundingBox();
    assert.ok(box && box.y >= 0, 'visible when focused');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate((sel) => document.activeElement === document.querySelector(sel), target), true, `${hash}: ${target} has the focus`);
    assert.equal(page.url(), url, 'the hash holds the settings and stays');
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('the two footers say the same thing', async () => {
  const { page, errors } = await newPage(browser.context);
  await openLab(page, at('#lang=en'));
  const en = await page.textContent('[data-i18n="footer.about"]');
  await openLab(page, at('#lang=ko'));
  const ko = await page.textContent('[data-i18n="footer.about"]');
  for (const [text, words] of [[en, ['TensorFlow Playground', 'losses', 'optimizers', 'frame by frame']], [ko, ['TensorFlow Playground', '손실 함수', '옵티마이저', '한 단계씩']]]) {
    for (const word of words) assert.ok(text.includes(word), `${word} in “${text}”`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('embeds keep the page’s language: the Share dialog’s iframe and the lesson list’s', async () => {
  const context = await browser.newContext({ locale: 'ko-KR' });
  const { page, errors } = await newPage(context);
  await openLab(page, at('#dataset=xor'));
  assert.doesNotMatch(page.url(), /lang=/, 'the language came from the browser');
  await page.click('#share');
  assert.match(await page.inputValue('#share-snippet'), /lang=ko/);
  await page.keyboard.press('Escape');
  await openLab(page, at('#panel=lessons'));
  const codes = await page.$$eval('.lesson-embed code', (els) => els.map((el) => el.textContent));
  assert.ok(codes.length > 0 && codes.every((c) => /&amp;lang=ko|&lang=ko/.test(c)), codes[0]);
  await context.close();
  assert.deepEqual(errors, []);
});

test('a folded lesson card keeps “All lessons” beside the previous and next links', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 420, height: 500 } });
  for (const lang of ['en', 'ko']) {
    await page.setContent(`<iframe id="lab" src="${at(`#lesson=chain&embed=true&lang=${lang}`)}" width="390" height="420" style="border:0"></iframe>`);
    const frame = await (await page.$('#lab')).contentFrame();
    await frame.waitForSelector('body.is-ready');
    assert.equal(await frame.isVisible('.lesson-body'), false, 'folded');
    for (const sel of ['.lesson-prev', '.lesson-all', '.lesson-next']) assert.equal(await frame.isVisible(sel), true, `${lang}: ${sel}`);
    const all = await frame.$eval('.lesson-all', (el) => ({ fits: el.scrollWidth <= el.clientWidth + 1, text: el.textContent }));
    assert.ok(all.fits, `${lang}: “${all.text}” in full`);
    const width = await frame.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no sideways scrolling (${width})`);
    await screenshot(page, `lesson-folded-${lang}-390`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});
