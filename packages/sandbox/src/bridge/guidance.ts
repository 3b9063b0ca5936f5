import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { authenticateUser } from './access-tokens';
import { bridgeError } from './errors';
import { readJsonBody } from './http';
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

const required = (expected: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${expected}`);

export const guidanceSessionRequestSchema = z.strictObject({
  user_uuid: z.uuid({ error: required('a UUID') }),
  country_code: z.string({ error: required('a string') }).regex(/^[A-Z]{2}$/, { error: 'must be two upper-case letters (ISO 3166-1 alpha-2)' }),
  company_identification_number: z.string({ error: required('a string') }).regex(/^\d{9}$/, { error: 'must be 9 digits' }),
  language: z.enum(['fr', 'en'], { error: 'must be "fr" or "en"' }).default('fr'),
  contact_email: z.email({ error: 'must be an email address' }).nullish(),
  contact_phone_number: z
    .string({ error: 'must be a string' })
    .regex(/^\+[1-9]\d{6,14}$/, { error: 'must be an E.164 phone number like +33612345678' })
    .nullish(),
});

/** `POST /v3/guidance/sessions`; the session's url points at the sandbox's guidance site on `siteOrigin()`. */
export function guidanceRoutes(siteOrigin: () => string): Route[] {
  return [
    {
      method: 'POST',
      path: /^\/v3\/guidance\/sessions$/,
      async handle({ request, state }) {
        const authenticated = authenticateUser(state, request);
        if (authenticated instanceof Response) return authenticated;
        const body = await readJsonBody(request, guidanceSessionRequestSchema);
        if (body instanceof Response) return body;
        // An unknown user cannot hold a valid token, so both cases are this one.
        if (body.user_uuid !== authenticated.user.uuid) {
          return bridgeError('user_not_authorized', 'User not found: user_uuid is not the user of this access token.');
        }
        const session = state.guidance.createSession(
          {
            userUuid: body.user_uuid,
            countryCode: body.country_code,
            companyIdentificationNumber: body.company_identification_number,
            language: body.language,
            contactEmail: body.contact_email ?? null,
            contactPhoneNumber: body.contact_phone_number ?? null,
            password: generateGuidancePassword(),
          },
          state.now(),
        );
        // No status is documented for this endpoint: 200 like the token endpoint.
        return Response.json(
          { id: session.id, url: guidanceSiteUrl(siteOrigin(), session.id), password: session.password },
          { headers: { 'Cache-Control': 'no-store' } },
        );
      },
    },
  ];
}
