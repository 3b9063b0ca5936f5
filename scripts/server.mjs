// The production server: Next.js's request handler on our own HTTP server, so that stopping is ours to
// do right. On SIGTERM or SIGINT it stops accepting connections, lets in-flight requests finish, lets
// Next.js finish its after() work, then runs the app's shutdown hooks (the webhook worker stops, the
// database pool and Redis close) and exits 0. A stop that takes longer than the grace period exits 1.
//
// Usage: node scripts/server.mjs [-p PORT]; PORT from the environment otherwise (default 3000).
import { createServer } from 'node:http';
import process from 'node:process';

process.env.NODE_ENV = 'production';
process.env.NEXT_TELEMETRY_DISABLED = '1';

const portFlag = process.argv.indexOf('-p');
const port = Number(portFlag >= 0 ? process.argv[portFlag + 1] : (process.env.PORT ?? 3000));
const GRACE_MS = Number(process.env.SHUTDOWN_GRACE_MS ?? 25_000);

// One JSON line like the app's own logger, so operators read a single format.
const log = (level, event, message, extra = {}) =>
  console.log(JSON.stringify({ level, time: new Date().toISOString(), app: 'guidepost', event, ...extra, msg: message }));

const { default: next } = await import('next');
const app = next({ dev: false, dir: process.cwd(), port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((request, response) => {
  handle(request, response).catch((error) => {
    log('error', 'server.request_failed', 'request failed', { error: error instanceof Error ? error.name : 'unknown' });
    if (!response.headersSent) response.statusCode = 500;
    response.end();
  });
});

await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, resolve);
});
log('info', 'server.listening', `Guidepost is listening on port ${port}`, { port });

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  log('info', 'server.stopping', 'stopping: finishing in-flight requests', { signal });
  const force = setTimeout(() => {
    log('error', 'server.stop_timeout', `in-flight work did not finish within ${GRACE_MS} ms; exiting anyway`);
    process.exit(1);
  }, GRACE_MS);
  force.unref();
  const closed = new Promise((resolve) => server.close(() => resolve()));
  // Keep-alive connections become idle once their last response is sent: close them as they do.
  const sweep = setInterval(() => server.closeIdleConnections(), 100);
  server.closeIdleConnections();
  await closed;
  clearInterval(sweep);
  await app.close().catch((error) => log('error', 'server.next_close_failed', 'Next.js did not close cleanly', { error: error?.name }));
  const shutdown = globalThis[Symbol.for('guidepost.shutdown')];
  if (shutdown) await shutdown.run();
  log('info', 'server.stopped', 'stopped cleanly');
  process.exit(0);
}

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => void stop(signal));
