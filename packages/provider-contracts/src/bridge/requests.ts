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

/** [ours] Guidance languages: Bridge's default is French (PROVIDERS.md); the portal offers French and English. */
export const BRIDGE_GUIDANCE_LANGUAGES = ['fr', 'en'] as const;
export const BRIDGE_GUIDANCE_DEFAULT_LANGUAGE = 'fr';

/** [doc] ISO 3166-1 alpha-2, upper case. */
export const BRIDGE_COUNTRY_CODE = /^[A-Z]{2}$/;
/** [doc] The company identification number: 9 digits (the French SIREN). */
export const BRIDGE_COMPANY_IDENTIFICATION_NUMBER = /^\d{9}$/;

/**
 * `POST /v3/guidance/sessions` (seeds/000, seeds/001, PROVIDERS.md):
 * - `user_uuid`, `country_code`, `company_identification_number` required [doc];
 * - `language` optional, `fr` when absent [doc; the guide says "his browsing language", the reference `fr`];
 * - `contact_email`, `contact_phone_number` optional and nullable [doc]; their formats are not given
 *   [ours: an email address, an E.164 number like the documented `+33612345678`];
 * - unknown fields refused [ours], as for every body the simulator reads.
 */
export const bridgeGuidanceSessionRequestSchema = z.strictObject({
  // Any 8-4-4-4-12 hex id, like bridgeUuidSchema in ./wire.ts.
  user_uuid: z.guid({ error: required('a UUID') }),
  country_code: z.string({ error: required('a string') }).regex(BRIDGE_COUNTRY_CODE, { error: 'must be two upper-case letters (ISO 3166-1 alpha-2)' }),
  company_identification_number: z.string({ error: required('a string') }).regex(BRIDGE_COMPANY_IDENTIFICATION_NUMBER, { error: 'must be 9 digits' }),
  language: z.enum(BRIDGE_GUIDANCE_LANGUAGES, { error: 'must be "fr" or "en"' }).default(BRIDGE_GUIDANCE_DEFAULT_LANGUAGE),
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
