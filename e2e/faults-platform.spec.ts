import { request as httpRequest } from 'node:http';
import { jpegWithGps } from '@guidepost/sandbox/testing/files';
import { FINQWARE_HEADERS } from './sandbox';
import { connect } from 'node:net';
import pg from 'pg';
import type { BrowserContext } from '@playwright/test';
import { expect, test } from './fixtures';
import { bridgeFaults, bridgeUsers, deviceOn, finqwareConsents, finqwareFaults, signedWebhook } from './faults';
import { personalStep, productStep, readyForGuidance, startCard, uploadSteps } from './flows';
import { POSTGRES_URL, startExpectingExit, TestServer } from './server';
import { TcpProxy } from './tcp-proxy';

// Hostile bodies, a database that goes away, and account deletion at every provider, each against a
// production server of its own.

const MiB = 1024 * 1024;

interface ChunkedAnswer {
  status: number | undefined;
  /** Bytes of body written before the server answered. */
  sent: number;
  body: string;
}

/**
 * Posts a chunked body (no Content-Length) piece by piece, each on its own turn: `next(sent)` gives the
 * next piece, 'end' to finish the body, or 'hold' to stop writing with the body unfinished. Stops as soon
 * as the server answers or closes the connection.
 */
function postChunked(url: string, headers: Record<string, string>, next: (sent: number) => Uint8Array | 'end' | 'hold'): Promise<ChunkedAnswer> {
  return new Promise((resolve) => {
    let sent = 0;
    let done = false;
    const request = httpRequest(url, { method: 'POST', headers: { 'Transfer-Encoding': 'chunked', ...headers } });
    const finish = (status: number | undefined, body = '') => {
      if (done) return;
      done = true;
      request.destroy();
      resolve({ status, sent, body });
    };
    request.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (data: string) => (body += data));
      response.on('end', () => finish(response.statusCode, body));
      response.on('error', () => finish(response.statusCode, body));
    });
    request.on('error', () => finish(undefined));
    const write = () => {
      if (done) return;
      const piece = next(sent);
      if (piece === 'hold') return;
      if (piece === 'end') return void request.end();
      sent += piece.byteLength;
      if (request.write(piece)) setImmediate(write);
      else request.once('drain', write);
    };
    write();
  });
}

/** Streams up to `totalMiB` of chunked body, 1 MiB at a time, until the server answers. */
async function streamChunked(url: string, options: { totalMiB: number; headers?: Record<string, string> }): Promise<ChunkedAnswer & { sentMiB: number }> {
  const chunk = Buffer.alloc(MiB, 0x7b);
  const answer = await postChunked(url, { 'Content-Type': 'application/json', ...options.headers }, (sent) => (sent < options.totalMiB * MiB ? chunk : 'end'));
  return { ...answer, sentMiB: answer.sent / MiB };
}

/** Sends `body` chunked, `chunkBytes` at a time; with `holdAfter`, stops after that many bytes and waits for an answer. */
function postInChunks(
  url: string,
  body: Buffer,
  chunkBytes: number,
  headers: Record<string, string>,
  options: { holdAfter?: number } = {},
): Promise<ChunkedAnswer> {
  return postChunked(url, headers, (sent) =>
    options.holdAfter !== undefined && sent >= options.holdAfter ? 'hold' : sent >= body.length ? 'end' : body.subarray(sent, sent + chunkBytes),
  );
}

/** Sends only a request head declaring a huge body, and a few bytes of it: the status the server answers with. */
function declaredOnly(port: number, path: string, headers: Record<string, string>): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      const head = Object.entries({ Host: `127.0.0.1:${port}`, ...headers }).map(([name, value]) => `${name}: ${value}`);
      socket.write(`POST ${path} HTTP/1.1\r\n${head.join('\r\n')}\r\n\r\nabc`);
    });
    let received = '';
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (status) {
        socket.destroy();
        resolve(Number(status[1]));
      }
    });
    socket.on('error', () => resolve(undefined));
    socket.on('close', () => resolve(undefined));
  });
}

/** Declares more than it sends, then goes quiet: how long until the server answers, and with what. */
function shortBody(url: string, headers: Record<string, string> = {}): Promise<{ status: number | undefined; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const request = httpRequest(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': '1000', ...headers } });
    request.on('response', (response) => {
      response.resume();
      resolve({ status: response.statusCode, ms: Date.now() - started });
      request.destroy();
    });
    request.on('error', () => resolve({ status: undefined, ms: Date.now() - started }));
    request.write('{"content":');
  });
}

async function cookieHeader(context: BrowserContext): Promise<string> {
  return (await context.cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

test.describe('bounded request bodies', () => {
  let server: TestServer;
  test.beforeAll(async () => {
    server = await TestServer.start();
  });
  test.afterAll(async () => {
    await server.dispose();
  });

  test('600 MiB bodies to the webhook, the upload route, sign-in, the sandbox and a server action: refused at the cap, and the server does not grow', async ({
    browser,
  }) => {
    test.setTimeout(180_000);
    const context = await deviceOn(browser, server);
    const page = await context.newPage();
    await readyForGuidance(page);
    await startCard(page);
    await productStep(page);
    await personalStep(page);
    const uploadPath = `${new URL(page.url()).pathname.replace('/onboarding/', '/api/onboarding/')}/steps/2`;
    const cookie = await cookieHeader(context);

    // The peak resident memory may grow by some buffers and heap, never by the bodies (600 MiB each;
    // reading one whole used to take the server from 536 to 2,368 MiB). About 140 MiB is seen since the upload
    // route and the sandbox take a document's two 10 MB sides (their caps doubled).
    const before = server.memory();
    const targets: Array<{ path: string; headers?: Record<string, string>; status?: number }> = [
      { path: '/api/webhooks/bridge' },
      { path: uploadPath, headers: { cookie, 'Content-Type': 'multipart/form-data; boundary=x' } },
      { path: '/api/auth/callback/credentials', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
      // The sandbox gets bodies as they stream in and holds each route to its cap, answering as Finqware does.
      { path: '/sandbox/finqware/v1/sessions', status: 400 },
      { path: '/sandbox/finqware/v1/steps/any-step/upload', headers: { 'Content-Type': 'multipart/form-data; boundary=x' }, status: 400 },
    ];
    for (const target of targets) {
      const result = await streamChunked(`${server.baseURL}${target.path}`, { totalMiB: 600, headers: target.headers });
      expect(result.status, target.path).toBe(target.status ?? 413);
      expect(result.sentMiB, target.path).toBeLessThan(600);
      // Up to the caps (the upload route and the sandbox take a document's two 10 MB sides), never the 600 MiB.
      expect(server.memory().peakMiB - before.peakMiB, target.path).toBeLessThan(200);
    }
    // Pages take bodies only as server actions: a chunked one is refused for its missing length, a
    // declared 600 MiB one for its size, before anything is read.
    const chunkedAction = await streamChunked(`${server.baseURL}/login`, { totalMiB: 600, headers: { 'Next-Action': 'any', 'Content-Type': 'text/plain' } });
    expect(chunkedAction.status).toBe(411);
    expect(await declaredOnly(server.port, '/login', { 'Next-Action': 'any', 'Content-Type': 'text/plain', 'Content-Length': String(600 * MiB) })).toBe(413);
    expect(server.memory().peakMiB - before.peakMiB).toBeLessThan(200);
    console.log(`peak RSS ${before.peakMiB.toFixed(0)} MiB before, ${server.memory().peakMiB.toFixed(0)} MiB after seven 600 MiB bodies`);
    // Still serving.
    expect((await fetch(`${server.baseURL}/api/health`)).status).toBe(200);
  });

  test('the Finqware sandbox reads an upload as it streams in: chunked in small pieces, cut short, or unsigned on /v1s', async () => {
    const headers = { 'Content-Type': 'multipart/form-data; boundary=guidepost-e2e' };
    const field = (name: string, value: string) => `--guidepost-e2e\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const photo = await jpegWithGps(1600, 1200);
    const body = Buffer.concat([
      Buffer.from(
        field('client_id', 'sandbox-finqware-client-id') +
          field('client_app_key', 'sandbox-finqware-client-app-key') +
          field('nonce', 'no-such-nonce') +
          field('skill', 'xyz_card_sbx_#3.0') +
          '--guidepost-e2e\r\nContent-Disposition: form-data; name="file"; filename="passport.jpg"\r\nContent-Type: image/jpeg\r\n\r\n',
      ),
      photo,
      Buffer.from('\r\n--guidepost-e2e--\r\n'),
    ]);
    const uploads = async () =>
      ((await (await fetch(`${server.baseURL}/sandbox/finqware/_control/uploads`, { headers: FINQWARE_HEADERS })).json()) as { uploads: unknown[] }).uploads
        .length;
    const recorded = await uploads();
    const url = `${server.baseURL}/sandbox/finqware/v1/steps/no-such-step/upload`;

    // Read to its end, 1 KiB at a time, the credentials checked, then the step: the refusal is the step's.
    const whole = await postInChunks(url, body, 1024, headers);
    expect(whole.status).toBe(400);
    expect(JSON.parse(whole.body)).toEqual({ message: 'No step with this step_id.' });
    expect(whole.sent).toBe(body.length);

    // The same body cut off inside the photo (the chunked request itself ends properly): unreadable.
    const cut = await postInChunks(url, body.subarray(0, body.length - photo.length / 2), 4093, headers);
    expect(cut.status).toBe(400);
    expect(JSON.parse(cut.body)).toEqual({ message: 'The multipart body could not be read.' });

    // On /v1s without a JWT, refused before the body is read: answered while the body is still unfinished.
    const unsigned = await postInChunks(`${server.baseURL}/sandbox/finqware/v1s/steps/no-such-step/upload`, body, 1024, headers, { holdAfter: 1024 });
    expect(unsigned.status).toBe(401);
    expect(unsigned.sent).toBe(1024);
    expect(await uploads()).toBe(recorded);
  });

  test('a body shorter than its declared length times out within a few seconds', async () => {
    const result = await shortBody(`${server.baseURL}/api/webhooks/bridge`);
    expect(result.status).toBe(408);
    expect(result.ms).toBeLessThan(8000);
  });
});

test.describe('the database', () => {
  test('an unreachable database at start: exit 1 with one line naming host and port, never the password', async () => {
    const { code, output } = await startExpectingExit({ DATABASE_URL: 'postgres://guidepost:s3cret-pass@127.0.0.1:5999/guidepost' });
    expect(code).toBe(1);
    expect(output).toContain('Guidepost cannot start: the database at 127.0.0.1:5999 could not be opened (ECONNREFUSED).');
    expect(output).not.toContain('s3cret-pass');
  });

  test('idle connections dropped by PostgreSQL are logged, not fatal; a database gone away is a 503 and leaks no query values', async ({ browser }) => {
    const target = new URL(POSTGRES_URL);
    const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    const server = await TestServer.start({
      connectVia: (url) => {
        const through = new URL(url);
        through.port = String(proxy.port);
        return through.toString();
      },
    });
    try {
      const page = await (await deviceOn(browser, server)).newPage();
      const { email } = await readyForGuidance(page);

      // PostgreSQL ends every connection of this database (a restart, a failover).
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      const name = new URL(server.databaseUrl!).pathname.slice(1);
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
      await admin.end();
      await server.waitForLog(/db\.connection_lost/);
      // The pool replaces the dropped connections by itself (a query that drew one still being dropped
      // may fail once): the server recovers within moments, without a restart.
      await expect.poll(async () => (await fetch(`${server.baseURL}/api/ready`)).status, { timeout: 5_000 }).toBe(200);
      await page.reload();
      await expect(page.getByRole('heading', { level: 1, name: 'Guidance' })).toBeVisible();

      // The database goes away.
      await proxy.cut();
      const from = server.output().length;
      const ready = await fetch(`${server.baseURL}/api/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'not_ready', database: { ok: false } });
      // Liveness does not depend on the database: a balancer keeps the instance, it only stops routing to it.
      expect((await fetch(`${server.baseURL}/api/health`)).status).toBe(200);
      const marker = 'c0ffee00-1234-4abc-9def-0123456789ab';
      const delivered = await signedWebhook(server, {
        type: 'guidance.health.ready',
        content: { user_id: marker, company_identification_number: '529196313' },
      });
      expect(delivered.status).toBeGreaterThanOrEqual(500);
      await page.reload();
      await server.waitForLog(/Database query failed|DatabaseError/, { from });
      const log = server.output().slice(from);
      expect(log).not.toContain(marker);
      expect(log).not.toContain(email);
      expect(log).not.toMatch(/params:/);
      expect(server.output()).not.toMatch(/uncaughtException|Unhandled/i);

      await proxy.restore();
      await expect.poll(async () => (await fetch(`${server.baseURL}/api/ready`)).status, { timeout: 15_000 }).toBe(200);
    } finally {
      await server.dispose();
      await proxy.stop();
    }
  });
});

test('deleting the account revokes the Finqware consent and deletes the Bridge user, even one never linked; a provider down deletes nothing', async ({
  browser,
}) => {
  const server = await TestServer.start();
  try {
    const page = await (await deviceOn(browser, server)).newPage();
    const { email } = await readyForGuidance(page);
    // The Bridge user is created, but the answer is lost: no link here.
    await bridgeFaults(server, [{ operation: 'POST /v3/aggregation/users', action: 'drop' }]);
    await page.getByRole('button', { name: 'Open my guidance' }).click();
    await expect(page.getByRole('main').getByRole('alert')).toHaveText('We could not reach Bridge. Please try again in a few minutes.');
    expect(await bridgeUsers(server)).toHaveLength(1);
    await startCard(page);
    await productStep(page);
    await personalStep(page);
    await uploadSteps(page);
    await expect(page.getByRole('heading', { name: 'Onboarding complete' })).toBeVisible();
    expect((await finqwareConsents(server)).map((consent) => consent.status)).toEqual(['ACTIVE']);

    await finqwareFaults(server, [{ operation: 'POST /consents/delete', action: 'error', times: 3 }]);
    await page.goto('/settings/account');
    await page.getByLabel('Password', { exact: true }).fill('copper-harbor-lantern-58');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete permanently' }).click();
    await expect(page.getByText('We could not delete your data at Finqware, so nothing was deleted yet. Please try again in a few minutes.')).toBeVisible();
    expect((await finqwareConsents(server)).map((consent) => consent.status)).toEqual(['ACTIVE']);
    expect(await bridgeUsers(server)).toHaveLength(1);
    expect(await server.sql('select id from users where email = $1', [email])).toHaveLength(1);

    await page.getByLabel('Password', { exact: true }).fill('copper-harbor-lantern-58');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete permanently' }).click();
    await expect(page).toHaveURL(/\/login\?deleted=1$/);
    expect((await finqwareConsents(server)).map((consent) => consent.status)).toEqual(['DELETED']);
    expect(await bridgeUsers(server)).toHaveLength(0);
    expect(await server.sql('select id from users where email = $1', [email])).toHaveLength(0);
  } finally {
    await server.dispose();
  }
});
