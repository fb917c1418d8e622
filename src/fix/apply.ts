// Applies findings' declarative edits to file texts in memory: text edits first (their offsets refer to
// the text the probe read), then each finding's structured edits in turn, each computed on the current
// text. A finding's edits go in together or not at all, and every step must leave a file that parses
// at least as well as before and that says what the edit meant.

import { isDeepStrictEqual } from 'node:util';
import type { Edit, Finding } from '../engine/types.js';
import { parseDotenv } from '../parse/dotenv.js';
import { parseJson } from '../parse/json.js';
import { type NginxDirective, parseNginx } from '../parse/nginx.js';
import { parseYaml } from '../parse/yaml.js';
import { envSet, envUnset } from './env-edit.js';
import { FixError } from './errors.js';
import { jsonDelete, jsonSet } from './json-edit.js';
import { nginxDelete, nginxSet, nginxTargetBlock, sameNginxDirective } from './nginx-edit.js';
import { yamlDelete, yamlSet } from './yaml-edit.js';

export interface AppliedFix {
  finding: Finding;
  edits: Edit[];
}

export interface RefusedFix {
  finding: Finding;
  reason: string;
}

export interface FileOutcome {
  file: string;
  before: string;
  after: string;
  applied: AppliedFix[];
  refused: RefusedFix[];
}

type Syntax = 'yaml' | 'json' | 'env' | 'nginx' | 'other';

function syntaxOf(file: string, edits: Edit[]): Syntax {
  const kinds = new Set(edits.map((e) => e.kind.split('-')[0]));
  if (kinds.has('yaml')) return 'yaml';
  if (kinds.has('json')) return 'json';
  if (kinds.has('env')) return 'env';
  if (kinds.has('nginx')) return 'nginx';
  if (/\.ya?ml$/i.test(file)) return 'yaml';
  if (/\.json$/i.test(file)) return 'json';
  if (/(^|\/)\.env$/.test(file)) return 'env';
  return 'other';
}

/** How many problems a parser reports: an edit may never add any. */
function problemCount(syntax: Syntax, text: string): number {
  switch (syntax) {
    case 'yaml':
      return parseYaml(text).problems.length;
    case 'json':
      return parseJson(text).error ? 1 : 0;
    case 'env':
      return parseDotenv(text).problems.length;
    case 'nginx':
      return parseNginx(text, 'nginx.conf').problems.length;
    case 'other':
      return 0;
  }
}

function valueAt(root: unknown, path: (string | number)[]): { found: boolean; value: unknown } {
  let v: unknown = root;
  for (const seg of path) {
    if (v !== null && typeof v === 'object' && Object.hasOwn(v as object, String(seg))) v = (v as Record<string, unknown>)[String(seg)];
    else return { found: false, value: undefined };
  }
  return { found: true, value: v };
}

/** The edit did what it says: the parsed file now holds (or lacks) the value. */
function verify(edit: Edit, text: string): void {
  let ok = true;
  switch (edit.kind) {
    case 'yaml-set':
      ok = isDeepStrictEqual(valueAt(parseYaml(text).value, edit.path).value, edit.value);
      break;
    case 'yaml-delete':
      ok = !valueAt(parseYaml(text).value, edit.path).found;
      break;
    case 'json-set':
      ok = isDeepStrictEqual(valueAt(parseJson(text).value, edit.path).value, edit.value);
      break;
    case 'json-delete':
      ok = !valueAt(parseJson(text).value, edit.path).found;
      break;
    case 'env-set':
      ok = parseDotenv(text).values[edit.name] === edit.value;
      break;
    case 'env-unset':
      ok = !Object.hasOwn(parseDotenv(text).values, edit.name);
      break;
    case 'nginx-set':
    case 'nginx-delete': {
      const found = nginxDirectives(text, edit);
      ok =
        edit.kind === 'nginx-set'
          ? found.some((d) => d.args.join(' ') === edit.args.join(' '))
          : !found.some((d) => !edit.args || d.args.join(' ') === edit.args.join(' '));
      break;
    }
    case 'text':
      break;
  }
  if (!ok) throw new FixError(`after the edit the file does not hold what the ${edit.kind} edit meant`);
}

function applyOne(text: string, edit: Edit): string {
  switch (edit.kind) {
    case 'yaml-set':
      return yamlSet(text, edit.path, edit.value);
    case 'yaml-delete':
      return yamlDelete(text, edit.path);
    case 'json-set':
      return jsonSet(text, edit.path, edit.value);
    case 'json-delete':
      return jsonDelete(text, edit.path);
    case 'env-set':
      return envSet(text, edit.name, edit.value);
    case 'env-unset':
      return envUnset(text, edit.name);
    case 'nginx-set':
      return nginxSet(text, edit.file, { server: edit.server, location: edit.location }, edit.directive, edit.args);
    case 'nginx-delete':
      return nginxDelete(text, edit.file, { server: edit.server, location: edit.location }, edit.directive, edit.args);
    case 'text':
      return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  }
}

/** The directives the edit is about (named like it, and with its first argument when keyed), directly in the block it targets. */
function nginxDirectives(text: string, edit: Extract<Edit, { kind: 'nginx-set' | 'nginx-delete' }>): NginxDirective[] {
  const block = nginxTargetBlock(parseNginx(text, edit.file).directives, { server: edit.server, location: edit.location });
  return (block?.block ?? []).filter((d) => (edit.kind === 'nginx-set' ? sameNginxDirective(d, edit.directive, edit.args) : d.name === edit.directive));
}

/** Applies the edits that `findings` hold for `file` to `text`. */
export function applyToText(file: string, text: string, findings: Finding[]): FileOutcome {
  const withEdits = findings
    .map((finding) => ({ finding, edits: (finding.fix?.edits ?? []).filter((e) => e.file === file) }))
    .filter((x) => x.edits.length > 0);
  const syntax = syntaxOf(
    file,
    withEdits.flatMap((x) => x.edits),
  );
  const applied: AppliedFix[] = [];
  const refused: RefusedFix[] = [];
  let current = text;

  // 1. Text edits, against the text as read: from the end backwards, skipping any that overlap.
  const textual = withEdits.filter((x) => x.edits.every((e) => e.kind === 'text'));
  const mixed = withEdits.filter((x) => x.edits.some((e) => e.kind === 'text') && !x.edits.every((e) => e.kind === 'text'));
  for (const x of mixed) refused.push({ finding: x.finding, reason: 'mixes text and structured edits' });
  const taken: [number, number][] = [];
  const accepted: { finding: Finding; edits: Extract<Edit, { kind: 'text' }>[] }[] = [];
  for (const x of textual) {
    const edits = x.edits as Extract<Edit, { kind: 'text' }>[];
    const bad = edits.find((e) => e.start < 0 || e.end < e.start || e.end > text.length);
    const clash = edits.find((e) => taken.some(([a, b]) => e.start < b && a < e.end));
    if (bad || clash) {
      refused.push({ finding: x.finding, reason: bad ? 'an edit lies outside the file' : 'overlaps another fix' });
      continue;
    }
    for (const e of edits) taken.push([e.start, e.end]);
    accepted.push({ finding: x.finding, edits });
  }
  if (accepted.length) {
    const all = accepted.flatMap((x) => x.edits).sort((a, b) => b.start - a.start);
    let next = current;
    for (const e of all) next = applyOne(next, e);
    if (problemCount(syntax, next) > problemCount(syntax, current)) {
      for (const x of accepted) refused.push({ finding: x.finding, reason: 'the text edits would make the file harder to parse' });
    } else {
      current = next;
      for (const x of accepted) applied.push({ finding: x.finding, edits: x.edits });
    }
  }

  // 2. Structured edits, one finding at a time, each on the current text.
  for (const x of withEdits.filter((y) => y.edits.every((e) => e.kind !== 'text'))) {
    try {
      let next = current;
      for (const e of x.edits) {
        next = applyOne(next, e);
        verify(e, next);
      }
      if (problemCount(syntax, next) > problemCount(syntax, current)) throw new FixError('the edit would make the file harder to parse');
      if (next !== current) {
        current = next;
        applied.push({ finding: x.finding, edits: x.edits });
      }
    } catch (error) {
      refused.push({ finding: x.finding, reason: error instanceof FixError ? error.message : `unexpected: ${(error as Error).message}` });
    }
  }
  return { file, before: text, after: current, applied, refused };
}
