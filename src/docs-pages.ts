// The per-code documentation pages (docs/codes/<CODE>.md, ShellCheck's one page per code): reading
// them, their front matter and headings. Shared by `matrixdoc explain` and the docs consistency test.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYamlText } from 'yaml';
import { CODE_PATTERN } from './engine/define.js';

/** The second-level headings every code page has, in this order. */
export const PAGE_HEADINGS = ['What it means', 'Why it matters', 'Example', 'How to fix', 'Automatic fix', 'When to ignore', 'References'] as const;

/** Where the pages live, relative to the package root. */
export const CODES_DIR = path.join('docs', 'codes');

export interface PageMeta {
  code: string;
  /** Id of the check that emits the code. */
  check: string;
  /** The code's default severity. */
  severity: string;
  title: string;
  /** A retired code: it keeps its page, and is never reused. */
  deprecated?: boolean;
  replacedBy?: string;
}

export interface CodePage {
  file: string;
  meta: PageMeta;
  /** Every front-matter field, as written. */
  frontMatter: Record<string, unknown>;
  /** The Markdown after the front matter. */
  body: string;
}

/** Splits `---\n<yaml>\n---\n<body>`; undefined when the text has no front matter. */
export function splitFrontMatter(text: string): { data: Record<string, unknown>; body: string } | undefined {
  const m = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m) return undefined;
  const data: unknown = parseYamlText(m[1]);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  return { data: data as Record<string, unknown>, body: text.slice(m[0].length) };
}

/** Parses a page; throws an Error naming the file when the front matter is missing or incomplete. */
export function parsePage(text: string, file: string): CodePage {
  const split = splitFrontMatter(text);
  if (!split) throw new Error(`${file}: no YAML front matter (--- ... ---) at the top`);
  const d = split.data;
  for (const key of ['code', 'check', 'severity', 'title']) {
    if (typeof d[key] !== 'string' || !d[key]) throw new Error(`${file}: front matter has no '${key}'`);
  }
  const meta: PageMeta = { code: d.code as string, check: d.check as string, severity: d.severity as string, title: d.title as string };
  if (d.deprecated === true) meta.deprecated = true;
  if (typeof d.replacedBy === 'string') meta.replacedBy = d.replacedBy;
  return { file, meta, frontMatter: d, body: split.body };
}

/** Lines of the body outside fenced code blocks (so a `## ` inside an example is not a heading). */
function proseLines(body: string): string[] {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of body.split(/\r?\n/)) {
    const m = /^\s*(```+|~~~+)/.exec(line);
    if (m) {
      if (fence === undefined) fence = m[1][0];
      else if (m[1][0] === fence) fence = undefined;
      continue;
    }
    if (fence === undefined) out.push(line);
  }
  return out;
}

/** The text of the headings of one level (1 for `#`, 2 for `##`), in order, outside code blocks. */
export function headings(body: string, level: number): string[] {
  const prefix = `${'#'.repeat(level)} `;
  return proseLines(body)
    .filter((l) => l.startsWith(prefix))
    .map((l) => l.slice(prefix.length).trim());
}

/** Upper-cased, trimmed code as typed by a user. */
export function normaliseCode(input: string): string {
  return input.trim().toUpperCase();
}

/** Every code page under `<root>/docs/codes`, sorted by code (README.md is the index, not a page). */
export async function listCodePages(root: string): Promise<CodePage[]> {
  const dir = path.join(root, CODES_DIR);
  const names = (await readdir(dir)).filter((n) => n.endsWith('.md') && n !== 'README.md');
  const pages = await Promise.all(names.map(async (n) => parsePage(await readFile(path.join(dir, n), 'utf8'), path.join(dir, n))));
  return pages.sort((a, b) => a.meta.code.localeCompare(b.meta.code));
}

/** The page for a code (any case), or undefined when there is none. */
export async function readCodePage(root: string, code: string): Promise<CodePage | undefined> {
  const wanted = normaliseCode(code);
  if (!CODE_PATTERN.test(wanted)) return undefined; // also keeps the path inside docs/codes
  const file = path.join(root, CODES_DIR, `${wanted}.md`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parsePage(text, file);
}

/** Edit distance counting a swap of two neighbouring characters as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The known codes nearest to what was typed, best first. Shorthands such as `hs-1` or `MXDHS001`
 * are first expanded to the full form (MXD-HS-001) so that they rank their intended code first.
 */
export function closestCodes(input: string, known: readonly string[], max = 3): string[] {
  const typed = normaliseCode(input);
  const short = /^(?:MXD-?)?([A-Z]{2,5})-?(\d{1,3})$/.exec(typed);
  const target = short ? `MXD-${short[1]}-${short[2].padStart(3, '0')}` : typed;
  const number = (code: string) => Number(/(\d+)$/.exec(code)?.[1] ?? Number.NaN);
  const gap = (code: string) => Math.abs(number(code) - number(target)) || 0;
  return [...known]
    .map((code) => ({ code, d: editDistance(target, code), gap: gap(code) }))
    .sort((x, y) => x.d - y.d || x.gap - y.gap || x.code.localeCompare(y.code))
    .slice(0, max)
    .map((x) => x.code);
}

/** The page as plain text for a terminal: a header from the front matter, then the body without its `# ` title line. */
export function pageText(page: CodePage): string {
  const { meta } = page;
  const lines = [`${meta.code}: ${meta.title}`, `Check: ${meta.check}. Default severity: ${meta.severity}.`];
  if (meta.deprecated) lines.push(`Deprecated: this code is no longer reported${meta.replacedBy ? `; see ${meta.replacedBy}` : ''}.`);
  const body = page.body
    .replace(/^\s*# [^\n]*\n/, '')
    .replace(/^\s+/, '')
    .trimEnd();
  return `${lines.join('\n')}\n\n${body}`;
}
