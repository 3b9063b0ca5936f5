// `npm start`: builds on first run, then serves the production build and says how to sign in.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { serverEnv } from './server-env.mjs';

const next = 'node_modules/next/dist/bin/next';
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const port = process.env.PORT || '3000';

if (!existsSync('.next/BUILD_ID')) {
  console.log('First run: building Guidepost (about a minute)...');
  const build = spawnSync(process.execPath, [next, 'build'], { stdio: 'inherit', env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// Our server script: Next.js's handler, plus a clean stop on SIGTERM (see scripts/server.mjs).
const server = spawn(process.execPath, ['scripts/server.mjs', '-p', port], { stdio: 'inherit', env: serverEnv(env) });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));

// Say how to sign in once the server answers.
const base = `http://localhost:${port}`;
for (let attempt = 0; attempt < 120; attempt++) {
  await new Promise((resolve) => setTimeout(resolve, 500));
  const ok = await fetch(`${base}/api/health`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) {
    console.log(
      `\n  Guidepost is running at ${base}\n` +
        `  Create an account at ${base}/signup (any email, a password of 12+ characters that is hard to guess),\n` +
        `  then log in at ${base}/login. Providers run in the built-in sandbox; data lives in .data/.\n`,
    );
    break;
  }
}
