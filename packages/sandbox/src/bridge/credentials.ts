import { createHash, timingSafeEqual } from 'node:crypto';
import { bridgeError } from './errors';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

// Hashing first gives equal-length inputs, so the comparison leaks neither content nor length.
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

const BRIDGE_VERSION = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(value: string): boolean {
  const match = BRIDGE_VERSION.exec(value);
  if (!match) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** The app's Client-Id and Client-Secret headers alone (the sandbox's control API asks for no version); null when they match. */
export function checkClientCredentials(request: Request, expected: ClientCredentials): Response | null {
  const clientId = request.headers.get('client-id');
  const clientSecret = request.headers.get('client-secret');
  // Both compared every time, so a wrong id and a wrong secret take the same path.
  const idOk = sameSecret(clientId ?? '', expected.clientId);
  const secretOk = sameSecret(clientSecret ?? '', expected.clientSecret);
  if (clientId === null || clientSecret === null || !idOk || !secretOk) {
    return bridgeError('invalid_client_credentials', 'The Client-Id and Client-Secret headers are missing or do not match an application.');
  }
  return null;
}

/** Every Bridge call carries the app's credentials and an API version; null when this one does. */
export function checkAppHeaders(request: Request, expected: ClientCredentials): Response | null {
  const refused = checkClientCredentials(request, expected);
  if (refused) return refused;
  const version = request.headers.get('bridge-version');
  if (version === null || version.trim() === '') {
    return bridgeError('missing_bridge_version', 'The Bridge-Version header is required (e.g. 2025-01-15).');
  }
  if (!isCalendarDate(version.trim())) {
    return bridgeError('invalid_bridge_version', 'The Bridge-Version header must be a date like 2025-01-15.');
  }
  return null;
}
