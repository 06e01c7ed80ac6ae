// Palettes, chosen on purpose:
// - a diverging orange ↔ blue ramp (TensorFlow Playground's) for weights,
//   biases, binary outputs and regression values: negative / class 0 is
//   orange, positive / class 1 is blue. Orange and blue stay apart for every
//   common colour-vision deficiency.
// - Okabe–Ito colours for 3–5 classes (designed to stay distinguishable for
//   colour-blind eyes), and a marker shape per class as a second cue.
// Ramps are 256-entry lookup tables: packed RGBA for ImageData, CSS for SVG.

export const ORANGE = '#f59322';
export const BLUE = '#0877bd';
export const NEUTRAL = '#e8eaeb';
const PAPER = '#f5f6f7';

export const CLASS_COLORS = ['#e69f00', '#0072b2', '#009e73', '#cc79a7', '#d55e00'];
export const CLASS_SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross'];

const LEVELS = 256;
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function rgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function pack([r, g, b], a = 255) {
  return littleEndian ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}

/** A ramp through evenly spaced colour stops. */
export class Ramp {
  #stops;
  #soft = null;

  constructor(stops) {
    this.#stops = stops;
    const colors = stops.map(rgb);
    this.packed = new Uint32Array(LEVELS);
    this.css = new Array(LEVELS);
    this.rgb = new Array(LEVELS);
    for (let i = 0; i < LEVELS; i++) {
      const pos = (i / (LEVELS - 1)) * (colors.length - 1);
      const k = Math.min(colors.length - 2, Math.floor(pos));
      const f = pos - k;
      const c = colors[k].map((v, ch) => Math.round(v + (colors[k + 1][ch] - v) * f));
      this.rgb[i] = c;
      this.packed[i] = pack(c);
      this.css[i] = `rgb(${c[0]},${c[1]},${c[2]})`;
    }
  }

  /** The table index of value on the domain [lo, hi] (clamped). */
  static index(value, lo, hi) {
    if (!(value === value)) return LEVELS >> 1;  // NaN: the middle
    const i = Math.round(((value - lo) / (hi - lo)) * (LEVELS - 1));
    return i < 0 ? 0 : i > LEVELS - 1 ? LEVELS - 1 : i;
  }

  cssAt(value, lo, hi) {
    return this.css[Ramp.index(value, lo, hi)];
  }

  /** The same ramp faded halfway to paper: a background that data points stand out on. */
  get soft() {
    this.#soft ??= new Ramp(this.#stops.map((stop) => mix(stop, PAPER, 0.45)));
    return this.#soft;
  }
}

function mix(a, b, f) {
  const x = rgb(a), y = rgb(b);
  return `#${x.map((v, k) => Math.round(v + (y[k] - v) * f).toString(16).padStart(2, '0')).join('')}`;
}

export const diverging = new Ramp([ORANGE, NEUTRAL, BLUE]);

/** The colours of k classes: the playground's orange and blue for two, Okabe–Ito for more. */
export const classColors = (k) => (k === 2 ? [ORANGE, BLUE] : CLASS_COLORS.slice(0, k));
export const classRgb = (k) => classColors(k).map(rgb);
export const paperRgb = rgb(PAPER);
const classRamps = new Map();
/** Paper to the class colour: a softmax unit's probability of its class. */
function classRamp(k, unit) {
  const color = classColors(k)[unit];
  if (!classRamps.has(color)) classRamps.set(color, new Ramp([PAPER, color]));
  return classRamps.get(color);
}
export { pack };

/**
 * How a neuron's map is coloured: sigmoid and softmax outputs on [0, 1]
 * (softmax in its class's colour), everything else on tanh's [-1, 1], which
 * clips ReLU, ELU and linear units as TensorFlow Playground does.
 */
export function neuronScale(activation, unit = 0, units = 1) {
  if (activation === 'sigmoid') return { ramp: diverging, lo: 0, hi: 1 };
  if (activation === 'softmax') return { ramp: classRamp(units, unit), lo: 0, hi: 1, softmax: true };
  return { ramp: diverging, lo: -1, hi: 1 };
}

// Half-widths of the input features' colour ranges on the [-6, 6]² plane.
const FEATURE_RANGE = { x1: 6, x2: 6, x1sq: 36, x2sq: 36, x1x2: 18, sinx1: 1, sinx2: 1 };

export function featureScale(name) {
  const r = FEATURE_RANGE[name] ?? 1;
  return { ramp: diverging, lo: -r, hi: r };
}
