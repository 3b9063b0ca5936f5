'use server';

import { revalidatePath } from 'next/cache';
import { stateAction } from '@/lib/actions/action';
import { done } from '@/lib/actions/result';
import { companyProfileSchema, companyProfileValues, profileToValues } from '@/lib/company/schema';
import { changesWhoGetsGuidance, getCompanyProfile, saveCompanyProfile } from '@/lib/company/service';

// `values` become the form's defaults: what was typed after a failure, what was stored after a save.
// 'reauth_required': the change needs the password typed again (step-up); the form asks for it and keeps the values.
export const saveCompanyProfileAction = stateAction({
  name: 'company.save',
  input: companyProfileSchema,
  read: companyProfileValues,
  keep: 'all',
  // The identification number and the contacts decide whose guidance Bridge prepares and who hears of it.
  recentLogin: async (profile, user) => changesWhoGetsGuidance(await getCompanyProfile(user.id), profile),
  reauthMessage: 'For your safety, confirm it is you: type your Guidepost password to save these changes.',
  async run(profile, { user }) {
    await saveCompanyProfile(user.id, profile);
    revalidatePath('/');
    revalidatePath('/settings/company');
    return done(undefined, { message: 'Company profile saved.', values: profileToValues(profile) });
  },
});
