/** The form-level result, announced to screen readers when it changes. */
export function FormMessage({ tone, message }: { tone: 'error' | 'success'; message?: string }) {
  return (
    <div aria-live="polite" role={tone === 'error' && message ? 'alert' : 'status'} className="min-h-0">
      {message ? (
        <p
          className={
            tone === 'error'
              ? 'rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900'
              : 'rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900'
          }
        >
          {message}
        </p>
      ) : null}
    </div>
  );
}
