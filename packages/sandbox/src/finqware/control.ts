import { MAX_JSON_BYTES } from '../kit/body';
import { controlApi, NO_STORE } from '../kit/control';
import type { FaultScript } from '../kit/faults';
import { finqwareAnswers, finqwareError } from './errors';
import { knobsUpdateSchema, type Knobs } from './knobs';
import type { Route, RouteContext } from './router';

// The Finqware sandbox's control API (../kit/control.ts): the common knobs, faults and reset, plus what
// it issued (secrets, consents, uploads). Behind X-Client-Id and X-Client-Secret.

export interface ControlDependencies {
  knobs: Knobs;
  faults: FaultScript;
  /** Forgets everything and turns the knobs off. */
  reset(): void;
}

// The pipeline reads every Finqware body before the route runs, under the route's cap.
const control = controlApi<RouteContext>({ answers: finqwareAnswers, body: ({ body }) => body });

export function controlRoutes({ knobs, faults, reset }: ControlDependencies): Route[] {
  return [
    ...control.common({ knobs, knobsSchema: knobsUpdateSchema, faults, reset }),
    // Every nonce, temp_token and access_token ever issued, so an end-to-end test can grep logs for them.
    control.get('issued-secrets', ({ state }) => Response.json(state.issuedSecrets(), { headers: NO_STORE })),
    control.get('consents', ({ state }) => Response.json({ consents: state.consents() }, { headers: NO_STORE })),
    control.get('uploads', ({ state }) => Response.json({ uploads: state.uploads() }, { headers: NO_STORE })),
  ].map((route) => ({ ...route, maxBodyBytes: MAX_JSON_BYTES, tooLarge: () => finqwareError('invalid_field', 'The body is too large.') }));
}
