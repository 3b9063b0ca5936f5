import { z } from 'zod';

// The request bodies Guidepost sends Bridge. The simulator parses requests with these; the client builds
// its bodies with their input types, so a field renamed here fails to compile there. Messages name the
// rule (never the value): the simulator puts them in its 400 answers. Markers as in ./api.ts.

const required = (expected: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${expected}`);

/** [doc] `external_user_id` is `[A-Za-z0-9-_]{1,128}`; Guidepost sends the portal user's id (a uuid) [ours]. */
export const bridgeExternalUserIdSchema = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9_-]{1,128}$/, { error: 'must be 1 to 128 letters, digits, "-" or "_"' });

/**
 * `POST /v3/aggregation/users` [doc]: `{ external_user_id? }`; seeds/002 also creates a user with no body
 * at all. [ours] Unknown fields are refused, so a misspelt field fails loudly instead of creating a user
 * without its reference.
 */
export const bridgeCreateUserRequestSchema = z.strictObject({ external_user_id: bridgeExternalUserIdSchema.nullish() });

/** `POST /v3/aggregation/authorization/token` [doc]: `{ user_uuid }` or `{ external_user_id }`, exactly one [ours: both refused]. */
export const bridgeTokenRequestSchema = z
  .strictObject({ user_uuid: z.guid({ error: 'must be a UUID' }).optional(), external_user_id: bridgeExternalUserIdSchema.optional() })
  .refine((body) => (body.user_uuid === undefined) !== (body.external_user_id === undefined), {
    error: 'give exactly one of user_uuid or external_user_id',
  });

/** [ours] Guidance languages: the values of `language` are not listed; the portal offers French and English. */
export const BRIDGE_GUIDANCE_LANGUAGES = ['fr', 'en'] as const;
export type BridgeGuidanceLanguage = (typeof BRIDGE_GUIDANCE_LANGUAGES)[number];
/** [doc] The reference's default for `language` (PROVIDERS.md). */
export const BRIDGE_GUIDANCE_DEFAULT_LANGUAGE: BridgeGuidanceLanguage = 'fr';

const isGuidanceLanguage = (value: string): value is BridgeGuidanceLanguage => (BRIDGE_GUIDANCE_LANGUAGES as readonly string[]).includes(value);

/**
 * The language Bridge's guidance site speaks to a session's user. Bridge learns it from the session only (a Bridge
 * user has no language; seeds/002):
 * - the session's `language` when the portal sent one [doc: "Define the language in which the user will see the
 *   session", seeds/000]; Guidepost always sends the company profile's;
 * - else the browser's language [doc: "If not mention it will take his browsing language", seeds/000], which
 *   [ours] is the first of `browserLanguages` (the page request's Accept-Language, best first, "fr-CA" counting as
 *   "fr") that the site offers, read again on each page;
 * - else French [doc: the reference's default `fr`; ours: it applies when the browser names no language offered].
 * Pages that belong to no session (an unknown link) follow the browser, then French [ours].
 */
export function bridgeGuidanceSiteLanguage(sessionLanguage: BridgeGuidanceLanguage | null, browserLanguages: readonly string[]): BridgeGuidanceLanguage {
  if (sessionLanguage !== null) return sessionLanguage;
  for (const tag of browserLanguages) {
    const base = tag.toLowerCase().split('-')[0] ?? '';
    if (isGuidanceLanguage(base)) return base;
  }
  return BRIDGE_GUIDANCE_DEFAULT_LANGUAGE;
}

/** [doc] ISO 3166-1 alpha-2, upper case. */
export const BRIDGE_COUNTRY_CODE = /^[A-Z]{2}$/;
/** [doc] The company identification number: 9 digits (the French SIREN). */
export const BRIDGE_COMPANY_IDENTIFICATION_NUMBER = /^\d{9}$/;

/**
 * `POST /v3/guidance/sessions` (seeds/000, seeds/001, PROVIDERS.md):
 * - `user_uuid`, `country_code`, `company_identification_number` required [doc];
 * - `language` optional [doc]; absent, the site follows the browser, then French (bridgeGuidanceSiteLanguage);
 *   any value but "fr" or "en" refused [ours];
 * - `contact_email`, `contact_phone_number` optional and nullable [doc]; their formats are not given
 *   [ours: an email address, an E.164 number like the documented `+33612345678`];
 * - unknown fields refused [ours], as for every body the simulator reads.
 */
export const bridgeGuidanceSessionRequestSchema = z.strictObject({
  // Any 8-4-4-4-12 hex id, like bridgeUuidSchema in ./wire.ts.
  user_uuid: z.guid({ error: required('a UUID') }),
  country_code: z.string({ error: required('a string') }).regex(BRIDGE_COUNTRY_CODE, { error: 'must be two upper-case letters (ISO 3166-1 alpha-2)' }),
  company_identification_number: z.string({ error: required('a string') }).regex(BRIDGE_COMPANY_IDENTIFICATION_NUMBER, { error: 'must be 9 digits' }),
  // No default here: the simulator must know whether a language was sent (absent, the browser's decides).
  language: z.enum(BRIDGE_GUIDANCE_LANGUAGES, { error: 'must be "fr" or "en"' }).optional(),
  contact_email: z.email({ error: 'must be an email address' }).nullish(),
  contact_phone_number: z
    .string({ error: 'must be a string' })
    .regex(/^\+[1-9]\d{6,14}$/, { error: 'must be an E.164 phone number like +33612345678' })
    .nullish(),
});

export type BridgeCreateUserRequest = z.input<typeof bridgeCreateUserRequestSchema>;
export type BridgeTokenRequest = { user_uuid: string } | { external_user_id: string };
/** What the client sends: optional fields absent, or null to clear them. */
export type BridgeGuidanceSessionRequest = z.input<typeof bridgeGuidanceSessionRequestSchema>;
