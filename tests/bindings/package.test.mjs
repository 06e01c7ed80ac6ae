// The JS API as a package (dist/lib, written by `npm run build`): the README's example runs as it
// stands from the project's folder, and its TypeScript declarations type-check a small program.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { distDir, root } from '../../scripts/lib.mjs';

const lib = path.join(distDir, 'lib');

/** The code block of the README's section "The JS API in brief", verbatim. */
async function readmeExample() {
  const readme = await readFile(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The JS API in brief'));
  const match = section.match(/```js\n([\s\S]*?)```/);
  assert.ok(match, 'the README has a js code block in "The JS API in brief"');
  return match[1];
}

test('the README\'s example runs verbatim against dist/lib and prints an epoch and an evaluation', async () => {
  const code = await readmeExample();
  assert.match(code, /from '\.\/dist\/lib\/index\.mjs'/, 'the example imports the package, not the sources');
  // Beside the README, where its relative import points (dist/ may be elsewhere with BPLAB_DIST_DIR).
  const relative = path.relative(root, lib).split(path.sep).join('/');
  const file = path.join(root, `.readme-example-${process.pid}.mjs`);
  await writeFile(file, code.replace("'./dist/lib/index.mjs'", `'./${relative}/index.mjs'`));
  try {
    const run = spawnSync(process.execPath, [file], { encoding: 'utf8', cwd: root, timeout: 60000 });
    assert.equal(run.status, 0, `the example failed:\n${run.stderr}`);
    assert.match(run.stdout, /loss: \d+\.\d+.*epoch: 1/s, 'trainEpoch printed its loss and epoch');
    assert.match(run.stdout, /trainLoss: \d+\.\d+/, 'evaluate printed the losses');
  } finally {
    await rm(file, { force: true });
  }
});

test('the package\'s declarations describe the API: a TypeScript program using it type-checks, a wrong one does not', async () => {
  const tsc = path.join(root, 'node_modules/.bin/tsc');
  const check = async (body) => {
    const file = path.join(lib, `check-${process.pid}.mts`);
    await writeFile(file, `import { loadEngine, LabError } from './index.mjs';\n${body}\n`);
    try {
      return spawnSync(tsc, ['--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'nodenext', file], { encoding: 'utf8' });
    } finally {
      await rm(file, { force: true });
    }
  };
  const good = await check(`
const lab = await loadEngine({ onProgress: ({ loaded, total }) => console.log(loaded / total) });
const t = lab.createTrainer({ layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce', dataset: { name: 'circle' } });
t.trainEpoch();
const e = new LabError({ code: 'invalid_argument', field: 'x', message: 'm', problems: [], details: null });
const code: string = e.code;
t.delete();`);
  assert.equal(good.status, 0, `a correct program is refused:\n${good.stdout}${good.stderr}`);
  const bad = await check(`await loadEngine({ onProgress: 'not a function' });`);
  assert.notEqual(bad.status, 0, 'a wrong use of the API type-checks');
  assert.match(bad.stdout, /error TS2322: Type 'string' is not assignable/, 'the options are typed');
});
