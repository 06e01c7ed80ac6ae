// Paths and process helpers shared by the npm scripts and the tests.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// BPLAB_BUILD_DIR lets two checkouts or two builds live side by side.
export const buildDir = path.resolve(root, process.env.BPLAB_BUILD_DIR || 'build');
export const nativeDir = path.join(buildDir, 'native');
export const wasmDir = path.join(buildDir, 'wasm');
export const moduleDir = path.join(wasmDir, 'module');
export const fixtureDir = path.join(buildDir, 'fixtures');
export const distDir = path.resolve(root, process.env.BPLAB_DIST_DIR || 'dist');
export const jobs = String(Math.max(1, os.cpus().length));

/** Runs a command, streaming its output; rejects with a clear message when it fails. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', cwd: root, ...options });
    child.on('error', (err) => reject(new Error(`${command}: ${err.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal || `exit ${code}`})`));
    });
  });
}

export const exists = existsSync;

/** Times a step and prints how long it took. */
export async function step(name, body) {
  const start = performance.now();
  console.log(`\n▶ ${name}`);
  await body();
  console.log(`✔ ${name} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
}
