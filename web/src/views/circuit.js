// The selected neuron as a small computational graph, the course's picture of
// the chain rule: each input a_i times its weight w_ji, the products summed
// with the bias into z, z through f into a, a on to the loss. Above each wire
// its value from the forward pass, below it the gradient the backward pass
// sent along it: at f, Upstream (∂ℓ/∂a) × Local (f′(z)) = Downstream (∂ℓ/∂z),
// and every wire's gradient is the product of the gradients after it.
// It draws what it is given (the inspector's neuron model); the one product it
// writes, w·∂ℓ/∂z on an input's wire, is the term that input's upstream sum
// collects from this neuron.
import { svg } from '../dom.js';
import { shortNum } from '../stepper/tex.js';

const ROW = 38;
const TOP = 22;
const X = { label: 4, wire0: 38, gate: 130, gateHalf: 29, sum: 258, f: 356, loss: 466, width: 480 };

function text(x, y, content, cls = '', anchor = 'middle') {
  const el = svg('text', { x, y, class: cls, 'text-anchor': anchor });
  el.textContent = content;
  return el;
}

const signClass = (v) => (v < 0 ? 'is-negative' : v > 0 ? 'is-positive' : '');

/** A value above a wire from x0 to x1 at height y, and (when known) its gradient below it. */
function labelWire(parts, x0, x1, y, value, gradient) {
  const mid = (x0 + x1) / 2;
  parts.push(text(mid, y - 5, shortNum(value), 'cx-value'));
  if (gradient !== undefined && gradient !== null) parts.push(text(mid, y + 14, shortNum(gradient), `cx-grad ${signClass(gradient)}`));
}

/**
 * n: the inspector's neuron model ({ name, inputs: [{ name, a, w }], bias, z, a, activation,
 * output, backwardDone, upstream, local, downstream, loss }); names: { f } the activation's short
 * name. Returns an <svg> that scales to its column.
 */
export function circuit(n, { f, label }) {
  const m = n.inputs.length;
  const height = TOP + Math.max(m, 2) * ROW + 34;
  const back = n.backwardDone;
  const mid = TOP + (Math.max(m, 2) * ROW) / 2 - ROW / 2 + 6;
  const parts = [];
  n.inputs.forEach((input, i) => {
    const y = TOP + i * ROW + 12;
    parts.push(text(X.label, y + 4, input.name, 'cx-name', 'start'));
    parts.push(svg('line', { x1: X.wire0, y1: y, x2: X.gate - X.gateHalf, y2: y, class: 'cx-wire' }));
    // What reaches a_i through this neuron: w_ji · ∂ℓ/∂z_j (one term of a_i's upstream sum).
    labelWire(parts, X.wire0, X.gate - X.gateHalf, y, input.a, back ? input.w * n.downstream : null);
    parts.push(svg('rect', { x: X.gate - X.gateHalf, y: y - 10, width: 2 * X.gateHalf, height: 20, rx: 4, class: 'cx-gate' }));
    parts.push(text(X.gate, y + 4, `×${shortNum(input.w)}`, 'cx-gate-text'));
    if (back) parts.push(text(X.gate, y + 24, `∂w ${shortNum(input.grad)}`, `cx-grad cx-small ${signClass(input.grad)}`));
    // The product goes on to the sum: flat, then down (or up) into Σ.
    const x2 = X.gate + X.gateHalf + 42;
    parts.push(svg('path', { d: `M${X.gate + X.gateHalf} ${y}H${x2}L${X.sum - 14} ${mid}`, class: 'cx-wire', fill: 'none' }));
    labelWire(parts, X.gate + X.gateHalf, x2, y, input.w * input.a, back ? n.downstream : null);
  });
  // The bias enters the sum from below.
  const by = mid + 46;
  parts.push(svg('line', { x1: X.sum, y1: by, x2: X.sum, y2: mid + 14, class: 'cx-wire' }));
  parts.push(text(X.sum, by + 12, `b ${shortNum(n.bias)}`, 'cx-value'));
  if (back) parts.push(text(X.sum, by + 25, shortNum(n.downstream), `cx-grad ${signClass(n.downstream)}`));
  parts.push(svg('circle', { cx: X.sum, cy: mid, r: 14, class: 'cx-gate' }));
  parts.push(text(X.sum, mid + 5, 'Σ', 'cx-gate-text'));
  // z = Σ + b, through f into a.
  parts.push(svg('line', { x1: X.sum + 14, y1: mid, x2: X.f - 22, y2: mid, class: 'cx-wire' }));
  parts.push(text(X.sum + 24, mid - 17, 'z', 'cx-name'));
  labelWire(parts, X.sum + 14, X.f - 22, mid, n.z, back ? n.downstream : null);
  parts.push(svg('rect', { x: X.f - 22, y: mid - 12, width: 44, height: 24, rx: 4, class: 'cx-gate cx-f' }));
  parts.push(text(X.f, mid + 4, f, 'cx-gate-text'));
  if (back) parts.push(text(X.f, mid + 28, `×${shortNum(n.local)}`, `cx-grad cx-local ${signClass(n.local)}`));
  parts.push(svg('line', { x1: X.f + 22, y1: mid, x2: X.loss - 16, y2: mid, class: 'cx-wire' }));
  parts.push(text(X.f + 32, mid - 17, 'a', 'cx-name'));
  labelWire(parts, X.f + 22, X.loss - 16, mid, n.a, back ? n.upstream : null);
  parts.push(text(X.loss, mid + 5, 'ℓ', 'cx-loss'));
  const root = svg('svg', {
    class: 'cx', viewBox: `0 0 ${X.width} ${height}`, role: 'img', 'aria-label': label,
    'data-downstream': back ? String(n.downstream) : '',
  });
  root.append(...parts);
  return root;
}
