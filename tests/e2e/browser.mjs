// Debian's Chromium driven by playwright-core, and the built site served on 127.0.0.1.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { apiUrl, distDir } from '../helpers/paths.mjs';

export const screenshotDir = path.resolve(distDir, '..', 'test-output', 'screenshots');

const flags = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * A test file's browser, opened before its tests and closed after them, and with `engine` a lab
 * (the built module in Node) to compare the page with: { browser, lab }, filled once the file's
 * tests run.
 */
export function useBrowser({ engine = false } = {}) {
  const shared = { browser: null, lab: null };
  before(async () => {
    shared.browser = await openBrowser();
    if (engine) shared.lab = await (await import(apiUrl)).loadEngine();
  });
  after(async () => { await shared.browser?.close(); });
  return shared;
}

/**
 * Starts the server and the browser; call close() when done. context is an
 * English-speaking browser context; newContext(options) makes others (a
 * Korean locale, a touch phone).
 */
export async function openBrowser() {
  const server = await serve(distDir);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: flags, headless: true });
  const newContext = (options = {}) => browser.newContext({ locale: 'en-US', ...options });
  const context = await newContext();
  const url = `http://127.0.0.1:${server.address().port}/`;
  return {
    browser,
    context,
    newContext,
    url,
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A new page that records console errors and uncaught exceptions. */
export async function newPage(context, options = {}) {
  const page = await context.newPage();
  if (options.viewport) await page.setViewportSize(options.viewport);
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  return { page, errors };
}

/**
 * Refuses every request but file: and data: URLs, as a computer with no network would;
 * returns the list of what was refused, for the test to assert empty.
 */
export async function blockNetwork(page) {
  const requests = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (/^(file|data|blob):/.test(url)) return route.continue();  // blob: is the single file's own chunks
    requests.push(url);
    return route.abort();
  });
  return requests;
}

/** Opens the page at url and waits until the engine has loaded and the network is drawn. */
export async function openLab(page, url) {
  await page.goto(url);
  await page.waitForSelector('body.is-ready');
}

/** The full-precision number the page keeps in an output's data-value. */
export async function valueOf(page, selector) {
  return Number(await page.getAttribute(selector, 'data-value'));
}

export async function epochOf(page) {
  return Number((await page.textContent('#epoch')).replace(/\D/g, ''));
}

/** Plays until the epoch counter reaches at least `epochs`, then pauses. */
export async function trainUntil(page, epochs) {
  await page.click('#play');
  await page.waitForFunction((n) => Number(document.getElementById('epoch').textContent.replace(/\D/g, '')) >= n, epochs);
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('play').getAttribute('aria-pressed') === 'false');
}

export async function screenshot(page, name, options = {}) {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true, ...options });
}

/** How many distinct colours a canvas shows (sampled), to tell a drawn plot from a blank one. */
export function canvasColours(page, selector) {
  return page.$eval(selector, (canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const seen = new Set();
    for (let i = 0; i < data.length; i += 4 * 7) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return seen.size;
  });
}

/**
 * The page coordinates of the middle of a network link (its hit path), where
 * a pointer can hover, click or tap it: straight links have a flat bounding
 * box that Playwright's own checks call invisible.
 */
export function linkPoint(page, { layer, to, from }) {
  return page.$eval(`.net-hit[data-layer="${layer}"][data-to="${to}"][data-from="${from}"]`, (path) => {
    const p = path.getPointAtLength(path.getTotalLength() / 2);
    const box = path.ownerSVGElement.getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  });
}
