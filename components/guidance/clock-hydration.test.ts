import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { useNow, usePassed } from './clock';

// The cause of React error #418 on the guidance page: the countdown read the clock while rendering, so the server's
// HTML and the browser's first render (which must match it) differed whenever a second had passed in between. Now
// the server renders from the time it passes down, and hydration reads that same value (React takes the server
// snapshot while hydrating), never the clock.

function Probe({ serverNow }: { serverNow?: number }) {
  return createElement('span', null, String(useNow(serverNow)));
}

describe('the clock on the server', () => {
  it('renders the time the server passed down, whatever the clock says now', () => {
    const serverNow = Date.parse('2026-03-01T10:00:00.400Z');
    const first = renderToString(createElement(Probe, { serverNow }));
    vi.useFakeTimers({ now: serverNow + 5_000 });
    try {
      expect(renderToString(createElement(Probe, { serverNow }))).toBe(first);
    } finally {
      vi.useRealTimers();
    }
    expect(first).toBe(`<span>${Date.parse('2026-03-01T10:00:00Z')}</span>`);
  });

  it('renders no time at all when none was passed down (a component only the browser renders)', () => {
    expect(renderToString(createElement(Probe, {}))).toBe('<span>null</span>');
  });

  it('says whether a moment has passed by the server’s time, not the clock', () => {
    const until = '2026-03-01T10:30:00.000Z';
    const Passed = ({ serverNow }: { serverNow?: number }) => createElement('span', null, String(usePassed(until, serverNow)));
    expect(renderToString(createElement(Passed, { serverNow: Date.parse(until) - 1_000 }))).toBe('<span>false</span>');
    expect(renderToString(createElement(Passed, { serverNow: Date.parse(until) }))).toBe('<span>true</span>');
    // Unknown until the browser's clock runs: not passed.
    expect(renderToString(createElement(Passed, {}))).toBe('<span>false</span>');
  });
});
