// Messages are keyed by code and messageId with their data (ESLint-style), so a translated catalog can
// replace the English templates without touching any check.

import type { MessageData } from './types.js';

/** Fills `{{name}}` placeholders; an unknown placeholder is left visible rather than silently dropped. */
export function formatMessage(template: string, data: MessageData): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, key: string) => (Object.hasOwn(data, key) ? String(data[key]) : whole));
}
