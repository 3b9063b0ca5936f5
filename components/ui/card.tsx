import type { ReactNode } from 'react';

export function Card({ title, children, headingLevel = 2 }: { title: string; children: ReactNode; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="rounded-lg border border-slate-300 bg-white p-6 shadow-sm">
      <Heading className="mb-4 text-lg font-semibold text-slate-900">{title}</Heading>
      {children}
    </section>
  );
}
