import 'server-only';
import { translator } from '@/lib/i18n/server';

// [ours] Finqware's catalog names and describes its products (skills) in one language, and its docs say
// nothing of another. Guidepost names the skills it knows in the user's language, by the skill's id
// without its version ("xyz_card_sbx" for "xyz_card_sbx_#3.0"), and shows Finqware's own words for any other.
const KNOWN_SKILLS = { xyz_card_sbx: 'card', xyz_aisp_sbx: 'accountInformation' } as const;

type Translator = Awaited<ReturnType<typeof translator<'onboarding'>>>;

function knownSkill(skillId: string): (typeof KNOWN_SKILLS)[keyof typeof KNOWN_SKILLS] | undefined {
  const family = skillId.split('#')[0]!.replace(/_$/, '');
  return Object.hasOwn(KNOWN_SKILLS, family) ? KNOWN_SKILLS[family as keyof typeof KNOWN_SKILLS] : undefined;
}

/** A product's name and description in the user's language, or as Finqware gave them. */
export function skillText(t: Translator, skill: { id: string; name: string; description?: string }): { name: string; description: string } {
  const known = knownSkill(skill.id);
  if (!known) return { name: skill.name, description: skill.description ?? '' };
  return { name: t(`skills.${known}.name`), description: t(`skills.${known}.description`) };
}
