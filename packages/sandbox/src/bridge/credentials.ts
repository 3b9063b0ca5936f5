import { checkHeaderPair, type ClientCredentials } from '../kit/credentials';
import { bridgeError } from './errors';

export { sameSecret, type ClientCredentials } from '../kit/credentials';

const BRIDGE_VERSION = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(value: string): boolean {
  const match = BRIDGE_VERSION.exec(value);
  if (!match) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** The app's Client-Id and Client-Secret headers alone (the sandbox's control API asks for no version); null when they match. */
export function checkClientCredentials(request: Request, expected: ClientCredentials): Response | null {
  const { idOk, secretOk } = checkHeaderPair(request, { id: 'client-id', secret: 'client-secret' }, expected);
  if (!idOk || !secretOk) {
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
