import { PATHS, UPLOAD_KINDS, type StepKind } from '@guidepost/provider-contracts/finqware';
import { jsonRoute } from './api';
import { checkTenantKeys } from './credentials';
import { routePattern, type Route } from './router';
import type { Skill } from './skill';

export type { Skill, SkillStep } from './skill';

/**
 * The one bank behind every sandbox skill (`xyz_…`), as consents and accounts name it. [ours] A French
 * bank (its BIC's country FR, location PP: Paris), so that its accounts are in euros (./accounts.ts).
 */
export const SERVICER = { id: 'e5c11467-3a0f-4b6e-9c1d-52a6492054d8', name: 'XYZ Bank (sandbox)', country: 'France', bic: 'XYZBFRPPXXX' } as const;

export const AISP_SKILL = 'xyz_aisp_sbx_#1.0';
export const CARD_SKILL = 'xyz_card_sbx_#3.0';

// The skills this tenant has registered, in the order the catalog lists them.
export const SKILLS: readonly Skill[] = [
  {
    skill: AISP_SKILL,
    name: 'Account information (sandbox bank)',
    description: 'Read-only access to the accounts and balances the user holds at the sandbox bank, for 90 days.',
    steps: [{ step: 'consent', kind: 'consent' }],
  },
  {
    skill: CARD_SKILL,
    name: 'Business credit card',
    description: 'Apply for a business credit card: choose the limit, tell us who you are, then show an identity document and a selfie.',
    steps: [
      { step: 'product_form', kind: 'product_form' },
      { step: 'personal_data', kind: 'personal_data' },
      { step: 'identity_document', kind: 'identity_document' },
      { step: 'selfie', kind: 'selfie' },
    ],
  },
];

/** Skills whose credentials give access to account data. */
export const DATA_SKILLS: ReadonlySet<string> = new Set([AISP_SKILL]);

export function findSkill(name: string): Skill | undefined {
  return SKILLS.find((skill) => skill.skill === name);
}

export function needsUpload(kind: StepKind): boolean {
  return UPLOAD_KINDS.includes(kind);
}

/** `POST /catalogs/get`: the skills this tenant may start sessions for, with their steps. */
export const catalogRoutes: readonly Route[] = [
  jsonRoute(routePattern(PATHS.catalog), { client_id: 'string', client_app_key: 'string' }, (body, { credentials }) => {
    const refused = checkTenantKeys(body, credentials);
    if (refused) return refused;
    return Response.json(
      SKILLS.map(({ skill, name, description, steps }) => ({ skill, name, description, steps: steps.map(({ step, kind }) => ({ step, kind })) })),
    );
  }),
];
