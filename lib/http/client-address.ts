import { isLoopbackAddress, PEER_HEADER } from '@/lib/deployment';

// Who is calling. scripts/server.mjs puts the socket's address in PEER_HEADER on every request
// (replacing whatever a client sent under that name), so it is the one address nobody can forge.
export { PEER_HEADER };

/** The socket's address, or undefined when the request did not come through scripts/server.mjs. */
function peerAddress(headers: Headers): string | undefined {
  return headers.get(PEER_HEADER)?.trim() || undefined;
}

/** True only for a request whose socket is on this machine. */
export function isLoopbackRequest(headers: Headers): boolean {
  return isLoopbackAddress(peerAddress(headers));
}

/**
 * The client's address for limits and logs. With no trusted proxy (TRUSTED_PROXY_HOPS=0) it is the
 * socket's address and X-Forwarded-For is ignored: a client can write anything there. With N trusted
 * proxies in front, each appends the address it saw, so the client is the N-th entry from the right;
 * entries further left are the client's own words.
 */
export function clientAddress(headers: Headers, trustedProxyHops: number): string {
  const peer = peerAddress(headers) ?? 'unknown';
  if (trustedProxyHops <= 0) return peer;
  const hops = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Fewer entries than trusted proxies: a proxy did not append; fall back to what is there, then the socket.
  return hops[hops.length - trustedProxyHops] ?? hops[0] ?? peer;
}
