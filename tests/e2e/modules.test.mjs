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
    if (S.usesOwnData(state)) {
      // Own data has no generator: the page gives two points with setData.
      assert.equal(config.dataset, undefined);
      const out = S.outputLayer(state);
      trainer.setData([1, 2, -1, -2], out.units > 1 ? [1, 0, 0, 1] : out.activation === 'tanh' ? [1, -1] : [1, 0], 2);
    }
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
  refused('<html></html>', 'file.notJson');
  refused('{"format": "something-else", ', 'file.notJson');
  // A saved file cut short anywhere after its format name says so, not "not a JSON file".
  for (const length of [40, 200, text.length >> 1, text.length - 3]) refused(text.slice(0, length), 'file.truncated');
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

test('every error code the engine and the API can report has a sentence in both languages, without the engine’s English', async () => {
  const root = path.resolve(web, '../..');
  const read = async (dir, ext) => {
    const out = [];
    for (const entry of await readdir(path.join(root, dir), { withFileTypes: true, recursive: true })) {
      if (entry.isFile() && ext.some((e) => entry.name.endsWith(e))) out.push(await readFile(path.join(entry.parentPath ?? entry.path, entry.name), 'utf8'));
    }
    return out.join('\n');
  };
  const api = await readFile(path.join(root, 'bindings/index.mjs'), 'utf8');
  const cpp = `${await read('engine', ['.cpp', '.hpp'])}\n${await read('bindings', ['.cpp', '.hpp'])}`;
  const codes = new Set([
    ...[...api.matchAll(/code: '([a-z_]+)'/g)].map((m) => m[1]),
    ...[...(api.match(/@typedef \{([^}]*)\} LabErrorCode/)?.[1] ?? '').matchAll(/'([a-z_]+)'/g)].map((m) => m[1]),
    ...[...cpp.matchAll(/(?:LabError|error_value)\(\s*"([a-z_]+)"/g)].map((m) => m[1]),
  ]);
  for (const code of ['invalid_config', 'bad_snapshot', 'diverged', 'not_ready', 'internal']) assert.ok(codes.has(code), `${code} was found in the sources`);
  const { errorText } = await import(path.join(web, 'errors.js'));
  const { setLanguage } = await import(path.join(web, 'i18n/index.js'));
  for (const code of codes) {
    for (const lang of ['en', 'ko']) assert.ok(`error.${code}` in LANGUAGES[lang], `error.${code} in ${lang}`);
    setLanguage('ko');
    const said = errorText({ code, field: 'optimizer.lr', message: 'snapshot checksum mismatch (engine words)' }, { lr: '10' });
    assert.match(said, /[가-힣]/, `${code}: Korean`);
    if (code !== 'load_failed') assert.doesNotMatch(said, /engine words/, `${code}: the engine's English stays out of the sentence`);
  }
  setLanguage('en');
  assert.ok(codes.size >= 12, `${codes.size} codes`);
});

test('the PyTorch beside the math: each call names torch’s function with the panel’s values, and parses as Python', async () => {
  const T = await import(path.join(web, 'panels/torch.js'));
  const { setLanguage } = await import(path.join(web, 'i18n/index.js'));
  const calls = {
    sigmoid: 'torch.sigmoid(z)', tanh: 'torch.tanh(z)', relu: 'torch.relu(z)', leakyRelu: 'F.leaky_relu(z, 0.01)',
    elu: 'F.elu(z)', softmax: 'torch.softmax(z, dim=-1)',
  };
  for (const [name, call] of Object.entries(calls)) assert.equal(T.activationCall(name, name === 'leakyRelu' ? 0.01 : undefined), call);
  assert.equal(T.activationCall('elu', 0.5), 'F.elu(z, alpha=0.5)');
  const opt = (changes) => T.optimizerCall(S.engineConfig(S.applyChanges(S.defaultState(), changes).state).optimizer, 'params');
  assert.equal(opt({ learningRate: 0.1 }), 'torch.optim.SGD(params, lr=0.1)');
  assert.equal(opt({ optimizer: 'momentum' }), 'torch.optim.SGD(params, lr=0.03, momentum=0.9)');
  assert.equal(opt({ optimizer: 'nesterov', momentum: 0.8 }), 'torch.optim.SGD(params, lr=0.03, momentum=0.8, nesterov=True)');
  assert.equal(opt({ optimizer: 'adagrad' }), 'torch.optim.Adagrad(params, lr=0.03)');
  assert.equal(opt({ optimizer: 'rmsprop' }), 'torch.optim.RMSprop(params, lr=0.03, alpha=0.9)', 'the course’s decay, which is not torch’s default');
  assert.equal(opt({ optimizer: 'adam', beta2: 0.99 }), 'torch.optim.Adam(params, lr=0.03, betas=(0.9, 0.99))');
  assert.equal(opt({ optimizer: 'adamw', eps: 1e-6 }), 'torch.optim.AdamW(params, lr=0.03, eps=0.000001, weight_decay=0.01)');
  const sched = (changes) => T.scheduleCall(S.engineConfig(S.applyChanges(S.defaultState(), changes).state).schedule);
  assert.equal(sched({ schedule: 'step', stepSize: 4, gamma: 0.5 }), 'torch.optim.lr_scheduler.StepLR(optimizer, step_size=4, gamma=0.5)');
  assert.equal(sched({ schedule: 'exponential' }), 'torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.95)');
  assert.equal(sched({ schedule: 'cosine', tMax: 20 }), 'torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=20)');
  assert.equal(sched({ schedule: 'plateau' }), 'torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.1, patience=10)');
  assert.equal(sched({ schedule: 'constant' }), null);
  for (const lang of ['en', 'ko']) {
    for (const name of ['step', 'exponential', 'cosine', 'plateau']) assert.ok(LANGUAGES[lang][`option.schedule.${name}`].includes(T.scheduleName(name)), `${lang}: ${name} names ${T.scheduleName(name)}`);
  }
  // Every kind of snippet is valid Python, in either language's comments.
  const { spawnSync } = await import('node:child_process');
  for (const lang of ['en', 'ko']) {
    setLanguage(lang);
    const snippets = [
      ...Object.keys(calls).filter((n) => n !== 'softmax').map((n) => T.activationCode(n, { z: -1.5, alpha: 0.01, value: 0.1, derivative: 0.2 })),
      T.activationCode('linear', { z: 2, value: 2, derivative: 1 }),
      T.softmaxCode([2, 1, 0.1], [0.659, 0.242, 0.099]),
      T.crossEntropyCode([0, 2.89, 0], 1, 0.105),
      T.binaryCode(1.5, 1, 0.2014),
      T.examplesCode([[0.1, 0.2, 0.7], [0.3, 0.4, 0.3]], [0, 1], 1.378, 0.269),
      T.twoLossesCode({ hidden: [4, 2], activation: 'tanh', classes: 2, lr: 0.03 }),
      ...['constant', 'step', 'plateau'].map((name) => T.scheduleCode({ name: 'rmsprop', lr: 0.01, alpha: 0.9 }, { name, stepSize: 3, gamma: 0.5, factor: 0.5, patience: 2 }, 10)),
      ...['valley', 'saddle', 'rosenbrock'].map((surface) => T.raceCode(surface, { name: 'nesterov', lr: 0.01, momentum: 0.9 }, [-1.2, 1], 5, 0.5)),
      T.chainCode({ w: 2, b: -1, target: 1 }, 0.6, 0.2, -0.4),
    ];
    for (const code of snippets) {
      const run = spawnSync('/usr/bin/python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: code, encoding: 'utf8' });
      assert.equal(run.status, 0, `${code}\n${run.stderr}`);
      assert.doesNotMatch(code, /−/, 'an ASCII minus, so the code runs');
    }
  }
  setLanguage('en');
});

test('the course’s claims the texts make hold in the engine: vanishing depth, CE against MSE, the lessons’ starts', async () => {
  const { loadEngine } = await import(apiUrl);
  const lab = await loadEngine();
  const loss = (config, epochs) => {
    const t = lab.createTrainer(config);
    const out = [];
    for (let e = 1; e <= epochs; e++) out.push(t.trainEpoch() && t.evaluate().trainLoss);
    t.delete();
    return out;
  };
  // vg.note and lesson.vanishing.try: 4 or more sigmoid layers stay at ln 2 for 200 epochs on the
  // circle; 2 layers stay there for about 100 and then fall; the Gaussian data is learnt with 4.
  const { vanishingConfig } = await import(path.join(web, 'panels/vanishing.js'));
  const deep = loss(vanishingConfig('sigmoid', 4, 'circle'), 200);
  assert.ok(Math.abs(deep[199] - Math.LN2) < 0.005, `4 layers, circle: ${deep[199]}`);
  const shallow = loss(vanishingConfig('sigmoid', 2, 'circle'), 200);
  assert.ok(Math.abs(shallow[49] - Math.LN2) < 0.01 && shallow[199] < 0.6, `2 layers, circle: ${shallow[49]} then ${shallow[199]}`);
  assert.ok(loss(vanishingConfig('sigmoid', 4, 'gauss'), 200)[199] < 0.1, '4 layers learn the Gaussian data');
  assert.ok(loss(vanishingConfig('relu', 6, 'circle'), 50)[49] < 0.1, 'ReLU learns at any depth');

  // The losses panel's training card: with the same softmax output, CE reaches 95 % first; with
  // the playground's own outputs (tanh for MSE) it is the other way round.
  const reach = (config, limit) => {
    const t = lab.createTrainer(config);
    try {
      for (let e = 1; e <= limit; e++) {
        t.trainEpoch();
        if (t.evaluate().trainAccuracy >= 0.95) return e;
      }
      return Infinity;
    } finally {
      t.delete();
    }
  };
  const L = await import(path.join(web, 'panels/losses.js'));
  for (const dataset of L.TRAIN.datasets) {
    const ce = reach(L.trainConfig('cce', dataset, 0.03), 150);
    const mse = reach(L.trainConfig('mse', dataset, 0.03), 150);
    assert.ok(ce < mse, `${dataset}: CE at ${ce}, MSE at ${mse}`);
  }
  const playground = (name) => S.engineConfig(S.applyChanges(S.defaultState(), { loss: name }).state);
  assert.equal(playground('mse').layers.at(-1).activation, 'tanh');
  assert.ok(reach(playground('mse'), 100) < reach(playground('bce'), 100), 'the playground’s MSE is the faster one');

  // The perceptron lesson starts wrong and is watched to learn: 0 % at first, not yet at epoch 1,
  // 95 % within 30 epochs.
  const perceptron = lab.createTrainer(S.engineConfig(S.parseUrl('', '#lesson=perceptron').state));
  assert.ok(perceptron.evaluate().testAccuracy < 0.5, 'the line starts the wrong way round');
  perceptron.trainEpoch();
  assert.ok(perceptron.evaluate().testAccuracy < 0.95, 'not solved after one epoch');
  let epochs = 1;
  while (perceptron.evaluate().testAccuracy < 0.95 && epochs < 30) {
    perceptron.trainEpoch();
    epochs += 1;
  }
  assert.ok(epochs > 3 && epochs < 30, `95 % at epoch ${epochs}`);
  perceptron.delete();
  assert.equal(lab.liveTrainers, 0);
});

test('the regression lesson’s partial derivatives, worked by hand from its data, are the engine’s ∂L/∂w₀ and ∂L/∂w₁', async () => {
  const { loadEngine } = await import(apiUrl);
  const lab = await loadEngine();
  const { state } = S.parseUrl('', '#lesson=regression');
  assert.deepEqual([state.problem, state.networkShape, state.features, state.loss, state.mode], ['regression', [], ['x1'], 'mse', 'frames']);
  const t = lab.createTrainer(S.engineConfig(state));
  const w1 = t.getWeights(0)[0], w0 = t.getBiases(0)[0];
  const { points, labels } = t.data().train;
  for (let k = 0; k < 3; k++) t.stepPhase();  // forward, loss, backward of the first batch
  const trace = t.trace(0);
  const n = trace.batch;
  assert.equal(n, state.batchSize);
  let dw0 = 0, dw1 = 0;
  for (const i of trace.samples) {
    const x = points[2 * i];
    const z = labels[i] - (w0 + w1 * x);  // the course's Z = y − (w₀ + w₁x)
    dw0 += (-2 / n) * z;
    dw1 += (-2 / n) * z * x;
  }
  assert.ok(Math.abs(trace.db[0] - dw0) < 1e-12, `∂L/∂w₀: ${trace.db[0]} against ${dw0}`);
  assert.ok(Math.abs(trace.dW[0] - dw1) < 1e-12, `∂L/∂w₁: ${trace.dW[0]} against ${dw1}`);
  t.delete();
});

test('choosing 3 classes on the circle moves the dataset and the loss, and both are marked to be announced', () => {
  const before = S.defaultState();
  const { state, changed } = S.applyChanges(before, { classes: 3 });
  assert.deepEqual([state.dataset, state.loss], ['spiral', 'cce']);
  const announced = [...changed].filter((name) => name !== 'classes' && S.SETTING[name].announce);
  assert.deepEqual(announced.sort(), ['dataset', 'loss']);
});
