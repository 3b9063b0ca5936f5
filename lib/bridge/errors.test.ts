import { describe, expect, it } from 'vitest';
import { BridgeError, bridgeErrorCodeForStatus, bridgeErrorMessage, isBridgeError, type BridgeErrorCode } from './errors';

const CODES: BridgeErrorCode[] = [
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'invalid_request',
  'rate_limited',
  'unavailable',
  'timeout',
  'network',
  'invalid_response',
  'unknown',
];

describe('BridgeError', () => {
  it('carries provider, code, status and a type that looks like an identifier', () => {
    const error = new BridgeError('not_found', { status: 404, type: 'user_not_found' });
    expect(error).toMatchObject({ name: 'BridgeError', provider: 'bridge', code: 'not_found', status: 404, type: 'user_not_found' });
    expect(error.message).toBe('Bridge call failed: not_found (HTTP 404, user_not_found)');
    expect(new BridgeError('invalid_request', { status: 400, type: 'Bearer abc.def ghi' }).type).toBeUndefined();
    expect(isBridgeError(error)).toBe(true);
    expect(isBridgeError(error, 'not_found')).toBe(true);
    expect(isBridgeError(error, 'conflict')).toBe(false);
    expect(isBridgeError(new Error('x'))).toBe(false);
  });

  it('names Bridge’s type as its provider code, as every provider error does', () => {
    const error = new BridgeError('unauthorized', { status: 401, type: 'user_not_found' });
    expect(error.providerCode).toBe('user_not_found');
    expect(Object.keys(error)).not.toContain('providerCode');
    expect(new BridgeError('network').providerCode).toBeUndefined();
  });

  it('has one plain sentence for users per code', () => {
    for (const code of CODES) expect(bridgeErrorMessage(code)).toMatch(/^[A-Z][^{}]+\.$/);
    expect(bridgeErrorMessage('forbidden')).toBe("Bridge refused this server's address. Please contact support.");
    expect(bridgeErrorMessage('rate_limited')).toBe('Bridge is busy. Please try again in a minute.');
  });

  it('says it in French for a French reader', () => {
    for (const code of CODES) expect(bridgeErrorMessage(code, 'fr')).not.toBe(bridgeErrorMessage(code, 'en'));
    expect(bridgeErrorMessage('unavailable', 'fr')).toBe('Bridge ne répond pas pour le moment. Veuillez réessayer dans quelques minutes.');
  });

  it('maps statuses to codes', () => {
    expect([400, 401, 403, 404, 409, 415, 422, 429, 500, 503, 418].map(bridgeErrorCodeForStatus)).toEqual([
      'invalid_request',
      'unauthorized',
      'forbidden',
      'not_found',
      'conflict',
      'invalid_request',
      'invalid_request',
      'rate_limited',
      'unavailable',
      'unavailable',
      'unknown',
    ]);
  });
});
