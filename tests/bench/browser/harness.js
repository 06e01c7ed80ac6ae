// The browser benchmark's own player: what the page does on every frame of
// play, with nothing else on screen. One epoch, both losses, every neuron's
// heatmap computed in one call and drawn at full resolution into its own
// canvas. Settings come from the URL: ?network=6x8|default&res=100.
// scripts/bench.mjs reads window.benchHarness.
import { loadEngine } from '../../../bindings/index.mjs';
import { grid, networkConfig } from '../frames.mjs';

const params = new URLSearchParams(location.search);
const network = params.get('network') || '6x8';
const res = Number(params.get('res')) || grid.res;

// computeMs and drawMs add up the engine's and the canvases' share of every frame.
const state = { frames: 0, computeMs: 0, drawMs: 0, firstFrameAt: null, error: null, layerSizes: null };
window.benchHarness = state;

// A diverging blue–white–orange ramp for -1 … 1, as 256 packed RGBA words.
function palette() {
  const lut = new Uint32Array(256);
  const low = [59, 76, 192];
  const mid = [247, 247, 247];
  const high = [230, 97, 1];
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    const [from, to, u] = t < 0.5 ? [low, mid, t * 2] : [mid, high, t * 2 - 1];
    const [r, g, b] = from.map((c, k) => Math.round(c + (to[k] - c) * u));
    lut[i] = (255 << 24) | (b << 16) | (g << 8) | r;  // little-endian RGBA
  }
  return lut;
}

function makeMaps(count) {
  const host = document.getElementById('maps');
  const maps = [];
  for (let n = 0; n < count; n++) {
    const canvas = document.createElement('canvas');
    canvas.width = res;
    canvas.height = res;
    host.append(canvas);
    const context = canvas.getContext('2d');
    const image = context.createImageData(res, res);
    maps.push({ context, image, pixels: new Uint32Array(image.data.buffer) });
  }
  return maps;
}

function draw(maps, values, lut) {
  const cells = res * res;
  maps.forEach((map, n) => {
    const offset = n * cells;
    for (let c = 0; c < cells; c++) {
      const v = values[offset + c];
      const i = v <= -1 ? 0 : v >= 1 ? 255 : ((v + 1) * 127.5) | 0;
      map.pixels[c] = lut[i];
    }
    map.context.putImageData(map.image, 0, 0);
  });
}

async function main() {
  const lab = await loadEngine();
  const trainer = lab.createTrainer(networkConfig(network));
  state.layerSizes = trainer.layerSizes;
  const neurons = trainer.layerSizes.slice(1).reduce((a, b) => a + b, 0);
  const maps = makeMaps(neurons);
  const lut = palette();
  const status = document.getElementById('status');
  const frame = () => {
    const start = performance.now();
    trainer.trainEpoch();
    const { trainLoss, testLoss } = trainer.evaluate();
    const values = trainer.heatmaps(res, grid.xMin, grid.xMax, grid.yMin, grid.yMax);
    const computed = performance.now();
    draw(maps, values, lut);
    state.computeMs += computed - start;
    state.drawMs += performance.now() - computed;
    state.frames += 1;
    if (state.firstFrameAt === null) state.firstFrameAt = performance.now();
    status.textContent = `epoch ${state.frames} · train ${trainLoss.toFixed(4)} · test ${testLoss.toFixed(4)}`;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  // Engine only, no drawing, no animation frames: the median of `count` frames in ms.
  window.benchCompute = (count) => {
    const times = [];
    for (let f = 0; f < count; f++) {
      const start = performance.now();
      trainer.trainEpoch();
      trainer.evaluate();
      trainer.heatmaps(res, grid.xMin, grid.xMax, grid.yMin, grid.yMax);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return times[count >> 1];
  };
}

main().catch((err) => {
  state.error = String(err?.message || err);
});
