import { z } from 'zod';
import { MAX_JSON_BYTES, readBodyLimited } from '../kit/body';
import { controlApi, NO_STORE } from '../kit/control';
import { knobFields } from '../kit/knobs';
import type { FaultScript } from '../kit/faults';
import { bridgeAnswers, bridgeError } from './errors';
import { knobsUpdateSchema, type Knobs } from './knobs';
import type { Route, RouteContext } from './router';
import type { GuidanceReadyEvent, WebhookDelivery } from './webhooks';

// The Bridge sandbox's control API (../kit/control.ts): the common knobs, faults and reset, plus
// webhooks, token expiry, the clock, the passwords issued and how many tokens each user was issued. Behind the app's Client-Id/Client-Secret.

export interface ControlDependencies {
  knobs: Knobs;
  faults: FaultScript;
  sendGuidanceReadyWebhook(event: GuidanceReadyEvent): Promise<WebhookDelivery>;
  /** Forgets everything and turns the knobs off. */
  reset(): void;
}

const guidanceReadySchema = z.strictObject({
  user_uuid: z.uuid({ error: 'must be a UUID' }),
  company_identification_number: z
    .string({ error: 'must be a string' })
    .regex(/^\d{9}$/, { error: 'must be 9 digits' })
    .optional(),
});

const clockSchema = z.strictObject({ offset_ms: knobFields.clockOffsetMs });

const control = controlApi<RouteContext>({
  answers: bridgeAnswers,
  body: async ({ request }) => (await readBodyLimited(request, MAX_JSON_BYTES)) ?? bridgeError('invalid_request', 'The request body is too large.'),
});

export function controlRoutes(dependencies: ControlDependencies): Route[] {
  const { knobs, faults, reset } = dependencies;
  return [
    ...control.common({ knobs, knobsSchema: knobsUpdateSchema, faults, reset }),
    control.post('webhooks/guidance-ready', guidanceReadySchema, async (body, { state }) => {
      if (!state.findUser(body.user_uuid)) return bridgeError('user_not_found', 'No user with this uuid.');
      const company = body.company_identification_number ?? state.guidance.latestSessionOf(body.user_uuid)?.companyIdentificationNumber;
      if (company === undefined) {
        return bridgeError('not_found', 'This user has no guidance session: give company_identification_number.');
      }
      return Response.json(await dependencies.sendGuidanceReadyWebhook({ userUuid: body.user_uuid, companyIdentificationNumber: company }));
    }),
    control.action('expire-tokens', ({ state }) => Response.json({ expired: state.expireAllTokens() })),
    control.post('clock', clockSchema, ({ offset_ms }, { state }) => {
      state.setClockOffset(offset_ms);
      return Response.json({ offset_ms, now: new Date(state.now()).toISOString() });
    }),
    control.get('issued-tokens', ({ state }) => Response.json({ tokens_issued: state.tokensIssued() }, { headers: NO_STORE })),
    control.get('issued-passwords', ({ state }) => Response.json({ passwords: state.guidance.issuedPasswords() }, { headers: NO_STORE })),
  ];
}
