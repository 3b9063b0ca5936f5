/** Text as the transactions search compares it: lower case, accents and other combining marks removed, spaces collapsed. */
export function searchText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** A LIKE pattern that finds `query` anywhere, its own % and _ taken literally. */
export function containsPattern(query: string): string {
  return `%${searchText(query).replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
