// The anchor: TensorFlow Playground's own engine (its src/nn.ts, Apache-2.0),
// run in this process on the same network, points and grid as our frames, so
// the ratio comes from one run on one machine. nn.ts is not part of this
// repository: `npm run bench -- --playground path/to/nn.ts` (or
// build/anchor/nn.ts) brings it in. The driver below follows Playground's
// own playground.ts: oneStep() (forwardProp + backProp per point,
// updateWeights every batchSize points), getLoss() on both splits, and
// updateDecisionBoundary() (one forwardProp per grid cell, reading every
// node's output).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { grid, networkConfig } from './frames.mjs';

/** Transpiles nn.ts with esbuild into outDir and imports it. */
export async function loadPlayground(nnPath, outDir) {
  const esbuild = await import('esbuild');
  const source = await readFile(nnPath, 'utf8');
  const { code } = await esbuild.transform(source, { loader: 'ts', format: 'esm', target: 'es2020' });
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, 'playground-nn.mjs');
  await writeFile(file, code);
  return import(pathToFileURL(file).href);
}

// Playground's INPUTS table: each feature is computed, then kept if switched on.
const inputs = {
  x: (x, y) => x,
  y: (x, y) => y,
  xSquared: (x, y) => x * x,
  ySquared: (x, y) => y * y,
  xTimesY: (x, y) => x * y,
  sinX: (x, y) => Math.sin(x),
  sinY: (x, y) => Math.sin(y),
};
const enabled = { x: true, y: true };

function constructInput(x, y) {
  const input = [];
  for (const name in inputs) if (enabled[name]) input.push(inputs[name](x, y));
  return input;
}

function toPoints(split) {
  const points = [];
  for (let i = 0; i < split.size; i++) {
    points.push({ x: split.points[2 * i], y: split.points[2 * i + 1], label: split.targets[i] });
  }
  return points;
}

/**
 * Frames of the same network with Playground's engine: epoch, both losses, all heatmaps.
 * `data` is our trainer's data(), so both engines see the same points.
 */
export function runPlaygroundFrames(nn, data, network, warmup, count) {
  const config = networkConfig(network);
  const shape = [2, ...config.layers.map((l) => l.units)];
  const net = nn.buildNetwork(shape, nn.Activations.TANH, nn.Activations.TANH, null, Object.keys(enabled));
  const train = toPoints(data.train);
  const test = toPoints(data.test);
  const { batchSize } = config;
  const { lr } = config.optimizer;
  const density = grid.res;
  // Playground's boundary: per node, density × density arrays, allocated once.
  const boundary = {};
  nn.forEachNode(net, true, (node) => {
    boundary[node.id] = Array.from({ length: density }, () => new Array(density));
  });
  const getLoss = (points) => {
    let loss = 0;
    for (const p of points) loss += nn.Errors.SQUARE.error(nn.forwardProp(net, constructInput(p.x, p.y)), p.label);
    return loss / points.length;
  };
  const step = (grid.xMax - grid.xMin) / (density - 1);
  const series = { frame: [], trainEpoch: [], evaluate: [], heatmaps: [] };
  let trainLoss = 0;
  let testLoss = 0;
  for (let f = 0; f < warmup + count; f++) {
    const start = performance.now();
    train.forEach((p, i) => {
      nn.forwardProp(net, constructInput(p.x, p.y));
      nn.backProp(net, p.label, nn.Errors.SQUARE);
      if ((i + 1) % batchSize === 0) nn.updateWeights(net, lr, 0);
    });
    const afterEpoch = performance.now();
    trainLoss = getLoss(train);
    testLoss = getLoss(test);
    const afterEvaluate = performance.now();
    for (let i = 0; i < density; i++) {
      for (let j = 0; j < density; j++) {
        const x = grid.xMin + i * step;
        const y = grid.yMax - j * step;
        nn.forwardProp(net, constructInput(x, y));
        nn.forEachNode(net, true, (node) => { boundary[node.id][i][j] = node.output; });
      }
    }
    const afterHeatmaps = performance.now();
    if (f < warmup) continue;
    series.frame.push(afterHeatmaps - start);
    series.trainEpoch.push(afterEpoch - start);
    series.evaluate.push(afterEvaluate - afterEpoch);
    series.heatmaps.push(afterHeatmaps - afterEvaluate);
  }
  return { kind: 'frame', network, build: 'playground', ...series, trainLoss, testLoss };
}
