import 'server-only';
import { bridgeLink } from '@/lib/bridge-link/service';
import { revokeAllConsents } from '@/lib/onboarding/service';

/** Deletes what a provider holds about a portal user when the user deletes their account. */
export interface AccountCleanupHook {
  name: string;
  run: (userId: string) => Promise<void>;
}

// Every provider that holds something about a user, in one place. Each hook is safe to run again after
// a failure (the user may retry the deletion), and throws when its provider cannot confirm.
export const accountCleanupHooks: AccountCleanupHook[] = [
  // Consents are revoked at Finqware (consents/delete) while we still hold the credentials that can.
  { name: 'Finqware', run: async (userId) => void (await revokeAllConsents(userId)) },
  // Bridge asks integrators to delete the Bridge user when the customer deletes their account; found by
  // our link or, when the link was never stored, by external_user_id.
  { name: 'Bridge', run: (userId) => bridgeLink().deleteBridgeUser(userId) },
];
