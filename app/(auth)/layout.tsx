import { SandboxBadge } from '@/components/layout/sandbox-badge';

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      <header className="border-b border-slate-300 bg-white">
        <div className="mx-auto flex max-w-md items-center gap-3 px-4 py-4">
          <p className="text-xl font-bold text-blue-900">Guidepost</p>
          <SandboxBadge />
        </div>
      </header>
      <main className="mx-auto max-w-md px-4 py-10">{children}</main>
    </>
  );
}
