// Bad input through the BUILT binary, beyond test/cli/check.test.ts (which covers a missing file, and a
// binary, folder, huge, Latin-1 and looping homeserver.yaml): files the running user cannot read (the
// child runs as uid 65534 `nobody`, since root reads anything), binary, enormous (sparse, 8 GiB) and
// looping inputs for every kind of input, FIFOs and devices given as files (they must not hang: open()
// on a FIFO blocks until a writer comes), names that are not UTF-8, nginx text that used to loop forever,
// and contradictory flags. Each: exit 2 (or 1 where the file is evidence of a finding), one clear line
// per error, no stack trace, within seconds.
// Network safety: every run is --offline or never gets as far as a probe; runCli sets --allow-targets loopback.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../src/engine/types.js';
import { BIN, LOOPBACK, ROOT, runCli, SEED } from '../helpers/cli.js';
import { assertBounded, runMeasured } from '../hostile/support.js';

const made: string[] = [];
const tmp = (mode = 0o755) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-bad-'));
  chmodSync(dir, mode);
  made.push(dir);
  return dir;
};
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
before(() => assert.ok(existsSync(path.join(ROOT, 'dist/src/commands/check.js')), 'build first: npm run build'));

const noStack = (text: string) => assert.ok(!/\n\s+at .+:\d+:\d+\)?/.test(text), `stack trace in:\n${text}`);
/** Every error line is one line of its own, with the reason; stderr has no stack trace. */
function assertErrorLines(stderr: string, pattern: RegExp): void {
  noStack(stderr);
  const lines = stderr.split('\n').filter((l) => l.startsWith('matrixdoc: '));
  assert.ok(lines.length >= 1, `no error line in:\n${stderr}`);
  assert.ok(
    lines.some((l) => pattern.test(l)),
    `no error line matches ${pattern}:\n${lines.join('\n')}`,
  );
}

const HS = 'server_name: example.com\nreport_stats: false\n';

/** A FIFO nobody writes to: open() for reading would wait forever. */
function fifo(dir: string, name = 'fifo'): string {
  const file = path.join(dir, name);
  execFileSync('mkfifo', [file]);
  return file;
}

/** An 8 GiB file that takes no disk space (sparse). */
function sparse(dir: string, name: string, bytes = 8 * 1024 ** 3): string {
  const file = path.join(dir, name);
  closeSync(openSync(file, 'w'));
  truncateSync(file, bytes);
  return file;
}

/** Runs the binary through /bin/sh (to pass bytes that are not UTF-8), or as another user. */
function runRaw(
  command: string[],
  opts: { uid?: number; gid?: number; shell?: string; home?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH ?? '', HOME: opts.home ?? tmpdir(), MATRIXDOC_ALLOW_TARGETS: LOOPBACK, NO_COLOR: '1' };
    const child = opts.shell
      ? spawn('/bin/sh', ['-c', opts.shell], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, [BIN, ...command], { cwd: ROOT, env, uid: opts.uid, gid: opts.gid, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('files the user cannot read (the child runs as nobody, uid 65534)', { skip: isRoot ? false : 'needs root to switch to nobody' }, () => {
  test('homeserver.yaml, a profile, an nginx folder, --ca-file and --targets: permission denied, exit 2', async () => {
    const dir = tmp();
    const home = tmp(0o777);
    const secret = (name: string, text: string) => {
      const file = path.join(dir, name);
      writeFileSync(file, text, { mode: 0o600 });
      return file;
    };
    const hs = secret('homeserver.yaml', HS);
    const sites = path.join(dir, 'sites-enabled');
    mkdirSync(sites, { mode: 0o700 });
    writeFileSync(path.join(sites, 'matrix.conf'), 'server { listen 443; }\n');
    const asNobody = (args: string[]) => runRaw(args, { uid: 65534, gid: 65534, home });

    let r = await asNobody(['check', '--offline', '--homeserver-config', hs, '--nginx-config', sites]);
    assert.equal(r.code, 2, r.stderr);
    assertErrorLines(
      r.stderr,
      /homeserverConfig: FILE_UNREADABLE: --homeserver-config .*homeserver\.yaml: permission denied \(run as a user that can read it\)/,
    );
    assertErrorLines(r.stderr, /nginxConfig: FILE_UNREADABLE: --nginx-config .*sites-enabled: permission denied/);

    r = await asNobody(['check', '--offline', '--profile', secret('matrixdoc.yaml', 'server-name: example.com\n')]);
    assert.equal(r.code, 2);
    assertErrorLines(r.stderr, /matrixdoc\.yaml: cannot read profile: permission denied$/);

    r = await asNobody(['check', '--offline', '--ca-file', secret('ca.pem', '-----BEGIN CERTIFICATE-----\n')]);
    assert.equal(r.code, 2);
    assertErrorLines(r.stderr, /ca\.pem: --ca-file: cannot read it \(permission denied\)$/);

    r = await asNobody(['check', '--offline', '--targets', secret('fleet.txt', 'example.com\n')]);
    assert.equal(r.code, 2);
    assertErrorLines(r.stderr, /fleet\.txt: --targets: cannot read it \(permission denied\)$/);
  });
});

describe('binary, enormous and looping inputs of every kind', () => {
  test('an 8 GiB (sparse) file as each input: refused by size at once, memory bounded', async () => {
    const dir = tmp();
    for (const [args, pattern] of [
      [['--homeserver-config', sparse(dir, 'hs.yaml')], /FILE_TOO_LARGE: --homeserver-config .*: larger than 4 MiB; this is not a config file/],
      [['--element-config', sparse(dir, 'config.json')], /FILE_TOO_LARGE: --element-config/],
      [['--jitsi-env', sparse(dir, '.env')], /FILE_TOO_LARGE: --jitsi-env/],
      [['--profile', sparse(dir, 'p.yaml')], /cannot read profile: larger than 1 MiB$/],
      [['--ca-file', sparse(dir, 'ca.pem')], /--ca-file: cannot read it \(larger than 4 MiB\)$/],
      [['--targets', sparse(dir, 'fleet.txt')], /--targets: cannot read it \(larger than 16 MiB\)$/],
      // The log is read from its end (16 MiB of a sparse file are NUL bytes).
      [['--homeserver-config', path.join(SEED, 'synapse/homeserver.yaml'), '--synapse-log', sparse(dir, 'homeserver.log')], /FILE_BINARY: --synapse-log/],
    ] as const) {
      const r = await runMeasured(['check', '--offline', '--only', 'homeserver-config,element-config,jitsi-websocket,rate-limits', ...args]);
      assertBounded(r, 2, args.join(' '));
      assertErrorLines(r.stderr, pattern);
    }
  });

  test('binary content and symbolic-link loops for the other inputs', async () => {
    const dir = tmp();
    const bin = (name: string) => {
      const file = path.join(dir, name);
      writeFileSync(file, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02]));
      return file;
    };
    const loop = (name: string) => {
      symlinkSync(path.join(dir, `${name}-b`), path.join(dir, name));
      symlinkSync(path.join(dir, name), path.join(dir, `${name}-b`));
      return path.join(dir, name);
    };
    for (const [args, pattern] of [
      [['--jitsi-env', bin('bin.env')], /FILE_BINARY: --jitsi-env .*binary content \(NUL bytes\)/],
      [['--nginx-config', bin('bin.conf')], /FILE_BINARY: --nginx-config/],
      [['--profile', bin('bin.yaml')], /cannot read profile: binary content \(NUL bytes\), expected a text file$/],
      [['--targets', bin('bin.txt')], /--targets: binary content \(NUL bytes\), expected a text file$/],
      [['--element-config', loop('loop.json')], /FILE_UNREADABLE: --element-config .*: symbolic link loop/],
      [['--profile', loop('loop.yaml')], /cannot read profile: symbolic link loop$/],
      [['--ca-file', loop('loop.pem')], /--ca-file: cannot read it \(symbolic link loop\)$/],
    ] as const) {
      const r = await runCli(['check', '--offline', ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assertErrorLines(r.stderr, pattern);
    }
  });

  test('a homeserver.yaml that is a character device (/dev/zero): refused, not read forever', async () => {
    const r = await runMeasured(['check', '--offline', '--only', 'homeserver-config', '--homeserver-config', '/dev/zero']);
    assertBounded(r, 2, '/dev/zero');
    assertErrorLines(r.stderr, /FILE_UNREADABLE: --homeserver-config \/dev\/zero: not a regular file \(a FIFO, socket or device\)/);
  });
});

describe('a FIFO given as a file (nobody writes to it): no hang', () => {
  test('as each input: one line, exit 2, within seconds', async () => {
    const dir = tmp();
    const f = fifo(dir);
    const capture = tmp();
    fifo(capture, 'probes.json');
    for (const [args, pattern] of [
      [['--homeserver-config', f], /FILE_UNREADABLE: --homeserver-config .*fifo: not a regular file \(a FIFO, socket or device\)/],
      [['--element-config', f], /FILE_UNREADABLE: --element-config/],
      [['--jitsi-env', f], /FILE_UNREADABLE: --jitsi-env/],
      [['--nginx-config', f], /FILE_UNREADABLE: --nginx-config/],
      [['--homeserver-config', path.join(SEED, 'synapse/homeserver.yaml'), '--synapse-log', f], /FILE_UNREADABLE: --synapse-log .*not a regular file/],
      [['--homeserver-config', path.join(SEED, 'synapse/homeserver.yaml'), '--coturn-config', f], /FILE_UNREADABLE: --coturn-config/],
      [['--profile', f], /cannot read profile: not a regular file \(a FIFO, socket or device\)$/],
      [['--ca-file', f], /--ca-file: cannot read it \(not a regular file \(a FIFO, socket or device\)\)$/],
      [['--targets', f], /--targets: cannot read it \(not a regular file/],
      [['--from-probes', capture], /--from-probes: cannot read .*probes\.json: not a regular file/],
    ] as const) {
      const r = await runMeasured(['check', '--offline', ...args], { killAfterMs: 20_000 });
      assertBounded(r, 2, args.join(' '));
      assertErrorLines(r.stderr, pattern);
    }
  });

  test('named from inside homeserver.yaml (turn_shared_secret_path, bind_password_file): a finding, no hang', async () => {
    const dir = tmp();
    const f = fifo(dir);
    const hs = path.join(dir, 'homeserver.yaml');
    writeFileSync(
      hs,
      `${HS}turn_uris: ["turn:turn.example.com?transport=udp"]\nturn_shared_secret_path: ${f}\nmodules:\n  - module: ldap_auth_provider.LdapAuthProviderModule\n    config:\n      uri: "ldaps://ldap.example.com"\n      base: "dc=example,dc=com"\n      attributes: {uid: uid, mail: mail, name: cn}\n      bind_dn: "cn=svc,dc=example,dc=com"\n      bind_password_file: ${f}\n`,
    );
    const r = await runMeasured(['check', '--offline', '--only', 'turn,ldap', '--homeserver-config', hs, '--json'], { killAfterMs: 20_000 });
    assertBounded(r, 1, 'FIFO secrets');
    const findings = (JSON.parse(r.stdout) as Report).checks.flatMap((c) => c.findings);
    const secretFile = findings.find((x) => x.code === 'MXD-TURN-002' && x.messageId === 'secretFile');
    assert.match(secretFile?.message ?? '', /which cannot be read \(.*fifo: not a regular file \(a FIFO, socket or device\)\)/);
    const passwordFile = findings.find((x) => x.code === 'MXD-LDAP-001' && x.messageId === 'passwordFile');
    assert.match(passwordFile?.message ?? '', /bind_password_file .*fifo cannot be read here \(FILE_UNREADABLE\)/);
    assert.match(JSON.stringify(passwordFile?.evidence), /not a regular file \(a FIFO, socket or device\)/);
  });
});

describe('names that are not UTF-8', () => {
  test('given on the command line: the file cannot be found, and the line says why', async () => {
    const dir = tmp();
    // The name holds the byte 0xff; Node receives U+FFFD in its place and cannot open it.
    const shell = (flag: string, name: string) =>
      `printf '${HS.replace(/\n/g, '\\n')}' > "${dir}/$(printf '${name}')"; exec "${process.execPath}" "${BIN}" check --offline ${flag} "${dir}/$(printf '${name}')"`;
    let r = await runRaw([], { shell: shell('--homeserver-config', 'hs\\377.yaml') });
    assert.equal(r.code, 2);
    assertErrorLines(
      r.stderr,
      /FILE_NOT_FOUND: --homeserver-config .*hs\ufffd\.yaml: no such file \(the name as given is not valid UTF-8, so it cannot be opened: rename the file\)/,
    );
    r = await runRaw([], { shell: shell('--profile', 'p\\377.yaml') });
    assert.equal(r.code, 2);
    assertErrorLines(r.stderr, /p\ufffd\.yaml: cannot read profile: no such file \(the name as given is not valid UTF-8/);
  });

  test('inside an nginx folder: FILE_NAME_NOT_UTF8 with the bytes, instead of skipping the file', async () => {
    const dir = tmp();
    const sites = path.join(dir, 'sites-enabled');
    mkdirSync(sites);
    writeFileSync(Buffer.concat([Buffer.from(`${sites}/matrix`), Buffer.from([0xff]), Buffer.from('.conf')]), 'server { listen 443 ssl; }\n');
    const r = await runCli(['check', '--offline', '--nginx-config', sites]);
    assert.equal(r.code, 2);
    assertErrorLines(
      r.stderr,
      /nginxConfig: FILE_NAME_NOT_UTF8: --nginx-config .*sites-enabled: the file name "matrix\ufffd\.conf" is not valid UTF-8 \(bytes 6d6174726978ff2e636f6e66\); rename it/,
    );
  });
});

describe('nginx text that used to loop forever (found by test/fuzz/config-files.test.ts)', () => {
  test('a no-break space, U+2028 and an unclosed ${ in a site file: read, the run ends', async () => {
    const dir = tmp();
    const file = path.join(dir, 'matrix.conf');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the unclosed ${ is the point
    writeFileSync(file, 'server {\n    listen 443 ssl;\u00a0\n    server_name matrix.example.com\u2028;\n    return 200 "${x;\n}\n');
    const r = await runMeasured(['check', '--offline', '--only', 'reverse-proxy', '--nginx-config', file, '--json'], { killAfterMs: 20_000 });
    assert.equal(r.signal, null, 'killed: it looped');
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    assert.ok(r.peakRssMb < 250, `${r.peakRssMb} MB`);
  });
});

describe('contradictory flags (and oclif parse errors): one line, exit 2', () => {
  const dir = tmp();
  const capture = tmp();
  const offlineProfile = path.join(dir, 'offline.yaml');
  writeFileSync(offlineProfile, `offline: true\nhomeserver-config: ${path.join(SEED, 'synapse/homeserver.yaml')}\n`);
  for (const [name, args, pattern] of [
    ['--offline with --probe-login', ['--offline', '--probe-login'], /--probe-login makes live login attempts; it cannot run with --offline$/],
    ['a profile with offline: true, and --probe-login', ['--profile', offlineProfile, '--probe-login'], /it cannot run with offline: true in the profile$/],
    [
      '--from-probes with --save-probes',
      ['--from-probes', capture, '--save-probes', dir],
      /^matrixdoc: error: --save-probes=.* cannot also be provided when using --from-probes$/,
    ],
    [
      '--from-probes with --discover',
      ['--from-probes', capture, '--discover'],
      /--discover reads this machine's files; --from-probes replays a capture with no I\/O at all$/,
    ],
    [
      '--from-probes with --probe-login',
      ['--from-probes', capture, '--probe-login'],
      /--probe-login makes live login attempts; --from-probes replays a capture/,
    ],
    [
      '--targets with --profile',
      ['--targets', path.join(dir, 'x.txt'), '--profile', offlineProfile],
      /--targets names the deployments; it cannot be combined with --profile or --server-name$/,
    ],
    ['--targets with --server-name', ['--targets', path.join(dir, 'x.txt'), '--server-name', 'example.com'], /--targets names the deployments/],
    ['--only and --skip naming the same check', ['--offline', '--only', 'turn', '--skip', 'turn'], /--only and --skip leave no check to run/],
    // Not contradictory, but oclif's error spans lines: its reason must survive on the one line.
    [
      'an out-of-range --concurrency',
      ['--offline', '--concurrency', '0'],
      /^matrixdoc: error: Parsing --concurrency: Expected an integer greater than or equal to 1 but received: 0$/,
    ],
  ] as const) {
    test(name, async () => {
      // A capture folder that exists, with a valid capture: only the combination is wrong.
      writeFileSync(path.join(capture, 'probes.json'), JSON.stringify({ format: 'matrixdoc-probes', schemaVersion: 1, results: {} }));
      const r = await runCli(['check', ...args]);
      assert.equal(r.code, 2, `${name}: ${r.stderr}`);
      assertErrorLines(r.stderr, pattern);
      assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('matrixdoc: ')).length, 1, r.stderr);
    });
  }
});
