import { createHash } from 'node:crypto';
import { PATHS } from '@guidepost/provider-contracts/finqware';
import { jsonRoute } from './api';
import { DATA_SKILLS } from './catalog';
import { authorizeCredentials, consentStatus } from './consents';
import { checkTenantKeys, sameSecret } from './credentials';
import { finqwareError } from './errors';
import { routePattern, type Route, type RouteContext } from './router';

export interface SandboxAccount {
  account_id: string;
  iban: string;
  name: string;
  currency: string;
}

export interface SandboxBalance {
  account_id: string;
  amount: string;
  currency: string;
  type: 'closingBooked';
}

const ACCOUNT_TEMPLATES = [
  { name: 'Current account', currency: 'RON' },
  { name: 'Savings account', currency: 'EUR' },
] as const;

function digestOf(...parts: string[]): Buffer {
  return createHash('sha256').update(parts.join('\u0000')).digest();
}

/** ISO 13616 check digits: the BBAN then the country and "00", letters as 10..35, mod 97. */
function ibanCheckDigits(country: string, bban: string): string {
  const numeric = [...`${bban}${country}00`].map((char) => (/[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char)).join('');
  let remainder = 0;
  for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
  return String(98 - remainder).padStart(2, '0');
}

/** The same accounts for the same user every time, across consents: a Romanian sandbox bank (XYZB). */
export function accountsOf(tenantUserId: string): SandboxAccount[] {
  return ACCOUNT_TEMPLATES.map(({ name, currency }, index) => {
    const digest = digestOf('account', tenantUserId, String(index));
    const hex = digest.toString('hex');
    const accountId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    const bban = `XYZB${[...digest.subarray(0, 16)].map((byte) => String(byte % 10)).join('')}`;
    return { account_id: accountId, iban: `RO${ibanCheckDigits('RO', bban)}${bban}`, name, currency };
  });
}

export function balancesOf(tenantUserId: string): SandboxBalance[] {
  return accountsOf(tenantUserId).map(({ account_id, currency }) => {
    const cents = digestOf('balance', account_id).readUInt32BE(0) % 5_000_000;
    return { account_id, amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`, currency, type: 'closingBooked' as const };
  });
}

const DATA_FIELDS = {
  client_id: 'string',
  client_secret: 'string',
  credentials_id: 'string',
  access_token: 'string',
  tenant_user_id: 'string',
  filter: 'object?',
} as const;

function dataRoute(path: string, read: (tenantUserId: string) => unknown): Route {
  return jsonRoute(routePattern(path), DATA_FIELDS, (body, { state, credentials }: RouteContext) => {
    const refused = checkTenantKeys(body, credentials);
    if (refused) return refused;
    const entry = authorizeCredentials(state, body);
    if (entry instanceof Response) return entry;
    if (!sameSecret(body.tenant_user_id, entry.tenantUserId)) return finqwareError('invalid_field', 'tenant_user_id is not the user these credentials belong to.');
    if (!DATA_SKILLS.has(entry.skill)) return finqwareError('invalid_credentials_id', 'These credentials grant no access to account data.');
    if (consentStatus(entry, state.now()) !== 'ACTIVE') return finqwareError('expired_credentials', 'The consent behind these credentials was revoked or has expired.');
    // [ours] `filter` is accepted and ignored: the sandbox bank has only a couple of accounts.
    return Response.json(read(entry.tenantUserId));
  });
}

/** `POST /accounts/get` and `/balances/get` for an active account-information consent. */
export const dataRoutes: readonly Route[] = [dataRoute(PATHS.accountsGet, accountsOf), dataRoute(PATHS.balancesGet, balancesOf)];
