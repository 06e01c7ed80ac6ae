// 2 000 damaged save files through the reader: truncated, with bytes changed, fields removed or
// of another type, settings and snapshots altered. Each is either refused with a SaveFileError
// whose reason the page can say in both languages, or read whole (then its settings write back
// unchanged and its snapshot restores); nothing else is ever thrown, and no engine memory is kept.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadEngine } from '../helpers/lab.mjs';
import { check, SEED } from './random.mjs';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src');
const S = await import(path.join(web, 'state.js'));
const F = await import(path.join(web, 'savefile.js'));
const { LANGUAGES } = await import(path.join(web, 'i18n/index.js'));
const lab = await loadEngine();

/** Real save files: a few networks trained a little, as the page saves them. */
function saves() {
  return ['', '#classes=3&dataset=spiral&optimizer=adam&networkShape=5,3&mode=frames', '#problem=regression&optimizer=rmsprop&schedule=plateau&regularization=l2&regularizationRate=0.01']
    .map((hash) => {
      const { state } = S.parseUrl('', hash);
      const t = lab.createTrainer(S.engineConfig(state));
      t.trainEpoch();
      t.trainEpoch();
      const text = F.writeSave({ state, snapshot: t.snapshot(), epochOffset: 1.5, curves: { trainLoss: [[0, 0.7], [1, 0.6]], testLoss: [[0, 0.71], [1, null]] }, engineVersion: lab.version });
      t.delete();
      return text;
    });
}

const FIELDS = ['format', 'version', 'engine', 'settings', 'epochOffset', 'curves', 'snapshot'];
const ODD = [null, 0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, '', 'x', [], {}, [[0, 1]], { trainLoss: [[0, 'a']] }, true, '%%%%', 'AAAA', 'A'.repeat(4097)];

function damage(t, text) {
  switch (t.int(7)) {
    case 0: return text.slice(0, t.int(text.length));                                  // truncated
    case 1: { const i = t.int(text.length); return text.slice(0, i) + t.text(3) + text.slice(i + 1); }  // a byte changed
    case 2: { const i = t.int(text.length); return text.slice(0, i) + text.slice(i + 1 + t.int(40)); }   // a run removed
    default: {
      const doc = JSON.parse(text);
      const field = t.pick(FIELDS);
      const how = t.int(5);
      if (how === 0) delete doc[field];
      else if (how === 1) doc[field] = t.pick(ODD);
      else if (how === 2 && typeof doc.settings === 'string') doc.settings += `&${t.pick(['learningRate=abc', 'bogus=1', 'seed=2', 'networkShape=9', 'mode=frames', 'x=true'])}`;
      else if (how === 3 && typeof doc.snapshot === 'string') {
        const i = t.int(doc.snapshot.length);
        doc.snapshot = doc.snapshot.slice(0, i) + t.pick(['A', 'B', '+', '/', '=', '*']) + doc.snapshot.slice(i + 1);
      } else doc.curves = { [t.pick(['trainLoss', 'bogus'])]: Array.from({ length: t.int(5) }, () => [t.int(3), t.pick([0.5, null, 'x', Infinity])]) };
      return JSON.stringify(doc);
    }
  }
}

test(`2 000 damaged save files are refused with a reason or read whole, never anything else (seed ${SEED})`, async () => {
  const originals = saves();
  for (const text of originals) assert.ok(F.readSave(text, lab), 'an undamaged file reads');
  const before = lab.memory();
  const seen = new Map();
  await check({
    name: 'savefile',
    count: 2000,
    make: (t) => damage(t, t.pick(originals)),
    shrinkable: () => false,
    property: (text) => {
      let saved;
      try {
        saved = F.readSave(text, lab);
      } catch (err) {
        assert.ok(err instanceof F.SaveFileError, `only SaveFileError escapes, not ${err?.name}: ${err?.message}`);
        for (const table of Object.values(LANGUAGES)) assert.ok(err.key in table, `${err.key} in both languages`);
        seen.set(err.key, (seen.get(err.key) ?? 0) + 1);
        return;
      }
      seen.set('read', (seen.get('read') ?? 0) + 1);
      const again = S.parseUrl('', `#${S.serialize(saved.state)}`);
      assert.deepEqual(again.ignored, []);
      const t = lab.createTrainer(S.engineConfig(saved.state));
      try { t.restore(saved.snapshot); } finally { t.delete(); }
    },
  });
  console.log(`outcomes of 2 000 damaged files: ${JSON.stringify(Object.fromEntries(seen))}`);
  assert.ok(seen.size >= 5, 'the damage reaches several of the reader\'s checks');
  assert.equal(lab.memory().used, before.used, 'no engine memory kept');
  assert.equal(lab.liveTrainers, 0);
});
