// A course page of another origin drives two embedded lessons by postMessage (web/EMBED.md):
// the events carry the lab's own numbers, commands change what the lab shows, and only the
// documented messages from the allowed parent are acted on, never as markup.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serve } from '../../scripts/serve.mjs';
import { distDir } from '../helpers/paths.mjs';
import { newPage, openBrowser, screenshot } from './browser.mjs';

let browser;
let course;  // the same files served on another port: another origin than the lab's
before(async () => {
  browser = await openBrowser();
  course = await serve(distDir);
});
after(async () => {
  await browser?.close();
  await new Promise((resolve) => course?.close(resolve));
});

const logOf = (page, name) => page.textContent(`#log-${name}`);
const labFrame = (page, name) => page.frame({ url: (url) => url.href.includes(`lesson=${name}`) });

test('a course page on another origin steps, selects, sets and plays its embedded lessons and reads their numbers', async () => {
  const { page, errors } = await newPage(browser.context, { viewport: { width: 1280, height: 900 } });
  const courseUrl = `http://127.0.0.1:${course.address().port}/examples/course.html?lab=${encodeURIComponent(`${browser.url}index.html`)}`;
  assert.notEqual(new URL(courseUrl).origin, new URL(browser.url).origin);
  await page.goto(courseUrl);
  await page.waitForFunction(() => ['backprop', 'xor'].every((n) => document.getElementById(`log-${n}`).textContent.includes('ready')));
  const lesson = labFrame(page, 'backprop');
  assert.match(lesson.url(), new RegExp(`parentOrigin=${encodeURIComponent(new URL(courseUrl).origin)}`));

  // Step into the backward pass: the phase events carry Upstream × Local = Downstream, as the lab shows it.
  const L = (await lesson.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('networkShape'))).split(',').length + 1;
  for (let k = 0; k < L + 2; k++) await page.getByRole('button', { name: 'Step one phase' }).click();
  // The readout's own placeholder text names the three factors too: wait for a neuron's numbers.
  await page.waitForFunction(() => /^Neuron \d+\.\d+: .*×.*=/.test(document.getElementById('readout-backprop').textContent));
  const readout = await page.textContent('#readout-backprop');
  const shown = await lesson.$eval('#inspector .ix-key[data-quantity="downstream"]', (el) => JSON.parse(el.dataset.terms).concat(Number(el.dataset.value)));
  const numbers = readout.replace(/^[^:]*:/, '').match(/−?-?\d[\d.e+-]*/g).map(Number);
  shown.forEach((x, k) => assert.equal(numbers[k], Number(x.toPrecision(4)), `${readout}: number ${k} is the lab's`));
  assert.match(await logOf(page, 'backprop'), /phase backward/);

  // Select a hidden neuron, then a first-layer weight: the lab's inspector follows.
  await page.getByRole('button', { name: 'Select h1.1' }).click();
  await lesson.waitForFunction(() => /h1\.1/.test(document.querySelector('#inspector h3')?.textContent));
  await page.getByRole('button', { name: /Select θ₁₁/ }).click();
  await lesson.waitForFunction(() => /X₁ → h1\.1/.test(document.querySelector('#inspector h3')?.textContent));

  // Settings, then ten epochs, in the second lesson: its URL and epoch counter move, the events report them.
  const xor = labFrame(page, 'xor');
  await page.getByRole('button', { name: 'One hidden layer of 4' }).click();
  await xor.waitForFunction(() => /networkShape=4(&|$)/.test(location.hash) && /learningRate=0\.1(&|$)/.test(location.hash));
  await page.getByRole('button', { name: '10 epochs' }).click();
  await xor.waitForFunction(() => document.getElementById('epoch').textContent.replace(/\D/g, '') === '000010');
  await page.waitForFunction(() => /epoch 10, test loss/.test(document.getElementById('log-xor').textContent));
  await page.getByRole('button', { name: 'Ask for the state' }).click();
  await page.waitForFunction(() => /Epoch 10, test loss/.test(document.getElementById('readout-xor').textContent));
  const reported = Number(await page.getAttribute('#readout-xor', 'data-test-loss'));
  assert.equal(reported, Number(await xor.getAttribute('#test-loss', 'data-value')), 'the state carries the loss the lab shows');
  await page.getByRole('button', { name: 'Play' }).click();
  await xor.waitForFunction(() => Number(document.getElementById('epoch').textContent.replace(/\D/g, '')) > 12);
  await page.getByRole('button', { name: 'Pause' }).click();
  await screenshot(page, 'embed-course-page');
  assert.deepEqual(errors, []);
  await page.close();
});

test('only documented messages from the allowed parent are acted on, and nothing in them becomes markup', async () => {
  const { page, errors } = await newPage(browser.context);
  await page.goto(`http://127.0.0.1:${course.address().port}/examples/course.html?lab=${encodeURIComponent(`${browser.url}index.html`)}`);
  await page.waitForFunction(() => document.getElementById('log-xor').textContent.includes('ready'));
  const xor = labFrame(page, 'xor');
  const send = (message) => page.evaluate(([m, origin]) => document.getElementById('lab-xor').contentWindow.postMessage(m, origin), [message, new URL(browser.url).origin]);
  await send({ protocol: 'backprop-lab', command: 'format c:' });
  await page.waitForFunction(() => /error: unknown command/.test(document.getElementById('log-xor').textContent));
  await send({ protocol: 'backprop-lab', command: 'set', settings: { learningRate: '<img src=x onerror=alert(1)>', dataset: 'spiral', '<b>': 1 } });
  await page.waitForFunction(() => /learningRate: invalid/.test(document.getElementById('log-xor').textContent));
  assert.equal(await xor.locator('img, b').count(), 0, 'no markup from a message');
  assert.match(await xor.evaluate(() => location.hash), /dataset=spiral/, 'the valid setting of the message applies');
  await send({ protocol: 'backprop-lab', command: 'set', settings: { parentOrigin: 'http://evil.example' } });
  await page.waitForFunction(() => /parentOrigin: notAllowed/.test(document.getElementById('log-xor').textContent));
  await send({ protocol: 'backprop-lab', command: 'step', count: 1e9 });
  await page.waitForFunction(() => /count must be a whole number/.test(document.getElementById('log-xor').textContent));

  // A lab whose parentOrigin names another origin ignores this page entirely, and tells it nothing.
  await page.evaluate((lab) => {
    const frame = document.createElement('iframe');
    frame.id = 'lab-other';
    frame.src = `${lab}#dataset=xor&embed=true&parentOrigin=${encodeURIComponent('http://127.0.0.1:9')}`;
    window.otherEvents = 0;
    window.addEventListener('message', (event) => { if (event.source === frame.contentWindow) window.otherEvents += 1; });
    document.body.append(frame);
  }, `${browser.url}index.html`);
  let other = null;
  for (let k = 0; k < 100 && !other?.url().includes('127.0.0.1%3A9'); k++) {
    other = page.frames().find((f) => f.url().includes('parentOrigin=http%3A%2F%2F127.0.0.1%3A9')) ?? null;
    await page.waitForTimeout(50);
  }
  await other.waitForSelector('body.is-ready');
  await page.evaluate((origin) => document.getElementById('lab-other').contentWindow.postMessage({ protocol: 'backprop-lab', command: 'set', settings: { learningRate: 1 } }, origin), new URL(browser.url).origin);
  await page.waitForTimeout(500);
  assert.doesNotMatch(await other.evaluate(() => location.hash), /learningRate=1(&|$)/, 'the command was ignored');
  assert.equal(await page.evaluate(() => window.otherEvents), 0, 'no event reached a parent of another origin');
  assert.deepEqual(errors, []);
  await page.close();
});
