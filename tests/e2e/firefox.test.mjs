// The same page in Debian's Firefox ESR, driven by puppeteer-core over WebDriver BiDi (no browser
// download): a smoke test, the single file from file:// with nothing fetched, frame mode with its
// numbers and formulas, a course panel, and a lesson embedded in another origin's page.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';
import { serve } from '../../scripts/serve.mjs';
import { distDir } from '../helpers/paths.mjs';
import { screenshotDir } from './browser.mjs';

let browser;
let site;
let other;  // the same files on another port: another origin
let url;
before(async () => {
  site = await serve(distDir);
  other = await serve(distDir);
  url = `http://127.0.0.1:${site.address().port}/`;
  browser = await puppeteer.launch({ browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true });
});
after(async () => {
  await browser?.close();
  await Promise.all([site, other].map((s) => new Promise((resolve) => s?.close(resolve))));
});

async function open(address, { viewport = { width: 1280, height: 900 } } = {}) {
  const page = await browser.newPage();
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.setViewport(viewport);
  await page.goto(address);
  await page.waitForSelector('body.is-ready', { timeout: 30000 });
  return { page, errors };
}

const epoch = (page) => page.$eval('#epoch', (el) => Number(el.textContent.replace(/\D/g, '')));

test('Firefox: the page loads, trains and draws', async () => {
  const { page, errors } = await open(`${url}#dataset=xor&lang=en`);
  assert.match(await page.$eval('#version', (el) => el.textContent), /^\d+\.\d+\.\d+$/);
  const before = Number(await page.$eval('#train-loss', (el) => el.dataset.value));
  await page.click('#play');
  await page.waitForFunction(() => Number(document.getElementById('epoch').textContent.replace(/\D/g, '')) >= 20, { timeout: 30000 });
  await page.click('#play');
  assert.ok(await epoch(page) >= 20);
  assert.ok(Number(await page.$eval('#train-loss', (el) => el.dataset.value)) < before, 'the loss went down');
  // The links, painted by a worker here, show: hiding their canvas changes the diagram.
  assert.equal(await page.$eval('.net-link-canvas', (c) => { try { c.getContext('2d'); return 'drawable'; } catch (e) { return e.name; } }), 'InvalidStateError');
  const stage = await page.$('.net-stage');
  const withLinks = await stage.screenshot();
  await page.$eval('.net-link-canvas', (c) => { c.style.visibility = 'hidden'; });
  assert.ok(!Buffer.from(await stage.screenshot()).equals(Buffer.from(withLinks)), 'the worker\'s links are on screen');
  await page.$eval('.net-link-canvas', (c) => { c.style.visibility = ''; });
  await page.screenshot({ path: path.join(screenshotDir, 'firefox-playground.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('Firefox: the single file runs from file:// and fetches nothing', async () => {
  const page = await browser.newPage();
  const errors = [];
  const requests = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('request', (request) => { if (!/^(file|data|blob):/.test(request.url())) requests.push(request.url()); });
  await page.goto(`${pathToFileURL(path.join(distDir, 'backprop-lab.html')).href}#dataset=circle&lang=ko`);
  await page.waitForSelector('body.is-ready', { timeout: 30000 });
  assert.equal(await page.$eval('#play', (el) => el.getAttribute('aria-label')), '재생');
  await page.click('#play');
  await page.waitForFunction(() => Number(document.getElementById('epoch').textContent.replace(/\D/g, '')) >= 5, { timeout: 30000 });
  await page.click('#play');
  assert.deepEqual(requests, []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Firefox: the single file from file:// typesets frame mode\'s formulas with its lazy typesetter', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(`${pathToFileURL(path.join(distDir, 'backprop-lab.html')).href}#mode=frames&seed=2&lang=en`);
  await page.waitForSelector('body.is-ready', { timeout: 30000 });
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('#inspector math', { timeout: 30000 });
  assert.ok(await page.$$eval('#inspector math', (els) => els.length) > 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Firefox: frame mode steps into the backward pass with numbers on the diagram and typeset formulas', async () => {
  const { page, errors } = await open(`${url}#mode=frames&seed=2&lang=en`);
  for (let k = 0; k < 6; k++) await page.keyboard.press('ArrowRight');
  const current = await page.$eval('.frame-chip.is-current', (el) => el.textContent);
  assert.equal(current, '←2');
  const numbers = await page.$$eval('.net-num:not([hidden])', (els) => els.map((el) => JSON.parse(el.dataset.values)));
  assert.ok(numbers.some((values) => values.length === 3 && Math.abs(values[0] * values[1] - values[2]) <= 1e-12 * Math.max(1, Math.abs(values[2]))),
    'upstream × local = downstream, as written on the diagram');
  const key = await page.$eval('#inspector .ix-key', (el) => ({ quantity: el.dataset.quantity, math: el.querySelectorAll('math').length }));
  assert.deepEqual(key, { quantity: 'downstream', math: 2 });
  const box = await page.$eval('#inspector .ix-key', (el) => { const r = el.getBoundingClientRect(); return r.bottom <= window.innerHeight && r.top >= 0; });
  assert.ok(box, 'the chain rule is on screen');
  await page.screenshot({ path: path.join(screenshotDir, 'firefox-frames.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('Firefox: a course panel draws from the engine', async () => {
  const { page, errors } = await open(`${url}#panel=activations&activationFn=tanh&lang=ko`);
  await page.waitForSelector('.act-elementwise .readout-function .readout-value');
  const z = Number(await page.$eval('#act-z', (el) => el.value));
  const f = Number(await page.$eval('.act-elementwise .readout-function .readout-value', (el) => el.dataset.value));
  const df = Number(await page.$eval('.act-elementwise .readout-derivative .readout-value', (el) => el.dataset.value));
  assert.ok(Math.abs(f - Math.tanh(z)) < 1e-12, `tanh(${z}) = ${f}`);
  assert.ok(Math.abs(df - (1 - Math.tanh(z) ** 2)) < 1e-12, `tanh′(${z}) = ${df}`);
  await page.screenshot({ path: path.join(screenshotDir, 'firefox-panel.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('Firefox: a lesson embedded in another origin\'s page is driven by postMessage', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(`http://127.0.0.1:${other.address().port}/examples/course.html?lab=${encodeURIComponent(`${url}index.html`)}`);
  await page.waitForFunction(() => ['backprop', 'xor'].every((n) => document.getElementById(`log-${n}`).textContent.includes('ready')), { timeout: 30000 });
  for (let k = 0; k < 5; k++) {
    await page.evaluate(() => document.querySelector('button[data-lab="backprop"]').click());  // Step one phase
  }
  // A neuron's Upstream × Local = Downstream, as numbers (the placeholder text names the factors too).
  await page.waitForFunction(() => /^Neuron \d+\.\d+: -?\d[\d.e+-]* × -?\d[\d.e+-]* = -?\d/.test(document.getElementById('readout-backprop').textContent), { timeout: 10000 });
  await page.evaluate(() => [...document.querySelectorAll('button[data-lab="xor"]')].find((b) => b.textContent === '10 epochs').click());
  await page.waitForFunction(() => /epoch 10, test loss/.test(document.getElementById('log-xor').textContent), { timeout: 20000 });
  assert.deepEqual(errors, []);
  await page.close();
});
