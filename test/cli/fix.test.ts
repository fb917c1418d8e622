// `matrixdoc fix` on copies of the seed and its broken variants (nginx-proxy for nginx's declarative
// edits), through the built binary: previews write nothing, --apply writes exactly the edits (every other byte unchanged), the fixed findings are
// gone, a second --apply changes nothing, and writing without a terminal needs --yes.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { Report } from '../../src/engine/types.js';
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
const snapshot = (dir: string) =>
  Object.fromEntries(
    ['synapse/homeserver.yaml', 'element/config.matrix.xfoss.com.json', 'jitsi/.env'].map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]),
  );

/** Lines only in `a` and only in `b`. */
function lineDiff(a: string, b: string): { removed: string[]; added: string[] } {
  const count = (t: string) => {
    const m = new Map<string, number>();
    for (const l of t.split('\n')) m.set(l, (m.get(l) ?? 0) + 1);
    return m;
  };
  const ca = count(a);
  const cb = count(b);
  const only = (x: Map<string, number>, y: Map<string, number>) => [...x].flatMap(([l, n]) => Array(Math.max(0, n - (y.get(l) ?? 0))).fill(l));
  return { removed: only(ca, cb), added: only(cb, ca) };
}

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
    const now = snapshot(dir);
    assert.deepEqual(lineDiff(before['synapse/homeserver.yaml'], now['synapse/homeserver.yaml']), {
      removed: ['rc_messages_per_second: 200000', 'rc_message_burst_count: 100000'],
      added: ['rc_message:', '  per_second: 200000', '  burst_count: 100000'],
    });
    assert.deepEqual(lineDiff(before['element/config.matrix.xfoss.com.json'], now['element/config.matrix.xfoss.com.json']), {
      removed: ['\t"settingDefaults": {', '\t\t"language": "zh_Hans"', '\t},'],
      added: ['        "language": "zh-hans",'],
    });
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
    assert.match(preview.stdout, /^\+ {8}proxy_set_header Host \$host;$/m);
    assert.match(preview.stdout, /6 fixes in 2 file\(s\) can be applied/);
    assert.deepEqual(read(), before, 'a preview writes nothing');

    const r = await runCli(['fix', ...args, '--apply', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /nginx -t && systemctl reload nginx/);
    const now = read();
    // Exactly the edits: every other byte (comments, tabs, the port-80 block of the same name) is kept.
    assert.equal(
      now['nginx/matrix.conf'],
      before['nginx/matrix.conf']
        .replace('proxy_pass http://localhost:8008/;', 'proxy_pass http://localhost:8008;')
        .replace('X-Forwarded-For $proxy_add_x_forwarded_for;', 'X-Forwarded-For $remote_addr;')
        .replace('proxy_set_header X-Forwarded-Proto $scheme;\n', 'proxy_set_header X-Forwarded-Proto $scheme;\n        proxy_set_header Host $host;\n')
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

    // Only the admin-API note (a manual step) is left.
    assert.deepEqual(
      (await findings()).map((f) => f.code),
      ['MXD-RP-008'],
    );
    const again = await runCli(['fix', ...args, '--apply', '--yes']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Nothing to change/);
    assert.deepEqual(read(), now);
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
