import 'server-only';
import type { StepKind } from '@guidepost/provider-contracts/finqware';
import type { StepAnswers } from './step-schemas';

// The adapter's side of a step: our answers (checked by lib/onboarding/step-schemas.ts, which the
// browser shares) in the shape of Finqware's step `data`. Server-side only: the wire format is no
// business of the forms.

/** Finqware's wire `data` for a step, from our answers. */
export function toFinqwareData(kind: StepKind, answers: Record<string, unknown>): Record<string, unknown> {
  switch (kind) {
    case 'consent':
      return { accepted: true };
    case 'product_form': {
      const a = answers as StepAnswers<'product_form'>;
      return { value: a.amount, currency: a.currency, period: a.period };
    }
    case 'personal_data': {
      const a = answers as StepAnswers<'personal_data'>;
      return {
        first_name: a.firstName,
        last_name: a.lastName,
        date_of_birth: a.dateOfBirth,
        nationality: a.nationality,
        address: {
          line1: a.addressLine1,
          ...(a.addressLine2 ? { line2: a.addressLine2 } : {}),
          city: a.city,
          postal_code: a.postalCode,
          country: a.addressCountry,
        },
      };
    }
    case 'identity_document':
      return { document_type: (answers as StepAnswers<'identity_document'>).documentType };
    case 'selfie':
      return {};
  }
}
