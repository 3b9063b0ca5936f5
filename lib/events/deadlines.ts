import 'server-only';

// One timer for every open stream's deadline (its session's end). A timer made while a request is handled keeps that
// request's async context for as long as it waits (Node's AsyncLocalStorage frame: Next.js's request store with its
// headers, cookies and tags, about 6 KiB measured), which for an idle stream is hours: a thousand tabs held 5.7 MiB
// that way. Here one timer waits for the earliest deadline, whatever the number of streams. Kept on globalThis: the
// production build bundles lib/ more than once.

// setTimeout's limit (about 24 days); sessions end within 12 hours anyway.
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Deadline {
  at: number;
  run: () => void;
}

interface Deadlines {
  waiting: Set<Deadline>;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** When the timer fires (epoch ms); Infinity without one. */
  firesAt: number;
}

const DEADLINES = Symbol.for('guidepost.events.deadlines');

function deadlines(): Deadlines {
  const holder = globalThis as unknown as { [DEADLINES]?: Deadlines };
  return (holder[DEADLINES] ??= { waiting: new Set(), timer: undefined, firesAt: Infinity });
}

function arm(state: Deadlines): void {
  let earliest = Infinity;
  for (const each of state.waiting) earliest = Math.min(earliest, each.at);
  if (earliest === state.firesAt) return;
  if (state.timer) clearTimeout(state.timer);
  state.timer = undefined;
  state.firesAt = earliest;
  if (earliest === Infinity) return;
  state.timer = setTimeout(() => fire(state), Math.min(MAX_TIMER_MS, Math.max(0, earliest - Date.now())));
  state.timer.unref?.();
}

function fire(state: Deadlines): void {
  state.timer = undefined;
  state.firesAt = Infinity;
  const now = Date.now();
  const due = [...state.waiting].filter((each) => each.at <= now);
  for (const each of due) state.waiting.delete(each);
  arm(state);
  for (const each of due) each.run();
}

/** Runs `run` at `at` (or at once if it has passed) unless the returned function is called first. */
export function runAt(at: Date, run: () => void): () => void {
  const state = deadlines();
  const deadline: Deadline = { at: at.getTime(), run };
  state.waiting.add(deadline);
  if (deadline.at < state.firesAt) arm(state);
  return () => {
    if (!state.waiting.delete(deadline)) return;
    // The timer stays armed for an earlier deadline than the ones left: it fires for nothing once, then re-arms.
    if (state.waiting.size === 0) arm(state);
  };
}
