import { z } from 'zod';
import { bridgeError } from './errors';
import { readJsonBody } from './http';
import type { Route } from './router';

// Bridge: external_user_id is [A-Za-z0-9-_]{1,128}.
export const externalUserIdSchema = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9_-]{1,128}$/, { error: 'must be 1 to 128 letters, digits, "-" or "_"' });

// Strict: a misspelt field in our client should fail loudly here rather than create a user without its reference.
const createUserSchema = z.strictObject({ external_user_id: externalUserIdSchema.nullish() });

export const userRoutes: Route[] = [
  {
    method: 'POST',
    path: /^\/v3\/aggregation\/users$/,
    async handle({ request, state }) {
      const body = await readJsonBody(request, createUserSchema);
      if (body instanceof Response) return body;
      const user = state.createUser(body.external_user_id ?? null);
      if (!user) return bridgeError('user_already_exists', 'A user with this external_user_id already exists.');
      return Response.json(user, { status: 201 });
    },
  },
  {
    method: 'GET',
    path: /^\/v3\/aggregation\/users$/,
    // Everything fits on one page in the sandbox.
    handle: ({ state }) => Response.json({ resources: state.listUsers(), pagination: { next_uri: null } }),
  },
  {
    method: 'GET',
    path: /^\/v3\/aggregation\/users\/([^/]+)$/,
    handle({ params, state }) {
      const user = state.findUser(params[0] ?? '');
      return user ? Response.json(user) : bridgeError('user_not_found', 'No user with this uuid.');
    },
  },
  {
    method: 'DELETE',
    path: /^\/v3\/aggregation\/users\/([^/]+)$/,
    handle({ params, state }) {
      return state.deleteUser(params[0] ?? '') ? new Response(null, { status: 204 }) : bridgeError('user_not_found', 'No user with this uuid.');
    },
  },
];
