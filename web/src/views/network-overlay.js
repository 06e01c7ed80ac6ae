// Frame mode's drawing over the network diagram: what NetworkView leaves to
// the chain rule. It draws what it is given, on the diagram's own geometry:
// - marks on each neuron: its value, and during backward a dot for the upstream ∂ℓ/∂a (right,
//   where the gradient arrives), a bar for the local f′(z) (beneath) and a dot for the downstream
//   ∂ℓ/∂z (left, where it leaves); colour = sign, size = magnitude;
// - numbers beside neurons and on links (e.g. upstream × local = downstream, ∂ℓ/∂w, Δw), each
//   placed where it overlaps no other number, no neuron and no heading, or left out (its value
//   stays in the tooltip and the neuron's description);
// - moving dashes along the links a phase works on, the selected link, and chain-rule paths from a
//   weight to the loss, each path in its own colour and dash (the course's blue and orange first).
import { diverging, Ramp } from '../colors.js';
import { h, svg } from '../dom.js';

const clamp = (x, lo, hi) => Math.max(lo, Math.min(hi, x));
/** Magnitude relative to scale, square-rooted so that small values stay visible: 0 … 1. */
export const relative = (value, scale) => (scale > 0 ? Math.sqrt(Math.min(1, Math.abs(value) / scale)) : 0);
export const signedColor = (value, scale) => Ramp.index(Math.sign(value) * relative(value, scale), -1, 1);

/** Paths' colours and dashes: the course's blue and orange first, then the rest of Okabe–Ito's. */
export const PATH_STYLES = [
  { color: '#0072b2', dash: '' },
  { color: '#e69f00', dash: '' },
  { color: '#009e73', dash: '6 3' },
  { color: '#cc79a7', dash: '2 3' },
  { color: '#56b4e9', dash: '8 3 2 3' },
  { color: '#d55e00', dash: '4 4' },
  { color: '#1d232a', dash: '1 3' },
];
export const pathStyle = (k) => PATH_STYLES[k % PATH_STYLES.length];

// Where a link's number may sit, as fractions along the link from its source; nearer the target first.
const LINK_SPOTS = [0.7, 0.58, 0.82, 0.46, 0.36, 0.26, 0.9, 0.16];
const GAP = 2;  // pixels kept clear around every number

const overlaps = (a, b) => a.x < b.x + b.w + GAP && b.x < a.x + a.w + GAP && a.y < b.y + b.h + GAP && b.y < a.y + a.h + GAP;

/** The point at fraction s along a link drawn as the diagram draws it (a cubic with flat ends). */
function linkPoint(link, s) {
  const mid = (link.x0 + link.x1) / 2;
  const u = 1 - s;
  const b0 = u * u * u, b1 = 3 * u * u * s, b2 = 3 * u * s * s, b3 = s * s * s;
  return { x: b0 * link.x0 + (b1 + b2) * mid + b3 * link.x1, y: (b0 + b1) * link.y0 + (b2 + b3) * link.y1 };
}

export class FrameOverlay {
  #geometry;
  #marks = null;        // per column, per unit
  #scale = 0;
  #numbers = [];        // label specs
  #numberLayer;
  #markLayer;
  #flow = null;
  #selection = null;
  #paths = null;
  #overlayKey = '';
  #laidOut = 0;  // counts layouts: a new layout draws the overlay anew

  /** geometry(): the diagram's current { stage, group, size, width, height, columns, links, heads }. */
  constructor(geometry) {
    this.#geometry = geometry;
    this.#numberLayer = h('div', { class: 'net-numbers' });
    this.#markLayer = h('div', { class: 'net-marks', 'aria-hidden': 'true' });
  }

  /** The diagram was rebuilt: nothing of the old structure is drawn any more. */
  reset() {
    this.#overlayKey = '';
    this.#marks = null;
    this.#numbers = [];
    this.#flow = null;
    this.#selection = null;
    this.#paths = null;
    this.#numberLayer.replaceChildren();
    this.#markLayer.replaceChildren();
  }

  /** The diagram was laid out again (a new size): everything is placed anew. */
  relayout() {
    this.#laidOut += 1;
    const g = this.#geometry();
    if (this.#numberLayer.parentNode !== g.stage) g.stage.append(this.#markLayer, this.#numberLayer);
    this.#drawMarks();
    this.#placeNumbers();
    this.#drawOverlay();
  }

  /** A neuron's hover text, from its mark. */
  tip(column, unit) {
    return this.#marks?.[column]?.[unit]?.tip ?? null;
  }

  /**
   * marks: null, or per column (0 = inputs, in the order of the active features) per unit
   * { pending, active, labelled, value (text or null), upstream, local, downstream (numbers or
   * null), tip }; scale: the gradient magnitude drawn as the largest dot.
   */
  setMarks(marks, scale) {
    this.#marks = marks;
    this.#scale = scale;
    this.#drawMarks();
  }

  /**
   * numbers: [{ kind: 'neuron', column, unit } | { kind: 'link', layer, to, from }, each with
   * lines: [{ text, value }] (value's sign picks the colour), speech (what a screen reader says),
   * values (the exact numbers, kept in data-values)]; the order is the priority of placement.
   */
  setNumbers(numbers) {
    this.#numbers = numbers ?? [];
    this.#placeNumbers();
  }

  /**
   * - flow: null, or { layer, direction: 'forward' | 'backward' }: dashes move along that weight layer's links;
   * - selection: null, { kind: 'neuron', column, unit } or { kind: 'weight', layer, to, from };
   * - paths: null, or { layer, from, list: [{ units: [j, k, …, o], product }] }: each path from
   *   weight W_layer[j][from] to the loss, in its own colour and dash, width by |product|.
   */
  setOverlay({ flow = null, selection = null, paths = null } = {}) {
    this.#flow = flow;
    this.#selection = selection;
    this.#paths = paths;
    this.#drawOverlay();
  }

  /** Emphasises path k of the list (k = null: none). */
  highlightPath(k) {
    const { stage, group } = this.#geometry();
    for (const el of group.querySelectorAll('.net-path')) el.classList.toggle('is-hot', Number(el.dataset.k) === k);
    stage.classList.toggle('has-hot-path', k !== null);
  }

  // ---- marks ---------------------------------------------------------------------------------

  #drawMarks() {
    const { columns, size } = this.#geometry();
    columns.forEach((column, c) => column.forEach((node) => {
      const mark = this.#marks?.[c]?.[node.unit ?? node.row] ?? null;
      this.#markNode(node, mark, size);
    }));
  }

  // Writes only what changed since the last step: most neurons look the same from one phase to the next.
  #markNode(node, mark, size) {
    const el = node.el;
    const tip = mark?.tip ?? null;
    if (node.tip !== tip) {
      if (tip) el.setAttribute('aria-description', tip);
      else el.removeAttribute('aria-description');
      node.tip = tip;
    }
    const look = `${!!mark?.pending}${!!mark?.active}`;
    if (node.look !== look) {
      el.classList.toggle('is-pending', !!mark?.pending);
      el.classList.toggle('is-active', !!mark?.active);
      node.look = look;
    }
    if (!mark) {
      node.marks?.root.remove();
      node.marks = null;
      return;
    }
    if (!node.marks) {
      // Beside the neuron's element, not in it: its accessible name stays its own (the numbers
      // are in its description).
      const value = h('span', { class: 'net-mark-value' });
      const upstream = h('span', { class: 'net-mark-dot net-mark-up' });
      const downstream = h('span', { class: 'net-mark-dot net-mark-down' });
      const local = h('span', { class: 'net-mark-local' }, h('span', { class: 'net-mark-local-fill' }));
      const root = h('span', { class: 'net-mark', 'aria-hidden': 'true' }, value, upstream, local, downstream);
      this.#markLayer.append(root);
      node.marks = { root, value, upstream, downstream, local };
    }
    const m = node.marks;
    const at = `${node.x - size / 2}px,${node.y - size / 2}px,${size}px`;
    if (m.at !== at) {
      Object.assign(m.root.style, { left: `${node.x - size / 2}px`, top: `${node.y - size / 2}px`, width: `${size}px`, height: `${size}px` });
      m.at = at;
    }
    // A neuron with its numbers beside it needs no dots and no value on its picture.
    const labelled = !!mark.labelled;
    const text = labelled || mark.value === null || mark.value === undefined || size < 30 ? null : mark.value;
    if (m.text !== text) {
      m.value.hidden = text === null;
      m.value.textContent = text ?? '';
      m.text = text;
    }
    this.#dot(m, 'upstream', labelled ? null : mark.upstream, size);
    this.#dot(m, 'downstream', labelled ? null : mark.downstream, size);
    const width = mark.local === null || mark.local === undefined ? null : `${Math.round(100 * clamp(Math.abs(mark.local), 0, 1))}%`;
    if (m.localWidth !== width) {
      m.local.hidden = width === null;
      if (width !== null) m.local.firstChild.style.width = width;
      m.localWidth = width;
    }
  }

  #dot(marks, which, value, size) {
    const el = marks[which];
    const shown = value !== null && value !== undefined;
    const d = shown ? `${Math.round(5 + (size < 30 ? 7 : 11) * relative(value, this.#scale))}px` : '';
    const background = shown ? diverging.css[signedColor(value, this.#scale)] : '';
    const look = `${d}|${background}`;
    if (marks[`${which}Look`] === look) return;
    marks[`${which}Look`] = look;
    el.hidden = !shown;
    if (shown) Object.assign(el.style, { width: d, height: d, background });
  }

  // ---- numbers -------------------------------------------------------------------------------

  #placeNumbers() {
    const g = this.#geometry();
    const layer = this.#numberLayer;
    if (!g.columns.length) return;
    const els = this.#numbers.map((spec) => this.#numberElement(spec));
    layer.replaceChildren(...els);
    if (els.length === 0) return;
    // Read every size in one layout, then place: what is taken grows as numbers are placed. A
    // neuron's lines may also stand in one row (below or above it, where rows leave room).
    const sizes = els.map((el) => {
      const lines = [...el.querySelectorAll('.net-num-line')];
      const row = lines.reduce((sum, line) => sum + line.offsetWidth, 0) + 4 * (lines.length - 1) + (el.offsetWidth - el.clientWidth) + 6;
      return { w: el.offsetWidth, h: el.offsetHeight, row: { w: row, h: lines[0]?.offsetHeight ?? el.offsetHeight } };
    });
    const taken = this.#obstacles(g);
    const bounds = { w: g.width, h: g.height };
    this.#numbers.forEach((spec, k) => {
      const spot = this.#candidates(spec, g, sizes[k]).find((r) => r.x >= 0 && r.y >= 0 && r.x + r.w <= bounds.w && r.y + r.h <= bounds.h
        && !taken.some((o) => overlaps(r, o)));
      const el = els[k];
      el.classList.toggle('is-row', !!spot?.row);
      if (!spot) {
        el.hidden = true;
        el.dataset.unplaced = 'true';
        return;
      }
      taken.push(spot);
      el.style.left = `${Math.round(spot.x)}px`;
      el.style.top = `${Math.round(spot.y)}px`;
    });
  }

  #numberElement(spec) {
    const lines = spec.lines.map((line) => h('span', {
      class: `net-num-line ${line.value < 0 ? 'is-negative' : line.value > 0 ? 'is-positive' : ''}`, 'aria-hidden': 'true',
    }, line.text));
    const where = spec.kind === 'neuron'
      ? { kind: 'neuron', column: spec.column, unit: spec.unit }
      : { kind: 'link', layer: spec.layer, to: spec.to, from: spec.from };
    return h('div', { class: `net-num is-${spec.kind}`, dataset: { ...where, quantity: spec.quantity ?? 'neuron', values: JSON.stringify(spec.values) } },
      h('span', { class: 'visually-hidden', text: spec.speech }), ...lines);
  }

  // Neurons' pictures (with their bias squares, local bars and gradient dots) and the headings.
  #obstacles(g) {
    const s = g.size;
    const bias = Math.max(6, Math.round(s * 0.22)) + 3;
    const rects = [];
    g.columns.forEach((column) => column.forEach((node) => {
      if (node.x === undefined || node.el.hidden) return;
      const dots = node.marks && (!node.marks.upstream.hidden || !node.marks.downstream.hidden) ? 20 : 0;
      rects.push({ x: node.x - s / 2 - Math.max(bias, dots), y: node.y - s / 2, w: s + Math.max(bias, dots) + dots, h: s + 7 });
    }));
    for (const el of g.heads) {
      if (!el.offsetWidth) continue;
      rects.push({ x: el.offsetLeft, y: el.offsetTop, w: el.offsetWidth, h: el.offsetHeight });
    }
    return rects;
  }

  #candidates(spec, g, { w, h: hgt, row }) {
    if (spec.kind === 'link') {
      const link = g.links[spec.layer]?.find((x) => x.to === spec.to && x.from === spec.from);
      if (!link) return [];
      // On the link, else just above or below it (still touching it), nearer the target first;
      // last, clear of the neurons' rows above or below it (a flat link between two neurons of
      // one row has no room beside it on a phone).
      const spots = [];
      for (const dy of [-hgt / 2, -hgt - 1, 1, -g.size / 2 - hgt - 3, g.size / 2 + 9]) {
        for (const s of LINK_SPOTS) {
          const p = linkPoint(link, s);
          spots.push({ x: p.x - w / 2, y: p.y + dy, w, h: hgt });
        }
      }
      return spots;
    }
    const node = g.columns[spec.column]?.[spec.unit];
    if (!node) return [];
    const half = g.size / 2;
    const right = node.x + half + 4;
    const spots = [
      [right, node.y - hgt / 2],
      [right, node.y - half],
      [right, node.y + half - hgt],
      [node.x - w / 2, node.y + half + 8],
      [node.x - w / 2, node.y - half - hgt - 3],
      [right, node.y + half + 8],
      [right, node.y - half - hgt - 3],
    ].map(([x, y]) => ({ x, y, w, h: hgt }));
    // In one row under the neuron (or above it), centred, else shifted left to stay on the stage.
    const under = node.y + half + 9;
    const over = node.y - half - row.h - 3;
    for (const y of [under, over]) {
      const x = clamp(node.x - row.w / 2, 0, g.width - row.w);
      spots.push({ x, y, w: row.w, h: row.h, row: true });
    }
    return spots;
  }

  // ---- flow, selection and paths --------------------------------------------------------------

  // Each part is drawn again only when it changed: the flow (one dashed path over the layer's
  // links, animated as one), the paths, and the selection.
  #drawOverlay() {
    const { stage, group, links, columns } = this.#geometry();
    const d = (l, to, from) => links[l]?.find((link) => link.to === to && link.from === from)?.d ?? '';
    const flow = this.#flow && links[this.#flow.layer] ? this.#flow : null;
    const paths = this.#paths;
    const sel = this.#selection;
    const key = JSON.stringify([flow, paths && [paths.layer, paths.from, paths.list.map((p) => [p.units, p.product])], sel, this.#laidOut]);
    if (key === this.#overlayKey) return;
    this.#overlayKey = key;
    const parts = [];
    if (flow) parts.push(svg('path', { class: `net-flow is-${flow.direction}`, d: links[flow.layer].map((link) => link.d).join('') }));
    stage.classList.toggle('has-paths', !!paths?.list.length);
    if (paths) {
      const widest = Math.max(...paths.list.map((p) => Math.abs(p.product)), 0);
      paths.list.forEach((path, k) => {
        let line = d(paths.layer, path.units[0], paths.from);
        for (let m = 1; m < path.units.length; m++) line += d(paths.layer + m, path.units[m], path.units[m - 1]);
        const style = pathStyle(k);
        parts.push(svg('path', {
          class: 'net-path', d: line, 'data-k': k, stroke: style.color, 'stroke-dasharray': style.dash || 'none',
          'stroke-width': (2.5 + 4.5 * relative(path.product, widest)).toFixed(1),
        }));
      });
    }
    for (const column of columns) for (const node of column) if (node.selected) { node.el.classList.remove('is-selected'); node.selected = false; }
    const picked = sel?.kind === 'neuron' ? columns[sel.column]?.[sel.unit] : null;
    if (picked) { picked.el.classList.add('is-selected'); picked.selected = true; }
    if (sel?.kind === 'weight') parts.push(svg('path', { class: 'net-selected-link', d: d(sel.layer, sel.to, sel.from) }));
    group.replaceChildren(...parts);
  }

}
