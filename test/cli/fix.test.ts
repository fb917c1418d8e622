// `matrixdoc fix` on copies of the seed and its broken variants (nginx-proxy for nginx's declarative
// edits), through the built binary: previews write nothing and list the restarts the edits need, --apply
// writes exactly the edits (every other line unchanged and in place, as `diff -U0` aligns them), the fixed
// findings are gone, advice is applied only when named, fixes that disagree are left to the admin, a
// second --apply changes nothing, writing without a terminal needs --yes, and fix takes check's inputs.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { Finding, Report } from '../../src/engine/types.js';
import { BIN, ROOT, runCli, SEED } from '../helpers/cli.js';

const made: string[] = [];
function copyOf(fixture: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-fix-'));
  made.push(dir);
  cpSync(fixture, dir, { recursive: true });
  return dir;
}
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const OFFLINE_FILE_CHECKS = ['--offline', '--only', 'homeserver-config,element-config'];
const SEED_FILES = ['synapse/homeserver.yaml', 'element/config.matrix.xfoss.com.json', 'jitsi/.env', 'nginx/matrix.conf', 'nginx/xfoss-com.conf'];
const snapshot = (dir: string, files = SEED_FILES.slice(0, 3)) => Object.fromEntries(files.map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));

async function checkFindings(args: string[]): Promise<Finding[]> {
  const r = await runCli(['check', ...args, '--json']);
  return (JSON.parse(r.stdout) as Report).checks.flatMap((c) => c.findings);
}

/** One hunk of `diff -U0`: where it is in the old and the new file, and its lines. */
interface Hunk {
  old: [number, number];
  new: [number, number];
  removed: string[];
  added: string[];
}

/** The hunks GNU diff finds between two texts (both ending in a newline), by line position. */
function hunks(before: string, after: string): Hunk[] {
  assert.ok(before.endsWith('\n') && after.endsWith('\n'));
  const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-diff-'));
  made.push(dir);
  writeFileSync(path.join(dir, 'a'), before);
  writeFileSync(path.join(dir, 'b'), after);
  const r = spawnSync('diff', ['-U0', path.join(dir, 'a'), path.join(dir, 'b')], { encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const out: Hunk[] = [];
  for (const line of r.stdout.split('\n').slice(2)) {
    const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$/.exec(line);
    if (m) out.push({ old: [Number(m[1]), Number(m[2] ?? 1)], new: [Number(m[3]), Number(m[4] ?? 1)], removed: [], added: [] });
    else if (line.startsWith('-')) out[out.length - 1].removed.push(line.slice(1));
    else if (line.startsWith('+')) out[out.length - 1].added.push(line.slice(1));
  }
  return out;
}

/**
 * Asserts that `after` is `before` with exactly the `expected` hunks: the hunks are rebuilt line by line at
 * their positions, and every line outside them must be the same bytes at the same place (shifted only by
 * the lines the hunks add or remove before it).
 */
function assertOnlyHunks(before: string, after: string, expected: Hunk[], what: string): void {
  const found = hunks(before, after);
  assert.deepEqual(found, expected, what);
  const a = before.split('\n');
  const rebuilt: string[] = [];
  let i = 0; // the next line of `before` to copy, 0-based
  for (const h of found) {
    const start = h.old[1] === 0 ? h.old[0] : h.old[0] - 1;
    while (i < start) rebuilt.push(a[i++]);
    assert.deepEqual(a.slice(i, i + h.old[1]), h.removed, `${what}: the removed lines are at line ${h.old[0]}`);
    i += h.old[1];
    if (h.new[1] > 0) assert.equal(rebuilt.length + 1, h.new[0], `${what}: the added lines land at line ${h.new[0]}`);
    rebuilt.push(...h.added);
  }
  while (i < a.length) rebuilt.push(a[i++]);
  assert.equal(rebuilt.join('\n'), after, `${what}: every other line is unchanged, in place`);
}

/** EL-009 moves settingDefaults into setting_defaults; the next pass's EL-012 corrects the language. */
const ELEMENT_HUNKS: Hunk[] = [
  { old: [34, 3], new: [33, 0], removed: ['\t"settingDefaults": {', '\t\t"language": "zh_Hans"', '\t},'], added: [] },
  { old: [37, 0], new: [35, 1], removed: [], added: ['        "language": "zh-hans",'] },
];

describe('matrixdoc fix', () => {
  test('preview: diffs and manual steps, nothing written', async () => {
    const dir = copyOf(SEED);
    const before = snapshot(dir);
    const r = await runCli(['fix', '--profile', path.join(dir, 'matrixdoc.yaml'), ...OFFLINE_FILE_CHECKS]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^--- .*synapse\/homeserver\.yaml$/m);
    assert.match(r.stdout, /^-rc_messages_per_second: 200000$/m);
    assert.match(r.stdout, /^\+ {2}per_second: 200000$/m);
    assert.match(r.stdout, /^-\t"settingDefaults": \{$/m);
    assert.match(r.stdout, /^\+ {8}"language": "zh-hans",$/m);
    assert.match(r.stdout, /can be applied: run again with --apply/);
    // The restarts the edits need are numbered manual steps already in the preview.
    assert.match(r.stdout, /^\d+\. After --apply: Restart Synapse: it reads .*homeserver\.yaml only when it starts \(MXD-HS-007\)\.$/m);
    assert.match(r.stdout, /^ {5}systemctl restart matrix-synapse/m);
    assert.match(r.stdout, /^\d+\. After --apply: Reload Element in the browser: .*\(MXD-EL-009, MXD-EL-012\)\.$/m);
    assert.deepEqual(snapshot(dir), before);
    assert.ok(!r.stdout.includes('some_secret'), 'secrets in diff context are redacted');
  });

  test('--apply on the seed: exactly the edits, the fixed findings gone, backups kept, and a second run changes nothing', async () => {
    const dir = copyOf(SEED);
    const profile = path.join(dir, 'matrixdoc.yaml');
    const before = snapshot(dir);
    const r = await runCli(['fix', '--profile', profile, ...OFFLINE_FILE_CHECKS, '--apply', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Fixed: 4\./);
    assert.match(r.stdout, /Restart Synapse/);
    assert.match(r.stdout, /^1\. Restart Synapse: /m);
    const now = snapshot(dir);
    assertOnlyHunks(
      before['synapse/homeserver.yaml'],
      now['synapse/homeserver.yaml'],
      [
        { old: [42, 2], new: [41, 0], removed: ['rc_messages_per_second: 200000', 'rc_message_burst_count: 100000'], added: [] },
        { old: [62, 0], new: [61, 3], removed: [], added: ['rc_message:', '  per_second: 200000', '  burst_count: 100000'] },
      ],
      'homeserver.yaml',
    );
    assertOnlyHunks(before['element/config.matrix.xfoss.com.json'], now['element/config.matrix.xfoss.com.json'], ELEMENT_HUNKS, 'config.json');
    assert.equal(now['jitsi/.env'], before['jitsi/.env']);
    assert.ok(readdirSync(path.join(dir, 'synapse')).some((n) => /^\.homeserver\.yaml\.matrixdoc-\d{8}T\d{6}Z\.bak$/.test(n)));

    const check = await runCli(['check', '--profile', profile, ...OFFLINE_FILE_CHECKS, '--json']);
    const report = JSON.parse(check.stdout) as Report;
    assert.deepEqual(
      report.checks.flatMap((c) => c.findings.map((f) => f.code)),
      [],
    );

    const again = await runCli(['fix', '--profile', profile, ...OFFLINE_FILE_CHECKS, '--apply', '--yes']);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /Nothing to change/);
    assert.deepEqual(snapshot(dir), now);
  });

  test('the tab-indent variant: the text fix restores the seed byte for byte', async () => {
    const dir = copyOf(path.join(ROOT, 'fixtures/broken/tab-indent'));
    const r = await runCli(['fix', '--profile', path.join(dir, 'matrixdoc.yaml'), '--offline', '--only', 'MXD-HS-001', '--apply', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(path.join(dir, 'synapse/homeserver.yaml'), 'utf8'), readFileSync(path.join(SEED, 'synapse/homeserver.yaml'), 'utf8'));
  });

  test('--only limits the fixes to the codes named', async () => {
    const dir = copyOf(SEED);
    const before = snapshot(dir);
    const r = await runCli(['fix', '--profile', path.join(dir, 'matrixdoc.yaml'), ...OFFLINE_FILE_CHECKS, '--only', 'MXD-EL-009', '--apply', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    const now = snapshot(dir);
    assert.equal(now['synapse/homeserver.yaml'], before['synapse/homeserver.yaml']);
    assert.notEqual(now['element/config.matrix.xfoss.com.json'], before['element/config.matrix.xfoss.com.json']);
  });

  test('--apply without a terminal and without --yes: exit 2, nothing written', async () => {
    const dir = copyOf(SEED);
    const before = snapshot(dir);
    const r = await runCli(['fix', '--profile', path.join(dir, 'matrixdoc.yaml'), ...OFFLINE_FILE_CHECKS, '--apply']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /needs --yes/);
    assert.deepEqual(snapshot(dir), before);
  });

  test('--json: the planned diffs and manual steps as data', async () => {
    const dir = copyOf(path.join(ROOT, 'fixtures/broken/missing-required'));
    const r = await runCli(['fix', '--profile', path.join(dir, 'matrixdoc.yaml'), '--offline', '--only', 'homeserver-config', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.apply, false);
    const hs = out.files.find((f: { role: string }) => f.role === 'synapse');
    assert.ok(hs.applied.some((a: { code: string }) => a.code === 'MXD-HS-006'));
    assert.match(hs.diff, /^\+report_stats: false$/m);
    assert.ok(
      out.manual.some((m: { code: string }) => m.code === 'MXD-HS-005'),
      'server_name cannot be guessed: a manual step',
    );
  });

  test('nginx: declarative edits through the surgical editor, one text edit for a new location; the findings gone, a second run changes nothing', async () => {
    const dir = copyOf(path.join(ROOT, 'fixtures/broken/nginx-proxy'));
    const profile = path.join(dir, 'matrixdoc.yaml');
    const args = ['--profile', profile, '--offline', '--only', 'reverse-proxy'];
    const files = ['nginx/matrix.conf', 'nginx/xfoss-com.conf'];
    const read = () => Object.fromEntries(files.map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
    const findings = async () => {
      const r = await runCli(['check', ...args, '--json']);
      const report = JSON.parse(r.stdout) as Report;
      return report.checks.flatMap((c) => c.findings);
    };
    const before = read();
    const found = await findings();
    assert.deepEqual(
      found.map((f) => `${f.code}:${f.messageId}`),
      [
        'MXD-RP-001:regex',
        'MXD-RP-004:appended',
        'MXD-RP-003:missingHost',
        'MXD-RP-002:smaller',
        'MXD-RP-006:delegated',
        'MXD-RP-007:client',
        'MXD-RP-008:exposed',
      ],
    );
    // Each "set directive X in block Y" is an nginx-set; only the new location block is a text edit.
    assert.deepEqual(
      found.flatMap((f) => (f.fix?.edits ?? []).map((e) => `${f.code}:${e.kind}`)),
      ['MXD-RP-001:nginx-set', 'MXD-RP-004:nginx-set', 'MXD-RP-003:nginx-set', 'MXD-RP-002:nginx-set', 'MXD-RP-006:nginx-set', 'MXD-RP-007:text'],
    );

    const preview = await runCli(['fix', ...args]);
    assert.equal(preview.code, 0, preview.stderr);
    assert.match(preview.stdout, /^- {8}proxy_pass http:\/\/localhost:8008\/;$/m);
    // MXD-RP-003 (the Host header) is advice, an info finding: shown as its own diff, not applied unless named.
    const [planned, advice] = preview.stdout.split('Not applied by default');
    assert.ok(!/proxy_set_header Host/.test(planned), planned);
    assert.match(advice, /^ {2}MXD-RP-003 Add proxy_set_header Host \$host;/m);
    assert.match(advice, /^ {4}\+ {8}proxy_set_header Host \$host;$/m);
    assert.match(preview.stdout, /^2\. After --apply: Reload nginx, after checking its configuration .*\n {5}nginx -t && systemctl reload nginx$/m);
    assert.match(preview.stdout, /5 fixes in 2 file\(s\) can be applied/);
    assert.deepEqual(read(), before, 'a preview writes nothing');

    const r = await runCli(['fix', ...args, '--apply', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /nginx -t && systemctl reload nginx/);
    assert.match(r.stdout, /not applied: MXD-RP-003 \(advice; --only MXD-RP-003 applies it\)/);
    const now = read();
    // Exactly the edits: every other byte (comments, tabs, the port-80 block of the same name) is kept.
    assert.equal(
      now['nginx/matrix.conf'],
      before['nginx/matrix.conf']
        .replace('proxy_pass http://localhost:8008/;', 'proxy_pass http://localhost:8008;')
        .replace('X-Forwarded-For $proxy_add_x_forwarded_for;', 'X-Forwarded-For $remote_addr;')
        .replace('client_max_body_size 10M;', 'client_max_body_size 50M;'),
    );
    const clientLocation = [
      '    location = /.well-known/matrix/client {',
      '        default_type application/json;',
      '        add_header Access-Control-Allow-Origin *;',
      `        return 200 '{"m.homeserver":{"base_url":"https://matrix.xfoss.com:443"}}';`,
      '    }',
      '}',
      '',
    ].join('\n');
    assert.equal(
      now['nginx/xfoss-com.conf'],
      before['nginx/xfoss-com.conf']
        .replace(`'{"m.server": "matrix.xfoss.com:8448"}'`, `'{"m.server":"matrix.xfoss.com:443"}'`)
        .replace(/\}\n$/, clientLocation),
    );
    assert.ok(readdirSync(path.join(dir, 'nginx')).some((n) => /^\.matrix\.conf\.matrixdoc-\d{8}T\d{6}Z\.bak$/.test(n)));

    // The advice and the admin-API note (a manual step) are left.
    assert.deepEqual(
      (await findings()).map((f) => f.code),
      ['MXD-RP-003', 'MXD-RP-008'],
    );
    const again = await runCli(['fix', ...args, '--apply', '--yes']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Nothing to change/);
    assert.deepEqual(read(), now);

    // Named, the advice is applied: one line, after the location's last proxy_set_header.
    const named = await runCli(['fix', ...args, '--only', 'MXD-RP-003', '--apply', '--yes']);
    assert.equal(named.code, 0, named.stderr);
    assert.match(named.stdout, /fixed MXD-RP-003/);
    assert.equal(
      read()['nginx/matrix.conf'],
      now['nginx/matrix.conf'].replace(
        'proxy_set_header X-Forwarded-Proto $scheme;\n',
        'proxy_set_header X-Forwarded-Proto $scheme;\n        proxy_set_header Host $host;\n',
      ),
    );
    assert.deepEqual(
      (await findings()).map((f) => f.code),
      ['MXD-RP-008'],
    );
  });

  test('the whole seed, no --only: every fix that may be applied is, the fixes that disagree and the advice are not, every other line stays in place', async () => {
    const dir = copyOf(SEED);
    const profile = path.join(dir, 'matrixdoc.yaml');
    const before = snapshot(dir, SEED_FILES);
    const codesBefore = (await checkFindings(['--profile', profile, '--offline'])).map((f) => f.code);

    const preview = await runCli(['fix', '--profile', profile, '--offline']);
    assert.equal(preview.code, 0, preview.stderr);
    // The info-level, conditional TURN-004 is shown as advice, with its diff, and not counted.
    assert.match(preview.stdout, /^Not applied by default: advice.*\n {2}MXD-TURN-004 If guests have no business placing calls/m);
    assert.match(preview.stdout, /^ {4}\+turn_allow_guests: false$/m);
    // HS-007 keeps 200000 in rc_message, RL-003 resets it to 0.2: equal severity, so the admin chooses.
    assert.match(preview.stdout, /^\d+\. Choose between MXD-HS-007 and MXD-RL-003: their fixes disagree, so neither was applied\.$/m);
    assert.match(preview.stdout, /^ {5}rc_message\.per_second in .*homeserver\.yaml: 200000 or 0\.2$/m);
    assert.match(preview.stdout, /^ {5}rc_message\.burst_count in .*homeserver\.yaml: 100000 or 10$/m);
    assert.match(preview.stdout, /^\d+\. After --apply: Restart Synapse: .*\(MXD-RL-001\)\.$/m);
    assert.match(preview.stdout, /^3 fixes in 2 file\(s\) can be applied/m);
    assert.deepEqual(snapshot(dir, SEED_FILES), before, 'a preview writes nothing');

    const r = await runCli(['fix', '--profile', profile, '--offline', '--apply', '--yes', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual([...out.fixed].sort(), ['MXD-EL-009', 'MXD-EL-012', 'MXD-RL-001']);
    assert.deepEqual(out.stillReported, []);
    assert.deepEqual(
      out.choices.map((c: { codes: string[] }) => c.codes),
      [['MXD-HS-007', 'MXD-RL-003']],
    );
    assert.deepEqual(out.superseded, []);
    assert.deepEqual(
      out.optional.map((o: { code: string }) => o.code),
      ['MXD-TURN-004'],
    );
    assert.deepEqual(
      out.restart.map((s: { role: string; codes: string[] }) => [s.role, s.codes]),
      [
        ['synapse', ['MXD-RL-001']],
        ['element', ['MXD-EL-009', 'MXD-EL-012']],
      ],
    );

    const now = snapshot(dir, SEED_FILES);
    assertOnlyHunks(
      before['synapse/homeserver.yaml'],
      now['synapse/homeserver.yaml'],
      [{ old: [22, 0], new: [23, 1], removed: [], added: ['    x_forwarded: true'] }],
      'homeserver.yaml',
    );
    assertOnlyHunks(before['element/config.matrix.xfoss.com.json'], now['element/config.matrix.xfoss.com.json'], ELEMENT_HUNKS, 'config.json');
    for (const f of ['jitsi/.env', 'nginx/matrix.conf', 'nginx/xfoss-com.conf']) assert.equal(now[f], before[f], f);

    // Judged again: the fixed findings are gone; the choice and the advice are still there, untouched.
    const codesAfter = (await checkFindings(['--profile', profile, '--offline'])).map((f) => f.code);
    for (const code of out.fixed) assert.ok(codesBefore.includes(code) && !codesAfter.includes(code), code);
    for (const code of ['MXD-HS-007', 'MXD-RL-003', 'MXD-TURN-004']) assert.ok(codesAfter.includes(code), code);
    assert.deepEqual(
      codesAfter,
      codesBefore.filter((c) => !out.fixed.includes(c)),
    );

    const again = await runCli(['fix', '--profile', profile, '--offline', '--apply', '--yes']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^Nothing to change automatically: the fixes of 3 finding\(s\) disagree and wait for your choice/m);
    assert.deepEqual(snapshot(dir, SEED_FILES), now);

    // The admin's choice: naming one applies it (and only it).
    const chosen = await runCli(['fix', '--profile', profile, '--offline', '--only', 'MXD-RL-003', '--apply', '--yes']);
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.match(chosen.stdout, /fixed MXD-RL-003/);
    const hs = readFileSync(path.join(dir, 'synapse/homeserver.yaml'), 'utf8');
    assert.match(hs, /^rc_message:\n {2}per_second: 0\.2\n {2}burst_count: 10\n/m);
    assert.doesNotMatch(hs, /rc_messages_per_second/);
  });

  test('--only with a code no check declares: one line, exit 2; a known code with no finding: nothing to apply', async () => {
    const dir = copyOf(SEED);
    const profile = path.join(dir, 'matrixdoc.yaml');
    const bad = await runCli(['fix', '--profile', profile, '--offline', '--only', 'MXD-ZZ-999', '--apply', '--yes']);
    assert.equal(bad.code, 2);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /^matrixdoc: error: --only: no check declares the finding code 'MXD-ZZ-999'/);
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
    const lower = await runCli(['fix', '--profile', profile, '--offline', '--only', 'homeserver-config,mxd-zz-999']);
    assert.equal(lower.code, 2);
    assert.match(lower.stderr, /'MXD-ZZ-999'/);

    const none = await runCli(['fix', '--profile', profile, '--offline', '--only', 'MXD-JVB-001']);
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout, /Nothing to apply/);
    assert.deepEqual(snapshot(dir, SEED_FILES), snapshot(SEED, SEED_FILES));
  });

  test('fix takes the inputs check takes: --skip, --synapse-log, --discover, --lang, and secrets given by flag are redacted', async () => {
    const dir = copyOf(SEED);
    const profile = path.join(dir, 'matrixdoc.yaml');
    // Without the rate-limits check, HS-007's move of the legacy keys has nothing to disagree with.
    const skipped = await runCli(['fix', '--profile', profile, '--offline', '--skip', 'rate-limits', '--json']);
    assert.equal(skipped.code, 0, skipped.stderr);
    const s = JSON.parse(skipped.stdout);
    assert.deepEqual(s.choices, []);
    assert.match(s.files.find((f: { role: string }) => f.role === 'synapse').diff, /^\+ {2}per_second: 200000$/m);

    const logs = await runCli(['fix', '--profile', profile, '--offline', '--synapse-log', path.join(dir, 'synapse/homeserver.log'), '--json']);
    assert.equal(logs.code, 0, logs.stderr);
    assert.ok(
      JSON.parse(logs.stdout).manual.some((m: { code: string }) => m.code === 'MXD-RL-010'),
      'the 429s in the log are judged',
    );

    const tree = copyOf(path.join(ROOT, 'fixtures/discover'));
    const found = await runCli(['fix', '--discover', '--offline', '--json'], { env: { MATRIXDOC_DISCOVER_ROOT: tree, MATRIXDOC_DISCOVER_HOME: '/home/it' } });
    assert.equal(found.code, 0, found.stderr);
    assert.ok(
      JSON.parse(found.stdout).files.some((f: { file: string }) => f.file.startsWith(tree)),
      'the discovered files are the ones edited',
    );

    const zh = await runCli(['fix', '--profile', profile, '--offline', '--only', 'homeserver-config', '--lang', 'zh-Hans', '--json']);
    assert.equal(zh.code, 0, zh.stderr);
    assert.match(JSON.parse(zh.stdout).files[0].applied[0].message, /[\u4e00-\u9fff]/);
    const badLang = await runCli(['fix', '--profile', profile, '--offline', '--lang', 'xx']);
    assert.equal(badLang.code, 2);
    assert.match(badLang.stderr, /^matrixdoc: error: --lang: 'xx' is not a supported language/);

    // A secret given by flag is scrubbed wherever it would show, here a word of the diff's context.
    const secret = await runCli([
      'fix',
      '--profile',
      profile,
      '--offline',
      '--access-token',
      'psycopg2',
      '--test-user',
      'alice',
      '--test-password',
      'hunter2-x',
    ]);
    assert.equal(secret.code, 0, secret.stderr);
    assert.match(secret.stdout, /^ {3}name: <redacted:[0-9a-f]{8}>$/m);
    assert.ok(!secret.stdout.includes('psycopg2'));

    // Not for fix: a capture is not the files on disk; each pass would spend the login budget again.
    for (const flag of [['--from-probes', dir], ['--probe-login']]) {
      const r = await runCli(['fix', '--profile', profile, ...flag]);
      assert.equal(r.code, 2, flag[0]);
      assert.match(r.stderr, /Nonexistent flag/);
    }
  });

  test('a .env edit: the preview says to recreate the Jitsi containers, in the .env folder; --apply changes only that variable', async () => {
    const dir = copyOf(SEED);
    const env = path.join(dir, 'jitsi/.env');
    writeFileSync(env, readFileSync(env, 'utf8').replace('\nJVB_ADVERTISE_IPS=', '\nDOCKER_HOST_ADDRESS='));
    const args = ['--profile', path.join(dir, 'matrixdoc.yaml'), '--offline', '--only', 'jitsi-jvb'];
    const preview = await runCli(['fix', ...args]);
    assert.equal(preview.code, 0, preview.stderr);
    assert.match(preview.stdout, /^\d+\. After --apply: Recreate the Jitsi containers so that they read .*jitsi\/\.env again .*\(MXD-JVB-006\)\.$/m);
    assert.ok(preview.stdout.includes(`\n     cd ${path.join(dir, 'jitsi')} && docker compose up -d\n`), preview.stdout);
    const before = readFileSync(env, 'utf8');
    const r = await runCli(['fix', ...args, '--apply', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\d+\. Recreate the Jitsi containers/m);
    assertOnlyHunks(
      before,
      readFileSync(env, 'utf8'),
      [
        { old: [12, 1], new: [11, 0], removed: ['DOCKER_HOST_ADDRESS=10.11.2.32'], added: [] },
        { old: [25, 0], new: [25, 1], removed: [], added: ['JVB_ADVERTISE_IPS=10.11.2.32'] },
      ],
      '.env',
    );
  });

  test('fixes that disagree: the more severe finding wins, the other is superseded and stays so in later passes (a plugin check)', async () => {
    // Two codes of one plugin check set max_upload_size differently: an error (50M) and a warning (100M).
    // The warning is reported while the value is not 100M, so after the error's fix it comes back in the
    // next pass; applying it then would undo the error's fix.
    const plugin = copyOf(path.join(ROOT, 'fixtures/plugins/matrixdoc-plugin-example'));
    writeFileSync(
      path.join(plugin, 'hooks/checks.js'),
      `const meta = (code, severity) => ({ code, severity, title: code, docs: 'https://example.invalid/' + code, messages: { m: code + ' {{v}}' } });
export default async function () {
  return { checks: [{
    id: 'upload-opinions', title: 'Upload opinions', description: 'Two opinions on max_upload_size.',
    requires: ['homeserverConfig'],
    codes: [meta('MXD-TPA-001', 'error'), meta('MXD-TPA-002', 'warning')],
    run(inputs) {
      const cfg = inputs.get('homeserverConfig');
      const v = String(cfg.parsed.value?.max_upload_size);
      const edit = (value) => [{ kind: 'yaml-set', file: cfg.file, path: ['max_upload_size'], value }];
      const out = [];
      if (v !== '50M' && v !== '100M') out.push({ code: 'MXD-TPA-001', messageId: 'm', data: { v }, fix: { summary: 'Set 50M.', steps: [], edits: edit('50M') } });
      if (v !== '100M') out.push({ code: 'MXD-TPA-002', messageId: 'm', data: { v }, fix: { summary: 'Set 100M.', steps: [], edits: edit('100M') } });
      return out;
    },
  }] };
}
`,
    );
    const dataDir = copyOf(path.join(ROOT, 'fixtures/plugins'));
    writeFileSync(
      path.join(dataDir, 'package.json'),
      JSON.stringify({ private: true, oclif: { schema: 1, plugins: [{ type: 'link', name: 'matrixdoc-plugin-example', root: plugin }] } }),
    );
    const dir = copyOf(path.join(ROOT, 'fixtures/plugins'));
    const hs = path.join(dir, 'homeserver.yaml');
    writeFileSync(hs, '# uploads\nserver_name: example.com\nmax_upload_size: 2G\nreport_stats: false\n');
    const opts = { env: { MATRIXDOC_DATA_DIR: dataDir } };
    const args = ['--offline', '--homeserver-config', hs, '--only', 'upload-opinions'];

    const preview = await runCli(['fix', ...args], opts);
    assert.equal(preview.code, 0, preview.stderr);
    assert.match(
      preview.stdout,
      /^Not applied: superseded by the fix of a more severe finding that sets the same thing:\n {2}MXD-TPA-002 Set 100M\.\n {4}max_upload_size in .*homeserver\.yaml: MXD-TPA-001 \(error\) sets "50M", MXD-TPA-002 \(warning\) would set "100M"$/m,
    );

    const r = await runCli(['fix', ...args, '--apply', '--yes', '--json'], opts);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.fixed, ['MXD-TPA-001']);
    assert.deepEqual(
      out.superseded.map((s: { code: string; by: string }) => [s.code, s.by]),
      [['MXD-TPA-002', 'MXD-TPA-001']],
    );
    assert.equal(readFileSync(hs, 'utf8'), '# uploads\nserver_name: example.com\nmax_upload_size: 50M\nreport_stats: false\n');

    // Named alone, the warning's fix is the admin's choice and is applied; a plugin's code is a known code.
    const named = await runCli(['fix', ...args, '--only', 'MXD-TPA-002', '--apply', '--yes'], opts);
    assert.equal(named.code, 0, named.stderr);
    assert.equal(readFileSync(hs, 'utf8'), '# uploads\nserver_name: example.com\nmax_upload_size: 100M\nreport_stats: false\n');
  });

  for (const [answer, written] of [
    ['n', false],
    ['y', true],
  ] as const) {
    test(`on a terminal --apply asks first; answering '${answer}' ${written ? 'writes' : 'writes nothing'}`, async () => {
      const dir = copyOf(SEED);
      const before = snapshot(dir);
      // `script` gives the command a pseudo-terminal; the answer is typed once the question is on screen.
      const cmd = `${process.execPath} ${BIN} fix --offline --profile ${path.join(dir, 'matrixdoc.yaml')} --only MXD-EL-009 --apply`;
      const child = spawn('script', ['-qec', cmd, '/dev/null'], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', NO_COLOR: '1', MATRIXDOC_ALLOW_TARGETS: '127.0.0.0/8' },
      });
      let out = '';
      let asked = false;
      child.stdout.on('data', (b) => {
        out += b;
        if (!asked && out.includes('[y/N]')) {
          asked = true;
          child.stdin.write(`${answer}\n`);
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.ok(asked, `no question on the terminal:\n${out}`);
      assert.equal(code, 0, out);
      const changed = snapshot(dir)['element/config.matrix.xfoss.com.json'] !== before['element/config.matrix.xfoss.com.json'];
      assert.equal(changed, written, out);
    });
  }
});
