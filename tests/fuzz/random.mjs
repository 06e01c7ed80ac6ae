// Seeded randomness for the fuzz tests, and the shrinking that turns a failing input into the
// shortest one that still fails. The seed comes from BPLAB_FUZZ_SEED (else a fixed one, so CI
// runs are repeatable) and is printed, with the shortest failing input, when a property fails.

// mulberry32, the page's own seeded generator (it deals own data into splits): () → [0, 1).
import { random as generator } from '../../web/src/data/owndata.js';

export const SEED = Number(process.env.BPLAB_FUZZ_SEED || 20261203) >>> 0;

/** Helpers over one generator: int(n) in [0, n), pick(list), chance(p), text(n) (any UTF-16). */
export function tools(random) {
  const int = (n) => Math.floor(random() * n);
  const pick = (list) => list[int(list.length)];
  const chance = (p) => random() < p;
  const ALPHABET = ['a', 'Z', '0', '9', '=', '&', '%', '#', '?', ',', '.', '-', '+', ' ', '<', '>', '"', "'", '/', '\\', 'é', '한', '𝑥', '\u0000', '\u202e', '\ud800'];
  const text = (n) => Array.from({ length: int(n) }, () => pick(ALPHABET)).join('');
  return { int, pick, chance, text };
}

/**
 * Runs property(input) on `count` inputs made by make(tools, k); on the first failure, shrinks
 * the input (a list: drops items one at a time while it still fails) and throws an error naming
 * the seed, the case and the shortest failing input (as show(input) writes it in JSON).
 */
export async function check({ name, count, make, property, shrinkable = (x) => Array.isArray(x), show = (x) => x }) {
  const random = generator(SEED ^ hash(name));
  const t = tools(random);
  for (let k = 0; k < count; k++) {
    const input = make(t, k);
    const failure = await failureOf(property, input);
    if (!failure) continue;
    let smallest = input;
    let why = failure;
    if (shrinkable(input)) {
      for (let i = 0; i < smallest.length;) {
        const shorter = [...smallest.slice(0, i), ...smallest.slice(i + 1)];
        const again = await failureOf(property, shorter);
        if (again) { smallest = shorter; why = again; } else i += 1;
      }
    }
    throw new Error(`${name}: case ${k} of seed ${SEED} (rerun with BPLAB_FUZZ_SEED=${SEED}) fails: ${why}\nshortest failing input: ${JSON.stringify(show(smallest))}`);
  }
}

async function failureOf(property, input) {
  try {
    await property(input);
    return null;
  } catch (err) {
    return err?.stack ?? String(err);
  }
}

function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
