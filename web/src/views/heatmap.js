// Paints res × res grids of engine values into canvases through a colour
// ramp: a canvas of its own holds the grid as res × res pixels (its CSS size
// scales it up); a map in a rectangle of a shared canvas goes through a scratch
// canvas of res × res pixels, drawn smoothly (bilinear) into the rectangle.
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

// Into rect { x, y, size, alpha } of the target (in its current transform), or all of it: a
// whole canvas holds the grid itself, res × res pixels, and its CSS size scales it up smoothly
// (image-rendering: auto). The browser's compositor does that scaling; drawn into the canvas at
// its own size, the page's thread would raster it on every frame.
function present(target, s, rect) {
  if (!rect) {
    if (target.width !== s.image.width) target.width = target.height = s.image.width;
    target.getContext('2d').putImageData(s.image, 0, 0);
    return;
  }
  s.ctx.putImageData(s.image, 0, 0);
  const ctx = target.getContext('2d');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'low';  // bilinear: smooth enough, and cheap to raster
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

const CLASS_STRENGTH = 0.55;  // how far from paper towards its class colour a sure cell goes
const DISCRETE_STRENGTH = 0.5;
const classShadeCache = new Map();  // k → { shades: per class 256 packed colours, solid: per class one }

/** Paper mixed towards each class colour, 256 steps of certainty, packed once per class count. */
function classShades(k) {
  let table = classShadeCache.get(k);
  if (table) return table;
  const mix = (color, strength) => pack(paperRgb.map((paper, ch) => Math.round(paper + (color[ch] - paper) * strength)));
  const colors = classRgb(k);
  table = {
    shades: colors.map((color) => Uint32Array.from({ length: 256 }, (_, q) => mix(color, (CLASS_STRENGTH * q) / 255))),
    solid: Uint32Array.from(colors, (color) => mix(color, DISCRETE_STRENGTH)),
  };
  classShadeCache.set(k, table);
  return table;
}

/**
 * Softmax outputs of k classes (maps one after another from offset): each
 * cell takes the colour of its most probable class, faded towards paper as
 * that probability approaches chance (1/k); discretized, at full strength.
 */
export function paintClasses(canvas, values, offset, res, k, discretize) {
  const { shades, solid } = classShades(k);
  const s = scratch(res);
  const { pixels } = s;
  const cells = res * res;
  const chance = 1 / k;
  const scale = 255 / (1 - chance);
  for (let i = 0; i < cells; i++) {
    let best = 0;
    let p = values[offset + i];
    for (let c = 1; c < k; c++) {
      const q = values[offset + c * cells + i];
      if (q > p) { p = q; best = c; }
    }
    if (discretize) {
      pixels[i] = solid[best];
    } else {
      const level = ((p - chance) * scale + 0.5) | 0;
      pixels[i] = shades[best][level < 0 ? 0 : level > 255 ? 255 : level];
    }
  }
  present(canvas, s);
}
