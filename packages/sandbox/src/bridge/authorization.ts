import { z } from 'zod';
import { bridgeError } from './errors';
import { readJsonBody } from './http';
import type { Route } from './router';
import { externalUserIdSchema } from './users';

// Exactly one way to name the user; checked after the fields so a bad value is named precisely.
const tokenRequestSchema = z
  .strictObject({ user_uuid: z.uuid({ error: 'must be a UUID' }).optional(), external_user_id: externalUserIdSchema.optional() })
  .refine((body) => (body.user_uuid === undefined) !== (body.external_user_id === undefined), {
    error: 'give exactly one of user_uuid or external_user_id',
  });

export const authorizationRoutes: Route[] = [
  {
    method: 'POST',
    path: /^\/v3\/aggregation\/authorization\/token$/,
    async handle({ request, state }) {
      const body = await readJsonBody(request, tokenRequestSchema);
      if (body instanceof Response) return body;
      const user = body.user_uuid !== undefined ? state.findUser(body.user_uuid) : state.findUserByExternalId(body.external_user_id ?? '');
      if (!user) return bridgeError('user_not_found', 'No such user.');
      const { accessToken, expiresAt } = state.issueToken(user.uuid);
      return Response.json({ access_token: accessToken, expires_at: new Date(expiresAt).toISOString(), user });
    },
  },
];
