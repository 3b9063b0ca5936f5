import { describe, expect, it } from 'vitest';
import { PEER_HEADER, clientAddress, isLoopbackRequest } from './client-address';

const headers = (values: Record<string, string>) => new Headers(values);

describe('client address', () => {
  it('with no trusted proxy, is the socket address whatever X-Forwarded-For says', () => {
    expect(clientAddress(headers({ [PEER_HEADER]: '203.0.113.7', 'x-forwarded-for': '198.51.100.1' }), 0)).toBe('203.0.113.7');
    expect(clientAddress(headers({ 'x-forwarded-for': '198.51.100.1' }), 0)).toBe('unknown');
  });

  it('with trusted proxies, is the entry they appended, not what the client wrote before them', () => {
    // The client wrote "1.1.1.1"; the load balancer appended the address it saw.
    const one = headers({ [PEER_HEADER]: '10.0.0.2', 'x-forwarded-for': '1.1.1.1, 203.0.113.7' });
    expect(clientAddress(one, 1)).toBe('203.0.113.7');
    const two = headers({ [PEER_HEADER]: '10.0.0.3', 'x-forwarded-for': '1.1.1.1, 203.0.113.7, 10.0.0.2' });
    expect(clientAddress(two, 2)).toBe('203.0.113.7');
    expect(clientAddress(headers({ [PEER_HEADER]: '10.0.0.2' }), 1)).toBe('10.0.0.2');
  });

  it('is loopback only for a loopback socket, never because of a header', () => {
    expect(isLoopbackRequest(headers({ [PEER_HEADER]: '127.0.0.1' }))).toBe(true);
    expect(isLoopbackRequest(headers({ [PEER_HEADER]: '::ffff:127.0.0.1' }))).toBe(true);
    expect(isLoopbackRequest(headers({ [PEER_HEADER]: '192.0.2.10', 'x-forwarded-for': '127.0.0.1' }))).toBe(false);
    expect(isLoopbackRequest(headers({ 'x-forwarded-for': '127.0.0.1' }))).toBe(false);
  });
});
