import { z } from 'zod';
import { bridgeError } from './errors';
import { readJsonBody } from './http';
import { faultsUpdateSchema, type FaultScript } from '../kit/faults';
import { knobsUpdateSchema, type Knobs } from './knobs';
import type { Route } from './router';
import type { GuidanceReadyEvent, WebhookDelivery } from './webhooks';

// The sandbox's own remote control, for tests and demos; the real Bridge has nothing like it.
// Every route answers behind the app's Client-Id/Client-Secret (checked by the caller).

export interface ControlDependencies {
  knobs: Knobs;
  faults: FaultScript;
  sendGuidanceReadyWebhook(event: GuidanceReadyEvent): Promise<WebhookDelivery>;
  /** Forgets everything and turns the knobs off. */
  reset(): void;
}

const guidanceReadySchema = z.strictObject({
  user_uuid: z.uuid({ error: 'must be a UUID' }),
  company_identification_number: z.string({ error: 'must be a string' }).regex(/^\d{9}$/, { error: 'must be 9 digits' }).optional(),
});

const TEN_YEARS_MS = 10 * 366 * 24 * 60 * 60 * 1000;
const clockSchema = z.strictObject({
  offset_ms: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number of ms' })
    .min(-TEN_YEARS_MS, { error: 'must be within ten years' })
    .max(TEN_YEARS_MS, { error: 'must be within ten years' }),
});

const noStore = { 'Cache-Control': 'no-store' };

export function controlRoutes(dependencies: ControlDependencies): Route[] {
  const { knobs, faults } = dependencies;
  return [
    {
      method: 'POST',
      path: /^\/_control\/webhooks\/guidance-ready$/,
      async handle({ request, state }) {
        const body = await readJsonBody(request, guidanceReadySchema);
        if (body instanceof Response) return body;
        if (!state.findUser(body.user_uuid)) return bridgeError('user_not_found', 'No user with this uuid.');
        const company = body.company_identification_number ?? state.guidance.latestSessionOf(body.user_uuid)?.companyIdentificationNumber;
        if (company === undefined) {
          return bridgeError('not_found', 'This user has no guidance session: give company_identification_number.');
        }
        const delivery = await dependencies.sendGuidanceReadyWebhook({ userUuid: body.user_uuid, companyIdentificationNumber: company });
        return Response.json(delivery);
      },
    },
    { method: 'GET', path: /^\/_control\/knobs$/, handle: () => Response.json(knobs.get()) },
    {
      method: 'POST',
      path: /^\/_control\/knobs$/,
      async handle({ request }) {
        const body = await readJsonBody(request, knobsUpdateSchema);
        if (body instanceof Response) return body;
        return Response.json(knobs.update(body));
      },
    },
    { method: 'GET', path: /^\/_control\/faults$/, handle: () => Response.json({ faults: faults.pending() }) },
    {
      method: 'POST',
      path: /^\/_control\/faults$/,
      async handle({ request }) {
        const body = await readJsonBody(request, faultsUpdateSchema);
        if (body instanceof Response) return body;
        faults.add(body.faults);
        return Response.json({ faults: faults.pending() });
      },
    },
    {
      method: 'POST',
      path: /^\/_control\/expire-tokens$/,
      handle: ({ state }) => Response.json({ expired: state.expireAllTokens() }),
    },
    {
      method: 'POST',
      path: /^\/_control\/clock$/,
      async handle({ request, state }) {
        const body = await readJsonBody(request, clockSchema);
        if (body instanceof Response) return body;
        state.setClockOffset(body.offset_ms);
        return Response.json({ offset_ms: body.offset_ms, now: new Date(state.now()).toISOString() });
      },
    },
    {
      method: 'GET',
      path: /^\/_control\/issued-passwords$/,
      handle: ({ state }) => Response.json({ passwords: state.guidance.issuedPasswords() }, { headers: noStore }),
    },
    {
      method: 'POST',
      path: /^\/_control\/reset$/,
      handle() {
        dependencies.reset();
        return new Response(null, { status: 204 });
      },
    },
  ];
}
