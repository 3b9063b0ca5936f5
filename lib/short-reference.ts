/**
 * What users see instead of a raw UUID: its first eight hex digits in two groups of four, upper case
 * ("3F2A-9C1B"). Enough to tell a user's own records apart and to quote to support, who can find the full id
 * by prefix; the full id stays in URLs and logs.
 */
export function shortReference(id: string): string {
  const hex = id.replace(/-/g, '').slice(0, 8).toUpperCase();
  return hex.length === 8 ? `${hex.slice(0, 4)}-${hex.slice(4)}` : hex;
}
