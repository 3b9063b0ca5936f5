import 'server-only';
import { knownSecrets, MIN_SECRET_LENGTH } from '@/lib/secrets/known';

// What makes a piece of text secret: a value the process knows to be secret, or a shape secrets have.
// Applied by the logger to every string it writes (message, fields, error messages and stacks, causes)
// and to everything the server prints through console.

export const CENSOR = '[redacted]';

/** A field or parameter whose name says it holds a secret. */
export const SECRET_NAME =
  /pass(word|wd|phrase)?$|password|secret|token|nonce|cookie|authori[sz]ation|api[-_]?key|app[-_]?key|private[-_]?key|signing[-_]?key|encryption[-_]?key|credentials?[-_]?id|signature|otp/i;
// Names too short or too common for the pattern above, secret when they are the whole parameter name
// (`?code=` of OAuth, `?key=`, `?sig=`).
const SECRET_PARAMETER = /^(code|key|sig|sid|auth|pwd|pass|jwt|assertion)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) || SECRET_PARAMETER.test(name);
}

// A PEM private key, up to its END line or, cut off, to the end of the text.
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
// A JWS or JWE in compact form: a base64url JSON header ('{"' is 'eyJ') and two to four more parts.
const COMPACT_JWT = /\beyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){2,4}/g;
// lib/secrets/aead.ts sealed values: `v2.<key id>.<iv|ciphertext|tag>` and the older `v1.<…>`; at least
// 28 bytes (IV and tag) of base64url.
const SEALED = /\bv(?:1|2\.[A-Za-z0-9_-]{11})\.[A-Za-z0-9_-]{38,}/g;
// An Authorization value. The credential must look like one (a digit, a token character, a dot inside
// it, or 20+ letters) so "Basic information" or "bearer authentication." stays as it is.
const AUTH_SCHEME = /\b(bearer|basic)(\s+)(?=[A-Za-z0-9._~+/=-]*[0-9_~+/=-]|[A-Za-z0-9._~+/=-]*\.[A-Za-z0-9_~+/=-]|[A-Za-z]{20})[A-Za-z0-9._~+/=-]{8,}/gi;
// `scheme://user:password@host`: the whole userinfo goes.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]{1,20}:\/\/)[^\s/?#@"'<>]+@/gi;
// A phone hand-off link's path, `/h/<token>` (lib/handoff/token.ts): the token is the whole secret.
const HANDOFF_PATH = /(\/h\/)[A-Za-z0-9_-]{22}(?![A-Za-z0-9_-])/g;
// `name=value` in a query string, a form body, a cookie header or a sentence (`?token=…&code=…`,
// `temp_token=…`); the value ends where those end it (encoded, a value holds none of these).
const NAME_EQUALS_VALUE = /(?<![\w.%-])([A-Za-z][\w.[\]-]{0,63})=([^&;#\s"'<>`]*)/g;
// `"name": "value"` in JSON, `name: 'value'` in util.inspect output.
const NAME_COLON_QUOTED = /(["']?)([A-Za-z_][\w.-]{0,63})\1(\s*:\s*)(["'`])((?:\\.|(?!\4)[^\\])*)\4/g;

function censorNamedValue(match: string, name: string, value: string): string {
  return value.length > 0 && isSecretName(name) ? `${name}=${CENSOR}` : match;
}

// A quoted key is a field name, judged like the logger's own fields (`"code": "invalid_nonce"` stays).
function censorQuotedValue(match: string, keyQuote: string, name: string, colon: string, quote: string, value: string): string {
  return value.length > 0 && SECRET_NAME.test(name) ? `${keyQuote}${name}${keyQuote}${colon}${quote}${CENSOR}${quote}` : match;
}

/** The shapes of secrets, censored; each pattern runs only when the text holds its telltale characters. */
function scrubPatterns(text: string): string {
  let out = text;
  if (out.includes('-----BEGIN')) out = out.replace(PEM_PRIVATE_KEY, CENSOR);
  if (out.includes('eyJ')) out = out.replace(COMPACT_JWT, CENSOR);
  if (out.includes('v1.') || out.includes('v2.')) out = out.replace(SEALED, CENSOR);
  out = out.replace(AUTH_SCHEME, `$1$2${CENSOR}`);
  if (out.includes('://')) out = out.replace(URL_USERINFO, `$1${CENSOR}@`);
  if (out.includes('/h/')) out = out.replace(HANDOFF_PATH, `$1${CENSOR}`);
  if (out.includes('=')) out = out.replace(NAME_EQUALS_VALUE, censorNamedValue);
  if (out.includes(':') && (out.includes('"') || out.includes("'") || out.includes('`'))) out = out.replace(NAME_COLON_QUOTED, censorQuotedValue);
  return out;
}

/** The text with known secret values and secret-shaped substrings replaced by [redacted]. */
export function scrubText(text: string): string {
  if (text.length < MIN_SECRET_LENGTH) return text;
  // Known values first: a pattern could cut one in two and leave a piece the registry no longer matches.
  return scrubPatterns(knownSecrets().redact(text));
}
