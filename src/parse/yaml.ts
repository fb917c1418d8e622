// homeserver.yaml as Synapse reads it: PyYAML's safe_load, which is YAML 1.1 (yes/no are booleans)
// and rejects a tab anywhere between tokens, not only in indentation. The `yaml` package parses with
// positions; its lexer tells us where PyYAML would choke on a tab. Syntax errors are PyYAML's own, with
// its wording and both its marks (./yaml-pyyaml.ts, a port of PyYAML's scanner and parser).

import { isMap, isScalar, isSeq, Lexer, type Node, parseDocument, type ScalarTag, type Tags } from 'yaml';
import { LineIndex, type PositionMap, pointer, type Span } from './positions.js';
import { codePointOffsets, type PyYamlError, type PyYamlMark, primaryMark, pyyamlError } from './yaml-pyyaml.js';

export { type PyYamlError, type PyYamlMark, primaryMark, pyyamlError } from './yaml-pyyaml.js';

export interface YamlProblem {
  kind: 'syntax' | 'duplicate-key' | 'tab';
  /** One line. For a syntax error PyYAML reports: its context and problem, each with its line and column. */
  message: string;
  /**
   * Where to look first. For a syntax error PyYAML reports: where the unclosed construct starts (the quote,
   * '[' or '{', anchor, tag, block scalar header or key PyYAML was reading: its context mark), else where
   * PyYAML gave up (the problem mark; also for a misindented line, whose context is the enclosing block).
   */
  span: Span;
  /** For tabs: true when the tab is (part of) a line's indentation. */
  inIndent?: boolean;
  /** The text of `span`'s line. */
  lineText: string;
  /** PyYAML's context, as Synapse's traceback prints it: "while scanning a quoted scalar". */
  context?: string;
  /** Where that construct starts (PyYAML's context_mark), when PyYAML gives one. */
  contextMark?: Span;
  /** PyYAML's problem: "found unexpected end of stream". */
  problem?: string;
  /** Where PyYAML gave up (its problem_mark): often the end of the file for an unclosed construct. */
  problemMark?: Span;
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

// PyYAML's YAML 1.1 booleans: the `yaml` package's 1.1 schema also reads y/Y/n/N as booleans, PyYAML
// keeps them strings (so `report_stats: n` is the truthy string 'n' for Synapse).
const PY_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PY_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
export function pyyamlTags(tags: Tags): Tags {
  return tags.map((t) => {
    if (typeof t !== 'object' || t.tag !== 'tag:yaml.org,2002:bool' || !('test' in t) || !t.test) return t;
    return { ...t, test: (t as ScalarTag).identify?.(true) ? PY_TRUE : PY_FALSE } as ScalarTag;
  });
}

/**
 * Offsets of tabs PyYAML rejects: in whitespace between tokens or anywhere in plain scalars (PyYAML ends
 * a plain scalar at a tab, then no token can start with it), and in the indentation of block scalar
 * lines before the block's indentation (the block ends there). Tabs in quotes, comments and block
 * scalar content are fine.
 */
export function findRejectedTabs(text: string): { offset: number; inIndent: boolean }[] {
  const found: { offset: number; inIndent: boolean }[] = [];
  // Offsets come in increasing order: a cursor finds each line's start and first non-blank character once,
  // so a long line full of tabs costs linear time, not quadratic.
  let cursor = 0;
  let lineStart = 0;
  let firstNonBlank = -1;
  const inIndent = (at: number) => {
    if (at < cursor) return /^[ \t]*$/.test(text.slice(text.lastIndexOf('\n', at - 1) + 1, at));
    for (; cursor < at; cursor++) {
      if (text.charCodeAt(cursor) === 10) {
        lineStart = cursor + 1;
        firstNonBlank = -1;
      }
    }
    if (firstNonBlank < 0) {
      firstNonBlank = lineStart;
      while (firstNonBlank < text.length && (text[firstNonBlank] === ' ' || text[firstNonBlank] === '\t')) firstNonBlank++;
    }
    return at <= firstNonBlank;
  };
  const flag = (at: number) => found.push({ offset: at, inIndent: inIndent(at) });
  let offset = 0;
  let afterScalarStart = false;
  // Set by a block scalar header (`|`, `>-`, `|2`...) until its body token.
  let block: { parentIndent: number; explicit?: number } | undefined;
  for (const token of new Lexer().lex(text)) {
    if (ZERO_WIDTH.has(token)) {
      afterScalarStart = token === SCALAR_START;
      continue;
    }
    const first = token[0];
    const isWhitespace = /^[ \t]+$/.test(token);
    if (block && afterScalarStart) {
      blockBodyTabs(token, offset, block, flag);
      block = undefined;
    } else {
      const isPlainScalar = afterScalarStart && first !== '"' && first !== "'" && first !== '|' && first !== '>';
      if (isWhitespace || isPlainScalar) {
        for (let i = token.indexOf('\t'); i >= 0; i = token.indexOf('\t', i + 1)) flag(offset + i);
      }
      if (!afterScalarStart && (first === '|' || first === '>')) {
        const before = text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
        const lead = before.match(/^ *(?:-[ \t]+)*/)?.[0] ?? '';
        // The indentation of the node that holds the block: the key on its line, or the `-` of a sequence item.
        const parentIndent = lead.length < before.length ? lead.length : lead.includes('-') ? lead.lastIndexOf('-') : -1;
        const digit = token.match(/[1-9]/)?.[0];
        block = { parentIndent, ...(digit ? { explicit: Number(digit) } : {}) };
      } else if (block && !isWhitespace && first !== '#' && first !== '\n' && first !== '\r') block = undefined;
    }
    afterScalarStart = false;
    offset += token.length;
  }
  return found;
}

/** Tabs in the indentation of a block scalar's lines that come before the block's indentation. */
function blockBodyTabs(body: string, offset: number, block: { parentIndent: number; explicit?: number }, flag: (at: number) => void): void {
  let indent: number;
  if (block.explicit !== undefined) indent = Math.max(0, block.parentIndent) + block.explicit;
  else {
    // PyYAML: the deepest run of spaces over leading empty lines and the first content line.
    let maxIndent = 0;
    let column = 0;
    for (const ch of body) {
      if (ch === ' ') maxIndent = Math.max(maxIndent, ++column);
      else if (ch === '\n' || ch === '\r') column = 0;
      else break;
    }
    indent = Math.max(block.parentIndent + 1, maxIndent);
  }
  let lineStart = 0;
  while (lineStart <= body.length) {
    const end = body.indexOf('\n', lineStart);
    const line = body.slice(lineStart, end < 0 ? undefined : end);
    const spaces = line.match(/^ */)?.[0].length ?? 0;
    if (line[spaces] === '\t' && spaces < indent) {
      const lead = line.match(/^[ \t]*/)?.[0] ?? '';
      for (let i = lead.indexOf('\t'); i >= 0; i = lead.indexOf('\t', i + 1)) flag(offset + lineStart + i);
    }
    if (end < 0) break;
    lineStart = end + 1;
  }
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

/** A name for a non-scalar mapping key ([a, b]: x); rendering one can throw (a `<<` merge inside it). */
function complexKey(k: unknown): string {
  try {
    return String(k);
  } catch {
    return '<complex key>';
  }
}

export function parseYaml(text: string): ParsedYaml {
  const index = new LineIndex(text);
  // uniqueKeys: false, and duplicates found in `walk` below: the yaml package compares each key with every
  // earlier one of its map (quadratic: 20 000 keys took seconds), a Set per map does it in linear time.
  const doc = parseDocument(text, { version: '1.1', customTags: pyyamlTags, uniqueKeys: false, prettyErrors: false, keepSourceTokens: false });
  const problems: YamlProblem[] = [];
  const problemAt = (kind: YamlProblem['kind'], message: string, start: number, end: number, inIndent?: boolean, py?: Partial<YamlProblem>) => {
    // The yaml package places "missing ]" one past the end of the text: keep every span inside it.
    const from = Math.min(start, text.length);
    const span = index.span(from, Math.min(Math.max(from, end), text.length));
    problems.push({ kind, message, span, lineText: index.lineText(span.line), ...(inIndent === undefined ? {} : { inIndent }), ...py });
  };
  const tabs = findRejectedTabs(text);
  for (const tab of tabs) problemAt('tab', 'tab character where YAML allows only spaces', tab.offset, tab.offset + 1, tab.inIndent);
  // PyYAML's error once the tabs are spaces (they are reported above): the same offsets, and the errors
  // Synapse would show next, not only "found character '\t' that cannot start any token".
  const py = pyyamlError(withoutTabs(text, tabs));
  const errors: { kind: YamlProblem['kind']; message: string; start: number; end: number; py?: Omit<YamlProblem, 'kind' | 'span' | 'lineText' | 'message'> }[] =
    [];
  if (py) {
    const marks = pyyamlSpans(text, index, py);
    errors.push({ kind: 'syntax', message: formatPyYamlError(py), start: marks.primary.offset, end: marks.primary.endOffset, py: marks.fields });
  }
  for (const e of doc.errors) {
    if (e.code === 'TAB_AS_INDENT') continue; // reported above, with PyYAML's stricter rule
    // Syntax: PyYAML's error when it has one (Synapse stops at it); the `yaml` package's only when PyYAML has none.
    if (e.code !== 'DUPLICATE_KEY' && py) continue;
    errors.push({ kind: e.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'syntax', message: e.message.split('\n')[0], start: e.pos[0], end: e.pos[1] });
  }
  const positions: PositionMap = {};
  const walk = (node: Node | null | undefined, path: (string | number)[], keySpan?: Span) => {
    if (!node) return;
    const range = node.range;
    if (range) positions[pointer(path)] = { ...(keySpan ? { key: keySpan } : {}), value: index.span(range[0], range[1]) };
    if (isMap(node)) {
      // Scalar keys equal in type and value are duplicates (as the yaml package's uniqueKeys compares them).
      const seen = new Set<string>();
      for (const pair of node.items) {
        const k = pair.key as Node | null;
        if (isScalar(k) && k.range) {
          const id = `${typeof k.value}:${String(k.value)}`;
          if (seen.has(id)) errors.push({ kind: 'duplicate-key', message: 'Map keys must be unique', start: k.range[0], end: k.range[0] + 1 });
          seen.add(id);
        }
        const key = isScalar(k) ? String(k.value) : complexKey(k);
        const ks = k?.range ? index.span(k.range[0], k.range[1]) : undefined;
        if (pair.value === null && ks) positions[pointer([...path, key])] = { key: ks, value: ks };
        walk(pair.value as Node | null, [...path, key], ks);
      }
    } else if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) walk(item as Node, [...path, i]);
    }
  };
  walk(doc.contents as Node | null, []);
  for (const e of errors.sort((a, b) => a.start - b.start)) problemAt(e.kind, e.message, e.start, e.end, undefined, e.py);
  let value: unknown;
  // No value when Synapse could not read the file, unless PyYAML's error comes after a tab in the
  // indentation (then it is an artefact of reading that tab as a space: the tab is the error).
  const firstIndentTab = tabs.find((t) => t.inIndent)?.offset ?? Number.POSITIVE_INFINITY;
  const pyFatal = errors.some((e) => e.py && e.start < firstIndentTab);
  const fatal = pyFatal || doc.errors.some((e) => e.code !== 'DUPLICATE_KEY' && e.code !== 'TAB_AS_INDENT');
  try {
    value = fatal ? undefined : doc.toJS({ maxAliasCount: 100 });
  } catch {
    value = undefined;
  }
  return { value, positions, problems, indentUnit: dominantIndent(text) };
}

/** The text with each tab PyYAML rejects replaced by a space (same length, same offsets). */
function withoutTabs(text: string, tabs: { offset: number }[]): string {
  if (tabs.length === 0) return text;
  const chars = text.split('');
  for (const t of tabs) chars[t.offset] = ' ';
  return chars.join('');
}

/** A mark as a one-character span (empty at a line break and at the end of the text). */
function markSpan(index: LineIndex, offset: number): Span {
  const code = index.text.charCodeAt(offset);
  return index.span(offset, Number.isNaN(code) || code === 10 || code === 13 ? offset : offset + 1);
}

/** PyYAML's marks as spans of `text`: both marks, and the primary one (see YamlProblem.span). */
function pyyamlSpans(
  text: string,
  index: LineIndex,
  e: PyYamlError,
): { primary: Span; fields: Pick<YamlProblem, 'context' | 'contextMark' | 'problem' | 'problemMark'> } {
  const primary = primaryMark(e);
  const [problemAt, primaryAt, contextAt] = codePointOffsets(text, [e.problemMark.index, primary.index, e.contextMark?.index ?? 0]);
  return {
    primary: markSpan(index, primaryAt),
    fields: {
      ...(e.context === undefined ? {} : { context: e.context }),
      ...(e.contextMark ? { contextMark: markSpan(index, contextAt) } : {}),
      problem: e.problem,
      problemMark: markSpan(index, problemAt),
    },
  };
}

const at = (m: PyYamlMark) => `line ${m.line + 1}, column ${m.column + 1}`;

/**
 * PyYAML's error on one line, with its own words and marks (line and column as PyYAML counts them):
 * "while scanning a quoted scalar (line 1, column 14): found unexpected end of stream (line 3, column 1)".
 * Like PyYAML, it leaves out a context mark that is the problem mark.
 */
export function formatPyYamlError(e: PyYamlError): string {
  const sameMark = e.contextMark && e.contextMark.line === e.problemMark.line && e.contextMark.column === e.problemMark.column;
  const context = e.context === undefined ? '' : `${e.context}${e.contextMark && !sameMark ? ` (${at(e.contextMark)})` : ''}: `;
  const unclosed = e.unclosedFlow ? `; the '${e.unclosedFlow.indicator}' at ${at(e.unclosedFlow.mark)} is not closed` : '';
  return `${context}${e.problem} (${at(e.problemMark)})${unclosed}`;
}

/**
 * Where the construct a syntax error leaves open starts, as PyYAML sees it (the quote, '[' or '{', anchor,
 * tag, block scalar header or key it was reading), with PyYAML's context: for the one-line errors about
 * matrixdoc's own YAML inputs (profiles), which the `yaml` package places where it gave up, often the end
 * of the file. Undefined when the text parses, or when the error is not about an unclosed construct.
 */
export function unclosedConstruct(text: string): { context: string; offset: number } | undefined {
  const e = pyyamlError(text);
  if (!e) return undefined;
  const primary = primaryMark(e);
  if (primary.index === e.problemMark.index) return undefined;
  const context = e.unclosedFlow ? `while parsing a flow ${e.unclosedFlow.indicator === '[' ? 'sequence' : 'mapping'}` : (e.context as string);
  return { context, offset: codePointOffsets(text, [primary.index])[0] };
}
