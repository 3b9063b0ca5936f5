'use client';

import enCommon from '@/messages/en/common.json';
import frCommon from '@/messages/fr/common.json';
import './globals.css';

// When even the root layout fails, no request language is at hand (the layout resolves it): the same plain screen
// in both languages, French first, each marked with its language.
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const [fr, en] = [frCommon.errors, enCommon.errors];
  const reference = (text: string) => (error.digest ? text.replace('{reference}', error.digest) : null);
  return (
    <html lang="fr">
      <body className="min-h-screen">
        <main className="mx-auto flex max-w-xl flex-col gap-4 p-8">
          <h1 className="text-2xl font-bold">
            {fr.title} <span lang="en">/ {en.title}</span>
          </h1>
          <p>{fr.global}</p>
          <p lang="en">{en.global}</p>
          {error.digest ? (
            <p className="text-sm text-slate-700">
              {reference(fr.reference)} <span lang="en">/ {reference(en.reference)}</span>
            </p>
          ) : null}
          <div>
            <button type="button" onClick={reset} className="rounded-md bg-blue-800 px-4 py-2 font-semibold text-white">
              {fr.tryAgain} <span lang="en">/ {en.tryAgain}</span>
            </button>
          </div>
        </main>
      </body>
    </html>
  );
}
