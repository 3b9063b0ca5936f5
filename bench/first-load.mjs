// `npm run bench:js`: every page's first-load JavaScript (gzip) in an existing build, next to a bare page's (issue #12).
//
// Reads what the build wrote (`<dist>/diagnostics/route-bundle-stats.json`: each route's first-load chunks) and
// gzips each chunk, so it needs no server and no signed-in user: every page is measured, including those only a
// flow reaches (two-step login, password reset, the wizard's steps, the phone handoff). The bare page is the bench
// build's /bench/dynamic when there is one, else what any page of the root layout loads before its own code (the
// framework, the root layout, the error and not-found boundaries): the same chunks, by construction.
//
// Usage: npm run bench:js [-- <dist dir, default .next> [--chunks]]. `--chunks` lists what each page adds, chunk by
// chunk. Figures are printed, never asserted.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const dist = args.find((arg) => !arg.startsWith('--')) ?? '.next';
const showChunks = args.includes('--chunks');
// The issue's budget: each page within this much of the bare page.
const BUDGET_KB = 25;

/** Each route's first-load chunks, as paths relative to the dist dir ("static/chunks/…"). */
function routeChunks(distDir) {
  const stats = JSON.parse(readFileSync(path.join(distDir, 'diagnostics', 'route-bundle-stats.json'), 'utf8'));
  const prefix = `${path.basename(distDir)}/`;
  return new Map(
    stats.map(({ route, firstLoadChunkPaths }) => [route, firstLoadChunkPaths.map((file) => (file.startsWith(prefix) ? file.slice(prefix.length) : file))]),
  );
}

/** What a bare page of the root layout loads: the framework's main files and the root segment's entries. */
function bareChunks(distDir, routes) {
  if (routes.has('/bench/dynamic')) return routes.get('/bench/dynamic');
  const build = JSON.parse(readFileSync(path.join(distDir, 'build-manifest.json'), 'utf8'));
  // Any page's client manifest lists the root segment's entries.
  const app = path.join(distDir, 'server', 'app');
  const first = readdirSync(app, { recursive: true }).find((file) => String(file).endsWith('page_client-reference-manifest.js'));
  const manifest = readFileSync(path.join(app, String(first)), 'utf8');
  const sandbox = { self: {} };
  sandbox.globalThis = sandbox.self;
  new Function('self', 'globalThis', manifest)(sandbox.self, sandbox.self);
  const { entryJSFiles } = Object.values(sandbox.self.__RSC_MANIFEST)[0];
  const root = ['layout', 'error', 'not-found', 'global-error'].flatMap((name) => entryJSFiles[`[project]/app/${name}`] ?? []);
  return [...new Set([...root, ...build.rootMainFiles])];
}

const sizes = new Map();
function gzipKb(distDir, file) {
  if (!sizes.has(file)) sizes.set(file, gzipSync(readFileSync(path.join(distDir, file))).length / 1024);
  return sizes.get(file);
}
const sum = (distDir, files) => files.reduce((total, file) => total + gzipKb(distDir, file), 0);

const routes = routeChunks(dist);
const bare = bareChunks(dist, routes);
const bareKb = sum(dist, bare);
const pad = (text, width) => String(text).padEnd(width);
console.log(`first-load JavaScript (gzip) in ${dist}; the bare page: ${bareKb.toFixed(1)} KB; budget +${BUDGET_KB} KB`);
console.log(`${pad('page', 24)}${pad('total', 11)}${pad('over bare', 11)}`);
const pages = [...routes.keys()].filter((route) => !route.startsWith('/bench/') && route !== '/_not-found').sort();
for (const route of pages) {
  const files = routes.get(route);
  const kb = sum(dist, files);
  const over = kb - bareKb;
  console.log(
    `${pad(route, 24)}${pad(`${kb.toFixed(1)} KB`, 11)}${pad(`${over >= 0 ? '+' : ''}${over.toFixed(1)} KB`, 11)}${over > BUDGET_KB ? 'over budget' : ''}`,
  );
  if (showChunks) {
    for (const file of files.filter((chunk) => !bare.includes(chunk)).sort((a, b) => gzipKb(dist, b) - gzipKb(dist, a))) {
      console.log(`    ${pad(path.basename(file), 26)}${gzipKb(dist, file).toFixed(1)} KB`);
    }
  }
}
