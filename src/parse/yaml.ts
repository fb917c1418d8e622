// homeserver.yaml as Synapse reads it: PyYAML's safe_load, which is YAML 1.1 (yes/no are booleans)
// and rejects a tab anywhere between tokens, not only in indentation. The `yaml` package parses with
// positions; its lexer tells us where PyYAML would choke on a tab.

import { isMap, isScalar, isSeq, Lexer, type Node, parseDocument } from 'yaml';
import { LineIndex, type PositionMap, pointer, type Span } from './positions.js';

export interface YamlProblem {
  kind: 'syntax' | 'duplicate-key' | 'tab';
  message: string;
  span: Span;
  /** For tabs: true when the tab is (part of) a line's indentation. */
  inIndent?: boolean;
  lineText: string;
}

export interface ParsedYaml {
  /** The document as plain data (YAML 1.1 types); undefined when the syntax is too broken. */
  value: unknown;
  positions: PositionMap;
  problems: YamlProblem[];
  /** The indentation step most used in the file (2 or 4 spaces...), for fixes that must match it. */
  indentUnit: number;
}

// The lexer's control tokens do not stand for source characters.
const ZERO_WIDTH = new Set(['\x02', '\x18', '\x1f']);
const SCALAR_START = '\x1f';

/** Offsets of tabs PyYAML rejects: in whitespace between tokens or inside plain scalars (not in quotes or comments). */
export function findRejectedTabs(text: string): { offset: number; inIndent: boolean }[] {
  const found: { offset: number; inIndent: boolean }[] = [];
  let offset = 0;
  let afterScalarStart = false;
  let atLineStart = true;
  for (const token of new Lexer().lex(text)) {
    if (ZERO_WIDTH.has(token)) {
      afterScalarStart = token === SCALAR_START;
      continue;
    }
    const first = token[0];
    const isWhitespace = /^[ \t]+$/.test(token);
    const isPlainScalar = afterScalarStart && first !== '"' && first !== "'" && first !== '|' && first !== '>';
    if (isWhitespace || (isPlainScalar && !token.includes('\n'))) {
      for (let i = token.indexOf('\t'); i >= 0; i = token.indexOf('\t', i + 1)) {
        found.push({ offset: offset + i, inIndent: atLineStart && isWhitespace && /^[ \t]*$/.test(token.slice(0, i)) });
      }
    }
    afterScalarStart = false;
    atLineStart = token.endsWith('\n');
    offset += token.length;
  }
  return found;
}

function dominantIndent(text: string): number {
  const counts = new Map<number, number>();
  let previous = 0;
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const indent = line.match(/^ */)?.[0].length ?? 0;
    const step = indent - previous;
    if (step > 0) counts.set(step, (counts.get(step) ?? 0) + 1);
    previous = indent;
  }
  let best = 2;
  let bestCount = 0;
  for (const [step, count] of counts) if (count > bestCount || (count === bestCount && step > best)) [best, bestCount] = [step, count];
  return best;
}

export function parseYaml(text: string): ParsedYaml {
  const index = new LineIndex(text);
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: true, prettyErrors: false, keepSourceTokens: false });
  const problems: YamlProblem[] = [];
  const problemAt = (kind: YamlProblem['kind'], message: string, start: number, end: number, inIndent?: boolean) => {
    const span = index.span(start, Math.max(start, end));
    problems.push({ kind, message, span, lineText: index.lineText(span.line), ...(inIndent === undefined ? {} : { inIndent }) });
  };
  for (const tab of findRejectedTabs(text)) problemAt('tab', 'tab character where YAML allows only spaces', tab.offset, tab.offset + 1, tab.inIndent);
  for (const e of doc.errors) {
    if (e.code === 'TAB_AS_INDENT') continue; // reported above, with PyYAML's stricter rule
    const kind = e.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'syntax';
    problemAt(kind, e.message.split('\n')[0], e.pos[0], e.pos[1]);
  }
  const positions: PositionMap = {};
  const walk = (node: Node | null | undefined, path: (string | number)[], keySpan?: Span) => {
    if (!node) return;
    const range = node.range;
    if (range) positions[pointer(path)] = { ...(keySpan ? { key: keySpan } : {}), value: index.span(range[0], range[1]) };
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = pair.key as Node | null;
        const key = isScalar(k) ? String(k.value) : String(k);
        const ks = k?.range ? index.span(k.range[0], k.range[1]) : undefined;
        if (pair.value === null && ks) positions[pointer([...path, key])] = { key: ks, value: ks };
        walk(pair.value as Node | null, [...path, key], ks);
      }
    } else if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) walk(item as Node, [...path, i]);
    }
  };
  walk(doc.contents as Node | null, []);
  let value: unknown;
  const fatal = doc.errors.some((e) => e.code !== 'DUPLICATE_KEY' && e.code !== 'TAB_AS_INDENT');
  try {
    value = fatal ? undefined : doc.toJS({ maxAliasCount: 100 });
  } catch {
    value = undefined;
  }
  return { value, positions, problems, indentUnit: dominantIndent(text) };
}
