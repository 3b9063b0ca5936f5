import { PATHS } from '@guidepost/provider-contracts/finqware';
import { jsonRoute } from './api';
import { checkTenantKeys, sameSecret } from './credentials';
import { finqwareError } from './errors';
import { routePattern, type Route } from './router';
import type { ConsentCredentials, FinqwareState } from './state';

export type ConsentStatus = 'ACTIVE' | 'REVOKED' | 'EXPIRED';

export function consentStatus(entry: ConsentCredentials, now: number): ConsentStatus {
  if (entry.revoked) return 'REVOKED';
  return now >= entry.consentExp ? 'EXPIRED' : 'ACTIVE';
}

/** The consent a credentials_id and access_token pair names; a refusal when either does not fit. */
export function authorizeCredentials(state: FinqwareState, body: { credentials_id: string; access_token: string }): ConsentCredentials | Response {
  const entry = state.findCredentials(body.credentials_id);
  if (!entry) return finqwareError('invalid_credentials_id', 'No credentials with this credentials_id.');
  if (!sameSecret(body.access_token, entry.accessToken)) return finqwareError('invalid_access_token', 'The access_token does not belong to these credentials.');
  return entry;
}

const CONSENT_FIELDS = { client_id: 'string', client_secret: 'string', credentials_id: 'string', access_token: 'string' } as const;

// [ours] consents/get reports an expired or revoked consent in `status` (200); the data endpoints refuse
// both with 401 expired_credentials. Deleting is idempotent, whatever the status.
export const consentRoutes: readonly Route[] = [
  jsonRoute(routePattern(PATHS.consentsGet), CONSENT_FIELDS, (body, { state, credentials }) => {
    const refused = checkTenantKeys(body, credentials);
    if (refused) return refused;
    const entry = authorizeCredentials(state, body);
    if (entry instanceof Response) return entry;
    return Response.json({
      credentials_id: entry.credentialsId,
      skill: entry.skill,
      status: consentStatus(entry, state.now()),
      consent_exp: new Date(entry.consentExp).toISOString(),
    });
  }),
  jsonRoute(routePattern(PATHS.consentsDelete), { ...CONSENT_FIELDS, pcd_data_retention: 'minutes?' }, (body, { state, credentials }) => {
    const refused = checkTenantKeys(body, credentials);
    if (refused) return refused;
    const entry = authorizeCredentials(state, body);
    if (entry instanceof Response) return entry;
    entry.revoked = true;
    return Response.json({ credentials_id: entry.credentialsId, status: 'REVOKED' });
  }),
];
