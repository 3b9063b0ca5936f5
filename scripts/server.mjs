// The production server: Next.js's request handler on our own HTTP server, so that stopping is ours to
// do right. On SIGTERM or SIGINT it stops accepting connections, ends the open event streams, lets in-flight requests finish, lets
// Next.js finish its after() work, then runs the app's shutdown hooks (the webhook worker stops, the
// database pool and Redis close) and exits 0. A stop that takes longer than the grace period exits 1.
//
// Usage: node scripts/server.mjs [-p PORT]; PORT from the environment otherwise (default 3000).
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import process from 'node:process';
import { DETACH_HEADER, DETACHED_BODIES, listenHost, PEER_HEADER } from '../lib/deployment.ts';
import { formPostRefusal, refusalResponse } from '../lib/http/form-gate.ts';
import { LOCALE_COOKIE, resolveLocale } from '../lib/i18n/locales.ts';
import enCommon from '../messages/en/common.json' with { type: 'json' };
import frCommon from '../messages/fr/common.json' with { type: 'json' };

const GATE_TEXTS = { en: enCommon.gate, fr: frCommon.gate };

/** The visitor's language for a refusal given before the app: the switch's cookie, else the browser's, else French. */
function visitorLocale(request) {
  const cookie = (request.headers.cookie ?? '').split(/;\s*/).find((pair) => pair.startsWith(`${LOCALE_COOKIE}=`));
  return resolveLocale({ chosen: cookie?.slice(LOCALE_COOKIE.length + 1), acceptLanguage: request.headers['accept-language'] });
}

process.env.NODE_ENV = 'production';
process.env.NEXT_TELEMETRY_DISABLED = '1';

// The demo listens on loopback only; a deployment (lib/deployment.ts) on HOST, by default every interface.
const host = listenHost(process.env);
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

// Server actions are gated before Next.js reads them (lib/http/form-gate.ts): a cross-site post is
// 403, a body without a declared length 411, one over 1 MB 413, each with a page or JSON that says so.
const gateOptions = { appUrl: process.env.APP_URL, trustedProxyHops: Number(process.env.TRUSTED_PROXY_HOPS ?? 0) || 0 };
function refuseFormPost(request, response) {
  const refusal = formPostRefusal({ method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers }, gateOptions);
  if (!refusal) return false;
  const locale = visitorLocale(request);
  const { headers, body } = refusalResponse(refusal, request.headers.accept, { locale, texts: GATE_TEXTS[locale] });
  response.writeHead(refusal.status, headers);
  response.end(body);
  log('warn', 'server.form_refused', 'form post refused before the app', { status: refusal.status, reason: refusal.error });
  // Lingering close: what the client is still sending is read and dropped for a moment (never kept),
  // so it reads the answer instead of a connection reset; then the connection goes. (Closing at once
  // would reset the connection under the client's writes before it reads the answer.)
  request.on('data', () => undefined);
  setTimeout(() => request.socket.destroy(), 2_000).unref();
  return true;
}

// Event streams (app/api/events) are written from here once Next.js has answered: Next.js holds everything of a request
// whose body it pipes (its awaiting frames, request store, caches: about 40 KiB measured) until the body ends, which
// for an idle tab is hours. This server names each such request in DETACH_HEADER (replacing anything a client sent);
// lib/events/sse.ts leaves the body in this map under that name and answers Next.js with the headers alone; the `end`
// Next.js then calls is held back, and once Next.js is done the body is written here, outside its request's context.
const detachedBodies = new Map();
globalThis[DETACHED_BODIES] = detachedBodies;

/** Writes a detached body with the response's own write and end (Next.js's compression wrapper has ended). */
async function writeDetached(response, body, { write, end }) {
  if (response.destroyed || response.writableEnded) {
    body.cancel().catch(() => undefined);
    return;
  }
  const reader = body.getReader();
  response.once('close', () => void reader.cancel().catch(() => undefined));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // A client reading slowly: wait for it rather than buffer.
      if (!write.call(response, value) && !response.destroyed)
        await new Promise((resolve) => {
          const go = () => {
            response.off('drain', go);
            response.off('close', go);
            resolve();
          };
          response.on('drain', go);
          response.on('close', go);
        });
    }
  } catch {
    // cancelled: the client left
  }
  if (!response.writableEnded) end.call(response);
}

const server = createServer((request, response) => {
  // The socket's address, for the app to tell who is calling (lib/http/client-address.ts), replacing
  // anything a client sent under that name.
  request.headers[PEER_HEADER] = request.socket.remoteAddress ?? 'unknown';
  // Stopping: a request that came over a connection kept alive is answered, then its connection closes, so the
  // client's next request goes to a live instance (and none arrives after the in-flight ones are done).
  if (stopping) response.setHeader('Connection', 'close');
  if (refuseFormPost(request, response)) return;
  delete request.headers[DETACH_HEADER];
  if (request.method === 'GET' && request.url?.split('?')[0] === '/api/events') return handleEventStream(request, response);
  handle(request, response).catch((error) => requestFailed(error, response));
});

function requestFailed(error, response) {
  log('error', 'server.request_failed', 'request failed', { error: error instanceof Error ? error.name : 'unknown' });
  if (!response.headersSent) response.statusCode = 500;
  response.end();
}

function handleEventStream(request, response) {
  const id = randomUUID();
  request.headers[DETACH_HEADER] = id;
  const { write, end } = response;
  // Held back for a detached body (Next.js calls it with no chunk, through its compression wrapper).
  response.end = function (chunk, ...rest) {
    if (chunk == null && detachedBodies.has(id)) return this;
    return end.call(this, chunk, ...rest);
  };
  handle(request, response)
    .then(() => {
      const body = detachedBodies.get(id);
      detachedBodies.delete(id);
      if (body) return writeDetached(response, body, { write, end });
    })
    .catch((error) => {
      detachedBodies
        .get(id)
        ?.cancel()
        .catch(() => undefined);
      detachedBodies.delete(id);
      response.end = end;
      requestFailed(error, response);
    });
}

await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, host, resolve);
});
log('info', 'server.listening', `Guidepost is listening on ${host}:${port}`, { host, port });

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
  // Open event streams (app/api/events) never end by themselves: ended now, their browsers reconnect elsewhere.
  await globalThis[Symbol.for('guidepost.shutdown')]?.drain?.();
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
