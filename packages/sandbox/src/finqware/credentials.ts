import { checkHeaderPair, sameSecret } from '../kit/credentials';
import { finqwareError } from './errors';

export { sameSecret } from '../kit/credentials';

/** The tenant's API keys; Finqware carries them in the body, not in headers. */
export interface TenantCredentials {
  clientId: string;
  clientAppKey: string;
  clientSecret: string;
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
  const { idOk, secretOk } = checkHeaderPair(request, { id: 'x-client-id', secret: 'x-client-secret' }, expected);
  if (!idOk) return finqwareError('invalid_client_id', 'The X-Client-Id header is missing or unknown.');
  if (!secretOk) return finqwareError('invalid_client_secret', 'The X-Client-Secret header is missing or wrong.');
  return null;
}
