'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/', label: 'dashboard' },
  { href: '/guidance', label: 'guidance' },
  { href: '/onboarding', label: 'onboarding' },
  { href: '/accounts', label: 'accounts' },
  { href: '/settings/company', label: 'company' },
  { href: '/settings/account', label: 'account' },
] as const;

export function PortalNav() {
  const pathname = usePathname();
  const t = useTranslations('common.nav');
  return (
    <nav aria-label={t('label')} className="col-span-2 -mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0">
      <ul className="flex gap-1 whitespace-nowrap sm:flex-wrap">
        {LINKS.map((link) => {
          const current = link.href === '/' ? pathname === '/' : pathname.startsWith(link.href);
          return (
            <li key={link.href}>
              <Link
                href={link.href}
                aria-current={current ? 'page' : undefined}
                className={`rounded-md px-3 py-2 text-sm font-medium ${current ? 'bg-blue-100 text-blue-950' : 'text-slate-800 hover:bg-slate-100'}`}
              >
                {t(link.label)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
