// What the production server's process needs in its environment before it starts, read by `npm start`
// (scripts/start.mjs) and the benchmarks that start scripts/server.mjs; a deployment sets the same
// (README, "Onboarding with Finqware", "Memory given back").
//
// glibc's malloc raises its mmap threshold after a large block is freed, up to 32 MiB: from then on
// the multi-megabyte buffers of uploads and of sharp's decoding come from heaps that are seldom given
// back, and the server's resident memory keeps what ten concurrent photo uploads needed at their peak.
// A fixed threshold (128 KiB, glibc's own starting value) keeps every large block mmapped, returned
// when freed. Node.js reads it from GLIBC_TUNABLES at exec, so it cannot be set from inside.
const MMAP_THRESHOLD = 'glibc.malloc.mmap_threshold=131072';

/** The environment `env` with the server's memory settings added (kept when it already sets the threshold). */
export function serverEnv(env = process.env) {
  const tunables = env.GLIBC_TUNABLES ?? '';
  if (tunables.includes('glibc.malloc.mmap_threshold=')) return { ...env };
  return { ...env, GLIBC_TUNABLES: tunables ? `${tunables}:${MMAP_THRESHOLD}` : MMAP_THRESHOLD };
}
