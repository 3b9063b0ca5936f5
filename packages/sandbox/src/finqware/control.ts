import type { z } from 'zod';
import { MAX_JSON_BYTES } from './body';
import { finqwareError } from './errors';
import { faultsUpdateSchema, type FaultScript } from '../kit/faults';
import { knobsUpdateSchema, type Knobs } from './knobs';
import type { Route } from './router';

// The sandbox's own remote control, for tests and demos; the real Finqware has nothing like it.
// Every route answers behind X-Client-Id and X-Client-Secret (checked by the caller).

export interface ControlDependencies {
  knobs: Knobs;
  faults: FaultScript;
  /** Forgets everything and turns the knobs off. */
  reset(): void;
}

const noStore = { 'Cache-Control': 'no-store' };

function controlRoute(method: Route['method'], path: RegExp, handle: Route['handle']): Route {
  return { method, path, maxBodyBytes: MAX_JSON_BYTES, tooLarge: () => finqwareError('invalid_field', 'The body is too large.'), handle };
}

/** The body checked against a control schema, or the Finqware-style refusal naming the first problem. */
function parseControlBody<T>(body: Uint8Array, schema: z.ZodType<T>): T | Response {
  let value: unknown;
  try {
    value = body.byteLength === 0 ? {} : JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return finqwareError('invalid_field', 'The body is not valid JSON.');
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') return finqwareError('unknown_fields', `Unknown fields: ${issue.keys.join(', ')}.`);
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
  return finqwareError('invalid_field', `${field} ${issue?.message ?? 'is invalid'}.`);
}

export function controlRoutes({ knobs, faults, reset }: ControlDependencies): Route[] {
  return [
    controlRoute('GET', /^\/_control\/knobs$/, () => Response.json(knobs.get())),
    controlRoute('POST', /^\/_control\/knobs$/, ({ body }) => {
      const parsed = parseControlBody(body, knobsUpdateSchema);
      return parsed instanceof Response ? parsed : Response.json(knobs.update(parsed));
    }),
    controlRoute('GET', /^\/_control\/faults$/, () => Response.json({ faults: faults.pending() })),
    controlRoute('POST', /^\/_control\/faults$/, ({ body }) => {
      const parsed = parseControlBody(body, faultsUpdateSchema);
      if (parsed instanceof Response) return parsed;
      faults.add(parsed.faults);
      return Response.json({ faults: faults.pending() });
    }),
    // Every nonce, temp_token and access_token ever issued, so an end-to-end test can grep logs for them.
    controlRoute('GET', /^\/_control\/issued-secrets$/, ({ state }) => Response.json(state.issuedSecrets(), { headers: noStore })),
    controlRoute('GET', /^\/_control\/consents$/, ({ state }) => Response.json({ consents: state.consents() }, { headers: noStore })),
    controlRoute('GET', /^\/_control\/uploads$/, ({ state }) => Response.json({ uploads: state.uploads() }, { headers: noStore })),
    controlRoute('POST', /^\/_control\/reset$/, () => {
      reset();
      return new Response(null, { status: 204 });
    }),
  ];
}
