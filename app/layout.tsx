import type { Metadata } from 'next';
import './globals.css';

export const metadata: Metadata = {
  title: 'Guidepost',
  description: 'Your financial guidance and product onboarding',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
