import { describe, expect, it } from 'vitest';
import { eventStream, openEventStreams } from './sse';

// Event streams and the server's stop: every open stream ends with `shutdown` when the stop begins, and a stream asked
// for after that (a browser reconnecting over a connection not yet closed) ends at once instead of holding the stop
// until its grace runs out.

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

const drain = () => (globalThis as unknown as Record<symbol, { drain?: () => Promise<void> }>)[Symbol.for('guidepost.shutdown')]?.drain?.();

describe('event streams at shutdown', () => {
  it('ends the open streams, and ends a stream opened after the stop began at once, feeding stopped both times', async () => {
    const stopped: string[] = [];
    const open = eventStream({
      start: async (sink) => {
        sink.send('hello', { n: 1 });
        return () => stopped.push('open');
      },
    });
    const openText = readAll(open);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(openEventStreams()).toBe(1);

    await drain();
    expect(await openText).toBe(': open\n\nevent: hello\ndata: {"n":1}\n\nevent: end\ndata: {"reason":"shutdown"}\n\n');
    expect(stopped).toEqual(['open']);

    let fed = false;
    const late = eventStream({
      start: async () => {
        fed = true;
        return () => stopped.push('late');
      },
    });
    expect(await readAll(late)).toBe('event: end\ndata: {"reason":"shutdown"}\n\n');
    expect(fed).toBe(false);
    expect(openEventStreams()).toBe(0);
  });
});
