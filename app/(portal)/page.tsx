import type { Metadata } from 'next';
import { CompanySummary } from '@/components/company/company-summary';
import { Card } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/dal';
import { getCompanyProfile } from '@/lib/company/service';

export const metadata: Metadata = { title: 'Dashboard · Guidepost' };

export default async function DashboardPage() {
  const user = await requireUser();
  const profile = await getCompanyProfile(user.id);
  return (
    <>
      <h1 className="text-2xl font-bold">Dashboard</h1>
      <Card title="Your company">
        <CompanySummary profile={profile} />
      </Card>
    </>
  );
}
