// Frame-by-frame mode: the mode switch, the step controls, the phase caption
// and timeline, and, after every step, the chain-rule overlays on the network
// and the inspector's numbers. Everything drawn comes from the trainer's
// trace (and its probe and paths): this module only picks the numbers out
// (a sample's row, a weight's entry) and hands them to the views.
//
// The sample followed is the engine's probe (trainer.setProbe, carried through
// every phase beside the batch): the learner's pick (a click on a training
// point, or Random), else the first sample of the current batch, which the
// controller keeps as the probe. With batch size 1 that sample is the batch.
import { h, ownsKeys } from '../dom.js';
import { subscript, t } from '../i18n/index.js';
import { outputLayer } from '../state.js';
import { Inspector } from '../views/inspector.js';
import { batchSteps, lastStep, nextIndex } from './phases.js';
import { numText } from './tex.js';

const PATH_LIMIT = 64;

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
  #roots;
  #inspector;
  #switch;
  #speed;
  #state = null;
  #active = false;
  #selection = null;     // the learner's pick, or null: follow the step
  #gradients = 'sample'; // what the links show during backward: 'sample' or 'batch'
  #cache = null;         // per trainer: { trainer, data, config }
  #sizes = null;

  /**
   * parts: { controller, network, output, update(changes), covered() (a course panel hides the
   * playground) } and roots: { modeSlot, controls, caption, key, inspector } (elements of the page).
   */
  constructor({ controller, network, output, update, covered, roots }) {
    this.#covered = covered;
    this.#controller = controller;
    this.#network = network;
    this.#output = output;
    this.#update = update;
    this.#roots = roots;
    this.#inspector = new Inspector(roots.inspector, {
      selectNeuron: (column, unit) => this.#select({ kind: 'neuron', column, unit }),
      selectWeight: (layer, to, from) => this.#select({ kind: 'weight', layer, to, from }),
      hoverPath: (k) => this.#network.highlightPath(k),
      randomProbe: () => this.#randomProbe(),
      followBatch: () => this.#update({ probe: null }),
      followStep: () => this.#select(null),
    });
    this.#buildSwitch();
    this.#buildControls();
    document.addEventListener('keydown', (e) => this.#key(e));
  }

  // ---- settings ---------------------------------------------------------------------------

  /** Follows the settings: the mode, the play speed, the probe, the hide flags. */
  apply(state) {
    const previous = this.#state;
    this.#state = state;
    this.#switch.hidden = state.hide.has('mode');
    for (const button of this.#switch.querySelectorAll('button')) button.setAttribute('aria-pressed', String(button.dataset.mode === state.mode));
    this.#speed.value = state.frameSpeed;
    this.#controller.frameSpeed = state.frameSpeed;
    this.#speed.closest('.field').hidden = state.hide.has('frameSpeed');
    const frame = state.mode === 'frames';
    if (frame !== this.#active) this.#setActive(frame);
    else if (frame && previous?.probe !== state.probe) this.#controller.setProbe(state.probe);
    this.#roots.controls.hidden = !frame || state.hide.has('playControls');
  }

  retranslate() {
    this.#switch.setAttribute('aria-label', t('mode.label'));
    for (const button of this.#switch.querySelectorAll('button')) button.textContent = t(`option.mode.${button.dataset.mode}`);
    this.#buildControls();
    if (this.#state) this.apply(this.#state);
  }

  /** A new trainer (settings changed): its data, and a selection that may no longer exist. */
  rebuilt(trainer) {
    this.#cache = null;
    const sizes = trainer.layerSizes.join(',');
    if (sizes !== this.#sizes) this.#selection = null;
    this.#sizes = sizes;
    const probe = this.#state?.probe;
    if (probe !== null && probe !== undefined && probe >= trainer.data().train.size) this.#update({ probe: null });
  }

  #setActive(on) {
    this.#active = on;
    for (const name of ['caption', 'key', 'inspector']) this.#roots[name].hidden = !on;
    document.body.classList.toggle('is-frame-mode', on);
    this.#network.setSelectMode(on ? (selection) => this.#select(selection) : null);
    this.#output.setPickable(on ? (index) => this.#update({ probe: index }) : null);
    if (!on) {
      this.#network.setLinkValues(null);
      this.#network.setNodeMarks(null);
      this.#network.setOverlay();
      this.#output.setMarks(null, []);
      this.#inspector.clear();
    }
    this.#controller.setProbe(on ? this.#state.probe : null);
    this.#controller.setMode(on ? 'frame' : 'train');
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
    const button = (id, text, title, onclick, d) => h('button', { type: 'button', id, class: 'text-button frame-button', title, onclick }, d ? icon(d) : null, text);
    const c = this.#controller;
    const back = button('step-back', t('frame.back'), t('frame.backHint'), () => c.stepBack(), 'M18 5v14l-9-7zM6 5h2v14H6z');
    const batch = button('step-batch', t('frame.batch'), t('frame.batchHint'), () => c.stepBy('batch'));
    const epoch = button('step-epoch', t('frame.epoch'), t('frame.epochHint'), () => c.stepBy('epoch'));
    this.#speed = h('select', { id: 'setting-frameSpeed' },
      ['1p', '2p', '5p', '20p', '1b', '1e', '20e'].map((v) => h('option', { value: v, text: t(`option.frameSpeed.${v}`) })));
    this.#speed.addEventListener('change', () => this.#update({ frameSpeed: this.#speed.value }));
    if (this.#state) this.#speed.value = this.#state.frameSpeed;
    const speed = h('label', { class: 'field field-select', dataset: { setting: 'frameSpeed' }, title: t('hint.frameSpeed') },
      h('span', { class: 'field-label', text: t('setting.frameSpeed') }), this.#speed);
    this.#roots.controls.replaceChildren(back, batch, epoch, speed);
  }

  // ← steps back; on a focused button (Back, Step…) the arrows still step, as they do elsewhere on the page.
  #key(e) {
    if (!this.#active || this.#covered() || e.altKey || e.ctrlKey || e.metaKey || document.querySelector('dialog[open]')) return;
    const onButton = e.target instanceof HTMLButtonElement;
    if (ownsKeys(e.target) && !onButton) return;
    if (e.key === 'ArrowLeft') {
      e.preventDefault();
      this.#controller.stepBack();
    } else if (e.key === 'ArrowRight' && onButton) {
      e.preventDefault();
      this.#controller.step();
    } else if (e.key === 'Escape' && this.#selection && !onButton) {
      this.#select(null);
    }
  }

  #select(selection) {
    this.#selection = selection;
    this.#controller.render();
  }

  #randomProbe() {
    const size = this.#data(this.#controller.trainer).data.train.size;
    this.#update({ probe: Math.floor(Math.random() * size) });
  }

  #data(trainer) {
    if (this.#cache?.trainer !== trainer) this.#cache = { trainer, data: trainer.data(), config: trainer.config };
    return this.#cache;
  }

  // ---- drawing ----------------------------------------------------------------------------

  /** After every redraw in frame mode: reads the trace and draws the overlays, caption and inspector. */
  render(trainer) {
    if (!this.#active || !trainer) return;
    const sizes = trainer.layerSizes;
    const L = sizes.length - 1;
    const cursor = trainer.cursor();
    const traces = Array.from({ length: L }, (_, l) => trainer.trace(l));
    const last = lastStep(cursor, traces[0].updateDone, L);
    // The sample followed: the learner's pick ('probe'), or the batch's first ('batch').
    const source = { kind: this.#controller.probe === null ? 'batch' : 'probe', index: trainer.probe };
    const samples = traces.map((trace) => trace.probe);
    const weights = traces.map((_, l) => ({ current: trainer.getWeights(l), biases: trainer.getBiases(l) }));
    const frame = { trainer, sizes, L, cursor, traces, last, source, samples, weights, cache: this.#data(trainer) };
    const selection = this.#validSelection(sizes) ?? this.#autoSelection(last, L);
    frame.selection = selection;
    frame.paths = this.#pathsOf(frame);

    this.#drawNodes(frame);
    this.#drawLinks(frame);
    this.#network.setOverlay({
      flow: last && (last.phase === 'forward' || last.phase === 'backward') ? { layer: last.layer, direction: last.phase } : null,
      selection,
      paths: frame.paths ? { layer: selection.layer, from: selection.from, list: frame.paths.paths } : null,
    });
    const index = frame.source.index;
    this.#output.setMarks(index, traces[0].forwardDone ? traces[0].samples : []);
    this.#drawCaption(frame);
    if (!this.#controller.playingFast) this.#inspector.draw(this.#inspectorModel(frame, index));
  }

  #validSelection(sizes) {
    const s = this.#selection;
    if (!s) return null;
    if (s.kind === 'neuron') return s.column >= 1 && s.column < sizes.length && s.unit < sizes[s.column] ? s : null;
    return s.layer < sizes.length - 1 && s.to < sizes[s.layer + 1] && s.from < sizes[s.layer] ? s : null;
  }

  /** With nothing picked, the inspector follows the step: the neuron just computed, or at the update the first weight. */
  #autoSelection(last, L) {
    if (!last) return null;
    if (last.phase === 'update') return { kind: 'weight', layer: 0, to: 0, from: 0, auto: true };
    if (last.phase === 'loss') return { kind: 'neuron', column: L, unit: 0, auto: true };
    return { kind: 'neuron', column: last.layer + 1, unit: 0, auto: true };
  }

  #pathsOf({ trainer, selection, traces, samples }) {
    if (selection?.kind !== 'weight' || !traces[selection.layer].backwardDone || !samples[selection.layer]) return null;
    return trainer.paths(selection.layer, selection.to, selection.from, { sample: 'probe', limit: PATH_LIMIT });
  }

  #name(column, unit) {
    return this.#network.shortName(column, unit);
  }

  #drawNodes({ sizes, L, traces, samples, last }) {
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
        const mark = { active, value: tag(s.a[u]), tip: t('tip.forward', { name: this.#name(c, u), z: numText(s.z[u]), a: numText(s.a[u]) }) };
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
    this.#network.setNodeMarks(marks, scale);
  }

  #gradientLayers({ traces, samples }) {
    const useSample = this.#gradients === 'sample' && samples.every((s, l) => !traces[l].backwardDone || s);
    return { useSample, layers: traces.map((trace, l) => (trace.backwardDone ? (useSample ? samples[l].dW : trace.dW) : null)) };
  }

  #drawLinks(frame) {
    const { last, traces, weights, sizes } = frame;
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
          return t('tip.update', { name: linkName(l, j, i), before: numText(traces[l].weightsBefore[k]), after: numText(weights[l].current[k]), delta: numText(traces[l].update[k]) });
        },
      });
    } else {
      this.#network.setLinkValues(null);
    }
  }

  // ---- caption ------------------------------------------------------------------------------

  #layerName(column, L) {
    if (column === 0) return t('layer.inputs');
    return column === L ? t('layer.output') : t('layer.hidden', { n: column });
  }

  #stepText(step, L, state, config) {
    if (!step) return '';
    const column = step.layer + 1;
    switch (step.phase) {
      case 'forward': return t('step.forwardOf', { layer: this.#layerName(column, L) });
      case 'loss': return t('step.lossOf', { name: t(`option.loss.${config.loss}`) });
      case 'backward': return t('step.backwardOf', { layer: this.#layerName(column, L) });
      default: return t('step.updateOf', { name: t(`option.optimizer.${state.optimizer}`) });
    }
  }

  #caption(frame) {
    const { last, L, traces, cache } = frame;
    const state = this.#state;
    const activation = (column) => t(`option.activation.${column === L ? outputLayer(state).activation : state.activation}`);
    if (!last) return t('caption.start');
    const column = last.layer + 1;
    switch (last.phase) {
      case 'forward':
        return t('caption.forward', { layer: this.#layerName(column, L), from: this.#layerName(column - 1, L), f: activation(column) });
      case 'loss':
        return t(`caption.loss.${cache.config.loss}`, { loss: numText(traces[L - 1].loss), size: traces[L - 1].batch });
      case 'backward':
        if (column === L) return t('caption.backwardOutput', { layer: this.#layerName(column, L) });
        return t('caption.backward', { layer: this.#layerName(column, L), above: this.#layerName(column + 1, L) });
      default:
        return t('caption.update', { name: t(`option.optimizer.${state.optimizer}`), size: traces[0].batch });
    }
  }

  #drawCaption(frame) {
    const { L, last, cursor, cache } = frame;
    const steps = batchSteps(L);
    const chip = (step, k) => {
      const done = last && k <= last.index;
      const label = step.phase === 'loss' ? t('chip.loss') : step.phase === 'update' ? 'Δw'
        : `${step.phase === 'forward' ? '→' : '←'}${step.layer + 1 === L ? t('chip.out') : step.layer + 1}`;
      return h('li', {
        class: `frame-chip is-${step.phase}${done ? ' is-done' : ''}${last?.index === k ? ' is-current' : ''}`,
        'aria-current': last?.index === k ? 'step' : null,
        title: this.#stepText(step, L, this.#state, cache.config),
      }, label);
    };
    const next = steps[nextIndex(cursor, L)];
    // The batch the numbers on screen belong to (after its update the cursor has moved on).
    const at = last ? frame.traces[0].step : cursor;
    const where = h('p', { class: 'frame-where', text: t('caption.where', { epoch: at.epoch + 1, batch: at.batch + 1, of: cursor.batchesPerEpoch }) });
    const timeline = h('ol', { class: 'frame-timeline', 'aria-label': t('frame.timeline') }, ...steps.map(chip));
    const caption = h('p', { class: 'frame-caption-text', id: 'frame-caption-text' },
      last ? h('strong', { class: 'frame-phase-name', text: `${this.#stepText(last, L, this.#state, cache.config)}. ` }) : null,
      this.#caption(frame));
    const nextText = h('p', { class: 'frame-next', text: t('caption.next', { step: this.#stepText(next, L, this.#state, cache.config) }) });
    this.#roots.caption.replaceChildren(where, timeline, caption, nextText);
    this.#roots.caption.dataset.phase = last?.phase ?? 'start';
    this.#drawKey(frame);
  }

  #drawKey(frame) {
    const { last } = frame;
    const parts = [h('p', { class: 'frame-key-marks', text: t('key.marks') })];
    if (last?.phase === 'backward') {
      const { useSample } = this.#gradientLayers(frame);
      parts.push(h('p', { text: t(useSample ? 'key.linksSample' : 'key.linksBatch') }));
      const radio = (value) => h('label', { class: 'frame-radio' },
        h('input', {
          type: 'radio', name: 'frame-gradients', value, checked: this.#gradients === value,
          onchange: () => { this.#gradients = value; this.#controller.render(); },
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

  #inspectorModel(frame, index) {
    const { L, last, selection } = frame;
    const model = { sample: this.#sampleModel(frame, index), loss: null, neuron: null, weight: null };
    if (last && last.index >= L) model.loss = this.#lossModel(frame, index);
    if (selection?.kind === 'neuron') model.neuron = this.#neuronModel(frame, selection);
    if (selection?.kind === 'weight') model.weight = this.#weightModel(frame, selection);
    return model;
  }

  #targets(cache, index) {
    const outputs = cache.trainer.layerSizes.at(-1);
    return cache.data.train.targets.subarray(index * outputs, (index + 1) * outputs);
  }

  #sampleModel({ source, traces, cache }, index) {
    if (index === null) return null;
    const train = cache.data.train;
    const row = traces[0].forwardDone ? traces[0].samples.indexOf(index) : -1;
    return {
      index,
      kind: source.kind,
      point: [train.points[2 * index], train.points[2 * index + 1]],
      label: cache.data.classification ? t('legend.class', { n: train.labels[index] }) : t('ix.target', { y: numText(train.labels[index]) }),
      started: traces[0].forwardDone,
      inBatch: row >= 0,
      row,
      batchSize: traces[0].batch,
    };
  }

  #lossModel(frame, index) {
    const { L, traces, samples, cache } = frame;
    const s = samples[L - 1];
    if (index === null || !s) return null;
    const y = this.#targets(cache, index);
    return {
      kind: cache.config.loss, p: s.a, y, value: s.loss,
      batchMean: traces[L - 1].loss, batchSize: traces[L - 1].batch,
    };
  }

  /** The weights and biases layer l's forward pass used: before the update once it ran. */
  #usedParams({ traces, weights }, l) {
    const trace = traces[l];
    return trace.updateDone ? { w: trace.weightsBefore, b: trace.biasesBefore } : { w: weights[l].current, b: weights[l].biases };
  }

  #neuronModel(frame, { column, unit, auto }) {
    const { sizes, L, traces, samples, cache } = frame;
    const l = column - 1;
    const trace = traces[l];
    const s = samples[l];
    const state = this.#state;
    const output = column === L;
    const n = {
      column, unit, auto: !!auto, output, name: this.#name(column, unit), fromName: this.#layerName(column - 1, L),
      activation: output ? outputLayer(state).activation : state.activation,
      forwardDone: trace.forwardDone && !!s, backwardDone: trace.backwardDone && !!s, lossKind: cache.config.loss,
    };
    if (!n.forwardDone) return n;
    const { w, b } = this.#usedParams(frame, l);
    const inputs = sizes[l];
    n.inputs = Array.from({ length: inputs }, (_, i) => ({ name: this.#name(l, i), a: s.input[i], w: w[unit * inputs + i] }));
    n.bias = b[unit];
    n.z = s.z[unit];
    n.a = s.a[unit];
    if (!n.backwardDone) return n;
    n.upstream = s.upstream[unit];
    n.local = s.local[unit];
    n.downstream = s.downstream[unit];
    if (output) {
      const index = frame.source.index;
      n.y = index === null ? 0 : this.#targets(cache, index)[unit];
      n.outputs = sizes[L];
    } else {
      const above = samples[l + 1];
      const { w: wAbove } = this.#usedParams(frame, l + 1);
      n.aboveName = this.#layerName(column + 1, L);
      n.terms = Array.from({ length: sizes[column + 1] }, (_, k) => ({ name: this.#name(column + 1, k), w: wAbove[k * sizes[column] + unit], g: above.downstream[k] }));
    }
    return n;
  }

  #weightModel(frame, { layer, to, from, auto }) {
    const { sizes, traces, samples, weights, paths } = frame;
    const trace = traces[layer];
    const s = samples[layer];
    const inputs = sizes[layer];
    const k = to * inputs + from;
    const state = this.#state;
    const w = {
      layer, to, from, auto: !!auto, output: layer === sizes.length - 2,
      fromName: this.#name(layer, from), toName: this.#name(layer + 1, to),
      course: t('ix.course', { theta: `θ${subscript(to + 1)}${subscript(from + 1)}`, layer: layer + 1 }),
      value: this.#usedParams(frame, layer).w[k],
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
        optimizer: state.optimizer, hyper: frame.cache.config.optimizer, lr: st.lr, state: pick,
        delta: trace.update[k], before: trace.weightsBefore[k], after: weights[layer].current[k],
      };
    }
    return w;
  }
}
