// Formulas typeset offline with Temml, which writes TeX as MathML (Chromium,
// Firefox and Safari render MathML Core natively, so no fonts or style sheet
// are bundled), and the numbers in them written one way everywhere.
//
// Temml is a fifth of the page's script and only frame mode and two panels
// typeset: it loads the first time a formula is asked for (prepareTypesetting()
// starts it early). Until then a formula shows its TeX source as text, and is
// typeset in place as soon as Temml is there.
import { superscript } from '../i18n/index.js';

let temml = null;
let loading = null;
const waiting = [];  // [el, tex] asked for before Temml was there

/** Starts loading Temml (a no-op once it is loading or loaded); resolves when it is there. */
export function prepareTypesetting() {
  loading ??= import('temml').then((module) => {
    temml = module.default;
    for (const [el, tex] of waiting.splice(0)) if (el.isConnected && el.dataset.tex === tex) render(el, tex);
  });
  return loading;
}

function render(el, tex) {
  // A prime written f' becomes a superscript that Chromium's MathML sets apart from its letter;
  // as an operator beside the letter ({\prime}) it stays attached, in every browser.
  temml.render(tex.replace(/([A-Za-z}])'/g, '$1{\\prime}'), el, { displayMode: false, throwOnError: false });
  delete el.dataset.tex;
}

/**
 * Renders TeX into el, in text style (sums take their limits at the side, which lays out well
 * even without a math font); a TeX error shows as red source text instead of throwing.
 */
export function typeset(el, tex) {
  if (temml) {
    render(el, tex);
    return el;
  }
  el.textContent = tex;
  el.dataset.tex = tex;
  waiting.push([el, tex]);
  prepareTypesetting();
  return el;
}

/** A number as the inspector shows it: 4 significant digits, powers of ten outside 0.001 … 99 999. */
export function numText(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e5 || abs < 1e-3) {
    const [mantissa, exponent] = x.toExponential(2).split('e');
    return `${mantissa.replace('-', '−')}×10${superscript(Number(exponent))}`;
  }
  return String(Number(x.toPrecision(4))).replace('-', '−');
}

/** The same number in TeX. */
export function num(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return '\\text{–}';
  if (!Number.isFinite(x)) return x > 0 ? '\\infty' : '-\\infty';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e5 || abs < 1e-3) {
    const [mantissa, exponent] = x.toExponential(2).split('e');
    return `${mantissa}\\times10^{${Number(exponent)}}`;
  }
  return String(Number(x.toPrecision(4)));
}

/** A factor in a product: negative numbers in parentheses. */
export function factor(x) {
  return x < 0 || (typeof x === 'number' && Math.abs(x) >= 1e5) || (Math.abs(x) < 1e-3 && x !== 0) ? `\\left(${num(x)}\\right)` : num(x);
}

/**
 * A number as the diagram writes it beside a neuron or on a link: three significant digits,
 * powers of ten (1.23e−5) outside 0.001 … 9 999, a real minus sign.
 */
export function shortNum(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  const text = abs >= 1e4 || abs < 1e-3 ? x.toExponential(2).replace('e+', 'e') : String(Number(x.toPrecision(3)));
  return text.replace(/-/g, '−');
}
