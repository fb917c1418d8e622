// Surgical JSON edits for Element's config.json: set or delete one member, keeping the file's own
// indentation (tabs or spaces), line ends (LF or CRLF), member order and every other byte.

import { parseJson } from '../parse/json.js';
import { pointer } from '../parse/positions.js';
import { FixError } from './errors.js';
import type { PathSegment } from './yaml-edit.js';

function parseStrict(text: string) {
  const parsed = parseJson(text);
  if (parsed.error) {
    throw new FixError(
      `the JSON does not parse (line ${parsed.error.span.line}, column ${parsed.error.span.column}: ${parsed.error.message}); fix the syntax first`,
    );
  }
  return parsed;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The whitespace that starts the line holding `offset`. */
function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return text.slice(start, offset).match(/^[ \t]*/)?.[0] ?? '';
}

/** The file's indentation step: the first indented line's leading whitespace (a tab, or N spaces). */
function unitOf(text: string): string {
  const m = text.match(/\n([ \t]+)\S/);
  if (!m) return '    ';
  return m[1].startsWith('\t') ? '\t' : m[1];
}

/** The file's line end: CRLF when its first line ends so, else LF. */
function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/** JSON text for a value nested at `indent`, in the file's style. */
function render(value: unknown, indent: string, unit: string, eol = '\n'): string {
  const text = JSON.stringify(value, null, unit);
  if (text === undefined) throw new FixError('cannot write undefined to JSON');
  return text.split('\n').join(`${eol}${indent}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * An object's members in the order they are written: not Object.keys, which puts integer-like keys
 * ("0", "10") first whatever their place in the file.
 */
function membersInOrder(parsed: ReturnType<typeof parseStrict>, parentPath: PathSegment[], parent: Record<string, unknown>): string[] {
  const at = (k: string) => {
    const pos = parsed.positions[pointer([...parentPath, k])];
    return (pos.key ?? pos.value).offset;
  };
  return Object.keys(parent).sort((a, b) => at(a) - at(b));
}

function valueAt(root: unknown, path: PathSegment[]): unknown {
  let v = root;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isObject(v) && Object.hasOwn(v, String(seg))) v = v[String(seg)];
    else return undefined; // not inherited members either: "valueOf" is not in {}
  }
  return v;
}

export function jsonSet(text: string, path: PathSegment[], value: unknown): string {
  if (path.length === 0) throw new FixError('an empty path');
  const parsed = parseStrict(text);
  const unit = unitOf(text);
  const eol = eolOf(text);
  // The deepest existing ancestor.
  let depth = path.length;
  while (depth > 0 && valueAt(parsed.value, path.slice(0, depth)) === undefined) depth--;
  if (depth === path.length) {
    const pos = parsed.positions[pointer(path)];
    const v = pos.value;
    return text.slice(0, v.offset) + render(value, indentAt(text, pos.key?.offset ?? v.offset), unit, eol) + text.slice(v.endOffset);
  }
  const parentPath = path.slice(0, depth);
  const parent = valueAt(parsed.value, parentPath);
  if (!isObject(parent))
    throw new FixError(`cannot add '${String(path[depth])}' to ${Array.isArray(parent) ? 'a list' : 'a value'} at ${parentPath.join('.') || '(top)'}`);
  let nested: unknown = value;
  for (const seg of [...path.slice(depth + 1)].reverse()) nested = { [String(seg)]: nested };
  const key = String(path[depth]);
  const parentSpan = parsed.positions[pointer(parentPath)].value;
  const members = membersInOrder(parsed, parentPath, parent);
  if (members.length === 0) {
    const outer = indentAt(text, parentSpan.offset);
    const inner = outer + unit;
    const body = `{${eol}${inner}${JSON.stringify(key)}: ${render(nested, inner, unit, eol)}${eol}${outer}}`;
    return text.slice(0, parentSpan.offset) + body + text.slice(parentSpan.endOffset);
  }
  const last = parsed.positions[pointer([...parentPath, members[members.length - 1]])];
  const memberIndent = indentAt(text, last.key?.offset ?? last.value.offset);
  const sameLine = !text.slice(parentSpan.offset, last.value.endOffset).includes('\n');
  const insertion = sameLine
    ? `, ${JSON.stringify(key)}: ${JSON.stringify(nested)}`
    : `,${eol}${memberIndent}${JSON.stringify(key)}: ${render(nested, memberIndent, unit, eol)}`;
  return text.slice(0, last.value.endOffset) + insertion + text.slice(last.value.endOffset);
}

/** Deletes a member of an object; a missing member is already deleted and changes nothing. */
export function jsonDelete(text: string, path: PathSegment[]): string {
  if (path.length === 0) throw new FixError('an empty path');
  const parsed = parseStrict(text);
  const parentPath = path.slice(0, -1);
  const parent = valueAt(parsed.value, parentPath);
  const key = String(path[path.length - 1]);
  if (!isObject(parent) || !Object.hasOwn(parent, key)) return text;
  const members = membersInOrder(parsed, parentPath, parent);
  const i = members.indexOf(key);
  const me = parsed.positions[pointer(path)];
  const start = me.key?.offset ?? me.value.offset;
  if (members.length === 1) {
    const span = parsed.positions[pointer(parentPath)].value;
    return `${text.slice(0, span.offset)}{}${text.slice(span.endOffset)}`;
  }
  if (i < members.length - 1) {
    // Remove from this member's line (or key) up to the next member's, so the next one takes its place.
    const next = parsed.positions[pointer([...parentPath, members[i + 1]])];
    const nextStart = next.key?.offset ?? next.value.offset;
    const from = text.slice(lineStart(text, start), start).trim() === '' ? lineStart(text, start) : start;
    const to = text.slice(lineStart(text, nextStart), nextStart).trim() === '' && from === lineStart(text, start) ? lineStart(text, nextStart) : nextStart;
    return text.slice(0, from) + text.slice(to);
  }
  // The last member: remove it together with the comma after the previous one.
  const prev = parsed.positions[pointer([...parentPath, members[i - 1]])];
  return text.slice(0, prev.value.endOffset) + text.slice(me.value.endOffset);
}
