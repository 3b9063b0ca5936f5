import type { z } from 'zod';
import { parseJsonBody } from './body';
import type { ProviderAnswers } from './errors';
import { faultsUpdateSchema, type FaultScript } from './faults';
import type { KnobSettingsStore } from './knobs';
import type { KitRoute } from './router';

// Each simulator's own remote control, for tests and demos; the real providers have nothing like it.
// It lives under /_control/, behind the app's credentials (checked by the pipeline), and answers in the
// provider's error body. Both have knobs, faults and reset; each adds routes of its own.

export const CONTROL_PREFIX = '/_control/';

/** For answers that list secrets the simulator issued. */
export const NO_STORE = { 'Cache-Control': 'no-store' } as const;

export type ControlRoute<Context> = KitRoute<Context, 'GET' | 'POST'>;

export interface ControlOptions<Context> {
  answers: ProviderAnswers;
  /** The request's raw body (read under a cap), or the answer refusing it. */
  body(context: Context): Uint8Array | Response | Promise<Uint8Array | Response>;
}

function controlPath(name: string): RegExp {
  return new RegExp(`^${CONTROL_PREFIX}${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/** Route builders for one simulator's control API. */
export function controlApi<Context extends { request: Request }>({ answers, body }: ControlOptions<Context>) {
  const get = (name: string, handle: (context: Context) => Response | Promise<Response>): ControlRoute<Context> => ({
    method: 'GET',
    path: controlPath(name),
    handle,
  });

  /** A POST whose JSON body (empty: `{}`) must fit `schema` before `handle` sees it. */
  const post = <T>(name: string, schema: z.ZodType<T>, handle: (value: T, context: Context) => Response | Promise<Response>): ControlRoute<Context> => ({
    method: 'POST',
    path: controlPath(name),
    async handle(context) {
      const bytes = await body(context);
      if (bytes instanceof Response) return bytes;
      const parsed = parseJsonBody(bytes, context.request.headers.get('content-type'), schema);
      return parsed.ok ? handle(parsed.value, context) : answers.invalidBody(parsed.problem);
    },
  });

  /** A POST that only acts (its body, if any, is not read). */
  const action = (name: string, handle: (context: Context) => Response | Promise<Response>): ControlRoute<Context> => ({
    method: 'POST',
    path: controlPath(name),
    handle,
  });

  /** The routes every simulator has: read and change the knobs, script and list faults, reset everything. */
  const common = <T extends object>(dependencies: {
    knobs: KnobSettingsStore<T>;
    knobsSchema: z.ZodType<Partial<T>>;
    faults: FaultScript;
    /** Forgets everything and turns the knobs off. */
    reset(): void;
  }): ControlRoute<Context>[] => {
    const { knobs, knobsSchema, faults, reset } = dependencies;
    const faultsSchema = faultsUpdateSchema(answers.scriptedError?.codes);
    return [
      get('knobs', () => Response.json(knobs.get())),
      post('knobs', knobsSchema, (changes) => Response.json(knobs.update(changes))),
      get('faults', () => Response.json({ faults: faults.pending() })),
      post('faults', faultsSchema, ({ faults: added }) => {
        faults.add(added);
        return Response.json({ faults: faults.pending() });
      }),
      action('reset', () => {
        reset();
        return new Response(null, { status: 204 });
      }),
    ];
  };

  return { get, post, action, common };
}
