// Surgical edits of docker compose .env files: set a variable in place (keeping its quoting, comments
// and the other lines), or remove its assignments; a new line gets the file's line end (LF or CRLF).

import { parseDotenv } from '../parse/dotenv.js';
import { FixError } from './errors.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** The value as .env text: bare when that reads back unchanged, double-quoted otherwise. */
export function renderEnvValue(value: string, quote?: '"' | "'"): string {
  if (quote === "'" && !value.includes("'")) return `'${value}'`;
  if (quote === '"' || /[\s#"'\\$`]/.test(value) || value === '') {
    if (value === '' && !quote) return '';
    return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  }
  return value;
}

export function envSet(text: string, name: string, value: string): string {
  if (!NAME.test(name)) throw new FixError(`'${name}' is not a variable name`);
  const parsed = parseDotenv(text);
  const entries = parsed.entries.filter((e) => e.name === name);
  const last = entries[entries.length - 1];
  if (last) {
    const span = last.valueSpan;
    // An empty bare value before an inline comment would read the comment as the value: quote it.
    const rest = text.slice(span.endOffset, last.lineSpan.endOffset);
    const rendered = renderEnvValue(value, last.quote) || (rest.trim() ? '""' : '');
    return text.slice(0, span.offset) + rendered + text.slice(span.endOffset);
  }
  // A new line, with the file's line end (CRLF when its first line ends so).
  const i = text.indexOf('\n');
  const eol = i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
  const sep = text === '' || text.endsWith('\n') ? '' : eol;
  return `${text}${sep}${name}=${renderEnvValue(value)}${eol}`;
}

/** Removes every assignment of `name` (its whole lines). */
export function envUnset(text: string, name: string): string {
  const parsed = parseDotenv(text);
  const lines = parsed.entries.filter((e) => e.name === name).map((e) => e.lineSpan);
  let out = text;
  for (const span of lines.sort((a, b) => b.offset - a.offset)) {
    const end = out[span.endOffset] === '\r' ? span.endOffset + 2 : span.endOffset + 1;
    out = out.slice(0, span.offset) + out.slice(Math.min(end, out.length));
  }
  return out;
}
