import 'server-only';
import { desc, eq } from 'drizzle-orm';
import { getDb } from '@/lib/db/client';
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

export async function auditTrail(userId: string, limit = 50): Promise<AuditEntry[]> {
  const db = await getDb();
  const rows = await db.select().from(guidanceAudit).where(eq(guidanceAudit.userId, userId)).orderBy(desc(guidanceAudit.at)).limit(limit);
  return rows.map((row) => ({ action: row.action as AuditAction, guidanceSessionId: row.guidanceSessionId, at: row.at }));
}
