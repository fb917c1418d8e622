// Surgical YAML edits: set or delete one path in a homeserver.yaml by changing only the characters that
// must change. Everything else (comments, key order, indentation, quoting, blank lines) stays byte for
// byte, which `Document.toString()` would not guarantee. Each edit is checked by re-parsing.

import { isMap, isScalar, isSeq, LineCounter, type Node, type Pair, parseDocument, Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { pyyamlTags } from '../parse/yaml.js';
import { FixError } from './errors.js';

export type PathSegment = string | number;

const YAML11_SPECIAL =
  /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|[-+]?(\d[\d_]*)?(\.\d*)?([eE][-+]?\d+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|\d+(:[0-5]?\d)+)$/;

/** Does `text` (a one-key document) read back as exactly this string, as PyYAML would read it? */
function readsBackAs(text: string, expected: string): boolean {
  const doc = parseDocument(text, { version: '1.1', customTags: pyyamlTags });
  return doc.errors.length === 0 && (doc.toJS() as { k?: unknown } | null)?.k === expected;
}

/** A scalar as YAML text: plain when that reads back as the same string in YAML 1.1, else double-quoted. */
export function renderScalar(value: unknown, preferQuote?: '"' | "'"): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new FixError(`cannot write ${value} to YAML`);
    return String(value);
  }
  if (typeof value !== 'string') throw new FixError('renderScalar needs a scalar');
  if (preferQuote === "'" && !value.includes('\n')) return `'${value.replace(/'/g, "''")}'`;
  const plainSafe =
    value !== '' &&
    !YAML11_SPECIAL.test(value) &&
    /^[A-Za-z0-9_./@$^()][A-Za-z0-9_ ./:@$^()+=,-]*$/.test(value) &&
    !/\s$/.test(value) &&
    !/: |#|:$/.test(value);
  if (plainSafe && preferQuote !== '"' && readsBackAs(`k: ${value}\n`, value)) return value;
  return JSON.stringify(value);
}

/** Block-style YAML lines for a value under a key, each line prefixed by `indent` spaces. */
export function renderBlock(value: unknown, indent: number, unit: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item) => {
      if (item !== null && typeof item === 'object' && !(Array.isArray(item) && item.length === 0) && Object.keys(item).length > 0) {
        const inner = renderBlock(item, indent + 2, unit);
        return [`${pad}- ${inner[0].slice(indent + 2)}`, ...inner.slice(1)];
      }
      return [`${pad}- ${renderScalar(item)}`];
    });
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return [`${pad}{}`];
    return entries.flatMap(([k, v]) => {
      const key = renderScalar(k);
      if (v !== null && typeof v === 'object' && Object.keys(v).length > 0) return [`${pad}${key}:`, ...renderBlock(v, indent + unit, unit)];
      if (Array.isArray(v) || (v !== null && typeof v === 'object')) return [`${pad}${key}: ${Array.isArray(v) ? '[]' : '{}'}`];
      return [`${pad}${key}: ${renderScalar(v)}`];
    });
  }
  return [`${pad}${renderScalar(value)}`];
}

function isComplex(value: unknown): boolean {
  return value !== null && typeof value === 'object' && Object.keys(value).length > 0;
}

interface Parsed {
  doc: ReturnType<typeof parseDocument>;
  lines: LineCounter;
}

function parse(text: string): Parsed {
  const lines = new LineCounter();
  const doc = parseDocument(text, { version: '1.1', customTags: pyyamlTags, keepSourceTokens: true, lineCounter: lines, uniqueKeys: false });
  const fatal = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
  if (fatal.length) {
    const pos = lines.linePos(fatal[0].pos[0]);
    throw new FixError(`the YAML does not parse (line ${pos.line}, column ${pos.col}: ${fatal[0].message.split('\n')[0]}); fix the syntax first`);
  }
  return { doc, lines };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i + 1;
}

function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

function findPair(map: YAMLMap, key: PathSegment): Pair | undefined {
  return map.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(key)) as Pair | undefined;
}

function isFlow(node: Node): boolean {
  return (node as { flow?: boolean }).flow === true;
}

/** The end of a node's own text: block collections' ranges run into the following line breaks, so trim them. */
function valueEnd(text: string, node: Node): number {
  const r = node.range as [number, number, number];
  let end = r[1];
  while (end > r[0] && /\s/.test(text[end - 1] ?? '')) end--;
  return end;
}

function detectUnit(text: string): number {
  const counts = new Map<number, number>();
  let previous = 0;
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const indent = line.match(/^ */)?.[0].length ?? 0;
    if (indent > previous) counts.set(indent - previous, (counts.get(indent - previous) ?? 0) + 1);
    previous = indent;
  }
  let best = 2;
  let n = 0;
  for (const [step, c] of counts) if (c > n) [best, n] = [step, c];
  return best;
}

function apply(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** Inserts `path: value` as new lines into a block map that lacks path[0]. */
function insertIntoMap(text: string, map: YAMLMap | null, path: PathSegment[], value: unknown, unit: number, parentIndent: number): string {
  if (map && isFlow(map)) throw new FixError('the parent is a flow mapping ({...}); edit it by hand');
  const [first, ...rest] = path;
  if (typeof first === 'number') throw new FixError(`cannot create list item ${first}`);
  let indent: number;
  let at: number;
  if (map && map.items.length > 0) {
    const firstKey = map.items[0].key as Node;
    indent = column(text, (firstKey.range as [number, number, number])[0]);
    const last = map.items[map.items.length - 1];
    const lastNode = (last.value ?? last.key) as Node;
    at = lineEnd(text, valueEnd(text, lastNode));
  } else {
    indent = parentIndent;
    at = text.length;
  }
  let nested: unknown = value;
  for (const seg of [...rest].reverse()) nested = { [String(seg)]: nested };
  const lines = isComplex(nested)
    ? [`${' '.repeat(indent)}${renderScalar(String(first))}:`, ...renderBlock(nested, indent + unit, unit)]
    : renderBlock({ [first]: nested }, indent, unit);
  const prefix = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
  return apply(text, at, at, `${prefix}${lines.join('\n')}\n`);
}

/** Sets the value at `path`, creating missing maps; only the characters that must change change. */
export function yamlSet(text: string, path: PathSegment[], value: unknown): string {
  if (path.length === 0) throw new FixError('an empty path');
  const { doc } = parse(text);
  const unit = detectUnit(text);
  let node: Node | null = doc.contents as Node | null;
  if (node === null || (isScalar(node) && node.value === null)) return insertIntoMap(text, null, path, value, unit, 0);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = findPair(node, seg);
      if (!pair) {
        const keyIndent = node.items.length ? column(text, ((node.items[0].key as Node).range as [number, number, number])[0]) : 0;
        return insertIntoMap(text, node, path.slice(i), value, unit, keyIndent);
      }
      if (last) return replaceValue(text, pair, value, unit);
      node = pair.value as Node | null;
      if (node === null || (isScalar(node) && node.value === null)) {
        // `key:` with no value: write the rest of the path below it.
        const keyNode = pair.key as Node;
        const keyIndent = column(text, (keyNode.range as [number, number, number])[0]);
        let nested: unknown = value;
        for (const s of [...path.slice(i + 1)].reverse()) nested = { [String(s)]: nested };
        const from = (keyNode.range as [number, number, number])[1];
        const to = node ? valueEnd(text, node) : from + (text.slice(from).match(/^\s*:/)?.[0].length ?? 1);
        const colonEnd = text.indexOf(':', from) + 1;
        return apply(text, colonEnd, Math.max(colonEnd, to), `\n${renderBlock(nested, keyIndent + unit, unit).join('\n')}`);
      }
    } else if (isSeq(node)) {
      if (typeof seg !== 'number' || seg < 0 || seg >= node.items.length) throw new FixError(`no list item ${String(seg)} at ${path.slice(0, i).join('.')}`);
      const item = node.items[seg] as Node;
      if (last) {
        if (isComplex(value) || isComplex((item as Scalar).value)) throw new FixError('replacing a whole list item is not supported; edit it by hand');
        const r = item.range as [number, number, number];
        return apply(text, r[0], r[1], renderScalar(value));
      }
      node = item;
    } else {
      throw new FixError(`cannot descend into a scalar at ${path.slice(0, i).join('.') || '(top)'}`);
    }
  }
  throw new FixError('unreachable');
}

function replaceValue(text: string, pair: Pair, value: unknown, unit: number): string {
  const keyNode = pair.key as Node;
  const keyIndent = column(text, (keyNode.range as [number, number, number])[0]);
  const node = pair.value as Node | null;
  if (!isComplex(value)) {
    if (node && isScalar(node) && node.range) {
      const quote = node.type === Scalar.QUOTE_DOUBLE ? '"' : node.type === Scalar.QUOTE_SINGLE ? "'" : undefined;
      const rendered = typeof value === 'string' ? renderScalar(value, quote) : renderScalar(value);
      return apply(text, node.range[0], node.range[1], rendered);
    }
    if (node?.range) return apply(text, node.range[0], valueEnd(text, node), renderScalar(value));
    const colonEnd = text.indexOf(':', (keyNode.range as [number, number, number])[1]) + 1;
    return apply(text, colonEnd, colonEnd, ` ${renderScalar(value)}`);
  }
  // A structured value replaces whatever was there, as a block below the key.
  const colonEnd = text.indexOf(':', (keyNode.range as [number, number, number])[1]) + 1;
  const end = node?.range ? valueEnd(text, node) : colonEnd;
  return apply(text, colonEnd, end, `\n${renderBlock(value, keyIndent + unit, unit).join('\n')}`);
}

/** Deletes the entry at `path` (its lines); a missing path is already deleted and changes nothing. */
export function yamlDelete(text: string, path: PathSegment[]): string {
  const { doc } = parse(text);
  let node: Node | null = doc.contents as Node | null;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = findPair(node, seg);
      if (!pair) return text;
      if (last) {
        if (isFlow(node)) throw new FixError('the entry is inside a flow mapping ({...}); edit it by hand');
        const start = lineStart(text, ((pair.key as Node).range as [number, number, number])[0]);
        const keyLine = text.slice(start, ((pair.key as Node).range as [number, number, number])[0]);
        if (keyLine.trim() !== '' && keyLine.trim() !== '-') throw new FixError('the entry shares its line with another; edit it by hand');
        if (keyLine.trim() === '-' && (node as YAMLMap).items.length > 1) throw new FixError('the entry starts a list item; edit it by hand');
        const endNode = (pair.value ?? pair.key) as Node;
        return apply(text, start, lineEnd(text, valueEnd(text, endNode)), '');
      }
      node = pair.value as Node | null;
    } else if (isSeq(node)) {
      if (typeof seg !== 'number' || seg >= (node as YAMLSeq).items.length) return text;
      const item = (node as YAMLSeq).items[seg] as Node;
      if (last) {
        if (isFlow(node)) throw new FixError('the item is inside a flow list ([...]); edit it by hand');
        const start = lineStart(text, (item.range as [number, number, number])[0]);
        return apply(text, start, lineEnd(text, valueEnd(text, item)), '');
      }
      node = item;
    } else {
      return text;
    }
  }
  return text;
}
