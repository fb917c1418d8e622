// Each report format checked by the tool that reads it: xmllint for the JUnit XML, promtool (Debian's
// prometheus package) for the Prometheus exposition, and the Nagios plugin rules.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import type { Report } from '../../src/engine/types.js';
import {
  junitDocument,
  junitErrorSuite,
  junitSuite,
  nagiosState,
  nagiosUnknownLine,
  renderJunit,
  renderNagios,
  renderNagiosFleet,
  renderPrometheus,
} from '../../src/report/formats.js';

function report(statuses: Report['checks'][number]['status'][]): Report {
  const checks = statuses.map((status, i) => ({
    id: `check-${i}`,
    title: `Check <${i}> & "quotes"`,
    status,
    durationMs: 12 + i,
    ...(status === 'skip' || status === 'error' ? { reason: `why ${i} <&>` } : {}),
    findings:
      status === 'fail' || status === 'warn'
        ? [
            {
              code: 'MXD-HS-001',
              check: `check-${i}`,
              severity: status === 'fail' ? ('error' as const) : ('warning' as const),
              messageId: 'x',
              data: {},
              message: 'Line 5 has a tab | and <xml> \u0001 chars',
              location: { file: '/etc/matrix-synapse/homeserver.yaml', line: 5, column: 1 },
              evidence: {},
              fix: { summary: 'Replace the tab.', steps: [], edits: [] },
              docs: 'docs/codes/MXD-HS-001.md',
            },
          ]
        : [],
  }));
  const summary = { pass: 0, warn: 0, fail: 0, skip: 0, error: 0 };
  for (const s of statuses) summary[s]++;
  return {
    schemaVersion: 1,
    tool: { name: 'matrixdoc', version: '0.1.0' },
    startedAt: '2026-11-26T12:00:00.123Z',
    durationMs: 345,
    target: { serverName: 'xfoss.com', offline: true, inputs: {} },
    summary,
    checks,
    probes: [],
  };
}

describe('JUnit XML', () => {
  test('well-formed (xmllint), one testcase per check, failures/errors/skipped counted', () => {
    const xml = renderJunit(report(['pass', 'warn', 'fail', 'skip', 'error']));
    const lint = spawnSync('xmllint', ['--noout', '-'], { input: xml, encoding: 'utf8' });
    assert.equal(lint.status, 0, `xmllint: ${lint.stderr}\n${xml}`);
    assert.match(xml, /<testsuite name="matrixdoc xfoss.com" tests="5" failures="1" errors="1" skipped="1"/);
    assert.equal((xml.match(/<testcase /g) ?? []).length, 5);
    assert.match(xml, /<failure message="1 problem\(s\)" type="fail">ERROR MXD-HS-001: Line 5 has a tab \| and &lt;xml&gt;/);
    assert.ok(!xml.includes('\u0001'));
  });

  test('--strict turns warnings into failures', () => {
    assert.match(renderJunit(report(['warn']), { strict: true }), /failures="1"/);
  });

  test('fleet: one document, one <testsuites> with a <testsuite> per target (and one for a target that could not run), totals summed', () => {
    const xml = junitDocument(
      [
        junitSuite(report(['pass', 'fail']), { name: 'matrixdoc a & b' }),
        junitSuite(report(['warn', 'skip', 'error'])),
        junitErrorSuite('matrixdoc /etc/x.yaml', 'cannot read profile: <no such file>', new Date('2026-11-26T12:00:00.500Z')),
      ],
      { name: 'matrixdoc fleet', timeMs: 1500 },
    );
    const lint = spawnSync('xmllint', ['--noout', '-'], { input: xml, encoding: 'utf8' });
    assert.equal(lint.status, 0, `xmllint: ${lint.stderr}\n${xml}`);
    assert.equal((xml.match(/<\?xml /g) ?? []).length, 1);
    assert.equal((xml.match(/<testsuites /g) ?? []).length, 1);
    assert.equal((xml.match(/<testsuite /g) ?? []).length, 3);
    assert.match(xml, /<testsuites name="matrixdoc fleet" tests="6" failures="1" errors="2" skipped="1" time="1.500">/);
    assert.match(xml, /<testsuite name="matrixdoc a &amp; b" tests="2" failures="1" errors="0" skipped="0" time="0.345" timestamp="2026-11-26T12:00:00">/);
    assert.match(xml, /<testsuite name="matrixdoc xfoss.com" tests="3" failures="0" errors="1" skipped="1"/);
    assert.match(
      xml,
      /<testsuite name="matrixdoc \/etc\/x.yaml" tests="1" failures="0" errors="1" skipped="0" time="0.000" timestamp="2026-11-26T12:00:00">\n {4}<testcase [^>]*><error message="cannot read profile: &lt;no such file&gt;" type="error"\/><\/testcase>/,
    );
  });

  test('one report is the same document as a fleet of one', () => {
    const r = report(['pass', 'fail', 'skip']);
    assert.equal(renderJunit(r), junitDocument([junitSuite(r)], { name: 'matrixdoc xfoss.com', timeMs: r.durationMs }));
  });
});

describe('Prometheus exposition', () => {
  test('promtool accepts it; one-hot status per check; counts and timestamps', () => {
    const text = renderPrometheus(report(['pass', 'fail', 'error']));
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(check.status, 0, `promtool: ${check.stdout}${check.stderr}\n${text}`);
    assert.match(text, /^matrixdoc_check_status\{server_name="xfoss.com",check="check-1",status="fail"\} 1$/m);
    assert.match(text, /^matrixdoc_check_status\{server_name="xfoss.com",check="check-1",status="pass"\} 0$/m);
    assert.match(text, /^matrixdoc_findings\{server_name="xfoss.com",check="check-1",severity="error"\} 1$/m);
    assert.match(text, /^matrixdoc_checks\{server_name="xfoss.com",status="error"\} 1$/m);
    assert.match(text, /^matrixdoc_run_timestamp_seconds\{server_name="xfoss.com"\} 1795694400$/m);
  });

  test('label values are escaped', () => {
    const text = renderPrometheus(report(['pass']), { labels: { target: 'a"b\\c\nd' } });
    assert.match(text, /target="a\\"b\\\\c\\nd"/);
    assert.equal(spawnSync('promtool', ['check', 'metrics'], { input: text }).status, 0);
  });
});

describe('Nagios plugin output', () => {
  test('states: OK, WARNING, CRITICAL, UNKNOWN', () => {
    assert.equal(nagiosState(report(['pass', 'skip'])), 0);
    assert.equal(nagiosState(report(['pass', 'warn'])), 1);
    assert.equal(nagiosState(report(['warn', 'fail'])), 2);
    assert.equal(nagiosState(report(['fail', 'error'])), 3);
  });

  test('one status line with perfdata, long output per problem, no stray |', () => {
    const { text, state } = renderNagios(report(['pass', 'fail']));
    const [first, ...rest] = text.trimEnd().split('\n');
    assert.equal(state, 2);
    assert.equal(first, 'MATRIXDOC xfoss.com CRITICAL - check-1 fail | pass=1 warn=0 fail=1 skip=0 error=0 duration=0.345s');
    assert.deepEqual(rest, ['[CRITICAL] MXD-HS-001 Line 5 has a tab / and <xml> \u0001 chars']);
  });

  test('UNKNOWN: the status line of a run that could not do its job, on one line, with no |', () => {
    assert.equal(nagiosUnknownLine('--timeout: | bad\n  value'), 'MATRIXDOC UNKNOWN - --timeout: / bad value\n');
  });

  test('fleet: one status line for the worst state, targets counted per state in the perfdata, a line per target worst first', () => {
    const entries = [
      { target: 'a.example', state: 0 as const, summary: '5 checks pass' },
      { target: 'b.example', state: 2 as const, summary: 'rate-limits fail' },
      { target: 'c.example', state: 1 as const, summary: 'turn warn' },
      { target: 'd.example', state: 2 as const, summary: 'well-known fail | x' },
    ];
    let out = renderNagiosFleet(entries, 2500);
    assert.equal(out.state, 2);
    const [first, ...rest] = out.text.trimEnd().split('\n');
    assert.equal(
      first,
      'MATRIXDOC CRITICAL - 4 targets: 2 CRITICAL (b.example, d.example), 1 WARNING (c.example), 1 OK | targets=4 ok=1 warning=1 critical=2 unknown=0 duration=2.500s',
    );
    assert.deepEqual(rest, [
      '[CRITICAL] b.example: rate-limits fail',
      '[CRITICAL] d.example: well-known fail / x',
      '[WARNING] c.example: turn warn',
      '[OK] a.example: 5 checks pass',
    ]);
    // A target that could not be checked is UNKNOWN, and UNKNOWN is the worst (as for one report's checks).
    out = renderNagiosFleet([...entries, { target: 'e.example', state: 3, summary: 'could not be checked: no such file' }], 10);
    assert.equal(out.state, 3);
    assert.match(out.text, /^MATRIXDOC UNKNOWN - 5 targets: 1 UNKNOWN \(e.example\), 2 CRITICAL/);
    // Many targets in one state: three are named.
    const many = Array.from({ length: 5 }, (_, i) => ({ target: `t${i}`, state: 1 as const, summary: 'x warn' }));
    assert.match(renderNagiosFleet(many, 0).text, /^MATRIXDOC WARNING - 5 targets: 5 WARNING \(t0, t1, t2, \+2 more\) \|/);
  });
});
