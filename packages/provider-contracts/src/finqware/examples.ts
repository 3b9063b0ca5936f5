import type { z } from 'zod';
import type {
  finqwareAccountsSchema,
  finqwareBalancesSchema,
  finqwareConsentDeletedSchema,
  finqwareConsentGetSchema,
  finqwareConsentInfoSchema,
  finqwareTokensSchema,
  finqwareTransactionsSchema,
} from './wire';

// Answers in the documented shapes, laid out like the examples on Finqware's reference pages (values
// are ours). Tests of the client script them, so they restate nothing: a change to a wire schema that
// these no longer fit fails to compile. Each is a function so a test can change a copy freely.

type In<S extends z.ZodType> = z.input<S>;

export const EXAMPLE_CREDENTIALS_ID = 'b6e01945-5f3a-4c1e-9d2f-0a7c3e8b1d42';
export const EXAMPLE_CLIENT_ID = '27c3605a-65f1-4ef3-8b3c-fa814bde5ff7';
export const EXAMPLE_SKILL = 'xyz_aisp_sbx_#1.0';
export const EXAMPLE_ACCOUNT_ID = 'f3dc1a92-7a4b-4c0e-8d51-b715a988553d';

export function exampleTokens(): In<typeof finqwareTokensSchema> {
  return {
    credentials_id: EXAMPLE_CREDENTIALS_ID,
    access_token: 'example-access-token-0123456789',
    consent_exp: '2025-06-01T10:00:00Z',
    max_data_retention: '2025-07-01T10:00:00Z',
  };
}

export function exampleConsentInfo(status: 'ACTIVE' | 'DELETED' | 'EXPIRED' = 'ACTIVE'): In<typeof finqwareConsentInfoSchema> {
  return {
    credentials_id: EXAMPLE_CREDENTIALS_ID,
    originator: { country: 'Romania', servicer: 'XYZ Bank', skill: EXAMPLE_SKILL },
    status,
    tenant_app_info: { client_id: EXAMPLE_CLIENT_ID, name: 'guidepost-tests' },
    utc_created: '2025-03-01T10:00:00Z',
    utc_last_update: '2025-03-01T10:00:27Z',
    consent_exp: '2025-06-01T10:00:00Z',
    max_data_retention: '2025-07-01T10:00:00Z',
  };
}

export function exampleConsentGet(status: 'ACTIVE' | 'DELETED' | 'EXPIRED' = 'ACTIVE'): In<typeof finqwareConsentGetSchema> {
  return { op_type: 'read', code: 'credentials_info', http: 200, message: 'Consent info retrieved', result: exampleConsentInfo(status) };
}

export function exampleConsentDeleted(): In<typeof finqwareConsentDeletedSchema> {
  return {
    code: 'credentials_deleted',
    http: 200,
    message: 'Consent deleted',
    op_type: 'delete',
    result: { ...exampleConsentInfo('DELETED'), status: 'DELETED' },
  };
}

export function exampleAccounts(): In<typeof finqwareAccountsSchema> {
  return [
    {
      data: {
        account_schemes: [
          { identification: 'RO49AAAA1B31007593840000', scheme_name: 'IBAN' },
          { identification: 'XYZBROBUXXX', scheme_name: 'BICFI' },
        ],
        balances: [
          { balance_amount: '123.34', balance_currency: 'RON', balance_type: 'Expected', credit_limit_included: false, credit_debit_indicator: 'credit' },
        ],
        account_sub_type: 'CurrentAccount',
        account_type: 'Business current account',
        currency: 'RON',
        name: 'Current account',
        nickname: '',
      },
      id: EXAMPLE_ACCOUNT_ID,
      servicer_id: 'e5c11467-2b9d-4f6a-a0c3-52a6492054d8',
      servicer_name: 'XYZ Bank',
      timestamp: '2025-03-01T10:14:52Z',
    },
  ];
}

export function exampleBalances(): In<typeof finqwareBalancesSchema> {
  return [
    {
      account_id: EXAMPLE_ACCOUNT_ID,
      data: {
        amount: '210.23',
        credit_debit_indicator: 'credit',
        credit_limit_included: false,
        credit_line: null,
        currency: 'RON',
        native_date: '2025-02-28',
        native_timestamp: null,
        type: 'ClosingBooked',
      },
      id: '6aac5b32-1d7e-4b8a-9c2f-8f8c5f6c653d',
      // As documented: no offset here.
      timestamp: '2025-03-01T07:31:51.689168',
    },
    {
      account_id: EXAMPLE_ACCOUNT_ID,
      data: {
        amount: '15.70',
        credit_debit_indicator: 'debit',
        credit_limit_included: true,
        credit_line: null,
        currency: 'RON',
        native_date: '2025-03-01',
        native_timestamp: '2025-03-01T09:00:00Z',
        type: 'InterimAvailable',
      },
      id: '7bbd6c43-2e8f-4c9b-8d30-9a9d6a7d7640',
      timestamp: '2025-03-01T07:31:51.689168',
    },
  ];
}

export function exampleTransactions(): In<typeof finqwareTransactionsSchema> {
  return [
    {
      account_id: EXAMPLE_ACCOUNT_ID,
      timestamp: '2025-03-01T13:14:52Z',
      id: '99459ac2-a7b3-11e9-b37d-bfb2bf7bff33',
      // As documented: base64 of 32 bytes, `+`, `/` and `=` included.
      utx_id: 'Jd+ErYeFaUOWzU37k9y1+fHz/+4v/YwQ/fq8A4jbSjc=',
      data: {
        amount: '4.27',
        balance: '9434.52',
        booking_date_time: '2025-02-27T07:57:00Z',
        credit_debit_indicator: 'debit',
        currency: 'RON',
        info: 'Currency payment or withdrawal',
        status: 'booked',
        details: null,
        exchange_rate: null,
      },
    },
    {
      account_id: EXAMPLE_ACCOUNT_ID,
      timestamp: '2025-03-01T13:14:52Z',
      id: '3f0c2d1e-7b6a-4e58-9d4c-2a1b0c9d8e7f',
      utx_id: 'q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8L9z0X1c=',
      data: {
        amount: '1250.00',
        // [ours] Not booked yet: no balance after it.
        balance: null,
        booking_date_time: '2025-03-01T09:30:00Z',
        credit_debit_indicator: 'credit',
        currency: 'RON',
        info: 'Incoming transfer',
        status: 'pending',
        details: null,
        exchange_rate: null,
      },
    },
  ];
}
