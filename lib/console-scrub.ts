import 'server-only';
import { format } from 'node:util';
import { redactDeep } from '@/lib/log';
import { scrubText } from '@/lib/log-scrub';

// Next.js prints what escapes a page, a server action or a route handler itself, with console.error
// (message, stack, causes), outside our logger; libraries warn through console too. Every console line
// of the server is scrubbed like a log line: known secret values and secret shapes are censored, and
// an object argument is redacted by key. Errors stay errors, so the printed stack is Node's own.

const METHODS = ['error', 'warn', 'log', 'info', 'debug'] as const;
const SCRUBBED = Symbol.for('guidepost.console-scrubbed');

type Scrubbable = Pick<Console, (typeof METHODS)[number]> & { [SCRUBBED]?: boolean };

function redactArgument(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || value instanceof Error) return value;
  return redactDeep(value);
}

/** Scrubs everything written through the console's printing methods (once per console). */
export function scrubConsole(target: Scrubbable = console): void {
  if (target[SCRUBBED]) return;
  for (const method of METHODS) {
    const print = target[method].bind(target);
    target[method] = (...args: unknown[]) => {
      let line: string;
      try {
        line = scrubText(format(...args.map(redactArgument)));
      } catch {
        // Printing must never throw; what could not be scrubbed is not printed.
        line = '[console line withheld: it could not be scrubbed]';
      }
      print(line);
    };
  }
  target[SCRUBBED] = true;
}
