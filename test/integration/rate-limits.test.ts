// rate-limits end to end: the BUILT binary against the seed deployment served by real nginx in front of the
// test homeserver (whose login limiter is a real leaky bucket keyed by the peer, or by X-Forwarded-For with
// x_forwarded), on loopback only, always with the harness's redirect flags.
//
// The seed's story: every user shares nginx's address in Synapse's rc_login.address bucket. matrixdoc
// finds it in the files (MXD-RL-001), --probe-login reproduces the lockout (clients on 127.0.0.2 and
// 127.0.0.3 refused together), and the fix, applied by the built binary (`matrixdoc fix --apply --yes --only
// MXD-RL-001` on the deployment's copy of the seed files: x_forwarded: true on listeners[0]), ends it.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { Finding, Report } from '../../src/engine/types.js';
import { startDeployment, type TestDeployment } from '../harness/deployment.js';
import { runCli } from '../helpers/cli.js';
import { failedLogin } from '../helpers/login.js';

async function check(
  d: TestDeployment,
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<{ code: number | null; report: Report; findings: Finding[]; stdout: string }> {
  const r = await runCli(['check', '--profile', d.files.profile, '--only', 'rate-limits', ...d.flags, '--json', ...extra], { env, timeoutMs: 60_000 });
  assert.ok(r.stdout.trim().startsWith('{'), `no JSON report (exit ${r.code}): ${r.stderr}`);
  const report = JSON.parse(r.stdout) as Report;
  return { code: r.code, report, findings: report.checks[0].findings, stdout: r.stdout };
}

const ids = (findings: Finding[]) => findings.map((f) => `${f.code}:${f.messageId}`);

describe('rate-limits against the live seed deployment', () => {
  test('the shared login bucket: found in the files, reproduced by --probe-login from 127.0.0.2 and 127.0.0.3, ended by the fix', async () => {
    const d = await startDeployment();
    try {
      // 1. Files only: the listener nginx forwards to has no x_forwarded.
      const first = await check(d);
      assert.equal(first.code, 1);
      const rl001 = first.findings.find((f) => f.code === 'MXD-RL-001');
      assert.ok(rl001, JSON.stringify(ids(first.findings)));
      assert.equal(rl001.messageId, 'missing');
      assert.equal(rl001.location?.file, d.files.homeserverConfig);
      assert.deepEqual(
        rl001.fix?.edits.map((e) => [e.kind, (e as { path: unknown[] }).path, (e as { value: unknown }).value]),
        [['yaml-set', ['listeners', 0, 'x_forwarded'], true]],
      );
      assert.ok(ids(first.findings).includes('MXD-RL-003:tooHighLegacy'));
      assert.equal(first.report.probes.find((p) => p.id === 'loginRate')?.status, 'skipped', 'the login probe is opt-in');
      assert.equal(d.homeserver.requests.filter((r) => r.url.endsWith('/login')).length, 0);

      // 2. Two users on 127.0.0.2 fail a login; then the probe, from 127.0.0.1, is refused before its own 5.
      assert.deepEqual([await failedLogin(d, '127.0.0.2'), await failedLogin(d, '127.0.0.2')], [403, 403]);
      const probed = await check(d, ['--probe-login']);
      const shared = probed.findings.find((f) => f.code === 'MXD-RL-008');
      assert.ok(shared, JSON.stringify(ids(probed.findings)));
      assert.deepEqual([shared.data.attempt, shared.data.accepted, shared.data.burst], [4, 3, 5]);
      assert.match(String(shared.evidence.cause), /listeners\[0\]/);
      assert.ok(!ids(probed.findings).includes('MXD-RL-002:confirmed'), 'nginx overwrites X-Forwarded-For: not spoofable');
      // Everyone is locked out together: another client, and the first one.
      assert.equal(await failedLogin(d, '127.0.0.3'), 429);
      assert.equal(await failedLogin(d, '127.0.0.2'), 429);
      assert.ok(d.homeserver.rateLimited.length >= 3);
      assert.ok(
        d.homeserver.rateLimited.every((r) => r.address === '127.0.0.1' && r.limiter === 'rc_login.address'),
        JSON.stringify(d.homeserver.rateLimited),
      );

      // 3. The fix, as an admin applies it: the built binary's `fix --apply --yes --only MXD-RL-001` (on the
      // deployment's copies of the seed files); then "synctl restart".
      const nginxSites = () => readdirSync(d.files.nginxDir).map((n) => [n, readFileSync(`${d.files.nginxDir}/${n}`, 'utf8')]);
      const sitesBefore = nginxSites();
      const fix = await runCli(['fix', '--profile', d.files.profile, ...d.flags, '--only', 'MXD-RL-001', '--apply', '--yes', '--json'], { timeoutMs: 60_000 });
      assert.equal(fix.code, 0, fix.stderr);
      const applied = JSON.parse(fix.stdout) as { fixed: string[]; stillReported: string[] };
      assert.deepEqual([applied.fixed, applied.stillReported], [['MXD-RL-001'], []], fix.stdout);
      assert.match(readFileSync(d.files.homeserverConfig, 'utf8'), /x_forwarded: true/);
      // nginx already sends X-Forwarded-For $remote_addr: its files are left as they are.
      assert.deepEqual(nginxSites(), sitesBefore);
      d.restartHomeserver();
      assert.equal(d.homeserver.options.xForwarded, true);

      // 4. The finding is gone, the probe sees its own bucket (5, then 429), and the lockout is over.
      const after = await check(d, ['--probe-login']);
      assert.ok(!ids(after.findings).some((c) => /MXD-RL-00[128]/.test(c) || c.startsWith('MXD-RL-010')), JSON.stringify(ids(after.findings)));
      const measured = after.findings.find((f) => f.code === 'MXD-RL-009');
      assert.equal(measured?.messageId, 'limited');
      assert.deepEqual([measured?.data.accepted, measured?.data.burst], [5, 5]);
      assert.equal(await failedLogin(d, '127.0.0.2'), 403, 'a client on 127.0.0.2 is no longer refused');
      assert.equal(await failedLogin(d, '127.0.0.3'), 403, 'nor on 127.0.0.3');
      assert.equal(after.report.checks[0].status, 'warn', 'only the raised legacy message limits are left');
    } finally {
      await d.stop();
    }
  });

  test('x_forwarded with $proxy_add_x_forwarded_for: spoofable in the files, and confirmed live by the forged header', async () => {
    const d = await startDeployment({
      mutate: {
        'nginx/matrix.conf': (t) => t.replace('proxy_set_header X-Forwarded-For $remote_addr;', 'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;'),
        'synapse/homeserver.yaml': (t) => t.replace('    tls: false\n', '    tls: false\n    x_forwarded: true\n'),
      },
    });
    try {
      assert.equal(d.homeserver.options.xForwarded, true);
      const r = await check(d, ['--probe-login']);
      const codes = ids(r.findings);
      assert.ok(codes.includes('MXD-RL-002:proxyAdd'), JSON.stringify(codes));
      assert.ok(codes.includes('MXD-RL-002:confirmed'), JSON.stringify(codes));
      assert.ok(codes.includes('MXD-RL-009:limited'));
      assert.ok(!codes.includes('MXD-RL-001:missing'));
      const proxyAdd = r.findings.find((f) => f.messageId === 'proxyAdd');
      assert.match(proxyAdd?.location?.file ?? '', /nginx\/matrix\.conf$/);
      // Declarative since issue 4's follow-up: the server block by its server_name, the location by its arguments.
      assert.deepEqual(
        proxyAdd?.fix?.edits.map((e) => e.kind),
        ['nginx-set'],
      );
    } finally {
      await d.stop();
    }
  });

  test('per-user overrides through nginx and the admin API: an exempt bot is still locked out of logging in; the token stays secret', async () => {
    const token = 'syt_YWRtaW4_integrationAdminSecret_42';
    const d = await startDeployment({
      homeserver: {
        adminToken: token,
        users: { alice: 'correct horse battery staple', bot: 'x' },
        ratelimitOverrides: { '@bot:xfoss.com': { messages_per_second: 0, burst_count: 0 } },
      },
    });
    try {
      const r = await check(d, ['--rate-limit-users', '@bot:xfoss.com,alice,@ghost:xfoss.com'], { MATRIXDOC_ADMIN_TOKEN: token });
      const codes = ids(r.findings);
      assert.ok(codes.includes('MXD-RL-006:notForLogin'), JSON.stringify(codes));
      assert.ok(codes.includes('MXD-RL-006:none'));
      assert.ok(codes.includes('MXD-RL-007:notFound'));
      assert.ok(!r.stdout.includes(token), 'the admin token is never printed');
      const seen = d.homeserver.requests.filter((x) => x.url.startsWith('/_synapse/admin/'));
      assert.equal(seen.length, 3);
      assert.equal(seen[0].headers.authorization, `Bearer ${token}`);
    } finally {
      await d.stop();
    }
  });
});
