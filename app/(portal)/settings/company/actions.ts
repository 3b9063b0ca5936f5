'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import type { ActionResult } from '@/lib/action-result';
import { requireUser } from '@/lib/auth/dal';
import { stepUp } from '@/lib/auth/step-up';
import { companyProfileSchema, companyProfileValues, profileToValues, type CompanyProfileField, type CompanyProfileValues } from '@/lib/company/schema';
import { changesWhoGetsGuidance, getCompanyProfile, saveCompanyProfile } from '@/lib/company/service';

// `values` become the form's defaults: what was typed after a failure, what was stored after a save.
// `reauth`: the change needs the password typed again (step-up); the form asks for it and keeps the values.
export type CompanyProfileState = (ActionResult<undefined, CompanyProfileField | 'password'> & { values?: CompanyProfileValues; reauth?: boolean }) | undefined;

export async function saveCompanyProfileAction(_prev: CompanyProfileState, formData: FormData): Promise<CompanyProfileState> {
  const user = await requireUser();
  const values = companyProfileValues(formData);
  const parsed = companyProfileSchema.safeParse(values);
  if (!parsed.success) return { ok: false, fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  // The identification number and the contacts decide whose guidance Bridge prepares and who hears of it.
  if (changesWhoGetsGuidance(await getCompanyProfile(user.id), parsed.data)) {
    const password = formData.get('password');
    const fit = await stepUp(user, typeof password === 'string' ? password : undefined);
    if (!fit.ok) {
      return fit.message
        ? { ok: false, fieldErrors: { password: [fit.message] }, values, reauth: true }
        : { ok: false, error: 'reauth_required', message: 'For your safety, confirm it is you: type your Guidepost password to save these changes.', values, reauth: true };
    }
  }
  await saveCompanyProfile(user.id, parsed.data);
  revalidatePath('/');
  revalidatePath('/settings/company');
  return { ok: true, data: undefined, message: 'Company profile saved.', values: profileToValues(parsed.data) };
}
