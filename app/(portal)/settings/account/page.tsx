import type { Metadata } from 'next';
import { ChangePasswordForm } from '@/components/account/change-password-form';
import { DeleteAccountForm } from '@/components/account/delete-account-form';
import { LocalTime } from '@/components/account/local-time';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/dal';
import { changePasswordAction, deleteAccountAction, logoutEverywhereAction } from './actions';

export const metadata: Metadata = { title: 'Account · Guidepost' };

export default async function AccountPage() {
  const user = await requireUser();
  return (
    <>
      <h1 className="text-2xl font-bold">Account</h1>
      <Card title="Sign-in">
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
          <dt className="font-medium">Email</dt>
          <dd>{user.email}</dd>
          <dt className="font-medium">Last login</dt>
          <dd>{user.lastLoginAt ? <LocalTime date={user.lastLoginAt} timeZone={user.timeZone} /> : 'Never'}</dd>
        </dl>
      </Card>
      <Card title="Change password">
        <ChangePasswordForm action={changePasswordAction} />
      </Card>
      <Card title="Log out everywhere">
        <form action={logoutEverywhereAction} className="flex flex-col gap-3">
          <p className="text-sm text-slate-800">Ends every session of your account, on every device, including this one.</p>
          <div>
            <Button type="submit" variant="secondary">
              Log out everywhere
            </Button>
          </div>
        </form>
      </Card>
      <Card title="Delete account">
        <DeleteAccountForm action={deleteAccountAction} />
      </Card>
    </>
  );
}
