// The sandbox logs through whatever the host injects (pino-compatible: a fields object, then a message).
// It never logs a body, a header or a secret it issued.

type LogMethod = (fields: Record<string, unknown>, message: string) => void;

export interface SandboxLogger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

const quiet: LogMethod = () => undefined;

/** The default when the host injects none (the sandbox's own tests). */
export const silentLogger: SandboxLogger = { debug: quiet, info: quiet, warn: quiet, error: quiet };
