// Messages are keyed by code and messageId with their data (ESLint-style), so a translated catalog can
// replace the English templates without touching any check.

import type { MessageData } from './types.js';

/** Matches `{{name}}` and `{{@name}}` (a phrase: the data value is a phrase id, shown in words). */
export const PLACEHOLDER = /\{\{\s*(@?)([A-Za-z0-9_]+)\s*\}\}/g;

/**
 * Fills `{{name}}` placeholders from `data`, and `{{@name}}` with the words of the phrase whose id is
 * `data[name]` (from `phrase`, which knows the language and throws for an unknown id); an unknown
 * placeholder is left visible rather than silently dropped.
 */
export function formatMessage(template: string, data: MessageData, phrase: (id: string) => string | undefined = () => undefined): string {
  return template.replace(PLACEHOLDER, (whole, at: string, key: string) => {
    if (!Object.hasOwn(data, key)) return whole;
    const value = String(data[key]);
    return at ? (phrase(value) ?? value) : value;
  });
}
