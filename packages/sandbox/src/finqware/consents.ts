import type { z } from 'zod';
import { PATHS, type finqwareConsentDeletedSchema, type finqwareConsentGetSchema, type FinqwareConsentInfoWire } from '@guidepost/provider-contracts/finqware';
import { jsonRoute } from './api';
import { SERVICER } from './catalog';
import { checkTenantKeys, sameSecret, type TenantCredentials } from './credentials';
import { finqwareError } from './errors';
import { routePattern, type Route } from './router';
import type { ConsentCredentials, FinqwareState } from './state';

/** [ours] The tenant app's name as consents report it (Finqware shows the name the tenant registered). */
export const TENANT_APP_NAME = 'Guidepost (sandbox tenant)';

/** The consent a credentials_id and access_token pair names; a refusal when either does not fit. */
export function authorizeCredentials(state: FinqwareState, body: { credentials_id: string; access_token: string }): ConsentCredentials | Response {
  const entry = state.findCredentials(body.credentials_id);
  if (!entry) return finqwareError('invalid_credentials_id', 'No credentials with this credentials_id.');
  if (!sameSecret(body.access_token, entry.accessToken)) return finqwareError('invalid_access_token', 'The access_token does not belong to these credentials.');
  return entry;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The documented description of a consent, the `result` of consents/get and consents/delete. */
function consentInfo(state: FinqwareState, entry: ConsentCredentials, credentials: TenantCredentials): FinqwareConsentInfoWire {
  return {
    credentials_id: entry.credentialsId,
    originator: { country: SERVICER.country, servicer: SERVICER.name, skill: entry.skill },
    status: state.consentStatus(entry),
    tenant_app_info: { client_id: credentials.clientId, name: TENANT_APP_NAME },
    utc_created: iso(entry.createdAt),
    utc_last_update: iso(entry.updatedAt),
    consent_exp: iso(entry.consentExp),
    max_data_retention: iso(entry.maxDataRetention),
  };
}

const CONSENT_FIELDS = { client_id: 'string', client_secret: 'string', credentials_id: 'string', access_token: 'string' } as const;

// consents/get reports an expired or deleted consent in `status` (200) [doc]; [ours] the data endpoints
// refuse both with 401 expired_credentials. Deleting is idempotent [doc]: a second delete answers the
// same, still DELETED. [ours] pcd_data_retention is checked and otherwise ignored: the sandbox keeps no data.
export const consentRoutes: readonly Route[] = [
  jsonRoute(routePattern(PATHS.consentsGet), CONSENT_FIELDS, (body, { state, credentials }) => {
    const refused = checkTenantKeys(body, credentials);
    if (refused) return refused;
    const entry = authorizeCredentials(state, body);
    if (entry instanceof Response) return entry;
    const answer: z.input<typeof finqwareConsentGetSchema> = {
      op_type: 'read',
      code: 'credentials_info',
      http: 200,
      message: 'Consent info retrieved',
      result: consentInfo(state, entry, credentials),
    };
    return Response.json(answer);
  }),
  jsonRoute(routePattern(PATHS.consentsDelete), { ...CONSENT_FIELDS, pcd_data_retention: 'minutes?' }, (body, { state, credentials }) => {
    const refused = checkTenantKeys(body, credentials);
    if (refused) return refused;
    const entry = authorizeCredentials(state, body);
    if (entry instanceof Response) return entry;
    state.deleteConsent(entry);
    const answer: z.input<typeof finqwareConsentDeletedSchema> = {
      code: 'credentials_deleted',
      http: 200,
      message: 'Consent deleted',
      op_type: 'delete',
      result: { ...consentInfo(state, entry, credentials), status: 'DELETED' },
    };
    return Response.json(answer);
  }),
];
