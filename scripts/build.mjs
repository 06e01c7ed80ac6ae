// Builds the engine natively (tests, benchmarks), as WebAssembly (the module
// and its JS API), and the static site in dist/.
//   node scripts/build.mjs native|wasm|site|settings
import { realpathSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { distDir, exists, fixtureDir, jobs, moduleDir, nativeDir, root, run, wasmDir } from './lib.mjs';

export async function buildNative() {
  if (!exists(path.join(nativeDir, 'Makefile'))) {
    await run('cmake', ['-S', root, '-B', nativeDir, '-DCMAKE_BUILD_TYPE=Release', `-DBPLAB_FIXTURE_DIR=${fixtureDir}`]);
  }
  await run('cmake', ['--build', nativeDir, '-j', jobs]);
}

// em++ runs Debian's acorn, found through NODE_PATH.
const emEnv = { ...process.env, NODE_PATH: '/usr/share/nodejs' };

export async function buildWasm() {
  if (!exists(path.join(wasmDir, 'Makefile'))) {
    await run('emcmake', ['cmake', '-S', root, '-B', wasmDir, '-DCMAKE_BUILD_TYPE=Release',
      // emcmake's default emulator flags are rejected by Node 20.
      '-DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node;--no-experimental-fetch'], { env: emEnv });
  }
  await run('cmake', ['--build', wasmDir, '-j', jobs], { env: emEnv });
}

// bindings/settings.mjs: the engine's settings tables (lab.settings) as a module, for the page,
// which reads its URL before the engine has loaded. Generated from the built engine and kept in
// the repository; tests/bindings/settings.test.mjs fails when it no longer matches.
export const settingsModule = path.join(root, 'bindings/settings.mjs');

export function settingsText(settings) {
  return `// The engine's optimizer and schedule settings (lab.settings), for code that needs them before
// the engine has loaded. Written by \`node scripts/build.mjs settings\` from the built engine;
// tests/bindings/settings.test.mjs checks that it still matches. Do not edit.
export const SETTINGS = ${JSON.stringify(settings)};
`;
}

export async function writeSettings() {
  await buildWasm();
  const { loadEngine } = await import(pathToFileURL(path.join(moduleDir, 'index.mjs')).href);
  await writeFile(settingsModule, settingsText((await loadEngine()).settings));
}

// Points the JS API's import of the engine at the built module.
function corePlugin() {
  return {
    name: 'backprop-lab-core',
    setup(build) {
      build.onResolve({ filter: /backprop-lab-core\.mjs$/ }, () => ({ path: path.join(moduleDir, 'backprop-lab-core.mjs') }));
    },
  };
}

// The single file carries the engine as gzip in base64 (the browser unpacks it): base64 of
// compressed bytes gzips to about the compressed size, base64 of the raw .wasm to a third more.
async function embeddedWasm() {
  const wasm = await readFile(path.join(moduleDir, 'backprop-lab-core.wasm'));
  return gzipSync(wasm, { level: 9 }).toString('base64');
}

// Both builds split what only some features load (the formula typesetter, the own-data dialog,
// its CSV and formula parsers) into chunks loaded on first use: the site fetches them, the single
// file carries them as inert text (see singleFile).
async function bundle(variant) {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: { app: path.join(root, 'web/src/main.js') },
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    target: 'es2020',
    minify: true,
    write: false,
    outdir: distDir,
    legalComments: 'none',
    // The site keeps Korean text as itself (smaller, before and after gzip); the single file is
    // ASCII (see asciiOnly).
    charset: variant === 'single' ? 'ascii' : 'utf8',
    define: { BPLAB_EMBEDDED_WASM: variant === 'single' ? JSON.stringify(await embeddedWasm()) : 'false' },
    plugins: [corePlugin()],
    external: ['node:*'],  // the JS API reads the .wasm with fs only when it runs in Node
    logLevel: 'warning',
  });
  const out = { chunks: [] };
  for (const file of result.outputFiles) {
    const name = path.relative(distDir, file.path);
    if (name.startsWith('chunks')) out.chunks.push({ name, text: file.text });
    else out[path.extname(file.path)] = file.text;
  }
  return out;
}

// The site's page asks for everything its start needs at once: the script, the chunks the script
// imports (found only once the script is parsed, otherwise) and the engine's .wasm (fetched only
// once every chunk is evaluated, otherwise), so the download overlaps parsing.
function withPreloads(html, appJs) {
  const chunks = [...appJs.matchAll(/(?:^|[;}\s])import\s*(?:[^"'();]*?from\s*)?"\.\/(chunks\/[^"]+\.js)"/g)].map((m) => m[1]);
  const links = ['./app.js', ...new Set(chunks.map((c) => `./${c}`))].map((href) => `<link rel="modulepreload" href="${href}">`)
    .concat('<link rel="preload" href="./backprop-lab-core.wasm" as="fetch" type="application/wasm" crossorigin>');
  const out = html.replace(/(<link rel="stylesheet" href="\.\/app\.css">)/, (tag) => `${tag}\n${links.join('\n')}`);
  if (out === html) throw new Error('web/index.html lost its app.css tag; the preloads have no place');
  return out;
}

// Keeps inline text from closing the tag it sits in.
const inlineSafe = (text, tag) => text.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');

// One self-contained file for file:// and USB sticks: no module script can be fetched there
// (Chromium refuses module scripts from file://), so everything is inline. The page's script is
// an inline module; each chunk is a <script type="text/plain"> the browser does not parse as
// JavaScript, so a start does not pay for the formula typesetter or the data parsers. A small
// script turns the chunks the start imports into blob: URLs named in an import map, before the
// module runs; the others become blob: modules when first imported (see singleFile). Their text
// comes after the page's script, which is async: the page starts without waiting for the parser
// to read past a quarter of a megabyte it does not need yet.
const OLD_BROWSER = {
  en: 'This browser is too old for Backprop Lab: it needs import maps (Chrome 89, Firefox 108, Safari 16.4 or later). Please open this file in a current version of Chrome, Edge, Firefox or Safari.',
  ko: '이 브라우저는 Backprop Lab을 실행하기에 너무 오래되었습니다. import map을 지원하는 브라우저(Chrome 89, Firefox 108, Safari 16.4 이상)가 필요합니다. 최신 Chrome, Edge, Firefox, Safari에서 이 파일을 열어 주세요.',
};

// The single file in ASCII only: Korean as \u escapes in its scripts and as character references
// in its HTML. A browser decodes an all-ASCII file of this size about a tenth of a second faster
// at a 4× slower CPU (measured from file://), and its scripts stay one-byte strings.
function asciiOnly(html) {
  return html.split(/(<script\b[^>]*>[\s\S]*?<\/script>)/).map((part, k) => (k % 2
    ? part.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : part.replace(/[^\x00-\x7f]/gu, (c) => `&#x${c.codePointAt(0).toString(16)};`))).join('');
}

// The chunks the app imports statically, and theirs: what the start needs. (Specifiers as
// renamed: "bplab-chunks/<file>"; a static import is `from"…"` or a bare `import"…"`.)
function staticChunks(appText, chunkTexts) {
  const imported = (text) => [...text.matchAll(/(?:\bfrom|\bimport)\s*"(bplab-chunks\/[\w-]+\.js)"/g)].map((m) => m[1]);
  const found = new Set();
  const visit = (text) => {
    for (const spec of imported(text)) {
      if (found.has(spec)) continue;
      found.add(spec);
      visit(chunkTexts.get(spec) ?? '');
    }
  };
  visit(appText);
  return found;
}

function singleFile(html, { css, js, chunks }) {
  const name = (chunk) => `bplab-chunks/${path.basename(chunk.name)}`;
  const renamed = (text, prefix) => chunks.reduce((out, chunk) => out.replaceAll(`"${prefix}${path.basename(chunk.name)}"`, `"${name(chunk)}"`), text);
  const texts = new Map(chunks.map((chunk) => [name(chunk), renamed(chunk.text, './')]));
  const appText = renamed(js, './chunks/');
  const atStart = staticChunks(appText, texts);
  const lazy = [...texts.keys()].filter((spec) => !atStart.has(spec));
  // The loader makes a lazy chunk's URL after those of the lazy chunks it names: they must not
  // name each other in a cycle.
  const named = (spec) => lazy.filter((dep) => dep !== spec && texts.get(spec).includes(`"${dep}"`));
  const cycle = (spec, path = []) => (path.includes(spec) ? [...path, spec] : named(spec).map((dep) => cycle(dep, [...path, spec])).find(Boolean));
  for (const spec of lazy) {
    const found = cycle(spec);
    if (found) throw new Error(`the single file's lazy chunks import each other in a cycle: ${found.join(' → ')}`);
  }
  // What the start does not need gets no blob: URL (nor import map entry) until first imported:
  // the app's and the start's chunks import it through __bplabLazy, which makes its URL, and
  // those of the lazy chunks it imports, written into its text.
  const viaLoader = (text) => lazy.reduce((out, spec) => out.replaceAll(`import("${spec}")`, `globalThis.__bplabLazy("${spec}")`), text);
  const start = new Map([['app', viaLoader(appText)], ...[...atStart].map((spec) => [spec, viaLoader(texts.get(spec))])]);
  for (const [where, text] of start) {
    const left = lazy.find((spec) => text.replaceAll(`__bplabLazy("${spec}")`, '').includes(`"${spec}"`));
    if (left) throw new Error(`the single file's ${where} still names ${left} other than through __bplabLazy`);
  }
  const inert = (specs) => specs.map((spec) => `<script type="text/plain" data-chunk="${spec}"${start.has(spec) ? '' : ' data-lazy'}>${inlineSafe(start.get(spec) ?? texts.get(spec), 'script')}</script>`);
  const importMap = `<script>(function () {
  // A browser that says it has no import maps (Firefox 94–107) would wait on the loader forever.
  if (HTMLScriptElement.supports && !HTMLScriptElement.supports('importmap')) {
    var status = document.getElementById('status');
    document.getElementById('loader').classList.add('is-error');
    status.textContent = '';
    [['en', ${JSON.stringify(OLD_BROWSER.en)}], ['ko', ${JSON.stringify(OLD_BROWSER.ko)}]].forEach(function (text) {
      var p = document.createElement('p');
      p.lang = text[0];
      p.textContent = text[1];
      status.append(p);
    });
    var drop = function () {
      document.querySelectorAll('script[data-chunk]').forEach(function (s) { s.remove(); });
    };
    drop();
    document.addEventListener('DOMContentLoaded', drop);  // the lazy ones, after the page's script
    return;
  }
  var imports = {};
  var lazy = ${JSON.stringify(lazy)};
  var made = {};
  document.querySelectorAll('script[data-chunk]:not([data-lazy])').forEach(function (s) {
    imports[s.dataset.chunk] = URL.createObjectURL(new Blob([s.textContent], { type: 'text/javascript' }));
  });
  // The lazy chunks' text comes after the page's script, which starts before the parser reaches it.
  var parsed = new Promise(function (resolve) {
    if (document.readyState !== 'loading') resolve();
    else document.addEventListener('DOMContentLoaded', function () { resolve(); });
  });
  function url(spec) {
    if (!made[spec]) {
      var text = document.querySelector('script[data-lazy][data-chunk="' + spec + '"]').textContent;
      lazy.forEach(function (dep) {
        var quoted = '"' + dep + '"';
        if (dep !== spec && text.indexOf(quoted) >= 0) text = text.split(quoted).join(JSON.stringify(url(dep)));
      });
      made[spec] = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
    }
    return made[spec];
  }
  window.__bplabLazy = function (spec) {
    return parsed.then(function () {
      return import(url(spec));
    });
  };
  var map = document.createElement('script');
  map.type = 'importmap';
  map.textContent = JSON.stringify({ imports: imports });
  document.currentScript.after(map);
})();</script>`;
  const app = `<script type="module" async>${inlineSafe(start.get('app'), 'script')}</script>`;
  const inlined = html
    .replace(/<link rel="stylesheet" href="\.\/app\.css">/, () => `<style>${inlineSafe(css || '', 'style')}</style>`)
    .replace(/<script type="module" src="\.\/app\.js"><\/script>/, () => [...inert([...atStart]), importMap, app, ...inert(lazy)].join('\n'));
  if (inlined === html) throw new Error('web/index.html lost its app.css / app.js tags; the single file cannot be made');
  if (/"\.\/(chunks\/)?[\w-]+\.js"/.test(appText)) throw new Error('the single file\'s script still imports a chunk by its path');
  return asciiOnly(inlined);
}

export async function buildSite() {
  await buildWasm();
  await rm(distDir, { recursive: true, force: true });
  await mkdir(distDir, { recursive: true });
  const html = await readFile(path.join(root, 'web/index.html'), 'utf8');

  const multi = await bundle('core');
  await writeFile(path.join(distDir, 'app.js'), multi['.js']);
  await writeFile(path.join(distDir, 'app.css'), multi['.css'] || '');
  await mkdir(path.join(distDir, 'chunks'), { recursive: true });
  for (const chunk of multi.chunks) await writeFile(path.join(distDir, chunk.name), chunk.text);
  await copyFile(path.join(moduleDir, 'backprop-lab-core.wasm'), path.join(distDir, 'backprop-lab-core.wasm'));
  await writeFile(path.join(distDir, 'index.html'), withPreloads(html, multi['.js']));

  const single = await bundle('single');
  await writeFile(path.join(distDir, 'backprop-lab.html'), singleFile(html, { css: single['.css'], js: single['.js'], chunks: single.chunks }));
  // A course page that drives embedded lessons by postMessage (web/EMBED.md).
  await mkdir(path.join(distDir, 'examples'), { recursive: true });
  await copyFile(path.join(root, 'web/examples/course.html'), path.join(distDir, 'examples/course.html'));
  await buildLib();
}

/**
 * The JS API as a package in dist/lib: the API module, the engine's core and its .wasm (Node
 * and browsers import index.mjs; it finds the .wasm beside itself), and TypeScript declarations
 * written from the API's JSDoc.
 */
export async function buildLib() {
  const lib = path.join(distDir, 'lib');
  await rm(lib, { recursive: true, force: true });
  await mkdir(lib, { recursive: true });
  for (const file of ['index.mjs', 'pytorch.mjs', 'settings.mjs', 'backprop-lab-core.mjs', 'backprop-lab-core.wasm']) {
    await copyFile(path.join(moduleDir, file), path.join(lib, file));
  }
  await run(path.join(root, 'node_modules/.bin/tsc'), ['--allowJs', '--declaration', '--emitDeclarationOnly', '--skipLibCheck',
    '--target', 'es2020', '--module', 'nodenext', '--outDir', lib, path.join(lib, 'index.mjs')]);
}

const targets = { native: buildNative, wasm: buildWasm, site: buildSite, settings: writeSettings, lib: async () => { await buildWasm(); await buildLib(); } };

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const wanted = process.argv.slice(2);
  // Like npm start and npm test, a build installs what it needs first.
  await run('bash', ['scripts/setup.sh']);
  for (const name of wanted.length ? wanted : ['site']) {
    if (!targets[name]) {
      console.error(`unknown build target '${name}'; use ${Object.keys(targets).join(', ')}`);
      process.exit(2);
    }
    await targets[name]();
  }
}
