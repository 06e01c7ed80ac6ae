// A dataset from a formula: class 1 where y > f(x). jsep parses the formula
// (and says where a syntax error is); the tree is then evaluated here over a
// closed set — numbers, x, pi and e, + − × ÷ ^, and the functions in FUNCTIONS —
// so a formula can reach nothing else: no eval, no Function, no properties.
import jsep from 'jsep';
import { DataError, dealSplit, onGrid, random, SPAN } from './owndata.js';

export const MAX_FORMULA = 200;
export const SAMPLE_RANGE = { min: 10, max: 2000 };

const FUNCTIONS = {
  sin: Math.sin, cos: Math.cos, tan: Math.tan, asin: Math.asin, acos: Math.acos, atan: Math.atan,
  sinh: Math.sinh, cosh: Math.cosh, tanh: Math.tanh, exp: Math.exp, log: Math.log, ln: Math.log,
  log10: Math.log10, log2: Math.log2, sqrt: Math.sqrt, cbrt: Math.cbrt, abs: Math.abs, sign: Math.sign,
  floor: Math.floor, ceil: Math.ceil, round: Math.round, min: Math.min, max: Math.max,
};
const CONSTANTS = { pi: Math.PI, e: Math.E };
const BINARY = {
  '+': (a, b) => a + b, '-': (a, b) => a - b, '*': (a, b) => a * b, '/': (a, b) => a / b, '^': (a, b) => a ** b,
};
const ALLOWED = /[0-9A-Za-z_.\s+\-*/^(),]/;

// jsep's operators cut down to arithmetic, with ^ as power (right-associative, above × and ÷).
jsep.removeAllBinaryOps();
jsep.removeAllUnaryOps();
jsep.removeAllLiterals();
for (const [op, precedence] of [['+', 9], ['-', 9], ['*', 10], ['/', 10]]) jsep.addBinaryOp(op, precedence);
jsep.addBinaryOp('^', 11, true);
jsep.addUnaryOp('-');
jsep.addUnaryOp('+');
// A group keeps a mark, so that −x^2 reads as −(x^2) while (−x)^2 stays as written.
jsep.hooks.add('gobble-token', function group(env) {
  if (this.code !== 40) return;  // '('
  const node = this.gobbleGroup();
  env.node = node && { ...node, grouped: true };
});

/** Why a formula is refused: `key` (formula.*) and `at`, the 1-based character of the problem. */
const refuse = (key, index, params = {}) => new DataError(key, { ...params, at: index + 1 });

/** jsep's complaint as one of ours (its text is English only), at its position. */
function syntaxError(err) {
  const at = Number.isInteger(err.index) ? err.index : 0;
  const said = String(err.description ?? '');
  const after = said.match(/^Expected expression after (.+)$/);
  if (after) return refuse('formula.after', at, { what: after[1] });
  const expected = said.match(/^Expected (\S+)$/);
  if (expected) return refuse('formula.expected', at, { what: expected[1] });
  if (/cannot start with a number/.test(said)) return refuse('formula.number', at);
  return refuse('formula.syntax', at);
}

/** Where name first stands as a word of its own in text (for an unknown name's position). */
function positionOf(text, name) {
  const re = /(?<![\w.$])[A-Za-z_$][\w$]*/g;
  for (const m of text.matchAll(re)) if (m[0] === name) return m.index;
  return 0;
}

function build(node, text) {
  switch (node.type) {
    case 'Literal':
      if (typeof node.value !== 'number') throw refuse('formula.unexpected', 0, { what: String(node.raw) });  // not reached: quotes are refused first
      return () => node.value;
    case 'Identifier': {
      const name = node.name.toLowerCase();
      if (name === 'x') return (x) => x;
      if (Object.hasOwn(CONSTANTS, name)) return () => CONSTANTS[name];
      if (Object.hasOwn(FUNCTIONS, name)) throw refuse('formula.needsArgument', positionOf(text, node.name), { name: node.name });
      throw refuse('formula.unknownName', positionOf(text, node.name), { name: node.name });
    }
    case 'UnaryExpression': {
      const argument = build(node.argument, text);
      return node.operator === '-' ? (x) => -argument(x) : argument;
    }
    case 'BinaryExpression': {
      // jsep binds a sign to the token after it; mathematics binds ^ first: −x^2 = −(x^2).
      if (node.operator === '^' && node.left.type === 'UnaryExpression' && !node.left.grouped) {
        return build({ ...node.left, argument: { ...node, left: node.left.argument } }, text);
      }
      const left = build(node.left, text);
      const right = build(node.right, text);
      const op = BINARY[node.operator];
      return (x) => op(left(x), right(x));
    }
    case 'CallExpression': {
      const name = node.callee.type === 'Identifier' ? node.callee.name.toLowerCase() : '';
      if (!Object.hasOwn(FUNCTIONS, name)) {
        throw refuse('formula.unknownFunction', positionOf(text, node.callee.name ?? ''), { name: node.callee.name ?? '' });
      }
      const fn = FUNCTIONS[name];
      const args = node.arguments.map((a) => build(a, text));
      const arity = ['min', 'max'].includes(name) ? args.length >= 1 : args.length === 1;
      if (!arity) throw refuse('formula.arguments', positionOf(text, node.callee.name), { name: node.callee.name });
      return (x) => fn(...args.map((a) => a(x)));
    }
    default: {
      // a.b, (x)(2): point at what follows the name or the group
      const at = text.search(/(?<=[\w$)]\s*)[.(]/);
      throw refuse('formula.unexpected', Math.max(0, at), { what: text[at] ?? '' });
    }
  }
}

/**
 * f(x) from a formula such as `sin(x)`, `x^3 - x` or `abs(x)`.
 * @throws {DataError} formula.* with `at`, the 1-based character where the problem is
 */
export function compile(text) {
  const source = String(text);
  if (source.trim() === '') throw refuse('formula.empty', 0);
  if (source.length > MAX_FORMULA) throw refuse('formula.tooLong', MAX_FORMULA, { max: MAX_FORMULA });
  for (let i = 0; i < source.length; i++) {
    if (!ALLOWED.test(source[i])) throw refuse('formula.character', i, { what: source[i] });
  }
  let tree;
  try {
    tree = jsep(source);
  } catch (err) {
    throw syntaxError(err);
  }
  if (tree.type === 'Compound') {
    // Two expressions side by side: "2 x", "sin x", "x, 1".
    const comma = source.indexOf(',');
    throw refuse('formula.operator', comma >= 0 ? comma : source.trimEnd().lastIndexOf(' ') + 1);
  }
  return build(tree, source);
}

/** A standard normal number from two uniform ones (Box–Muller). */
function gaussian(next) {
  const u = 1 - next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
}

/**
 * The dataset of a recipe { text, from, to, samples, noise (0 … 50 %), seed, ratio }: x uniform
 * on [from, to], y uniform over f's range there (sampled on 400 points, widened by a tenth on
 * each side); class 1 where y + noise > f(x), noise ~ N(0, (noise / 100 × height / 4)²). Both
 * axes are scaled min–max into −5 … 5 and keep their units.
 * @throws {DataError} formula.* or data.* when the recipe cannot make data
 */
export function generate(recipe) {
  const { text, from, to, samples, noise, seed, ratio } = recipe;
  const f = compile(text);
  if (!(from < to)) throw new DataError('formula.range');
  if (!Number.isInteger(samples) || samples < SAMPLE_RANGE.min || samples > SAMPLE_RANGE.max) {
    throw new DataError('formula.samples', SAMPLE_RANGE);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i <= 400; i++) {
    const v = f(from + ((to - from) * i) / 400);
    if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  }
  if (!(lo <= hi)) throw new DataError('formula.nowhere', { from, to });
  const pad = hi > lo ? (hi - lo) / 10 : 1;
  [lo, hi] = [lo - pad, hi + pad];
  const next = random(seed);
  const sd = ((noise / 100) * (hi - lo)) / 4;
  const points = [];
  const labels = [];
  for (let tries = 0; labels.length < samples && tries < samples * 20; tries++) {
    const x = from + (to - from) * next();
    const y = lo + (hi - lo) * next();
    const fx = f(x);
    const jitter = sd > 0 ? sd * gaussian(next) : 0;
    if (!Number.isFinite(fx)) continue;  // outside f's domain (sqrt, log): draw again
    points.push(onGrid(-SPAN + (2 * SPAN * (x - from)) / (to - from)), onGrid(-SPAN + (2 * SPAN * (y - lo)) / (hi - lo)));
    labels.push(y + jitter > fx ? 1 : 0);
  }
  if (labels.length < samples) throw new DataError('formula.nowhere', { from, to });
  if (!labels.includes(0) || !labels.includes(1)) throw new DataError('data.oneClass');
  const scale = (name, a, b) => ({ name, a: (2 * SPAN) / (b - a), b: -SPAN - (2 * SPAN * a) / (b - a) });
  return {
    source: 'formula', name: text, classes: 2,
    classNames: [`y ≤ ${text}`, `y > ${text}`],
    points, labels, test: dealSplit(samples, ratio, seed),
    axes: { x: scale('x', from, to), y: scale('y', lo, hi) },
    value: null,
    recipe: { text, from, to, samples, noise, seed, ratio },
  };
}
