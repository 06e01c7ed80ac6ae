// The WebAssembly half of `npm run bench`: the frames tests/bench/frame_bench.cpp
// runs natively, through the JS API the page uses.

export const grid = { res: 100, xMin: -6, xMax: 6, yMin: -6, yMax: 6 };

/** 6×8: six hidden layers of 8 tanh; default: TensorFlow Playground's 4, 2. Mirrors network_config() in frame_bench.cpp. */
export function networkConfig(name) {
  const hidden = { '6x8': [8, 8, 8, 8, 8, 8], default: [4, 2] }[name];
  if (!hidden) throw new Error(`unknown network '${name}'; use 6x8 or default`);
  return {
    seed: 42,
    features: ['x1', 'x2'],
    layers: [...hidden.map((units) => ({ units, activation: 'tanh' })), { units: 1, activation: 'tanh' }],
    loss: 'mse',
    optimizer: { name: 'sgd', lr: 0.03 },
    init: 'uniform',
    batchSize: 10,
    shuffle: true,
    // 500 training and 500 test points.
    dataset: { name: 'circle', samples: 1000, noise: 0, trainRatio: 0.5 },
  };
}

// The process's CPU time in ms (Node): a busy machine inflates it less than the wall clock.
const cpuNow = typeof process === 'object' && typeof process.cpuUsage === 'function'
  ? () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; }
  : () => NaN;

function result(t, heatmapSum) {
  const e = t.evaluate();
  return { epoch: t.cursor().epoch, trainLoss: e.trainLoss, testLoss: e.testLoss, heatmapSum };
}

/** One frame as the page plays it: an epoch, both losses, every heatmap. Times in ms. */
export function runFrames(lab, network, warmup, count) {
  const t = lab.createTrainer(networkConfig(network));
  const series = { frame: [], frameCpu: [], trainEpoch: [], evaluate: [], heatmaps: [] };
  let heatmapSum = 0;
  try {
    for (let f = 0; f < warmup + count; f++) {
      const cpuStart = cpuNow();
      const start = performance.now();
      t.trainEpoch();
      const afterEpoch = performance.now();
      t.evaluate();
      const afterEvaluate = performance.now();
      const maps = t.heatmaps(grid.res, grid.xMin, grid.xMax, grid.yMin, grid.yMax);
      const afterHeatmaps = performance.now();
      const cpu = cpuNow() - cpuStart;
      if (f < warmup) continue;
      series.frame.push(afterHeatmaps - start);
      series.frameCpu.push(cpu);
      series.trainEpoch.push(afterEpoch - start);
      series.evaluate.push(afterEvaluate - afterEpoch);
      series.heatmaps.push(afterHeatmaps - afterEvaluate);
      if (f + 1 === warmup + count) {
        // Summed in float32 order like the native side, but in double: the same number.
        for (let i = 0; i < maps.length; i++) heatmapSum += maps[i];
      }
    }
    return { kind: 'frame', network, build: 'wasm', ...series, ...result(t, heatmapSum) };
  } finally {
    t.delete();
  }
}

/** The frame-by-frame mode: one stepPhase() and the trace the page then draws. */
export function runPhases(lab, network, warmup, count) {
  const t = lab.createTrainer(networkConfig(network));
  const last = t.layerSizes.length - 2;
  const phase = [];
  const byPhase = { forward: [], loss: [], backward: [], update: [] };
  let touched = 0;
  try {
    for (let p = 0; p < warmup + count; p++) {
      const start = performance.now();
      const ran = t.stepPhase();
      // The update moved every layer's weights: the page redraws them all.
      if (ran.phase === 'update') {
        for (let l = 0; l <= last; l++) touched += t.trace(l).update[0];
      } else {
        touched += t.trace(ran.layer).downstream[0];
      }
      const elapsed = performance.now() - start;
      if (p < warmup) continue;
      phase.push(elapsed);
      byPhase[ran.phase].push(elapsed);
    }
    return { kind: 'phase', network, build: 'wasm', touched, phase, byPhase, ...result(t, 0) };
  } finally {
    t.delete();
  }
}
