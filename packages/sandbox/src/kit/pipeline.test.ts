import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { controlApi } from './control';
import type { ProviderAnswers } from './errors';
import { FaultScript } from './faults';
import { requestPipeline } from './pipeline';
import type { KitRoute } from './router';

// The pipeline on its own, with a toy provider whose answers say which step answered.

const answers: ProviderAnswers = {
  notFound: () => Response.json({ step: 'not_found' }, { status: 404 }),
  methodNotAllowed: (method, allow) => Response.json({ step: 'method_not_allowed', method }, { status: 405, headers: { Allow: allow } }),
  internalError: (message) => Response.json({ step: 'internal', message }, { status: 500 }),
  invalidBody: (problem) => Response.json({ step: 'invalid_body', problem }, { status: 400 }),
};

interface Context {
  params: string[];
  calls: string[];
}

function toy(options: { knob?: Response | null; throws?: Error } = {}) {
  const calls: string[] = [];
  const logged: Array<{ fields: Record<string, unknown>; message: string }> = [];
  const faults = new FaultScript();
  const routes: KitRoute<Context>[] = [
    { method: 'GET', path: /^\/things\/([^/]+)$/, handle: ({ params }) => Response.json({ step: 'route', params }) },
    { method: 'DELETE', path: /^\/things\/([^/]+)$/, handle: () => Response.json({ deleted: true }) },
    {
      method: 'POST',
      path: /^\/boom$/,
      handle: () => {
        throw options.throws ?? new Error('boom');
      },
    },
  ];
  const handle = requestPipeline<Context, KitRoute<Context>, { path: string }>({
    provider: 'toy',
    answers,
    logger: {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (fields, message) => logged.push({ fields, message }),
    },
    knobs: {
      apply: async () => {
        calls.push('knobs');
        return options.knob ?? null;
      },
    },
    faults,
    outside: (_request, url) => (url.pathname.startsWith('/site/') ? Promise.resolve(Response.json({ step: 'outside' })) : null),
    control: {
      authorize: (request) => (request.headers.get('x-control') === 'yes' ? null : Response.json({ step: 'control_refused' }, { status: 401 })),
      routes: [{ method: 'POST', path: /^\/_control\/ping$/, handle: () => Response.json({ step: 'control' }) }],
    },
    api: {
      enter: (request, url) =>
        request.headers.get('x-app') === 'yes' ? { path: url.pathname.replace(/^\/api/, '') } : Response.json({ step: 'api_refused' }, { status: 401 }),
      routes,
    },
    context: ({ params }) => ({ params, calls }),
  });
  return { handle, calls, logged, faults };
}

const call = (path: string, init: RequestInit = {}) => new Request(`http://toy.test${path}`, init);
const app = { headers: { 'x-app': 'yes' } };
const step = async (response: Response) => ((await response.json()) as { step: string }).step;

describe('kit: request pipeline', () => {
  it('routes on the path below the entry, URL-decoding parameters', async () => {
    const { handle } = toy();
    const response = await handle(call('/api/things/a%20b%2Fc', app));
    expect(await response.json()).toEqual({ step: 'route', params: ['a b/c'] });
    expect(await (await handle(call('/api/things/%E0%A4%A', app))).json()).toEqual({ step: 'route', params: ['%E0%A4%A'] });
  });

  it('answers 404 for an unknown path and 405 with Allow for a known path, before knobs run', async () => {
    const { handle, calls } = toy({ knob: Response.json({ step: 'knob' }, { status: 500 }) });
    expect(await step(await handle(call('/api/nothing', app)))).toBe('not_found');
    const wrong = await handle(call('/api/things/1', { ...app, method: 'PUT' }));
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, DELETE');
    expect(calls).toEqual([]);
  });

  it('checks the entry first, then lets a knob answer in the route’s place', async () => {
    const { handle } = toy({ knob: Response.json({ step: 'knob' }, { status: 500 }) });
    expect(await step(await handle(call('/api/nothing')))).toBe('api_refused');
    expect(await step(await handle(call('/api/things/1', app)))).toBe('knob');
  });

  it('keeps the control API behind its own check, away from knobs and faults', async () => {
    const { handle, calls, faults } = toy({ knob: Response.json({ step: 'knob' }, { status: 500 }) });
    faults.add([{ operation: 'POST /_control/ping', action: 'error', times: 1 }]);
    expect(await step(await handle(call('/_control/ping', { method: 'POST' })))).toBe('control_refused');
    expect(await step(await handle(call('/_control/ping', { method: 'POST', headers: { 'x-control': 'yes' } })))).toBe('control');
    expect(await step(await handle(call('/_control/nothing', { headers: { 'x-control': 'yes' } })))).toBe('not_found');
    expect(calls).toEqual([]);
  });

  it('serves the outside handler before any check', async () => {
    const { handle } = toy();
    expect(await step(await handle(call('/site/page')))).toBe('outside');
  });

  it('applies scripted faults on the entry path: error without running the route, drop after it', async () => {
    const { handle, faults } = toy();
    faults.add([
      { operation: 'GET /things/*', action: 'error', times: 1 },
      { operation: 'DELETE /things/*', action: 'drop', times: 1 },
    ]);
    const failed = await handle(call('/api/things/1', app));
    expect(await failed.json()).toEqual({ step: 'internal', message: 'Simulated failure (sandbox fault).' });
    const dropped = await handle(call('/api/things/1', { ...app, method: 'DELETE' }));
    expect(dropped.status).toBe(200);
    await expect(dropped.text()).rejects.toThrow();
    expect((await handle(call('/api/things/1', app))).status).toBe(200);
  });

  it('answers the provider’s 500 when a route throws, logging the error’s name and nothing of its message', async () => {
    const secret = 'sk_live_0123456789abcdef';
    const { handle, logged } = toy({ throws: new TypeError(`token ${secret} was refused`) });
    const response = await handle(call('/api/boom', { ...app, method: 'POST' }));
    expect(await response.json()).toEqual({ step: 'internal', message: 'The sandbox failed to answer.' });
    expect(logged).toEqual([{ fields: { provider: 'toy', error: 'TypeError' }, message: 'toy sandbox failed' }]);
    expect(JSON.stringify(logged)).not.toContain(secret);
  });
});

describe('kit: control API bodies', () => {
  it('parses a POST body against its schema, or answers the provider’s invalidBody naming the field', async () => {
    const control = controlApi<{ request: Request }>({ answers, body: async ({ request }) => new Uint8Array(await request.arrayBuffer()) });
    const route = control.post('thing', z.strictObject({ n: z.number({ error: 'must be a number' }) }), ({ n }) => Response.json({ n }));
    const post = (body: string, type = 'application/json') =>
      route.handle({ request: new Request('http://toy.test/_control/thing', { method: 'POST', headers: { 'content-type': type }, body }) });
    expect(await (await post('{"n": 2}')).json()).toEqual({ n: 2 });
    expect(await (await post('{"n": "2"}')).json()).toEqual({
      step: 'invalid_body',
      problem: { kind: 'invalid_field', field: 'n', problem: 'must be a number' },
    });
    expect(await (await post('{"n": 2, "m": 3}')).json()).toEqual({ step: 'invalid_body', problem: { kind: 'unknown_fields', fields: ['m'] } });
    expect(await (await post('{"n": ')).json()).toEqual({ step: 'invalid_body', problem: { kind: 'not_json' } });
    expect(await (await post('{"n": 2}', 'text/plain')).json()).toEqual({ step: 'invalid_body', problem: { kind: 'media_type' } });
    expect(route.path.test('/_control/thing')).toBe(true);
    expect(route.path.test('/_control/thingy')).toBe(false);
  });
});
