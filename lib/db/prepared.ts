import 'server-only';
import { getDb, type Database } from './client';

// The statements every page runs (the session, the dashboard's reads) are built once per database, not per request:
// drizzle's query builder costs more than the query itself for small lookups on the embedded PGlite, and on PostgreSQL a
// named statement is also planned once per connection. Placeholders (`sql.placeholder('name')`) carry the values.

interface Prepared {
  execute(placeholders?: Record<string, unknown>): Promise<unknown>;
}

/**
 * A statement prepared on first use against the process's database (and again if the database changes, as tests do).
 * `build` ends with `.prepare(name)`; the name must be unique in the app (PostgreSQL keeps it per connection).
 */
export function prepared<T extends Prepared>(build: (db: Database) => T): () => Promise<T> {
  const byDatabase = new WeakMap<Database, T>();
  return async () => {
    const db = await getDb();
    let statement = byDatabase.get(db);
    if (!statement) {
      statement = build(db);
      byDatabase.set(db, statement);
    }
    return statement;
  };
}
