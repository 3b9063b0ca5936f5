import 'server-only';
import { z } from 'zod';
import { BridgeError } from './errors';

// Bridge's wire format, checked on every response. Provider shapes stop at lib/bridge/client.ts.

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

/** The older docs' `{ type, message, documentation_url }`; every field optional because v3 is unpublished. */
export const bridgeErrorBodySchema = z.object({
  type: z.string().optional(),
  message: z.string().optional(),
  documentation_url: z.string().optional(),
});

export type BridgeUserWire = z.infer<typeof bridgeUserSchema>;
export type BridgeTokenWire = z.infer<typeof bridgeTokenSchema>;
export type BridgeGuidanceSessionWire = z.infer<typeof bridgeGuidanceSessionSchema>;

/** Checks a parsed response; a mismatch is an invalid_response that never carries the body. */
export function parseBridgeResponse<T>(schema: z.ZodType<T>, value: unknown, status?: number): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BridgeError('invalid_response', status === undefined ? {} : { status });
  return parsed.data;
}

/** Bridge's error type from an error body, when there is one; anything unreadable gives undefined. */
export function bridgeErrorType(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  try {
    const parsed = bridgeErrorBodySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.type : undefined;
  } catch {
    return undefined;
  }
}
