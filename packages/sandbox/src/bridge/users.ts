import { BRIDGE_ENDPOINTS, bridgeCreateUserRequestSchema, bridgePathPattern } from '@guidepost/provider-contracts/bridge';
import { bridgeError } from './errors';
import { readApiJsonBody } from './http';
import type { Route } from './router';

const { createUser, listUsers, getUser, deleteUser } = BRIDGE_ENDPOINTS;

export const userRoutes: Route[] = [
  {
    method: createUser.method,
    path: bridgePathPattern(createUser),
    async handle({ request, state }) {
      const body = await readApiJsonBody(request, bridgeCreateUserRequestSchema);
      if (body instanceof Response) return body;
      const user = state.createUser(body.external_user_id ?? null);
      if (!user) return bridgeError('user_already_exists', 'A user with this external_user_id already exists.');
      return Response.json(user, { status: createUser.success.status });
    },
  },
  {
    method: listUsers.method,
    path: bridgePathPattern(listUsers),
    // Everything fits on one page in the sandbox.
    handle: ({ state }) => Response.json({ resources: state.listUsers(), pagination: { next_uri: null } }),
  },
  {
    method: getUser.method,
    path: bridgePathPattern(getUser),
    handle({ params, state }) {
      const user = state.findUser(params[0] ?? '');
      return user ? Response.json(user) : bridgeError('user_not_found', 'No user with this uuid.');
    },
  },
  {
    method: deleteUser.method,
    path: bridgePathPattern(deleteUser),
    handle({ params, state }) {
      return state.deleteUser(params[0] ?? '')
        ? new Response(null, { status: deleteUser.success.status })
        : bridgeError('user_not_found', 'No user with this uuid.');
    },
  },
];
