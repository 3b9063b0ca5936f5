import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BRIDGE_GUIDANCE_READY_EXAMPLE,
  BRIDGE_SIGNATURE,
  bridgeGuidanceReadyContentSchema,
  bridgeSignatureDigests,
  bridgeWebhookEnvelopeSchema,
} from '@guidepost/provider-contracts/bridge';
import { guidanceReadyBody, sendGuidanceReadyWebhook, signBridgeWebhook } from './webhooks';
import { controlRequest, cookieFrom, newGuidanceSession, SIREN, siteRequest, START, TEST_WEBHOOK_SECRET, testSandbox } from './testing';

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

const servers: Server[] = [];

/** A stand-in portal on 127.0.0.1 that records what it receives and answers `status`. */
async function portal(status = 200, delayMs = 0): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      setTimeout(() => response.writeHead(status, { 'content-type': 'text/plain' }).end('ok'), delayMs);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/webhooks/bridge`, received };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve).closeAllConnections())));
});

const hmacHex = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex').toUpperCase();

describe('signBridgeWebhook', () => {
  const body =
    '{"content":{"company_identification_number":"529196313","user_id":"ecc4eaee-0554-4b4f-8937-3c5b816617f6"},"timestamp":1779981250435,"type":"guidance.health.ready"}';

  it('is v1=<upper-case hex HMAC-SHA256 of the raw body>', () => {
    const signature = signBridgeWebhook(body, ['whsec-current-0123456789']);
    expect(signature).toMatch(/^v1=[0-9A-F]{64}$/);
    expect(signature).toBe(`v1=${hmacHex('whsec-current-0123456789', body)}`);
  });

  it('matches a fixed vector', () => {
    // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), the textbook example.
    expect(signBridgeWebhook('The quick brown fox jumps over the lazy dog', ['key'])).toBe(
      'v1=F7BC83F430538424B13298E6AA6FB143EF4D59A14946175997479DBC2D1A3CD8',
    );
  });

  it('gives one v1 entry per secret, comma-separated, during a rotation', () => {
    const signature = signBridgeWebhook(body, ['whsec-new-000000000000', 'whsec-old-000000000000']);
    expect(signature).toBe(`v1=${hmacHex('whsec-new-000000000000', body)},v1=${hmacHex('whsec-old-000000000000', body)}`);
  });

  it('writes the contract’s format: a receiver reading the header finds one digest per secret', () => {
    const signature = signBridgeWebhook(body, ['whsec-new-000000000000', 'whsec-old-000000000000']);
    expect(bridgeSignatureDigests(signature)).toEqual([
      hmacHex('whsec-new-000000000000', body).toLowerCase(),
      hmacHex('whsec-old-000000000000', body).toLowerCase(),
    ]);
  });

  it('depends on every byte of the body', () => {
    expect(signBridgeWebhook(body, ['k'])).not.toBe(signBridgeWebhook(`${body} `, ['k']));
  });
});

describe('sendGuidanceReadyWebhook', () => {
  it('posts the exact signed raw body to the portal and reports its 200', async () => {
    const target = await portal(200);
    const delivery = await sendGuidanceReadyWebhook(
      { userUuid: 'ecc4eaee-0554-4b4f-8937-3c5b816617f6', companyIdentificationNumber: SIREN },
      { url: target.url, secrets: [TEST_WEBHOOK_SECRET], now: () => 1779981250435 },
    );
    expect(delivery).toEqual({ delivered: true, status: 200 });
    expect(target.received).toHaveLength(1);
    const [request] = target.received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/api/webhooks/bridge');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toBe(
      '{"content":{"company_identification_number":"529196313","user_id":"ecc4eaee-0554-4b4f-8937-3c5b816617f6"},"timestamp":1779981250435,"type":"guidance.health.ready"}',
    );
    expect(request?.headers[BRIDGE_SIGNATURE.header.toLowerCase()]).toBe(`v1=${hmacHex(TEST_WEBHOOK_SECRET, request?.body ?? '')}`);
  });

  it('reports the portal’s status when it refuses', async () => {
    const target = await portal(401);
    const delivery = await sendGuidanceReadyWebhook({ userUuid: 'u', companyIdentificationNumber: SIREN }, { url: target.url, secrets: ['s'], now: () => 0 });
    expect(delivery).toEqual({ delivered: false, status: 401 });
  });

  it('gives up after its timeout', async () => {
    const target = await portal(200, 2_000);
    const delivery = await sendGuidanceReadyWebhook(
      { userUuid: 'u', companyIdentificationNumber: SIREN },
      { url: target.url, secrets: ['s'], now: () => 0, timeoutMs: 100 },
    );
    expect(delivery).toEqual({ delivered: false, status: null, error: 'timeout' });
  });

  it('reports an unreachable portal', async () => {
    const target = await portal(200);
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
    const delivery = await sendGuidanceReadyWebhook({ userUuid: 'u', companyIdentificationNumber: SIREN }, { url: target.url, secrets: ['s'], now: () => 0 });
    expect(delivery).toEqual({ delivered: false, status: null, error: 'unreachable' });
  });

  it('builds the body in Bridge’s documented key order', () => {
    expect(Object.keys(JSON.parse(guidanceReadyBody({ userUuid: 'u', companyIdentificationNumber: SIREN }, 1)))).toEqual(['content', 'timestamp', 'type']);
  });

  it('sends byte for byte the documented example, which fits the contract’s envelope and content', () => {
    const { content, timestamp } = BRIDGE_GUIDANCE_READY_EXAMPLE;
    const raw = guidanceReadyBody({ userUuid: content.user_id, companyIdentificationNumber: content.company_identification_number }, timestamp);
    expect(raw).toBe(JSON.stringify(BRIDGE_GUIDANCE_READY_EXAMPLE));
    const envelope = bridgeWebhookEnvelopeSchema.parse(JSON.parse(raw));
    expect(bridgeGuidanceReadyContentSchema.safeParse(envelope.content).success).toBe(true);
  });
});

describe('Bridge sandbox: guidance-ready webhooks', () => {
  it('sends one from the control API for the user’s latest session, timestamped by the sandbox clock', async () => {
    const target = await portal(200);
    const { sandbox } = testSandbox({ webhookUrl: target.url, webhookSecrets: ['whsec-new-000000000000', 'whsec-old-000000000000'] });
    const session = await newGuidanceSession(sandbox);
    sandbox.setClockOffset(5_000);
    const response = await sandbox.handle(controlRequest('webhooks/guidance-ready', { user_uuid: session.userUuid }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ delivered: true, status: 200 });
    const body = target.received[0]?.body ?? '';
    expect(JSON.parse(body)).toEqual({
      content: { company_identification_number: SIREN, user_id: session.userUuid },
      timestamp: START + 5_000,
      type: 'guidance.health.ready',
    });
    expect(target.received[0]?.headers['bridgeapi-signature']).toBe(
      `v1=${hmacHex('whsec-new-000000000000', body)},v1=${hmacHex('whsec-old-000000000000', body)}`,
    );
  });

  it('uses the company given to the control API', async () => {
    const target = await portal(200);
    const { sandbox } = testSandbox({ webhookUrl: target.url });
    const session = await newGuidanceSession(sandbox);
    await sandbox.handle(controlRequest('webhooks/guidance-ready', { user_uuid: session.userUuid, company_identification_number: '552100554' }));
    expect(JSON.parse(target.received[0]?.body ?? '{}').content.company_identification_number).toBe('552100554');
  });

  it('answers delivered false with the portal’s status', async () => {
    const target = await portal(500);
    const { sandbox } = testSandbox({ webhookUrl: target.url });
    const session = await newGuidanceSession(sandbox);
    const response = await sandbox.handle(controlRequest('webhooks/guidance-ready', { user_uuid: session.userUuid }));
    expect(await response.json()).toEqual({ delivered: false, status: 500 });
  });

  it('answers 404 for an unknown user, or a user without a session and no company', async () => {
    const { sandbox } = testSandbox();
    const unknown = await sandbox.handle(controlRequest('webhooks/guidance-ready', { user_uuid: '00000000-0000-4000-8000-000000000000' }));
    expect(unknown.status).toBe(404);
    const session = await newGuidanceSession(sandbox);
    await sandbox.handle(controlRequest('reset', {}));
    const forgotten = await sandbox.handle(controlRequest('webhooks/guidance-ready', { user_uuid: session.userUuid }));
    expect(forgotten.status).toBe(404);
  });

  it('answers 400 naming a bad field', async () => {
    const { sandbox } = testSandbox();
    const response = await sandbox.handle(controlRequest('webhooks/guidance-ready', { user_uuid: 'nope' }));
    expect(response.status).toBe(400);
    expect((await response.json()).message).toContain('user_uuid');
  });

  it('sends one from the guidance page’s button and says so', async () => {
    const target = await portal(200);
    const { sandbox } = testSandbox({ webhookUrl: target.url });
    const session = await newGuidanceSession(sandbox);
    const base = new URL(session.url).pathname;
    const cookie = cookieFrom(await sandbox.handle(siteRequest(session.url, { form: { password: session.password } })));
    await sandbox.handle(siteRequest(`${base}/consent`, { cookie, form: {} }));
    await sandbox.handle(siteRequest(`${base}/loader`, { cookie }));
    const page = await sandbox.handle(siteRequest(`${base}/webhook`, { cookie, form: {} }));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<h1>Your financial guidance</h1>');
    expect(html).toContain('role="status">Webhook sent.</p>');
    expect(JSON.parse(target.received[0]?.body ?? '{}').content).toEqual({ company_identification_number: SIREN, user_id: session.userUuid });
  });

  it('shows the portal’s status on the page when it refuses', async () => {
    const target = await portal(403);
    const { sandbox } = testSandbox({ webhookUrl: target.url });
    const session = await newGuidanceSession(sandbox);
    const base = new URL(session.url).pathname;
    const cookie = cookieFrom(await sandbox.handle(siteRequest(session.url, { form: { password: session.password } })));
    await sandbox.handle(siteRequest(`${base}/consent`, { cookie, form: {} }));
    await sandbox.handle(siteRequest(`${base}/loader`, { cookie }));
    const html = await (await sandbox.handle(siteRequest(`${base}/webhook`, { cookie, form: {} }))).text();
    expect(html).toContain('the portal answered HTTP 403.');
  });

  it('says how it went in French on a French session', async () => {
    // The guidance page's button, pressed on a new French session of a sandbox whose portal answers `status`.
    async function pressedInFrench(status: number): Promise<string> {
      const { sandbox } = testSandbox({ webhookUrl: (await portal(status)).url });
      const session = await newGuidanceSession(sandbox, { language: 'fr' });
      const base = new URL(session.url).pathname;
      const cookie = cookieFrom(await sandbox.handle(siteRequest(session.url, { form: { password: session.password } })));
      await sandbox.handle(siteRequest(`${base}/consent`, { cookie, form: {} }));
      await sandbox.handle(siteRequest(`${base}/loader`, { cookie }));
      return (await sandbox.handle(siteRequest(`${base}/webhook`, { cookie, form: {} }))).text();
    }
    expect(await pressedInFrench(200)).toContain('role="status">Webhook envoyé.</p>');
    expect(await pressedInFrench(403)).toContain('Webhook refusé\u00a0: le portail a répondu HTTP 403.');
  });
});
