import { z } from 'zod';

// Bridge's answers [doc] (see PROVIDERS.md, seeds/000 and seeds/002): the client parses every answer with
// these, the simulator answers in these shapes, and the contract suite checks both against them.

// [ours] Any 8-4-4-4-12 hex id: Bridge does not promise an RFC version nibble, and our column is a plain uuid.
export const bridgeUuidSchema = z.guid();

/** [doc] A user: `{ uuid, external_user_id }` (seeds/002). */
export const bridgeUserSchema = z.object({
  uuid: bridgeUuidSchema,
  // [ours] Users created without a reference come back with null (or, defensively, without the field).
  external_user_id: z
    .string()
    .nullish()
    .transform((value) => value ?? null),
});

/** [doc] `GET /v3/aggregation/users`: a page of users and the next page's URI, null on the last. */
export const bridgeUsersListSchema = z.object({
  resources: z.array(bridgeUserSchema),
  pagination: z.object({ next_uri: z.string().nullable() }),
});

/** [doc] The token answer (seeds/002): `expires_at` is ISO-8601, two hours after issuance. */
export const bridgeTokenSchema = z.object({
  access_token: z.string().min(1),
  expires_at: z.iso.datetime({ offset: true }),
  user: bridgeUserSchema,
});

/** [doc] The guidance answer (seeds/000): `{ id, url, password }`; the password is shown to the user once, never logged. */
export const bridgeGuidanceSessionSchema = z.object({
  id: z.string().min(1),
  // [ours] Shown to the user as a link: only http(s), so a hostile or broken answer cannot become a javascript: URL.
  url: z.url({ protocol: /^https?$/ }),
  password: z.string().min(1),
});

/**
 * An error answer as the client reads it. The older docs give `{ type, message, documentation_url }` [doc];
 * no v3 error schema is published, and an answer may carry `documentation_url: null` (issue #9). [ours]
 * Each field is read on its own: one missing or odd field (a null url, a numeric message) never hides
 * the others, above all `type`, which support needs.
 */
export const bridgeErrorBodySchema = z.object({
  type: z.string().optional().catch(undefined),
  message: z.string().optional().catch(undefined),
  documentation_url: z.string().nullish().catch(undefined),
});

/**
 * The error shape the contract suite holds Bridge and the simulator to: `type` and `message` strings,
 * `documentation_url` a string or null when present [doc: the older docs' shape; null allowed, ours].
 */
export const bridgeDocumentedErrorBodySchema = z.object({
  type: z.string().min(1),
  message: z.string(),
  documentation_url: z.string().nullable().optional(),
});

export type BridgeUserWire = z.infer<typeof bridgeUserSchema>;
export type BridgeTokenWire = z.infer<typeof bridgeTokenSchema>;
export type BridgeGuidanceSessionWire = z.infer<typeof bridgeGuidanceSessionSchema>;
export type BridgeErrorBodyWire = z.infer<typeof bridgeDocumentedErrorBodySchema>;
