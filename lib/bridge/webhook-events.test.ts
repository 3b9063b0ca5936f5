import { describe, expect, it } from 'vitest';
import { BRIDGE_GUIDANCE_READY_EXAMPLE, BRIDGE_TEST_EVENT_EXAMPLE, BRIDGE_WEBHOOK_TYPES } from '@guidepost/provider-contracts/bridge';
import { parseBridgeWebhook } from './webhook-events';

const USER = 'ecc4eaee-0554-4b4f-8937-3c5b816617f6';

describe('parseBridgeWebhook', () => {
  it('reads the contract’s documented examples', () => {
    const { content, timestamp } = BRIDGE_GUIDANCE_READY_EXAMPLE;
    expect(parseBridgeWebhook(JSON.stringify(BRIDGE_GUIDANCE_READY_EXAMPLE))).toEqual({
      ok: true,
      event: {
        type: BRIDGE_WEBHOOK_TYPES.guidanceReady,
        timestamp,
        bridgeUserUuid: content.user_id,
        companyIdentificationNumber: content.company_identification_number,
      },
    });
    // The dashboard's test event: acknowledged as another event, whatever its (seconds, years-old) timestamp.
    expect(parseBridgeWebhook(JSON.stringify(BRIDGE_TEST_EVENT_EXAMPLE))).toEqual({
      ok: true,
      event: { type: 'other', timestamp: BRIDGE_TEST_EVENT_EXAMPLE.timestamp, bridgeType: BRIDGE_WEBHOOK_TYPES.test },
    });
  });

  it('reads guidance.health.ready, whose user is content.user_id', () => {
    const raw = JSON.stringify({
      content: { company_identification_number: '529196313', user_id: USER },
      timestamp: 1779981250435,
      type: 'guidance.health.ready',
    });
    expect(parseBridgeWebhook(raw)).toEqual({
      ok: true,
      event: { type: 'guidance.health.ready', timestamp: 1779981250435, bridgeUserUuid: USER, companyIdentificationNumber: '529196313' },
    });
  });

  it('reads user.deleted, whose user is content.user_uuid', () => {
    const raw = JSON.stringify({ content: { user_uuid: USER.toUpperCase() }, timestamp: 1, type: 'user.deleted' });
    expect(parseBridgeWebhook(raw)).toEqual({ ok: true, event: { type: 'user.deleted', timestamp: 1, bridgeUserUuid: USER } });
  });

  it('acknowledges other events without reading their content', () => {
    expect(parseBridgeWebhook(JSON.stringify({ content: {}, timestamp: 5, type: 'TEST_EVENT' }))).toEqual({
      ok: true,
      event: { type: 'other', timestamp: 5, bridgeType: 'TEST_EVENT' },
    });
    expect(parseBridgeWebhook(JSON.stringify({ content: { item_id: 1 }, timestamp: 5, type: 'item.refreshed' }))).toMatchObject({
      ok: true,
      event: { type: 'other' },
    });
  });

  it('refuses bad JSON and bad shapes without echoing the content', () => {
    const secretish = 'do-not-echo-me';
    const cases = [
      `{"content": "${secretish}"`,
      JSON.stringify({ content: secretish, timestamp: 1, type: 'user.deleted' }),
      JSON.stringify({ content: {}, timestamp: '1', type: 'user.deleted' }),
      JSON.stringify({ content: {}, timestamp: 1 }),
      JSON.stringify([]),
      JSON.stringify({ content: { user_uuid: secretish }, timestamp: 1, type: 'user.deleted' }),
      JSON.stringify({ content: { user_id: USER, company_identification_number: `12345678${secretish}` }, timestamp: 1, type: 'guidance.health.ready' }),
      JSON.stringify({ content: { user_id: USER, company_identification_number: 529196313 }, timestamp: 1, type: 'guidance.health.ready' }),
    ];
    for (const raw of cases) {
      const result = parseBridgeWebhook(raw);
      expect(result.ok, raw).toBe(false);
      if (!result.ok) expect(result.reason).not.toContain(secretish);
    }
  });
});
