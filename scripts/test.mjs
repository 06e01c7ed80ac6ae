// npm test: set up, build, then run every test: the engine's Catch2 tests
// (CTest), the Node tests of the WebAssembly module, the browser tests.
//   node scripts/test.mjs [engine] [bindings] [fuzz] [e2e]   (default: all)
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { buildNative, buildSite } from './build.mjs';
import { fixtureDir, jobs, nativeDir, root, run, step } from './lib.mjs';

const suites = process.argv.slice(2);
const wanted = (name) => suites.length === 0 || suites.includes(name);

async function testFiles(dir) {
  const names = await readdir(path.join(root, dir));
  return names.filter((n) => n.endsWith('.test.mjs')).sort().map((n) => path.join(dir, n));
}

const start = performance.now();
await step('set-up', () => run('bash', ['scripts/setup.sh']));
if (wanted('engine')) {
  await step('native build', buildNative);
  await step('engine tests (ctest)', () => run('ctest', ['--test-dir', nativeDir, '--output-on-failure', '-j', jobs]));
}
if (wanted('bindings') && !wanted('engine')) {
  // The module tests compare against weights the native build writes.
  await step('native fixture for the module tests', async () => {
    await buildNative();
    await run(path.join(nativeDir, 'engine_tests'), ['cross-build fixture*', '--fixture-dir', fixtureDir]);
  });
}
if (wanted('bindings') || wanted('fuzz') || wanted('e2e')) await step('WebAssembly module and site', buildSite);
const env = { ...process.env, BPLAB_FIXTURE_DIR: fixtureDir };
if (wanted('bindings')) {
  await step('module tests (node --test)', async () => run('node', ['--test', ...(await testFiles('tests/bindings'))], { env }));
}
if (wanted('fuzz')) {
  await step('fuzz tests (node --test, seeded)', async () => run('node', ['--test', ...(await testFiles('tests/fuzz'))], { env }));
}
if (wanted('e2e')) {
  await step('browser tests (playwright-core + chromium)', async () =>
    run('node', ['--test', '--test-concurrency=1', ...(await testFiles('tests/e2e'))], { env }));
}
console.log(`\nall tests passed in ${((performance.now() - start) / 1000).toFixed(0)} s`);
