import 'server-only';
import { bridgeCleanupHook } from '@/lib/bridge/cleanup';

/** Deletes what a provider holds about a portal user when the user deletes their account. */
export interface AccountCleanupHook {
  name: string;
  run: (userId: string) => Promise<void>;
}

// Each provider that holds data about a user adds its clean-up here.
export const accountCleanupHooks: AccountCleanupHook[] = [bridgeCleanupHook];
