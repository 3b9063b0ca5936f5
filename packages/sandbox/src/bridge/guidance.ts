import { randomInt } from 'node:crypto';
import { BRIDGE_ENDPOINTS, bridgeGuidanceSessionRequestSchema, bridgePathPattern } from '@guidepost/provider-contracts/bridge';
import { authenticateUser } from './access-tokens';
import { bridgeError } from './errors';
import { readApiJsonBody } from './http';
import type { Route } from './router';
import { guidanceSiteUrl } from './site-paths';

// Bridge's example password is "Ab3!Cd4@Ef5(Gh6)Ij7K": 20 characters, every class present.
export const GUIDANCE_PASSWORD_LENGTH = 20;
const PASSWORD_CLASSES = ['ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz', '0123456789', '!@#$%^&*()-_=+?'] as const;
const PASSWORD_ALPHABET = PASSWORD_CLASSES.join('');

function pick(alphabet: string): string {
  return alphabet.charAt(randomInt(alphabet.length));
}

/** A fresh guidance password: crypto-random, with at least one upper, lower, digit and symbol. */
export function generateGuidancePassword(): string {
  const pool = PASSWORD_CLASSES.map(pick);
  while (pool.length < GUIDANCE_PASSWORD_LENGTH) pool.push(pick(PASSWORD_ALPHABET));
  // Shuffled so the guaranteed characters are not always the first four.
  let password = '';
  while (pool.length > 0) password += pool.splice(randomInt(pool.length), 1)[0] ?? '';
  return password;
}

const { createGuidanceSession } = BRIDGE_ENDPOINTS;

/** `POST /v3/guidance/sessions`; the session's url points at the sandbox's guidance site on `siteOrigin()`. */
export function guidanceRoutes(siteOrigin: () => string): Route[] {
  return [
    {
      method: createGuidanceSession.method,
      path: bridgePathPattern(createGuidanceSession),
      async handle({ request, state }) {
        const authenticated = authenticateUser(state, request);
        if (authenticated instanceof Response) return authenticated;
        const body = await readApiJsonBody(request, bridgeGuidanceSessionRequestSchema);
        if (body instanceof Response) return body;
        // [doc] 401 "user not found", never 404: an unknown user cannot hold a valid token, so both cases are this one.
        if (body.user_uuid.toLowerCase() !== authenticated.user.uuid.toLowerCase()) {
          return bridgeError('user_not_authorized', 'User not found: user_uuid is not the user of this access token.');
        }
        const session = state.guidance.createSession(
          {
            userUuid: authenticated.user.uuid,
            countryCode: body.country_code,
            companyIdentificationNumber: body.company_identification_number,
            language: body.language ?? null,
            contactEmail: body.contact_email ?? null,
            contactPhoneNumber: body.contact_phone_number ?? null,
            password: generateGuidancePassword(),
          },
          state.now(),
        );
        return Response.json(
          { id: session.id, url: guidanceSiteUrl(siteOrigin(), session.id), password: session.password },
          { status: createGuidanceSession.success.status, headers: { 'Cache-Control': 'no-store' } },
        );
      },
    },
  ];
}
