import 'server-only';
import { desc, eq, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db/client';
import { prepared } from '@/lib/db/prepared';
import { guidanceAudit } from '@/lib/db/schema';

// What happened to a guidance password. The trail never holds the password itself.
export type AuditAction = 'created' | 'revealed' | 'reveal_refused' | 'deleted' | 'expired' | 'invalidated';

export interface AuditEntry {
  action: AuditAction;
  guidanceSessionId: string;
  at: Date;
}

export async function recordAudit(userId: string, guidanceSessionId: string, action: AuditAction, at = new Date()): Promise<void> {
  const db = await getDb();
  await db.insert(guidanceAudit).values({ userId, guidanceSessionId, action, at });
}

const latestEntries = prepared((db) =>
  db
    .select()
    .from(guidanceAudit)
    .where(eq(guidanceAudit.userId, sql.placeholder('userId')))
    .orderBy(desc(guidanceAudit.at))
    .limit(sql.placeholder('limit'))
    .prepare('guidance_audit_latest'),
);

export async function auditTrail(userId: string, limit = 50): Promise<AuditEntry[]> {
  const rows = await (await latestEntries()).execute({ userId, limit });
  return rows.map((row) => ({ action: row.action as AuditAction, guidanceSessionId: row.guidanceSessionId, at: row.at }));
}
