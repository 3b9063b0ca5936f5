'use server';

import { signOut } from '@/lib/auth/config';
import { currentUser } from '@/lib/auth/dal';
import { revokeSession } from '@/lib/auth/sessions';

export async function logoutAction(): Promise<void> {
  const user = await currentUser();
  if (user) await revokeSession(user.sessionId);
  await signOut({ redirectTo: '/login' });
}
