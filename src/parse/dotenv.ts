// docker compose `.env` files (docker-jitsi-meet's configuration): KEY=VALUE lines, `#` comments,
// single quotes literal, double quotes with escapes, inline ` #` comments after unquoted values.

import { LineIndex, type Span } from './positions.js';

export interface EnvEntry {
  name: string;
  value: string;
  quote?: '"' | "'";
  line: number;
  /** Where the value sits (for edits that replace it). */
  valueSpan: Span;
  /** The whole line, without its line break. */
  lineSpan: Span;
}

export interface ParsedEnv {
  entries: EnvEntry[];
  /** Last assignment wins, as in docker compose. */
  values: Record<string, string>;
  problems: { message: string; span: Span }[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function parseDotenv(text: string): ParsedEnv {
  const index = new LineIndex(text);
  const entries: EnvEntry[] = [];
  const problems: ParsedEnv['problems'] = [];
  let lineStart = 0;
  for (let n = 1; n <= index.lineCount; n++) {
    const raw = index.lineText(n);
    const nextStart = lineStart + index.lineText(n).length + (text[lineStart + raw.length] === '\r' ? 2 : 1);
    const trimmed = raw.trimStart();
    const lead = raw.length - trimmed.length;
    if (trimmed === '' || trimmed.startsWith('#')) {
      lineStart = nextStart;
      continue;
    }
    const body = trimmed.startsWith('export ') ? trimmed.slice(7).trimStart() : trimmed;
    const bodyOffset = lineStart + lead + (trimmed.length - body.length);
    const eq = body.indexOf('=');
    const name = (eq < 0 ? body : body.slice(0, eq)).trim();
    if (!NAME.test(name)) {
      problems.push({
        message: eq < 0 ? `expected NAME=value, found '${body.slice(0, 40)}'` : `'${name}' is not a valid variable name`,
        span: index.span(bodyOffset, bodyOffset + Math.max(1, name.length)),
      });
      lineStart = nextStart;
      continue;
    }
    if (eq < 0) {
      lineStart = nextStart;
      continue; // a bare NAME takes its value from the environment: not set here
    }
    let rest = body.slice(eq + 1);
    let valueStart = bodyOffset + eq + 1;
    const leading = rest.length - rest.trimStart().length;
    rest = rest.trimStart();
    valueStart += leading;
    let value: string;
    let quote: EnvEntry['quote'];
    let valueEnd: number;
    if (rest.startsWith('"') || rest.startsWith("'")) {
      quote = rest[0] as '"' | "'";
      let j = 1;
      let out = '';
      while (j < rest.length && rest[j] !== quote) {
        if (quote === '"' && rest[j] === '\\' && j + 1 < rest.length) {
          const esc = rest[j + 1];
          out += esc === 'n' ? '\n' : esc === 't' ? '\t' : esc === 'r' ? '\r' : esc;
          j += 2;
        } else out += rest[j++];
      }
      if (j >= rest.length) {
        problems.push({ message: `unterminated ${quote === '"' ? 'double' : 'single'} quote in ${name}`, span: index.span(valueStart, valueStart + 1) });
        lineStart = nextStart;
        continue;
      }
      value = out;
      valueEnd = valueStart + j + 1;
    } else {
      const comment = rest.search(/\s#/);
      value = (comment >= 0 ? rest.slice(0, comment) : rest).trimEnd();
      valueEnd = valueStart + value.length;
    }
    entries.push({
      name,
      value,
      ...(quote ? { quote } : {}),
      line: n,
      valueSpan: index.span(valueStart, valueEnd),
      lineSpan: index.span(lineStart, lineStart + raw.length),
    });
    lineStart = nextStart;
  }
  const values: Record<string, string> = {};
  // defineProperty: a variable named __proto__ is a value like any other, not the object's prototype.
  for (const e of entries) Object.defineProperty(values, e.name, { value: e.value, enumerable: true, writable: true, configurable: true });
  return { entries, values, problems };
}
