import type { Messages } from '@/messages';
import type { Locale } from './locales';

// Typed keys: a key that does not exist in messages/en is a type error wherever it is used.
declare module 'next-intl' {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
