import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SIGNING_AUDIENCE, SIGNING_TTL_SECONDS } from '@guidepost/provider-contracts/finqware';
import { bodyDigest, signRequestBody } from './signing';

// A test-only RSA-2048 key pair, generated once for these tests (openssl genpkey) and used nowhere else.
const TEST_PRIVATE_KEY = `
-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCyY7PlcLN5YWc8
MU6S8UYzq+d3KntYFm9cWdFb2yUFSuiKpHBRHl420pTEj4S1jeY+WvZWbSzqwsAm
ygo1Z3NT/FdEck1zmXYLxjAhtZpyGS8kDfR5O3NbM9z3pvaFNlE0jzXkSC2KfKs+
s3mDP3spLU+SJE2BuUCla1is2ITRNTWSgmVhXyC745NvH2ozCFfglwLRxW9pZ6EQ
xD8nLOc7Uf8wv/5Un8tY1haSRc5QZGG/swCvHX5B7TBRS0IWXKD760tVgpaj+JMi
Wr9Fi2E8SBCWsbMjg6uU0++U0UID6vppKJY9Cs5FvuHAsV/cvVMaJBBf3SsMTUbr
fCRDax8fAgMBAAECggEAC0y+08/PGTyO74R9YlgfhvJirRe8dxiktogx93bq4hTx
T1GZ6RQwCkT4i3g+gx7um2XjqMHYUIlEPAYcSMRkInPKNgRk3Oe2+d6fTzipBIU3
3o7LvPTZGnPZ5ri6xja/RMG1kN+e6DYmxXKqRc1lncwdouI4eU56G9WwPkf7fHee
THSHVILffB/cCM30J5NI16tBoCKfktT6BtKK6Ls/8vnKuMybuQhKZxkBA6uAfYN5
xULvdsPFBHse0odBWxqT4oPaHynq5RMzX+DlqWlZ66SVJ601RQjwF66U9tHC0U8x
NlTGuXkf2P6+hWUnwgF2bnQxY1yhK0zLg8LeegQacQKBgQD6jGuT8NrlssHKSz0N
LNLb9kQrzWTmOvcwUVSmlhPSSYptK0r7ptlyO8sPAo01H9hMoGTF6nmeMc33qy6k
bsj2/vT+wMIBBZhxqd5WAtcIR/gxX7xQAOsunNXkiUAFaLVirZPUJtDidwEtT4pG
pSjY4aHZkwGlbvBwwUpGy43JzQKBgQC2RVl5BviodBpVsyhmI45MvjSAjnRelSR0
dc/Fllm1OTSyyqsKJGFKT1vY8NXRkqQNrUKsdZbbPM0qPY+cezjJyDECBlchYH9D
8AVXEgHiKePdTr1V11llIIcRftb730n+K5ws4OoK6+S/0jyHUuKFU3BsMKy0XNH0
GcSJGCmwmwKBgGiZ8VvdZXYacD+ls8JpYUsGAKYM5UAdhA+/FMlLxNC5dTpopbB0
kznW7srAdPWl6ubq28epQcci4euxoxJxUiOUg/JLxXMpw+BIXBOqsd26Nktevb7k
80sNnVsBViIr+fZNo3ciEXlK18nz+DXQREJvyOOONVS9AVMBz6HI39RNAoGAS5FW
9gF46EYygONlVWtaXODi3YWyI2CMG6iYep/KE4NjINk7rlnE6E0clEXNMDUuxOjX
Yq7h24VKvj+FoefIdIgGIYPFbfYW7XC+lgnGNCEP8rnpb4R38KBav1sqAITjpXgp
KMYa4mpIjWq5Y5Vuir48Nu67O4/cD+r6+6fD6Q8CgYEAta+uLSu8UD/SLQRKflLK
Mi4LAMh3R2rSNYhWjK84hQ7OYdQe+quqlmL4/4Vmfp1M1h1dtbnXqewsdBojSdaV
qhZYdx2ZKh14g2QJPFm5d/TTkygVIMfoUCWOS+5eWEe3YjfPWIDLFrD1fQc2XqnX
aXvmRZiq6IxyhhPRVNbt9rg=
-----END PRIVATE KEY-----
`.trim();

const TEST_PUBLIC_KEY = `
-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsmOz5XCzeWFnPDFOkvFG
M6vndyp7WBZvXFnRW9slBUroiqRwUR5eNtKUxI+EtY3mPlr2Vm0s6sLAJsoKNWdz
U/xXRHJNc5l2C8YwIbWachkvJA30eTtzWzPc96b2hTZRNI815EgtinyrPrN5gz97
KS1PkiRNgblApWtYrNiE0TU1koJlYV8gu+OTbx9qMwhX4JcC0cVvaWehEMQ/Jyzn
O1H/ML/+VJ/LWNYWkkXOUGRhv7MArx1+Qe0wUUtCFlyg++tLVYKWo/iTIlq/RYth
PEgQlrGzI4OrlNPvlNFCA+r6aSiWPQrORb7hwLFf3L1TGiQQX90rDE1G63wkQ2sf
HwIDAQAB
-----END PUBLIC KEY-----
`.trim();

const EMAIL = 'guidepost-signer@tenant.example';
// A service-account key file's private_key_id: 40 hex digits, given, not computed.
const KEY_ID = '8c1f3e5a7b9d0f2e4c6a8b0d2f4e6a8c0b2d4f6e';
const SIGNER = { privateKeyPem: TEST_PRIVATE_KEY, email: EMAIL, keyId: KEY_ID };
const NOW = Date.parse('2025-03-01T10:00:00.000Z');

const encode = (text: string) => new TextEncoder().encode(text);
const part = (jwt: string, index: number) => {
  const value = jwt.split('.')[index];
  if (value === undefined) throw new Error('not a compact JWS');
  return value;
};
const decodePart = (jwt: string, index: number) => JSON.parse(Buffer.from(part(jwt, index), 'base64url').toString('utf8')) as Record<string, unknown>;

/** Checks the RS256 signature with node:crypto alone, independently of jose. */
function signatureValid(jwt: string, publicKeyPem: string): boolean {
  const signingInput = `${part(jwt, 0)}.${part(jwt, 1)}`;
  return verify('RSA-SHA256', Buffer.from(signingInput), createPublicKey(publicKeyPem), Buffer.from(part(jwt, 2), 'base64url'));
}

describe('bodyDigest', () => {
  it('matches known SHA-256 vectors in padded standard base64', () => {
    // printf '{"a":1}' | openssl dgst -sha256 -binary | base64
    expect(bodyDigest(encode('{"a":1}'))).toBe('AVq9f1zFei3ZS3WQ8ErYCEJzkF7jPsXOvq5iJ2qX+GI=');
    // printf '' | openssl dgst -sha256 -binary | base64
    expect(bodyDigest(new Uint8Array())).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
  });

  it('differs as soon as one byte of the body does', () => {
    expect(bodyDigest(encode('{"a":2}'))).not.toBe(bodyDigest(encode('{"a":1}')));
    // Spacing is part of the bytes: the body must be hashed exactly as sent.
    expect(bodyDigest(encode('{"a": 1}'))).not.toBe(bodyDigest(encode('{"a":1}')));
  });
});

describe('signRequestBody', () => {
  it('makes an RS256 JWT that node:crypto verifies with the public key', async () => {
    const body = encode('{"a":1}');
    const jwt = await signRequestBody(body, { ...SIGNER, now: NOW });
    expect(jwt.split('.')).toHaveLength(3);
    expect(signatureValid(jwt, TEST_PUBLIC_KEY)).toBe(true);

    expect(decodePart(jwt, 0)).toEqual({ alg: 'RS256', typ: 'JWT', kid: KEY_ID });

    const claims = decodePart(jwt, 1);
    const iat = Math.floor(NOW / 1000);
    expect(claims).toEqual({
      iat,
      exp: iat + SIGNING_TTL_SECONDS,
      iss: EMAIL,
      sub: EMAIL,
      email: EMAIL,
      aud: SIGNING_AUDIENCE,
      digest: 'AVq9f1zFei3ZS3WQ8ErYCEJzkF7jPsXOvq5iJ2qX+GI=',
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(SIGNING_TTL_SECONDS);
  });

  it('signs the empty body too', async () => {
    const jwt = await signRequestBody(new Uint8Array(), { ...SIGNER, now: NOW });
    expect(signatureValid(jwt, TEST_PUBLIC_KEY)).toBe(true);
    expect(decodePart(jwt, 1).digest).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
  });

  it('binds the body: a tampered body no longer matches the signed digest', async () => {
    const jwt = await signRequestBody(encode('{"amount":"10.00"}'), { ...SIGNER, now: NOW });
    const signed = decodePart(jwt, 1).digest;
    expect(signed).toBe(bodyDigest(encode('{"amount":"10.00"}')));
    expect(signed).not.toBe(bodyDigest(encode('{"amount":"99.00"}')));
    // Swapping in claims for another body breaks the signature.
    const forged = `${part(jwt, 0)}.${Buffer.from(JSON.stringify({ ...decodePart(jwt, 1), digest: bodyDigest(encode('{"amount":"99.00"}')) })).toString('base64url')}.${part(jwt, 2)}`;
    expect(signatureValid(forged, TEST_PUBLIC_KEY)).toBe(false);
  });

  it('uses the current time when no clock is given', async () => {
    const before = Math.floor(Date.now() / 1000);
    const claims = decodePart(await signRequestBody(encode('{}'), SIGNER), 1);
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it('refuses a key that is not a PKCS#8 RSA private key', async () => {
    await expect(signRequestBody(encode('{}'), { ...SIGNER, privateKeyPem: TEST_PUBLIC_KEY, now: NOW })).rejects.toThrow();
  });
});

describe('signing key id', () => {
  it('is the configured key id, not anything computed from the key (Finqware looks it up in the account’s JWKS)', async () => {
    const other = '0f'.repeat(20);
    const jwt = await signRequestBody(encode('{}'), { ...SIGNER, keyId: other, now: NOW });
    expect(decodePart(jwt, 0).kid).toBe(other);
    // The same key signs under either id: the id names the key, it does not come from it.
    expect(signatureValid(jwt, TEST_PUBLIC_KEY)).toBe(true);
  });
});
