import { BRIDGE_ENDPOINTS, bridgePathPattern, bridgeTokenRequestSchema } from '@guidepost/provider-contracts/bridge';
import { bridgeError } from './errors';
import { readApiJsonBody } from './http';
import type { Route } from './router';

const { issueToken } = BRIDGE_ENDPOINTS;

export const authorizationRoutes: Route[] = [
  {
    method: issueToken.method,
    path: bridgePathPattern(issueToken),
    async handle({ request, state }) {
      const body = await readApiJsonBody(request, bridgeTokenRequestSchema);
      if (body instanceof Response) return body;
      const user = body.user_uuid !== undefined ? state.findUser(body.user_uuid) : state.findUserByExternalId(body.external_user_id ?? '');
      // [seen] 404 for an unknown user: the client takes it as "Bridge no longer has this user".
      if (!user) return bridgeError('user_not_found', 'No such user.');
      const { accessToken, expiresAt } = state.issueToken(user.uuid);
      return Response.json({ access_token: accessToken, expires_at: new Date(expiresAt).toISOString(), user }, { status: issueToken.success.status });
    },
  },
];
