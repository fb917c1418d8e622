// `matrixdoc explain`, run as a user runs it: the built binary (npm run build first).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtinChecks } from '../../checks/index.js';
import { PAGE_HEADINGS } from '../../src/docs-pages.js';
import { runCli } from '../helpers/cli.js';

const allCodes = builtinChecks.flatMap((c) => c.codes);

test('explain prints the page of a known code, front matter stripped', async () => {
  const r = await runCli(['explain', 'MXD-HS-006']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], 'MXD-HS-006: report_stats missing');
  assert.match(r.stdout, /Check: homeserver-config\. Default severity: error\./);
  let at = -1;
  for (const h of PAGE_HEADINGS) {
    const i = lines.indexOf(`## ${h}`);
    assert.ok(i > at, `heading '## ${h}' missing or out of order`);
    at = i;
  }
  assert.ok(!lines.includes('---'), 'front matter delimiters are not printed');
  assert.doesNotMatch(r.stdout, /^code: MXD-HS-006$/m);
  assert.match(r.stdout, /report_stats: false/);
});

test('explain takes the code in any case', async () => {
  const r = await runCli(['explain', 'mxd-el-006']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^MXD-EL-006: Element's base_url differs from public_baseurl$/m);
});

test('an unknown code exits 2 with one line on stderr naming the closest codes', async () => {
  const r = await runCli(['explain', 'MXD-HS-100']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^matrixdoc: error: unknown code 'MXD-HS-100'; closest known codes: MXD-HS-010, /);
  assert.doesNotMatch(r.stderr, /\s+at .+:\d+:\d+/, 'no stack trace');
});

test('a shorthand is not a code, but its code is suggested first', async () => {
  const r = await runCli(['explain', 'el-12']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^matrixdoc: error: unknown code 'EL-12'; closest known codes: MXD-EL-012,/);
});

test('a path is not a code', async () => {
  const r = await runCli(['explain', '../../package']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1);
  assert.equal(r.stdout, '');
});

test('explain without a code or --list is a usage error (exit 2, one line)', async () => {
  const r = await runCli(['explain']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^matrixdoc: error: give a finding code/);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1);
});

test('--list lists every code with its severity and title', async () => {
  const r = await runCli(['explain', '--list']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^CODE\s+SEVERITY\s+TITLE$/);
  assert.ok(allCodes.length > 0);
  for (const c of allCodes) {
    const line = lines.find((l) => l.startsWith(`${c.code} `));
    assert.ok(line, `${c.code} not listed`);
    assert.match(line, new RegExp(`^${c.code}\\s+${c.severity}\\s+`));
    assert.ok(line.endsWith(c.title), `${c.code}: title '${c.title}' not at the end of '${line}'`);
  }
  assert.ok(lines.length >= allCodes.length + 1, 'retired (deprecated) codes may add rows, nothing may be missing');
});
