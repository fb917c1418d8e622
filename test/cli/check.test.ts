// The built binary, as a user runs it: human output in pipes, --json, exit codes 0/1/2, bad flags,
// missing files, profiles, --save-probes/--from-probes, and a plugin contributing a check.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { Report } from '../../src/engine/types.js';
import { ROOT, runCli, SEED } from '../helpers/cli.js';
import { assertValidReport } from '../helpers/schema.js';

const PROFILE = path.join(SEED, 'matrixdoc.yaml');
const made: string[] = [];
const tmp = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-cli-'));
  made.push(dir);
  return dir;
};
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
const noStack = (text: string) => assert.ok(!/\n\s+at .+:\d+:\d+\)?/.test(text), `stack trace in:\n${text}`);

function writeFiles(files: Record<string, string>): string {
  const dir = tmp();
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('matrixdoc check', () => {
  test('seed, offline, piped: plain text report with file:line evidence and fixes', async () => {
    const r = await runCli(['check', '--offline', '--profile', PROFILE]);
    // The seed's real bug fails rate-limits: Synapse behind nginx without x_forwarded (MXD-RL-001).
    assert.equal(r.code, 1, r.stderr);
    assert.ok(!r.stdout.includes('\u001b'), 'no control codes on stdout');
    assert.ok(!r.stderr.includes('\u001b'), 'no control codes on stderr');
    assert.match(r.stdout, /\[!\] homeserver-config/);
    assert.match(r.stdout, /MXD-HS-007 'rc_messages_per_second' is deprecated/);
    assert.match(r.stdout, /at fixtures\/seed\/synapse\/homeserver\.yaml:42:1/);
    assert.match(r.stdout, /fix: /);
    assert.match(r.stdout, /MXD-EL-009 'settingDefaults' is ignored/);
    assert.match(r.stdout, /\[✗\] rate-limits/);
    assert.match(r.stdout, /MXD-RL-001 nginx forwards .* but the listener on port 8008 has no x_forwarded: true/);
    assert.match(r.stdout, /Summary: [1-9]\d* fail, \d+ warn, \d+ pass, \d+ skip, 0 error/);
    assert.match(r.stderr, /homeserver-config/, 'progress lines go to stderr');
  });

  test('--json prints only the report, and it matches the published schema', async () => {
    const r = await runCli(['check', '--offline', '--profile', PROFILE, '--json']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assertValidReport(report);
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.target.serverName, 'xfoss.com');
    assert.ok(report.summary.fail >= 1 && report.summary.error === 0, JSON.stringify(report.summary));
    assert.equal(report.checks.find((c) => c.id === 'rate-limits')?.status, 'fail');
    const codes = report.checks
      .flatMap((c) => c.findings.map((f) => f.code))
      .filter((c) => /^MXD-(HS|EL|RL)-/.test(c))
      .sort();
    assert.deepEqual(codes, ['MXD-EL-009', 'MXD-EL-012', 'MXD-HS-007', 'MXD-HS-007', 'MXD-RL-001', 'MXD-RL-003', 'MXD-RL-004', 'MXD-RL-005']);
    assert.equal(r.stderr, '', 'no progress in json mode');
  });

  test('--strict makes warnings fail (exit 1)', async () => {
    const r = await runCli(['check', '--offline', '--profile', PROFILE, '--strict']);
    assert.equal(r.code, 1);
  });

  test('a failure exits 1 and the report still validates', async () => {
    const dir = writeFiles({ 'homeserver.yaml': 'server_name: example.com\nreport_stats: false\nlisteners:\n  - port: 8008\n\ttype: http\n' });
    const r = await runCli(['check', '--offline', '--homeserver-config', path.join(dir, 'homeserver.yaml'), '--json']);
    assert.equal(r.code, 1);
    const report = JSON.parse(r.stdout) as Report;
    assertValidReport(report);
    const f = report.checks[0].findings[0];
    assert.equal(f.code, 'MXD-HS-001');
    assert.deepEqual([f.location?.line, f.location?.column], [5, 1]);
  });

  test('nothing to check: every check is skipped, exit 0', async () => {
    const r = await runCli(['check', '--offline', '--json']);
    assert.equal(r.code, 0);
    const report = JSON.parse(r.stdout) as Report;
    assertValidReport(report);
    assert.ok(report.checks.every((c) => c.status === 'skip' && c.reason));
  });

  test('a missing input file: exit 2, one clear line, no stack trace', async () => {
    const r = await runCli(['check', '--offline', '--homeserver-config', '/nonexistent/homeserver.yaml']);
    assert.equal(r.code, 2);
    // One line for the one bad file, naming every check it stopped (ldap through its ldapConfig probe).
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('matrixdoc: error:'));
    assert.deepEqual(lines, [
      'matrixdoc: error: homeserver-config, public-baseurl, rate-limits, turn, database, ldap: homeserverConfig: FILE_NOT_FOUND: --homeserver-config /nonexistent/homeserver.yaml: no such file',
    ]);
    noStack(r.stderr);
  });

  test('a missing homeserver.yaml with --only ldap: error (not skip), exit 2', async () => {
    const r = await runCli(['check', '--offline', '--only', 'ldap', '--homeserver-config', '/nonexistent/homeserver.yaml', '--json']);
    assert.equal(r.code, 2);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.checks[0].status, 'error');
    assert.match(report.checks[0].reason ?? '', /ldapConfig: DEPENDENCY_FAILED: needs homeserverConfig, which failed \(FILE_NOT_FOUND: /);
  });

  test('binary, folder, huge, non-UTF-8 and looping inputs are errors, not crashes', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'bin.yaml'), Buffer.from([0x73, 0x3a, 0x00, 0x01, 0x02]));
    let r = await runCli(['check', '--offline', '--homeserver-config', path.join(dir, 'bin.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /FILE_BINARY/);
    r = await runCli(['check', '--offline', '--element-config', dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /FILE_IS_DIRECTORY/);
    noStack(r.stderr);
    writeFileSync(path.join(dir, 'huge.yaml'), Buffer.alloc(5 * 1024 * 1024, 0x61));
    r = await runCli(['check', '--offline', '--homeserver-config', path.join(dir, 'huge.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /FILE_TOO_LARGE/);
    writeFileSync(path.join(dir, 'latin1.yaml'), Buffer.from('server_name: caf\xe9.example\n', 'latin1'));
    r = await runCli(['check', '--offline', '--homeserver-config', path.join(dir, 'latin1.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /FILE_NOT_UTF8/);
    symlinkSync(path.join(dir, 'loop-b'), path.join(dir, 'loop-a'));
    symlinkSync(path.join(dir, 'loop-a'), path.join(dir, 'loop-b'));
    r = await runCli(['check', '--offline', '--homeserver-config', path.join(dir, 'loop-a')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /symbolic link loop/);
    noStack(r.stderr);
  });

  for (const [name, args, pattern] of [
    ['unknown flag', ['--nope'], /nope/],
    ['bad timeout', ['--timeout', 'soon'], /--timeout: 'soon' is not a duration/],
    ['bad --resolve', ['--resolve', 'example.com:443'], /--resolve example\.com:443: expected host:port:address/],
    ['bad --connect-to port', ['--connect-to', 'a:1:b:99999'], /not a port/],
    ['bad --allow-targets', ['--allow-targets', '300.1.1.1/8'], /--allow-targets: '300\.1\.1\.1\/8'/],
    ['unknown check id', ['--only', 'nope'], /--only: unknown check 'nope' \(known: homeserver-config, element-config/],
    ['bad server name', ['--server-name', 'https://x'], /not a Matrix server name/],
    ['resolver named by host name', ['--dns-server', 'dns.example'], /--dns-server: 'dns\.example' is not an IP address/],
  ] as const) {
    test(`bad flags (${name}): exit 2, one line`, async () => {
      const r = await runCli(['check', '--offline', ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, pattern);
      noStack(r.stderr);
    });
  }

  test('profile errors name file:line:col', async () => {
    const dir = writeFiles({ 'p.yaml': 'server-name: example.com\nhomeserver-confg: x.yaml\n', 'q.yaml': 'server-name: [a\n' });
    let r = await runCli(['check', '--offline', '--profile', path.join(dir, 'p.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /p\.yaml:2:1: unknown profile key 'homeserver-confg'/);
    r = await runCli(['check', '--offline', '--profile', path.join(dir, 'q.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /q\.yaml:\d+:\d+: /);
    r = await runCli(['check', '--offline', '--profile', path.join(dir, 'missing.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /missing\.yaml: cannot read profile: no such file/);
  });

  test('flags win over the profile', async () => {
    const r = await runCli(['check', '--offline', '--profile', PROFILE, '--server-name', 'other.example', '--only', 'homeserver-config', '--json']);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.target.serverName, 'other.example');
    assert.ok(report.checks[0].findings.some((f) => f.code === 'MXD-HS-005' && f.messageId === 'mismatch'));
  });

  test('--only and --skip select checks', async () => {
    let r = await runCli(['check', '--offline', '--profile', PROFILE, '--only', 'element-config', '--json']);
    assert.deepEqual(
      (JSON.parse(r.stdout) as Report).checks.map((c) => c.id),
      ['element-config'],
    );
    r = await runCli(['check', '--offline', '--profile', PROFILE, '--skip', 'element-config', '--json']);
    const ids = (JSON.parse(r.stdout) as Report).checks.map((c) => c.id);
    assert.ok(ids.includes('homeserver-config') && ids.includes('rate-limits') && !ids.includes('element-config'), JSON.stringify(ids));
  });

  test('--save-probes then --from-probes gives the same findings with no file access', async () => {
    const dir = tmp();
    const first = await runCli(['check', '--offline', '--profile', PROFILE, '--json', '--save-probes', dir]);
    const capture = JSON.parse(readFileSync(path.join(dir, 'probes.json'), 'utf8'));
    assert.equal(capture.format, 'matrixdoc-probes');
    // Replay from a copy in another place: the original files are not read again.
    const second = await runCli(['check', '--from-probes', dir, '--json'], { cwd: tmpdir() });
    assert.equal(second.code, first.code);
    const strip = (r: Report) =>
      r.checks.map((c) => ({ id: c.id, status: c.status, findings: c.findings.map((f) => [f.code, f.messageId, f.location?.line]) }));
    const replayed = JSON.parse(second.stdout) as Report;
    assertValidReport(replayed);
    assert.deepEqual(strip(replayed), strip(JSON.parse(first.stdout)));
    assert.equal(replayed.target.replayedFrom, dir);
  });

  test('--from-probes with a folder that has no capture: exit 2', async () => {
    const r = await runCli(['check', '--from-probes', tmp()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no probes\.json/);
  });

  test('a plugin contributes a check through the matrixdoc:checks hook', async () => {
    const dataDir = tmp();
    const plugin = path.join(ROOT, 'fixtures/plugins/matrixdoc-plugin-example');
    writeFileSync(
      path.join(dataDir, 'package.json'),
      JSON.stringify({ private: true, oclif: { schema: 1, plugins: [{ type: 'link', name: 'matrixdoc-plugin-example', root: plugin }] } }),
    );
    const dir = writeFiles({ 'homeserver.yaml': 'server_name: example.com\nreport_stats: false\nmax_upload_size: 2G\n' });
    const r = await runCli(['check', '--offline', '--homeserver-config', path.join(dir, 'homeserver.yaml'), '--json'], {
      env: { MATRIXDOC_DATA_DIR: dataDir },
    });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assertValidReport(report);
    const plug = report.checks.find((c) => c.id === 'example-upload-limit');
    assert.equal(plug?.status, 'warn');
    assert.equal(plug?.findings[0].code, 'MXD-XPL-001');
    assert.deepEqual([plug?.findings[0].location?.line, plug?.findings[0].location?.column], [3, 18]);
    // Without the plugin, the check does not exist.
    const without = await runCli(['check', '--offline', '--only', 'example-upload-limit']);
    assert.equal(without.code, 2);
  });

  test('--discover finds the files itself (here in a fake tree), and conf.d overrides are merged', async () => {
    const root = path.join(ROOT, 'fixtures/discover');
    const r = await runCli(['check', '--discover', '--offline', '--json'], { env: { MATRIXDOC_DISCOVER_ROOT: root, MATRIXDOC_DISCOVER_HOME: '/home/it' } });
    const report = JSON.parse(r.stdout) as Report;
    assertValidReport(report);
    assert.equal(report.target.serverName, 'xfoss.com');
    assert.match(String(report.target.inputs.homeserverConfig), /fixtures\/discover\/etc\/matrix-synapse\/homeserver\.yaml/);
    assert.match(String(report.target.inputs.elementConfig), /element-v1\.11\.76\/config\.matrix\.xfoss\.com\.json$/);
    const hs = report.checks.find((c) => c.id === 'homeserver-config');
    assert.ok(hs && hs.status !== 'skip' && hs.status !== 'error', JSON.stringify(hs));
    assert.ok(!hs.findings.some((f) => f.code === 'MXD-HS-006'), 'report_stats comes from conf.d/report_stats.yaml');
  });

  test('--format junit / prometheus / nagios, and --output writes the file instead of stdout', async () => {
    const junit = await runCli(['check', '--offline', '--profile', PROFILE, '--format', 'junit']);
    assert.equal(spawnSync('xmllint', ['--noout', '-'], { input: junit.stdout }).status, 0, junit.stdout);
    assert.match(junit.stdout, /<testcase classname="matrixdoc.rate-limits"/);
    assert.equal(junit.stderr, '', 'no progress with machine formats');
    const nagios = await runCli(['check', '--offline', '--profile', PROFILE, '--format', 'nagios']);
    assert.match(nagios.stdout, /^MATRIXDOC xfoss.com (CRITICAL|WARNING|OK) - .* \| pass=\d+ warn=\d+ fail=\d+ skip=\d+ error=\d+ duration=/);
    assert.equal(nagios.code, nagios.stdout.includes(' CRITICAL ') ? 2 : nagios.stdout.includes(' WARNING ') ? 1 : 0);
    const out = path.join(tmp(), 'matrixdoc.prom');
    const prom = await runCli(['check', '--offline', '--profile', PROFILE, '--format', 'prometheus', '--output', out]);
    assert.equal(prom.stdout, '');
    assert.equal(spawnSync('promtool', ['check', 'metrics'], { input: readFileSync(out, 'utf8') }).status, 0);
    assert.match(readFileSync(out, 'utf8'), /matrixdoc_check_status\{server_name="xfoss.com",check="homeserver-config",status="warn"\} 1/);
  });

  test('--json --output: the report goes to the file only; stderr says where; the write replaces the file whole', async () => {
    const dir = tmp();
    const out = path.join(dir, 'report.json');
    writeFileSync(out, 'old', { mode: 0o640 });
    chmodSync(out, 0o640);
    const r = await runCli(['check', '--offline', '--profile', PROFILE, '--json', '--output', out]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '', 'nothing on stdout: the report is in the file');
    assert.equal(r.stderr, `report written to ${out}\n`);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    assertValidReport(report);
    assert.equal(report.target.serverName, 'xfoss.com');
    assert.equal(statSync(out).mode & 0o777, 0o640, 'a replaced file keeps its mode');
    assert.deepEqual(readdirSync(dir), ['report.json'], 'no temporary file left behind');
    // A new file, with another format: readable by a collector running as another user.
    const prom = path.join(dir, 'new.prom');
    const p = await runCli(['check', '--offline', '--profile', PROFILE, '--format', 'json', '--output', prom]);
    assert.equal(p.stdout, '');
    assert.equal(p.stderr, `report written to ${prom}\n`);
    assert.equal(statSync(prom).mode & 0o777, 0o644);
    // A folder that does not exist: one line, exit 2.
    const bad = await runCli(['check', '--offline', '--profile', PROFILE, '--json', '--output', path.join(dir, 'nope/report.json')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /matrixdoc: error: .*nope\/report\.json: --output: cannot write it \(ENOENT\)/);
  });

  describe('--format nagios: a run that cannot do its job is UNKNOWN (one status line on stdout, exit 3)', () => {
    const profileDir = () => writeFiles({ 'p.yaml': 'server-name: example.com\nhomeserver-confg: x.yaml\n' });
    // Throws inside `check` (its first performance.now()), as a bug would: an internal error.
    const boomHook = () => {
      const file = path.join(tmp(), 'boom.mjs');
      writeFileSync(
        file,
        [
          'const now = performance.now.bind(performance);',
          'performance.now = () => {',
          "  if (/commands[/\\\\]check\\.js/.test(new Error().stack ?? '')) throw new Error('boom from the test hook');",
          '  return now();',
          '};',
          '',
        ].join('\n'),
      );
      return file;
    };
    for (const [name, args, line] of [
      ['unknown flag', ['--format', 'nagios', '--nope'], /^MATRIXDOC UNKNOWN - Nonexistent flag: --nope$/],
      ['a bad value (--format=nagios spelling)', ['--format=nagios', '--timeout', 'soon'], /^MATRIXDOC UNKNOWN - --timeout: 'soon' is not a duration/],
      ['a bad --resolve', ['--resolve', 'x', '--format', 'nagios'], /^MATRIXDOC UNKNOWN - --resolve x: expected host:port:address/],
      [
        'an unreadable profile',
        ['--format', 'nagios', '--profile', '/nonexistent/matrixdoc.yaml'],
        /^MATRIXDOC UNKNOWN - \/nonexistent\/matrixdoc\.yaml: cannot read profile: no such file$/,
      ],
    ] as const) {
      test(name, async () => {
        const r = await runCli(['check', '--offline', ...args]);
        assert.equal(r.code, 3, `${r.stdout}${r.stderr}`);
        assert.equal(r.stdout.split('\n').length, 2, `one line:\n${r.stdout}`);
        assert.match(r.stdout.trimEnd(), line);
        assert.equal(r.stderr, '', 'Icinga 2 shows stderr too: nothing there');
      });
    }

    test('profile errors, and internal errors', async () => {
      let r = await runCli(['check', '--offline', '--format', 'nagios', '--profile', path.join(profileDir(), 'p.yaml')]);
      assert.equal(r.code, 3);
      assert.match(r.stdout, /^MATRIXDOC UNKNOWN - .*p\.yaml:2:1: unknown profile key 'homeserver-confg'[^\n]*\n$/);
      r = await runCli(['check', '--offline', '--format', 'nagios'], { nodeArgs: ['--import', boomHook()] });
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.stdout, 'MATRIXDOC UNKNOWN - internal error: boom from the test hook (run with --debug for details)\n');
      assert.equal(r.stderr, '');
      // Every other format: one line on stderr, exit 2, nothing on stdout.
      r = await runCli(['check', '--offline', '--format', 'junit'], { nodeArgs: ['--import', boomHook()] });
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, 'matrixdoc: internal error: boom from the test hook (run with --debug for details)\n');
      for (const args of [
        ['--format', 'prometheus', '--nope'],
        ['--format', 'text', '--profile', '/nonexistent/matrixdoc.yaml'],
        ['--format', 'nagios', '--json', '--timeout', 'soon'],
      ]) {
        r = await runCli(['check', '--offline', ...args]);
        assert.equal(r.code, 2, args.join(' '));
        assert.match(r.stderr, /^matrixdoc: error: /);
        assert.ok(!r.stdout.includes('MATRIXDOC'), r.stdout);
      }
    });
  });

  test('--version answers as oclif does (name/version platform-arch node-version), without loading oclif', async () => {
    const r = await runCli(['--version']);
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      `matrixdoc/${JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version} ${process.platform}-${process.arch} node-${process.version}\n`,
    );
  });
});
