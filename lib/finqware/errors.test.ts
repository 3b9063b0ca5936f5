import { describe, expect, it } from 'vitest';
import { NONCE_ERRORS } from '@guidepost/provider-contracts/finqware';
import { FinqwareError, finqwareErrorCodeForStatus, finqwareErrorMessage, isFinqwareError, parseFinqwareError, type FinqwareErrorCode } from './errors';

const CODES: FinqwareErrorCode[] = [
  'invalid_request',
  'unauthorized',
  'nonce_invalid',
  'nonce_expired',
  'not_found',
  'rate_limited',
  'unavailable',
  'timeout',
  'network',
  'invalid_response',
  'upstream',
  'unknown',
];

const ERROR_ID = '2f1c0b9e-6d0a-4f6e-9a55-0c1e9f3b7a10';
const full = (http: number, type: string, code: string, message = 'technical message') => JSON.stringify({ id: ERROR_ID, type, http, code, message });

describe('parseFinqwareError', () => {
  it('reads the full shape and keeps Finqware’s id, type and code for support', () => {
    const error = parseFinqwareError(400, full(400, 'invalid_request', 'invalid_step', 'Step "selfie" is not valid for skill xyz'));
    expect(error).toBeInstanceOf(FinqwareError);
    expect(error).toMatchObject({
      name: 'FinqwareError',
      provider: 'finqware',
      code: 'invalid_request',
      status: 400,
      finqwareCode: 'invalid_step',
      type: 'invalid_request',
      id: ERROR_ID,
    });
    expect(error.message).toBe('Finqware call failed: invalid_request (HTTP 400, invalid_step)');
  });

  it('reads the bare { message } shape by its status', () => {
    const error = parseFinqwareError(400, JSON.stringify({ message: 'data.iban is required for jane.doe@example.com' }));
    expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
    expect(error.finqwareCode).toBeUndefined();
    expect(error.id).toBeUndefined();
    expect(error.message).not.toContain('jane.doe');
  });

  it('reads a non-JSON or odd body as its status alone', () => {
    for (const [status, body, code] of [
      [502, '<html>Bad gateway</html>', 'unavailable'],
      [500, '', 'unavailable'],
      [404, 'Not Found', 'not_found'],
      [401, '["x"]', 'unauthorized'],
      [429, 'null', 'rate_limited'],
      [418, '{"code": 42}', 'unknown'],
    ] as const) {
      const error = parseFinqwareError(status, body);
      expect(error).toMatchObject({ code, status });
      expect(error.finqwareCode).toBeUndefined();
    }
  });

  it('keeps the readable fields of a body with one odd field', () => {
    expect(parseFinqwareError(401, JSON.stringify({ id: 7, type: 'unauthorized', code: NONCE_ERRORS.expired }))).toMatchObject({
      code: 'nonce_expired',
      type: 'unauthorized',
    });
  });

  it('maps Finqware’s codes to ours', () => {
    const cases: Array<[number, string, string, FinqwareErrorCode]> = [
      [401, 'unauthorized', NONCE_ERRORS.invalid, 'nonce_invalid'],
      [401, 'unauthorized', NONCE_ERRORS.expired, 'nonce_expired'],
      [401, 'unauthorized', 'invalid_temp_token', 'unauthorized'],
      [401, 'unauthorized', 'invalid_access_token', 'unauthorized'],
      [401, 'unauthorized', 'invalid_credentials_id', 'unauthorized'],
      [401, 'unauthorized', 'expired_credentials', 'unauthorized'],
      [401, 'unauthorized', 'invalid_signature', 'unauthorized'],
      [401, 'unauthorized', 'invalid_client_id', 'unauthorized'],
      [401, 'unauthorized', 'invalid_client_secret', 'unauthorized'],
      [400, 'invalid_request', 'invalid_client_app_key', 'unauthorized'],
      [404, 'invalid_request', 'invalid_session_id', 'not_found'],
      [400, 'invalid_request', 'invalid_session_id', 'not_found'],
      [400, 'invalid_request', 'missing_fields', 'invalid_request'],
      [400, 'invalid_request', 'unknown_fields', 'invalid_request'],
      [400, 'invalid_request', 'invalid_field', 'invalid_request'],
      [400, 'invalid_request', 'invalid_skill_name', 'invalid_request'],
      [400, 'external_api_error', 'external_api_error', 'upstream'],
      [400, 'external_api_error', 'bank_said_no', 'upstream'],
      [429, 'external_api_error', 'external_api_too_many_requests', 'rate_limited'],
      [400, 'external_api_error', 'external_api_too_many_requests', 'rate_limited'],
      [500, 'internal_error', 'internal_error', 'unavailable'],
      [503, 'internal_error', 'something_new', 'unavailable'],
      [401, 'unauthorized', 'something_new', 'unauthorized'],
      [400, 'invalid_request', 'something_new', 'invalid_request'],
    ];
    for (const [status, type, code, expected] of cases) {
      expect(parseFinqwareError(status, full(status, type, code)).code, code).toBe(expected);
    }
  });

  it('keeps secrets, tokens, nonces and personal data out of the error', () => {
    const leaky = 'nonce=MDAxNmxvY2F0 temp_token=tt-123 client_secret=shh IBAN FR7630006000011234567890189';
    const errors = [
      parseFinqwareError(401, JSON.stringify({ id: ERROR_ID, type: 'unauthorized', http: 401, code: 'invalid_nonce', message: leaky })),
      parseFinqwareError(400, JSON.stringify({ message: leaky })),
      parseFinqwareError(500, leaky),
      // Fields that are not identifiers are dropped rather than carried into logs.
      parseFinqwareError(400, JSON.stringify({ id: leaky, type: leaky, code: leaky, message: leaky })),
    ];
    for (const error of errors) {
      const visible = `${error.message} ${JSON.stringify({ ...error })} ${String(error)}`;
      for (const secret of ['MDAxNmxvY2F0', 'tt-123', 'shh', 'FR7630006000011234567890189']) expect(visible).not.toContain(secret);
    }
    expect(errors[3]).toMatchObject({ code: 'invalid_request' });
    expect(errors[3]!.id).toBeUndefined();
  });
});

describe('parseFinqwareError at a call that spends a nonce', () => {
  const spends = { spendsNonce: true };

  it('reads a 4xx without a code as a nonce problem, since Finqware documents no code for one', () => {
    for (const [status, body] of [
      [400, JSON.stringify({ message: 'nonce is not valid any more' })],
      [401, JSON.stringify({ message: 'expired' })],
      [401, JSON.stringify({ type: 'unauthorized', message: 'expired' })],
      [400, ''],
      [403, '<html>Forbidden</html>'],
      [400, JSON.stringify({ code: 'not an identifier!', message: 'x' })],
    ] as const) {
      expect(parseFinqwareError(status, body, spends), body).toMatchObject({ code: 'nonce_invalid', status });
    }
  });

  it('keeps a documented code’s meaning: a 400 invalid_field is still “not accepted”', () => {
    expect(parseFinqwareError(400, full(400, 'invalid_request', 'invalid_field'), spends).code).toBe('invalid_request');
    expect(parseFinqwareError(400, full(400, 'invalid_request', 'missing_fields'), spends).code).toBe('invalid_request');
    expect(parseFinqwareError(401, full(401, 'unauthorized', NONCE_ERRORS.expired), spends).code).toBe('nonce_expired');
    expect(parseFinqwareError(401, full(401, 'unauthorized', 'invalid_client_id'), spends).code).toBe('unauthorized');
    expect(parseFinqwareError(400, full(400, 'invalid_request', 'something_new'), spends).code).toBe('invalid_request');
  });

  it('leaves unknown sessions, rate limits, too-large bodies, the bank’s errors and Finqware’s own failures alone', () => {
    expect(parseFinqwareError(429, '', spends).code).toBe('rate_limited');
    // An unknown session has its own sentence ("could not find this session"), also with a restart.
    expect(parseFinqwareError(404, JSON.stringify({ message: 'no such session' }), spends).code).toBe('not_found');
    expect(parseFinqwareError(408, '', spends).code).toBe('unknown');
    expect(parseFinqwareError(413, '', spends).code).toBe('invalid_request');
    expect(parseFinqwareError(400, JSON.stringify({ type: 'external_api_error', message: 'bank' }), spends).code).toBe('upstream');
    expect(parseFinqwareError(500, JSON.stringify({ message: 'oops' }), spends).code).toBe('unavailable');
  });

  it('reads the same bare answer elsewhere by its status', () => {
    expect(parseFinqwareError(400, JSON.stringify({ message: 'x' })).code).toBe('invalid_request');
    expect(parseFinqwareError(400, JSON.stringify({ message: 'x' }), { spendsNonce: false }).code).toBe('invalid_request');
  });
});

describe('FinqwareError', () => {
  it('names its provider code and support id as every provider error does, without repeating them in its fields', () => {
    const error = parseFinqwareError(401, full(401, 'unauthorized', 'invalid_temp_token'));
    expect(error).toMatchObject({ provider: 'finqware', status: 401, code: 'unauthorized', providerCode: 'invalid_temp_token', supportId: ERROR_ID });
    expect(Object.keys(error)).not.toContain('supportId');
    expect(new FinqwareError('timeout').supportId).toBeUndefined();
  });

  it('is recognised by code', () => {
    const error = new FinqwareError('nonce_expired', { status: 401 });
    expect(isFinqwareError(error)).toBe(true);
    expect(isFinqwareError(error, 'nonce_expired')).toBe(true);
    expect(isFinqwareError(error, 'nonce_invalid')).toBe(false);
    expect(isFinqwareError(new Error('x'))).toBe(false);
  });

  it('has one plain sentence of our own for users per code', () => {
    for (const code of CODES) {
      const message = finqwareErrorMessage(code);
      expect(message).toMatch(/^[A-Z][^{}]+\.$/);
      expect(message).not.toMatch(/nonce|token|_/i);
    }
    expect(new Set(CODES.map((code) => finqwareErrorMessage(code))).size).toBe(CODES.length);
  });

  it('says it in French to a French user', () => {
    expect(finqwareErrorMessage('unavailable', 'fr')).toBe('Finqware ne répond pas pour le moment. Réessayez dans quelques minutes.');
    expect(finqwareErrorMessage('unavailable', 'en')).toBe('Finqware is not answering right now. Please try again in a few minutes.');
    for (const code of CODES) expect(finqwareErrorMessage(code, 'fr')).not.toBe(finqwareErrorMessage(code, 'en'));
  });

  it('maps bare statuses to codes', () => {
    expect([400, 401, 403, 404, 405, 422, 429, 500, 503, 302, 418].map(finqwareErrorCodeForStatus)).toEqual([
      'invalid_request',
      'unauthorized',
      'unauthorized',
      'not_found',
      'invalid_request',
      'invalid_request',
      'rate_limited',
      'unavailable',
      'unavailable',
      'unknown',
      'unknown',
    ]);
  });
});
