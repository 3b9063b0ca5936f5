import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { BRIDGE_HEADERS, FINQWARE_HEADERS } from './sandbox';

// Fault-injection specs get a production server of their own (the same build, scripts/server.mjs), so
// they can set the simulators' knobs, kill it and start it again without touching other specs. Each
// server has its own PostgreSQL database (the machine's, as in CI) or its own PGlite directory.

export const POSTGRES_URL = process.env.E2E_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A fresh PostgreSQL database for one server; dropped by the server's `dispose()`. */
async function createDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `guidepost_e2e_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: POSTGRES_URL });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

export interface ServerOptions {
  database?: 'postgres' | 'pglite';
  env?: Record<string, string>;
  /** How the server reaches its PostgreSQL database, e.g. through a proxy a test can cut. */
  connectVia?: (url: string) => string;
  /**
   * The host name in its address (APP_URL and baseURL): 'localhost' for passkeys, which WebAuthn does not allow on an
   * IP address. It still listens on 127.0.0.1.
   */
  hostname?: 'localhost' | '127.0.0.1';
  /**
   * Another instance of the same deployment: this server uses its PostgreSQL database, Redis, AUTH_SECRET and
   * ENCRYPTION_KEY (several instances behind a load balancer). The first server drops the database.
   */
  sharedWith?: TestServer;
}

export class TestServer {
  readonly baseURL: string;
  readonly logFile: string;
  private child: ChildProcess | undefined;
  private log: WriteStream | undefined;
  private exited: Promise<number | null> | undefined;
  // Every secret the simulators issued, gathered before each stop (their memory ends with the process).
  private readonly issuedSecrets = new Set<string>();

  private constructor(
    readonly port: number,
    readonly env: Record<string, string>,
    readonly databaseUrl: string | undefined,
    private readonly dropDatabase: (() => Promise<void>) | undefined,
    dir: string,
    hostname = '127.0.0.1',
  ) {
    this.baseURL = `http://${hostname}:${port}`;
    this.logFile = path.join(dir, 'server.log');
  }

  static async start(options: ServerOptions = {}): Promise<TestServer> {
    const port = await freePort();
    const dir = mkdtempSync(path.join(tmpdir(), 'guidepost-fault-'));
    const shared = options.sharedWith;
    if (shared && !shared.databaseUrl) throw new Error('instances can share a PostgreSQL database only');
    const database = shared ? undefined : (options.database ?? 'postgres') === 'postgres' ? await createDatabase() : undefined;
    const env: Record<string, string> = {
      PORT: String(port),
      APP_URL: `http://${options.hostname ?? '127.0.0.1'}:${port}`,
      PGLITE_DIR: path.join(dir, 'pglite'),
      DATABASE_URL: database ? (options.connectVia?.(database.url) ?? database.url) : '',
      REDIS_URL: '',
      LOG_LEVEL: 'info',
      NEXT_TELEMETRY_DISABLED: '1',
      // Browser contexts play visitors with addresses of their own (X-Forwarded-For), as behind a proxy.
      TRUSTED_PROXY_HOPS: '1',
      // Fixed secrets, so sessions and sealed data survive a restart of this server.
      AUTH_SECRET: randomBytes(32).toString('base64url'),
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ...(shared
        ? {
            DATABASE_URL: shared.env.DATABASE_URL!,
            REDIS_URL: shared.env.REDIS_URL!,
            AUTH_SECRET: shared.env.AUTH_SECRET!,
            ENCRYPTION_KEY: shared.env.ENCRYPTION_KEY!,
          }
        : {}),
      ...options.env,
    };
    const server = new TestServer(port, env, shared?.databaseUrl ?? database?.url, database?.drop, dir, options.hostname);
    await server.boot();
    return server;
  }

  /** Starts (or starts again) the process and waits until /api/health answers. */
  async boot(): Promise<void> {
    mkdirSync(path.dirname(this.logFile), { recursive: true });
    this.log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, ['scripts/server.mjs', '-p', String(this.port)], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${this.output()}`);
      const ok = await fetch(`${this.baseURL}/api/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`server did not become healthy:\n${this.output()}`);
  }

  get pid(): number {
    return this.child!.pid!;
  }

  /** Everything the server printed so far (every start). */
  output(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** Resident memory now and at its peak, in MiB, from /proc. */
  memory(): { rssMiB: number; peakMiB: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) / 1024;
    return { rssMiB: field('VmRSS'), peakMiB: field('VmHWM') };
  }

  /** Notes the guidance passwords, nonces, temp_tokens and access_tokens the simulators issued so far. */
  private async collectIssuedSecrets(): Promise<void> {
    const read = async (path: string, headers: Record<string, string>) => {
      const response = await fetch(`${this.baseURL}${path}`, { headers }).catch(() => undefined);
      return response?.ok ? ((await response.json()) as Record<string, string[]>) : {};
    };
    const bridge = await read('/sandbox/bridge/_control/issued-passwords', BRIDGE_HEADERS);
    const finqware = await read('/sandbox/finqware/_control/issued-secrets', FINQWARE_HEADERS);
    for (const list of [...Object.values(bridge), ...Object.values(finqware)]) for (const secret of list) this.issuedSecrets.add(secret);
  }

  /** A secret the portal itself made (a reset link's token): dispose() fails if the log holds it. */
  noteSecret(secret: string): void {
    this.issuedSecrets.add(secret);
  }

  /** Sends a signal and waits for the process to end; returns its exit code (null when killed by the signal). */
  async signal(signal: NodeJS.Signals): Promise<number | null> {
    if (this.child) await this.collectIssuedSecrets();
    this.child?.kill(signal);
    const code = (await this.exited) ?? null;
    this.child = undefined;
    return code;
  }

  /** Stops the process (SIGKILL when asked: no clean-up at all) and starts it again on the same data. */
  async restart(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.signal(signal);
    await this.boot();
  }

  /**
   * Stops the server for good and drops its database. Fails when its log holds any secret its
   * simulators issued: failure paths are where secrets tend to slip into logs.
   */
  async dispose(): Promise<void> {
    if (this.child) await this.signal('SIGKILL');
    this.log?.end();
    await this.dropDatabase?.();
    const log = this.output();
    const leaked = [...this.issuedSecrets].filter((secret) => log.includes(secret));
    if (leaked.length > 0) throw new Error(`${leaked.length} issued secret(s) found in the log of the server on port ${this.port}`);
  }

  /** Waits until the server log has a line matching `pattern` (after `from` characters). */
  async waitForLog(pattern: RegExp, options: { from?: number; timeoutMs?: number } = {}): Promise<string> {
    const deadline = Date.now() + (options.timeoutMs ?? 15_000);
    while (Date.now() < deadline) {
      const line = this.output()
        .slice(options.from ?? 0)
        .split('\n')
        .find((candidate) => pattern.test(candidate));
      if (line) return line;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no log line matching ${pattern}`);
  }

  /** A query on this server's own PostgreSQL database (for setting up and checking what a user cannot see). */
  async sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    if (!this.databaseUrl) throw new Error('this server runs on PGlite');
    const client = new pg.Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  }
}

/**
 * Starts scripts/server.mjs with only this environment (and PATH) for a start that should fail: its
 * exit code and everything it printed. Killed after 30 s if it does start.
 */
export function startExpectingExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const port = String(40_000 + Math.floor(Math.random() * 20_000));
  const child = spawn(process.execPath, ['scripts/server.mjs', '-p', port], {
    env: { PATH: process.env.PATH ?? '', NEXT_TELEMETRY_DISABLED: '1', PORT: port, ...env } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr.on('data', (data: Buffer) => (output += data.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}
