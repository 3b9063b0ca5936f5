import { z } from 'zod';
import { STATUS } from './choices';

// Finqware's wire format, checked on every response. The Finqware client (lib/finqware) parses every answer with these; the sandbox answers in these shapes.

const id = z.string().min(1);
const isoDate = z.iso.datetime({ offset: true });
// Step answers carry a `data` object we do not use yet; tolerated when absent.
const stepData = z.record(z.string(), z.unknown()).optional();

/** [ours] `POST /v1/catalogs/get`. A step's kind stays a string here: the client maps unknown kinds itself. */
export const finqwareCatalogSchema = z.array(
  z.object({
    skill: id,
    name: z.string(),
    description: z.string().default(''),
    steps: z.array(z.object({ step: id, kind: z.string() })),
  }),
);

export const finqwareSessionCreatedSchema = z.object({
  nonce: id,
  session_id: id,
  status: z.literal(STATUS.created),
});

/** A step submission or an upload: the next nonce, or [ours] the temp_token when it completed the session. */
export const finqwareStepResponseSchema = z.discriminatedUnion('status', [
  z.object({ step_id: id, nonce: id, status: z.literal(STATUS.inProgress), data: stepData }),
  z.object({ step_id: id, temp_token: id, status: z.literal(STATUS.completed), data: stepData }),
]);
export type FinqwareStepResponseWire = z.infer<typeof finqwareStepResponseSchema>;

export const finqwareTokensSchema = z.object({
  credentials_id: id,
  access_token: id,
  consent_exp: isoDate,
  max_data_retention: isoDate,
});

export const finqwareConsentSchema = z.object({
  credentials_id: id,
  skill: id,
  status: z.enum(['ACTIVE', 'REVOKED', 'EXPIRED']),
  consent_exp: isoDate,
});

export const finqwareConsentRevokedSchema = z.object({
  credentials_id: id,
  status: z.literal('REVOKED'),
});

export const finqwareAccountsSchema = z.array(
  z.object({
    account_id: id,
    iban: z.string(),
    name: z.string(),
    currency: z.string().regex(/^[A-Z]{3}$/),
  }),
);

// Money stays a decimal string; a JSON number is accepted and turned into one without float arithmetic.
const decimal = z.union([z.string().regex(/^-?\d+(\.\d+)?$/), z.number().finite().transform((n) => String(n))]).pipe(z.string().regex(/^-?\d+(\.\d+)?$/));

export const finqwareBalancesSchema = z.array(
  z.object({
    account_id: id,
    amount: decimal,
    currency: z.string().regex(/^[A-Z]{3}$/),
    type: z.string(),
  }),
);

/** Both of Finqware's error shapes: the full `{ id, type, http, code, message }` and the bare `{ message }`. */
// Each field on its own: a body with one odd field still gives us the others.
const optionalText = z.string().optional().catch(undefined);
export const finqwareErrorBodySchema = z.object({
  id: optionalText,
  type: optionalText,
  http: z.number().optional().catch(undefined),
  code: optionalText,
  message: optionalText,
});
