// The phase machine's order for one batch, as the engine walks it:
// forward(layer 0 … L−1) → loss → backward(layer L−1 … 0) → update.
// Frame mode reads where the cursor stands and which step ran last from it.

/** The steps of one batch for L weight layers: [{ phase, layer }]. */
export function batchSteps(L) {
  const steps = [];
  for (let l = 0; l < L; l++) steps.push({ phase: 'forward', layer: l });
  steps.push({ phase: 'loss', layer: L - 1 });
  for (let l = L - 1; l >= 0; l--) steps.push({ phase: 'backward', layer: l });
  steps.push({ phase: 'update', layer: 0 });
  return steps;
}

const same = (step, cursor) => step.phase === cursor.phase && (step.phase === 'loss' || step.phase === 'update' || step.layer === cursor.layer);

/** Position of the cursor's next step in batchSteps(L). */
export function nextIndex(cursor, L) {
  return Math.max(0, batchSteps(L).findIndex((step) => same(step, cursor)));
}

/**
 * The step that ran last, with its index in batchSteps(L), or null before the first one. At the
 * start of a batch it is the previous batch's update, whose numbers the trace still holds.
 */
export function lastStep(cursor, updateDone, L) {
  const steps = batchSteps(L);
  const next = nextIndex(cursor, L);
  if (next > 0) return { ...steps[next - 1], index: next - 1 };
  return updateDone ? { ...steps.at(-1), index: steps.length - 1 } : null;
}
