// One frame-mode step as plain data. The controller (the only module that
// calls the engine) reads the trainer once per step through readFrame();
// frame mode and its views only draw what this returns.
//
// What a frame holds:
// - sizes, L, cursor, last (the step that ran last, or null), traces (trainer.trace(l) for every
//   weight layer) and samples (each layer's numbers for the sample followed: trace(l).probe);
// - params[l]: the weights and biases layer l's forward pass used (before the update, once the
//   update ran) and current[l]: the weights and biases now;
// - source: which sample is followed, { kind: 'probe' (the learner's pick) | 'batch', index };
// - selection: the learner's pick, or the step's own (auto: the neuron just computed, or at the
//   update the first weight of the first layer); focus: the neuron the numbers gather around;
// - paths: a selected weight's chain-rule paths to the loss (trainer.paths), or null;
// - data, config: the training split and the trainer's settings (read once per trainer).
import { lastStep } from './phases.js';

/** Paths listed for a weight, largest |product| first (the engine sums all of them). */
export const PATH_LIMIT = 64;

/** A selection that still fits these layer sizes, or null. */
export function validSelection(selection, sizes) {
  const s = selection;
  if (!s) return null;
  if (s.kind === 'neuron') return s.column >= 1 && s.column < sizes.length && s.unit < sizes[s.column] ? s : null;
  return s.layer < sizes.length - 1 && s.to < sizes[s.layer + 1] && s.from < sizes[s.layer] ? s : null;
}

/** With nothing picked, the step's own: the neuron just computed, or at the update the first weight. */
function autoSelection(last, L) {
  if (!last) return null;
  if (last.phase === 'update') return { kind: 'weight', layer: 0, to: 0, from: 0, auto: true };
  if (last.phase === 'loss') return { kind: 'neuron', column: L, unit: 0, auto: true };
  return { kind: 'neuron', column: last.layer + 1, unit: 0, auto: true };
}

/** The neuron the diagram's numbers gather around: the selected one, or the selected weight's target. */
function focusOf(selection) {
  if (!selection) return null;
  return selection.kind === 'neuron' ? { column: selection.column, unit: selection.unit } : { column: selection.layer + 1, unit: selection.to };
}

/**
 * Reads one step. view: { selection (the learner's pick or null), followed ('probe' when the
 * learner picked the sample, else 'batch'), cache ({ trainer, data, config } of an earlier call,
 * reused while the trainer is the same) }.
 */
export function readFrame(trainer, { selection = null, followed = 'batch', cache = null } = {}) {
  const sizes = trainer.layerSizes;
  const L = sizes.length - 1;
  const cursor = trainer.cursor();
  const traces = Array.from({ length: L }, (_, l) => trainer.trace(l));
  const last = lastStep(cursor, traces[0].updateDone, L);
  const current = traces.map((_, l) => ({ w: trainer.getWeights(l), b: trainer.getBiases(l) }));
  const params = traces.map((trace, l) => (trace.updateDone ? { w: trace.weightsBefore, b: trace.biasesBefore } : current[l]));
  const known = cache?.trainer === trainer ? cache : { trainer, data: trainer.data(), config: trainer.config };
  const chosen = validSelection(selection, sizes) ?? autoSelection(last, L);
  const samples = traces.map((trace) => trace.probe);
  let paths = null;
  if (chosen?.kind === 'weight' && traces[chosen.layer].backwardDone && samples[chosen.layer]) {
    paths = trainer.paths(chosen.layer, chosen.to, chosen.from, { sample: 'probe', limit: PATH_LIMIT });
  }
  return {
    sizes, L, cursor, last, traces, samples, params, current,
    source: { kind: followed, index: trainer.probe },
    selection: chosen,
    focus: focusOf(chosen),
    paths,
    data: known.data,
    config: known.config,
    cache: known,
  };
}
