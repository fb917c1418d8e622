// Pure helpers shared by checks: turning parsed-file positions into finding locations, and reading
// values out of parsed configs without trusting their shape.

import type { FindingLocation } from '../../src/engine/types.js';
import { type PositionMap, pointer, type Span } from '../../src/parse/positions.js';

/** Location of the value (or of its key, when `key` is true) at a path in a parsed file. */
export function locate(file: string, positions: PositionMap, path: readonly (string | number)[], key = false): FindingLocation {
  const pos = positions[pointer(path)];
  const span = (key ? pos?.key : undefined) ?? pos?.value;
  return span ? spanLocation(file, span) : { file };
}

export function spanLocation(file: string, span: Span): FindingLocation {
  return { file, line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn };
}

/** `file:line:col` for messages. */
export function where(loc: FindingLocation): string {
  return [loc.file, loc.line, loc.line !== undefined ? loc.column : undefined].filter((x) => x !== undefined).join(':');
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a path, or undefined when any step is missing or not a container. */
export function dig(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const step of path) {
    if (Array.isArray(current) && typeof step === 'number') current = current[step];
    else if (isObject(current) && typeof step === 'string') current = current[step];
    else return undefined;
  }
  return current;
}

/** A short, readable rendering of a config value for messages ("string 'false'", "list of 2"...). */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty (null)';
  if (typeof value === 'string') return `string '${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  if (typeof value === 'number') return `number ${value}`;
  if (typeof value === 'boolean') return `boolean ${value}`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return 'a map';
}

/** Origin and path of a URL with default ports and trailing slashes normalised, for comparisons. */
export function canonicalUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    const path = u.pathname.replace(/\/+$/, '');
    return `${u.protocol}//${u.hostname.toLowerCase()}${u.port ? `:${u.port}` : ''}${path}`;
  } catch {
    return undefined;
  }
}
