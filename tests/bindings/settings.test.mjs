// lab.settings: the engine's one table of optimizer and schedule settings, checked against what
// the engine does with a config, and against the copy the page reads before the engine loads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { settingsModule } from '../../scripts/build.mjs';
import { expectLabError, labForFile } from '../helpers/lab.mjs';

const lab = await labForFile();
const base = { layers: [{ units: 1 }] };
const kinds = { optimizer: lab.names.optimizers, schedule: lab.names.schedules };
const resolve = (group, settings) => lab.resolveConfig({ ...base, [group]: settings })[group];

test('bindings/settings.mjs is the engine\'s table as it is now', async () => {
  const { SETTINGS } = await import(pathToFileURL(settingsModule).href);
  assert.deepEqual(SETTINGS, JSON.parse(JSON.stringify(lab.settings)),
    'bindings/settings.mjs is out of date: run node scripts/build.mjs settings');
});

test('every setting\'s default, per optimizer and schedule, is what a resolved config holds', () => {
  for (const s of lab.settings) {
    const [group, key] = s.field.split('.');
    for (const kind of kinds[group]) {
      const expected = key === 'name' ? s.default : s.defaults[kind] ?? s.default;
      const settings = key === 'name' ? {} : { name: kind };
      if (key === 'name') {
        assert.equal(resolve(group, settings).name, expected, s.field);
        break;
      }
      assert.equal(resolve(group, settings)[key], expected, `${s.field} for ${kind}`);
    }
  }
});

// A config with one setting changed: the optimizer's on SGD, the schedule's on ReduceLROnPlateau,
// with the largest rate so that no floor is judged against a smaller one.
function configWith(group, key, value) {
  const optimizer = { name: 'sgd', lr: 1000, ...(group === 'optimizer' ? { [key]: value } : {}) };
  return { ...base, optimizer, ...(group === 'schedule' ? { schedule: { name: 'plateau', [key]: value } } : {}) };
}

test('every number setting\'s range is the one validation enforces, at both ends', () => {
  for (const s of lab.settings.filter((x) => x.type === 'number' || x.type === 'count')) {
    const [group, key] = s.field.split('.');
    const accepted = (value) => {
      try {
        lab.resolveConfig(configWith(group, key, value));
        return true;
      } catch {
        return false;
      }
    };
    const step = s.type === 'count' ? 1 : Math.max(1e-9, Math.abs(s.max) * 1e-9);
    assert.equal(accepted(s.min), !s.minOpen, `${s.field} at its min ${s.min}`);
    assert.equal(accepted(s.max), !s.maxOpen, `${s.field} at its max ${s.max}`);
    assert.equal(accepted(s.min - step), false, `${s.field} below its min`);
    assert.equal(accepted(s.max + step), false, `${s.field} above its max`);
  }
});

test('a flag is refused with the optimizers that do not read it, and named with those that do', () => {
  let refused = 0;
  for (const s of lab.settings.filter((x) => x.type === 'flag')) {
    const key = s.field.split('.')[1];
    for (const kind of kinds.optimizer.filter((k) => !s.readers.includes(k))) {
      expectLabError(() => lab.resolveConfig({ ...base, optimizer: { name: kind, [key]: true } }),
        { code: 'invalid_config', field: s.field, says: s.readers.map((r) => `'${r}'`) });
      refused += 1;
    }
  }
  assert.ok(refused > 0, 'some optimizer does not read some flag (nesterov, amsgrad, …)');
});
