// The seed's whole deployment (every check, the seed's own profile) against peers that accept TCP and
// never answer, through the BUILT binary: a chain of probes (wellKnown, then federation and
// clientVersions, which use its result) must cost one timeout, not the sum; --deadline must end the run
// with its report and exit 2, never with an unhandled rejection.
// Network safety: every name and address the seed uses is sent by --connect-to to a silent server on
// 127.0.0.1; the DNS server is a loopback dns2 that knows no name; the runs are loopback-only.

import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { SEED } from '../helpers/cli.js';
import { assertBounded, type Hostile, hostileHooks, runCheck, startTcp } from './support.js';

hostileHooks();

const NAMES = ['xfoss.com', 'matrix.xfoss.com', 'meet.xfoss.com', 'turn.xfoss.com', 'localhost'];
const PORTS = [80, 443, 3478, 5349, 5432, 8443, 8448];

function redirects(silent: Hostile): string[] {
  const out: string[] = [];
  for (const name of NAMES) for (const port of PORTS) out.push('--connect-to', `${name}:${port}:127.0.0.1:${silent.port}`);
  // The seed's LDAP server is an address literal.
  out.push('--connect-to', `10.11.2.12:389:127.0.0.1:${silent.port}`);
  return out;
}

describe('the seed deployment, every peer silent', () => {
  test('every check ends within one --timeout (wellKnown and the probes that use it do not add up)', async () => {
    const silent = await startTcp(() => {});
    const o = await runCheck(['--profile', path.join(SEED, 'matrixdoc.yaml'), ...redirects(silent)], { timeoutMs: 2000 });
    assertBounded(o.run, 1, 'silent deployment', 2000);
    assert.ok(o.report.durationMs < 3000, `the run took ${o.report.durationMs} ms for a 2000 ms timeout`);
    // The probes that waited for wellKnown say so when their time ran out.
    for (const p of o.report.probes.filter((x) => x.error?.code === 'TIMEOUT')) assert.match(p.error?.message ?? '', /no result within 2000 ms/);
    assert.ok(silent.hits > 0, 'the silent server was contacted');
  });

  test('--deadline shorter than --timeout: the report with the aborted checks as error, exit 2, no stack trace', async () => {
    const silent = await startTcp(() => {});
    const o = await runCheck(['--profile', path.join(SEED, 'matrixdoc.yaml'), ...redirects(silent), '--deadline', '800ms'], { timeoutMs: 5000 });
    assertBounded(o.run, 2, '--deadline', 5000);
    assert.ok(o.report.durationMs < 1500, `the run took ${o.report.durationMs} ms for an 800 ms deadline`);
    const aborted = o.report.checks.filter((c) => c.status === 'error' && /ABORTED: the run was aborted/.test(c.reason ?? ''));
    assert.ok(aborted.length > 0, JSON.stringify(o.report.checks.map((c) => [c.id, c.status, c.reason])));
    assert.doesNotMatch(o.run.stderr, /Error: deadline|unhandled/i);
  });
});
