// nginx configuration files as a tree of directives and blocks, each with file:line:column, so checks
// can find the server block for a name and the location that serves a path, and fixes can point at them.

import { LineIndex } from './positions.js';

export interface NginxDirective {
  name: string;
  args: string[];
  file: string;
  line: number;
  column: number;
  /** Character offsets of the whole directive (name through `;` or `}`). */
  start: number;
  end: number;
  block?: NginxDirective[];
}

export interface ParsedNginx {
  file: string;
  directives: NginxDirective[];
  problems: { message: string; line: number; column: number }[];
}

interface Token {
  text: string;
  kind: 'word' | 'open' | 'close' | 'semi';
  offset: number;
  end: number;
}

function tokenize(text: string, problems: ParsedNginx['problems'], index: LineIndex): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '{' || ch === '}' || ch === ';') {
      tokens.push({ text: ch, kind: ch === '{' ? 'open' : ch === '}' ? 'close' : 'semi', offset: i, end: i + 1 });
      i++;
    } else if (ch === '"' || ch === "'") {
      const start = i;
      let out = '';
      i++;
      while (i < text.length && text[i] !== ch) {
        if (text[i] === '\\' && i + 1 < text.length) {
          // nginx keeps unknown escapes; \" \' \\ (in either quote) and \n \t \r are unescaped
          const next = text[i + 1];
          out += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next === '"' || next === "'" || next === '\\' ? next : `\\${next}`;
          i += 2;
        } else out += text[i++];
      }
      if (i >= text.length) {
        const p = index.position(start);
        problems.push({ message: `unterminated ${ch === '"' ? 'double' : 'single'}-quoted string`, ...p });
        break;
      }
      i++;
      tokens.push({ text: out, kind: 'word', offset: start, end: i });
    } else {
      const start = i;
      let out = '';
      // nginx separates words with space, tab, CR and LF only: a no-break space (pasted from a web page), a
      // vertical tab or U+2028 is part of the word. (Stopping at any \s here made no progress: endless loop.)
      while (i < text.length && !/[ \t\r\n;{}]/.test(text[i])) {
        // `${var}` braces belong to the word
        if (text[i] === '$' && text[i + 1] === '{') {
          const close = text.indexOf('}', i);
          if (close < 0) {
            // `${` never closed: keep it as text (stopping here made no progress: endless loop).
            out += '${';
            i += 2;
            continue;
          }
          out += text.slice(i, close + 1);
          i = close + 1;
          continue;
        }
        if (text[i] === '\\' && i + 1 < text.length) {
          out += text.slice(i, i + 2);
          i += 2;
          continue;
        }
        out += text[i++];
      }
      if (i === start) i++; // whatever the character, the tokenizer moves on
      tokens.push({ text: out, kind: 'word', offset: start, end: i });
    }
  }
  return tokens;
}

/** Blocks nested deeper than this are not read (real configs nest a few levels; the tree is walked recursively). */
export const MAX_NGINX_DEPTH = 64;

export function parseNginx(text: string, file: string): ParsedNginx {
  const index = new LineIndex(text);
  const problems: ParsedNginx['problems'] = [];
  const tokens = tokenize(text, problems, index);
  let t = 0;
  let tooDeep = false;
  const parseBlock = (depth: number): NginxDirective[] => {
    const out: NginxDirective[] = [];
    while (t < tokens.length) {
      const tok = tokens[t];
      if (tok.kind === 'close') {
        if (depth === 0) {
          problems.push({ message: "unexpected '}'", ...index.position(tok.offset) });
          t++;
          continue;
        }
        t++;
        return out;
      }
      if (tok.kind !== 'word') {
        problems.push({ message: `unexpected '${tok.text}'`, ...index.position(tok.offset) });
        t++;
        continue;
      }
      const pos = index.position(tok.offset);
      const name = tok.text;
      const args: string[] = [];
      t++;
      while (t < tokens.length && tokens[t].kind === 'word') args.push(tokens[t++].text);
      const next = tokens[t];
      if (!next) {
        problems.push({ message: `directive '${name}' has no ending ';'`, ...pos });
        out.push({ name, args, file, ...pos, start: tok.offset, end: text.length });
        break;
      }
      if (next.kind === 'semi') {
        t++;
        out.push({ name, args, file, ...pos, start: tok.offset, end: next.end });
      } else if (next.kind === 'open') {
        t++;
        if (depth + 1 > MAX_NGINX_DEPTH) {
          problems.push({ message: `blocks nested deeper than ${MAX_NGINX_DEPTH} levels; the rest of the file is not read`, ...pos });
          tooDeep = true;
          t = tokens.length;
          break;
        }
        const block = parseBlock(depth + 1);
        const closing = tokens[t - 1];
        if (closing?.kind !== 'close' && !tooDeep) problems.push({ message: `block '${name}' is not closed with '}'`, ...pos });
        out.push({ name, args, file, ...pos, start: tok.offset, end: closing ? closing.end : text.length, block });
      } else {
        problems.push({ message: `directive '${name}' has no ending ';'`, ...pos });
        out.push({ name, args, file, ...pos, start: tok.offset, end: next.offset });
      }
    }
    if (depth > 0 && !tooDeep) problems.push({ message: "missing '}' at the end of the file", ...index.position(text.length) });
    return out;
  };
  return { file, directives: parseBlock(0), problems };
}

/** Every directive with this name anywhere below (blocks included), depth first. */
export function findAll(directives: NginxDirective[], name: string): NginxDirective[] {
  const out: NginxDirective[] = [];
  for (const d of directives) {
    if (d.name === name) out.push(d);
    if (d.block) out.push(...findAll(d.block, name));
  }
  return out;
}

/** The first directive with this name directly in the block. */
export function child(block: NginxDirective[] | undefined, name: string): NginxDirective | undefined {
  return block?.find((d) => d.name === name);
}

export interface NginxServer {
  file: string;
  line: number;
  names: string[];
  listen: { port: number; ssl: boolean; raw: string }[];
  directive: NginxDirective;
}

/** The `server` blocks of a set of parsed files, with their names and listening ports. */
export function servers(files: ParsedNginx[]): NginxServer[] {
  const out: NginxServer[] = [];
  for (const f of files) {
    for (const s of findAll(f.directives, 'server')) {
      if (!s.block) continue; // `server` inside `upstream` is a directive, not a block
      const names = s.block.filter((d) => d.name === 'server_name').flatMap((d) => d.args);
      const listen = s.block
        .filter((d) => d.name === 'listen')
        .map((d) => {
          const addr = d.args[0] ?? '80';
          // `443`, `*:443`, `[::]:443`; an address without a port (`127.0.0.1`, `[::1]`, `unix:...`) listens on 80.
          const port = Number(/^\d+$/.test(addr) ? addr : (addr.match(/:(\d+)$/)?.[1] ?? 80));
          return { port, ssl: d.args.includes('ssl'), raw: d.args.join(' ') };
        });
      out.push({ file: f.file, line: s.line, names, listen, directive: s });
    }
  }
  return out;
}

/** Does an nginx server_name pattern (exact, *.wildcard, .suffix, ~regex) match a host? */
export function serverNameMatches(pattern: string, host: string): boolean {
  const h = host.toLowerCase();
  const p = pattern.toLowerCase();
  if (p.startsWith('~')) {
    try {
      return new RegExp(pattern.slice(1), 'i').test(host);
    } catch {
      return false;
    }
  }
  if (p.startsWith('*.')) return h.endsWith(p.slice(1));
  if (p.endsWith('.*')) return h.startsWith(p.slice(0, -1));
  if (p.startsWith('.')) return h === p.slice(1) || h.endsWith(p);
  return h === p;
}

/**
 * The location that nginx would pick for a URI path inside a server block: exact `=` match first, then
 * the longest prefix (`^~` stops there), then the first matching regex in file order, else the longest prefix.
 */
export function matchLocation(server: NginxDirective, uriPath: string): NginxDirective | undefined {
  const locations = (server.block ?? []).filter((d) => d.name === 'location' && d.block);
  let bestPrefix: NginxDirective | undefined;
  let bestLength = -1;
  let bestStops = false;
  for (const loc of locations) {
    const [a, b] = loc.args;
    if (a === '=' && b === uriPath) return loc;
    const prefix = a === undefined ? undefined : a === '^~' ? b : a === '=' || a === '~' || a === '~*' || a.startsWith('@') ? undefined : a;
    if (prefix !== undefined && uriPath.startsWith(prefix) && prefix.length > bestLength) {
      bestPrefix = loc;
      bestLength = prefix.length;
      bestStops = a === '^~';
    }
  }
  if (bestPrefix && bestStops) return bestPrefix;
  for (const loc of locations) {
    const [a, b] = loc.args;
    if ((a === '~' || a === '~*') && b !== undefined) {
      try {
        if (new RegExp(b, a === '~*' ? 'i' : '').test(uriPath)) return loc;
      } catch {
        // an invalid regex never matches; nginx itself would refuse to start
      }
    }
  }
  return bestPrefix;
}
