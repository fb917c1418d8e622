// Codes, docs pages and tests agree (ESLint's checkRuleFiles, the Observatory's table self-check):
// every code of a built-in check is unique and well-formed, has a page whose front matter matches its
// meta and whose sections are in order, its docs link resolves, and some check test mentions it.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { builtinChecks } from '../../checks/index.js';
import { CODES_DIR, type CodePage, headings, listCodePages, PAGE_HEADINGS } from '../../src/docs-pages.js';
import { docsPath } from '../../src/engine/run.js';
import type { CheckDefinition, CodeMeta } from '../../src/engine/types.js';
import { ROOT } from '../helpers/cli.js';

const CODE = /^MXD-[A-Z]{2,5}-\d{3}$/;
const codes: { check: CheckDefinition; meta: CodeMeta }[] = builtinChecks.flatMap((check) => check.codes.map((meta) => ({ check, meta })));
const pagesDir = path.join(ROOT, CODES_DIR);

/** Every file under a directory, recursively (empty when the directory does not exist). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile());
}

let pagesCache: Promise<CodePage[]> | undefined;
const pages = () => {
  pagesCache ??= listCodePages(ROOT);
  return pagesCache;
};

test('the built-in checks declare codes', () => {
  assert.ok(codes.length > 0, 'no codes found in checks/index.ts');
});

test('every code is unique across the built-in checks', () => {
  const seen = new Map<string, string>();
  const duplicates: string[] = [];
  for (const { check, meta } of codes) {
    const other = seen.get(meta.code);
    if (other) duplicates.push(`${meta.code} (in ${other} and ${check.id})`);
    seen.set(meta.code, check.id);
  }
  assert.deepEqual(duplicates, [], 'codes declared more than once');
});

test('every code matches MXD-<AREA>-<NNN>', () => {
  const bad = codes.map(({ meta }) => meta.code).filter((c) => !CODE.test(c));
  assert.deepEqual(bad, [], `codes not matching ${CODE}`);
});

test('every code has a docs page', () => {
  const missing = codes.filter(({ meta }) => !existsSync(path.join(pagesDir, `${meta.code}.md`))).map(({ meta }) => meta.code);
  assert.deepEqual(missing, [], `codes without docs/codes/<CODE>.md`);
});

test("every code's docs link (docsPath) points to an existing file", () => {
  const broken = codes.map(({ meta }) => docsPath(meta.code)).filter((p) => !existsSync(path.join(ROOT, p)));
  assert.deepEqual(broken, [], 'docs links to missing files');
});

test('every page belongs to a code of a built-in check (or is marked deprecated)', async () => {
  const known = new Set(codes.map(({ meta }) => meta.code));
  const files = readdirSync(pagesDir).filter((n) => n.endsWith('.md') && n !== 'README.md');
  const all = await pages();
  assert.equal(all.length, files.length);
  const orphans = all.filter((p) => !known.has(p.meta.code) && !p.meta.deprecated).map((p) => path.basename(p.file));
  assert.deepEqual(orphans, [], 'pages whose code no built-in check declares (retired codes need deprecated: true)');
  const revived = all.filter((p) => known.has(p.meta.code) && p.meta.deprecated).map((p) => p.meta.code);
  assert.deepEqual(revived, [], 'codes still declared by a check but marked deprecated');
});

test("every page's front matter matches its file name and its code's meta", async () => {
  const byCode = new Map(codes.map((c) => [c.meta.code, c]));
  const problems: string[] = [];
  for (const page of await pages()) {
    const { meta } = page;
    const name = path.basename(page.file, '.md');
    if (meta.code !== name) problems.push(`${name}.md: front matter code is ${meta.code}`);
    if (!CODE.test(meta.code)) problems.push(`${name}.md: code ${meta.code} does not match ${CODE}`);
    const declared = byCode.get(meta.code);
    if (!declared) continue;
    if (meta.check !== declared.check.id) problems.push(`${name}.md: check is '${meta.check}', the code belongs to '${declared.check.id}'`);
    if (meta.severity !== declared.meta.severity)
      problems.push(`${name}.md: severity is '${meta.severity}', the code's default is '${declared.meta.severity}'`);
    if (meta.title !== declared.meta.title) problems.push(`${name}.md: title is '${meta.title}', the code's title is '${declared.meta.title}'`);
  }
  assert.deepEqual(problems, []);
});

test('every page has its title and the required sections, in order, none empty', async () => {
  const problems: string[] = [];
  for (const page of await pages()) {
    const name = path.basename(page.file);
    const h1 = headings(page.body, 1);
    const expectedTitle = `${page.meta.code}: ${page.meta.title}`;
    if (h1.length !== 1 || h1[0] !== expectedTitle) problems.push(`${name}: expected one '# ${expectedTitle}', found ${JSON.stringify(h1)}`);
    const h2 = headings(page.body, 2);
    if (JSON.stringify(h2) !== JSON.stringify(PAGE_HEADINGS))
      problems.push(`${name}: sections ${JSON.stringify(h2)}, expected ${JSON.stringify(PAGE_HEADINGS)}`);
    const sections = page.body.split(/^## .*$/m).slice(1);
    sections.forEach((text, i) => {
      if (!text.trim()) problems.push(`${name}: section '${h2[i]}' is empty`);
    });
  }
  assert.deepEqual(problems, []);
});

test("every page explains each of its code's messages (messageId in backticks)", async () => {
  const byCode = new Map((await pages()).map((p) => [p.meta.code, p]));
  const missing: string[] = [];
  for (const { meta } of codes) {
    const page = byCode.get(meta.code);
    if (!page) continue; // reported by 'every code has a docs page'
    for (const id of Object.keys(meta.messages)) if (!page.body.includes(`\`${id}\``)) missing.push(`${meta.code}: ${id}`);
  }
  assert.deepEqual(missing, [], 'messageIds not mentioned in their page');
});

test('relative links in the pages point to existing files', async () => {
  const files = [...(await pages()).map((p) => p.file), path.join(pagesDir, 'README.md')];
  const broken: string[] = [];
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1].split('#')[0];
      if (!target || /^[a-z]+:/i.test(target)) continue;
      if (!existsSync(path.resolve(path.dirname(file), target))) broken.push(`${path.basename(file)} -> ${m[1]}`);
    }
  }
  assert.deepEqual(broken, []);
});

test('docs/codes/README.md lists every page with its check, severity and title', async () => {
  const readme = readFileSync(path.join(pagesDir, 'README.md'), 'utf8');
  const rows = new Map<string, string[]>();
  for (const line of readme.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const link = /^\[(MXD-[A-Z]+-\d+)\]\(([^)]+)\)$/.exec(cells[1] ?? '');
    if (link) rows.set(link[1], [link[2], ...cells.slice(2, 5)]);
  }
  const problems: string[] = [];
  for (const { meta } of await pages()) {
    const expected = [`${meta.code}.md`, meta.check, meta.severity, meta.title];
    const row = rows.get(meta.code);
    if (!row) problems.push(`${meta.code}: no row in the table`);
    else if (JSON.stringify(row) !== JSON.stringify(expected)) problems.push(`${meta.code}: row ${JSON.stringify(row)}, expected ${JSON.stringify(expected)}`);
    rows.delete(meta.code);
  }
  for (const code of rows.keys()) problems.push(`${code}: row without a page`);
  assert.deepEqual(problems, []);
});

test('every code is mentioned in the tests under test/checks/', () => {
  const files = filesUnder(path.join(ROOT, 'test', 'checks'));
  const text = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  const untested = codes.map(({ meta }) => meta.code).filter((c) => !text.includes(c));
  assert.deepEqual(untested, [], `codes no file under test/checks/ mentions (${files.length} files read)`);
});
