import 'server-only';

// The onboarding service's public face, one module per job: the catalog (catalog.ts), what the pages
// show (views.ts), the way through the steps (steps.ts), and the end: the token exchange, the sweep of
// stale temp_tokens and the consent's revocation (completion.ts). Those modules import each other
// directly, never this index.

export { clearCatalogCache, listSkills } from './catalog';
export { finishOnboarding, revokeAllConsents, revokeOnboarding, sweepStaleTempTokens } from './completion';
export type { OnboardingDeps } from './deps';
export { abandonOnboarding, restartOnboarding, startOnboarding, submitFormStep, submitUploadStep } from './steps';
export { getOnboarding, listOnboardings } from './views';
