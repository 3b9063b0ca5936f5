import 'server-only';

/** Deletes what a provider holds about a portal user when the user deletes their account. */
export interface AccountCleanupHook {
  name: string;
  run: (userId: string) => Promise<void>;
}

// Each provider adds its clean-up here (the guidance feature adds Bridge user deletion).
export const accountCleanupHooks: AccountCleanupHook[] = [];
