import { describe, expect, it } from 'vitest';
import {
  BRIDGE_ENDPOINTS,
  bridgeApiOrigin,
  bridgeDocumentedErrorBodySchema,
  bridgeErrorBodySchema,
  bridgeGuidanceSessionRequestSchema,
  bridgeGuidanceSiteLanguage,
  bridgeGuidanceSessionUrl,
  bridgePath,
  bridgePathPattern,
  bridgeSignatureDigests,
  bridgeTokenRequestSchema,
  formatBridgeSignature,
} from './index';

// The contract's own helpers. The contract itself is checked against a Bridge by ./contract-suite.ts.

const UUID = 'ecc4eaee-0554-4b4f-8937-3c5b816617f6';
const HEX = 'ab'.repeat(32);

describe('Bridge contract helpers', () => {
  it('reaches the same paths from the documented base and from the bare origin', () => {
    for (const base of ['https://api.bridgeapi.io/v3', 'https://api.bridgeapi.io/v3/', 'https://api.bridgeapi.io', 'https://api.bridgeapi.io/']) {
      expect(`${bridgeApiOrigin(base)}${bridgePath(BRIDGE_ENDPOINTS.createUser)}`).toBe('https://api.bridgeapi.io/v3/aggregation/users');
    }
  });

  it('fills path placeholders, encoded, and refuses to leave one empty', () => {
    expect(bridgePath(BRIDGE_ENDPOINTS.getUser, { user_uuid: UUID })).toBe(`/v3/aggregation/users/${UUID}`);
    expect(bridgePath(BRIDGE_ENDPOINTS.deleteUser, { user_uuid: 'a/b?c' })).toBe('/v3/aggregation/users/a%2Fb%3Fc');
    expect(() => bridgePath(BRIDGE_ENDPOINTS.getUser)).toThrow(/user_uuid/);
  });

  it('matches an endpoint’s own paths only, capturing its placeholders', () => {
    const user = bridgePathPattern(BRIDGE_ENDPOINTS.getUser);
    expect(user.exec(`/v3/aggregation/users/${UUID}`)?.[1]).toBe(UUID);
    expect(user.test('/v3/aggregation/users')).toBe(false);
    expect(user.test(`/v3/aggregation/users/${UUID}/items`)).toBe(false);
    expect(bridgePathPattern(BRIDGE_ENDPOINTS.createGuidanceSession).test('/v3/guidance/sessions')).toBe(true);
    expect(bridgePathPattern(BRIDGE_ENDPOINTS.createGuidanceSession).test('/v3/guidance/sessionsX')).toBe(false);
  });

  it('puts guidance sessions on the documented site', () => {
    expect(bridgeGuidanceSessionUrl('a838cdb0-42a0-42fb-bcf7-2bd5dcdce163')).toBe('https://guidance.bridgeapi.io/session/a838cdb0-42a0-42fb-bcf7-2bd5dcdce163');
  });

  it('reads an error body’s type whatever the other fields hold, documentation_url null included', () => {
    expect(bridgeErrorBodySchema.parse({ type: 'invalid_request', message: 'm', documentation_url: null })).toEqual({
      type: 'invalid_request',
      message: 'm',
      documentation_url: null,
    });
    expect(bridgeErrorBodySchema.parse({ type: 'conflict', message: 7, documentation_url: 3 }).type).toBe('conflict');
    expect(bridgeErrorBodySchema.parse({ message: 'no type' }).type).toBeUndefined();
    expect(bridgeDocumentedErrorBodySchema.safeParse({ type: 'x', message: 'm', documentation_url: null }).success).toBe(true);
    expect(bridgeDocumentedErrorBodySchema.safeParse({ message: 'm' }).success).toBe(false);
  });

  it('takes the documented guidance body: language optional (fr or en), contacts optional or null, SIREN and country checked', () => {
    const valid = { user_uuid: UUID, country_code: 'FR', company_identification_number: '529196313' };
    // Left absent, not defaulted: without it the site follows the browser.
    expect(bridgeGuidanceSessionRequestSchema.parse(valid)).toEqual(valid);
    expect(bridgeGuidanceSessionRequestSchema.parse({ ...valid, language: 'en' }).language).toBe('en');
    expect(bridgeGuidanceSessionRequestSchema.safeParse({ ...valid, language: 'de' }).success).toBe(false);
    expect(bridgeGuidanceSessionRequestSchema.safeParse({ ...valid, contact_email: null, contact_phone_number: null }).success).toBe(true);
    for (const change of [{ company_identification_number: '52919631' }, { country_code: 'fr' }, { user_uuid: undefined }, { extra: 1 }]) {
      expect(bridgeGuidanceSessionRequestSchema.safeParse({ ...valid, ...change }).success, JSON.stringify(change)).toBe(false);
    }
  });

  it('speaks the session’s language on the guidance site, else the browser’s first one offered, else French', () => {
    expect(bridgeGuidanceSiteLanguage('en', ['fr-FR', 'fr'])).toBe('en');
    expect(bridgeGuidanceSiteLanguage('fr', ['en-US'])).toBe('fr');
    expect(bridgeGuidanceSiteLanguage(null, ['de-DE', 'EN-GB', 'fr'])).toBe('en');
    expect(bridgeGuidanceSiteLanguage(null, ['fr-CA', 'en'])).toBe('fr');
    expect(bridgeGuidanceSiteLanguage(null, ['de', 'es'])).toBe('fr');
    expect(bridgeGuidanceSiteLanguage(null, [])).toBe('fr');
  });

  it('names the user of a token request exactly one way', () => {
    expect(bridgeTokenRequestSchema.safeParse({ user_uuid: UUID }).success).toBe(true);
    expect(bridgeTokenRequestSchema.safeParse({ external_user_id: 'A6JEJIID1919BDS' }).success).toBe(true);
    expect(bridgeTokenRequestSchema.safeParse({}).success).toBe(false);
    expect(bridgeTokenRequestSchema.safeParse({ user_uuid: UUID, external_user_id: 'x' }).success).toBe(false);
  });

  it('writes and reads BridgeApi-Signature: upper-case v1 entries out, v1 digests in whatever case, other schemes ignored', () => {
    expect(formatBridgeSignature([HEX, HEX.replace(/a/g, 'c')])).toBe(`v1=${HEX.toUpperCase()},v1=${HEX.replace(/a/g, 'c').toUpperCase()}`);
    expect(bridgeSignatureDigests(` v1 = ${HEX.toUpperCase()} , v0=${HEX}, v1=short, garbage, v1=${HEX}`)).toEqual([HEX, HEX]);
    expect(bridgeSignatureDigests('')).toEqual([]);
  });
});
