import { z } from 'zod';
import { messageRef } from '@/lib/i18n/message-ref';
import '@/lib/zod-setup';
import { PASSWORD_MAX, PASSWORD_MIN } from './password-limits';

// Shared by the forms (instant feedback) and the actions (the check that counts). Messages are references, said in
// the user's language by the action wrapper (lib/i18n/message-ref.ts).
// Strength beyond length is judged on the server by zxcvbn, whose dictionaries stay off the client.

const email = z
  .string()
  .trim()
  .min(1, { error: messageRef('auth.fields.emailRequired') })
  .max(254, { error: messageRef('auth.fields.emailTooLong') })
  .pipe(z.email({ error: messageRef('auth.fields.emailInvalid') }));

const newPassword = z
  .string()
  .min(PASSWORD_MIN, { error: messageRef('auth.fields.passwordMin', { min: PASSWORD_MIN }) })
  .max(PASSWORD_MAX, { error: messageRef('auth.fields.passwordMax', { max: PASSWORD_MAX }) });

const currentPassword = z
  .string()
  .min(1, { error: messageRef('auth.fields.passwordRequired') })
  .max(PASSWORD_MAX, { error: messageRef('auth.fields.passwordTooLong') });

// The browser's IANA time zone, from a hidden field a script fills (components/account/time-zone-field.tsx). Never a
// reason to refuse the form: absent (no JavaScript) or unknown, the server stores nothing (lib/account/users.ts).
const timeZone = z
  .string()
  .max(100)
  .optional()
  .catch(undefined)
  .transform((value) => value || undefined);

export const signupSchema = z.object({ email, password: newPassword, timeZone });
export const loginSchema = z.object({ email, password: currentPassword, timeZone });
export const changePasswordSchema = z.object({ currentPassword, newPassword });
export const confirmPasswordSchema = z.object({ password: currentPassword });

export const forgotPasswordSchema = z.object({ email });
// The token's shape is checked where it is used (lib/account/password-reset.ts); here only its size.
export const resetPasswordSchema = z.object({ token: z.string().max(100), password: newPassword });

export type SignupInput = z.infer<typeof signupSchema>;
export type LoginInput = z.infer<typeof loginSchema>;
export type ResetPasswordInput = z.infer<typeof resetPasswordSchema>;
