import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './server';

// A real load balancer in front of several test servers: Debian's HAProxy, round-robin per request, no
// stickiness, appending the client's address to X-Forwarded-For (the servers trust one proxy hop). Its
// request log (one line per request, naming the server that answered) tells where each request went.
// A test may pin a request to one server with the PIN_HEADER naming it (a rule of this test balancer
// only), where it must know which instance answers rather than count on the round-robin's turn.

export { freePort };

/** Sent by a test to have the balancer route a request to the named server instead of the next in turn. */
export const PIN_HEADER = 'x-e2e-instance';

export class LoadBalancer {
  private log = '';

  private constructor(
    readonly baseURL: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout!.on('data', (data: Buffer) => (this.log += data.toString()));
    child.stderr!.on('data', (data: Buffer) => (this.log += data.toString()));
  }

  /** The HAProxy configuration: every request balanced on its own (HTTP mode), nothing sticky. */
  static config(port: number, backends: Record<string, number>): string {
    return [
      'global',
      '  log stdout format raw local0',
      '  maxconn 512',
      'defaults',
      '  mode http',
      '  log global',
      '  option httplog',
      // The client's address for the servers (TRUSTED_PROXY_HOPS=1).
      '  option forwardfor',
      '  timeout connect 5s',
      '  timeout client 120s',
      '  timeout server 120s',
      // Server-sent events stay open: a long tunnel timeout, the browser reconnects anyway.
      '  timeout tunnel 1h',
      'frontend portal',
      `  bind 127.0.0.1:${port}`,
      '  default_backend instances',
      'backend instances',
      '  balance roundrobin',
      ...Object.keys(backends).map((name) => `  use-server ${name} if { req.hdr(${PIN_HEADER}) -m str ${name} }`),
      ...Object.entries(backends).map(([name, backendPort]) => `  server ${name} 127.0.0.1:${backendPort}`),
      '',
    ].join('\n');
  }

  /** Starts HAProxy in the foreground on `port` and waits until it answers. */
  static async start(port: number, backends: Record<string, number>): Promise<LoadBalancer> {
    const dir = mkdtempSync(path.join(tmpdir(), 'guidepost-haproxy-'));
    const file = path.join(dir, 'haproxy.cfg');
    writeFileSync(file, LoadBalancer.config(port, backends));
    const child = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const balancer = new LoadBalancer(`http://127.0.0.1:${port}`, child);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}:\n${balancer.log}`);
      const ok = await fetch(`${balancer.baseURL}/api/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return balancer;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`haproxy did not answer:\n${balancer.log}`);
  }

  /** Where the log stands now, to count only what follows. */
  mark(): number {
    return this.log.length;
  }

  /** How many requests each server answered since `from` (optionally only those whose request line matches). */
  requestsPerServer(from = 0, request?: RegExp): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const line of this.log.slice(from).split('\n')) {
      // httplog: ... portal instances/<server> ... "<method> <path> HTTP/1.1"
      const server = / instances\/(\S+) /.exec(line)?.[1];
      if (!server || (request && !request.test(/"([^"]*)"/.exec(line)?.[1] ?? ''))) continue;
      counts[server] = (counts[server] ?? 0) + 1;
    }
    return counts;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
