// Paints res × res grids of engine values into canvases through a colour
// ramp: the cells go into a scratch canvas of res × res pixels, which is then
// drawn smoothly (bilinear) onto the target at the target's own pixel size.
import { classRgb, pack, paperRgb } from '../colors.js';

const scratches = new Map();  // res → { canvas, ctx, image, pixels }

function scratch(res) {
  let s = scratches.get(res);
  if (s) return s;
  const canvas = document.createElement('canvas');
  canvas.width = res;
  canvas.height = res;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(res, res);
  s = { canvas, ctx, image, pixels: new Uint32Array(image.data.buffer) };
  scratches.set(res, s);
  return s;
}

// Into rect { x, y, size, alpha } of the target (in its current transform), or all of it.
function present(target, s, rect) {
  s.ctx.putImageData(s.image, 0, 0);
  const ctx = target.getContext('2d');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'low';  // bilinear: smooth enough for upscaling, and cheap to raster
  if (!rect) {
    ctx.drawImage(s.canvas, 0, 0, target.width, target.height);
    return;
  }
  ctx.clearRect(rect.x, rect.y, rect.size, rect.size);
  ctx.globalAlpha = rect.alpha ?? 1;
  ctx.drawImage(s.canvas, rect.x, rect.y, rect.size, rect.size);
  ctx.globalAlpha = 1;
}

/**
 * One map: values[offset … offset + res²) on [lo, hi] through ramp; with
 * threshold set, each cell takes the end colour of its side instead. Drawn
 * over the whole canvas, or into rect.
 */
export function paintMap(canvas, values, offset, res, ramp, lo, hi, threshold = null, rect = null) {
  const s = scratch(res);
  const { pixels } = s;
  const lut = ramp.packed;
  const cells = res * res;
  if (threshold !== null) {
    const below = lut[0], above = lut[255];
    for (let i = 0; i < cells; i++) pixels[i] = values[offset + i] >= threshold ? above : below;
  } else {
    const scale = 255 / (hi - lo);
    for (let i = 0; i < cells; i++) {
      let k = ((values[offset + i] - lo) * scale + 0.5) | 0;
      k = k < 0 ? 0 : k > 255 ? 255 : k;
      pixels[i] = lut[k];
    }
  }
  present(canvas, s, rect);
}

/**
 * Softmax outputs of k classes (maps one after another from offset): each
 * cell takes the colour of its most probable class, faded towards paper as
 * that probability approaches chance (1/k); discretized, at full strength.
 */
export function paintClasses(canvas, values, offset, res, k, discretize) {
  const colors = classRgb(k);
  const s = scratch(res);
  const { pixels } = s;
  const cells = res * res;
  const chance = 1 / k;
  for (let i = 0; i < cells; i++) {
    let best = 0;
    let p = values[offset + i];
    for (let c = 1; c < k; c++) {
      const q = values[offset + c * cells + i];
      if (q > p) { p = q; best = c; }
    }
    const strength = discretize ? 0.5 : 0.55 * Math.max(0, Math.min(1, (p - chance) / (1 - chance)));
    const color = colors[best];
    pixels[i] = pack([
      Math.round(paperRgb[0] + (color[0] - paperRgb[0]) * strength),
      Math.round(paperRgb[1] + (color[1] - paperRgb[1]) * strength),
      Math.round(paperRgb[2] + (color[2] - paperRgb[2]) * strength),
    ]);
  }
  present(canvas, s);
}
