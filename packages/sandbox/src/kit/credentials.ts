import { createHash, timingSafeEqual } from 'node:crypto';

// Hashing first gives equal-length inputs, so the comparison leaks neither content nor length.
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The app's id and secret, as the control API checks them (both simulators' control APIs take them in headers). */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * Which of an id header and a secret header match the expected credentials (a missing header does not).
 * Both are compared every time, so a wrong id and a wrong secret take the same path; the provider decides how to refuse.
 */
export function checkHeaderPair(request: Request, names: { id: string; secret: string }, expected: ClientCredentials): { idOk: boolean; secretOk: boolean } {
  const id = request.headers.get(names.id);
  const secret = request.headers.get(names.secret);
  const idOk = sameSecret(id ?? '', expected.clientId) && id !== null;
  const secretOk = sameSecret(secret ?? '', expected.clientSecret) && secret !== null;
  return { idOk, secretOk };
}
