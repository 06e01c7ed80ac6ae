// Frame-by-frame mode: the mode switch, the step controls, the phase caption
// and timeline, and, after every step, the chain-rule drawing: marks and
// numbers on the network, the paths of a selected weight, and the inspector.
// It draws the frame the controller read (stepper/frame-model.js) and never
// calls the engine; the learner's choices go back as settings (update) or as
// the selection (controller.select).
//
// The sample followed is the engine's probe (trainer.setProbe, carried through
// every phase beside the batch): the learner's pick (a click on a training
// point, or Random), else the first sample of the current batch, which the
// controller keeps as the probe. With batch size 1 that sample is the batch.
import { h, ownsKeys } from '../dom.js';
import { subscript, t } from '../i18n/index.js';
import { outputLayer } from '../state.js';
import { Inspector } from '../views/inspector.js';
import { batchSteps, nextIndex } from './phases.js';
import { numText, prepareTypesetting, shortNum } from './tex.js';

/** A layer with more neurons than this carries numbers only on the selected neuron and its links. */
export const NUMBERED_UNITS = 4;
const PHONE = '(max-width: 760px)';
/** Room for numbers: right of the output neurons (a laptop), between the rows (a phone). */
const room = () => (window.matchMedia(PHONE).matches ? { right: 10, rowGap: 24 } : { right: 78, rowGap: 0 });

/** A short text for a number on a neuron: two decimals, or three significant digits when large. */
function tag(x) {
  if (!Number.isFinite(x)) return numText(x);
  if (Math.abs(x) >= 100) return numText(Number(x.toPrecision(3)));
  return x.toFixed(2).replace('-', '−').replace(/^−0\.00$/, '0.00');
}

const maxAbs = (arrays) => {
  let m = 0;
  for (const array of arrays) if (array) for (const v of array) if (Math.abs(v) > m) m = Math.abs(v);
  return m;
};

export class FrameMode {
  #controller;
  #network;
  #output;
  #update;
  #covered;
  #drawn;
  #roots;
  #inspector;
  #switch;
  #speed;
  #state = null;
  #active = false;
  #frame = null;         // the step drawn last
  #gradients = 'sample'; // what the links show during backward: 'sample' or 'batch'
  #keySignature = '';

  /**
   * parts: { controller, network, output, update(changes), covered() (a course panel hides the
   * playground), drawn() (after each step's drawing) } and roots: { modeSlot, controls, caption,
   * key, inspector } (elements of the page).
   */
  constructor({ controller, network, output, update, covered, drawn, roots }) {
    this.#covered = covered;
    this.#drawn = drawn;
    this.#controller = controller;
    this.#network = network;
    this.#output = output;
    this.#update = update;
    this.#roots = roots;
    this.#inspector = new Inspector(roots.inspector, {
      selectNeuron: (column, unit) => this.#select({ kind: 'neuron', column, unit }),
      selectWeight: (layer, to, from) => this.#select({ kind: 'weight', layer, to, from }),
      hoverPath: (k) => this.#network.overlay.highlightPath(k),
      randomProbe: () => this.#randomProbe(),
      followBatch: () => this.#update({ probe: null }),
      followStep: () => this.#select(null),
    });
    this.#buildSwitch();
    this.#buildControls();
    document.addEventListener('keydown', (e) => this.#key(e));
    window.matchMedia(PHONE).addEventListener('change', () => {
      if (this.#active) this.#network.setSelectMode((selection) => this.#select(selection), room());
      this.#redraw();
    });
  }

  // ---- settings ---------------------------------------------------------------------------

  /** Follows the settings: the switch, the play speed's control, the hide flags, the page's look. */
  apply(state) {
    this.#state = state;
    this.#switch.hidden = state.hide.has('mode');
    for (const button of this.#switch.querySelectorAll('button')) button.setAttribute('aria-pressed', String(button.dataset.mode === state.mode));
    this.#speed.value = state.frameSpeed;
    this.#speed.closest('.field').hidden = state.hide.has('frameSpeed');
    const frame = state.mode === 'frames';
    if (frame !== this.#active) this.#setActive(frame);
    this.#roots.controls.hidden = !frame || state.hide.has('playControls');
  }

  retranslate() {
    this.#keySignature = '';
    this.#switch.setAttribute('aria-label', t('mode.label'));
    for (const button of this.#switch.querySelectorAll('button')) button.textContent = t(`option.mode.${button.dataset.mode}`);
    this.#buildControls();
    if (this.#state) this.apply(this.#state);
  }

  #setActive(on) {
    this.#active = on;
    if (on) prepareTypesetting();  // the inspector's formulas: load the typesetter now
    this.#keySignature = '';
    for (const name of ['caption', 'key', 'inspector']) this.#roots[name].hidden = !on;
    document.body.classList.toggle('is-frame-mode', on);
    this.#network.setSelectMode(on ? (selection) => this.#select(selection) : null, on ? room() : {});
    this.#output.setPickable(on ? (index) => this.#update({ probe: index }) : null);
    if (!on) {
      this.#frame = null;
      this.#network.setLinkValues(null);
      this.#network.overlay.setMarks(null, 0);
      this.#network.overlay.setNumbers(null);
      this.#network.overlay.setOverlay();
      this.#output.setMarks(null, []);
      this.#inspector.clear();
    }
  }

  // ---- controls ---------------------------------------------------------------------------

  #buildSwitch() {
    const button = (mode) => h('button', {
      type: 'button', class: 'mode-button', dataset: { mode }, 'aria-pressed': 'false',
      onclick: () => this.#update({ mode }),
    }, t(`option.mode.${mode}`));
    this.#switch = h('div', { class: 'mode-switch', role: 'group', 'aria-label': t('mode.label'), dataset: { setting: 'mode' } },
      button('train'), button('frames'));
    this.#roots.modeSlot.append(this.#switch);
  }

  #buildControls() {
    const icon = (d) => {
      const el = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      el.setAttribute('viewBox', '0 0 24 24');
      el.setAttribute('aria-hidden', 'true');
      const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
      path.setAttribute('d', d);
      el.append(path);
      return el;
    };
    const button = (id, text, title, onclick, d) => h('button', { type: 'button', id, class: 'text-button frame-button', title, onclick },
      d ? icon(d) : null, h('span', { class: 'frame-button-text', text }));
    const c = this.#controller;
    const back = button('step-back', t('frame.back'), t('frame.backHint'), () => c.stepBack(), 'M18 5v14l-9-7zM6 5h2v14H6z');
    const batch = button('step-batch', t('frame.batch'), t('frame.batchHint'), () => c.stepBy('batch'), 'M5 5v14l8-7zM13 5v14l8-7z');
    const epoch = button('step-epoch', t('frame.epoch'), t('frame.epochHint'), () => c.stepBy('epoch'), 'M3 5v14l7-7zM10 5v14l7-7zM18 5h2v14h-2z');
    this.#speed = h('select', { id: 'setting-frameSpeed' },
      ['1p', '2p', '5p', '20p', '1b', '1e', '20e'].map((v) => h('option', { value: v, text: t(`option.frameSpeed.${v}`) })));
    this.#speed.addEventListener('change', () => this.#update({ frameSpeed: this.#speed.value }));
    if (this.#state) this.#speed.value = this.#state.frameSpeed;
    const speed = h('label', { class: 'field field-select frame-speed', dataset: { setting: 'frameSpeed' }, title: t('hint.frameSpeed') },
      h('span', { class: 'field-label', text: t('setting.frameSpeed') }), this.#speed);
    this.#roots.controls.replaceChildren(back, batch, epoch, speed);
  }

  // ← and → step from anywhere but a field that uses the arrows itself (a text box, a slider, a
  // list); Escape goes back to following the step.
  #key(e) {
    if (!this.#active || this.#covered() || e.altKey || e.ctrlKey || e.metaKey || document.querySelector('dialog[open]')) return;
    const target = e.target;
    const arrowsOwned = target instanceof HTMLElement && target.matches('input:not([type="button"]):not([type="checkbox"]), select, textarea, [contenteditable], [role="slider"], .net-editor *');
    if (e.key === 'ArrowLeft' && !arrowsOwned) {
      e.preventDefault();
      e.stopImmediatePropagation();
      this.#controller.stepBack();
    } else if (e.key === 'ArrowRight' && !arrowsOwned) {
      e.preventDefault();
      e.stopImmediatePropagation();
      this.#controller.step();
    } else if (e.key === 'Escape' && this.#frame?.selection && !this.#frame.selection.auto && !ownsKeys(target)) {
      this.#select(null);
    }
  }

  #select(selection) {
    this.#controller.select(selection);
  }

  #randomProbe() {
    const size = this.#frame?.data.train.size ?? 0;
    if (size > 0) this.#update({ probe: Math.floor(Math.random() * size) });
  }

  // ---- drawing ----------------------------------------------------------------------------

  /** After every redraw: the step the controller read (null in train mode). */
  render(frame) {
    if (!this.#active || !frame) return;
    this.#frame = frame;
    this.#draw(frame);
  }

  #redraw() {
    if (this.#active && this.#frame) this.#draw(this.#frame);
  }

  #draw(frame) {
    const { last, selection, traces, paths } = frame;
    const numbers = this.#controller.playingFast ? [] : this.#numbers(frame);
    const labelled = new Set(numbers.filter((n) => n.kind === 'neuron').map((n) => `${n.column}:${n.unit}`));
    this.#drawNodes(frame, labelled);
    this.#drawLinks(frame);
    const overlay = this.#network.overlay;
    overlay.setNumbers(numbers);
    overlay.setOverlay({
      flow: last && (last.phase === 'forward' || last.phase === 'backward') ? { layer: last.layer, direction: last.phase } : null,
      selection,
      paths: paths ? { layer: selection.layer, from: selection.from, list: paths.paths } : null,
    });
    this.#output.setMarks(frame.source.index, traces[0].forwardDone ? traces[0].samples : []);
    this.#drawCaption(frame);
    if (!this.#controller.playingFast) this.#inspector.draw(this.#inspectorModel(frame));
    this.#drawn?.();
  }

  /** The focused neuron's element and its numbers: what frame mode's sheet on a phone keeps in view. */
  focusElements() {
    const focus = this.#active ? this.#frame?.focus : null;
    if (!focus) return [];
    const node = this.#network.nodeElement(focus.column, focus.unit);
    const numbers = document.querySelector(`.net-num[data-kind="neuron"][data-column="${focus.column}"][data-unit="${focus.unit}"]:not([hidden])`);
    return [node, numbers].filter(Boolean);
  }

  #name(column, unit) {
    return this.#network.shortName(column, unit);
  }

  #drawNodes({ sizes, L, traces, samples, last }, labelled) {
    const marks = [];
    let scale = 0;
    traces.forEach((trace, l) => {
      if (trace.backwardDone && samples[l]) scale = Math.max(scale, maxAbs([samples[l].upstream, samples[l].downstream]));
    });
    const first = samples[0];
    marks.push(Array.from({ length: sizes[0] }, (_, u) => (traces[0].forwardDone && first
      ? { value: tag(first.input[u]), tip: `${this.#name(0, u)} = ${numText(first.input[u])}` } : null)));
    for (let c = 1; c <= L; c++) {
      const trace = traces[c - 1];
      const s = samples[c - 1];
      const active = !!last && last.phase !== 'update' && (last.phase === 'loss' ? c === L : last.layer === c - 1);
      marks.push(Array.from({ length: sizes[c] }, (_, u) => {
        if (!trace.forwardDone || !s) return { pending: true, active, tip: t('tip.pending', { name: this.#name(c, u) }) };
        const mark = {
          active, labelled: labelled.has(`${c}:${u}`), value: tag(s.a[u]),
          tip: t('tip.forward', { name: this.#name(c, u), z: numText(s.z[u]), a: numText(s.a[u]) }),
        };
        if (!trace.backwardDone) return mark;
        return {
          ...mark,
          upstream: s.upstream[u],
          local: s.local[u],
          downstream: s.downstream[u],
          tip: t('tip.backward', {
            name: this.#name(c, u), a: numText(s.a[u]), upstream: numText(s.upstream[u]), local: numText(s.local[u]), downstream: numText(s.downstream[u]),
          }),
        };
      }));
    }
    this.#network.overlay.setMarks(marks, scale);
  }

  // The links' values during backward: the followed sample's ∂ℓ/∂w, or the batch mean ∂L/∂w.
  #gradientLayers({ traces, samples }) {
    const useSample = this.#gradients === 'sample' && samples.every((s, l) => !traces[l].backwardDone || s);
    return { useSample, layers: traces.map((trace, l) => (trace.backwardDone ? (useSample ? samples[l].dW : trace.dW) : null)) };
  }

  #drawLinks(frame) {
    const { last, traces, current, sizes } = frame;
    const linkName = (l, j, i) => t('network.weight', { from: this.#name(l, i), to: this.#name(l + 1, j) });
    if (last?.phase === 'backward') {
      const { layers, useSample } = this.#gradientLayers(frame);
      const symbol = useSample ? '∂ℓ/∂w' : '∂L/∂w';
      this.#network.setLinkValues({
        layers, scale: maxAbs(layers),
        tip: (l, j, i) => (layers[l] ? `${linkName(l, j, i)}: ${symbol} = ${numText(layers[l][j * sizes[l] + i])}` : t('tip.notYet', { name: linkName(l, j, i) })),
      });
    } else if (last?.phase === 'update') {
      const layers = traces.map((trace) => trace.update);
      this.#network.setLinkValues({
        layers, scale: maxAbs(layers),
        tip: (l, j, i) => {
          const k = j * sizes[l] + i;
          return t('tip.update', { name: linkName(l, j, i), before: numText(traces[l].weightsBefore[k]), after: numText(current[l].w[k]), delta: numText(traces[l].update[k]) });
        },
      });
    } else {
      this.#network.setLinkValues(null);
    }
  }

  // ---- numbers on the diagram ----------------------------------------------------------------

  /**
   * What the diagram writes beside neurons and on links for this step, most important first: the
   * layer just computed (forward: z and a; loss: the outputs and ℓ; backward: upstream × local =
   * downstream and ∂ℓ/∂w on the links into it; update: Δw). A layer of more than NUMBERED_UNITS
   * neurons, or any layer on a phone, numbers only the focus neuron and its links.
   */
  #numbers(frame) {
    const { last, sizes, L, traces, samples, focus } = frame;
    if (!last) return [];
    const phone = window.matchMedia(PHONE).matches;
    const units = (column) => {
      if (!phone && sizes[column] <= NUMBERED_UNITS) return Array.from({ length: sizes[column] }, (_, u) => u);
      return focus?.column === column ? [focus.unit] : [];
    };
    const byFocus = (list) => [...list].sort((a, b) => (b.column === focus?.column && b.unit === focus?.unit) - (a.column === focus?.column && a.unit === focus?.unit));
    const neurons = [];
    const links = [];
    const addNeuron = (column, unit) => {
      if (neurons.some((n) => n.column === column && n.unit === unit)) return;
      const spec = this.#neuronNumbers(frame, column, unit);
      if (spec) neurons.push(spec);
    };
    if (last.phase === 'forward' || last.phase === 'backward' || last.phase === 'loss') {
      const column = last.phase === 'loss' ? L : last.layer + 1;
      for (const unit of units(column)) addNeuron(column, unit);
      if (last.phase === 'backward') {
        const { layers, useSample } = this.#gradientLayers(frame);
        for (const unit of units(column)) links.push(...this.#linkNumbers(frame, column - 1, unit, layers[column - 1], useSample ? 'sampleGrad' : 'batchGrad'));
      }
    } else {
      for (let l = 0; l < L; l++) for (const unit of units(l + 1)) links.push(...this.#linkNumbers(frame, l, unit, traces[l].update, 'delta'));
    }
    // The selected neuron keeps its numbers wherever it is, once it has some.
    if (focus && samples[focus.column - 1] && traces[focus.column - 1].forwardDone) addNeuron(focus.column, focus.unit);
    const focusLinks = (n) => n.to === focus?.unit && n.layer === (focus?.column ?? 0) - 1;
    return [...byFocus(neurons), ...links.filter(focusLinks), ...links.filter((n) => !focusLinks(n))];
  }

  #neuronNumbers({ L, traces, samples, last }, column, unit) {
    const s = samples[column - 1];
    const trace = traces[column - 1];
    if (!s || !trace.forwardDone) return null;
    const name = this.#name(column, unit);
    const at = { kind: 'neuron', column, unit };
    if (trace.backwardDone) {
      const [up, local, down] = [s.upstream[unit], s.local[unit], s.downstream[unit]];
      return {
        ...at,
        lines: [{ text: shortNum(up), value: up }, { text: `× ${shortNum(local)}`, value: local }, { text: `= ${shortNum(down)}`, value: down }],
        values: [up, local, down],
        speech: t('num.backward', { name, upstream: numText(up), local: numText(local), downstream: numText(down) }),
      };
    }
    if (column === L && last.phase !== 'forward') {
      const lines = [{ text: `ŷ ${shortNum(s.a[unit])}`, value: s.a[unit] }];
      if (unit === 0) lines.push({ text: `ℓ ${shortNum(s.loss)}`, value: s.loss });
      return { ...at, lines, values: lines.map((x) => x.value), speech: t('num.output', { name, a: numText(s.a[unit]), loss: numText(s.loss) }) };
    }
    const [z, a] = [s.z[unit], s.a[unit]];
    return {
      ...at,
      lines: [{ text: `z ${shortNum(z)}`, value: z }, { text: `a ${shortNum(a)}`, value: a }],
      values: [z, a],
      speech: t('num.forward', { name, z: numText(z), a: numText(a) }),
    };
  }

  #linkNumbers({ sizes }, layer, to, values, quantity) {
    if (!values) return [];
    return Array.from({ length: sizes[layer] }, (_, from) => {
      const value = values[to * sizes[layer] + from];
      return {
        kind: 'link', layer, to, from, quantity,
        lines: [{ text: shortNum(value), value }],
        values: [value],
        speech: t(`num.${quantity}`, { name: t('network.weight', { from: this.#name(layer, from), to: this.#name(layer + 1, to) }), value: numText(value) }),
      };
    });
  }

  // ---- caption ------------------------------------------------------------------------------

  #layerName(column, L) {
    if (column === 0) return t('layer.inputs');
    return column === L ? t('layer.output') : t('layer.hidden', { n: column });
  }

  #stepText(step, L, config) {
    if (!step) return '';
    const column = step.layer + 1;
    switch (step.phase) {
      case 'forward': return t('step.forwardOf', { layer: this.#layerName(column, L) });
      case 'loss': return t('step.lossOf', { name: t(`option.loss.${config.loss}`) });
      case 'backward': return t('step.backwardOf', { layer: this.#layerName(column, L) });
      default: return t('step.updateOf', { name: t(`option.optimizer.${this.#state.optimizer}`) });
    }
  }

  #caption(frame) {
    const { last, L, traces, config } = frame;
    const state = this.#state;
    const activation = (column) => t(`option.activation.${column === L ? outputLayer(state).activation : state.activation}`);
    if (!last) return t('caption.start', { layer: this.#layerName(1, L) });
    const column = last.layer + 1;
    const size = traces[0].batch;
    switch (last.phase) {
      case 'forward':
        return t('caption.forward', { layer: this.#layerName(column, L), from: this.#layerName(column - 1, L), f: activation(column) });
      case 'loss':
        return t(`caption.loss.${config.loss}`, { loss: numText(traces[L - 1].loss), samples: t(`caption.samples.${size === 1 ? 'one' : 'many'}`, { size }) });
      case 'backward':
        if (column === L) return t('caption.backwardOutput', { layer: this.#layerName(column, L) });
        return t('caption.backward', { layer: this.#layerName(column, L), above: this.#layerName(column + 1, L) });
      default:
        return t('caption.update', { name: t(`option.optimizer.${state.optimizer}`), mean: t(`caption.mean.${size === 1 ? 'one' : 'many'}`, { size }) });
    }
  }

  /** The forward pass as the course writes it, O₁ = F₁(W¹X) … ŷ = F_L(W^L … F₁(W¹X)), up to the layer just computed. */
  #composite({ last, L }) {
    if (!last || last.phase !== 'forward') return null;
    const upTo = last.layer + 1;
    const sup = (n) => String(n).replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[d]);
    let inner = 'X';
    for (let k = 1; k <= upTo; k++) inner = `F${subscript(k)}(W${sup(k)}${inner})`;
    const out = upTo === L ? 'ŷ' : `O${subscript(upTo)}`;
    const previous = upTo === 1 ? 'X' : `O${subscript(upTo - 1)}`;
    const short = `F${subscript(upTo)}(W${sup(upTo)}${previous})`;
    return upTo === 1 ? `${out} = ${short}` : `${out} = ${short} = ${inner}`;
  }

  #drawCaption(frame) {
    const { L, last, cursor, config } = frame;
    const steps = batchSteps(L);
    const chip = (step, k) => {
      const done = last && k <= last.index;
      const label = step.phase === 'loss' ? t('chip.loss') : step.phase === 'update' ? 'Δw'
        : `${step.phase === 'forward' ? '→' : '←'}${step.layer + 1 === L ? t('chip.out') : step.layer + 1}`;
      return h('li', {
        class: `frame-chip is-${step.phase}${done ? ' is-done' : ''}${last?.index === k ? ' is-current' : ''}`,
        'aria-current': last?.index === k ? 'step' : null,
        title: this.#stepText(step, L, config),
      }, label);
    };
    const next = steps[nextIndex(cursor, L)];
    // The batch the numbers on screen belong to (after its update the cursor has moved on).
    const at = last ? frame.traces[0].step : cursor;
    const where = h('p', { class: 'frame-where', text: t('caption.where', { epoch: at.epoch + 1, batch: at.batch + 1, of: cursor.batchesPerEpoch }) });
    const timeline = h('ol', { class: 'frame-timeline', 'aria-label': t('frame.timeline') }, ...steps.map(chip));
    const composite = this.#composite(frame);
    // On a phone the explanation folds behind a button, so the diagram stays on screen.
    const more = h('button', {
      type: 'button', class: 'frame-caption-more', 'aria-expanded': String(this.#roots.caption.classList.contains('is-open')),
      onclick: (e) => {
        const open = this.#roots.caption.classList.toggle('is-open');
        e.currentTarget.setAttribute('aria-expanded', String(open));
        this.#drawn?.();
      },
    }, t('caption.explain'));
    const caption = h('p', { class: 'frame-caption-text', id: 'frame-caption-text' },
      last ? h('strong', { class: 'frame-phase-name', text: `${this.#stepText(last, L, config)}. ` }) : null,
      h('span', { class: 'frame-caption-detail', text: this.#caption(frame) }), ' ', more);
    const formula = composite ? h('p', { class: 'frame-composite', dataset: { composite }, text: composite }) : null;
    const nextText = h('p', { class: 'frame-next', text: t('caption.next', { step: this.#stepText(next, L, config) }) });
    this.#roots.caption.replaceChildren(...[h('div', { class: 'frame-where-row' }, where, nextText), timeline, caption, formula].filter(Boolean));
    this.#roots.caption.dataset.phase = last?.phase ?? 'start';
    this.#drawKey(frame);
  }

  #drawKey(frame) {
    const { last } = frame;
    const signature = `${document.documentElement.lang} ${last?.phase} ${this.#gradientLayers(frame).useSample} ${this.#gradients}`;
    if (signature === this.#keySignature) return;
    this.#keySignature = signature;
    const parts = [h('p', { class: 'frame-key-marks', text: t(last?.phase === 'backward' ? 'key.numbersBackward' : 'key.marks') })];
    if (last?.phase === 'backward') {
      const { useSample } = this.#gradientLayers(frame);
      parts.push(h('p', { text: t(useSample ? 'key.linksSample' : 'key.linksBatch') }));
      const radio = (value) => h('label', { class: 'frame-radio' },
        h('input', {
          type: 'radio', name: 'frame-gradients', value, checked: this.#gradients === value,
          onchange: () => { this.#gradients = value; this.#redraw(); },
        }), t(`key.gradients.${value}`));
      parts.push(h('div', { class: 'frame-radios', role: 'radiogroup', 'aria-label': t('key.gradients') }, radio('sample'), radio('batch')));
    } else if (last?.phase === 'update') {
      parts.push(h('p', { text: t('key.linksUpdate') }));
    } else {
      parts.push(h('p', { text: t('key.linksWeights') }));
    }
    this.#roots.key.replaceChildren(...parts);
  }

  // ---- the inspector's numbers ----------------------------------------------------------------

  #inspectorModel(frame) {
    const { L, last, selection } = frame;
    const index = frame.source.index;
    const model = { sample: this.#sampleModel(frame, index), loss: null, neuron: null, weight: null };
    if (last && last.index >= L) model.loss = this.#lossModel(frame, index);
    // At the loss phase, following the step, the loss's own formula leads.
    model.lossFirst = !!model.loss && last.phase === 'loss' && !!selection?.auto;
    if (selection?.kind === 'neuron') model.neuron = this.#neuronModel(frame, selection);
    if (selection?.kind === 'weight') model.weight = this.#weightModel(frame, selection);
    return model;
  }

  #targets({ data, sizes }, index) {
    const outputs = sizes.at(-1);
    return data.train.targets.subarray(index * outputs, (index + 1) * outputs);
  }

  #sampleModel({ source, traces, data }, index) {
    if (index === null) return null;
    const train = data.train;
    const row = traces[0].forwardDone ? traces[0].samples.indexOf(index) : -1;
    return {
      index,
      kind: source.kind,
      point: [train.points[2 * index], train.points[2 * index + 1]],
      label: data.classification ? t('legend.class', { n: train.labels[index] + 1 }) : t('ix.target', { y: numText(train.labels[index]) }),
      started: traces[0].forwardDone,
      inBatch: row >= 0,
      row,
      batchSize: traces[0].batch,
    };
  }

  #lossModel(frame, index) {
    const { L, traces, samples, config } = frame;
    const s = samples[L - 1];
    if (index === null || !s) return null;
    const y = this.#targets(frame, index);
    return {
      kind: config.loss, p: s.a, y, value: s.loss,
      batchMean: traces[L - 1].loss, batchSize: traces[L - 1].batch,
    };
  }

  #neuronModel(frame, { column, unit, auto }) {
    const { sizes, L, traces, samples, params, config } = frame;
    const l = column - 1;
    const trace = traces[l];
    const s = samples[l];
    const state = this.#state;
    const output = column === L;
    const n = {
      column, unit, auto: !!auto, output, name: this.#name(column, unit), fromName: this.#layerName(column - 1, L),
      activation: output ? outputLayer(state).activation : state.activation,
      forwardDone: trace.forwardDone && !!s, backwardDone: trace.backwardDone && !!s, lossKind: config.loss,
    };
    if (!n.forwardDone) return n;
    const { w, b } = params[l];
    const inputs = sizes[l];
    n.inputs = Array.from({ length: inputs }, (_, i) => ({ name: this.#name(l, i), a: s.input[i], w: w[unit * inputs + i] }));
    n.bias = b[unit];
    n.z = s.z[unit];
    n.a = s.a[unit];
    if (!n.backwardDone) return n;
    n.upstream = s.upstream[unit];
    n.local = s.local[unit];
    n.downstream = s.downstream[unit];
    n.inputs.forEach((input, i) => { input.grad = s.dW[unit * inputs + i]; });
    if (output) {
      const index = frame.source.index;
      n.y = index === null ? 0 : this.#targets(frame, index)[unit];
      n.outputs = sizes[L];
    } else {
      const above = samples[l + 1];
      const { w: wAbove } = params[l + 1];
      n.aboveName = this.#layerName(column + 1, L);
      n.terms = Array.from({ length: sizes[column + 1] }, (_, k) => ({ name: this.#name(column + 1, k), w: wAbove[k * sizes[column] + unit], g: above.downstream[k] }));
    }
    return n;
  }

  #weightModel(frame, { layer, to, from, auto }) {
    const { sizes, traces, samples, params, current, paths, config } = frame;
    const trace = traces[layer];
    const s = samples[layer];
    const inputs = sizes[layer];
    const k = to * inputs + from;
    const state = this.#state;
    const w = {
      layer, to, from, auto: !!auto, output: layer === sizes.length - 2,
      fromName: this.#name(layer, from), toName: this.#name(layer + 1, to),
      course: t('ix.course', { theta: `θ${subscript(to + 1)}${subscript(from + 1)}`, layer: layer + 1 }),
      value: params[layer].w[k],
      backwardDone: trace.backwardDone && !!s,
      batchSize: trace.batch, regularization: state.regularization, rate: state.regularizationRate,
    };
    if (!w.backwardDone) return w;
    w.a = s.input[from];
    w.down = s.downstream[to];
    w.sampleGrad = s.dW[k];
    w.batchGrad = trace.dW[k];
    w.penalty = trace.penalty[k];
    if (paths) {
      const names = (units) => [this.#name(layer, from), ...units.map((u, m) => this.#name(layer + 1 + m, u)), 'ℓ'];
      w.paths = { count: paths.count, sum: paths.sum, listedSum: paths.listedSum, list: paths.paths.map((p) => ({ names: names(p.units), product: p.product, factors: p.factors })) };
    }
    if (trace.updateDone) {
      const st = trace.state;
      const pick = {};
      for (const [key, value] of Object.entries(st.weights)) pick[key] = ArrayBuffer.isView(value) ? value[k] : value;
      w.update = {
        optimizer: state.optimizer, hyper: config.optimizer, lr: st.lr, state: pick,
        delta: trace.update[k], before: trace.weightsBefore[k], after: current[layer].w[k],
      };
    }
    return w;
  }
}
