// Which fixes `matrixdoc fix` applies when it is not told which: fixes of advice (info findings) only
// when named with --only, and, when the fixes of two findings would set the same thing (a YAML or JSON
// path, a .env variable, an nginx directive in a block, a range of text) to different values, the fix
// of the more severe finding; at equal severity neither, and the admin chooses. See docs/fixes.md.

import { isDeepStrictEqual } from 'node:util';
import type { Edit, Finding, Severity } from '../engine/types.js';
import { NGINX_KEYED_DIRECTIVES } from './nginx-edit.js';

const DELETED = Symbol('deleted');
/** Below a value that does not have it: a set of the outer path leaves the inner one unset. */
const NOT_SET = Symbol('not set');

/** What one edit says about its file once applied: a value (or absence) at a path, or a text range. */
export type Claim =
  | { file: string; family: 'yaml' | 'json' | 'env' | 'nginx'; path: string[]; value: unknown }
  | { file: string; family: 'text'; start: number; end: number; text: string };

/** A place two fixes disagree about, and what each wants there. */
export interface Clash {
  file: string;
  /** The key, path, directive or range, as an admin reads it (`rc_message.per_second`). */
  target: string;
  /** What each side sets there, as text (`200000`, `0.2`, `(deleted)`). */
  values: [string, string];
}

export interface Superseded {
  finding: Finding;
  by: Finding;
  clash: Clash;
}

/** Fixes of equal severity that disagree: none of them is applied; the admin picks one with --only. */
export interface Choice {
  findings: Finding[];
  clashes: Clash[];
}

export interface Resolution {
  apply: Finding[];
  superseded: Superseded[];
  choices: Choice[];
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** Advice: a fix that is applied only when asked for by code (`--only CODE`). */
export function isAdvice(f: Finding): boolean {
  return f.severity === 'info';
}

export function claimsOf(edits: readonly Edit[]): Claim[] {
  return edits.map(claimOf);
}

function claimOf(e: Edit): Claim {
  switch (e.kind) {
    case 'yaml-set':
    case 'json-set':
      return { file: e.file, family: e.kind === 'yaml-set' ? 'yaml' : 'json', path: e.path.map(String), value: e.value };
    case 'yaml-delete':
    case 'json-delete':
      return { file: e.file, family: e.kind === 'yaml-delete' ? 'yaml' : 'json', path: e.path.map(String), value: DELETED };
    case 'env-set':
      return { file: e.file, family: 'env', path: [e.name], value: e.value };
    case 'env-unset':
      return { file: e.file, family: 'env', path: [e.name], value: DELETED };
    case 'nginx-set':
      return {
        file: e.file,
        family: 'nginx',
        path: [e.server, e.location ?? '', e.directive, ...(NGINX_KEYED_DIRECTIVES.has(e.directive) ? [e.args[0] ?? ''] : [])],
        value: e.args,
      };
    case 'nginx-delete':
      return {
        file: e.file,
        family: 'nginx',
        path: [e.server, e.location ?? '', e.directive, ...(NGINX_KEYED_DIRECTIVES.has(e.directive) && e.args ? [e.args[0] ?? ''] : [])],
        value: DELETED,
      };
    case 'text':
      return { file: e.file, family: 'text', start: e.start, end: e.end, text: e.text };
  }
}

const isPrefix = (a: string[], b: string[]) => a.length <= b.length && a.every((s, i) => s === b[i]);

function valueBelow(value: unknown, rest: string[]): { found: boolean; value: unknown } {
  let v = value;
  for (const seg of rest) {
    if (v !== null && typeof v === 'object' && Object.hasOwn(v as object, seg)) v = (v as Record<string, unknown>)[seg];
    else return { found: false, value: undefined };
  }
  return { found: true, value: v };
}

/** Do two claims touch the same thing (the same path, one inside the other, or overlapping text)? */
export function overlaps(a: Claim, b: Claim): boolean {
  if (a.file !== b.file || a.family !== b.family) return false;
  if (a.family === 'text' || b.family === 'text') {
    const x = a as Extract<Claim, { family: 'text' }>;
    const y = b as Extract<Claim, { family: 'text' }>;
    return (x.start < y.end && y.start < x.end) || x.start === y.start;
  }
  return isPrefix(a.path, b.path) || isPrefix(b.path, a.path);
}

function show(value: unknown): string {
  if (value === DELETED) return '(deleted)';
  if (value === NOT_SET) return '(not set)';
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(' ');
  return JSON.stringify(value) ?? String(value);
}

function describe(claim: Claim, path: string[]): string {
  switch (claim.family) {
    case 'yaml':
    case 'json':
      return path.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
    case 'env':
      return path[0];
    case 'nginx': {
      const [server, location, directive, key] = path;
      return `${[directive, key].filter((x) => x !== undefined).join(' ')} in server ${server}${location ? ` location ${location}` : ''}`;
    }
    case 'text':
      return `characters ${claim.start}-${claim.end}`;
  }
}

/** Where two claims disagree, or undefined when applying both leaves what each of them says. */
export function clash(a: Claim, b: Claim): Clash | undefined {
  if (!overlaps(a, b)) return undefined;
  if (a.family === 'text' || b.family === 'text') {
    const x = a as Extract<Claim, { family: 'text' }>;
    const y = b as Extract<Claim, { family: 'text' }>;
    if (x.start === y.start && x.end === y.end && x.text === y.text) return undefined;
    return { file: a.file, target: describe(x, []), values: [JSON.stringify(x.text), JSON.stringify(y.text)] };
  }
  // Let `outer` be the shorter path: a set of it decides everything below it.
  const swap = a.path.length > b.path.length;
  const [outer, inner] = (swap ? [b, a] : [a, b]) as [typeof a, typeof a];
  const rest = inner.path.slice(outer.path.length);
  const target = describe(inner, inner.path);
  const result = (o: unknown, i: unknown): Clash => ({ file: a.file, target, values: swap ? [show(i), show(o)] : [show(o), show(i)] });
  if (outer.value === DELETED) return inner.value === DELETED ? undefined : result(DELETED, inner.value);
  const below = valueBelow(outer.value, rest);
  if (inner.value === DELETED) return below.found ? result(below.value, DELETED) : undefined;
  if (!below.found) return result(NOT_SET, inner.value);
  return isDeepStrictEqual(below.value, inner.value) ? undefined : result(below.value, inner.value);
}

/** The first place where the fixes of two findings disagree. */
export function findingsClash(a: Finding, b: Finding): Clash | undefined {
  const ca = claimsOf(a.fix?.edits ?? []);
  const cb = claimsOf(b.fix?.edits ?? []);
  for (const x of ca) {
    for (const y of cb) {
      const c = clash(x, y);
      if (c) return c;
    }
  }
  return undefined;
}

/**
 * Decides which of `candidates` (findings with edits, in report order) to apply. Severity by severity,
 * most severe first: a finding whose fix disagrees with an applied fix of a more severe finding is
 * superseded by it; one that disagrees with a more severe finding left to the admin's choice joins that
 * choice; findings of the same severity that disagree are all left to the admin's choice. The rest are
 * applied. The result does not depend on the order within a severity.
 */
export function resolveConflicts(candidates: readonly Finding[]): Resolution {
  const n = candidates.length;
  const clashes: (Clash | undefined)[][] = candidates.map((a, i) => candidates.map((b, j) => (i === j ? undefined : findingsClash(a, b))));
  const state: ('apply' | 'superseded' | 'choice' | undefined)[] = new Array(n).fill(undefined);
  const superseded: Superseded[] = [];
  const chosen: number[] = [];
  for (const sev of ['error', 'warning', 'info'] as const) {
    const level = candidates.flatMap((f, i) => (f.severity === sev ? [i] : []));
    let open: number[] = [];
    for (const i of level) {
      const winner = candidates.findIndex((_, j) => state[j] === 'apply' && RANK[candidates[j].severity] > RANK[sev] && clashes[i][j]);
      if (winner >= 0) {
        state[i] = 'superseded';
        superseded.push({ finding: candidates[i], by: candidates[winner], clash: clashes[winner][i] as Clash });
      } else open.push(i);
    }
    // Joining a choice is contagious (whatever the order): repeat until no open finding clashes with one.
    for (let grew = true; grew; ) {
      const joining = open.filter((i) => chosen.some((j) => clashes[i][j]));
      grew = joining.length > 0;
      for (const i of joining) state[i] = 'choice';
      chosen.push(...joining);
      open = open.filter((i) => !joining.includes(i));
    }
    for (const i of open) state[i] = open.some((j) => j !== i && clashes[i][j]) ? 'choice' : 'apply';
    for (const i of open) if (state[i] === 'choice') chosen.push(i);
  }
  // Group the choices: findings that disagree, directly or through another, form one choice.
  const choices: Choice[] = [];
  const seen = new Set<number>();
  for (const start of chosen) {
    if (seen.has(start)) continue;
    const group: number[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length) {
      const i = stack.pop() as number;
      group.push(i);
      for (const j of chosen) {
        if (!seen.has(j) && (clashes[i][j] || clashes[j][i])) {
          seen.add(j);
          stack.push(j);
        }
      }
    }
    group.sort((x, y) => x - y);
    const pairs: Clash[] = [];
    for (const i of group) for (const j of group) if (i < j && clashes[i][j]) pairs.push(clashes[i][j] as Clash);
    choices.push({ findings: group.map((i) => candidates[i]), clashes: pairs });
  }
  return { apply: candidates.filter((_, i) => state[i] === 'apply'), superseded, choices };
}
