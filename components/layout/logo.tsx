import Link from 'next/link';

/**
 * The Guidepost mark and name, linking home; the mark is decorative, the name is the link's text. On phones only the
 * mark shows (the name stays the link's name), so the header's first row holds the language switch and "Log out" in
 * either language.
 */
export function Logo() {
  return (
    <Link href="/" className="flex items-center gap-2 text-xl font-bold text-blue-900">
      <svg aria-hidden="true" viewBox="0 0 32 32" className="h-7 w-7">
        <rect width="32" height="32" rx="7" fill="#1e3a8a" />
        <path d="M16 5v22" stroke="#fff" strokeWidth="2.5" strokeLinecap="round" />
        <path d="M16 8h8l3 3-3 3h-8zM16 16H9l-3 3 3 3h7z" fill="#fff" />
      </svg>
      <span className="max-sm:sr-only">Guidepost</span>
    </Link>
  );
}
