import 'server-only';
import type { Skill } from '@/lib/finqware/client';
import { defaultDeps, type OnboardingDeps } from './deps';

// The products (skills) the tenant may offer, from Finqware's catalog.

const catalogCache = globalThis as unknown as { __guidepostCatalog?: { at: number; skills: Skill[] } };
const CATALOG_TTL_MS = 5 * 60 * 1000;

/** The skills the tenant may offer, from Finqware's catalog (cached for five minutes). */
export async function listSkills(deps: OnboardingDeps = defaultDeps()): Promise<Skill[]> {
  const cached = catalogCache.__guidepostCatalog;
  if (cached && deps.now().getTime() - cached.at < CATALOG_TTL_MS) return cached.skills;
  const skills = await deps.finqware.catalog();
  catalogCache.__guidepostCatalog = { at: deps.now().getTime(), skills };
  return skills;
}

export function clearCatalogCache(): void {
  catalogCache.__guidepostCatalog = undefined;
}
