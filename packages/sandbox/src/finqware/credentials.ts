import { createHash, timingSafeEqual } from 'node:crypto';
import { finqwareError } from './errors';

/** The tenant's API keys; Finqware carries them in the body, not in headers. */
export interface TenantCredentials {
  clientId: string;
  clientAppKey: string;
  clientSecret: string;
}

// Hashing first gives equal-length inputs, so the comparison leaks neither content nor length.
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Checks the keys a body carries (client_app_key and client_secret only where given); null when they match. */
export function checkTenantKeys(
  given: { client_id: string; client_app_key?: string | undefined; client_secret?: string | undefined },
  expected: TenantCredentials,
): Response | null {
  if (!sameSecret(given.client_id, expected.clientId)) return finqwareError('invalid_client_id', 'client_id does not identify a tenant application.');
  if (given.client_app_key !== undefined && !sameSecret(given.client_app_key, expected.clientAppKey)) {
    return finqwareError('invalid_client_app_key', 'client_app_key is not valid for this client_id.');
  }
  if (given.client_secret !== undefined && !sameSecret(given.client_secret, expected.clientSecret)) {
    return finqwareError('invalid_client_secret', 'client_secret is not valid for this client_id.');
  }
  return null;
}

/** The control API's X-Client-Id and X-Client-Secret headers (Finqware itself has no header credentials). */
export function checkControlHeaders(request: Request, expected: TenantCredentials): Response | null {
  const clientId = request.headers.get('x-client-id');
  const clientSecret = request.headers.get('x-client-secret');
  // Both compared every time, so a wrong id and a wrong secret take the same path.
  const idOk = sameSecret(clientId ?? '', expected.clientId);
  const secretOk = sameSecret(clientSecret ?? '', expected.clientSecret);
  if (clientId === null || !idOk) return finqwareError('invalid_client_id', 'The X-Client-Id header is missing or unknown.');
  if (clientSecret === null || !secretOk) return finqwareError('invalid_client_secret', 'The X-Client-Secret header is missing or wrong.');
  return null;
}
