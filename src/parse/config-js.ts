// Jitsi Meet's config.js read WITHOUT running it: a small JavaScript tokenizer and a scanner for the
// top-level assignments docker-jitsi-meet's web container generates (web/rootfs/defaults/system-config.js
// and settings-config.js, then custom-config.js appended), such as
//
//   config.hosts.domain = 'meet.jitsi';
//   var subdir = '<!--# echo var="subdir" default="" -->';
//   config.hosts.muc = 'muc.' + subdomain + 'meet.jitsi';
//   config.websocket = 'wss://meet.example.com/' + subdir + 'xmpp-websocket';
//
// and jitsi-meet's own object-literal form (`var config = { hosts: { domain: '...' }, bosh: '...' }`).
// Values are worked out from string literals and simple variables joined with `+`; anything else
// (function calls, `window.location`...) is kept as the expression text, unresolved. The scan is linear
// and bounded: hostile input (huge, unterminated strings or comments, deep nesting) cannot hang it.

import { LineIndex } from './positions.js';

export type ConfigJsScalar = string | number | boolean;

export interface ConfigJsSetting {
  /** The value, when it could be worked out without running the script. */
  value?: ConfigJsScalar;
  /** The expression as written (at most 200 characters). */
  expression: string;
  line: number;
  column: number;
  /** Names the expression uses whose value is unknown (for example `window.location.host`). */
  unresolved?: string[];
}

export interface ConfigJsScan {
  /** The last assignment of each watched path (`websocket`, `bosh`, `hosts.domain`...), as the browser ends up with it. */
  settings: Record<string, ConfigJsSetting>;
  /** A Jitsi Meet config.js: it declares `var config` or assigns `config.hosts`. */
  isJitsiConfig: boolean;
  /** `<!--# echo ... -->` left in: nginx did not run SSI on the file (docker-jitsi-meet's `ssi on` is missing). */
  unprocessedSsi: boolean;
  problems: string[];
  /** Characters scanned (input beyond MAX_SCAN_CHARS is ignored). */
  scanned: number;
}

/** The settings a checker needs from config.js. */
export const WATCHED_SETTINGS = [
  'websocket',
  'bosh',
  'hosts.domain',
  'hosts.muc',
  'hosts.anonymousdomain',
  'hosts.authdomain',
  'hosts.focus',
  'preferBosh',
  'websocketKeepAliveUrl',
  'p2p.enabled',
  'bridgeChannel.preferSctp',
] as const;

/** docker-jitsi-meet's config.js is about 20 KB; anything past 2 MB is not read. */
export const MAX_SCAN_CHARS = 2 * 1024 * 1024;
const MAX_TOKENS = 500_000;
const MAX_DEPTH = 64;

type TokenType = 'str' | 'num' | 'ident' | 'punct' | 'tmpl' | 'regex';

interface Token {
  type: TokenType;
  text: string;
  /** Cooked value of a string (or a template literal without substitutions). */
  value?: string;
  offset: number;
  end: number;
}

const PUNCT3 = ['===', '!==', '**=', '...', '<<=', '>>=', '>>>', '&&=', '||=', '??='];
const PUNCT2 = ['=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<', '>>', '**'];
/** After these a `/` starts a regular expression, not a division. */
const REGEX_AFTER_PUNCT = new Set([
  '(',
  ',',
  '=',
  ':',
  '[',
  '!',
  '&',
  '|',
  '?',
  '{',
  '}',
  ';',
  '+',
  '-',
  '*',
  '%',
  '<',
  '>',
  '~',
  '^',
  '=>',
  '==',
  '===',
  '!=',
  '!==',
  '&&',
  '||',
  '??',
  '+=',
  '-=',
]);
/** Statements whose bodies do not run unconditionally (or are not assignments). */
const STATEMENT_KEYWORDS = new Set(['if', 'for', 'while', 'function', 'return', 'switch', 'try', 'do', 'else', 'class', 'with']);
const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else']);

const SPECIAL_SINGLE = /['\\\n]/g;
const SPECIAL_DOUBLE = /["\\\n]/g;

function isIdentStart(c: string): boolean {
  return /[A-Za-z_$]/.test(c) || c.charCodeAt(0) > 127;
}

function isIdentPart(c: string): boolean {
  return /[A-Za-z0-9_$]/.test(c) || c.charCodeAt(0) > 127;
}

/** Escapes of one character that stand for another. */
const SINGLE_ESCAPES = new Map([
  ['n', '\n'],
  ['t', '\t'],
  ['r', '\r'],
  ['b', '\b'],
  ['f', '\f'],
  ['v', '\v'],
  ['0', '\0'],
]);

function cookEscape(text: string, i: number): { out: string; next: number } {
  const e = text[i + 1];
  const single = SINGLE_ESCAPES.get(e);
  if (single !== undefined) return { out: single, next: i + 2 };
  switch (e) {
    case 'x': {
      const hex = text.slice(i + 2, i + 4);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) return { out: String.fromCharCode(Number.parseInt(hex, 16)), next: i + 4 };
      return { out: 'x', next: i + 2 };
    }
    case 'u': {
      const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(text.slice(i + 2, i + 10));
      if (braced) {
        const cp = Number.parseInt(braced[1], 16);
        return { out: cp <= 0x10ffff ? String.fromCodePoint(cp) : '', next: i + 2 + braced[0].length };
      }
      const hex = text.slice(i + 2, i + 6);
      if (/^[0-9a-fA-F]{4}$/.test(hex)) return { out: String.fromCharCode(Number.parseInt(hex, 16)), next: i + 6 };
      return { out: 'u', next: i + 2 };
    }
    case '\r':
      return { out: '', next: text[i + 2] === '\n' ? i + 3 : i + 2 };
    case '\n':
      return { out: '', next: i + 2 };
    default:
      return { out: e ?? '', next: i + 2 };
  }
}

function tokenize(text: string, problems: string[], index: LineIndex): Token[] {
  const tokens: Token[] = [];
  const at = (offset: number) => {
    const p = index.position(offset);
    return `line ${p.line}, column ${p.column}`;
  };
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (tokens.length >= MAX_TOKENS) {
      problems.push(`more than ${MAX_TOKENS} tokens: the rest of the file was not read`);
      break;
    }
    const c = text[i];
    if (
      c === ' ' ||
      c === '\t' ||
      c === '\n' ||
      c === '\r' ||
      c === '\f' ||
      c === '\v' ||
      c === '\u00a0' ||
      c === '\ufeff' ||
      c === '\u2028' ||
      c === '\u2029'
    ) {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) {
        problems.push(`unterminated /* comment at ${at(i)}`);
        break;
      }
      i = close + 2;
      continue;
    }
    // HTML-like comments are legal in classic scripts: `<!--` and a line-leading `-->` start line comments.
    if (c === '<' && text.startsWith('<!--', i)) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"') {
      let out = '';
      i++;
      let closed = false;
      while (i < n) {
        const ch = text[i];
        if (ch === c) {
          closed = true;
          i++;
          break;
        }
        if (ch === '\n') break;
        if (ch === '\\') {
          const e = cookEscape(text, i);
          out += e.out;
          i = e.next;
          continue;
        }
        // Copy the run of ordinary characters at once (long strings stay linear and fast).
        const special = c === "'" ? SPECIAL_SINGLE : SPECIAL_DOUBLE;
        special.lastIndex = i;
        const m = special.exec(text);
        const stop = m ? m.index : n;
        out += text.slice(i, stop);
        i = stop;
      }
      if (!closed) {
        problems.push(`unterminated string at ${at(start)}`);
        // Resume after the line, as if the statement ended there: one broken string must not swallow the file.
        while (i < n && text[i] !== '\n') i++;
        tokens.push({ type: 'punct', text: ';', offset: i, end: i });
        continue;
      }
      tokens.push({ type: 'str', text: text.slice(start, i), value: out, offset: start, end: i });
      continue;
    }
    if (c === '`') {
      let out = '';
      let plain = true;
      let depth = 0;
      i++;
      let closed = false;
      while (i < n) {
        const ch = text[i];
        if (depth === 0 && ch === '`') {
          closed = true;
          i++;
          break;
        }
        if (ch === '\\') {
          const e = cookEscape(text, i);
          if (depth === 0) out += e.out;
          i = e.next;
          continue;
        }
        if (depth === 0 && ch === '$' && text[i + 1] === '{') {
          plain = false;
          depth = 1;
          i += 2;
          continue;
        }
        if (depth > 0) {
          // Substitutions are not evaluated; quotes inside them are skipped roughly (bounded by the file).
          if (ch === '{') depth++;
          else if (ch === '}') depth--;
          i++;
          continue;
        }
        out += ch;
        i++;
      }
      if (!closed) {
        problems.push(`unterminated template literal at ${at(start)}`);
        break;
      }
      tokens.push({ type: 'tmpl', text: text.slice(start, i), ...(plain ? { value: out } : {}), offset: start, end: i });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      i++;
      while (i < n && /[0-9A-Za-z_.]/.test(text[i])) {
        if ((text[i] === 'e' || text[i] === 'E') && (text[i + 1] === '+' || text[i + 1] === '-')) i++;
        i++;
      }
      tokens.push({ type: 'num', text: text.slice(start, i), offset: start, end: i });
      continue;
    }
    if (isIdentStart(c)) {
      i++;
      while (i < n && isIdentPart(text[i])) i++;
      tokens.push({ type: 'ident', text: text.slice(start, i), offset: start, end: i });
      continue;
    }
    if (c === '/') {
      const prev = tokens[tokens.length - 1];
      const regexHere = !prev || (prev.type === 'punct' && REGEX_AFTER_PUNCT.has(prev.text)) || (prev.type === 'ident' && REGEX_AFTER_WORD.has(prev.text));
      if (regexHere) {
        i++;
        let inClass = false;
        let closed = false;
        while (i < n && text[i] !== '\n') {
          const ch = text[i];
          if (ch === '\\') {
            i += 2;
            continue;
          }
          if (ch === '[') inClass = true;
          else if (ch === ']') inClass = false;
          else if (ch === '/' && !inClass) {
            closed = true;
            i++;
            break;
          }
          i++;
        }
        if (!closed) {
          problems.push(`unterminated regular expression at ${at(start)}`);
          continue;
        }
        while (i < n && /[a-z]/.test(text[i])) i++;
        tokens.push({ type: 'regex', text: text.slice(start, i), offset: start, end: i });
        continue;
      }
    }
    const three = text.slice(i, i + 3);
    const four = text.slice(i, i + 4);
    const p = four === '>>>=' ? four : PUNCT3.includes(three) ? three : PUNCT2.includes(text.slice(i, i + 2)) ? text.slice(i, i + 2) : c;
    i += p.length;
    tokens.push({ type: 'punct', text: p, offset: start, end: i });
  }
  return tokens;
}

type Value = { known: true; value: ConfigJsScalar } | { known: false; unresolved: string[] };

/** `{ a: ..., b: { c: ... } }` flattened to paths, with where each value starts. */
type Flat = Map<string, { value: Value; offset: number; endOffset: number }>;

class Scanner {
  pos = 0;
  readonly vars = new Map<string, Value>();
  readonly settings = new Map<string, ConfigJsSetting>();
  isJitsiConfig = false;
  unprocessedSsi = false;
  /** The last readValue() stopped at a line break that ends the statement (automatic semicolon insertion). */
  private asiStop = false;

  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
    private readonly index: LineIndex,
  ) {}

  private peek(k = 0): Token | undefined {
    return this.tokens[this.pos + k];
  }

  private isPunct(t: Token | undefined, p: string): boolean {
    return t?.type === 'punct' && t.text === p;
  }

  /** Skips to the end of the current statement: `;` at this nesting level, or a `}` closing it. */
  private skipStatement(): void {
    let depth = 0;
    while (this.pos < this.tokens.length) {
      const t = this.tokens[this.pos];
      if (t.type === 'punct') {
        if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
        else if (t.text === ')' || t.text === ']' || t.text === '}') {
          if (depth === 0) return;
          depth--;
          if (depth === 0 && t.text === '}') {
            this.pos++;
            // A block statement (`if (...) { ... }`) ends here unless an operator continues the expression.
            const next = this.peek();
            if (next?.type !== 'punct' || [';', '}'].includes(next.text) || !['.', '(', '[', ',', '+', '?', ':', '||', '&&', '??'].includes(next.text)) return;
            continue;
          }
        } else if (t.text === ';' && depth === 0) {
          this.pos++;
          return;
        }
      }
      this.pos++;
    }
  }

  /**
   * Skips one balanced expression up to `,` `;` `)` `]` `}` at depth 0 (not consumed), handing each
   * identifier path in it to `onPath`. A path's own `.x` and `['x']` are balanced, so reading it whole
   * stops at the same place as stepping over its tokens.
   */
  private skipExpression(onPath?: (path: string[]) => void): void {
    let depth = 0;
    while (this.pos < this.tokens.length) {
      const t = this.tokens[this.pos];
      if (t.type === 'punct') {
        if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
        else if (t.text === ')' || t.text === ']' || t.text === '}') {
          if (depth === 0) return;
          depth--;
        } else if ((t.text === ',' || t.text === ';') && depth === 0) return;
      } else if (t.type === 'ident' && onPath) {
        onPath(this.readPath() as string[]);
        continue;
      }
      this.pos++;
    }
  }

  /** A dotted path `config.hosts.domain` (also `config['hosts']`) starting at the current token. */
  private readPath(): string[] | undefined {
    const first = this.peek();
    if (first?.type !== 'ident') return undefined;
    const parts = [first.text];
    let k = 1;
    while (true) {
      const t = this.peek(k);
      if (this.isPunct(t, '.') && this.peek(k + 1)?.type === 'ident') {
        parts.push((this.peek(k + 1) as Token).text);
        k += 2;
      } else if (this.isPunct(t, '[') && this.peek(k + 1)?.type === 'str' && this.isPunct(this.peek(k + 2), ']')) {
        parts.push((this.peek(k + 1) as Token).value as string);
        k += 3;
      } else break;
    }
    this.pos += k;
    return parts;
  }

  private resolveVariable(name: string): Value {
    const v = this.vars.get(name);
    if (v) return v;
    return { known: false, unresolved: [name] };
  }

  /** A value: string/number/boolean literals, known variables, joined by `+`. Stops before `,` `;` `)` `}` `]`. */
  private readValue(): Value {
    this.asiStop = false;
    const startPos = this.pos;
    const parts: Value[] = [];
    let expectOperand = true;
    let simple = true;
    while (this.pos < this.tokens.length) {
      const t = this.tokens[this.pos];
      if (expectOperand) {
        if (t.type === 'str' || (t.type === 'tmpl' && t.value !== undefined)) {
          parts.push({ known: true, value: t.value as string });
        } else if (t.type === 'num') {
          const num = Number(t.text);
          parts.push(Number.isFinite(num) ? { known: true, value: num } : { known: false, unresolved: [t.text] });
        } else if (t.type === 'ident' && (t.text === 'true' || t.text === 'false')) {
          parts.push({ known: true, value: t.text === 'true' });
        } else if (t.type === 'ident' && !this.isPunct(this.peek(1), '.') && !this.isPunct(this.peek(1), '(') && !this.isPunct(this.peek(1), '[')) {
          parts.push(this.resolveVariable(t.text));
        } else {
          simple = false;
          break;
        }
        this.pos++;
        expectOperand = false;
        continue;
      }
      if (this.isPunct(t, '+')) {
        this.pos++;
        expectOperand = true;
        continue;
      }
      if (t.type === 'punct' && [',', ';', ')', '}', ']'].includes(t.text)) break;
      // Automatic semicolon insertion: a new statement on the next line.
      const prev = this.tokens[this.pos - 1];
      if (prev && this.text.slice(prev.end, t.offset).includes('\n') && (t.type === 'ident' || t.type === 'str')) {
        this.asiStop = true;
        break;
      }
      simple = false;
      break;
    }
    if (!simple || expectOperand || parts.length === 0) {
      this.pos = startPos;
      const names = this.namesIn();
      return { known: false, unresolved: names.length ? names : ['(expression)'] };
    }
    const unknown = parts.filter((p): p is { known: false; unresolved: string[] } => !p.known);
    if (unknown.length) return { known: false, unresolved: unknown.flatMap((u) => u.unresolved) };
    if (parts.length === 1) return parts[0];
    // `+` with a string anywhere concatenates left to right (numbers before the first string add up).
    let acc: ConfigJsScalar = (parts[0] as { value: ConfigJsScalar }).value;
    for (const p of parts.slice(1)) {
      const v = (p as { value: ConfigJsScalar }).value;
      acc = typeof acc === 'number' && typeof v === 'number' ? acc + v : String(acc) + String(v);
    }
    return { known: true, value: acc };
  }

  /** Identifier paths used in the expression at the current position (consumed up to its end). */
  private namesIn(): string[] {
    const names: string[] = [];
    this.skipExpression((path) => {
      if (names.length < 5) names.push(path.join('.'));
    });
    return [...new Set(names)];
  }

  /** An object literal at the current `{`, flattened. Nested objects become dotted paths. */
  private readObject(prefix: string, out: Flat, depth: number): void {
    this.pos++; // {
    if (depth > MAX_DEPTH) {
      this.pos--;
      this.skipExpression();
      return;
    }
    while (this.pos < this.tokens.length) {
      const t = this.peek() as Token;
      if (this.isPunct(t, '}')) {
        this.pos++;
        return;
      }
      if (this.isPunct(t, ';')) return; // a broken literal: let the statement end here
      if (this.isPunct(t, ',') || this.isPunct(t, ')') || this.isPunct(t, ']')) {
        this.pos++;
        continue;
      }
      const before = this.pos;
      let key: string | undefined;
      if (t.type === 'ident' || t.type === 'num') key = t.text;
      else if (t.type === 'str') key = t.value;
      if (key === undefined || !this.isPunct(this.peek(1), ':')) {
        // Methods, spreads, computed keys: not values a checker can use.
        this.skipExpression();
        if (this.pos === before) this.pos++;
        continue;
      }
      this.pos += 2;
      const path = prefix ? `${prefix}.${key}` : key;
      if (this.isPunct(this.peek(), '{')) {
        this.readObject(path, out, depth + 1);
        continue;
      }
      const startToken = this.peek();
      const value = this.readValue();
      if (!this.asiStop) this.skipExpression();
      const endToken = this.tokens[this.pos - 1];
      if (startToken && this.pos > before + 2)
        out.set(path, { value, offset: startToken.offset, endOffset: Math.max(startToken.end, endToken?.end ?? startToken.end) });
      if (this.pos === before + 2 && !this.isPunct(this.peek(), '}') && !this.isPunct(this.peek(), ',')) this.pos++;
    }
  }

  private record(path: string, value: Value, offset: number, endOffset: number): void {
    if (!(WATCHED_SETTINGS as readonly string[]).includes(path)) return;
    const { line, column } = this.index.position(offset);
    const expression = this.text.slice(offset, Math.min(endOffset, offset + 200)).trim();
    this.settings.set(path, value.known ? { value: value.value, expression, line, column } : { expression, line, column, unresolved: value.unresolved });
  }

  /** `config.a.b = {...}` replaces everything under config.a.b. */
  private clearUnder(path: string): void {
    for (const key of [...this.settings.keys()]) if (path === '' || key === path || key.startsWith(`${path}.`)) this.settings.delete(key);
  }

  private assign(path: string, valueStart: Token | undefined): void {
    if (!valueStart) return;
    if (path === 'hosts' || path.startsWith('hosts.')) this.isJitsiConfig = true;
    if (this.isPunct(valueStart, '{')) {
      const flat: Flat = new Map();
      this.readObject('', flat, 0);
      this.clearUnder(path);
      for (const [sub, v] of flat) this.record(path ? `${path}.${sub}` : sub, v.value, v.offset, v.endOffset);
      if (path === '' && [...flat.keys()].some((k) => k.startsWith('hosts.'))) this.isJitsiConfig = true;
      return;
    }
    if (valueStart.type === 'ident' && (valueStart.text === 'undefined' || valueStart.text === 'null') && !this.isPunct(this.peek(1), '.')) {
      this.clearUnder(path);
      this.pos++;
      return;
    }
    const value = this.readValue();
    if (!this.asiStop) this.skipExpression();
    const endToken = this.tokens[this.pos - 1];
    this.clearUnder(path);
    this.record(path, value, valueStart.offset, Math.max(valueStart.end, endToken?.end ?? valueStart.end));
  }

  /** Top-level statements only: code inside functions and `if` blocks does not run unconditionally. */
  run(): void {
    while (this.pos < this.tokens.length) {
      const before = this.pos;
      this.statement();
      if (this.pos === before) this.pos++; // always advance, whatever the input
    }
  }

  private statement(): void {
    const t = this.peek() as Token;
    if (t.type === 'ident' && (t.text === 'var' || t.text === 'let' || t.text === 'const')) {
      this.pos++;
      // var a = ..., b = ...;
      while (this.peek()?.type === 'ident') {
        const name = (this.peek() as Token).text;
        this.pos++;
        if (this.isPunct(this.peek(), '=')) {
          this.pos++;
          const start = this.peek();
          if (name === 'config') {
            this.isJitsiConfig = true;
            this.assign('', start);
          } else {
            this.vars.set(name, this.variableValue());
            if (!this.asiStop) this.skipExpression();
          }
        }
        if (!this.isPunct(this.peek(), ',')) break;
        this.pos++;
      }
      if (this.isPunct(this.peek(), ';')) this.pos++;
      return;
    }
    if (t.type === 'ident' && t.text === 'delete') {
      this.pos++;
      const path = this.readPath();
      if (path?.[0] === 'config') this.clearUnder(path.slice(1).join('.'));
      this.skipStatement();
      return;
    }
    if (t.type === 'ident' && !STATEMENT_KEYWORDS.has(t.text)) {
      const save = this.pos;
      const path = this.readPath();
      if (path && this.isPunct(this.peek(), '=')) {
        this.pos++;
        if (path[0] === 'config') this.assign(path.slice(1).join('.'), this.peek());
        else if (path.length === 1) {
          this.vars.set(path[0], this.variableValue());
          if (!this.asiStop) this.skipExpression();
        } else this.skipExpression();
        if (this.isPunct(this.peek(), ';')) this.pos++;
        return;
      }
      this.pos = save;
    }
    this.skipStatement();
    // A stray closing bracket at the top level: step over it.
    const next = this.peek();
    if (next?.type === 'punct' && [')', ']', '}'].includes(next.text)) this.pos++;
  }

  /**
   * A variable's value. docker-jitsi-meet's `var subdir = '<!--# echo var="subdir" default="" -->'` is
   * filled in by nginx's SSI; when SSI did not run, the script itself resets subdir to '' (`if
   * (subdir.startsWith('<!--'))`), so an unprocessed directive counts as ''.
   */
  private variableValue(): Value {
    const v = this.readValue();
    if (v.known && typeof v.value === 'string' && v.value.startsWith('<!--#')) {
      this.unprocessedSsi = true;
      return { known: true, value: '' };
    }
    return v;
  }
}

export function scanConfigJs(input: string): ConfigJsScan {
  const text = input.length > MAX_SCAN_CHARS ? input.slice(0, MAX_SCAN_CHARS) : input;
  const problems: string[] = [];
  if (input.length > MAX_SCAN_CHARS) problems.push(`only the first ${MAX_SCAN_CHARS} characters were read`);
  const index = new LineIndex(text);
  const tokens = tokenize(text, problems, index);
  const scanner = new Scanner(tokens, text, index);
  scanner.run();
  const settings: Record<string, ConfigJsSetting> = {};
  for (const key of WATCHED_SETTINGS) {
    const s = scanner.settings.get(key);
    if (s) settings[key] = s;
  }
  return { settings, isJitsiConfig: scanner.isJitsiConfig, unprocessedSsi: scanner.unprocessedSsi, problems, scanned: text.length };
}

/** The string value of a setting, when it is known to be one. */
export function settingString(scan: ConfigJsScan | undefined, key: string): string | undefined {
  const v = scan?.settings[key]?.value;
  return typeof v === 'string' ? v : undefined;
}
