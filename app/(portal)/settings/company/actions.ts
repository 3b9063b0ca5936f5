'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import type { ActionResult } from '@/lib/action-result';
import { requireUser } from '@/lib/auth/dal';
import { companyProfileSchema, companyProfileValues, profileToValues, type CompanyProfileField, type CompanyProfileValues } from '@/lib/company/schema';
import { saveCompanyProfile } from '@/lib/company/service';

// `values` become the form's defaults: what was typed after a failure, what was stored after a save.
export type CompanyProfileState = (ActionResult<undefined, CompanyProfileField> & { values?: CompanyProfileValues }) | undefined;

export async function saveCompanyProfileAction(_prev: CompanyProfileState, formData: FormData): Promise<CompanyProfileState> {
  const user = await requireUser();
  const values = companyProfileValues(formData);
  const parsed = companyProfileSchema.safeParse(values);
  if (!parsed.success) return { ok: false, fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  await saveCompanyProfile(user.id, parsed.data);
  revalidatePath('/');
  revalidatePath('/settings/company');
  return { ok: true, data: undefined, message: 'Company profile saved.', values: profileToValues(parsed.data) };
}
