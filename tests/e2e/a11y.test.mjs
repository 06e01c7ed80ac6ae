// Accessibility: axe-core (the npm package, injected into the page) over every
// view in English and Korean, on a desktop and on a phone; no serious or
// critical violation, and none of the landmark rules. Adding a view is one line in VIEWS: its hash, and what
// to do before the scan (open a dialog, step into a phase, select a weight).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { newPage, openBrowser, openLab } from './browser.mjs';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src');
const { LESSONS } = await import(path.join(web, 'lessons/catalog.js'));
const { PANELS } = await import(path.join(web, 'state.js'));

const steps = async (page, n) => { for (let k = 0; k < n; k++) await page.keyboard.press('ArrowRight'); };

/** Every view: [name, URL hash, optional action before the scan]; each lesson also as it opens (some in frame mode). */
const VIEWS = [
  ['playground', '#mode=train'],
  ['playground with test data, 3 classes', '#mode=train&classes=3&showTestData=true'],
  ['playground, regression', '#mode=train&problem=regression'],
  ['share dialog', '#mode=train', (page) => page.click('#share')],
  ['notices: ignored URL keys and settings that followed', '#mode=train&bogus=1', (page) => page.selectOption('#setting-classes', '3')],
  ['activations, softmax', '#panel=activations&activationFn=softmax'],
  ...PANELS.filter((name) => name !== 'playground').map((name) => [`panel ${name}`, `#panel=${name}`]),
  ...LESSONS.map((lesson) => [`lesson ${lesson.id}`, `#lesson=${lesson.id}&mode=train`]),
  ['frame mode, mid-backward', '#mode=frames&seed=2', (page) => steps(page, 6)],
  ['frame mode, a first-layer weight at the update', '#mode=frames&seed=2', async (page) => { await steps(page, 7); await page.click('#inspector button.ix-button >> nth=1'); await steps(page, 1); }],
  ['frame mode, the settings unfolded', '#mode=frames', (page) => page.click('#settings-toggle')],
  ...LESSONS.map((lesson) => [`lesson ${lesson.id}, as it opens`, `#lesson=${lesson.id}`, (page) => steps(page, 3)]),
  ['embed', '#embed=true&mode=train'],
  ['embed, frame mode', '#embed=true&mode=frames', (page) => steps(page, 5)],
  ['embed, a lesson', '#lesson=xor&embed=true'],
  ['embed, a panel', '#panel=losses&embed=true'],
];

const SIZES = [[1280, 900], [390, 844]];
/** Moderate rules that are checked too: every part of a view sits in a landmark, there is one main, and a heading names the page. */
const LANDMARKS = /^(region|landmark-|page-has-heading-one)/;

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.close(); });

/** axe's serious and critical violations of the page as it is now, as readable lines. */
async function violations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || LANDMARKS.test(v.id))
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary.split('\n').slice(1, 2).join('')}`));
}

for (const lang of ['en', 'ko']) {
  test(`axe finds no serious or critical violation, and every view in landmarks (${lang})`, async () => {
    const found = [];
    for (const [width, height] of SIZES) {
      const { page, errors } = await newPage(browser.context, { viewport: { width, height } });
      for (const [name, hash, action] of VIEWS) {
        await openLab(page, `${browser.url}${hash}&lang=${lang}`);
        if (action) await action(page);
        await page.waitForTimeout(100);
        for (const line of await violations(page)) found.push(`${name} at ${width} px: ${line}`);
        if (action) await page.keyboard.press('Escape');
      }
      assert.deepEqual(errors, []);
      await page.close();
    }
    assert.deepEqual(found, [], `\n${found.join('\n')}`);
  });
}

test('the list covers the playground, every panel and every lesson, so a new one cannot be missed', () => {
  const names = VIEWS.map(([name]) => name);
  for (const name of PANELS.filter((p) => p !== 'playground')) assert.ok(names.includes(`panel ${name}`), name);
  for (const lesson of LESSONS) assert.ok(names.includes(`lesson ${lesson.id}`), lesson.id);
  assert.ok(names.includes('playground') && names.includes('embed'));
});
