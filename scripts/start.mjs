// npm start: set up what is missing, build the module and the page, serve it.
import { buildSite } from './build.mjs';
import { distDir, run, step } from './lib.mjs';
import { serve } from './serve.mjs';

const port = Number(process.env.PORT || 8080);
await step('set-up', () => run('bash', ['scripts/setup.sh']));
await step('build', buildSite);
try {
  const server = await serve(distDir, { port });
  console.log(`\nBackprop Lab is running at http://127.0.0.1:${server.address().port}/`);
  console.log('(the single-file version is dist/backprop-lab.html; press Ctrl+C to stop)');
} catch (err) {
  console.error(err.code === 'EADDRINUSE'
    ? `port ${port} is in use; start with another one, e.g. PORT=8081 npm start`
    : `could not serve the page: ${err.message}`);
  process.exit(1);
}
