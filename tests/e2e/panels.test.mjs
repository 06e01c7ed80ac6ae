// The course panels in the browser: each renders in both languages and on a
// phone, responds to its controls, and shows the engine's numbers: the
// activations and losses against the API called here in Node, the softmax
// calculator's −log 0.9 = 0.105, the course's two 3-sample examples, the
// optimizer race against lab.descendSurface, the schedule marker against
// lab.scheduleRates.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { apiUrl } from '../helpers/paths.mjs';
import { canvasColours, newPage, openBrowser, openLab, screenshot, screenshotDir, valueOf } from './browser.mjs';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src');
const S = await import(pathToFileURL(path.join(web, 'state.js')).href);

let browser;
let lab;
before(async () => {
  browser = await openBrowser();
  lab = await (await import(apiUrl)).loadEngine();
});
after(async () => { await browser?.close(); });

const at = (hash = '') => `${browser.url}${hash}`;
const PANELS = ['chain', 'activations', 'vanishing', 'losses', 'optimizers', 'schedules', 'lessons'];
const shown = (name) => `.panel-${name}:not([hidden])`;

/** Sets a range input and lets its input listeners run. */
async function slide(page, selector, value) {
  await page.$eval(selector, (input, v) => {
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

test('every panel renders in English and Korean, on a desktop and on a 375-px phone, with no error', async () => {
  for (const lang of ['en', 'ko']) {
    for (const [width, height, suffix] of [[1280, 900, ''], [375, 740, '-phone']]) {
      const { page, errors } = await newPage(browser.context, { viewport: { width, height } });
      for (const name of PANELS) {
        await openLab(page, at(`#panel=${name}&lang=${lang}`));
        assert.equal(await page.isVisible(shown(name)), true, `${name} is shown`);
        assert.equal(await page.isVisible('.workspace'), false, 'the playground is hidden');
        assert.equal(await page.getAttribute(`.panel-tab[data-panel="${name}"]`, 'aria-current'), 'page');
        const title = await page.textContent(`${shown(name)} .panel-title`);
        assert.ok(title.length >= 2, `${name}: a title`);
        if (lang === 'ko') assert.match(title, /[가-힣]/, `${name}: the title is Korean`);
        let drawn = 0;
        for (const canvas of await page.$$(`${shown(name)} canvas.plot-canvas, ${shown(name)} canvas.race-map`)) {
          if (!(await canvas.isVisible())) continue;
          drawn += 1;
          const colours = await canvas.evaluate((c) => {
            const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
            const seen = new Set();
            for (let i = 0; i < data.length; i += 4 * 5) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
            return seen.size;
          });
          assert.ok(colours > 3, `${name}: a drawn chart (${colours} colours)`);
        }
        if (name !== 'lessons') assert.ok(drawn >= 1, `${name}: at least one chart was looked at`);
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(scrollWidth <= width, `${name} ${width} px: no sideways scrolling (${scrollWidth} px)`);
        await screenshot(page, `panel-${name}-${lang}${suffix}`);
      }
      assert.deepEqual(errors, []);
      await page.close();
    }
  }
});

test('the tabs switch between the playground and the panels, and the URL keeps the panel', async () => {
  const { page, errors } = await newPage(browser.context);
  await openLab(page, at());
  assert.equal(await page.isVisible('.panels'), false, 'the playground is the default view');
  assert.doesNotMatch(page.url(), /panel=/);
  await page.click('.panel-tab[data-panel="optimizers"]');
  assert.match(page.url(), /panel=optimizers/);
  assert.match(page.url(), /surface=valley/);
  assert.equal(await page.isVisible('#play'), false);
  await page.click('.panel-tab[data-panel="playground"]');
  assert.doesNotMatch(page.url(), /panel=|surface=/);
  assert.equal(await page.isVisible('#play'), true);
  await openLab(page, at('#panel=losses&embed=true'));
  assert.equal(await page.isVisible('.panel-nav'), false, 'embed mode has no tabs');
  assert.equal(await page.isVisible(shown('losses')), true);
  await openLab(page, at('#panel=activations&panelNav_hide=true'));
  assert.equal(await page.isVisible('.panel-nav'), false, 'panelNav_hide hides the tabs');
  assert.deepEqual(errors, []);
  await page.close();
});

test('activations: each function and its derivative come from the engine, and the z slider reads them out', async () => {
  const { page, errors } = await newPage(browser.context);
  await openLab(page, at('#panel=activations'));
  for (const name of ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'linear']) {
    await page.click(`.function-chips .chip[data-value="${name}"]`);
    assert.match(page.url(), new RegExp(`activationFn=${name}`));
    for (const z of [-3.5, 0.25, 5]) {
      await slide(page, '#act-z', z);
      const alpha = name === 'leakyRelu' ? 0.01 : name === 'elu' ? 1 : undefined;
      const expected = lab.activation(name, [z], alpha === undefined ? undefined : { alpha });
      assert.equal(await valueOf(page, '.act-elementwise .readout-function .readout-value'), expected.value[0], `${name}(${z})`);
      assert.equal(await valueOf(page, '.act-elementwise .readout-derivative .readout-value'), expected.derivative[0], `${name}′(${z})`);
    }
  }
  await page.click('.function-chips .chip[data-value="sigmoid"]');
  await slide(page, '#act-z', 5);
  const local = await valueOf(page, '.act-elementwise .readout-derivative .readout-value');
  assert.ok(Math.abs(local - 0.006648) < 1e-6, `sigmoid′(5) = ${local}`);
  assert.equal(await page.getAttribute('.act-elementwise .readout-derivative .readout-value', 'class'), 'readout-value is-vanishing');
  assert.match(await page.textContent('.local-note'), /vanishes/);

  await page.click('.function-chips .chip[data-value="softmax"]');
  assert.equal(await page.isVisible('.act-softmax'), true);
  await slide(page, '#score-0', 4);
  const probabilities = await page.$$eval('.act-softmax .prob-value', (els) => els.map((el) => Number(el.dataset.value)));
  const expected = lab.softmax([4, 1, 0.1]);
  assert.deepEqual(probabilities, [...expected]);
  assert.ok(Math.abs(await valueOf(page, '.act-softmax .readout-sum .readout-value') - 1) < 1e-12, 'the probabilities sum to 1');
  const local0 = await valueOf(page, '.act-softmax .readout-derivative .readout-value');
  assert.ok(Math.abs(local0 - expected[0] * (1 - expected[0])) < 1e-12, `∂p₁/∂z₁ = p₁(1 − p₁): ${local0}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('losses: the softmax calculator shows −log 0.9 = 0.105; the two examples share their accuracy, not their loss', async () => {
  const { page, errors } = await newPage(browser.context);
  await openLab(page, at('#panel=losses'));
  const inputs = page.locator('.loss-calculator .score-input');
  await inputs.nth(0).fill('0');
  await inputs.nth(1).fill(String(Math.log(18)));  // e^z / (e^z + 2) = 18 / 20 = 0.9
  await inputs.nth(2).fill('0');
  await page.check('.loss-calculator input[name="true-class"][value="1"]');
  assert.ok(Math.abs(Number(await page.getAttribute('.loss-calculator tr[data-class="1"] .prob-value', 'data-value')) - 0.9) < 1e-12);
  assert.equal(await page.textContent('.loss-calculator .readout-ce .readout-value'), '0.105');
  assert.ok(Math.abs(await valueOf(page, '.loss-calculator .readout-ce .readout-value') + Math.log(0.9)) < 1e-12);
  assert.match(await page.textContent('.ce-formula'), /−log\(0\.9\) = 0\.105/);
  await inputs.nth(1).fill('abc');
  assert.equal(await page.isVisible('.loss-calculator .panel-error'), true, 'a bad score says so');
  assert.equal(await page.textContent('.loss-calculator .readout-ce .readout-value'), '0.105', 'and keeps the last result');
  for (const bad of ['1-2', '*3', '--1', '1e']) {
    await inputs.nth(1).fill(bad);
    assert.equal(await inputs.nth(1).getAttribute('aria-invalid'), 'true', `"${bad}" is refused`);
  }
  await inputs.nth(1).fill('−1.5');  // a typographic minus is a minus
  assert.equal(await inputs.nth(1).getAttribute('aria-invalid'), 'false');
  const e = Math.exp(-1.5);
  assert.ok(Math.abs(Number(await page.getAttribute('.loss-calculator tr[data-class="1"] .prob-value', 'data-value')) - e / (e + 2)) < 1e-12);
  await inputs.nth(1).fill(String(Math.log(18)));
  assert.equal(await page.textContent('.loss-calculator .readout-ce .readout-value'), '0.105');
  await page.click('.loss-calculator .button-row button:nth-child(3)');
  assert.equal(await page.textContent('.loss-calculator .readout-ce .readout-value'), '0.105', 'the course example');

  const examples = [];
  for (const n of [1, 2]) {
    const box = `.example[data-example="${n}"]`;
    const rows = await page.$$eval(`${box} tbody tr`, (trs) => trs.map((tr) => ({
      outputs: [...tr.querySelectorAll('td.mono span')].map((s) => Number(s.textContent)),
      truth: Number(tr.children[2].textContent) - 1,
    })));
    // By hand: accuracy from the argmax, cross-entropy −log p of the true class, averaged.
    const right = rows.filter((r) => r.outputs.indexOf(Math.max(...r.outputs)) === r.truth).length / rows.length;
    const ce = rows.reduce((sum, r) => sum - Math.log(r.outputs[r.truth]), 0) / rows.length;
    examples.push({ accuracy: await valueOf(page, `${box} .readout-accuracy .readout-value`), ce: await valueOf(page, `${box} .readout-ce .readout-value`) });
    assert.equal(examples.at(-1).accuracy, right);
    assert.ok(Math.abs(examples.at(-1).ce - ce) < 1e-12, `example ${n}: CE ${examples.at(-1).ce} = ${ce}`);
    const engine = lab.loss('cce', rows.flatMap((r) => r.outputs), rows.flatMap((r) => r.outputs.map((_, j) => (j === r.truth ? 1 : 0))), { units: 3 });
    assert.ok(Math.abs(examples.at(-1).ce - engine.loss) < 1e-12, `example ${n}: the engine's categorical cross-entropy`);
  }
  assert.equal(examples[0].accuracy, examples[1].accuracy);
  assert.equal(await page.textContent('.example[data-example="1"] .readout-accuracy .readout-value'), '66.7 %');
  assert.ok(examples[0].ce - examples[1].ce > 0.5, `different cross-entropy: ${examples[0].ce} vs ${examples[1].ce}`);

  // Against p: the losses, and the gradient that reaches the logit, worked by hand.
  for (const p of [0.01, 1 / 3, 0.5, 0.9]) {
    await slide(page, '#loss-p', p);
    const q = Number(await page.inputValue('#loss-p'));
    assert.ok(Math.abs(await valueOf(page, '.readouts-grid .readout-ce .readout-value') + Math.log(q)) < 1e-12, 'CE = −ln p');
    assert.ok(Math.abs(await valueOf(page, '.readout-se .readout-value') - (1 - q) ** 2) < 1e-12, 'SE = (1 − p)²');
    assert.ok(Math.abs(await valueOf(page, '.readout-ce-grad .readout-value') - (1 - q)) < 1e-12, `p = ${q}: |∂CE/∂z| = 1 − p`);
    assert.ok(Math.abs(await valueOf(page, '.readout-se-grad .readout-value') - 2 * q * (1 - q) ** 2) < 1e-12, `p = ${q}: |∂SE/∂z| = 2p(1 − p)²`);
  }
  // Which log: the course's base-10 log beside the natural log the page uses.
  assert.ok(Math.abs(await valueOf(page, '.readout-log10 .readout-value') - 1) < 1e-15, '−log₁₀ 0.1 = 1');
  assert.equal(await page.textContent('.readout-log10 .readout-value'), '1');
  assert.ok(Math.abs(await valueOf(page, '.readout-ln .readout-value') + Math.log(0.1)) < 1e-15);
  assert.equal(await page.textContent('.readout-ln .readout-value'), '2.303');
  assert.match(await page.textContent('.panel-losses .panel-intro'), /loss function = cost function = objective function/i);

  await page.click('.label-chips .chip[data-value="1"]');
  assert.equal(await page.getAttribute('.bce-term:nth-child(3)', 'data-vanished'), 'true', 'y = 1: the (1 − y) term drops out');
  assert.equal(await page.getAttribute('.bce-term:nth-child(2)', 'data-vanished'), 'false');
  await page.click('.label-chips .chip[data-value="0"]');
  assert.equal(await page.getAttribute('.bce-term:nth-child(2)', 'data-vanished'), 'true', 'y = 0: the y term drops out');
  await slide(page, '#bce-z', 2);
  const bce = lab.loss('bce', [2], [0], { logits: true }).loss;
  assert.equal(await valueOf(page, '.readout-bce .readout-value'), bce);
  assert.equal(await valueOf(page, '.readout-yhat .readout-value'), lab.activation('sigmoid', [2]).value[0]);
  await openLab(page, at('#panel=losses&lang=ko'));
  assert.match(await page.textContent('.panel-losses .panel-intro'), /손실 함수 = 비용 함수 = 목적 함수/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('vanishing gradients: the sigmoid network’s first layer gets a tiny share of the gradient, the ReLU one’s does not', async () => {
  const { page, errors } = await newPage(browser.context);
  await openLab(page, at('#panel=vanishing'));
  assert.equal(await valueOf(page, `${shown('vanishing')} .readout-epoch .readout-value`), 1, 'the first epoch is shown at once');
  for (let i = 0; i < 4; i++) await page.click(`${shown('vanishing')} .panel-step`);
  assert.equal(await valueOf(page, `${shown('vanishing')} .readout-epoch .readout-value`), 5);
  const ratio = (activation) => valueOf(page, `.vg-column[data-activation="${activation}"] .readout-ratio .readout-value`);
  const sigmoid = await ratio('sigmoid');
  const relu = await ratio('relu');
  assert.ok(sigmoid < 0.01, `sigmoid: first layer ÷ output = ${sigmoid}`);
  assert.ok(relu > 0.1, `ReLU: first layer ÷ output = ${relu}`);
  await page.click('.panel-vanishing .chip[data-value="2"]');
  assert.equal(await valueOf(page, `${shown('vanishing')} .readout-epoch .readout-value`), 1, 'a new depth starts again');
  assert.ok(await ratio('sigmoid') > sigmoid, 'two layers lose less than six');

  // A panel that is not shown runs no loop.
  await page.click(`${shown('vanishing')} .panel-play`);
  await page.waitForFunction(() => Number(document.querySelector('.panel-vanishing .readout-epoch output').dataset.value) >= 4);
  await page.click('.panel-tab[data-panel="playground"]');
  const stopped = await valueOf(page, '.panel-vanishing .readout-epoch .readout-value');
  await page.waitForTimeout(400);
  assert.equal(await valueOf(page, '.panel-vanishing .readout-epoch .readout-value'), stopped, 'hidden, it trains no more');
  assert.deepEqual(errors, []);
  await page.close();
});

test('optimizer race: every path is the one lab.descendSurface returns, from the default start and from a pressed point', async () => {
  const { page, errors } = await newPage(browser.context);
  for (const surface of ['valley', 'saddle', 'rosenbrock']) {
    await openLab(page, at(`#panel=optimizers&surface=${surface}`));
    for (let i = 0; i < 7; i++) await page.click(`${shown('optimizers')} .panel-step`);
    await slide(page, '#race-step', 40);
    const start = JSON.parse(await page.getAttribute('.race-list', 'data-start'));
    assert.deepEqual(start, lab.surfaceView(surface).start);
    const rows = await page.$$eval('.race-row', (els) => els.map((el) => ({ ...el.dataset })));
    assert.deepEqual(rows.map((r) => r.optimizer), ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam']);
    for (const row of rows) {
      const path = lab.descendSurface(surface, JSON.parse(row.config), start, 40);
      const i = Number(row.step);
      assert.equal(i, Math.min(40, path.x.length - 1));
      assert.equal(Number(row.x), path.x[i], `${surface} ${row.optimizer}: x at step ${i}`);
      assert.equal(Number(row.y), path.y[i], `${surface} ${row.optimizer}: y at step ${i}`);
    }
  }
  // AdaGrad's effective rate only shrinks; the state list shows it.
  await openLab(page, at('#panel=optimizers'));
  await slide(page, '#race-step', 30);
  assert.match(await page.textContent('.race-row[data-optimizer="adagrad"] .race-state'), /Σ g²/);
  assert.match(await page.textContent('.race-row[data-optimizer="adam"] .race-state'), /m̂.*v̂/s);
  // A press on the map moves the start, and the race runs again from there.
  const box = await page.locator('.race-map').boundingBox();
  await page.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.3);
  const start = JSON.parse(await page.getAttribute('.race-list', 'data-start'));
  assert.notDeepEqual(start, lab.surfaceView('valley').start);
  await slide(page, '#race-step', 25);
  const adam = await page.$eval('.race-row[data-optimizer="adam"]', (el) => ({ ...el.dataset }));
  const path = lab.descendSurface('valley', JSON.parse(adam.config), start, 25);
  assert.deepEqual([Number(adam.x), Number(adam.y)], [path.x[25], path.y[25]]);
  // A new learning rate runs the race again with it.
  await page.fill('.race-row[data-optimizer="sgd"] .race-lr', '0.02');
  await page.press('.race-row[data-optimizer="sgd"] .race-lr', 'Enter');
  const sgd = await page.$eval('.race-row[data-optimizer="sgd"]', (el) => ({ ...el.dataset }));
  assert.equal(JSON.parse(sgd.config).lr, 0.02);
  assert.equal(Number(sgd.x), lab.descendSurface('valley', { name: 'sgd', lr: 0.02 }, start, 25).x[25]);
  for (const bad of ['0', '-0.1', '11', 'fast']) {
    await page.fill('.race-row[data-optimizer="sgd"] .race-lr', bad);
    await page.press('.race-row[data-optimizer="sgd"] .race-lr', 'Enter');
    assert.equal(await page.getAttribute('.race-row[data-optimizer="sgd"] .race-lr', 'aria-invalid'), 'true', `lr "${bad}" is refused`);
    assert.equal(JSON.parse(await page.getAttribute('.race-row[data-optimizer="sgd"]', 'data-config')).lr, 0.02, 'and changes nothing');
  }
  await page.click('.panel-optimizers .chip[data-value="saddle"]');
  assert.match(page.url(), /surface=saddle/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('schedules: the trainer’s current rate sits on the engine’s curve, and plateau cuts the rate when the loss stalls', async () => {
  const { page, errors } = await newPage(browser.context);
  await openLab(page, at('#panel=schedules&schedule=step&stepSize=4&gamma=0.5&learningRate=0.1'));
  for (let i = 0; i < 9; i++) await page.click(`${shown('schedules')} .panel-step`);
  const rates = lab.scheduleRates({ name: 'step', stepSize: 4, gamma: 0.5 }, 0.1, 9);
  assert.equal(await valueOf(page, '.readout-epoch .readout-value'), 9);
  assert.equal(await valueOf(page, '.readout-lr .readout-value'), rates.lr[9], 'trainer.cursor().lr after 9 epochs');
  assert.equal(await valueOf(page, '.readout-planned .readout-value'), rates.lr[9]);
  assert.equal(rates.lr[9], 0.025);

  // A parameter field edits the playground's setting, checked by the settings table.
  await page.fill('#sched-gamma', '2');
  await page.press('#sched-gamma', 'Enter');
  assert.equal(await page.getAttribute('#sched-gamma', 'aria-invalid'), 'true');
  await page.fill('#sched-gamma', '0.8');
  await page.press('#sched-gamma', 'Enter');
  assert.match(page.url(), /gamma=0\.8/);
  assert.equal(await valueOf(page, '.readout-epoch .readout-value'), 0, 'a new schedule starts training again');
  await page.click('.panel-schedules .chips .chip[data-value="cosine"]');
  assert.match(page.url(), /schedule=cosine/);
  await page.click('.panel-tab[data-panel="playground"]');
  assert.equal(await page.inputValue('#setting-schedule'), 'cosine', 'the playground has the same schedule');

  await openLab(page, at('#lesson=schedules'));
  let epochs = 0;
  while (await valueOf(page, '.readout-lr .readout-value') === 0.1 && epochs < 100) {
    await page.click(`${shown('schedules')} .panel-step`);
    epochs += 1;
  }
  const lr = await valueOf(page, '.readout-lr .readout-value');
  assert.equal(lr, 0.05, 'ReduceLROnPlateau halved the rate');
  assert.equal(await valueOf(page, '.readout-planned .readout-value'), lr, 'the curve from the trainer’s losses agrees');
  assert.match(await page.textContent('.readout-bad .readout-value'), /^[0-5] \/ 5$/);
  await screenshot(page, 'panel-schedules-plateau-en');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Play in the optimizer race and the schedules: runs to the end, stops there, and starts again from the beginning', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  await openLab(page, at('#panel=optimizers&surface=saddle&lang=en'));
  const race = shown('optimizers');
  const step = () => page.$eval('#race-step', (el) => Number(el.value));
  await page.click(`${race} .panel-play`);
  assert.equal(await page.getAttribute(`${race} .panel-play`, 'aria-pressed'), 'true');
  assert.equal(await page.textContent(`${race} .panel-play`), 'Pause');
  await page.waitForFunction((sel) => document.querySelector(sel).getAttribute('aria-pressed') === 'false', `${race} .panel-play`, { timeout: 20000 });
  assert.equal(await step(), 100, 'the saddle race stops at its last step');
  await page.click(`${race} .panel-play`);
  await page.waitForFunction(() => Number(document.getElementById('race-step').value) < 100);
  await page.click(`${race} .panel-play`);
  assert.ok(await step() < 100, 'Play at the end starts over');

  await openLab(page, at('#panel=schedules&lang=ko'));
  const sched = shown('schedules');
  await page.click(`${sched} .panel-play`);
  assert.equal(await page.textContent(`${sched} .panel-play`), '일시정지');
  await page.waitForFunction((sel) => Number(document.querySelector(`${sel} .readout-epoch output`).dataset.value) >= 3, sched);
  await page.click(`${sched} .panel-play`);
  assert.equal(await page.getAttribute(`${sched} .panel-play`, 'aria-pressed'), 'false');
  const epoch = await valueOf(page, `${sched} .readout-epoch .readout-value`);
  await page.waitForTimeout(300);
  assert.equal(await valueOf(page, `${sched} .readout-epoch .readout-value`), epoch, 'paused, it trains no more');
  assert.deepEqual(errors, []);
  await page.close();
});

test('losses: every number of the tables reads in full at every width from 360 px, in both languages', async () => {
  const { page, errors } = await newPage(browser.context);
  for (const lang of ['en', 'ko']) {
    for (const width of [360, 375, 414, 480, 600, 768, 800, 1000, 1024, 1280, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      await openLab(page, at(`#panel=losses&lang=${lang}`));
      const clipped = await page.$$eval('.panel-losses table', (tables) => tables.flatMap((table) => {
        const box = table.closest('.loss-card').getBoundingClientRect();
        return [...table.querySelectorAll('th, td')].filter((cell) => {
          const r = cell.getBoundingClientRect();
          return cell.scrollWidth > cell.clientWidth + 1 || r.right > box.right + 0.5 || r.left < box.left - 0.5;
        }).map((cell) => cell.textContent);
      }));
      assert.deepEqual(clipped, [], `${lang} at ${width} px`);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scrollWidth <= width, `${lang} ${width} px: no sideways scrolling (${scrollWidth})`);
      if (width === 1280 || width === 360) await screenshot(page, `panel-losses-${lang}-${width}`);
    }
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('losses: one network trained with CE and with MSE, as the engine trains it; where the playground’s MSE wins', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  await openLab(page, at('#panel=losses&lang=en'));
  const card = '.loss-train';
  await page.click(`${card} .train-datasets .chip[data-value="xor"]`);
  await page.click(`${card} .train-rates .chip[data-value="0.1"]`);
  for (let i = 0; i < 6; i++) await page.click(`${card} .panel-step`);
  assert.equal(await valueOf(page, `${card} .readout-epoch .readout-value`), 6);
  const L = await import(pathToFileURL(path.join(web, 'panels/losses.js')).href);
  for (const loss of ['cce', 'mse']) {
    // A twin trained here with the same config, by the API.
    const twin = lab.createTrainer(L.trainConfig(loss, 'xor', 0.1));
    for (let e = 0; e < 6; e++) twin.trainEpoch();
    assert.equal(Number(await page.getAttribute(`${card} tr[data-loss="${loss}"] .train-accuracy`, 'data-value')), twin.evaluate().trainAccuracy, loss);
    twin.delete();
  }
  // Where it turns round: the playground's defaults, BCE against MSE on its tanh output.
  const reach = (loss) => {
    const t = lab.createTrainer(S.engineConfig(S.applyChanges(S.defaultState(), { loss }).state));
    try {
      for (let e = 1; e <= 100; e++) {
        t.trainEpoch();
        if (t.evaluate().trainAccuracy >= 0.95) return e;
      }
      return null;
    } finally {
      t.delete();
    }
  };
  const check = await page.$eval(`${card} .train-check`, (el) => ({ ...el.dataset, text: el.textContent }));
  assert.equal(Number(check.mse), reach('mse'));
  assert.equal(Number(check.bce), reach('bce'));
  assert.ok(Number(check.mse) < Number(check.bce));
  assert.match(check.text, new RegExp(`MSE \\(tanh output\\) reaches 95 % at epoch ${check.mse}`));
  assert.match(await page.textContent(`${card} .torch-code`), /nn\.CrossEntropyLoss\(\)\(logits, y\)[\s\S]*nn\.MSELoss\(\)\(torch\.softmax\(logits, dim=-1\)/);
  await page.click(`${card} .panel-play`);
  await page.waitForFunction((sel) => document.querySelector(`${sel} .panel-play`).getAttribute('aria-pressed') === 'false', card, { timeout: 30000 });
  const reached = await page.$$eval(`${card} .train-reached`, (els) => els.map((el) => Number(el.dataset.value)));
  assert.ok(reached[0] < reached[1], `CE at ${reached[0]}, MSE at ${reached[1]}`);
  await page.locator(card).screenshot({ path: path.join(screenshotDir, 'panel-losses-training-en.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('PyTorch beside the math: each activation, loss, optimizer and schedule, with the panel’s values', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  const calls = {
    sigmoid: 'torch.sigmoid(z)', tanh: 'torch.tanh(z)', relu: 'torch.relu(z)', leakyRelu: 'F.leaky_relu(z, 0.01)', elu: 'F.elu(z)',
  };
  for (const [name, call] of Object.entries(calls)) {
    await openLab(page, at(`#panel=activations&activationFn=${name}&lang=ko`));
    await slide(page, '#act-z', -1.25);
    const code = await page.textContent('.act-elementwise .torch-code');
    assert.ok(code.includes(`a = ${call}`), `${name}: ${code}`);
    assert.ok(code.includes('z = torch.tensor(-1.25,'), 'the slider’s z, with an ASCII minus');
    const { value, derivative } = lab.activation(name, [-1.25], name === 'leakyRelu' ? { alpha: 0.01 } : undefined);
    const [, shownValue, shownDerivative] = code.match(/# (\S+) (\S+)$/);
    assert.ok(Math.abs(Number(shownValue) - value[0]) <= 5e-4 * Math.max(1, Math.abs(value[0])), `${name}: f = ${shownValue}`);
    assert.ok(Math.abs(Number(shownDerivative) - derivative[0]) <= 5e-4 * Math.max(1, Math.abs(derivative[0])), `${name}: f′ = ${shownDerivative}`);
  }
  await openLab(page, at('#panel=activations&activationFn=softmax&lang=en'));
  assert.match(await page.textContent('.act-softmax .torch-code'), /torch\.softmax\(z, dim=-1\)/);

  await openLab(page, at('#panel=losses&lang=en'));
  assert.match(await page.textContent('.loss-calculator .torch-code'), /y = torch\.tensor\(\[1\]\)[\s\S]*nn\.CrossEntropyLoss\(\)\(z, y\)\)  # 0\.1054/);
  assert.match(await page.textContent('.loss-binary .torch-code'), /nn\.BCEWithLogitsLoss\(\)\(z, y\)[\s\S]*nn\.BCELoss\(\)\(torch\.sigmoid\(z\), y\)/);
  assert.match(await page.textContent('.example[data-example="1"] .torch-code'), /nn\.CrossEntropyLoss\(\)\(torch\.log\(p\), y\)\)  # 1\.378[\s\S]*nn\.MSELoss\(\)/);

  await openLab(page, at('#panel=optimizers&lang=en'));
  const race = await page.$$eval('.race-row', (els) => Object.fromEntries(els.map((el) => [el.dataset.optimizer, el.querySelector('.race-call').textContent])));
  assert.deepEqual(race, {
    sgd: 'torch.optim.SGD([w], lr=0.09)',
    momentum: 'torch.optim.SGD([w], lr=0.01, momentum=0.9)',
    nesterov: 'torch.optim.SGD([w], lr=0.01, momentum=0.9, nesterov=True)',
    adagrad: 'torch.optim.Adagrad([w], lr=1.0)',
    rmsprop: 'torch.optim.RMSprop([w], lr=0.1, alpha=0.9)',
    adam: 'torch.optim.Adam([w], lr=0.3)',
  });
  await page.click('.code-chips .chip[data-value="rmsprop"]');
  assert.match(await page.textContent('.race-torch .torch-code'), /opt = torch\.optim\.RMSprop\(\[w\], lr=0\.1, alpha=0\.9\)\nfor step in range\(150\):/);

  await openLab(page, at('#panel=schedules&schedule=step&stepSize=4&gamma=0.5&learningRate=0.1&optimizer=adam&lang=ko'));
  const code = await page.textContent('.sched-torch .torch-code');
  assert.match(code, /optimizer = torch\.optim\.Adam\(\[w\], lr=0\.1\)\nscheduler = torch\.optim\.lr_scheduler\.StepLR\(optimizer, step_size=4, gamma=0\.5\)/);
  assert.match(code, /# model\.parameters\(\) 대신/, 'comments in the page’s language');
  assert.match(await page.textContent('.panel-schedules .chips'), /StepLR[\s\S]*ExponentialLR[\s\S]*CosineAnnealingLR[\s\S]*ReduceLROnPlateau/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('optimizer race: RMSProp shows its decay, one number format, one rate for all, and a seeded noisy gradient moved by the engine', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  await openLab(page, at('#panel=optimizers&surface=valley&lang=en'));
  await slide(page, '#race-step', 150);
  assert.match(await page.textContent('.race-row[data-optimizer="rmsprop"] .race-state'), /decay α\s*0\.9/);
  assert.match(await page.textContent('.race-row[data-optimizer="momentum"] .race-state'), /momentum\s*0\.9/);
  const cards = await page.textContent('.race-list');
  assert.doesNotMatch(cards, /\de[−+-]\d/, 'no 1.2e−5 beside 1.2×10⁻⁵');
  assert.match(cards, /×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+/, 'small numbers as powers of ten');

  // One rate for all, refused when it is not a rate, and back to the tuned ones.
  await page.fill('#race-equal-lr', 'fast');
  await page.click('.race-equal');
  assert.equal(await page.getAttribute('#race-equal-lr', 'aria-invalid'), 'true');
  assert.match(await page.textContent('.race-equal-box .field-error'), /above 0, at most 10/);
  assert.equal(JSON.parse(await page.getAttribute('.race-row[data-optimizer="adam"]', 'data-config')).lr, 0.3, 'nothing changed');
  await page.fill('#race-equal-lr', '0.02');
  await page.click('.race-equal');
  const configs = await page.$$eval('.race-row', (els) => els.map((el) => JSON.parse(el.dataset.config)));
  assert.deepEqual(configs.map((c) => c.lr), [0.02, 0.02, 0.02, 0.02, 0.02, 0.02]);
  assert.deepEqual(await page.$$eval('.race-lr:not(#race-equal-lr)', (els) => els.map((el) => el.value)), ['0.02', '0.02', '0.02', '0.02', '0.02', '0.02']);

  // Noise: every racer gets the same seeded draws; SGD and Momentum worked by hand from the
  // engine's gradient at each point.
  await page.click('.noise-chips .chip[data-value="0.05"]');
  const start = lab.surfaceView('valley').start;
  const g0 = lab.descendSurface('valley', { name: 'sgd', lr: 1 }, start, 0);
  const sigma = Number(await page.getAttribute('.race-list', 'data-sigma'));
  assert.ok(Math.abs(sigma - 0.05 * Math.hypot(g0.gradX[0], g0.gradY[0])) < 1e-12);
  const O = await import(pathToFileURL(path.join(web, 'panels/optimizers.js')).href);
  const steps = 12;
  const noise = O.normals(Number(await page.getAttribute('.race-list', 'data-seed')), 2 * steps);
  const byHand = (momentum) => {
    let [x, y] = start;
    let v = [0, 0];
    for (let k = 0; k < steps; k++) {
      const g = lab.descendSurface('valley', { name: 'sgd', lr: 1 }, [x, y], 0);
      const grad = [g.gradX[0] + sigma * noise[2 * k], g.gradY[0] + sigma * noise[2 * k + 1]];
      v = momentum ? [0.9 * v[0] + grad[0], 0.9 * v[1] + grad[1]] : grad;  // torch's buffer: the first one is the gradient
      [x, y] = [x - 0.02 * v[0], y - 0.02 * v[1]];
    }
    return [x, y];
  };
  await slide(page, '#race-step', steps);
  for (const [name, momentum] of [['sgd', false], ['momentum', true]]) {
    const row = await page.$eval(`.race-row[data-optimizer="${name}"]`, (el) => [Number(el.dataset.x), Number(el.dataset.y)]);
    const hand = byHand(momentum);
    assert.ok(Math.abs(row[0] - hand[0]) < 1e-9 && Math.abs(row[1] - hand[1]) < 1e-9, `${name}: ${row} against ${hand}`);
  }
  assert.match(await page.textContent('.race-row[data-optimizer="sgd"] .race-state'), /gradient \(with noise\)/);
  const first = await page.$eval('.race-row[data-optimizer="adam"]', (el) => el.dataset.x);
  await page.click('.race-reseed');
  assert.notEqual(await page.$eval('.race-row[data-optimizer="adam"]', (el) => el.dataset.x), first, 'new draws, a new path');
  assert.match(await page.textContent('.race-torch .torch-code'), /w\.grad \+= [\d.]+ \* torch\.randn\(2/);
  await page.click('.noise-chips .chip[data-value="0"]');
  const sgd = await page.$eval('.race-row[data-optimizer="sgd"]', (el) => Number(el.dataset.x));
  assert.equal(sgd, lab.descendSurface('valley', { name: 'sgd', lr: 0.02 }, start, steps).x[steps], 'no noise: the engine’s own race');
  await page.click('.race-tuned');
  assert.equal(JSON.parse(await page.getAttribute('.race-row[data-optimizer="adam"]', 'data-config')).lr, 0.3);
  await page.click('.noise-chips .chip[data-value="0.05"]');
  await slide(page, '#race-step', 150);
  await screenshot(page, 'panel-optimizers-noise-en');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the chain rule: each layer’s value and derivative, their product and the numerical derivative, worked by hand', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  await openLab(page, at('#panel=chain&lang=ko'));
  for (const x of [-2, 0.5, 0.6, 3.1]) {
    await slide(page, '#chain-x', x);
    const u = 2 * x - 1;
    const v = 1 / (1 + Math.exp(-u));
    const cell = (layer, kind) => page.getAttribute(`.chain-table tr[data-layer="${layer}"] .chain-${kind}`, 'data-value').then(Number);
    const close = (a, b, what) => assert.ok(Math.abs(a - b) < 1e-12, `x = ${x}: ${what} ${a} against ${b}`);
    close(await cell('inner', 'value'), u, 'u');
    close(await cell('middle', 'value'), v, 'v');
    close(await cell('outer', 'value'), (v - 1) ** 2, 'y');
    close(await cell('inner', 'derivative'), 2, 'du/dx');
    close(await cell('middle', 'derivative'), v * (1 - v), 'dv/du');
    close(await cell('outer', 'derivative'), 2 * (v - 1), 'dy/dv');
    const product = Number(await page.getAttribute('.chain-product', 'data-value'));
    close(product, 2 * (v - 1) * v * (1 - v) * 2, 'dy/dx');
    assert.ok(Math.abs(Number(await page.getAttribute('.chain-numeric', 'data-value')) - product) < 1e-8, 'the numerical derivative agrees');
  }
  assert.match(await page.textContent('.chain-torch .torch-code'), /x = torch\.tensor\(3\.1, [\s\S]*v = torch\.sigmoid\(u\)[\s\S]*y\.backward\(\)/);
  assert.match(await page.textContent('.panel-chain .panel-intro'), /양파/);
  await screenshot(page, 'panel-chain-ko');
  assert.deepEqual(errors, []);
  await page.close();
});
