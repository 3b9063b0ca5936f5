// The searchable country field's matching, apart from the country list itself (lib/company/countries.ts, which needs
// libphonenumber's metadata): the browser gets the options from the server and only this code to search them.

export interface Country {
  code: string;
  name: string;
}

/** A country as the searchable field offers it: its name in the page's language, and what a query is matched with. */
export interface CountryOption extends Country {
  /** Its names in every language of the portal, folded (accents, case and dashes aside). */
  search: string[];
}

// "cote" finds "Côte d’Ivoire", "aland" finds "Åland Islands", "royaume uni" finds "Royaume-Uni".
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/[-‐–]/g, ' ')
    .toLowerCase();
}

/**
 * For a searchable select: the country whose code is the query, then those with a name (in any of our languages)
 * that starts with it, then those with a name that contains it, each group in the list's order.
 */
export function filterCountryOptions(query: string, options: readonly CountryOption[]): readonly CountryOption[] {
  const q = fold(query.trim());
  if (q === '') return options;
  const exactCode = options.filter(({ code }) => code.toLowerCase() === q);
  const rest = options.filter(({ code }) => code.toLowerCase() !== q);
  const starting = rest.filter(({ search }) => search.some((name) => name.startsWith(q)));
  const containing = rest.filter(({ search }) => !search.some((name) => name.startsWith(q)) && search.some((name) => name.includes(q)));
  return [...exactCode, ...starting, ...containing];
}
