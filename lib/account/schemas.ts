import { z } from 'zod';
import '@/lib/zod-setup';

// Shared by the forms (instant feedback) and the actions (the check that counts).
// Strength beyond length is judged on the server by zxcvbn, whose dictionaries stay off the client.
export const PASSWORD_MIN = 12;
const PASSWORD_MAX = 128;

const email = z
  .string()
  .trim()
  .min(1, { error: 'Enter your email address.' })
  .max(254, { error: 'This email address is too long.' })
  .pipe(z.email({ error: 'Enter a valid email address, like name@company.com.' }));

const newPassword = z
  .string()
  .min(PASSWORD_MIN, { error: `Use at least ${PASSWORD_MIN} characters.` })
  .max(PASSWORD_MAX, { error: `Use at most ${PASSWORD_MAX} characters.` });

const currentPassword = z.string().min(1, { error: 'Enter your password.' }).max(PASSWORD_MAX, { error: 'This password is too long.' });

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

export type SignupInput = z.infer<typeof signupSchema>;
export type LoginInput = z.infer<typeof loginSchema>;
