// 10 000 URL hashes (and queries) through the page's URL parser: the lab's keys with valid,
// boundary and hostile values, TensorFlow Playground's keys, hide keys and junk. Whatever comes
// in, the parser returns a state every setting of which is valid (it writes back to the same
// state with nothing ignored, and the engine accepts its config), and each ignored key has a
// reason the page can say in both languages.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadEngine } from '../helpers/lab.mjs';
import { check, SEED } from './random.mjs';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src');
const S = await import(path.join(web, 'state.js'));
const { LANGUAGES } = await import(path.join(web, 'i18n/index.js'));
const lab = await loadEngine();

const PLAYGROUND = ['x', 'y', 'xSquared', 'ySquared', 'xTimesY', 'sinX', 'sinY', 'cosX', 'cosY', 'collectStats', 'hideText', 'initZero', 'tutorial',
  'regDataset', 'regularization', 'numHiddenLayers_hide', 'playButton_hide', 'x_hide'];
const HOSTILE = ['', 'NaN', 'Infinity', '-Infinity', '1e308', '-1e308', '-0', '0x10', '1e-320', '5e-324', '00001', '1,2,3', ',,', 'true', 'false', 'null', 'undefined',
  '<script>alert(1)</script>', '"><svg onload=alert(1)>', '%', '%ZZ', '%E0%A4%A', '%00', 'constructor', '__proto__', 'toString', '🙂', '한국어', 'a'.repeat(3000)];

function valueFor(p, t) {
  switch (p?.type) {
    case 'enum': return t.chance(0.7) ? t.pick(p.values) : t.pick([...HOSTILE, p.values[0].toUpperCase()]);
    case 'bool': return t.pick(['true', 'false', '1', '0', 'yes', '']);
    case 'int':
    case 'number': {
      const span = [p.min, p.max, p.min - 1, p.max + 1, (p.min + p.max) / 2, p.min + t.int(100), -p.max];
      return t.chance(0.6) ? String(t.pick(span)) : t.chance(0.5) ? String(t.pick(p.presets ?? [1])) : t.pick(HOSTILE);
    }
    case 'list': return t.chance(0.7) ? p.values.filter(() => t.chance(0.4)).join(',') : t.pick(HOSTILE);
    case 'intList': return t.chance(0.7) ? Array.from({ length: t.int(9) }, () => t.int(11)).join(',') : t.pick(HOSTILE);
    case 'origin': return t.pick(['https://example.org', 'http://127.0.0.1:8080', 'https://example.org/path', 'javascript:alert(1)', 'null', ...HOSTILE]);
    default: return t.chance(0.5) ? t.pick(HOSTILE) : t.text(12);
  }
}

function pair(t) {
  const kind = t.int(10);
  let key;
  if (kind < 6) key = t.pick(S.SETTINGS).name;
  else if (kind < 7) key = `${t.pick(S.HIDEABLE)}_hide`;
  else if (kind < 9) key = t.pick(PLAYGROUND);
  else key = t.chance(0.5) ? t.text(8) : t.pick(HOSTILE);
  const value = key.endsWith('_hide') ? t.pick(['true', 'false', 'maybe']) : valueFor(S.SETTING[key], t);
  const encode = (text) => {
    if (!t.chance(0.5)) return text;
    try { return encodeURIComponent(text); } catch { return text; }  // a lone surrogate cannot be encoded: sent raw
  };
  return t.chance(0.05) ? encode(key) : `${encode(key)}=${encode(value)}`;
}

const REASONS = new Set(['unknown', 'invalid', 'outOfRange', 'notAllowed', 'malformed', 'unsupported']);

test(`10 000 URLs through the page's parser give valid, round-tripping states the engine accepts (seed ${SEED})`, async () => {
  const before = lab.memory();
  await check({
    name: 'url',
    count: 10000,
    make: (t) => Array.from({ length: t.int(14) }, () => pair(t)),
    property: (pairs) => {
      const query = pairs.length > 3 ? pairs.slice(0, 2).join('&') : '';
      const hash = (pairs.length > 3 ? pairs.slice(2) : pairs).join('&');
      const { state, ignored } = S.parseUrl(query ? `?${query}` : '', `#${hash}`);
      for (const item of ignored) {
        assert.equal(typeof item.key, 'string');
        assert.ok(REASONS.has(item.reason), `reason ${item.reason}`);
        for (const table of Object.values(LANGUAGES)) assert.ok(`reason.${item.reason}` in table, `reason.${item.reason} in both languages`);
      }
      // What the state means (its URL, its engine config) survives writing and reading it again;
      // a setting that does not apply (a plateau's factor with another schedule) is not written.
      const again = S.parseUrl('', `#${S.serialize(state)}`);
      assert.deepEqual(again.ignored, [], 'the state writes back without a fault');
      assert.equal(S.serialize(again.state), S.serialize(state));
      // With own data the class count is the data's (the page takes it from `data=`), not a setting's.
      if (!S.usesOwnData(state)) assert.deepEqual(S.engineConfig(again.state), S.engineConfig(state));
      assert.deepEqual([...again.state.hide].sort(), [...state.hide].sort());
      lab.resolveConfig(S.engineConfig(state));  // throws a LabError if the engine refuses it
    },
  });
  const after = lab.memory();
  assert.equal(after.used, before.used, 'the engine kept no memory');
  assert.equal(lab.liveTrainers, 0);
});
