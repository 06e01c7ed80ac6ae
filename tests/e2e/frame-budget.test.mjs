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

/**
 * A machine at the edge: a frame that draws both the text and the maps misses the display's
 * interval (it takes two), any other frame keeps it. Runs `frames` frames; how many were late,
 * and how many drew both parts.
 */
function edge(budget, frames, t = { now: 1000 }) {
  const vsync = 1000 / 60;
  let late = 0;
  let both = 0;
  let parts = { maps: true, text: true };
  for (let k = 0; k < frames; k++) {
    const slow = parts.maps && parts.text;
    late += slow;
    t.now += slow ? 2 * vsync : vsync;
    parts = budget.next(t.now);
    both += parts.maps && parts.text;
  }
  return { late, both };
}

test('spared parts fall on different frames, so that no frame carries both', () => {
  const b = new FrameBudget();
  const t = { now: 1000 };
  play(b, 60, 1000 / 60, t);
  play(b, 600, 40, t);  // slow enough to spare the text to every 6th frame and the maps to every 3rd
  let both = 0;
  let drawn = { maps: 0, text: 0 };
  for (let k = 0; k < 120; k++) {
    t.now += 40;
    const parts = b.next(t.now);
    both += parts.maps && parts.text;
    drawn = { maps: drawn.maps + parts.maps, text: drawn.text + parts.text };
  }
  assert.ok(drawn.maps > 0 && drawn.maps < 120 && drawn.text > 0 && drawn.text < 120, JSON.stringify(drawn));
  assert.equal(both, 0);
});

test('at the edge, the budget keeps the display\'s pace instead of swinging around it', () => {
  const run = edge(new FrameBudget(), 3600);  // a minute at 60 Hz
  // Drawing everything every frame would make every frame late; sparing settles, and the tries
  // to draw more again come ever more rarely (each one that fails doubles the wait).
  assert.ok(run.late < 3600 * 0.05, `${run.late} of 3600 frames late`);
  assert.ok(run.both < 3600 * 0.05, `${run.both} of 3600 frames drew both parts`);
});

