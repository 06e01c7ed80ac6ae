// The browser half of `npm run bench`: headless Chromium (Debian's, driven by
// playwright-core) plays a network and counts frames, and times navigation
// to the first trained frame.
//
// Two subjects:
// - the harness (tests/bench/browser/): the engine plus full-resolution
//   canvas drawing of every heatmap, nothing else; what the page can reach.
// - the page (dist/ or --page-url): driven only through what a user has:
//   its URL (the page keeps its state there), its play button, its epoch
//   counter. Frames per second = epochs per second while playing (one epoch
//   per animation frame, as TensorFlow Playground does), beside the rate of
//   animation frames the browser managed.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../../scripts/serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

const flags = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Bundles the harness with the built module into outDir. */
export async function buildHarness(moduleDir, outDir) {
  const esbuild = await import('esbuild');
  await mkdir(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(here, 'browser/harness.js')],
    bundle: true,
    format: 'esm',
    target: 'es2020',
    minify: true,
    outfile: path.join(outDir, 'harness.js'),
    external: ['node:*'],
    logLevel: 'warning',
    plugins: [{
      name: 'backprop-lab-core',
      setup(build) {
        build.onResolve({ filter: /backprop-lab-core\.mjs$/ }, () => ({ path: path.join(moduleDir, 'backprop-lab-core.mjs') }));
      },
    }],
  });
  await copyFile(path.join(here, 'browser/index.html'), path.join(outDir, 'index.html'));
  await copyFile(path.join(moduleDir, 'backprop-lab-core.wasm'), path.join(outDir, 'backprop-lab-core.wasm'));
}

/** Chromium with a fresh profile, and static servers for the folders given. */
export async function openBrowser(dirs) {
  const { chromium } = await import('playwright-core');
  const servers = await Promise.all(dirs.map((dir) => serve(dir)));
  const profile = await mkdtemp(path.join(os.tmpdir(), 'bplab-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: flags,
    headless: true,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    version: context.browser()?.version() ?? '',
    urls: servers.map((s) => `http://127.0.0.1:${s.address().port}/`),
    async close() {
      await context.close();
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
      await rm(profile, { recursive: true, force: true });
    },
  };
}

// Counts animation frames from the start of the document, and notes when the
// element matching `selector` first shows a number >= 1 (the first trained frame).
function instrument({ selector }) {
  window.__bench = { rafs: 0, firstEpochAt: null };
  const tick = () => {
    window.__bench.rafs += 1;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const check = () => {
    if (window.__bench.firstEpochAt !== null) return;
    const el = document.querySelector(selector);
    if (el && Number(el.textContent.replace(/\D/g, '')) >= 1) window.__bench.firstEpochAt = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
}

// Rates over `seconds`: frames and animation frames per second, and the
// mean of any other counter per frame (the harness's compute and draw times).
async function sample(page, read, arg, seconds) {
  const before = await page.evaluate(read, arg);
  const start = Date.now();
  await page.waitForTimeout(seconds * 1000);
  const after = await page.evaluate(read, arg);
  const elapsed = (Date.now() - start) / 1000;
  const frames = after.frames - before.frames;
  const rates = { frames: frames / elapsed, rafs: (after.rafs - before.rafs) / elapsed };
  for (const key of Object.keys(after)) {
    if (!(key in rates)) rates[key] = frames > 0 ? (after[key] - before[key]) / frames : NaN;
  }
  return rates;
}

/** Plays the harness for `seconds` and returns frames per second and the first-frame time. */
export async function measureHarness(context, url, { network = '6x8', seconds = 5 } = {}) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  try {
    await page.addInitScript(instrument, { selector: '#never' });
    await page.goto(`${url}?network=${network}`);
    await page.waitForFunction(() => window.benchHarness?.frames >= 1 || window.benchHarness?.error, null, { timeout: 30000 });
    const failed = await page.evaluate(() => window.benchHarness.error);
    if (failed) throw new Error(`the harness failed: ${failed}`);
    await page.waitForTimeout(1000);  // warm-up: tier-up of the wasm code
    const read = () => ({
      frames: window.benchHarness.frames,
      rafs: window.__bench.rafs,
      computeMs: window.benchHarness.computeMs,
      drawMs: window.benchHarness.drawMs,
    });
    const rate = await sample(page, read, null, seconds);
    const info = await page.evaluate(() => ({ firstFrameAt: window.benchHarness.firstFrameAt, layerSizes: window.benchHarness.layerSizes }));
    // The same frames back to back with nothing drawn: the engine alone in this browser.
    const engineOnlyMs = await page.evaluate(() => window.benchCompute(60));
    if (errors.length) throw new Error(`the harness reported errors: ${errors.join('; ')}`);
    return {
      fps: rate.frames, rafs: rate.rafs, computeMs: rate.computeMs, drawMs: rate.drawMs, engineOnlyMs,
      firstFrameMs: info.firstFrameAt, layerSizes: info.layerSizes,
    };
  } finally {
    await page.close();
  }
}

/**
 * Plays the page at `url` (its URL carries the network) and counts epochs.
 * The page is driven as a user would: the play button is pressed as soon as
 * it is enabled, unless the URL itself starts playing (autoplay).
 */
export async function measurePage(context, url, { seconds = 5, play = '#play', epoch = '#epoch', autoplay = false } = {}) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  try {
    await page.addInitScript(instrument, { selector: epoch });
    await page.goto(url);
    if (!autoplay) {
      await page.waitForSelector(`${play}:not([disabled])`, { timeout: 30000 });
      await page.click(play);
    }
    await page.waitForFunction((sel) => Number(document.querySelector(sel)?.textContent.replace(/\D/g, '')) >= 1, epoch, { timeout: 30000 });
    await page.waitForTimeout(1000);
    const read = (sel) => ({
      frames: Number(document.querySelector(sel)?.textContent.replace(/\D/g, '')) || 0,
      rafs: window.__bench.rafs,
    });
    const rate = await sample(page, read, epoch, seconds);
    const firstEpochAt = await page.evaluate(() => window.__bench.firstEpochAt);
    // What the page plays, as a learner sees it: the hidden layers its URL
    // keeps and the hidden neurons its diagram draws.
    const shown = await page.evaluate(() => ({
      shape: new URLSearchParams(location.hash.slice(1)).get('networkShape'),
      hiddenNeurons: document.querySelectorAll('.net-node:not(.net-input):not(.net-output)').length,
    }));
    return { fps: rate.frames, rafs: rate.rafs, firstFrameMs: firstEpochAt, ...shown, errors };
  } finally {
    await page.close();
  }
}

/** Navigation to the first trained frame, for a fresh load of `url`. */
export async function measureFirstFrame(context, url, options = {}) {
  const result = await measurePage(context, url, { ...options, seconds: 0.5 });
  return result.firstFrameMs;
}

/**
 * Frame mode: the cost of one Step (→) with its redraw, as the learner presses it. Each step is
 * the key's handler (the engine's phase, the trace read, the diagram's overlay and numbers, the
 * inspector's formulas) plus the style and layout it forces; `steps` of them, after a warm-up
 * batch. Returns the median and the slowest step in milliseconds.
 */
export async function measurePhaseSteps(context, url, { steps = 80 } = {}) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  try {
    await page.goto(url);
    await page.waitForSelector('body.is-ready', { timeout: 30000 });
    const times = await page.evaluate(async (count) => {
      const press = () => document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      for (let k = 0; k < 20; k++) { press(); await frame(); }
      const out = [];
      for (let k = 0; k < count; k++) {
        const start = performance.now();
        press();
        void document.body.offsetHeight;  // the style and layout the step's drawing needs
        out.push(performance.now() - start);
        await frame();
      }
      return out;
    }, steps);
    if (errors.length) throw new Error(`the page reported errors: ${errors.join('; ')}`);
    const sorted = [...times].sort((a, b) => a - b);
    return { medianMs: sorted[sorted.length >> 1], maxMs: sorted.at(-1), steps: times.length };
  } finally {
    await page.close();
  }
}

/**
 * The page on a slow machine: Chromium's CPU throttling (DevTools Emulation.setCPUThrottlingRate)
 * at `rate`×, set before the page loads. Measures Play ready (navigation to the Play button
 * enabled, the engine loaded and the first network built: a first trained frame is possible) and
 * then frames per second while playing (epochs per second at one epoch per frame): over the first
 * `seconds` after the third epoch (`fps`, which includes the browser's warm-up after Play) and over
 * the next `seconds` (`fpsLater`). Each figure is the median of `runs` fresh loads.
 */
export async function measureThrottled(context, url, { rate = 4, viewport = { width: 1280, height: 900 }, seconds = 3, runs = 5, play = true } = {}) {
  const readies = [];
  const fps = [];
  const fpsLater = [];
  for (let k = 0; k < runs; k++) {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    try {
      await page.setViewportSize(viewport);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate });
      await page.addInitScript(() => {
        window.__ready = null;
        new MutationObserver(() => {
          if (window.__ready === null && document.body?.classList.contains('is-ready')) window.__ready = performance.now();
        }).observe(document, { subtree: true, attributes: true, attributeFilter: ['class'] });
      });
      await page.goto(url);
      await page.waitForFunction(() => window.__ready !== null, null, { timeout: 60000 });
      readies.push(await page.evaluate(() => window.__ready));
      if (play) {
        await page.click('#play');
        const epoch = () => page.evaluate(() => Number(document.getElementById('epoch').textContent.replace(/\D/g, '')));
        await page.waitForFunction(() => Number(document.getElementById('epoch').textContent.replace(/\D/g, '')) >= 3, null, { timeout: 60000 });
        const rateOver = async () => {
          const from = await epoch();
          const start = Date.now();
          await page.waitForTimeout(seconds * 1000);
          return (await epoch() - from) / ((Date.now() - start) / 1000);
        };
        fps.push(await rateOver());
        fpsLater.push(await rateOver());
      }
      await cdp.detach();
      if (errors.length) throw new Error(`the page reported errors: ${errors.join('; ')}`);
    } finally {
      await page.close();
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
  return { rate, readyMs: median(readies), fps: play ? median(fps) : null, fpsLater: play ? median(fpsLater) : null, runs };
}
