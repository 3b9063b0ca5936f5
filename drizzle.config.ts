import { defineConfig } from 'drizzle-kit';

// Generates SQL migrations from lib/db/schema.ts; the same files migrate PGlite and PostgreSQL.
export default defineConfig({
  dialect: 'postgresql',
  schema: './lib/db/schema.ts',
  out: './lib/db/migrations',
});
