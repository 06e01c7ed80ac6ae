// The page's plain modules in Node: the settings table against the real
// engine, URL parsing and writing, the string tables, the bounded curves.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { apiUrl } from '../helpers/paths.mjs';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src');
const S = await import(path.join(web, 'state.js'));
const { formatBound, formatNumber, groupDigits, LANGUAGES, subscript, superscript } = await import(path.join(web, 'i18n/index.js'));
const { epochText } = await import(path.join(web, 'views/metrics.js'));
const { Series } = await import(path.join(web, 'series.js'));

test('every default survives the trip to URL text and back, and the whole state does too', () => {
  const s = S.defaultState();
  for (const p of S.SETTINGS) {
    if (s[p.name] === null) continue;
    assert.deepEqual(S.parseValue(p, S.formatValue(p, s[p.name])).value, s[p.name], p.name);
  }
  const changed = S.applyChanges(s, {
    classes: 4, optimizer: 'adamw', learningRate: 0.003, beta2: 0.99, schedule: 'cosine', tMax: 120,
    networkShape: [8, 1, 3], features: ['x1', 'sinx2'], noise: 35, percTrainData: 70, seed: 2024, lang: 'ko',
    showTestData: true, speed: '5b', activation: 'elu', init: 'he',
  }).state;
  changed.hide = new Set(['learningRate', 'datasetColumn']);
  const { state, ignored } = S.parseUrl('', `#${S.serialize(changed)}`);
  assert.deepEqual(ignored, []);
  for (const p of S.SETTINGS) if (S.isRelevant(p, changed)) assert.deepEqual(state[p.name], changed[p.name], p.name);
  assert.deepEqual([...state.hide].sort(), ['datasetColumn', 'learningRate']);
});

test('bad URL text is ignored with a reason, and the rest still applies', () => {
  const { state, ignored } = S.parseUrl('?noise=20&embed=1', '#learningRate=NaN&networkShape=3,0&features=&seed=1.5&classes=9'
    + '&optimizer=Adam&bogus=&%ZZ=1&dataset=circle&classes=4&loss=bce&batchSize=0x10&regularizationRate=-0');
  const reasons = Object.fromEntries(ignored.map(({ key, reason }) => [key, reason]));
  assert.deepEqual(reasons, {
    learningRate: 'invalid', networkShape: 'outOfRange', features: 'outOfRange', seed: 'invalid', classes: 'outOfRange',
    optimizer: 'invalid', bogus: 'unknown', '%ZZ=1': 'malformed', dataset: 'notAllowed', loss: 'notAllowed', batchSize: 'invalid',
  });
  assert.equal(state.noise, 20, 'the query is read');
  assert.equal(state.embed, true);
  assert.equal(state.classes, 4, 'a later valid value wins');
  assert.equal(state.dataset, 'spiral', 'four classes need a multiclass dataset');
  assert.equal(state.loss, 'cce');
  assert.equal(state.regularizationRate, 0);
  assert.equal(state.learningRate, S.defaultState().learningRate);
});

test('changes pull their dependants along: classes, datasets, losses, optimizer defaults', () => {
  let s = S.defaultState();
  assert.equal(s.loss, 'bce', 'two classes: binary cross-entropy');
  s = S.applyChanges(s, { classes: 3 }).state;
  assert.deepEqual([s.dataset, s.loss], ['spiral', 'cce']);
  s = S.applyChanges(s, { loss: 'mse' }).state;
  assert.deepEqual(S.outputLayer(s), { units: 3, activation: 'softmax' }, 'MSE on softmax outputs, to compare');
  s = S.applyChanges(s, { dataset: 'xor' }).state;
  assert.equal(s.classes, 2, 'a two-class dataset brings two classes');
  s = S.applyChanges(s, { problem: 'regression' }).state;
  assert.equal(s.loss, 'mse');
  s = S.applyChanges(s, { optimizer: 'adagrad' }).state;
  assert.equal(s.eps, 1e-10, "torch's Adagrad eps");
  s = S.applyChanges(s, { optimizer: 'rmsprop' }).state;
  assert.deepEqual([s.eps, s.momentum, s.rmsDecay], [1e-8, 0, 0.9], 'RMSProp decay 0.9, as the course says');
});

test('the engine accepts every configuration the settings table can produce', async () => {
  const { loadEngine } = await import(apiUrl);
  const lab = await loadEngine();
  const base = S.defaultState();
  const variants = [];
  for (const p of S.SETTINGS) {
    if (!p.engine || (p.type !== 'enum' && p.type !== 'bool')) continue;
    for (const value of p.values ?? [true, false]) variants.push({ [p.name]: value });
  }
  for (const classes of [2, 3, 5]) for (const loss of ['mse', 'bce', 'cce']) variants.push({ classes, loss, dataset: 'blobs' });
  for (const schedule of ['step', 'exponential', 'cosine', 'plateau']) for (const optimizer of ['nesterov', 'rmsprop', 'adamw']) variants.push({ schedule, optimizer });
  variants.push({ networkShape: [] }, { networkShape: [8, 8, 8, 8, 8, 8] }, { features: S.FEATURES }, { regularization: 'l1', regularizationRate: 10 });
  let tried = 0;
  for (const change of variants) {
    const { state } = S.applyChanges(base, change);
    if (!Object.entries(change).every(([k, v]) => JSON.stringify(state[k]) === JSON.stringify(v))) continue;  // not reachable
    const config = S.engineConfig(state);
    const trainer = lab.createTrainer(config);
    assert.ok(Number.isFinite(trainer.trainEpoch().loss), JSON.stringify(change));
    assert.equal(trainer.layerSizes.at(-1), S.outputLayer(state).units);
    trainer.delete();
    tried += 1;
  }
  assert.ok(tried > 40, `${tried} configurations`);
  assert.equal(lab.liveTrainers, 0);
});

test('the optimizer and schedule settings are the engine\'s, which the page only narrows', async () => {
  const { SETTINGS: table } = await import(path.join(web, '../../bindings/settings.mjs'));
  const engine = Object.fromEntries(table.map((e) => [e.field, e]));
  const made = S.SETTINGS.filter((p) => p.field);
  assert.deepEqual(made.map((p) => p.field).sort(), ['optimizer.alpha', 'optimizer.beta1', 'optimizer.beta2', 'optimizer.eps',
    'optimizer.lr', 'optimizer.momentum', 'optimizer.name', 'optimizer.weightDecay', 'schedule.factor', 'schedule.gamma',
    'schedule.metric', 'schedule.name', 'schedule.patience', 'schedule.stepSize', 'schedule.tMax']);
  for (const p of made) {
    const e = engine[p.field];
    const [group, key] = p.field.split('.');
    assert.equal(p.type, { number: 'number', count: 'int', flag: 'bool', choice: 'enum' }[e.type], p.name);
    if (e.values) assert.deepEqual(p.values, e.values, p.name);
    if (e.min !== undefined) {
      assert.ok(e.minOpen ? p.min > e.min : p.min >= e.min, `${p.name}: min ${p.min} inside the engine's`);
      assert.ok(e.maxOpen ? p.max < e.max : p.max <= e.max, `${p.name}: max ${p.max} inside the engine's`);
    }
    for (const kind of engine[`${group}.name`].values) {
      const s = S.applyChanges(S.defaultState(), { [group]: kind }).state;
      if (key !== 'name' && S.isRelevant(p, s)) {
        assert.ok(e.readers.includes(kind), `${p.name} is shown for ${kind}, which reads it`);
        if (!['rmsDecay', 'plateauMetric'].includes(p.name)) assert.equal(s[p.name], e.defaults[kind] ?? e.default, `${p.name}'s default for ${kind}`);
      }
      const config = S.engineConfig(s);
      if (S.isRelevant(p, s)) assert.equal(config[group][key], s[p.name], `${p.name} goes to ${p.field}`);
    }
  }
  assert.equal(S.defaultState().rmsDecay, 0.9, "the course's RMSProp decay, not torch's 0.99");
});

test('Korean and English have the same strings, for every setting and option', async () => {
  const { en, ko } = LANGUAGES;
  assert.deepEqual(Object.keys(ko).sort(), Object.keys(en).sort());
  for (const [key, text] of Object.entries(ko)) {
    const params = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    assert.deepEqual(params(text), params(en[key]), `${key}: same placeholders`);
  }
  for (const p of S.SETTINGS.filter((q) => q.control && q.control !== 'lang')) {
    assert.ok(`setting.${p.name}` in en, `setting.${p.name}`);
    if (p.type === 'enum' && !['datasets'].includes(p.control)) {
      for (const v of p.values) assert.ok(`option.${p.name}.${v}` in en, `option.${p.name}.${v}`);
    }
    if (p.control === 'datasets') for (const v of p.values) assert.ok(`option.${p.name}.${v}` in en, `option.${p.name}.${v}`);
  }
  for (const name of S.PARTS) assert.ok(`part.${name}` in en, `part.${name}`);
  // Every literal key the code asks for exists.
  const files = [];
  const walk = async (dir) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name.endsWith('.js') && !full.includes(`${path.sep}i18n${path.sep}`)) files.push(full);
    }
  };
  await walk(web);
  const html = await readFile(path.join(web, '../index.html'), 'utf8');
  const keys = new Set([...html.matchAll(/data-i18n(?:-label|-title)?="([^"]+)"/g)].map((m) => m[1]));
  for (const file of files) {
    const code = await readFile(file, 'utf8');
    for (const m of code.matchAll(/\bt\('([\w.]+)'/g)) keys.add(m[1]);
    for (const m of code.matchAll(/\bkey: '([\w.]+)'/g)) keys.add(m[1]);
  }
  const missing = [...keys].filter((k) => !(k in en));
  assert.deepEqual(missing, []);
  assert.ok(keys.size > 60, `${keys.size} keys used`);
});

test('a curve keeps a bounded number of points however long it grows, and its exact end', () => {
  const s = new Series(64);
  for (let i = 0; i <= 100000; i++) s.push(i, Math.sin(i));
  assert.ok(s.length <= 64);
  const xs = [];
  s.forEach((x) => xs.push(x));
  assert.ok(xs.length <= 65);
  assert.equal(xs[0], 0);
  assert.equal(xs.at(-1), 100000, 'the latest point is drawn');
  for (let i = 1; i < xs.length; i++) assert.ok(xs[i] > xs[i - 1]);
  const gaps = xs.slice(1, -1).map((x, i) => x - xs[i]);
  assert.ok(Math.max(...gaps) <= 2 * Math.min(...gaps), 'points stay evenly spread');
  s.clear();
  assert.equal(s.empty, true);
});

test('a saved network opens as it was saved; every kind of damaged or foreign file is refused with its reason', async () => {
  const F = await import(path.join(web, 'savefile.js'));
  const { loadEngine } = await import(apiUrl);
  const lab = await loadEngine();
  const state = S.applyChanges(S.defaultState(), { optimizer: 'adam', networkShape: [5, 3], dataset: 'spiral', lang: 'ko' }).state;
  state.hide = new Set(['seed']);
  const t = lab.createTrainer(S.engineConfig(state));
  for (let i = 0; i < 37; i++) t.trainStep();
  const curves = { trainLoss: [[0, 0.7], [1, 0.6]], testAccuracy: [[0, null], [1, 0.5]] };
  const text = F.writeSave({ state, snapshot: t.snapshot(), epochOffset: 3.5, curves, engineVersion: lab.version });
  const doc = JSON.parse(text);
  assert.doesNotMatch(doc.settings, /lang=|_hide=|embed=/, 'the page’s own flags stay out of the file');

  const opened = F.readSave(text, lab);
  assert.equal(opened.epochOffset, 3.5);
  assert.deepEqual(opened.curves.trainLoss, curves.trainLoss);
  assert.ok(Number.isNaN(opened.curves.testAccuracy[0][1]), 'a missing point stays missing');
  for (const p of S.SETTINGS) if (!['lang', 'embed'].includes(p.name)) assert.deepEqual(opened.state[p.name], state[p.name], p.name);
  const u = lab.createTrainer(S.engineConfig(opened.state));
  u.restore(opened.snapshot);
  for (let l = 0; l < t.layerSizes.length - 1; l++) assert.deepEqual([...u.getWeights(l)], [...t.getWeights(l)]);
  assert.deepEqual(u.cursor(), t.cursor());
  t.trainStep();
  u.trainStep();
  assert.deepEqual([...u.getWeights(0)], [...t.getWeights(0)], 'training goes on exactly as it would have');

  const refused = (file, key) => assert.throws(() => F.readSave(file, lab), (err) => err instanceof F.SaveFileError && err.key === key, key);
  const edit = (change) => JSON.stringify({ ...doc, ...change });
  refused('{"format": "backprop-lab-network", ', 'file.notJson');
  refused('<html></html>', 'file.notJson');
  refused('[1, 2]', 'file.notOurs');
  refused(JSON.stringify({ format: 'something-else' }), 'file.notOurs');
  refused(edit({ version: 2 }), 'file.version');
  refused(edit({ settings: 7 }), 'file.damaged');
  refused(edit({ snapshot: '' }), 'file.damaged');
  refused(edit({ snapshot: `${doc.snapshot.slice(0, 10)}!${doc.snapshot.slice(11)}` }), 'file.damaged');
  refused(edit({ epochOffset: -1 }), 'file.damaged');
  refused(edit({ curves: { trainLoss: [[0, 'a']] } }), 'file.damaged');
  refused(edit({ curves: { bogus: [] } }), 'file.damaged');
  refused(edit({ settings: `${doc.settings}&learningRate=fast` }), 'file.settings');
  refused(edit({ settings: doc.settings.replace('networkShape=5,3', 'networkShape=5,4') }), 'file.snapshot');
  const bytes = Uint8Array.from(atob(doc.snapshot), (c) => c.charCodeAt(0));
  bytes[Math.floor(bytes.length / 2)] ^= 1;
  refused(edit({ snapshot: btoa(String.fromCharCode(...bytes)) }), 'file.snapshot');
  refused(edit({ snapshot: doc.snapshot.slice(0, 40) }), 'file.snapshot');
  refused('x'.repeat(F.MAX_SAVE_MB * 1024 * 1024 + 1), 'file.tooBig');
  assert.equal(lab.liveTrainers, 2, 'no scratch trainer is left behind');
  t.delete();
  u.delete();
});

test('numbers as the page writes them: losses in a column, epochs grouped, bounds in full, indices as subscripts', () => {
  assert.equal(formatNumber(0.71, 3, true), '0.710');
  assert.equal(formatNumber(0.71, 3), '0.71');
  assert.equal(formatNumber(-0.00004, 3, true), '−4.00e−5');
  assert.equal(formatNumber(1.12e304, 3), '1.12e+304');
  assert.equal(formatNumber(NaN), '–');
  assert.equal(groupDigits(28860), '28,860');
  assert.equal(groupDigits(999), '999');
  assert.equal(epochText(12), '000,012');
  assert.equal(epochText(1234567), '1,234,567');
  assert.equal(formatBound(2147483647), '2147483647');
  assert.equal(formatBound(-3), '−3');
  assert.equal(formatBound(0.999), '0.999');
  assert.equal(subscript(21), '₂₁');
  assert.equal(superscript(-12), '⁻¹²');
  assert.equal(superscript(5), '⁵');
});
