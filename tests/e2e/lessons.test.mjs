// Lessons: each lesson link opens its preset (the panel or the playground's
// settings) with its text in both languages, links to the previous and next
// lesson, and works on its own inside an iframe.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { newPage, openBrowser, openLab, screenshot } from './browser.mjs';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src');
const { LESSONS } = await import(path.join(web, 'lessons/catalog.js'));
const S = await import(path.join(web, 'state.js'));
const { LANGUAGES } = await import(path.join(web, 'i18n/index.js'));

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.close(); });

const at = (hash = '') => `${browser.url}${hash}`;

/** What the page's URL must say for each of the lesson's settings. */
function expectedPairs(lesson) {
  const { state } = S.parseUrl('', `#lesson=${lesson.id}`);
  return Object.entries(S.lessonPreset(lesson.id))
    .filter(([name]) => S.isRelevant(S.SETTING[name], state))
    .map(([name, value]) => `${name}=${S.formatValue(S.SETTING[name], value)}&`);
}

test('the lessons follow the outline and every one has its text in both languages', () => {
  assert.deepEqual(LESSONS.map((l) => l.id),
    ['perceptron', 'xor', 'chain', 'regression', 'backprop', 'activations', 'practice', 'vanishing', 'losses', 'optimizers', 'schedules']);
  for (const lang of ['en', 'ko']) {
    for (const lesson of LESSONS) {
      for (const part of ['title', 'summary', 'body', 'try']) {
        const text = LANGUAGES[lang][`lesson.${lesson.id}.${part}`];
        assert.ok(text && text.length > (part === 'title' ? 3 : 20), `${lang} lesson.${lesson.id}.${part}`);
        if (lang === 'ko' && part !== 'title') assert.match(text, /[가-힣]/);
      }
    }
  }
});

test('a lesson preset is applied from the URL whole, frame mode included, and keys given beside it win', () => {
  const { state, ignored } = S.parseUrl('', '#lesson=xor&networkShape=2,2');
  assert.deepEqual(ignored, []);
  assert.equal(state.dataset, 'xor');
  assert.deepEqual(state.networkShape, [2, 2], 'the URL wins over the preset');
  for (const lesson of LESSONS) assert.deepEqual(S.lessonPreset(lesson.id), lesson.preset, `${lesson.id}: every key is a setting with a value it takes`);
  for (const id of ['backprop', 'regression']) assert.equal(S.parseUrl('', `#lesson=${id}`).state.mode, 'frames', `${id} opens frame by frame`);
  const panel = S.parseUrl('', '#lesson=optimizers').state;
  assert.deepEqual([panel.panel, panel.surface], ['optimizers', 'valley']);
});

test('each lesson link opens its state in English and in Korean, with previous and next links', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  for (const lang of ['en', 'ko']) {
    const strings = LANGUAGES[lang];
    for (const [i, lesson] of LESSONS.entries()) {
      await openLab(page, at(`#lesson=${lesson.id}&lang=${lang}`));
      assert.equal(await page.textContent('.lesson-title'), strings[`lesson.${lesson.id}.title`]);
      assert.equal(await page.textContent('.lesson-count'), strings['lesson.count'].replace('{n}', i + 1).replace('{total}', LESSONS.length));
      const hash = `${decodeURIComponent(new URL(page.url()).hash)}&`;
      for (const pair of expectedPairs(lesson)) assert.ok(hash.includes(pair), `${lesson.id}: ${pair} in ${hash}`);
      const panel = lesson.preset.panel ?? 'playground';
      if (panel === 'playground') {
        assert.equal(await page.isVisible('#play'), true, `${lesson.id}: the playground`);
        assert.equal(await page.isVisible('.panels'), false);
      } else {
        assert.equal(await page.isVisible(`.panel-${panel}:not([hidden])`), true, `${lesson.id}: the ${panel} panel`);
      }
      assert.equal(await page.locator('.lesson-prev').count(), i > 0 ? 1 : 0);
      assert.equal(await page.locator('.lesson-next').count(), i < LESSONS.length - 1 ? 1 : 0);
      if (i === 1) await screenshot(page, `lesson-xor-${lang}`);
    }
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('next and previous walk the sequence and start each lesson fresh; the list links every lesson', async () => {
  const { page, errors } = await newPage(browser.context);
  await openLab(page, at('#lesson=perceptron&lang=ko'));
  await page.selectOption('#setting-activation', 'relu');
  for (const lesson of LESSONS.slice(1)) {
    await page.click('.lesson-next');
    await page.waitForSelector(`.lesson-card[data-lesson="${lesson.id}"]`);
    assert.match(page.url(), /lang=ko/, 'the language stays');
  }
  assert.doesNotMatch(page.url(), /activation=relu/, 'a lesson starts from its own preset');
  await page.click('.lesson-prev');
  await page.waitForSelector('.lesson-card[data-lesson="optimizers"]');
  await page.click('.lesson-all');
  await page.waitForSelector('.panel-lessons:not([hidden])');
  assert.equal(await page.locator('.lesson-item-title').count(), LESSONS.length);
  await screenshot(page, 'lessons-list-ko');
  await page.click('.lesson-item[data-lesson="xor"] .lesson-item-title');
  await page.waitForSelector('.lesson-card[data-lesson="xor"]');
  await page.click('.lesson-close');
  assert.equal(await page.isVisible('.lesson-card'), false);
  assert.doesNotMatch(page.url(), /lesson=/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('each lesson works on its own inside an iframe, in embed mode, and its next link stays in the frame', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 980, height: 760 } });
  for (const lesson of LESSONS) {
    await page.setContent(`<!doctype html><body style="margin:10px"><iframe id="lab" src="${at(`#lesson=${lesson.id}&embed=true&lang=ko`)}" width="900" height="700" style="border:1px solid #999"></iframe></body>`);
    const frame = await (await page.$('#lab')).contentFrame();
    await frame.waitForSelector('body.is-ready');
    assert.equal(await frame.isVisible(`.lesson-card[data-lesson="${lesson.id}"]`), true, lesson.id);
    assert.equal(await frame.isVisible('.masthead'), false);
    assert.equal(await frame.isVisible('.panel-nav'), false);
    const width = await frame.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 900, `${lesson.id}: no sideways scrolling (${width} px)`);
    if (lesson.id === 'losses') await screenshot(page, 'lesson-losses-iframe-ko');
  }
  const frame = await (await page.$('#lab')).contentFrame();
  await frame.click('.lesson-prev');
  await frame.waitForSelector('.lesson-card[data-lesson="optimizers"]');
  assert.match(frame.url(), /embed=true/);
  assert.equal(page.url(), 'about:blank', 'the host page stays');
  assert.deepEqual(errors, []);
  await page.close();
});

test('in a short frame the lesson card starts folded, so the lesson’s playground still shows, and unfolds on request', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 660, height: 460 } });
  await page.setContent(`<iframe id="lab" src="${at('#lesson=xor&embed=true')}" width="600" height="400" style="border:0"></iframe>`);
  const frame = await (await page.$('#lab')).contentFrame();
  await frame.waitForSelector('body.is-ready');
  assert.equal(await frame.isVisible('.lesson-title'), true);
  assert.equal(await frame.isVisible('.lesson-body'), false, 'folded');
  assert.equal(await frame.isVisible('.lesson-next'), true);
  const play = await frame.locator('#play').boundingBox();
  assert.ok(play && play.y + play.height <= 400, 'the play button is inside the frame');
  await frame.click('.lesson-toggle');
  assert.equal(await frame.isVisible('.lesson-body'), true, 'unfolded');
  assert.equal(await frame.getAttribute('.lesson-toggle', 'aria-expanded'), 'true');
  await screenshot(page, 'lesson-xor-iframe-600x400');
  assert.deepEqual(errors, []);
  await page.close();
});
