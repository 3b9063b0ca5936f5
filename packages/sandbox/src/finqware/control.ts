import { z } from 'zod';
import { TRANSACTION_STATUSES } from '@guidepost/provider-contracts/finqware';
import { MAX_JSON_BYTES } from '../kit/body';
import { controlApi, NO_STORE } from '../kit/control';
import type { FaultScript } from '../kit/faults';
import { accountFacts } from './accounts';
import { finqwareAnswers, finqwareError } from './errors';
import { knobsUpdateSchema, type Knobs } from './knobs';
import type { Route, RouteContext } from './router';
import { arrivingTransactions, describeArrival } from './transactions';

// The Finqware sandbox's control API (../kit/control.ts): the common knobs, faults and reset, plus what
// it issued (secrets, consents, uploads) and transactions arriving at the bank. Behind X-Client-Id and
// X-Client-Secret. Faults may name any Finqware error code (`"code": "expired_credentials"`).

export interface ControlDependencies {
  knobs: Knobs;
  faults: FaultScript;
  /** Forgets everything and turns the knobs off. */
  reset(): void;
}

// The pipeline reads every Finqware body before the route runs, under the route's cap.
const control = controlApi<RouteContext>({ answers: finqwareAnswers, body: ({ body }) => body });

/** New transactions on one of a tenant user's accounts: the current account unless `account_id` names another. */
const arrivalsSchema = z.strictObject({
  tenant_user_id: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
  account_id: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).optional(),
  count: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be 1 to 100' })
    .min(1, { error: 'must be 1 to 100' })
    .max(100, { error: 'must be 1 to 100' })
    .default(1),
  status: z.enum(TRANSACTION_STATUSES, { error: `must be one of ${TRANSACTION_STATUSES.join(', ')}` }).default('booked'),
});

export function controlRoutes({ knobs, faults, reset }: ControlDependencies): Route[] {
  return [
    ...control.common({ knobs, knobsSchema: knobsUpdateSchema, faults, reset }),
    // Every nonce, temp_token and access_token ever issued, so an end-to-end test can grep logs for them.
    control.get('issued-secrets', ({ state }) => Response.json(state.issuedSecrets(), { headers: NO_STORE })),
    control.get('consents', ({ state }) => Response.json({ consents: state.consents() }, { headers: NO_STORE })),
    control.get('uploads', ({ state }) => Response.json({ uploads: state.uploads() }, { headers: NO_STORE })),
    // Transactions arriving now, seen by every consent of the user from now on, stored (`timestamp`) now:
    // what an incremental sync with `timestamp_gte` must pick up, and nothing else.
    control.post('transactions', arrivalsSchema, ({ tenant_user_id, account_id, count, status }, { state }) => {
      const accounts = accountFacts(tenant_user_id);
      const facts = account_id === undefined ? accounts[0]! : accounts.find(({ id }) => id === account_id);
      if (!facts) return finqwareError('invalid_field', 'account_id is not an account of this tenant_user_id.');
      const arrivals = arrivingTransactions(facts.id, state.arrivalsOf(facts.id).length, count, status, state.now());
      state.recordArrivals(arrivals);
      return Response.json({ transactions: arrivals.map((arrival) => describeArrival(facts, arrival)) });
    }),
  ].map((route) => ({ ...route, maxBodyBytes: MAX_JSON_BYTES, tooLarge: () => finqwareError('invalid_field', 'The body is too large.') }));
}
