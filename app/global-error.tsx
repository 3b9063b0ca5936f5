'use client';

import './globals.css';

// When even the root layout fails: the same plain screen, with its own document.
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <main className="mx-auto flex max-w-xl flex-col gap-4 p-8">
          <h1 className="text-2xl font-bold">Something went wrong</h1>
          <p>Guidepost could not be shown just now. Nothing you had saved is lost. Try again in a moment.</p>
          {error.digest ? <p className="text-sm text-slate-700">Reference for support: {error.digest}</p> : null}
          <div>
            <button type="button" onClick={reset} className="rounded-md bg-blue-800 px-4 py-2 font-semibold text-white">
              Try again
            </button>
          </div>
        </main>
      </body>
    </html>
  );
}
