import { z } from 'zod';

// Bridge's wire format [doc] (see PROVIDERS.md): the client parses every answer with these, and the
// simulator answers in these shapes.

// Any 8-4-4-4-12 hex id: Bridge does not promise an RFC version nibble, and our column is a plain uuid.
export const bridgeUuidSchema = z.guid();

export const bridgeUserSchema = z.object({
  uuid: bridgeUuidSchema,
  // Users created without a reference come back with null (or, defensively, without the field).
  external_user_id: z
    .string()
    .nullish()
    .transform((value) => value ?? null),
});

export const bridgeUsersListSchema = z.object({
  resources: z.array(bridgeUserSchema),
  pagination: z.object({ next_uri: z.string().nullable() }),
});

export const bridgeTokenSchema = z.object({
  access_token: z.string().min(1),
  expires_at: z.iso.datetime({ offset: true }),
  user: bridgeUserSchema,
});

export const bridgeGuidanceSessionSchema = z.object({
  id: z.string().min(1),
  // Shown to the user as a link: only http(s), so a hostile or broken answer cannot become a javascript: URL.
  url: z.url({ protocol: /^https?$/ }),
  password: z.string().min(1),
});

/** The older docs' `{ type, message, documentation_url }` [doc]; every field optional because v3 is unpublished [ours]. */
export const bridgeErrorBodySchema = z.object({
  type: z.string().optional(),
  message: z.string().optional(),
  documentation_url: z.string().optional(),
});

export type BridgeUserWire = z.infer<typeof bridgeUserSchema>;
export type BridgeTokenWire = z.infer<typeof bridgeTokenSchema>;
export type BridgeGuidanceSessionWire = z.infer<typeof bridgeGuidanceSessionSchema>;
