// Faults the page survives, each with a clear message in the page's language and never a blank
// or frozen page: the engine's .wasm corrupt or blocked, the engine refusing in the middle of
// play, the clipboard, downloads and file reading refused, a frame sandboxed without scripts or
// without its origin, and a canvas whose drawing context the device lost.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { distDir } from '../helpers/paths.mjs';
import { newPage, openBrowser, openLab, trainUntil } from './browser.mjs';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.close(); });

const loaderText = (page) => page.textContent('#status');

const LOAD_FAULTS = {
  en: { corrupt: /could not start.*backprop-lab-core\.wasm is damaged/s, blocked: /could not start.*engine could not be loaded/s },
  ko: { corrupt: /시작하지 못했습니다.*손상되었습니다/s, blocked: /시작하지 못했습니다.*엔진을 불러오지 못했습니다/s },
};

for (const [lang, words] of Object.entries(LOAD_FAULTS)) {
  test(`a corrupt or blocked .wasm is explained (${lang}), with nothing thrown at the page`, async () => {
    for (const fault of ['corrupt', 'blocked']) {
      const { page, errors } = await newPage(browser.context);
      await page.route('**/*.wasm', (route) => (fault === 'corrupt'
        ? route.fulfill({ status: 200, contentType: 'application/wasm', body: Buffer.from('this is not WebAssembly') })
        : route.abort('blockedbyclient')));
      await page.goto(`${browser.url}#lang=${lang}`);
      await page.waitForSelector('.loader.is-error', { timeout: 15000 });
      assert.match(await loaderText(page), words[fault], `${fault}: ${await loaderText(page)}`);
      assert.equal(await page.isVisible('#loader'), true, 'the message is on screen');
      const uncaught = errors.filter((e) => !/Failed to load resource|net::ERR/.test(e));
      assert.deepEqual(uncaught, [], fault);
      await page.close();
    }
  });
}

// Counts the page's calls of WebAssembly.compileStreaming, and every text the loader shows.
function watchLoading() {
  window.__streamed = 0;
  window.__statuses = [];
  const compileStreaming = WebAssembly.compileStreaming;
  WebAssembly.compileStreaming = (...args) => {
    window.__streamed += 1;
    return compileStreaming.apply(WebAssembly, args);
  };
  new MutationObserver(() => {
    const text = document.getElementById('status')?.textContent;
    if (text && text !== window.__statuses.at(-1)) window.__statuses.push(text);
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

test('on a slow network the engine is compiled as it downloads, and the loader counts its percent up to 100', async () => {
  const { page, errors } = await newPage(browser.context);
  await page.addInitScript(watchLoading);
  const cdp = await browser.context.newCDPSession(page);
  // About 300 KB a second: the engine's .wasm takes more than a second.
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: 300 * 1024, uploadThroughput: 300 * 1024 });
  await openLab(page, `${browser.url}#lang=en`);
  const { streamed, statuses } = await page.evaluate(() => ({ streamed: window.__streamed, statuses: window.__statuses }));
  assert.equal(streamed, 1, 'one streaming compile');
  const percents = statuses.map((text) => /Loading the engine… (\d+) %/.exec(text)?.[1]).filter(Boolean).map(Number);
  assert.ok(percents.length >= 3, `the loader counted: ${statuses.join(' | ')}`);
  assert.deepEqual(percents, [...percents].sort((a, b) => a - b), 'never back');
  assert.ok(percents[0] < 100 && percents.at(-1) === 100, percents.join(' '));
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await trainUntil(page, 2);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a server that does not call the engine application/wasm still starts the page: it is compiled whole', async () => {
  const wasm = await readFile(path.join(distDir, 'backprop-lab-core.wasm'));
  const { page, errors } = await newPage(browser.context);
  await page.addInitScript(watchLoading);
  await page.route('**/*.wasm', (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: wasm }));
  await openLab(page, `${browser.url}#lang=en`);
  assert.equal(await page.evaluate(() => window.__streamed), 0, 'no streaming compile');
  await trainUntil(page, 2);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the engine refusing in the middle of a frame-mode step pauses with a message; Back and the page go on', async () => {
  const { page, errors } = await newPage(browser.context);
  // A rate of 10 on ReLU regression overflows within a few epochs: the engine refuses that step.
  await openLab(page, `${browser.url}#mode=frames&problem=regression&regDataset=plane&activation=relu&learningRate=10&frameSpeed=20e&lang=en`);
  await page.keyboard.press('ArrowRight');
  await page.click('#play');
  await page.waitForSelector('#notices .notice-error', { timeout: 30000 });
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'false', 'play paused');
  assert.match(await page.textContent('#notices'), /diverged/);
  // The weights kept are the last finite ones; where their loss over a split still overflows, the notice says why.
  const losses = await page.$$eval('#train-loss, #test-loss', (els) => els.map((el) => Number(el.dataset.value)));
  if (!losses.every(Number.isFinite)) assert.match(await page.textContent('#notices'), /read ∞ because the weights kept/);
  await page.click('#step-back');  // the steps before the refusal can be undone
  await page.keyboard.press('ArrowRight');
  assert.ok(await page.locator('#inspector .ix-key').count() > 0, 'the inspector still draws');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a refused clipboard, download or file read is said in the dialog, and nothing is lost', async () => {
  const { page, errors } = await newPage(browser.context);
  await page.addInitScript(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
    document.execCommand = () => false;
    URL.createObjectURL = () => { throw new DOMException('downloads are not allowed here', 'SecurityError'); };
    Blob.prototype.text = () => Promise.reject(new DOMException('the file could not be read', 'NotReadableError'));
    File.prototype.text = Blob.prototype.text;
  });
  await openLab(page, `${browser.url}#dataset=xor&lang=en`);
  await page.click('#play');
  await page.waitForFunction(() => Number(document.getElementById('epoch').textContent.replace(/\D/g, '')) >= 2);
  await page.click('#play');
  const epoch = await page.textContent('#epoch');
  await page.click('#share');
  await page.click('.share-copy button');
  assert.match(await page.textContent('.share-status'), /copy/i);
  await page.click('#save-network');
  assert.match(await page.textContent('.share-file-status'), /could not be offered for download.*downloads are not allowed here/);
  await page.setInputFiles('#open-network', { name: 'net.json', mimeType: 'application/json', buffer: Buffer.from('{}') });
  await page.waitForFunction(() => /could not be read/.test(document.querySelector('.share-file-status').textContent));
  await page.keyboard.press('Escape');
  assert.equal(await page.textContent('#epoch'), epoch, 'the trained network is still there');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a frame sandboxed without scripts, or without its origin, says why instead of loading forever', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1000, height: 700 } });
  await page.goto(`${browser.url}lib/index.mjs`);  // a page of the lab's origin to hold the frames
  const frame = async (sandbox, file) => {
    await page.evaluate(([src, flags]) => {
      document.body.innerHTML = '';
      const f = document.createElement('iframe');
      f.setAttribute('sandbox', flags);
      f.style.width = '900px';
      f.style.height = '600px';
      f.src = src;
      document.body.append(f);
    }, [`${browser.url}${file}#lang=en`, sandbox]);
    await page.waitForTimeout(300);
    return page.frames().find((f) => f.url().includes(file));
  };
  const noScripts = await frame('', 'index.html');
  await noScripts.waitForSelector('.noscript');
  assert.equal(await noScripts.isVisible('.noscript'), true, 'the note on scripts shows');
  assert.equal(await noScripts.isVisible('#loader'), false, 'no loading bar that never ends');
  assert.match(await noScripts.textContent('noscript'), /allow-scripts allow-same-origin/);
  const noOrigin = await frame('allow-scripts', 'index.html');
  await noOrigin.waitForSelector('.loader.is-error', { timeout: 15000 });
  assert.match(await noOrigin.textContent('#status'), /sandboxed without allow-same-origin.*backprop-lab\.html/s);
  const single = await frame('allow-scripts', 'backprop-lab.html');
  await single.waitForSelector('body.is-ready', { timeout: 20000 });
  await single.click('#play');
  await single.waitForFunction(() => Number(document.getElementById('epoch').textContent.replace(/\D/g, '')) >= 2);
  assert.deepEqual(errors.filter((e) => !/Failed to load resource|CORS|ERR_FAILED|sandbox/i.test(e)), []);
  await page.close();
});

test('a canvas whose context the device lost is announced, and everything is drawn again when it returns', async () => {
  const { page, errors } = await newPage(browser.context);
  await openLab(page, `${browser.url}#dataset=circle&lang=ko`);
  const mapPixels = () => page.$eval('.net-map-canvas', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4 * 13) if (d[i] > 0) n += 1;
    return n;
  });
  assert.ok(await mapPixels() > 100, 'the neurons are drawn');
  // What a browser does when the device loses the context: the canvas is blank and 'contextlost' fires.
  await page.$eval('.net-map-canvas', (c) => {
    c.getContext('2d').clearRect(0, 0, c.width, c.height);
    c.dispatchEvent(new Event('contextlost'));
  });
  await page.waitForSelector('#notices .notice-warning');
  assert.match(await page.textContent('#notices'), /그래픽을 초기화했습니다/);
  assert.equal(await mapPixels(), 0);
  await page.$eval('.net-map-canvas', (c) => c.dispatchEvent(new Event('contextrestored')));
  await page.waitForFunction(() => !document.querySelector('#notices .notice-warning'));
  assert.ok(await mapPixels() > 100, 'drawn again');
  assert.deepEqual(errors, []);
  await page.close();
});
