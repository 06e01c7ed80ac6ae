import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newPage, openBrowser } from './browser.mjs';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.close(); });

test('the served page loads the module, reports its version and trains', async () => {
  const { page, errors } = await newPage(browser.context);
  await page.goto(browser.url);
  await page.waitForFunction(() => document.getElementById('version').textContent !== '–');
  assert.match(await page.textContent('#version'), /^\d+\.\d+\.\d+$/);
  await page.click('#play');
  await page.waitForFunction(() => Number(document.getElementById('epoch').textContent) >= 3);
  await page.click('#play');
  const loss = Number(await page.textContent('#loss'));
  assert.ok(Number.isFinite(loss) && loss > 0, `loss ${loss}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('dist/backprop-lab.html works from file:// with the network blocked', async () => {
  const { pathToFileURL } = await import('node:url');
  const path = await import('node:path');
  const { distDir } = await import('../helpers/paths.mjs');
  const { page, errors } = await newPage(browser.context);
  const requests = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(path.join(distDir, 'backprop-lab.html')).href);
  await page.waitForFunction(() => document.getElementById('version').textContent !== '–');
  await page.click('#play');
  await page.waitForFunction(() => Number(document.getElementById('epoch').textContent) >= 2);
  assert.deepEqual(requests, []);
  assert.deepEqual(errors, []);
  await page.close();
});
