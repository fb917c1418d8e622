// Strict JSON (RFC 8259) with positions for every value and key, as browsers read Element's
// config.json: no comments, no trailing commas; the last of duplicate keys wins, and we note them.

import { LineIndex, type PositionMap, pointer, type Span } from './positions.js';

export interface ParsedJson {
  value: unknown;
  positions: PositionMap;
  error?: { message: string; span: Span };
  duplicateKeys: { path: string; span: Span }[];
}

const MAX_DEPTH = 256;
const SCALAR = /(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/y;

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function parseJson(text: string): ParsedJson {
  const index = new LineIndex(text);
  const positions: PositionMap = {};
  const duplicateKeys: ParsedJson['duplicateKeys'] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const fail = (message: string, at = i): never => {
    // Wherever a comment stands, that is what is wrong (not the "unexpected '/'" it first looks like).
    const comment = text[at] === '/' && (text[at + 1] === '/' || text[at + 1] === '*');
    throw new JsonSyntaxError(comment ? 'comments are not allowed in JSON' : message, at);
  };
  const skipWs = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const describe = (at: number) => (at >= text.length ? 'end of file' : `'${text[at]}'`);

  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    let out = '';
    while (true) {
      if (i >= text.length) fail('unterminated string', start);
      const ch = text[i];
      if (ch === '"') {
        i++;
        return out;
      }
      if (ch === '\\') {
        const esc = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (esc !== undefined && simple[esc] !== undefined) {
          out += simple[esc];
          i += 2;
        } else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail('invalid escape in string');
        continue;
      }
      if (ch.charCodeAt(0) < 0x20) fail(ch === '\n' ? 'line break inside a string (missing closing quote?)' : 'control character inside a string');
      out += ch;
      i++;
    }
  };

  const parseValue = (path: (string | number)[], keySpan?: Span): unknown => {
    skipWs();
    if (path.length >= MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
    const start = i;
    let value: unknown;
    const ch = text[i];
    if (ch === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      skipWs();
      if (text[i] === '}') i++;
      else {
        while (true) {
          skipWs();
          if (text[i] !== '"') fail(text[i] === '}' ? 'trailing comma before }' : `expected a "key" but found ${describe(i)}`);
          const kStart = i;
          const key = parseString();
          const ks = index.span(kStart, i);
          if (Object.hasOwn(obj, key)) duplicateKeys.push({ path: pointer([...path, key]), span: ks });
          skipWs();
          if (text[i] !== ':') fail(`expected ':' after key "${key}" but found ${describe(i)}`);
          i++;
          // As JSON.parse: "__proto__" is an own property, never the object's prototype.
          Object.defineProperty(obj, key, { value: parseValue([...path, key], ks), enumerable: true, writable: true, configurable: true });
          skipWs();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === '}') {
            i++;
            break;
          }
          fail(`expected ',' or '}' but found ${describe(i)}`);
        }
      }
      value = obj;
    } else if (ch === '[') {
      i++;
      const arr: unknown[] = [];
      skipWs();
      if (text[i] === ']') i++;
      else {
        while (true) {
          skipWs();
          if (text[i] === ']') fail('trailing comma before ]');
          arr.push(parseValue([...path, arr.length]));
          skipWs();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === ']') {
            i++;
            break;
          }
          fail(`expected ',' or ']' but found ${describe(i)}`);
        }
      }
      value = arr;
    } else if (ch === '"') {
      value = parseString();
    } else if (ch === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      fail('comments are not allowed in JSON');
    } else {
      // Sticky: matched where we are, without copying the rest of the text for every scalar.
      SCALAR.lastIndex = i;
      const m = SCALAR.exec(text);
      if (!m) fail(i >= text.length ? 'unexpected end of file' : `unexpected ${describe(i)}`);
      const token = (m as RegExpExecArray)[1];
      value = token === 'true' ? true : token === 'false' ? false : token === 'null' ? null : Number(token);
      i += token.length;
    }
    positions[pointer(path)] = { ...(keySpan ? { key: keySpan } : {}), value: index.span(start, i) };
    return value;
  };

  try {
    skipWs();
    if (i >= text.length) fail('the file is empty');
    const value = parseValue([]);
    skipWs();
    if (i < text.length) fail(`unexpected ${describe(i)} after the end of the JSON value`);
    return { value, positions, duplicateKeys };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const at = Math.min(error.offset, text.length);
    return { value: undefined, positions, duplicateKeys, error: { message: error.message, span: index.span(at, at) } };
  }
}
