import type { Metadata } from 'next';
import { PublicShell } from '@/components/layout/public-shell';

export const metadata: Metadata = { title: 'Privacy notice · Guidepost' };

// What we hold, where it goes and for how long: each sentence matches what the code does (README,
// "Security notes" and the onboarding section), and changes with it.
export default function PrivacyPage() {
  return (
    <PublicShell>
      <h1 className="text-2xl font-bold">Privacy notice</h1>
      <p>
        Guidepost gives your company its financial guidance from Bridge and onboards it onto financial products through Finqware. This is what it holds about
        you.
      </p>
      <h2 className="text-xl font-semibold">Your account</h2>
      <p>
        Your email address, your password (only as a one-way hash), your company&apos;s profile, your sessions and the devices you logged in from. They stay
        until you delete your account from the account settings, which deletes them at once.
      </p>
      <h2 className="text-xl font-semibold">Identity checks (KYC) for an onboarding</h2>
      <p>
        The personal details you give in an onboarding (name, date of birth, nationality, address) are kept encrypted with that onboarding so you can resume it,
        and are sent to Finqware, which runs the onboarding with the bank or provider of the product. The identity document and the selfie you upload are
        checked, stripped of their metadata (such as a photo&apos;s location), sent to Finqware and never stored by Guidepost.
      </p>
      <p>
        When an onboarding completes, Guidepost keeps the consent Finqware gives it, encrypted, until it expires, you revoke it, or you delete your account;
        revoking it or deleting your account asks Finqware to delete it too. An unfinished onboarding you abandon is deleted with its answers.
      </p>
      <h2 className="text-xl font-semibold">Financial guidance</h2>
      <p>
        To open your guidance, Guidepost sends Bridge your company&apos;s identification number, country and contact details. The one-time password Bridge gives
        is held encrypted in memory for at most 30 minutes and never written to the database. Deleting your account also deletes your user at Bridge.
      </p>
      <h2 className="text-xl font-semibold">Logs</h2>
      <p>Technical logs name events and identifiers, never passwords, tokens, your answers or your files.</p>
    </PublicShell>
  );
}
