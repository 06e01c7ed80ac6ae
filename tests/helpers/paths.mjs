// Where the tests find the built module, the site and the native fixtures.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { distDir, fixtureDir, moduleDir } from '../../scripts/lib.mjs';

export { distDir, fixtureDir, moduleDir };
/** The built module's JS API, imported exactly as the page bundles it. */
export const apiUrl = pathToFileURL(path.join(moduleDir, 'index.mjs')).href;
