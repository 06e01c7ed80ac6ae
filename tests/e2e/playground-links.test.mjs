// TensorFlow Playground's links open as the same experiment: every key its src/state.ts writes,
// both problem types, its hide keys, its seeds; round trips; and the Share dialog's field.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { newPage, openBrowser, openLab } from './browser.mjs';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src');
const S = await import(path.join(web, 'state.js'));
const P = await import(path.join(web, 'playground-link.js'));

// A link exactly as the Playground writes it (its serialize(): every PROPS key in order).
const LINK = 'activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03&regularizationRate=0'
  + '&noise=0&networkShape=4,2&seed=0.66230&showTestData=false&discretize=false&percTrainData=50&x=true&y=true'
  + '&xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false'
  + '&problem=classification&initZero=false&hideText=false';
const parse = (hash) => S.parseUrl('', `#${hash}`);

test('the Playground\'s own link opens as its experiment, with nothing ignored', () => {
  const { state, ignored } = parse(LINK);
  assert.deepEqual(ignored, []);
  assert.equal(state.activation, 'tanh');
  assert.equal(state.batchSize, 10);
  assert.equal(state.dataset, 'circle');
  assert.equal(state.learningRate, 0.03);
  assert.equal(state.regularizationRate, 0);
  assert.equal(state.noise, 0);
  assert.deepEqual(state.networkShape, [4, 2]);
  assert.equal(state.seed, 66230);
  assert.equal(state.showTestData, false);
  assert.equal(state.discretize, false);
  assert.equal(state.percTrainData, 50);
  assert.deepEqual(state.features, ['x1', 'x2']);
  assert.equal(state.problem, 'classification');
  // The Playground's loss, ½(ŷ − y)² on a tanh output with ±1 labels, from its U(−0.5, 0.5) start.
  assert.equal(state.loss, 'half_mse');
  assert.equal(state.init, 'uniform');
  assert.deepEqual(S.outputLayer(state), { units: 1, activation: 'tanh' });
});

test('the Playground\'s loss and start: half_mse for both problems, initZero, and the lab\'s own keys win', () => {
  const regression = parse('problem=regression&regDataset=reg-plane&x=true&initZero=false');
  assert.equal(regression.state.loss, 'half_mse');
  assert.deepEqual(S.outputLayer(regression.state), { units: 1, activation: 'linear' });
  const zero = parse(`${LINK.replace('initZero=false', 'initZero=true')}`);
  assert.deepEqual(zero.ignored, [], 'initZero is understood');
  assert.equal(zero.state.init, 'zero');
  // A link that names the lab's loss or init keeps them.
  const own = parse('x=true&y=true&loss=bce&init=he&initZero=true');
  assert.equal(own.state.loss, 'bce');
  assert.equal(own.state.init, 'he');
  // The lab's own links are not the Playground's: their defaults stay.
  const lab = parse('dataset=circle&seed=3');
  assert.equal(lab.state.loss, 'bce');
  assert.equal(lab.state.init, 'xavier');
});

test('each of the Playground\'s inputs maps to the lab\'s feature, alone or together', () => {
  const inputs = { x: 'x1', y: 'x2', xSquared: 'x1sq', ySquared: 'x2sq', xTimesY: 'x1x2', sinX: 'sinx1', sinY: 'sinx2' };
  for (const [key, feature] of Object.entries(inputs)) {
    const off = Object.keys(inputs).filter((k) => k !== key).map((k) => `${k}=false`).join('&');
    const { state, ignored } = parse(`${off}&${key}=true`);
    assert.deepEqual(ignored, [], key);
    assert.deepEqual(state.features, [feature], key);
  }
  assert.deepEqual(parse('x=true&y=true&xSquared=true&sinY=true').state.features, ['x1', 'x2', 'x1sq', 'sinx2'], 'in the lab\'s order');
  const cos = parse('x=true&cosX=true');
  assert.deepEqual(cos.ignored, [{ key: 'cosX', value: 'true', reason: 'unsupported' }], 'cos(X₁) is not an input here: said so');
});

test('regression links: reg-plane and reg-gauss, and the Playground\'s other regression sets reported', () => {
  assert.equal(parse('problem=regression&regDataset=reg-plane&x=true').state.regDataset, 'plane');
  const gauss = parse('problem=regression&regDataset=reg-gauss&x=true');
  assert.equal(gauss.state.regDataset, 'multigauss');
  assert.equal(gauss.state.problem, 'regression');
  const other = parse('problem=regression&regDataset=reg-maximum&x=true');
  assert.deepEqual(other.ignored, [{ key: 'regDataset', value: 'reg-maximum', reason: 'unsupported' }]);
  assert.equal(other.state.regDataset, 'plane', 'the default stays');
});

test('regularization L1 and L2, rates and every other shared key', () => {
  for (const [given, kind] of [['L1', 'l1'], ['L2', 'l2'], ['none', 'none']]) {
    const { state, ignored } = parse(`regularization=${given}&regularizationRate=0.003&x=true`);
    assert.deepEqual(ignored, []);
    assert.equal(state.regularization, kind);
    assert.equal(state.regularizationRate, 0.003);
  }
  const { state } = parse('activation=relu&batchSize=25&dataset=spiral&learningRate=0.3&noise=35&networkShape=8,8,5&percTrainData=70&showTestData=true&discretize=true&x=true');
  assert.deepEqual([state.activation, state.batchSize, state.dataset, state.learningRate, state.noise, state.networkShape, state.percTrainData, state.showTestData, state.discretize],
    ['relu', 25, 'spiral', 0.3, 35, [8, 8, 5], 70, true, true]);
  assert.deepEqual(parse('networkShape=&x=true').state.networkShape, [], 'no hidden layer');
});

test('a Playground seed maps to a whole seed, always the same for the same text', () => {
  assert.equal(P.playgroundSeed('0.66230'), 66230);
  assert.equal(P.playgroundSeed('0.5'), 50000);
  assert.equal(P.playgroundSeed('.12345'), 12345);
  assert.equal(P.playgroundSeed('42'), 42);
  const text = P.playgroundSeed('my class');
  assert.equal(P.playgroundSeed('my class'), text);
  assert.notEqual(P.playgroundSeed('my class 2'), text);
  assert.ok(Number.isInteger(text) && text >= 0 && text <= 2147483647);
  assert.equal(parse('seed=my%20class&x=true').state.seed, text);
});

test('the Playground\'s hide keys hide the same controls, and a hidden input leaves the network', () => {
  const { state, ignored } = parse('x=true&y=true&activation_hide=true&numHiddenLayers_hide=true&playButton_hide=true&stepButton_hide=true'
    + '&resetButton_hide=true&learningRate_hide=true&dataset_hide=true&problem_hide=true&y_hide=true');
  assert.deepEqual(ignored, []);
  for (const name of ['activation', 'networkShape', 'playControls', 'step', 'reset', 'learningRate', 'dataset', 'regDataset', 'problem', 'features']) {
    assert.ok(state.hide.has(name), `${name} hidden`);
  }
  assert.deepEqual(state.features, ['x1'], 'the hidden input is not in the network');
});

test('keys without meaning here are accepted quietly; a lab link is left alone', () => {
  assert.deepEqual(parse('x=true&collectStats=true&hideText=true&tutorial=dropout').ignored, []);
  const lab = 'dataset=xor&seed=3&features=x1,x2,x1x2&regularization=l1';
  assert.equal(P.isPlaygroundLink(lab.split('&').map((p) => ({ key: p.split('=')[0], value: p.split('=')[1] }))), false);
  assert.deepEqual(parse(lab).state.features, ['x1', 'x2', 'x1x2']);
});

test('a Playground link round-trips: the lab\'s link for it opens the same state', () => {
  for (const link of [LINK, 'problem=regression&regDataset=reg-gauss&x=true&y=false&xSquared=true&seed=0.00017&networkShape=3&regularization=L2&regularizationRate=0.01',
    'dataset=xor&x=true&y=true&xTimesY=true&activation=sigmoid&sinX_hide=true&numHiddenLayers_hide=true']) {
    const first = parse(link).state;
    const again = parse(S.serialize(first));
    assert.deepEqual(again.ignored, [], link);
    assert.deepEqual({ ...again.state, hide: [...again.state.hide].sort() }, { ...first, hide: [...first.hide].sort() }, link);
  }
});

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.close(); });

test('the page opens a Playground link with no notice, and the Share dialog opens a pasted one', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  await openLab(page, `${browser.url}#${LINK}`);
  assert.equal(await page.locator('#notices .notice').count(), 0, 'nothing reported as ignored');
  assert.match(page.url(), /features=x1,x2/);
  assert.match(page.url(), /seed=66230/);
  await page.click('#share');
  await page.fill('#open-link', `https://playground.tensorflow.org/#activation=relu&dataset=xor&networkShape=3&x=true&y=true&xTimesY=true&seed=0.12345&learningRate=0.1&regularization=L2&regularizationRate=0.001`);
  await page.click('#open-link-button');
  await page.waitForFunction(() => /activation=relu/.test(location.hash));
  assert.match(page.url(), /dataset=xor/);
  assert.match(page.url(), /features=x1,x2,x1x2/);
  assert.match(page.url(), /networkShape=3(&|$)/);
  assert.match(page.url(), /seed=12345/);
  assert.match(page.url(), /regularization=l2/);
  assert.equal(await page.inputValue('#setting-activation'), 'relu');
  assert.match(page.url(), /loss=half_mse/);
  await page.click('#share');
  await page.fill('#open-link', 'https://playground.tensorflow.org/');
  await page.click('#open-link-button');
  assert.match(await page.textContent('.share-dialog'), /No settings found/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('initZero opens with every weight 0: each tanh output is 0, so the Playground\'s loss is ½(0 − (±1))² = 0.5', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  await openLab(page, `${browser.url}#${LINK.replace('initZero=false', 'initZero=true')}`);
  assert.equal(await page.locator('#notices .notice').count(), 0);
  assert.equal(await page.inputValue('#setting-loss'), 'half_mse');
  const losses = await page.$$eval('#train-loss, #test-loss', (els) => els.map((el) => Number(el.dataset.value)));
  assert.deepEqual(losses, [0.5, 0.5]);
  assert.deepEqual(errors, []);
  await page.close();
});
