// The closed set of results a form action returns: the client renders each without guessing.
export type FieldErrors<K extends string = string> = Partial<Record<K, string[]>>;

export type ActionResult<T = undefined, K extends string = string> =
  | { ok: true; data: T; message?: string; values?: Record<string, string> }
  | { ok: false; fieldErrors: FieldErrors<K>; values?: Record<string, string>; message?: string }
  | { ok: false; error: ActionErrorCode; message: string; values?: Record<string, string> };

export type ActionErrorCode = 'invalid_input' | 'unauthenticated' | 'rate_limited' | 'reauth_required' | 'conflict' | 'upstream' | 'internal';

/** Keeps what the user typed (never passwords) so a failed submit shows it again. */
export function keepValues(formData: FormData, names: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = formData.get(name);
    if (typeof value === 'string') values[name] = value;
  }
  return values;
}
