import { z } from 'zod';

// Scripted faults a simulator applies to named calls, for fault-injection tests: "answer the next
// POST /v3/guidance/sessions with a 500", "run the next POST /tokens, then lose its answer". Shared by
// both simulators; each names operations by its own method and path below its API base.

const faultFields = {
  // "METHOD /path", where * stands for one path segment (an id): "POST /steps/*/upload".
  operation: z
    .string({ error: 'must be a string' })
    .regex(/^(GET|POST|PUT|PATCH|DELETE) \/[A-Za-z0-9_./*-]*$/, { error: 'must look like "POST /path/*/segment"' }),
  // error: answer the provider's own 500 without running the call. drop: run the call (it takes
  // effect), then cut the answer off so the caller never receives it.
  action: z.enum(['error', 'drop'], { error: 'must be "error" or "drop"' }),
  times: z.number({ error: 'must be a number' }).int().min(1, { error: 'must be 1 to 100' }).max(100, { error: 'must be 1 to 100' }).default(1),
};

/**
 * The control API's faults body. With `codes` (a provider whose faults may name its own errors), an
 * `error` fault may carry a `code`, answered as that provider error instead of its 500; without, a
 * `code` is an unknown field.
 */
export function faultsUpdateSchema(codes?: readonly string[]) {
  const fault = codes
    ? z
        .strictObject({
          ...faultFields,
          code: z
            .string({ error: 'must be a string' })
            .refine((code) => codes.includes(code), { error: 'must be one of the error codes the simulator answers' })
            .optional(),
        })
        .refine((fault) => fault.code === undefined || fault.action === 'error', { error: 'is only for an "error" fault', path: ['code'] })
    : z.strictObject(faultFields);
  return z.strictObject({ faults: z.array(fault).max(20, { error: 'at most 20 faults at a time' }) });
}

export interface Fault {
  operation: string;
  action: 'error' | 'drop';
  times: number;
  /** The provider error an `error` fault answers; its 500 when absent. */
  code?: string;
}

/** What a call that meets a fault gets. */
export type FaultOutcome = Pick<Fault, 'action' | 'code'>;

function matcher(operation: string): (method: string, path: string) => boolean {
  const [method, pattern] = operation.split(' ') as [string, string];
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]+')}$`,
  );
  return (m, p) => m === method && regex.test(p);
}

export class FaultScript {
  private faults: Array<Fault & { matches: (method: string, path: string) => boolean }> = [];

  /** Adds faults after those still pending. */
  add(faults: readonly Fault[]): void {
    for (const fault of faults) this.faults.push({ ...fault, matches: matcher(fault.operation) });
  }

  /** The fault for this call, if one is scripted; each use counts down its `times`. */
  take(method: string, path: string): FaultOutcome | undefined {
    const fault = this.faults.find((candidate) => candidate.matches(method, path));
    if (!fault) return undefined;
    fault.times -= 1;
    if (fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    return fault.code === undefined ? { action: fault.action } : { action: fault.action, code: fault.code };
  }

  pending(): Fault[] {
    return this.faults.map(({ operation, action, times, code }) => (code === undefined ? { operation, action, times } : { operation, action, times, code }));
  }

  reset(): void {
    this.faults = [];
  }
}

/**
 * The call happened, but its answer never arrives: the status line goes out, then the body fails
 * half-way, as when a connection drops after the provider committed.
 */
export async function droppedAnswer(committed: Response): Promise<Response> {
  await committed.body?.cancel().catch(() => undefined);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"'));
      controller.error(new Error('sandbox: answer dropped'));
    },
  });
  return new Response(body, { status: committed.status, headers: { 'Content-Type': 'application/json' } });
}
