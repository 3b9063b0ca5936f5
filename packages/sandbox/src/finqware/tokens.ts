import { PATHS } from '@guidepost/provider-contracts/finqware';
import { jsonRoute } from './api';
import { checkTenantKeys } from './credentials';
import { finqwareError } from './errors';
import { routePattern, type Route } from './router';

/** `POST /tokens`: a completed session's temp_token, once, for a credentials_id and access_token (server-side). */
export const tokenRoutes: readonly Route[] = [
  jsonRoute(routePattern(PATHS.tokens), { client_id: 'string', client_secret: 'string', temp_token: 'string' }, (body, { state, credentials }) => {
    const refused = checkTenantKeys(body, credentials);
    if (refused) return refused;
    const grant = state.redeemTempToken(body.temp_token);
    if (!grant) return finqwareError('invalid_temp_token', 'The temp_token is unknown or was already exchanged.');
    const issued = state.createCredentials(grant);
    return Response.json({
      credentials_id: issued.credentialsId,
      access_token: issued.accessToken,
      consent_exp: new Date(issued.consentExp).toISOString(),
      max_data_retention: new Date(issued.maxDataRetention).toISOString(),
    });
  }),
];
