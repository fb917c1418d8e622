// Translated message catalogs: code -> messageId -> template, with the same {{placeholders}} as the
// English templates in each check's meta. A missing entry falls back to English, so a catalog can
// grow one code at a time without touching any check.

import { zhHans } from './zh-Hans.js';

export type Catalog = Record<string, Record<string, string>>;

export const LOCALES = ['en', 'zh-Hans'] as const;
export type Locale = (typeof LOCALES)[number];

/** Maps what users type or have in LANG (zh_CN.UTF-8, zh-CN, zh-hans...) to a catalog we ship. */
export function normaliseLocale(text: string | undefined): Locale | undefined {
  if (!text) return undefined;
  const t = text.toLowerCase().replace(/_/g, '-').replace(/\..*$/, '');
  if (t === 'en' || t.startsWith('en-') || t === 'c' || t === 'posix') return 'en';
  if (t === 'zh' || t === 'zh-hans' || t === 'zh-cn' || t === 'zh-sg') return 'zh-Hans';
  return undefined;
}

const CATALOGS: Record<Locale, Catalog | undefined> = { en: undefined, 'zh-Hans': zhHans };

export function catalogFor(locale: Locale): Catalog | undefined {
  return CATALOGS[locale];
}
