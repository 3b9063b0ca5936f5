import type { z } from 'zod';
import { finqwareBalancesFilterSchema, finqwareTransactionsFilterSchema, PATHS } from '@guidepost/provider-contracts/finqware';
import { accountsOf, balancesOf } from './accounts';
import { jsonRoute } from './api';
import { DATA_SKILLS } from './catalog';
import { authorizeCredentials } from './consents';
import { checkTenantKeys, sameSecret } from './credentials';
import { finqwareError } from './errors';
import { routePattern, type Route, type RouteContext } from './router';
import type { ConsentCredentials, FinqwareState } from './state';
import { transactionsOf } from './transactions';

// Finqware's data calls [doc]: every one a POST of the same body (the tenant's keys, the consent's
// credentials_id and access_token, the end user), plus an optional `filter`, answered for an active
// account-information consent only.

const DATA_FIELDS = {
  client_id: 'string',
  client_secret: 'string',
  credentials_id: 'string',
  access_token: 'string',
  tenant_user_id: 'string',
  filter: 'object?',
} as const;

type Read = (consent: ConsentCredentials, state: FinqwareState, filter: Record<string, unknown> | undefined) => unknown;

function dataRoute(path: string, read: Read): Route {
  return jsonRoute(routePattern(path), DATA_FIELDS, (body, { state, credentials }: RouteContext) => {
    const refused = checkTenantKeys(body, credentials);
    if (refused) return refused;
    const entry = authorizeCredentials(state, body);
    if (entry instanceof Response) return entry;
    if (!sameSecret(body.tenant_user_id, entry.tenantUserId))
      return finqwareError('invalid_field', 'tenant_user_id is not the user these credentials belong to.');
    if (!DATA_SKILLS.has(entry.skill)) return finqwareError('invalid_credentials_id', 'These credentials grant no access to account data.');
    if (state.consentStatus(entry) !== 'ACTIVE')
      return finqwareError('expired_credentials', 'The consent behind these credentials was deleted or has expired.');
    const answer = read(entry, state, body.filter);
    return answer instanceof Response ? answer : Response.json(answer);
  });
}

/** A call's `filter` checked against its schema: [ours] a criterion it does not know is refused, not ignored. */
function parseFilter<T>(schema: z.ZodType<T>, filter: Record<string, unknown> | undefined): T | Response {
  const parsed = schema.safeParse(filter ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') return finqwareError('unknown_fields', `Unknown filter criteria: ${issue.keys.join(', ')}.`);
  return finqwareError('invalid_field', `filter.${issue?.path.join('.') ?? ''} is not valid.`);
}

const readBalances: Read = (consent, state, raw) => {
  const filter = parseFilter(finqwareBalancesFilterSchema, raw);
  return filter instanceof Response ? filter : balancesOf(consent.tenantUserId, state.now(), filter);
};

const readTransactions: Read = (consent, state, raw) => {
  const filter = parseFilter(finqwareTransactionsFilterSchema, raw);
  return filter instanceof Response ? filter : transactionsOf(consent, (accountId) => state.arrivalsOf(accountId), filter);
};

/**
 * `POST /accounts/get`, `/balances/get` and `/transactions/get` for an active account-information consent.
 * [ours] accounts/get documents no filter: one given is accepted and ignored. No pagination is documented:
 * transactions/get answers every transaction that passes the filter at once.
 */
export const dataRoutes: readonly Route[] = [
  dataRoute(PATHS.accountsGet, (consent, state) => accountsOf(consent.tenantUserId, state.now())),
  dataRoute(PATHS.balancesGet, readBalances),
  dataRoute(PATHS.transactionsGet, readTransactions),
];
