import { createHash } from 'node:crypto';

/** What the sandbox's guidance page shows for a company; money as decimal strings in EUR. */
export interface GuidanceIndicators {
  cashRunwayMonths: string;
  monthlyBurn: { amount: string; currency: 'EUR' };
  cashBalance: { amount: string; currency: 'EUR' };
  receivablesDays: number;
  /** 0 (worrying) to 100 (healthy). */
  healthScore: number;
}

function centsToDecimal(cents: bigint): string {
  const whole = cents / 100n;
  const fraction = (cents % 100n).toString().padStart(2, '0');
  return `${whole}.${fraction}`;
}

/** Made-up but stable figures: the same SIREN always gets the same guidance. */
export function guidanceIndicators(companyIdentificationNumber: string): GuidanceIndicators {
  const digest = createHash('sha256').update(`guidance:${companyIdentificationNumber}`).digest();
  const runwayTenths = 20 + (digest.readUInt16BE(0) % 220); // 2.0 to 23.9 months
  const burnCents = 500_000n + BigInt(digest.readUInt32BE(2) % 9_500_000); // 5,000.00 to 99,999.99 EUR
  const receivablesDays = 15 + (digest.readUInt8(6) % 76); // 15 to 90 days
  // Longer runway and faster collection score higher.
  const score = Math.round((Math.min(runwayTenths, 180) / 180) * 70 + ((90 - receivablesDays) / 75) * 30);
  return {
    cashRunwayMonths: `${Math.floor(runwayTenths / 10)}.${runwayTenths % 10}`,
    monthlyBurn: { amount: centsToDecimal(burnCents), currency: 'EUR' },
    // Balance = burn × runway, computed in cents so no float touches the money.
    cashBalance: { amount: centsToDecimal((burnCents * BigInt(runwayTenths)) / 10n), currency: 'EUR' },
    receivablesDays,
    healthScore: Math.max(0, Math.min(100, score)),
  };
}
