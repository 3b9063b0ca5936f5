'use server';

import { revalidatePath } from 'next/cache';
import { stateAction } from '@/lib/actions/action';
import { done } from '@/lib/actions/result';
import { companyProfileSchema, companyProfileValues, profileToValues } from '@/lib/company/schema';
import { changesWhoGetsGuidance, getCompanyProfile, saveCompanyProfile } from '@/lib/company/service';
import { messageRef } from '@/lib/i18n/message-ref';
import { translator } from '@/lib/i18n/server';

// `values` become the form's defaults: what was typed after a failure, what was stored after a save.
// 'reauth_required': the change needs the password typed again (step-up); the form asks for it and keeps the values.
export const saveCompanyProfileAction = stateAction({
  name: 'company.save',
  input: companyProfileSchema,
  read: companyProfileValues,
  keep: 'all',
  // The identification number and the contacts decide whose guidance Bridge prepares and who hears of it.
  recentLogin: async (profile, user) => changesWhoGetsGuidance(await getCompanyProfile(user.id), profile),
  reauthMessage: messageRef('company.reauth'),
  async run(profile, { user }) {
    await saveCompanyProfile(user.id, profile);
    revalidatePath('/');
    revalidatePath('/settings/company');
    return done(undefined, { message: (await translator('company'))('saved'), values: profileToValues(profile) });
  },
});
