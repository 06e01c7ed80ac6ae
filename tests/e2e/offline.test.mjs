// dist/backprop-lab.html, one self-contained file, from file:// with every network request refused.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { serve } from '../../scripts/serve.mjs';
import { distDir } from '../helpers/paths.mjs';
import { blockNetwork, epochOf, newPage, openBrowser, openLab, screenshot, trainUntil, valueOf } from './browser.mjs';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.close(); });

test('dist/backprop-lab.html loads from file:// with the network blocked, and trains', async () => {
  const { page, errors } = await newPage(browser.context);
  const requests = await blockNetwork(page);
  const file = pathToFileURL(path.join(distDir, 'backprop-lab.html')).href;
  await openLab(page, `${file}#dataset=xor&lang=ko`);
  assert.match(await page.textContent('#version'), /^\d+\.\d+\.\d+$/);
  assert.equal(await page.getAttribute('#play', 'aria-label'), '재생');
  const before = await valueOf(page, '#train-loss');
  await trainUntil(page, 20);
  assert.ok(await epochOf(page) >= 20);
  assert.ok(await valueOf(page, '#train-loss') < before);
  await page.selectOption('#setting-optimizer', 'rmsprop');
  assert.match(page.url(), /^file:.*#.*optimizer=rmsprop/, 'the state is kept in the address, from file:// too');
  assert.deepEqual(requests, []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the single file makes its lazy parts when first used: the own-data parsers and the formula typesetter, with the network blocked', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  const requests = await blockNetwork(page);
  const file = pathToFileURL(path.join(distDir, 'backprop-lab.html')).href;
  await openLab(page, `${file}#dataset=xor`);
  // At the start, only what the start imports is a module: the import map names no lazy part.
  const map = await page.$eval('script[type="importmap"]', (el) => Object.keys(JSON.parse(el.textContent).imports));
  const lazy = await page.$$eval('script[data-chunk][data-lazy]', (els) => els.map((el) => el.dataset.chunk));
  assert.ok(lazy.some((spec) => /temml/.test(spec)) && lazy.some((spec) => /data-dialog/.test(spec)), lazy.join(', '));
  assert.deepEqual(map.filter((spec) => lazy.includes(spec)), []);
  // The lazy parts' text follows the page's script, which is async: the page does not wait for the parser to read it.
  assert.deepEqual(await page.$eval('script[type="module"]', (app) => ({
    async: app.async,
    lazyAfter: [...document.querySelectorAll('script[data-lazy]')].every((el) => app.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING),
    startBefore: [...document.querySelectorAll('script[data-chunk]:not([data-lazy])')].every((el) => app.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING),
  })), { async: true, lazyAfter: true, startBefore: true });
  // The own-data dialog (with the CSV parser it imports) reads a table.
  await page.click('#data-import');
  await page.setInputFiles('#data-file', { name: 'd.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y,c\n1,2,a\n3,4,b\n5,6,a\n7,8,b\n') });
  await page.waitForSelector('#data-use');
  await page.click('#data-use');
  await page.waitForFunction(() => /dataset=own/.test(location.hash));
  // Frame mode typesets its formulas.
  await page.getByRole('button', { name: 'Frame by frame' }).click();
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('#inspector math', { timeout: 15000 });
  assert.deepEqual(requests, []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the single file is ASCII only (quicker to decode), its Korean written as escapes and references', async () => {
  const text = await readFile(path.join(distDir, 'backprop-lab.html'), 'latin1');
  assert.equal(/[^\x00-\x7f]/.test(text), false);
  assert.match(text, /\\uc7ac\\uc0dd/i, 'the Play button\'s Korean label (재생), escaped in the script');
  assert.match(text, /&#xc5d4;&#xc9c4;/, 'the loader\'s Korean (엔진), as character references');
});

// Browsers without Uint8Array.fromBase64 decode the carried engine with atob.
const withoutFromBase64 = () => { delete Uint8Array.fromBase64; };

test('the single file starts where the browser has no Uint8Array.fromBase64', async () => {
  const { page, errors } = await newPage(browser.context);
  const requests = await blockNetwork(page);
  await page.addInitScript(withoutFromBase64);
  await openLab(page, `${pathToFileURL(path.join(distDir, 'backprop-lab.html')).href}#lang=en`);
  assert.equal(await page.evaluate(() => typeof Uint8Array.fromBase64), 'undefined');
  await trainUntil(page, 2);
  assert.deepEqual(requests, []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a single file whose carried engine is damaged says so, in both languages, with nothing thrown at the page', async () => {
  const text = await readFile(path.join(distDir, 'backprop-lab.html'), 'latin1');
  // The engine: the file's one long run of base64 (gzip of the .wasm). A stretch of its middle is
  // overwritten with other base64 (the gzip data is then wrong), or one character with one that is
  // not base64 at all (decoded by Uint8Array.fromBase64, or by atob where that is missing).
  const packed = /"([A-Za-z0-9+/]{100000,}={0,2})"/.exec(text);
  assert.ok(packed, 'the single file carries the engine as base64');
  const middle = packed.index + 1 + (packed[1].length >> 1);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bplab-damaged-'));
  const words = { en: /could not start.*This file is damaged: the engine it carries cannot be unpacked/s, ko: /시작하지 못했습니다.*파일이 손상되었습니다/s };
  try {
    for (const [damage, replacement, lang, init] of [
      ['data', 'A'.repeat(64), 'en', null], ['data', 'A'.repeat(64), 'ko', null],
      ['character', '!', 'en', null], ['character', '!', 'ko', withoutFromBase64],
    ]) {
      const file = path.join(dir, `${damage}.html`);
      await writeFile(file, text.slice(0, middle) + replacement + text.slice(middle + replacement.length), 'latin1');
      const { page, errors } = await newPage(browser.context);
      const requests = await blockNetwork(page);
      if (init) await page.addInitScript(init);
      await page.goto(`${pathToFileURL(file).href}#lang=${lang}`);
      await page.waitForSelector('.loader.is-error', { timeout: 15000 });
      assert.match(await page.textContent('#status'), words[lang], `${damage} (${lang})`);
      assert.equal(await page.isVisible('#loader'), true, 'the message is on screen');
      assert.deepEqual(requests, []);
      assert.deepEqual(errors, [], `${damage} (${lang})`);
      await page.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the single file in a browser without import maps says why it cannot start, in both languages', async () => {
  const { page } = await newPage(browser.context);
  await page.addInitScript(() => {
    const supports = HTMLScriptElement.supports;
    HTMLScriptElement.supports = (type) => type !== 'importmap' && supports.call(HTMLScriptElement, type);
  });
  await page.goto(pathToFileURL(path.join(distDir, 'backprop-lab.html')).href);
  await page.waitForSelector('.loader.is-error', { timeout: 10000 });
  assert.match(await page.textContent('#status p[lang="en"]'), /too old.*import maps.*Firefox 108/);
  assert.match(await page.textContent('#status p[lang="ko"]'), /너무 오래되었습니다/);
  assert.equal(await page.locator('script[data-chunk]').count(), 0);
  await page.close();
});

test('dist/index.html opened as a file says why it cannot start and links to the single file, which does', async () => {
  const { page, errors } = await newPage(browser.context);
  await page.goto(pathToFileURL(path.join(distDir, 'index.html')).href);
  await page.waitForSelector('.loader.is-error', { timeout: 10000 });
  assert.match(await page.textContent('#status'), /Opened as a file.*backprop-lab\.html.*파일로 열면/s);
  // The only errors are the browser's own refusal of the module script.
  assert.ok(errors.length > 0 && errors.every((e) => /CORS|ERR_FAILED/.test(e)), errors.join('\n'));
  await screenshot(page, 'index-from-file');
  errors.length = 0;
  await page.click('#status p[lang="en"] a');
  await page.waitForSelector('body.is-ready');
  assert.match(page.url(), /\/backprop-lab\.html(#|$)/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the built folder works from a sub-path of a static host: relative paths only', async () => {
  const host = await serve(path.dirname(distDir));  // the folder above dist/, so the page lives at /dist/
  const base = `http://127.0.0.1:${host.address().port}/${path.basename(distDir)}/`;
  const { page, errors } = await newPage(browser.context);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await openLab(page, `${base}#dataset=circle`);
  // (blob: URLs are made by the page in memory: the links' worker.)
  const outside = requests.filter((url) => !url.startsWith(base) && !url.startsWith(`blob:${new URL(base).origin}/`));
  assert.deepEqual(outside, [], 'every file comes from next to the page');
  assert.ok(requests.some((url) => url.endsWith('.wasm')));
  await trainUntil(page, 3);
  assert.deepEqual(errors, []);
  await page.close();
  await new Promise((resolve) => host.close(resolve));
});
