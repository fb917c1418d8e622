// The built binary against the REAL seed deployment (nginx on loopback in front of the test homeserver,
// which takes public_baseurl from homeserver.yaml as Synapse does): `check --only public-baseurl` on the
// seed, whose admin fixed "Syncing forever" with public_baseurl https://matrix.xfoss.com:443, then with
// the values that cause it, with a real login (test user alice) whose well_known is judged, and always
// logged out. Every probe goes to loopback (the harness flags). Needs `npm run build` first.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import type { Finding, Report } from '../../src/engine/types.js';
import { type DeploymentOptions, startDeployment } from '../harness/deployment.js';
import { ROOT, runCli } from '../helpers/cli.js';

const PASSWORD = 'correct horse battery staple'; // the test homeserver's user alice
const SYNCING = '"Syncing forever…" / "If you\'ve joined lots of rooms, this might take a while"';

before(() => {
  assert.ok(existsSync(path.join(ROOT, 'dist/src/commands/check.js')), 'build first: npm run build');
});

interface Outcome {
  report: Report;
  findings: Finding[];
  /** Every check's findings, by check id (with `also`, the other checks that ran). */
  byCheck: Record<string, Finding[]>;
  stdout: string;
  homeserverConfig: string;
  liveTokens: number;
  logins: number;
}

/**
 * Starts the deployment, runs `check --only public-baseurl --json` (with the test user unless `login` is false;
 * `also`: other checks in the same run, as a full `check` has them), stops it.
 */
async function checkDeployment(options: DeploymentOptions = {}, opts: { login?: boolean; human?: boolean; also?: string[] } = {}): Promise<Outcome> {
  const d = await startDeployment(options);
  try {
    const login = opts.login === false ? [] : ['--test-user', 'alice'];
    // A generous per-probe timeout: the suite runs test files in parallel, and a slow login must not be cut off.
    const only = ['public-baseurl', ...(opts.also ?? [])].join(',');
    const args = ['check', '--profile', d.files.profile, '--only', only, ...d.flags, '--timeout', '20s', ...login];
    const r = await runCli([...args, '--json'], { env: { MATRIXDOC_TEST_PASSWORD: PASSWORD }, timeoutMs: 60_000 });
    let report: Report;
    try {
      report = JSON.parse(r.stdout) as Report;
    } catch {
      assert.fail(`not JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
    }
    const human = opts.human ? await runCli(args, { env: { MATRIXDOC_TEST_PASSWORD: PASSWORD }, timeoutMs: 60_000 }) : undefined;
    const check = report.checks.find((c) => c.id === 'public-baseurl');
    assert.ok(check, JSON.stringify(report.checks));
    return {
      report,
      findings: check.findings,
      byCheck: Object.fromEntries(report.checks.map((c) => [c.id, c.findings])),
      stdout: `${r.stdout}\n${r.stderr}\n${human?.stdout ?? ''}\n${human?.stderr ?? ''}`,
      homeserverConfig: d.files.homeserverConfig,
      liveTokens: d.homeserver.liveTokens.size,
      logins: d.homeserver.requests.filter((q) => /\/login$/.test(q.url) && q.method === 'POST').length,
    };
  } finally {
    await d.stop();
  }
}

const ids = (findings: Finding[]) => findings.map((f) => `${f.code}:${f.messageId}`);
const HS = 'synapse/homeserver.yaml';
const setBaseurl = (value: string | undefined) => ({
  [HS]: (t: string) => t.replace(/^public_baseurl: .*\n/m, value === undefined ? '' : `public_baseurl: "${value}"\n`),
});

describe('check --only public-baseurl against the real nginx deployment', () => {
  test('the seed as it is (public_baseurl https://matrix.xfoss.com:443), with a real login: no finding, logged out, no secret shown', async () => {
    const o = await checkDeployment({}, { human: true });
    assert.deepEqual(ids(o.findings), []);
    assert.equal(o.report.checks[0].status, 'pass');
    assert.equal(o.report.probes.find((p) => p.id === 'clientLogin')?.status, 'ok');
    assert.equal(o.logins, 2, 'one login per run (JSON and human)');
    assert.equal(o.liveTokens, 0, 'every session was logged out');
    assert.doesNotMatch(o.stdout, /correct horse|syt_/);
  });

  test('public_baseurl on a port nothing answers (8448 after nginx stopped listening there): one error, MXD-PB-001; the well-known, Element and the login that moves clients there are its evidence', async () => {
    const o = await checkDeployment(
      {
        mutate: {
          ...setBaseurl('https://matrix.xfoss.com:8448/'),
          'nginx/matrix.conf': (t) => t.replace(/^\s*listen (\[::\]:)?8448 ssl default_server;\n/gm, ''),
        },
      },
      { also: ['element-config'] },
    );
    assert.deepEqual(ids(o.findings), ['MXD-PB-001:unreachable']);
    assert.ok(!ids(o.byCheck['element-config']).includes('MXD-EL-006:mismatch'), 'Element differing from the dead public_baseurl is not a second error');
    const f = o.findings.find((x) => x.code === 'MXD-PB-001');
    assert.deepEqual(f?.evidence.wellKnown, { base_url: 'https://matrix.xfoss.com', url: 'https://xfoss.com/.well-known/matrix/client', answers: true });
    assert.equal(f?.evidence.element, 'https://matrix.xfoss.com');
    assert.ok(f?.message.includes(SYNCING), f?.message);
    assert.match(f?.message ?? '', /CONN_REFUSED/);
    assert.equal(f?.fix?.steps[0], `public_baseurl: "https://matrix.xfoss.com/"   # ${o.homeserverConfig}:14:17`);
    assert.deepEqual(f?.fix?.edits[0] && { kind: f.fix.edits[0].kind, value: 'value' in f.fix.edits[0] ? f.fix.edits[0].value : undefined }, {
      kind: 'yaml-set',
      value: 'https://matrix.xfoss.com/',
    });
    const login = f?.evidence.login as { user: string; well_known: unknown; versions: { error: { code: string } } } | undefined;
    assert.equal(login?.user, 'alice');
    assert.deepEqual(login?.well_known, { 'm.homeserver': { base_url: 'https://matrix.xfoss.com:8448/' } }, 'the real login moves clients to the dead URL');
    assert.equal(login?.versions.error.code, 'CONN_REFUSED');
    assert.equal(o.liveTokens, 0);
  });

  test('the 1.26 default https://<server_name>/ ("Syncing forever", synapse#9264): the server name host is no homeserver; one error, the login that moves clients there is its evidence', async () => {
    const o = await checkDeployment({ mutate: setBaseurl('https://xfoss.com/') });
    assert.deepEqual(ids(o.findings), ['MXD-PB-001:notMatrix']);
    const f = o.findings.find((x) => x.code === 'MXD-PB-001');
    assert.match(
      f?.message ?? '',
      /^public_baseurl is https:\/\/xfoss\.com\/, but https:\/\/xfoss\.com\/_matrix\/client\/versions answers HTTP 403 without a versions list/,
    );
    assert.match(f?.message ?? '', /"Syncing forever…"/);
    assert.equal(f?.fix?.steps[0], `public_baseurl: "https://matrix.xfoss.com/"   # ${o.homeserverConfig}:14:17`);
    const login = f?.evidence.login as { loginUrl: string; well_known: unknown; versions: { status: number } } | undefined;
    assert.equal(login?.loginUrl, 'https://matrix.xfoss.com/_matrix/client/v3/login');
    assert.deepEqual(login?.well_known, { 'm.homeserver': { base_url: 'https://xfoss.com/' } });
    assert.equal(login?.versions.status, 403, 'the same failure login moves clients to');
    assert.equal(o.liveTokens, 0);
  });

  test('plain http public_baseurl that answers, while clients use https: MXD-PB-002 mixedContent (error), the only finding', async () => {
    const o = await checkDeployment(
      {
        // nginx also answers plain http on port 80 for matrix.xfoss.com, so the URL itself works.
        mutate: {
          ...setBaseurl('http://matrix.xfoss.com/'),
          'nginx/matrix.conf': (t) => t.replace('    server_name matrix.xfoss.com;', '    listen 80;\n    server_name matrix.xfoss.com;'),
        },
      },
      { login: false },
    );
    assert.deepEqual(ids(o.findings), ['MXD-PB-002:mixedContent']);
    const f = o.findings.find((x) => x.code === 'MXD-PB-002');
    assert.equal(f?.severity, 'error');
    assert.match(f?.message ?? '', /"Syncing forever…"/);
    assert.equal(f?.data.clientUrl, 'https://matrix.xfoss.com');
    assert.equal(f?.evidence.publicBaseurlAnswer, undefined, 'the http URL answers');
  });

  test('plain http public_baseurl that nothing answers, with a real login and Element in the run: one error, MXD-PB-002, fixed to the https URL that answered', async () => {
    const o = await checkDeployment({ mutate: setBaseurl('http://matrix.xfoss.com/') }, { also: ['element-config'] });
    assert.deepEqual(ids(o.findings), ['MXD-PB-002:mixedContent']);
    assert.ok(!ids(o.byCheck['element-config']).includes('MXD-EL-006:mismatch'), JSON.stringify(ids(o.byCheck['element-config'])));
    const f = o.findings[0];
    assert.equal(f.severity, 'error');
    assert.match(f.message, /the browser blocks it as mixed content, and users are stuck at "Syncing forever…"/);
    assert.equal(f.evidence.httpsAnswers, 'https://matrix.xfoss.com');
    assert.match(JSON.stringify(f.evidence.publicBaseurlAnswer), /CONN_REFUSED/);
    assert.deepEqual((f.evidence.login as { well_known: unknown }).well_known, { 'm.homeserver': { base_url: 'http://matrix.xfoss.com/' } });
    assert.equal(f.fix?.steps[0], `public_baseurl: "https://matrix.xfoss.com/"   # ${o.homeserverConfig}:14:17`);
    assert.equal(o.liveTokens, 0);
  });

  test('Element on another URL than a healthy public_baseurl: still MXD-EL-006 when public-baseurl runs', async () => {
    // Element pointed at the federation port of the Matrix host, which answers too; public_baseurl stays the seed's.
    const o = await checkDeployment(
      {
        mutate: {
          'element/config.matrix.xfoss.com.json': (t) => t.replace('"base_url": "https://matrix.xfoss.com"', '"base_url": "https://matrix.xfoss.com:8448"'),
        },
      },
      { also: ['element-config'], login: false },
    );
    assert.deepEqual(ids(o.findings), []);
    assert.ok(ids(o.byCheck['element-config']).includes('MXD-EL-006:mismatch'), JSON.stringify(ids(o.byCheck['element-config'])));
  });

  test('public_baseurl removed: Synapse assumes https://xfoss.com/ while the client API is on matrix.xfoss.com (warning); login has no well_known (info)', async () => {
    const o = await checkDeployment({ mutate: setBaseurl(undefined) });
    assert.deepEqual(ids(o.findings).sort(), ['MXD-PB-004:unsetElsewhere', 'MXD-PB-007:noWellKnown'].sort());
    assert.equal(o.report.checks[0].status, 'warn');
    const f = o.findings.find((x) => x.code === 'MXD-PB-004');
    assert.equal(f?.data.clientUrl, 'https://matrix.xfoss.com');
    assert.equal(o.liveTokens, 0);
  });

  test('a wrong test password: MXD-PB-007 loginFailed (warning), nothing else judged from login, the password never shown', async () => {
    const d = await startDeployment();
    try {
      const r = await runCli([
        'check',
        '--profile',
        d.files.profile,
        '--only',
        'public-baseurl',
        ...d.flags,
        '--timeout',
        '20s',
        '--test-user',
        'alice',
        '--test-password',
        'not the password',
        '--json',
      ]);
      const report = JSON.parse(r.stdout) as Report;
      assert.deepEqual(ids(report.checks[0].findings), ['MXD-PB-007:loginFailed']);
      assert.match(report.checks[0].findings[0].data.reason as string, /HTTP 403 M_FORBIDDEN/);
      assert.doesNotMatch(r.stdout + r.stderr, /not the password/);
    } finally {
      await d.stop();
    }
  });
});
