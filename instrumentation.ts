export async function register() {
  // NEXT_RUNTIME is fixed at build time by Next.js; the edge bundle never loads the Node-only start-up.
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { startup } = await import('./lib/startup');
    await startup();
  }
}
