// npm run bench: how fast the engine and the page are, with figures anyone can
// rerun. Builds what it measures, then measures, in one run on one machine:
//   1–2. a frame (one epoch, train and test loss, every neuron on a 100×100
//        grid) for 6×8 and for 2→4→2→1, in WebAssembly (Node) and natively,
//        interleaved round by round; with TensorFlow Playground's own engine
//        when its nn.ts is at hand (--playground PATH, or build/anchor/nn.ts);
//   3.   one stepPhase() plus reading its trace;
//   4.   frames per second in headless Chromium while 6×8 plays with every
//        heatmap live (the harness; and the page, when it can be told to);
//   5.   dist/backprop-lab.html raw and gzipped, and navigation to the first
//        trained frame on localhost;
//   6.   the page on slow machines (Chromium's CPU throttling, skipped by --quick):
//        frames per second at 4× on a laptop (default network; 6×8 with every input)
//        and at 6× on a phone (the same two), and Play ready at 4× from localhost and
//        from file://.
// Prints a table; --json prints one JSON object per line instead.
//   node scripts/bench.mjs [--json] [--quick] [--no-build] [--no-browser]
//        [--rounds N] [--playground PATH] [--site DIR] [--page-url URL] [--page-autoplay]
// --soak [STEPS] runs only the soak instead: STEPS (1 000 000) training steps of the default
// network in WebAssembly, with what the page does between them (evaluations, heatmaps, rewinds,
// other trainers made and deleted), and reports the heap's growth (it must be 0) and the time per step.
// --site measures another built site (its page and single file) instead of dist/.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { buildDir, distDir, moduleDir, nativeDir, root } from './lib.mjs';

const usage = `usage: node scripts/bench.mjs [--json] [--quick] [--no-build] [--no-browser]
       [--rounds N] [--playground PATH] [--site DIR] [--page-url URL] [--page-autoplay]
       node scripts/bench.mjs --soak [STEPS] [--json] [--no-build]`;

function parseArgs(argv) {
  const options = {
    json: false, quick: false, build: true, browser: true, rounds: null,
    playground: null, site: distDir, pageUrl: null, pageAutoplay: false, soak: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value\n${usage}`);
      return argv[++i];
    };
    if (arg === '--json') options.json = true;
    else if (arg === '--quick') options.quick = true;
    else if (arg === '--no-build') options.build = false;
    else if (arg === '--no-browser') options.browser = false;
    else if (arg === '--rounds') options.rounds = Number(value());
    else if (arg === '--playground') options.playground = path.resolve(value());
    else if (arg === '--site') options.site = path.resolve(value());
    else if (arg === '--page-url') options.pageUrl = value();
    else if (arg === '--page-autoplay') options.pageAutoplay = true;
    else if (arg === '--soak') options.soak = /^\d+$/.test(argv[i + 1] ?? '') ? Number(argv[++i]) : 1e6;
    else throw new Error(`unknown option ${arg}\n${usage}`);
  }
  if (options.rounds !== null && !(Number.isInteger(options.rounds) && options.rounds > 0)) {
    throw new Error(`--rounds needs a whole number from 1\n${usage}`);
  }
  return options;
}

// TensorFlow Playground's engine on this kind of machine, as quoted in the
// issue, for runs without its nn.ts: 5.7 ms per epoch, 72 ms per heatmap
// update, about 82 ms of compute per frame.
const quotedPlayground = { frame: 82, trainEpoch: 5.7, heatmaps: 72 };

// The 6×8 frame in the page's URL state (web/README.md: the hash holds every setting).
const pageState = '#dataset=circle&percTrainData=50&noise=0&batchSize=10&features=x1,x2'
  + '&networkShape=8,8,8,8,8,8&activation=tanh&learningRate=0.03&optimizer=sgd&speed=1e';

const targets = {
  frame6x8Ms: 3,
  speedupVsPlayground: 25,
  wasmOverNative: 1.5,
  browserFps: 55,
  singleFileGzipBytes: 400 * 1024,
  firstFrameMs: 1000,
  phaseStepMs: 16,
  // A school laptop or a cheap phone: Chromium's CPU throttling.
  slowLaptopFps: 58,
  slowLaptop6x8Fps: 50,
  slowPhoneFps: 50,
  slowReadyMs: 1500,
};

// Every input, six layers of eight: the page's heaviest network.
const fullState = '#features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2&networkShape=8,8,8,8,8,8&speed=1e';
const phone = { width: 390, height: 844 };

/** The page at 4× (a school laptop) and 6× (a cheap phone) slower CPUs; Play ready from localhost and from file://. */
async function slowMachines(context, siteUrl, fileUrl, measure) {
  log('browser: 4x slower CPU, laptop, default network');
  const laptop = await measure(context, `${siteUrl}#speed=1e`, { rate: 4 });
  log('browser: 4x slower CPU, laptop, 6x8 with every input');
  const laptop6x8 = await measure(context, `${siteUrl}${fullState}`, { rate: 4 });
  log('browser: 6x slower CPU, phone, default network');
  const phoneDefault = await measure(context, `${siteUrl}#speed=1e`, { rate: 6, viewport: phone });
  log('browser: 6x slower CPU, phone, 6x8 with every input');
  const phone6x8 = await measure(context, `${siteUrl}${fullState}`, { rate: 6, viewport: phone });
  log('browser: 4x slower CPU, Play ready of the single file from file://');
  const file = await measure(context, `${fileUrl}#speed=1e`, { rate: 4, play: false });
  return { laptop, laptop6x8, phone: phoneDefault, phone6x8, fileReadyMs: file.readyMs };
}

const median = (values) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function log(...parts) {
  process.stderr.write(`${parts.join(' ')}\n`);
}

/** Runs a command with its output on stderr (stdout stays for the results). */
function run(command, args, { capture = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', capture ? 'pipe' : process.stderr, process.stderr] });
    let out = '';
    if (capture) child.stdout.on('data', (chunk) => { out += chunk; });
    child.on('error', (err) => reject(new Error(`${command}: ${err.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal || `exit ${code}`})`));
    });
  });
}

async function machine(chromiumVersion, loadAverage) {
  const cpus = os.cpus();
  const compilerVersion = async (command, args) => {
    try {
      return (await run(command, args, { capture: true })).split('\n')[0].trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    kind: 'machine',
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.versions.node,
    v8: process.versions.v8,
    gxx: await compilerVersion('g++', ['--version']),
    emcc: await compilerVersion('emcc', ['--version']),
    chromium: chromiumVersion,
    loadAverage: loadAverage.map((x) => Math.round(x * 100) / 100),
  };
}

async function nativeRun(mode, network, warmup, count) {
  const exe = path.join(nativeDir, 'bench_frame');
  return JSON.parse(await run(exe, [mode, network, String(warmup), String(count)], { capture: true }));
}

function summarise(runs) {
  const pick = (key) => runs.flatMap((r) => r[key] ?? []);
  return {
    frames: pick('frame').length,
    frame: median(pick('frame')),
    frameCpu: median(pick('frameCpu')),
    trainEpoch: median(pick('trainEpoch')),
    evaluate: median(pick('evaluate')),
    heatmaps: median(pick('heatmaps')),
    fastest: Math.min(...pick('frame')),
  };
}

// Same config, same seed, same number of frames: the two builds must agree.
function checkAgreement(native, wasm) {
  const relative = (a, b) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
  const worst = Math.max(relative(native.trainLoss, wasm.trainLoss), relative(native.testLoss, wasm.testLoss));
  if (native.epoch !== wasm.epoch || !(worst <= 1e-9) || !(Math.abs(native.heatmapSum - wasm.heatmapSum) <= 1e-3)) {
    throw new Error(`native and WebAssembly frames disagree (${wasm.network}): `
      + `epochs ${native.epoch}/${wasm.epoch}, losses ${native.trainLoss}/${wasm.trainLoss}, `
      + `heatmap sums ${native.heatmapSum}/${wasm.heatmapSum}`);
  }
  return worst;
}

async function frames(lab, options, playground) {
  const { runFrames } = await import(pathToFileURL(path.join(root, 'tests/bench/frames.mjs')).href);
  const rounds = options.rounds ?? (options.quick ? 1 : 5);
  const perRound = options.quick ? 10 : 20;
  const playgroundPerRound = Math.max(1, Math.ceil(30 / rounds));
  const warmup = 5;
  const networks = ['6x8', 'default'];
  const runs = Object.fromEntries(networks.map((n) => [n, { native: [], wasm: [], playground: [] }]));
  let worstDisagreement = 0;
  const allocationsPerFrame = {};
  // V8 first runs wasm through its baseline compiler and swaps in optimised
  // code in the background once a function is hot: play each network for a
  // while before any frame counts.
  for (const network of networks) {
    log(`frames: warming up the WebAssembly engine on ${network}`);
    const until = performance.now() + (options.quick ? 1000 : 2000);
    while (performance.now() < until) runFrames(lab, network, 0, 5);
  }
  for (let round = 0; round < rounds; round++) {
    for (const network of networks) {
      log(`frames: round ${round + 1}/${rounds}, ${network}`);
      const native = await nativeRun('frame', network, warmup, perRound);
      const wasm = runFrames(lab, network, warmup, perRound);
      worstDisagreement = Math.max(worstDisagreement, checkAgreement(native, wasm));
      allocationsPerFrame[network] = native.allocationsPerFrame;
      runs[network].native.push(native);
      runs[network].wasm.push(wasm);
      if (playground) {
        runs[network].playground.push(playground.runPlaygroundFrames(playground.nn, playground.data(network), network, 2, playgroundPerRound));
      }
    }
  }
  return networks.map((network) => ({
    network,
    native: summarise(runs[network].native),
    wasm: summarise(runs[network].wasm),
    playground: playground ? summarise(runs[network].playground) : null,
    allocationsPerFrame: allocationsPerFrame[network],
    worstDisagreement,
  }));
}

async function phases(lab, options) {
  const { runPhases } = await import(pathToFileURL(path.join(root, 'tests/bench/frames.mjs')).href);
  const count = options.quick ? 1000 : 4000;
  const wasm = runPhases(lab, '6x8', 400, count);
  const native = await nativeRun('phase', '6x8', 400, count);
  const byPhase = Object.fromEntries(Object.entries(wasm.byPhase).map(([k, v]) => [k, median(v) * 1000]));
  return { network: '6x8', phases: wasm.phase.length, wasmUs: median(wasm.phase) * 1000, byPhaseUs: byPhase, nativeUs: median(native.phase) * 1000 };
}

async function loadPlayground(options, lab) {
  const candidate = options.playground ?? path.join(buildDir, 'anchor', 'nn.ts');
  if (!existsSync(candidate)) {
    if (options.playground) throw new Error(`--playground: ${candidate} does not exist`);
    return null;
  }
  const { loadPlayground: load, runPlaygroundFrames } = await import(pathToFileURL(path.join(root, 'tests/bench/playground-anchor.mjs')).href);
  const { networkConfig } = await import(pathToFileURL(path.join(root, 'tests/bench/frames.mjs')).href);
  const nn = await load(candidate, path.join(buildDir, 'anchor'));
  const data = (network) => {
    const t = lab.createTrainer(networkConfig(network));
    try {
      return t.data();
    } finally {
      t.delete();
    }
  };
  return { nn, data, runPlaygroundFrames, source: path.relative(root, candidate) };
}

// Section sizes of a wasm binary: id, LEB128 size, payload (custom sections carry a name).
function wasmSections(bytes) {
  const names = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'];
  const leb = (at) => {
    let value = 0;
    let shift = 0;
    let pos = at;
    for (;;) {
      const byte = bytes[pos++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(byte & 0x80)) return { value, next: pos };
    }
  };
  const sections = [];
  for (let pos = 8; pos < bytes.length;) {
    const id = bytes[pos];
    const { value: size, next } = leb(pos + 1);
    let name = names[id] ?? `id ${id}`;
    if (id === 0) {
      const { value: length, next: start } = leb(next);
      name = `custom "${Buffer.from(bytes.subarray(start, start + length)).toString()}"`;
    }
    sections.push({ name, bytes: size });
    pos = next + size;
  }
  return sections;
}

async function pageWeight(site) {
  const file = path.join(site, 'backprop-lab.html');
  const html = await readFile(file);
  const wasm = await readFile(path.join(site, 'backprop-lab-core.wasm'));
  const js = await readFile(path.join(site, 'app.js'));
  const gzip = (buf) => zlib.gzipSync(buf, { level: 9 }).length;
  return {
    kind: 'pageWeight',
    file,
    rawBytes: html.length,
    gzipBytes: gzip(html),
    wasmBytes: wasm.length,
    wasmGzipBytes: gzip(wasm),
    appJsBytes: js.length,
    wasmSections: wasmSections(wasm),
  };
}

async function browser(options) {
  const { buildHarness, measureHarness, measurePage, measurePhaseSteps, measureThrottled, openBrowser } = await import(pathToFileURL(path.join(root, 'tests/bench/browser-bench.mjs')).href);
  const harnessDir = path.join(buildDir, 'bench-harness');
  await buildHarness(moduleDir, harnessDir);
  const b = await openBrowser([harnessDir, options.site]);
  try {
    const [harnessUrl, siteUrl] = b.urls;
    log('browser: harness, 6x8 with every heatmap drawn');
    const harness = await measureHarness(b.context, harnessUrl, { network: '6x8', seconds: 5 });
    const pageUrl = options.pageUrl ?? `${siteUrl}${pageState}`;
    log(`browser: the page at ${pageUrl}`);
    const page = await measurePage(b.context, pageUrl, { seconds: 5, autoplay: options.pageAutoplay });
    log('browser: first trained frame, single file over localhost');
    const single = await measurePage(b.context, `${siteUrl}backprop-lab.html${new URL(pageUrl).search}${new URL(pageUrl).hash}`, { seconds: 0.5, autoplay: options.pageAutoplay });
    log('browser: frame mode, one phase step and its redraw (6x8)');
    const phaseStep = await measurePhaseSteps(b.context, `${siteUrl}${pageState}&mode=frames`);
    const throttled = options.quick ? null : await slowMachines(b.context, siteUrl, pathToFileURL(path.join(options.site, 'backprop-lab.html')).href, measureThrottled);
    return { chromium: b.version, harness, page: { url: pageUrl, ...page }, singleFileFirstFrameMs: single.firstFrameMs, phaseStep, throttled };
  } finally {
    await b.close();
  }
}

const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;
const mark = (ok) => (ok ? 'yes' : 'NO');

function table(results) {
  const rows = [];
  const add = (what, value, detail, target = '', ok = undefined) => rows.push([what, value, detail, target, ok === undefined ? '' : mark(ok)]);
  const m = results.machine;
  const lines = [
    `Backprop Lab benchmark — ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; Node ${m.node} (V8 ${m.v8}); ${m.gxx}; emcc ${m.emcc.match(/\d+\.\d+\.\d+/)?.[0] ?? 'unknown'}${m.chromium ? `; Chromium ${m.chromium}` : ''}`,
    `load average at start ${m.loadAverage.join(' ')} (a shared machine: figures are medians, ratios come from the same run)`,
    '',
  ];
  for (const f of results.frames) {
    const label = f.network === '6x8' ? 'Frame 6×8' : 'Frame 2→4→2→1';
    const ratio = f.wasm.frame / f.native.frame;
    const pg = f.playground ?? (f.network === '6x8' ? quotedPlayground : null);
    const speedup = pg ? pg.frame / f.wasm.frame : NaN;
    const pgNote = f.playground ? 'measured' : 'quoted';
    add(`${label}, WebAssembly (Node)`, `${fmt(f.wasm.frame)} ms`,
      `epoch ${fmt(f.wasm.trainEpoch)} + loss ${fmt(f.wasm.evaluate)} + heatmaps ${fmt(f.wasm.heatmaps)} ms; ${f.wasm.frames} frames, fastest ${fmt(f.wasm.fastest)}, CPU time ${fmt(f.wasm.frameCpu)}`,
      f.network === '6x8' ? `≤ ${targets.frame6x8Ms} ms` : '', f.network === '6x8' ? f.wasm.frame <= targets.frame6x8Ms : undefined);
    add(`${label}, native`, `${fmt(f.native.frame)} ms`,
      `epoch ${fmt(f.native.trainEpoch)} + loss ${fmt(f.native.evaluate)} + heatmaps ${fmt(f.native.heatmaps)} ms; fastest ${fmt(f.native.fastest)}, CPU time ${fmt(f.native.frameCpu)}; ${fmt(f.allocationsPerFrame, 0)} allocations per frame`);
    add(`${label}, wasm / native`, fmt(ratio), 'same run, interleaved', `≤ ${targets.wasmOverNative}`,
      f.network === '6x8' ? ratio <= targets.wasmOverNative : undefined);
    if (pg) {
      add(`${label}, TensorFlow Playground's engine`, `${fmt(pg.frame, 1)} ms`,
        `${pgNote}: epoch ${fmt(pg.trainEpoch, 1)} + heatmaps ${fmt(pg.heatmaps, 1)} ms`);
      add(`${label}, Playground / Backprop Lab`, `${fmt(speedup, 1)}×`, f.playground ? 'same run' : 'against the quoted figure',
        f.network === '6x8' ? `≥ ${targets.speedupVsPlayground}×` : '', f.network === '6x8' ? speedup >= targets.speedupVsPlayground : undefined);
    }
  }
  const p = results.phases;
  add('Phase step + its trace (6×8), wasm', `${fmt(p.wasmUs, 1)} µs`,
    `forward ${fmt(p.byPhaseUs.forward, 1)}, loss ${fmt(p.byPhaseUs.loss, 1)}, backward ${fmt(p.byPhaseUs.backward, 1)}, update ${fmt(p.byPhaseUs.update, 1)} µs (all layers' trace); native step ${fmt(p.nativeUs, 2)} µs`);
  if (results.browser) {
    const { harness, page } = results.browser;
    add('Browser, harness 6×8, every heatmap drawn', `${fmt(harness.fps, 1)} fps`,
      `per frame: engine ${fmt(harness.computeMs)} ms (alone: ${fmt(harness.engineOnlyMs)} ms) + drawing 49 canvases ${fmt(harness.drawMs)} ms; first trained frame ${fmt(harness.firstFrameMs, 0)} ms`,
      `≥ ${targets.browserFps}`, harness.fps >= targets.browserFps);
    const shape = page.shape ? `hidden layers ${page.shape}, ${page.hiddenNeurons} hidden neurons drawn` : 'network not in the URL';
    add('Browser, the page', `${fmt(page.fps, 1)} fps`,
      `epochs/s while playing (${shape}); ${fmt(page.rafs, 1)} animation frames/s`, `≥ ${targets.browserFps}`, page.fps >= targets.browserFps);
    add('First trained frame, the page on localhost', `${fmt(page.firstFrameMs, 0)} ms`,
      `single file: ${fmt(results.browser.singleFileFirstFrameMs, 0)} ms`, `≤ ${targets.firstFrameMs} ms`, page.firstFrameMs <= targets.firstFrameMs);
    const step = results.browser.phaseStep;
    add('Frame mode, one Step (→) and its redraw, 6×8', `${fmt(step.medianMs, 1)} ms`,
      `median of ${step.steps} steps (engine phase, trace, numbers on the diagram, formulas, style and layout); slowest ${fmt(step.maxMs, 1)} ms`,
      `< ${targets.phaseStepMs} ms`, step.medianMs < targets.phaseStepMs);
    const slow = results.browser.throttled;
    if (slow) {
      // The figure is the first 3 s of play after epoch 3, warm-up included; the next 3 s beside it.
      const played = (m, where) => `median of ${m.runs} loads${where}, first 3 s of play; the next 3 s: ${fmt(m.fpsLater, 1)} fps`;
      add('4× slower CPU, laptop, default network', `${fmt(slow.laptop.fps, 1)} fps`, played(slow.laptop, ', 1280×900'), `≥ ${targets.slowLaptopFps}`, slow.laptop.fps >= targets.slowLaptopFps);
      add('4× slower CPU, laptop, 6×8, every input', `${fmt(slow.laptop6x8.fps, 1)} fps`, played(slow.laptop6x8, ''), `≥ ${targets.slowLaptop6x8Fps}`, slow.laptop6x8.fps >= targets.slowLaptop6x8Fps);
      add('6× slower CPU, phone, default network', `${fmt(slow.phone.fps, 1)} fps`, played(slow.phone, ', 390×844'), `≥ ${targets.slowPhoneFps}`, slow.phone.fps >= targets.slowPhoneFps);
      add('6× slower CPU, phone, 6×8, every input', `${fmt(slow.phone6x8.fps, 1)} fps`, played(slow.phone6x8, ', 390×844'));
      const ready = Math.max(slow.laptop.readyMs, slow.fileReadyMs);
      add('4× slower CPU, Play ready', `${fmt(slow.laptop.readyMs, 0)} ms`, `localhost; the single file from file:// ${fmt(slow.fileReadyMs, 0)} ms`, `≤ ${targets.slowReadyMs} ms`, ready <= targets.slowReadyMs);
    }
  }
  const w = results.pageWeight;
  const shown = w.file.startsWith(root + path.sep) ? path.relative(root, w.file) : w.file;
  add(`Single file ${shown}`, `${kb(w.gzipBytes)} gzip`, `${kb(w.rawBytes)} raw; wasm ${kb(w.wasmBytes)} (${kb(w.wasmGzipBytes)} gzip); app.js ${kb(w.appJsBytes)}`,
    `≤ ${kb(targets.singleFileGzipBytes)}`, w.gzipBytes <= targets.singleFileGzipBytes);

  const widths = [0, 1, 2, 3, 4].map((c) => Math.max(...rows.map((r) => r[c].length), ['what', 'figure', 'detail', 'target', 'met'][c].length));
  const line = (cells) => cells.map((cell, c) => (c === 1 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  lines.push(line(['what', 'figure', 'detail', 'target', 'met']));
  lines.push(line(widths.map((w2) => '-'.repeat(w2))));
  for (const r of rows) lines.push(line(r));
  if (w.gzipBytes > targets.singleFileGzipBytes) {
    lines.push('', 'wasm sections (bytes):', ...w.wasmSections.map((s) => `  ${s.name.padEnd(28)} ${String(s.bytes).padStart(8)}`));
  }
  lines.push('', 'rerun: npm run bench   (--json for one JSON object per line; --playground PATH to run TensorFlow Playground\'s src/nn.ts beside it)');
  return lines.join('\n');
}

// The soak: the default network trained step by step for a long time, with what the page does
// between steps, watching the WebAssembly heap. Chunks of 10 000 steps give the time per step.
async function soak(options) {
  if (options.build) {
    log('building the WebAssembly module');
    await run('node', ['scripts/build.mjs', 'wasm']);
  }
  const { loadEngine } = await import(pathToFileURL(path.join(moduleDir, 'index.mjs')).href);
  const lab = await loadEngine();
  const config = {
    seed: 1, features: ['x1', 'x2'], layers: [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
    loss: 'bce', optimizer: { name: 'adam', lr: 0.03 }, schedule: { name: 'plateau' }, batchSize: 10,
    dataset: { name: 'circle', samples: 500, noise: 0.1, trainRatio: 0.5 },
  };
  const trainer = lab.createTrainer(config);
  const chunk = 10000;
  const between = (i) => {
    // What the page does now and then: a frame's evaluation and heatmaps, a step back, a phase
    // step with its trace, a probe, another trainer made and deleted.
    trainer.evaluate();
    trainer.heatmaps(25, -6, 6, -6, 6);
    if (i % 5 === 0) {
      const back = trainer.snapshot();
      trainer.stepPhase();
      trainer.trace(0);
      trainer.setProbe(i % 250);
      trainer.restore(back);
      trainer.setProbe(null);
    }
    if (i % 20 === 0) lab.createTrainer({ ...config, seed: i }).delete();
  };
  const trainSteps = (steps) => {
    for (let i = 0; i < steps; i++) {
      trainer.trainStep();
      if (i % 1000 === 999) between(i / 1000);
    }
  };
  log(`soak: ${options.soak} steps, the heap measured after ${chunk} steps of warm-up`);
  trainSteps(chunk);
  const start = lab.memory();
  const perStep = [];
  let done = chunk;
  while (done < options.soak) {
    const steps = Math.min(chunk, options.soak - done);
    const t0 = process.hrtime.bigint();
    trainSteps(steps);
    perStep.push(Number(process.hrtime.bigint() - t0) / 1e3 / steps);
    done += steps;
  }
  const end = lab.memory();
  const cursor = trainer.cursor();
  trainer.delete();
  const result = {
    kind: 'soak', steps: done, epochs: cursor.epoch, heapUsedStart: start.used, heapUsedEnd: end.used, heapGrowth: end.used - start.used,
    memoryGrowth: end.size - start.size, liveTrainersAfter: lab.liveTrainers, medianStepUs: median(perStep),
  };
  if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    process.stdout.write(`soak: ${result.steps} steps (${result.epochs} epochs) of 2→4→2→1, Adam, batch 10\n`
      + `  heap in use: ${result.heapUsedStart} → ${result.heapUsedEnd} bytes (growth ${result.heapGrowth}), memory ${start.size} → ${end.size} bytes\n`
      + `  time per step: median ${result.medianStepUs.toFixed(2)} µs over chunks of ${chunk} (with the page's work between steps)\n`
      + `  trainers left: ${result.liveTrainersAfter}\n`);
  }
  if (result.heapGrowth !== 0 || result.memoryGrowth !== 0 || result.liveTrainersAfter !== 0) {
    throw new Error('the soak leaked: the heap grew or a trainer was left');
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.soak !== null) return soak(options);
  const loadAtStart = os.loadavg();
  if (options.build) {
    log('building the native benchmark, the WebAssembly module and the site');
    await run('node', ['scripts/build.mjs', 'native', 'site']);
  }
  for (const needed of [path.join(nativeDir, 'bench_frame'), path.join(moduleDir, 'index.mjs'), path.join(options.site, 'backprop-lab.html')]) {
    if (!existsSync(needed)) throw new Error(`${needed} is missing: run without --no-build (or give --site a built site)`);
  }
  const { loadEngine } = await import(pathToFileURL(path.join(moduleDir, 'index.mjs')).href);
  const lab = await loadEngine();
  const playground = await loadPlayground(options, lab);
  if (playground) log(`TensorFlow Playground's engine from ${playground.source}`);

  const results = {};
  results.frames = await frames(lab, options, playground);
  results.phases = await phases(lab, options);
  results.pageWeight = await pageWeight(options.site);
  results.browser = options.browser ? await browser(options) : null;
  results.machine = await machine(results.browser?.chromium ?? '', loadAtStart);

  if (options.json) {
    const out = [results.machine];
    for (const f of results.frames) {
      for (const build of ['wasm', 'native', 'playground']) {
        if (f[build]) out.push({ kind: 'frame', network: f.network, build, unit: 'ms', ...f[build] });
      }
      out.push({ kind: 'ratio', network: f.network, wasmOverNative: f.wasm.frame / f.native.frame,
        playgroundOverWasm: (f.playground ?? (f.network === '6x8' ? quotedPlayground : { frame: NaN })).frame / f.wasm.frame,
        playgroundSource: f.playground ? 'measured' : 'quoted', allocationsPerFrame: f.allocationsPerFrame, worstDisagreement: f.worstDisagreement });
    }
    out.push({ kind: 'phase', unit: 'µs', ...results.phases });
    if (results.browser) {
      out.push({ kind: 'browser', subject: 'harness', network: '6x8', ...results.browser.harness });
      out.push({ kind: 'browser', subject: 'page', ...results.browser.page, singleFileFirstFrameMs: results.browser.singleFileFirstFrameMs });
      out.push({ kind: 'browser', subject: 'phaseStep', network: '6x8', ...results.browser.phaseStep });
      if (results.browser.throttled) out.push({ kind: 'browser', subject: 'throttled', ...results.browser.throttled });
    }
    out.push(results.pageWeight);
    for (const o of out) process.stdout.write(`${JSON.stringify(o)}\n`);
  } else {
    process.stdout.write(`${table(results)}\n`);
  }
}

main().catch((err) => {
  console.error(`bench: ${err.message}`);
  process.exit(1);
});
