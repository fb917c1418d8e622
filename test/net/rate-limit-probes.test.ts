// The rate-limits probes that touch the network, end to end through the engine (real probes, the
// rate-limits check) against the test homeserver on 127.0.0.1, whose login limiter is a real leaky bucket:
// --probe-login (bounded, random non-existent accounts, stops at the first 429, one forged-XFF attempt)
// and the admin API's per-user overrides (--admin-token, --rate-limit-users), with the token kept secret.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import rateLimits from '../../checks/rate-limits/index.js';
import { buildInputs, type RawInputs } from '../../src/engine/inputs.js';
import { runEngine } from '../../src/engine/run.js';
import type { CheckResult, ProbeResult } from '../../src/engine/types.js';
import { NetClient } from '../../src/net/client.js';
import { parseAllowTargets } from '../../src/net/targets.js';
import type { RateLimitOverridesArtifact } from '../../src/probes/admin-overrides.js';
import { probeRegistry } from '../../src/probes/index.js';
import { type LoginRateArtifact, MAX_LOGIN_ATTEMPTS } from '../../src/probes/login-rate.js';
import { Redactor } from '../../src/report/redact.js';
import { DEFAULT_RC_LOGIN, startTestHomeserver, type TestHomeserver } from '../harness/homeserver.js';
import { closedPort } from '../helpers/servers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-rl-'));
const ADMIN_TOKEN = 'syt_YWRtaW4_sEcReTaDmInToKeN_0x1234';
let hs: TestHomeserver;

before(async () => {
  hs = await startTestHomeserver({
    serverName: 'example.test',
    users: { alice: 'correct horse battery staple', bot: 'bot-password' },
    adminToken: ADMIN_TOKEN,
    ratelimitOverrides: { '@bot:example.test': { messages_per_second: 0, burst_count: 0 } },
  });
});
after(async () => {
  await hs?.stop();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function homeserverYaml(baseUrl: string, extra = ''): string {
  const file = path.join(dir, `homeserver-${++n}.yaml`);
  writeFileSync(file, `server_name: example.test\nreport_stats: false\npublic_baseurl: ${baseUrl}\n${extra}`);
  return file;
}

function reset(): void {
  for (const l of Object.values(hs.limiters)) l.clear();
  hs.requests.length = 0;
  hs.rateLimited.length = 0;
  hs.options.xForwarded = false;
  hs.options.rcLogin = structuredClone(DEFAULT_RC_LOGIN);
}

async function run(raw: RawInputs, allow = 'loopback'): Promise<{ check: CheckResult; probes: Record<string, ProbeResult>; redactor: Redactor }> {
  const inputs = buildInputs({ timeout: '2s', 'allow-targets': allow, ...raw }, {}, undefined, {});
  const redactor = new Redactor();
  const out = await runEngine([rateLimits], probeRegistry(), {
    inputs,
    net: new NetClient({ resolve: [], connectTo: [], allowTargets: parseAllowTargets(allow) }),
    redactor,
  });
  return { check: out.checks[0], probes: out.probes, redactor };
}

const base = () => `http://127.0.0.1:${hs.port}`;
const logins = () => hs.requests.filter((r) => r.url === '/_matrix/client/v3/login' && r.method === 'POST');
const codesOf = (c: CheckResult) => c.findings.map((f) => `${f.code}:${f.messageId}`).filter((c) => !c.startsWith('MXD-RL-005'));

describe('--probe-login against a real leaky bucket', () => {
  test('opt-in: without --probe-login nothing is sent', async () => {
    reset();
    const { probes } = await run({ 'homeserver-config': [homeserverYaml(base())] });
    assert.equal(probes.loginRate.status, 'skipped');
    assert.equal(hs.requests.length, 0);
  });

  test('a fresh bucket: 5 failed logins, the 6th refused (limited), then one forged X-Forwarded-For that is not trusted', async () => {
    reset();
    const { check, probes } = await run({ 'homeserver-config': [homeserverYaml(base())], 'probe-login': true });
    assert.equal(probes.loginRate.status, 'ok', JSON.stringify(probes.loginRate));
    const p = (probes.loginRate as { value: LoginRateArtifact }).value;
    assert.equal(p.limitedAt, 6);
    assert.deepEqual(
      p.attempts.map((a) => a.status),
      [403, 403, 403, 403, 403, 429],
    );
    assert.equal(p.attempts[5].errcode, 'M_LIMIT_EXCEEDED');
    assert.ok((p.attempts[5].retryAfterMs ?? 0) > 300_000, String(p.attempts[5].retryAfterMs));
    assert.equal(p.attempts[5].retryAfter, String(Math.ceil((p.attempts[5].retryAfterMs ?? 0) / 1000)));
    assert.equal(p.spoofCheck?.accepted, false);
    assert.match(p.spoofCheck?.forwardedFor ?? '', /^192\.0\.2\.\d+$/);
    // Bounded, never a real account, a different account each time.
    const sent = logins();
    assert.equal(sent.length, 7);
    assert.ok(sent.length <= MAX_LOGIN_ATTEMPTS + 1);
    const users = sent.map((r) => JSON.parse(r.body ?? '{}').identifier.user as string);
    assert.equal(new Set(users).size, 7);
    assert.ok(users.every((u) => /^matrixdoc-ratelimit-probe-[0-9a-f]{12}-\d+$/.test(u)));
    assert.equal(sent[6].headers['x-forwarded-for'], p.spoofCheck?.forwardedFor);
    assert.ok(sent.slice(0, 6).every((r) => r.headers['x-forwarded-for'] === undefined));
    assert.deepEqual(codesOf(check), ['MXD-RL-009:limited']);
    assert.equal(check.status, 'pass');
  });

  test('others used the bucket first: refused at attempt 3 → sharedBucket', async () => {
    reset();
    for (let i = 0; i < 3; i++) hs.limiters.address.take('127.0.0.1', hs.options.rcLogin.address);
    const { check } = await run({ 'homeserver-config': [homeserverYaml(base())], 'probe-login': true });
    const f = check.findings.find((x) => x.code === 'MXD-RL-008');
    assert.ok(f, JSON.stringify(codesOf(check)));
    assert.deepEqual([f.data.attempt, f.data.accepted, f.data.burst], [3, 2, 5]);
    assert.equal(check.status, 'fail');
  });

  test('a limiter keyed by a client-chosen header: the forged X-Forwarded-For is let through → confirmed', async () => {
    reset();
    hs.options.xForwarded = true;
    const { check } = await run({ 'homeserver-config': [homeserverYaml(base())], 'probe-login': true });
    assert.deepEqual(codesOf(check), ['MXD-RL-002:confirmed', 'MXD-RL-009:limited']);
    assert.deepEqual(hs.rateLimited.at(-1), { address: '127.0.0.1', limiter: 'rc_login.address' });
  });

  test('the running server allows more than homeserver.yaml says → notLimited after 7 attempts', async () => {
    reset();
    hs.options.rcLogin.address = { perSecond: 0.003, burstCount: 20 };
    const { check, probes } = await run({ 'homeserver-config': [homeserverYaml(base())], 'probe-login': true });
    assert.equal((probes.loginRate as { value: LoginRateArtifact }).value.attempts.length, MAX_LOGIN_ATTEMPTS);
    assert.deepEqual(codesOf(check), ['MXD-RL-009:notLimited']);
    const within = await run({ 'homeserver-config': [homeserverYaml(base(), 'rc_login:\n  address:\n    burst_count: 20\n')], 'probe-login': true });
    assert.deepEqual(codesOf(within.check), ['MXD-RL-009:withinBurst']);
  });

  test('nothing listening → unmeasured; an address outside --allow-targets → the probe refuses (check error)', async () => {
    const port = await closedPort();
    const { check } = await run({ 'homeserver-config': [homeserverYaml(`http://127.0.0.1:${port}`)], 'probe-login': true });
    const f = check.findings.find((x) => x.code === 'MXD-RL-009');
    assert.equal(f?.messageId, 'unmeasured');
    assert.match(String(f?.data.reason), /CONN_REFUSED/);
    reset();
    const refused = await run({ 'homeserver-config': [homeserverYaml(base())], 'probe-login': true }, '10.0.0.0/8');
    assert.equal(refused.check.status, 'error');
    assert.match(refused.check.reason ?? '', /loginRate: TARGET_NOT_ALLOWED/);
    assert.equal(hs.requests.length, 0);
  });
});

describe('per-user overrides through the admin API', () => {
  test('exempt, none, not found, not local; the token is a secret and is never in the evidence', async () => {
    reset();
    const { check, probes, redactor } = await run({
      'homeserver-config': [homeserverYaml(base())],
      'admin-token': ADMIN_TOKEN,
      'rate-limit-users': ['bot,@alice:example.test', '@ghost:example.test', '@x:other.org'],
    });
    const value = (probes.rateLimitOverrides as { value: RateLimitOverridesArtifact }).value;
    assert.deepEqual(
      value.users.map((u) => [u.user, u.status]),
      [
        ['@bot:example.test', 200],
        ['@alice:example.test', 200],
        ['@ghost:example.test', 404],
        ['@x:other.org', 400],
      ],
    );
    assert.deepEqual(codesOf(check), ['MXD-RL-006:exempt', 'MXD-RL-006:none', 'MXD-RL-007:notFound', 'MXD-RL-007:notLocal']);
    assert.ok(!JSON.stringify(check).includes(ADMIN_TOKEN));
    assert.ok(!JSON.stringify(probes).includes(ADMIN_TOKEN));
    assert.equal(redactor.text(`token ${ADMIN_TOKEN}`).includes(ADMIN_TOKEN), false, 'registered with the redactor');
    const seen = hs.requests.filter((r) => r.url.startsWith('/_synapse/admin/'));
    assert.equal(seen[0].url, '/_synapse/admin/v1/users/%40bot%3Aexample.test/override_ratelimit');
    assert.equal(seen[0].headers.authorization, `Bearer ${ADMIN_TOKEN}`);
  });

  test('a token that is not an admin’s → unauthorized; no token or no users → skipped', async () => {
    reset();
    const { check } = await run({
      'homeserver-config': [homeserverYaml(base())],
      'admin-token': 'syt_not_an_admin',
      'rate-limit-users': ['@bot:example.test'],
    });
    const f = check.findings.find((x) => x.code === 'MXD-RL-007');
    assert.equal(f?.messageId, 'unauthorized');
    assert.match(f?.message ?? '', /HTTP 401 M_UNKNOWN_TOKEN/);
    const noToken = await run({ 'homeserver-config': [homeserverYaml(base())], 'rate-limit-users': ['@bot:example.test'] });
    assert.equal(noToken.probes.rateLimitOverrides.status, 'skipped');
    const noUsers = await run({ 'homeserver-config': [homeserverYaml(base())], 'admin-token': ADMIN_TOKEN });
    assert.equal(noUsers.probes.rateLimitOverrides.status, 'skipped');
  });
});
