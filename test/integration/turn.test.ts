// The turn check through the built binary against a REAL coturn (Debian's turnserver, started by the
// harness on loopback): healthy (allocation, private peers refused, release), a wrong secret in
// homeserver.yaml (with and without --coturn-config), an open relay, nothing listening, turns: with the
// test CA, and /voip/turnServer with --access-token on the test homeserver.
// Network safety: runCli sets --allow-targets to loopback; every name is mapped to 127.0.0.1 with
// --resolve; CreatePermission to internal addresses only makes coturn record a permission.
// Needs `npm run build` first (test/run.sh does it).

import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Finding, Report } from '../../src/engine/types.js';
import type { TurnArtifact } from '../../src/probes/turn.js';
import { deploymentCerts } from '../harness/certs.js';
import { startCoturn } from '../harness/coturn.js';
import { startTestHomeserver } from '../harness/homeserver.js';
import { closedPort } from '../harness/processes.js';
import { ROOT, runCli } from '../helpers/cli.js';

const SECRET = 's3cr3t-test-secret';
const HOST = 'turn.xfoss.test';
const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-turn-it-'));
let files = 0;

before(() => {
  assert.ok(existsSync(path.join(ROOT, 'dist/src/commands/check.js')), 'build first: npm run build');
});
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, `${++files}-${name}`);
  writeFileSync(file, text);
  return file;
}

function homeserverYaml(uris: string[], extra = `turn_shared_secret: "${SECRET}"\n`): string {
  return write(
    'homeserver.yaml',
    `server_name: "xfoss.com"\nreport_stats: false\nturn_uris:\n${uris.map((u) => `  - "${u}"`).join('\n')}\n${extra}turn_user_lifetime: 1h\nturn_allow_guests: false\n`,
  );
}

interface Run {
  code: number | null;
  report: Report;
  findings: Finding[];
  turn?: TurnArtifact;
  stdout: string;
  capture: string;
}

async function check(args: string[], opts: { env?: Record<string, string> } = {}): Promise<Run> {
  const captureDir = path.join(dir, `capture-${++files}`);
  const r = await runCli(['check', '--only', 'turn', '--json', '--save-probes', captureDir, ...args], { env: opts.env, timeoutMs: 30_000 });
  let report: Report;
  try {
    report = JSON.parse(r.stdout) as Report;
  } catch {
    assert.fail(`no JSON report (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  const capture = readFileSync(path.join(captureDir, 'probes.json'), 'utf8');
  const turnResult = JSON.parse(capture).results.turn;
  const checkResult = report.checks.find((c) => c.id === 'turn');
  assert.ok(checkResult, 'the turn check ran');
  return { code: r.code, report, findings: checkResult.findings, turn: turnResult?.status === 'ok' ? turnResult.value : undefined, stdout: r.stdout, capture };
}

const codes = (run: Run) => run.findings.map((f) => `${f.code}:${f.messageId}`).sort();
const status = (run: Run) => run.report.checks.find((c) => c.id === 'turn')?.status;
const resolveTo = (port: number) => ['--resolve', `${HOST}:${port}:127.0.0.1`];

describe('turn against a real coturn', () => {
  test('healthy: UDP and TCP allocate with the shared secret, internal peers are refused, allocations are released', async () => {
    const c = await startCoturn();
    try {
      const run = await check([
        '--homeserver-config',
        homeserverYaml([`turn:${HOST}:${c.port}?transport=udp`, `turn:${HOST}:${c.port}?transport=tcp`]),
        ...resolveTo(c.port),
      ]);
      assert.equal(status(run), 'pass', JSON.stringify(run.findings, null, 1));
      assert.equal(run.code, 0);
      assert.deepEqual(codes(run), ['MXD-TURN-015:ok', 'MXD-TURN-015:ok']);
      const targets = run.turn?.targets ?? [];
      assert.deepEqual(targets.map((t) => t.transport).sort(), ['tcp', 'udp']);
      for (const t of targets) {
        assert.equal(t.binding?.ok, true);
        assert.match(t.binding?.software ?? '', /Coturn/);
        assert.equal(t.challenge?.realm, 'xfoss.com');
        assert.equal(t.allocate?.ok, true);
        assert.equal(t.allocate?.relayed?.address, '127.0.0.1');
        assert.ok((t.allocate?.relayed?.port ?? 0) >= c.relayRange[0] && (t.allocate?.relayed?.port ?? 0) <= c.relayRange[1]);
        assert.equal(t.allocate?.responseIntegrity, 'valid');
        const tested = (t.permissions ?? []).filter((p) => p.tested);
        assert.ok(tested.length >= 7);
        for (const p of tested) assert.deepEqual([p.peer, p.granted, p.stunError?.code], [p.peer, false, 403]);
        assert.equal(t.release?.ok, true);
      }
      assert.ok(!run.stdout.includes(SECRET) && !run.capture.includes(SECRET), 'the shared secret never appears');
    } finally {
      await c.stop();
    }
  });

  test("the seed deployment's homeserver.yaml, with --connect-to sending its turn: URI (UDP 3478) to coturn", async () => {
    const c = await startCoturn({ secret: 'some_pre-shared_key' });
    try {
      const run = await check(['--profile', path.join(ROOT, 'fixtures/seed/matrixdoc.yaml'), '--connect-to', `matrix.xfoss.com:3478:127.0.0.1:${c.port}`]);
      assert.equal(status(run), 'pass', JSON.stringify(run.findings, null, 1));
      assert.deepEqual(codes(run), ['MXD-TURN-004:guests', 'MXD-TURN-015:ok']);
      const t = run.turn?.targets[0];
      assert.deepEqual(t?.resolve, { ok: true, addresses: ['127.0.0.1'], via: 'connect-to', connectHost: '127.0.0.1', connectPort: c.port });
      assert.equal(t?.allocate?.ok, true);
      assert.ok(!run.stdout.includes('some_pre-shared_key') && !run.capture.includes('some_pre-shared_key'));
    } finally {
      await c.stop();
    }
  });

  test('wrong secret in homeserver.yaml: credentials rejected after the challenge; --coturn-config names the mismatch without showing either secret', async () => {
    const c = await startCoturn();
    try {
      const wrong = 'not-the-coturn-secret';
      const hs = homeserverYaml([`turn:${HOST}:${c.port}?transport=udp`], `turn_shared_secret: "${wrong}"\n`);
      const run = await check(['--homeserver-config', hs, ...resolveTo(c.port)]);
      assert.equal(status(run), 'fail');
      assert.equal(run.code, 1);
      assert.deepEqual(codes(run), ['MXD-TURN-009:rejected']);
      assert.equal(run.turn?.targets[0].challenge?.ok, true, 'the 401 challenge came first');
      assert.equal(run.turn?.targets[0].allocate?.stunError?.code, 401);

      const coturnConf = write('turnserver.conf', c.config);
      const withConf = await check(['--homeserver-config', hs, '--coturn-config', coturnConf, ...resolveTo(c.port)]);
      assert.deepEqual(codes(withConf), ['MXD-TURN-009:secretMismatch']);
      for (const text of [withConf.stdout, withConf.capture]) {
        assert.ok(!text.includes(wrong), 'turn_shared_secret is not shown');
        assert.ok(!text.includes(SECRET), 'static-auth-secret is not shown');
      }
      // Offline, the files alone tell the same.
      const offline = await check(['--homeserver-config', hs, '--coturn-config', coturnConf, '--offline']);
      assert.deepEqual(codes(offline), ['MXD-TURN-009:secretMismatch']);
      assert.equal(offline.turn, undefined);
    } finally {
      await c.stop();
    }
  });

  test('open relay: coturn without denied-peer-ip and with allow-loopback-peers grants loopback, private and metadata peers', async () => {
    const c = await startCoturn({ denyPrivatePeers: false, allowLoopbackPeers: true });
    try {
      const coturnConf = write('turnserver.conf', c.config);
      const run = await check([
        '--homeserver-config',
        homeserverYaml([`turn:${HOST}:${c.port}?transport=udp`]),
        '--coturn-config',
        coturnConf,
        ...resolveTo(c.port),
      ]);
      assert.equal(status(run), 'fail');
      const open = run.findings.find((f) => f.code === 'MXD-TURN-012');
      assert.ok(open, JSON.stringify(codes(run)));
      assert.equal(open.messageId, 'open');
      for (const peer of ['127.0.0.1 (loopback)', '10.0.0.1 (private)', '172.16.0.1 (private)', '192.168.0.1 (private)', '169.254.169.254 (metadata)']) {
        assert.ok(String(open.data.peers).includes(peer), `${peer} in ${open.data.peers}`);
      }
      assert.ok(!String(open.data.peers).includes('224.0.0.1'), 'no-multicast-peers still refuses multicast');
      assert.match(open.fix?.summary ?? '', /delete allow-loopback-peers \(line \d+\)/);
      assert.ok(open.fix?.steps.includes('denied-peer-ip=10.0.0.0-10.255.255.255'));
      assert.ok(open.fix?.steps.includes('no-multicast-peers'));
    } finally {
      await c.stop();
    }
  });

  test('nothing listening: UDP port unreachable, UDP silence and TCP refused are failures within a short --timeout', async () => {
    const closedUdp = await closedPort();
    const closedTcp = await closedPort();
    const silent = dgram.createSocket('udp4');
    silent.bind(0, '127.0.0.1');
    await once(silent, 'listening');
    const silentPort = silent.address().port;
    try {
      const t0 = performance.now();
      const run = await check([
        '--homeserver-config',
        homeserverYaml([`turn:${HOST}:${closedUdp}?transport=udp`, `turn:${HOST}:${silentPort}?transport=udp`, `turn:${HOST}:${closedTcp}?transport=tcp`]),
        '--resolve',
        `${HOST}:*:127.0.0.1`,
        '--timeout',
        '1s',
      ]);
      const elapsed = performance.now() - t0;
      assert.equal(status(run), 'fail');
      assert.deepEqual(codes(run), ['MXD-TURN-006:timeout', 'MXD-TURN-006:unreachable', 'MXD-TURN-007:refused']);
      const timeout = run.findings.find((f) => f.messageId === 'timeout');
      assert.ok(Number(timeout?.data.attempts) >= 2, 'retransmitted before giving up');
      assert.match(timeout?.fix?.summary ?? '', /relay ports 49152-65535/);
      assert.ok(elapsed < 8000, `took ${elapsed} ms`);
    } finally {
      silent.close();
    }
  });

  test('turns: with the test CA passes; without it, or with a certificate for another name, the certificate is the finding', async () => {
    const { leaves, caFile } = deploymentCerts();
    const good = await startCoturn({ tls: { certFile: leaves.valid.certFile, keyFile: leaves.valid.keyFile } });
    const wrong = await startCoturn({ tls: { certFile: leaves.wrongName.certFile, keyFile: leaves.wrongName.keyFile } });
    try {
      const name = 'matrix.xfoss.com';
      const uri = (port: number) => `turns:${name}:${port}?transport=tcp`;
      const resolve = (port: number) => ['--resolve', `${name}:${port}:127.0.0.1`];
      const hs = homeserverYaml([uri(good.tlsPort as number)]);
      const trusted = await check(['--homeserver-config', hs, '--ca-file', caFile, ...resolve(good.tlsPort as number)]);
      assert.equal(status(trusted), 'pass', JSON.stringify(trusted.findings, null, 1));
      assert.deepEqual(codes(trusted), ['MXD-TURN-015:ok']);
      assert.equal(trusted.turn?.targets[0].connect?.tls?.authorized, true);

      const untrusted = await check(['--homeserver-config', hs, ...resolve(good.tlsPort as number)]);
      assert.deepEqual(codes(untrusted), ['MXD-TURN-008:untrusted', 'MXD-TURN-015:ok']);

      const misnamed = await check([
        '--homeserver-config',
        homeserverYaml([uri(wrong.tlsPort as number)]),
        '--ca-file',
        caFile,
        ...resolve(wrong.tlsPort as number),
      ]);
      assert.deepEqual(codes(misnamed), ['MXD-TURN-008:name', 'MXD-TURN-015:ok']);
    } finally {
      await good.stop();
      await wrong.stop();
    }
  });

  test('--access-token: the URIs and credentials /voip/turnServer hands out are tried too; {} and rejected credentials are findings', async () => {
    const c = await startCoturn();
    const uris = [`turn:${HOST}:${c.port}?transport=udp`];
    const hsServer = await startTestHomeserver({ serverName: 'xfoss.com', turnUris: uris, turnSharedSecret: SECRET });
    try {
      const login = await fetch(`http://127.0.0.1:${hsServer.port}/_matrix/client/v3/login`, {
        method: 'POST',
        body: JSON.stringify({ type: 'm.login.password', identifier: { type: 'm.id.user', user: 'alice' }, password: 'correct horse battery staple' }),
      });
      const token = ((await login.json()) as { access_token: string }).access_token;
      const base = `http://matrix.xfoss.test:${hsServer.port}`;
      const hs = homeserverYaml(uris, `turn_shared_secret: "${SECRET}"\npublic_baseurl: "${base}/"\n`);
      const args = ['--homeserver-config', hs, ...resolveTo(c.port), '--resolve', `matrix.xfoss.test:${hsServer.port}:127.0.0.1`];

      const ok = await check(args, { env: { MATRIXDOC_ACCESS_TOKEN: token } });
      assert.equal(status(ok), 'pass', JSON.stringify(ok.findings, null, 1));
      const voipTarget = ok.turn?.targets.find((t) => t.source === 'voip');
      assert.equal(voipTarget?.allocate?.ok, true, JSON.stringify(voipTarget));
      assert.ok(hsServer.requests.some((r) => r.url === '/_matrix/client/v3/voip/turnServer'));
      assert.ok(!ok.stdout.includes(token) && !ok.capture.includes(token), 'the access token is never shown');

      hsServer.options.turnSharedSecret = 'the-homeserver-runs-with-another-secret';
      const rejected = await check(args, { env: { MATRIXDOC_ACCESS_TOKEN: token } });
      assert.deepEqual(codes(rejected), ['MXD-TURN-009:voipRejected', 'MXD-TURN-015:ok']);

      hsServer.options.turnUris = [];
      const empty = await check(args, { env: { MATRIXDOC_ACCESS_TOKEN: token } });
      assert.deepEqual(codes(empty), ['MXD-TURN-014:empty', 'MXD-TURN-015:ok']);

      const badToken = await check([...args, '--access-token', 'syt_bm9ib2R5_AAAAAAAAAAAAAAAA']);
      assert.deepEqual(codes(badToken), ['MXD-TURN-014:request', 'MXD-TURN-015:ok']);
    } finally {
      await hsServer.stop();
      await c.stop();
    }
  });
});
