import { bridgeGuidanceSiteLanguage, type BridgeGuidanceLanguage } from '@guidepost/provider-contracts/bridge';
import Negotiator from 'negotiator';
import { createTranslator } from 'use-intl/core';
import en from '../messages/en/bridge-site.json';
import fr from '../messages/fr/bridge-site.json';
import type { GuidanceSession } from './guidance-store';

// The guidance site's words in each language it speaks, and which one a request gets. The messages are the
// sandbox's own (it imports nothing from the portal); keys are typed from the English file.

const MESSAGES: Record<BridgeGuidanceLanguage, typeof en> = { en, fr };

export type SiteLanguage = BridgeGuidanceLanguage;

export function siteTranslator(language: SiteLanguage) {
  return createTranslator({ locale: language, messages: MESSAGES[language] });
}

export type SiteTranslator = ReturnType<typeof siteTranslator>;

/** The browser's languages from the request's Accept-Language, best first (none when it sends none). */
function browserLanguages(request: Request): string[] {
  const header = request.headers.get('accept-language');
  return header ? new Negotiator({ headers: { 'accept-language': header } }).languages() : [];
}

/** The language of a page: the session's, else the browser's (the contract's rule); without a session, the browser's. */
export function siteLanguageOf(request: Request, session?: Pick<GuidanceSession, 'language'>): SiteLanguage {
  return bridgeGuidanceSiteLanguage(session?.language ?? null, browserLanguages(request));
}
