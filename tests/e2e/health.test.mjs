// Training that stalls while every number stays finite: a dead ReLU layer and a loss that swings.
// The detection rules on series worked out by hand, then the page: learning rate 10 with ReLU
// kills a layer and makes the loss jump (the notice says so in both languages), the defaults never.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { newPage, openBrowser, openLab } from './browser.mjs';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src');
const H = await import(path.join(web, 'health.js'));

test('a swinging loss is told from a falling one and from a noisy but learning one', () => {
  const swing = Array.from({ length: H.WINDOW }, (_, i) => (i % 2 ? 3.2 : 0.7));
  assert.deepEqual(H.oscillation(swing, 1.0), { low: 0.7, high: 3.2 });
  assert.equal(H.oscillation(swing.slice(1), 1.0), null, 'too few epochs to say');
  assert.equal(H.oscillation(swing.map((x) => x / 10), 1.0), null, 'far below the first epoch\'s loss: it learned, and swings near its floor');
  const falling = Array.from({ length: H.WINDOW }, (_, i) => 1 / (i + 1) + (i % 2 ? 0.05 : 0));
  assert.equal(H.oscillation(falling, 1.0), null, 'a loss that falls while it zig-zags is learning');
  const ripple = Array.from({ length: H.WINDOW }, (_, i) => 0.6 + (i % 2 ? 0.03 : -0.03));
  assert.equal(H.oscillation(ripple, 0.7), null, 'a ripple of 10 % is mini-batch noise');
  const spikes = Array.from({ length: H.WINDOW }, (_, i) => (i === 4 || i === 9 ? 0.66 : 0.6 - 0.01 * i));
  assert.equal(H.oscillation(spikes, 0.7), null, 'two spikes in a falling run');
  const tiny = Array.from({ length: H.WINDOW }, (_, i) => (i % 2 ? 0.04 : 0.01));
  assert.equal(H.oscillation(tiny, 0.03), null, 'swings of a loss that is already tiny do not matter');
  assert.equal(H.oscillation([...swing.slice(1), Infinity], 1.0), null, 'divergence has its own message');
});

test('a dead layer is a hidden ReLU layer whose every unit is dead; the output and other activations are not', () => {
  const layers = [{ units: 4, activation: 'relu' }, { units: 2, activation: 'relu' }, { units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }];
  assert.deepEqual(H.deadLayers([4, 1, 3, 1], layers), [1]);
  assert.deepEqual(H.deadLayers([3, 2, 0, 0], layers), [2]);
  assert.deepEqual(H.deadLayers([0, 0, 0, 1], layers), []);
});

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.close(); });

// Plays until the health notice says what `until` matches (or anything, without it), or the time is up.
async function playAndRead(hash, seconds, until = /./) {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 800 } });
  await openLab(page, `${browser.url}#${hash}`);
  await page.click('#play');
  await page.waitForFunction((source) => new RegExp(source).test(document.querySelector('#notices [data-notice="health"]')?.textContent ?? ''),
    until.source, { timeout: seconds * 1000 }).catch(() => {});
  const notice = page.locator('#notices [data-notice="health"]');
  const text = (await notice.count()) ? await notice.textContent() : null;
  await page.click('#play');
  const epoch = Number((await page.textContent('#epoch')).replace(/\D/g, ''));
  await page.close();
  assert.deepEqual(errors, []);
  return { text, epoch };
}

test('learning rate 10 with ReLU: the page says the layer died and the loss swings, in English and Korean', async () => {
  const en = await playAndRead('lang=en&activation=relu&learningRate=10', 20);
  assert.ok(en.text, 'a notice appears');
  assert.match(en.text, /Every ReLU of hidden layer \d outputs 0 for every training point/);
  assert.match(en.text, /Leaky ReLU/);
  const ko = await playAndRead('lang=ko&activation=relu&learningRate=10', 20);
  assert.match(ko.text, /은닉층 \d의 모든 ReLU가 모든 훈련 데이터에서 0을 출력합니다/);
  const swing = await playAndRead('lang=en&activation=relu&learningRate=10', 30, /jumps/);
  assert.match(swing.text, /The training loss jumps between [\d.]+ and [\d.]+ instead of falling/);
  assert.match(swing.text, /learning rate 10 is probably too large/);
  // The window's lowest and highest training loss: a real swing, around ln 2 = 0.693 (chance) and above.
  const [low, high] = swing.text.match(/between ([\d.]+) and ([\d.]+)/).slice(1).map(Number);
  assert.ok(low > 0.3 && high > 1.5 * low, `low ${low}, high ${high}`);
  const swingKo = await playAndRead('lang=ko&activation=relu&learningRate=10', 30, /오르내립니다/);
  assert.match(swingKo.text, /훈련 손실이 줄어들지 않고 [\d.]+와 [\d.]+ 사이를 오르내립니다/);
});

test('the defaults train without such a notice', async () => {
  for (const hash of ['lang=en', 'lang=en&dataset=spiral&activation=relu&networkShape=8,8,6&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2']) {
    const { text, epoch } = await playAndRead(hash, 6);
    assert.equal(text, null, hash);
    // It trained long enough for either notice to show: a window of epochs, and more.
    assert.ok(epoch >= 2 * H.WINDOW, `${hash}: epoch ${epoch}`);
  }
});
