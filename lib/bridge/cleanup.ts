import 'server-only';
import type { AccountCleanupHook } from '@/lib/account/cleanup-hooks';
import { bridgeClient } from './client';

/** Bridge asks integrators to delete the Bridge user when the customer deletes their account. */
export const bridgeCleanupHook: AccountCleanupHook = {
  name: 'Bridge',
  run: (userId) => bridgeClient().deleteBridgeUser(userId),
};
