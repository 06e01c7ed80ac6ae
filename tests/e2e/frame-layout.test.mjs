// Frame mode on one screen: at three laptop sizes and a phone, in English and Korean, the
// diagram, the Step control and the selected neuron's or weight's chain-rule formula are in
// view at scroll 0 through every phase; the numbers written on the diagram are the engine's
// (a twin trainer built here from the same settings); no two numbers overlap each other or a
// neuron; selecting never scrolls; on a phone the inspector's sheet never covers the selection.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linkPoint, newPage, openLab, screenshot, useBrowser } from './browser.mjs';
import * as S from '../../web/src/state.js';

const run = useBrowser({ engine: true });

const SIZES = [
  ['1280x800', { viewport: { width: 1280, height: 800 } }],
  ['1366x768', { viewport: { width: 1366, height: 768 } }],
  ['1440x900', { viewport: { width: 1440, height: 900 } }],
  ['phone', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }],
];
const HASH = '#mode=frames&seed=2&networkShape=4,2&batchSize=10';

const close = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: page ${a}, engine ${b}`);
const inside = (box, area, what) => {
  assert.ok(box && box.width > 0, `${what} is drawn`);
  assert.ok(box.left >= area.left - 0.5 && box.top >= area.top - 0.5 && box.right <= area.right + 0.5 && box.bottom <= area.bottom + 0.5,
    `${what} (${JSON.stringify(box)}) lies within ${JSON.stringify(area)}`);
};

/** Boxes the checks need, all read at once. */
async function layout(page) {
  // Formulas are fitted to their column on the frame after a step.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return page.evaluate(() => {
    const box = (el) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
    };
    const inspector = document.getElementById('inspector');
    return {
      scrollY: window.scrollY,
      view: { left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight },
      stage: box(document.querySelector('.net-stage')),
      step: box(document.getElementById('step')),
      speed: box(document.querySelector('.frame-speed select')),
      settings: box(document.querySelector('.settings-toggle')),
      inspector: box(inspector),
      sheet: getComputedStyle(inspector).position === 'fixed',
      key: box(inspector.querySelector('.ix-key')),
      selected: box(document.querySelector('.net-node.is-selected')),
      numbers: [...document.querySelectorAll('.net-num:not([hidden])')].map((el) => ({ box: box(el), data: { ...el.dataset }, text: el.textContent })),
      nodes: [...document.querySelectorAll('.net-node')].filter((el) => !el.hidden).map(box),
      sample: Number(inspector.querySelector('.ix-sample-line')?.dataset.sample),
      wideLines: [...inspector.querySelectorAll('.ix-line')].filter((line) => {
        const r = line.getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight && line.scrollWidth > line.clientWidth + 1;
      }).map((line) => line.textContent),
    };
  });
}

const disjoint = (a, b) => a.right <= b.left + 0.5 || b.right <= a.left + 0.5 || a.bottom <= b.top + 0.5 || b.bottom <= a.top + 0.5;

/** Everything on screen that the issue asks for, checked against the twin at its current step. */
function check(seen, twin, { name, lossDone }) {
  assert.equal(seen.scrollY, 0, `${name}: the page is at scroll 0`);
  inside(seen.stage, seen.sheet ? { ...seen.view, bottom: seen.inspector.top } : seen.view, `${name}: the diagram`);
  inside(seen.step, seen.view, `${name}: the Step control`);
  const middle = (box) => (box.top + box.bottom) / 2;
  assert.ok(Math.abs(middle(seen.settings) - middle(seen.speed)) < seen.speed.height,
    `${name}: Settings shares the speed's row (${JSON.stringify(seen.settings)}, ${JSON.stringify(seen.speed)})`);
  inside(seen.key, seen.sheet ? { ...seen.view, top: seen.inspector.top } : { ...seen.view, top: seen.inspector.top, bottom: Math.min(seen.view.bottom, seen.inspector.bottom) },
    `${name}: the chain rule's formula`);
  assert.deepEqual(seen.wideLines, [], `${name}: every formula fits its column`);
  if (seen.sheet && seen.selected) assert.ok(seen.selected.bottom <= seen.inspector.top, `${name}: the sheet leaves the selected neuron uncovered`);
  // The numbers are the engine's, for the sample the inspector follows.
  assert.ok(seen.numbers.length > 0, `${name}: numbers are written on the diagram`);
  twin.setProbe(seen.sample);
  const L = twin.layerSizes.length - 1;
  for (const { data, text } of seen.numbers) {
    const values = JSON.parse(data.values);
    if (data.kind === 'neuron') {
      const c = Number(data.column), u = Number(data.unit);
      const trace = twin.trace(c - 1);
      const p = trace.probe;
      let expected = [p.z[u], p.a[u]];
      if (trace.backwardDone) expected = [p.upstream[u], p.local[u], p.downstream[u]];
      else if (c === L && lossDone) expected = u === 0 ? [p.a[u], p.loss] : [p.a[u]];
      assert.equal(values.length, expected.length, `${name}: ${text}`);
      values.forEach((v, k) => close(v, expected[k], `${name}: neuron ${c}.${u} number ${k}`));
    } else {
      const l = Number(data.layer), j = Number(data.to), i = Number(data.from);
      const trace = twin.trace(l);
      const k = j * twin.layerSizes[l] + i;
      const expected = data.quantity === 'delta' ? trace.update[k] : data.quantity === 'batchGrad' ? trace.dW[k] : trace.probe.dW[k];
      close(values[0], expected, `${name}: link ${l}:${j}←${i} (${data.quantity})`);
    }
  }
  // No number overlaps another, or a neuron's picture.
  seen.numbers.forEach((a, m) => {
    seen.numbers.slice(m + 1).forEach((b) => assert.ok(disjoint(a.box, b.box), `${name}: "${a.text}" and "${b.text}" overlap`));
    seen.nodes.forEach((node) => assert.ok(disjoint(a.box, node), `${name}: "${a.text}" covers a neuron`));
  });
}

async function step(page, twin, n) {
  for (let k = 0; k < n; k++) {
    await page.keyboard.press('ArrowRight');
    twin.stepPhase();
  }
}

for (const [size, options] of SIZES) {
  for (const lang of ['en', 'ko']) {
    test(`frame mode fits one screen at ${size} in ${lang}: every phase, a hidden neuron and a first-layer weight`, async () => {
      const context = await run.browser.newContext({ locale: lang === 'ko' ? 'ko-KR' : 'en-US', ...options });
      const { page, errors } = await newPage(context);
      const hash = `${HASH}&lang=${lang}`;
      await openLab(page, `${run.browser.url}${hash}`);
      const twin = run.lab.createTrainer(S.engineConfig(S.parseUrl('', hash).state));
      const L = twin.layerSizes.length - 1;  // 3 weight layers: forward ×3, loss, backward ×3, update
      const phone = size === 'phone';
      const shot = async (phase) => screenshot(page, `layout-${phase}-${size}-${lang}`, { fullPage: false });
      const press = async (x, y) => (phone ? page.touchscreen.tap(x, y) : page.mouse.click(x, y));

      await step(page, twin, 2);  // forward of hidden layer 2
      check(await layout(page), twin, { name: `${size} ${lang} forward`, lossDone: false });
      await shot('forward');
      await step(page, twin, 2);  // forward of the output, then the loss
      const loss = await layout(page);
      check(loss, twin, { name: `${size} ${lang} loss`, lossDone: true });
      assert.ok(loss.numbers.some((n) => n.data.kind === 'neuron' && Number(n.data.column) === L), 'the loss phase numbers the output');
      await shot('loss');
      await step(page, twin, 2);  // backward of the output and of hidden layer 2
      const backward = await layout(page);
      check(backward, twin, { name: `${size} ${lang} backward`, lossDone: true });
      const upDown = backward.numbers.filter((n) => n.data.kind === 'neuron' && JSON.parse(n.data.values).length === 3);
      assert.ok(upDown.length >= 1, 'upstream × local = downstream beside the layer just computed');
      assert.ok(backward.numbers.some((n) => n.data.kind === 'link'), '∂ℓ/∂w on the links into it');
      if (!phone) assert.equal(upDown.length, 2, 'a layer of two neurons: both carry their numbers on a laptop');
      await shot('backward');

      // A hidden neuron of the first layer: selecting it scrolls nothing, and it carries its numbers.
      const h12 = await page.locator('.net-node[data-column="1"][data-unit="1"]').boundingBox();
      await press(h12.x + h12.width / 2, h12.y + h12.height / 2);
      const picked = await layout(page);
      check(picked, twin, { name: `${size} ${lang} hidden neuron`, lossDone: true });
      assert.ok(picked.numbers.some((n) => n.data.column === '1' && n.data.unit === '1'), 'the selected neuron carries its numbers');
      assert.match(await page.textContent('#inspector h3'), /h1\.2/);
      await step(page, twin, 1);  // backward of hidden layer 1: the selection stays, now with its gradients
      const selectedBackward = await layout(page);
      check(selectedBackward, twin, { name: `${size} ${lang} hidden neuron, backward`, lossDone: true });
      assert.equal(JSON.parse(selectedBackward.numbers.find((n) => n.data.column === '1' && n.data.unit === '1').data.values).length, 3);
      await shot('neuron');

      // A first-layer weight: its chain-rule paths in their own colours, their products summing to ∂ℓ/∂w.
      const link = await linkPoint(page, { layer: 0, to: 0, from: 0 });
      await press(link.x, link.y);
      const weight = await layout(page);
      check(weight, twin, { name: `${size} ${lang} weight`, lossDone: true });
      const colours = await page.$$eval('.net-path', (els) => els.map((el) => el.getAttribute('stroke')));
      assert.equal(colours.length, 2, 'X₁ → h1.1 reaches the loss through h2.1 and h2.2');
      assert.deepEqual(colours, ['#0072b2', '#e69f00'], 'the course’s blue and orange');
      const swatches = await page.$$eval('#inspector .ix-path-swatch line', (els) => els.map((el) => el.getAttribute('stroke')));
      assert.deepEqual(swatches, colours, 'the inspector lists each path in its colour');
      const products = await page.$$eval('#inspector .ix-path', (els) => els.map((el) => Number(el.dataset.product)));
      close(products.reduce((a, b) => a + b, 0), twin.trace(0).probe.dW[0], 'Σ paths = ∂ℓ/∂w');
      await shot('weight');

      await step(page, twin, 1);  // the update: Δw on the links
      const update = await layout(page);
      check(update, twin, { name: `${size} ${lang} update`, lossDone: true });
      assert.ok(update.numbers.some((n) => n.data.quantity === 'delta'), 'Δw on the links');
      await shot('update');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `no sideways scrolling (${overflow}px)`);
      assert.deepEqual(errors, []);
      twin.delete();
      await context.close();
    });
  }
}

test('→ and ← step from anywhere but a field that uses the arrows; Escape follows the step again', async () => {
  const { page, errors } = await newPage(run.browser.context, { viewport: { width: 1280, height: 800 } });
  await openLab(page, `${run.browser.url}${HASH}&lang=en`);
  assert.equal(await page.getAttribute('#step', 'title'), 'Step: one phase (→); back: ←', 'the Step button says "one phase" from the first load');
  const current = () => page.textContent('.frame-chip.is-current').catch(() => null);
  await page.focus('.net-node[data-column="1"][data-unit="0"]');  // a neuron: → still steps
  await page.keyboard.press('ArrowRight');
  assert.equal(await current(), '→1');
  await page.focus('#step-batch');
  await page.keyboard.press('ArrowRight');
  assert.equal(await current(), '→2');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await current(), '→1');
  // A list keeps its arrows.
  await page.focus('#setting-frameSpeed');
  await page.keyboard.press('ArrowRight');
  assert.equal(await current(), '→1');
  await page.click('.net-node[data-column="1"][data-unit="2"]');
  assert.match(await page.textContent('#inspector h3'), /h1\.3/);
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('Escape');
  assert.match(await page.textContent('#inspector h3'), /h1\.1/, 'back to the neuron just computed');
  // Each number on the diagram speaks its meaning to a screen reader.
  const speech = await page.$$eval('.net-num:not([hidden]) .visually-hidden', (els) => els.map((el) => el.textContent));
  assert.ok(speech.length > 0 && speech.every((text) => /z = .*a = /.test(text)), speech.join(' | '));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a layer of more than four neurons numbers only the selected neuron and its links', async () => {
  const { page, errors } = await newPage(run.browser.context, { viewport: { width: 1280, height: 800 } });
  const hash = '#mode=frames&seed=3&networkShape=6,3&lang=en';
  await openLab(page, `${run.browser.url}${hash}`);
  await page.keyboard.press('ArrowRight');  // forward of hidden layer 1 (6 neurons)
  const first = await page.$$eval('.net-num:not([hidden])', (els) => els.map((el) => `${el.dataset.column}.${el.dataset.unit}`));
  assert.deepEqual(first, ['1.0'], 'only the neuron the step follows');
  await page.click('.net-node[data-column="1"][data-unit="4"]');
  const picked = await page.$$eval('.net-num:not([hidden])', (els) => els.map((el) => `${el.dataset.column}.${el.dataset.unit}`));
  assert.deepEqual(picked, ['1.4'], 'the selected neuron instead');
  await page.keyboard.press('ArrowRight');  // forward of hidden layer 2 (3 neurons): all of it
  const small = await page.$$eval('.net-num:not([hidden])[data-column="2"]', (els) => els.length);
  assert.equal(small, 3);
  assert.deepEqual(errors, []);
  await page.close();
});
