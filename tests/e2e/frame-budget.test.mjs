// The frame budget (web/src/controller.js): on a machine that keeps the display's pace every
// frame draws everything; when frames run late the numbers and curves, then the maps, are drawn
// every few frames; with time to spare again, every frame.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src');
const { FrameBudget } = await import(path.join(web, 'controller.js'));

/** Runs `frames` frames `interval` ms apart from time t; returns how often each part was drawn. */
function play(budget, frames, interval, t = { now: 1000 }) {
  const drawn = { maps: 0, text: 0 };
  for (let k = 0; k < frames; k++) {
    t.now += interval;
    const parts = budget.next(t.now);
    drawn.maps += parts.maps;
    drawn.text += parts.text;
  }
  return drawn;
}

test('a machine at the display\'s pace draws everything every frame', () => {
  const b = new FrameBudget();
  assert.deepEqual(play(b, 240, 1000 / 60), { maps: 240, text: 240 });
  assert.equal(b.reset(), false, 'nothing was spared');
});

test('late frames spare the text first, then the maps; time to spare brings them back', () => {
  const b = new FrameBudget();
  const t = { now: 1000 };
  play(b, 60, 1000 / 60, t);  // learns the display's interval
  const slow = play(b, 240, 30, t);
  assert.ok(slow.text < 240 / 3, `text drawn on ${slow.text} of 240 late frames`);
  assert.ok(slow.maps < 240, `maps spared too once the text is at its sparest (${slow.maps})`);
  assert.ok(slow.maps > slow.text, 'the maps are spared less than the text');
  play(b, 240, 1000 / 60, t);  // back to the display's pace
  assert.deepEqual(play(b, 120, 1000 / 60, t), { maps: 120, text: 120 });
  play(b, 240, 30, t);
  assert.equal(b.reset(), true, 'a pause after late frames draws what was spared');
});
