import type { Locale } from '@/lib/i18n/locales';
import enAccounts from './en/accounts.json';
import enActions from './en/actions.json';
import enAuth from './en/auth.json';
import enCommon from './en/common.json';
import enCompany from './en/company.json';
import enDashboard from './en/dashboard.json';
import enEmails from './en/emails.json';
import enGuidance from './en/guidance.json';
import enHandoff from './en/handoff.json';
import enNotifications from './en/notifications.json';
import enOnboarding from './en/onboarding.json';
import enOnboardingSteps from './en/onboarding-steps.json';
import enPrivacy from './en/privacy.json';
import enTwoFactor from './en/two-factor.json';
import frAccounts from './fr/accounts.json';
import frActions from './fr/actions.json';
import frAuth from './fr/auth.json';
import frCommon from './fr/common.json';
import frCompany from './fr/company.json';
import frDashboard from './fr/dashboard.json';
import frEmails from './fr/emails.json';
import frGuidance from './fr/guidance.json';
import frHandoff from './fr/handoff.json';
import frNotifications from './fr/notifications.json';
import frOnboarding from './fr/onboarding.json';
import frOnboardingSteps from './fr/onboarding-steps.json';
import frPrivacy from './fr/privacy.json';
import frTwoFactor from './fr/two-factor.json';

// Every sentence Guidepost shows, one folder per locale and one file per part of the portal (a namespace). English
// is the reference for the keys' types (lib/i18n/next-intl.d.ts); messages/parity.test.ts fails when a key exists in
// one locale and not the other, or when a message's ICU arguments differ between them.

const en = {
  common: enCommon,
  accounts: enAccounts,
  actions: enActions,
  auth: enAuth,
  company: enCompany,
  dashboard: enDashboard,
  emails: enEmails,
  guidance: enGuidance,
  handoff: enHandoff,
  notifications: enNotifications,
  onboarding: enOnboarding,
  onboardingSteps: enOnboardingSteps,
  privacy: enPrivacy,
  twoFactor: enTwoFactor,
};

export type Messages = typeof en;

const fr: Messages = {
  common: frCommon,
  accounts: frAccounts,
  actions: frActions,
  auth: frAuth,
  company: frCompany,
  dashboard: frDashboard,
  emails: frEmails,
  guidance: frGuidance,
  handoff: frHandoff,
  notifications: frNotifications,
  onboarding: frOnboarding,
  onboardingSteps: frOnboardingSteps,
  privacy: frPrivacy,
  twoFactor: frTwoFactor,
};

export const MESSAGES: Record<Locale, Messages> = { en, fr };
