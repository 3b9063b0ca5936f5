import type { StepKind } from '@guidepost/provider-contracts/finqware';

// What a skill is, apart from the catalog that lists this tenant's skills: the state keeps the skill a
// session was started for, and the catalog's routes read the state, so the shape lives below both.

export interface SkillStep {
  step: string;
  kind: StepKind;
}

export interface Skill {
  skill: string;
  name: string;
  description: string;
  steps: readonly SkillStep[];
}
