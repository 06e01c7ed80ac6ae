// npm run test:sanitize: the engine's Catch2 tests built with AddressSanitizer and
// UndefinedBehaviorSanitizer in their own build folder (build/sanitize), every finding fatal
// and no suppressions. Sets up what is missing first, as the other scripts do.
import path from 'node:path';
import { buildDir, exists, jobs, root, run, step } from './lib.mjs';

const dir = path.join(buildDir, 'sanitize');
const sanitizers = '-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all';
// -O1 and line tables only: a quicker build, and still a file and line for every finding.
const compile = `-O1 -g1 ${sanitizers}`;
const env = {
  ...process.env,
  ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=1:strict_string_checks=1:check_initialization_order=1',
  UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
};

const start = performance.now();
await step('set-up', () => run('bash', ['scripts/setup.sh']));
await step('engine tests with ASan and UBSan: build', async () => {
  if (!exists(path.join(dir, 'Makefile'))) {
    await run('cmake', ['-S', root, '-B', dir, '-DCMAKE_BUILD_TYPE=Sanitize', `-DCMAKE_CXX_FLAGS=${compile}`,
      `-DCMAKE_EXE_LINKER_FLAGS=${sanitizers}`, `-DBPLAB_FIXTURE_DIR=${path.join(dir, 'fixtures')}`], { env });
  }
  await run('cmake', ['--build', dir, '-j', jobs, '--target', 'engine_tests'], { env });
});
await step('engine tests with ASan and UBSan: run', () =>
  run('ctest', ['--test-dir', dir, '--output-on-failure', '-j', jobs], { env }));
console.log(`\nthe sanitized engine tests passed in ${((performance.now() - start) / 1000).toFixed(0)} s`);
