// What the notification centre (a client component) receives from GET /api/notifications: facts, not sentences.

export interface PortalNotification {
  id: string;
  /** The only kind written so far (lib/webhooks/bridge-events.ts): Bridge has new guidance for the company. */
  kind: 'guidance.ready';
  /** Which company the guidance is for: by name while it is the user's company, else by its number; null when unknown. */
  company: { name: string } | { identificationNumber: string } | null;
  createdAt: string;
}
