// The report in the formats monitoring and CI systems read: JUnit XML (one testcase per check), the
// Prometheus text exposition format (node_exporter's textfile collector, and `matrixdoc serve`), and the
// Nagios/Icinga plugin format (one status line with perfdata, plugin exit codes).

import type { CheckStatus, Report } from '../engine/types.js';

export const FORMATS = ['text', 'json', 'junit', 'prometheus', 'nagios'] as const;
export type Format = (typeof FORMATS)[number];

const STATUSES: CheckStatus[] = ['pass', 'warn', 'fail', 'skip', 'error'];

function xml(text: string): string {
  // XML 1.0 cannot carry most control characters at all; drop them.
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function findingLines(report: Report, checkId: string): string {
  const check = report.checks.find((c) => c.id === checkId);
  return (check?.findings ?? [])
    .map((f) => {
      const at = f.location?.file
        ? ` (${[f.location.file, f.location.line, f.location.column].filter((x) => x !== undefined).join(':')})`
        : f.location?.url
          ? ` (${f.location.url})`
          : '';
      return `${f.severity.toUpperCase()} ${f.code}: ${f.message}${at}${f.fix ? `\n  fix: ${f.fix.summary}` : ''}`;
    })
    .join('\n');
}

/** One <testsuite> and its counts, so that a fleet run can put a suite per target in one document. */
export interface JunitSuite {
  /** The <testsuite> element, indented for a place inside <testsuites>. */
  xml: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  timeMs: number;
}

const junitCounts = (s: Pick<JunitSuite, 'tests' | 'failures' | 'errors' | 'skipped' | 'timeMs'>) =>
  `tests="${s.tests}" failures="${s.failures}" errors="${s.errors}" skipped="${s.skipped}" time="${(s.timeMs / 1000).toFixed(3)}"`;

const junitTimestamp = (iso: string) => xml(iso.replace(/\.\d+Z$/, ''));

/**
 * A report as one JUnit <testsuite>: a failing check is a <failure>, a check that could not run an <error>,
 * a skipped one <skipped>. `name` defaults to `matrixdoc SERVER_NAME`.
 */
export function junitSuite(report: Report, opts: { strict?: boolean; name?: string } = {}): JunitSuite {
  const failed = (s: CheckStatus) => s === 'fail' || (opts.strict === true && s === 'warn');
  const cases = report.checks.map((c) => {
    const body = findingLines(report, c.id);
    const inner = failed(c.status)
      ? `<failure message="${xml(`${c.findings.filter((f) => f.severity !== 'info').length} problem(s)`)}" type="${c.status}">${xml(body)}</failure>`
      : c.status === 'error'
        ? `<error message="${xml(c.reason ?? 'could not run')}" type="error"/>`
        : c.status === 'skip'
          ? `<skipped message="${xml(c.reason ?? '')}"/>`
          : body
            ? `<system-out>${xml(body)}</system-out>`
            : '';
    return `    <testcase classname="matrixdoc.${xml(c.id)}" name="${xml(`${c.id}: ${c.title}`)}" time="${(c.durationMs / 1000).toFixed(3)}">${inner}</testcase>`;
  });
  const count = (pred: (s: CheckStatus) => boolean) => report.checks.filter((c) => pred(c.status)).length;
  const counts = {
    tests: report.checks.length,
    failures: count(failed),
    errors: count((s) => s === 'error'),
    skipped: count((s) => s === 'skip'),
    timeMs: report.durationMs,
  };
  const name = xml(opts.name ?? `matrixdoc${report.target.serverName ? ` ${report.target.serverName}` : ''}`);
  const xmlText = [`  <testsuite name="${name}" ${junitCounts(counts)} timestamp="${junitTimestamp(report.startedAt)}">`, ...cases, '  </testsuite>'].join(
    '\n',
  );
  return { xml: xmlText, ...counts };
}

/** A target that could not be checked at all (unreadable profile, bad server name): a suite with one <error>. */
export function junitErrorSuite(name: string, message: string, startedAt: Date = new Date()): JunitSuite {
  const counts = { tests: 1, failures: 0, errors: 1, skipped: 0, timeMs: 0 };
  return {
    xml: [
      `  <testsuite name="${xml(name)}" ${junitCounts(counts)} timestamp="${junitTimestamp(startedAt.toISOString())}">`,
      `    <testcase classname="matrixdoc" name="${xml(`${name}: run`)}" time="0.000"><error message="${xml(message)}" type="error"/></testcase>`,
      '  </testsuite>',
    ].join('\n'),
    ...counts,
  };
}

/** One XML document: a single <testsuites> around the suites (one per target in fleet mode). */
export function junitDocument(suites: JunitSuite[], opts: { name?: string; timeMs?: number } = {}): string {
  const sum = (k: 'tests' | 'failures' | 'errors' | 'skipped' | 'timeMs') => suites.reduce((n, s) => n + s[k], 0);
  const totals = { tests: sum('tests'), failures: sum('failures'), errors: sum('errors'), skipped: sum('skipped'), timeMs: opts.timeMs ?? sum('timeMs') };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(opts.name ?? 'matrixdoc')}" ${junitCounts(totals)}>`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

/** JUnit XML for one report: one <testsuites> with one <testsuite>, one testcase per check. */
export function renderJunit(report: Report, opts: { strict?: boolean } = {}): string {
  const name = `matrixdoc${report.target.serverName ? ` ${report.target.serverName}` : ''}`;
  return junitDocument([junitSuite(report, opts)], { name, timeMs: report.durationMs });
}

/** A Prometheus label value: backslash, double quote and line feed escaped. */
export function promLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export interface PrometheusOptions {
  /** Extra labels on every sample (the exporter adds `target`). Never secrets. */
  labels?: Record<string, string>;
  /** Leave out # HELP / # TYPE lines (when several reports share one exposition). */
  omitMeta?: boolean;
}

/** Prometheus text exposition (version 0.0.4), for node_exporter's textfile collector or an exporter. */
export function renderPrometheus(report: Report, opts: PrometheusOptions = {}): string {
  const base = { ...(report.target.serverName ? { server_name: report.target.serverName } : {}), ...opts.labels };
  const labels = (extra: Record<string, string> = {}) => {
    const all = { ...base, ...extra };
    const parts = Object.entries(all).map(([k, v]) => `${k}="${promLabel(v)}"`);
    return parts.length ? `{${parts.join(',')}}` : '';
  };
  const lines: string[] = [];
  const metric = (name: string, type: 'gauge' | 'counter', help: string, samples: [Record<string, string>, number][]) => {
    if (!opts.omitMeta) lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [l, v] of samples) lines.push(`${name}${labels(l)} ${Number.isFinite(v) ? v : 0}`);
  };
  metric(
    'matrixdoc_check_status',
    'gauge',
    'One sample per check and possible status; 1 for the status the check has (pass, warn, fail, skip, error).',
    report.checks.flatMap((c) => STATUSES.map((s): [Record<string, string>, number] => [{ check: c.id, status: s }, c.status === s ? 1 : 0])),
  );
  metric(
    'matrixdoc_check_duration_seconds',
    'gauge',
    'How long each check took, probes included.',
    report.checks.map((c) => [{ check: c.id }, c.durationMs / 1000]),
  );
  metric(
    'matrixdoc_findings',
    'gauge',
    'Findings per check and severity.',
    report.checks.flatMap((c) =>
      (['error', 'warning', 'info'] as const).map((sev): [Record<string, string>, number] => [
        { check: c.id, severity: sev },
        c.findings.filter((f) => f.severity === sev).length,
      ]),
    ),
  );
  metric(
    'matrixdoc_checks',
    'gauge',
    'Number of checks per status in the run.',
    STATUSES.map((s) => [{ status: s }, report.summary[s]]),
  );
  metric('matrixdoc_run_timestamp_seconds', 'gauge', 'When the run started (Unix time).', [[{}, Math.floor(Date.parse(report.startedAt) / 1000)]]);
  metric('matrixdoc_run_duration_seconds', 'gauge', 'How long the whole run took.', [[{}, report.durationMs / 1000]]);
  return `${lines.join('\n')}\n`;
}

export type NagiosState = 0 | 1 | 2 | 3;
const NAGIOS_WORD = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;

/** The Nagios plugin state: UNKNOWN when a check could not run, CRITICAL on failures, WARNING on warnings. */
export function nagiosState(report: Report): NagiosState {
  if (report.summary.error > 0) return 3;
  if (report.summary.fail > 0) return 2;
  if (report.summary.warn > 0) return 1;
  return 0;
}

/** The human part of a report's status line: the checks that are not fine, or how many pass. */
export function nagiosSummary(report: Report): string {
  const bad = report.checks.filter((c) => c.status === 'fail' || c.status === 'error' || c.status === 'warn');
  return bad.length ? bad.map((c) => `${c.id} ${c.status}`).join(', ') : `${report.summary.pass} checks pass`;
}

// `|` separates perfdata in the plugin format; it must not appear in the human part.
const nagiosClean = (t: string) => t.replace(/\|/g, '/');

/** One status line with perfdata, then one line per problem (the plugin "long output"). */
export function renderNagios(report: Report): { text: string; state: NagiosState } {
  const state = nagiosState(report);
  const s = report.summary;
  const perf = `pass=${s.pass} warn=${s.warn} fail=${s.fail} skip=${s.skip} error=${s.error} duration=${(report.durationMs / 1000).toFixed(3)}s`;
  const target = report.target.serverName ? ` ${report.target.serverName}` : '';
  const long = report.checks.flatMap((c) => [
    ...(c.status === 'error' ? [`[UNKNOWN] ${c.id}: ${c.reason ?? 'could not run'}`] : []),
    ...c.findings.filter((f) => f.severity !== 'info').map((f) => `[${f.severity === 'error' ? 'CRITICAL' : 'WARNING'}] ${f.code} ${f.message}`),
  ]);
  return {
    text: `${[`MATRIXDOC${nagiosClean(target)} ${NAGIOS_WORD[state]} - ${nagiosClean(nagiosSummary(report))} | ${perf}`, ...long.map(nagiosClean)].join('\n')}\n`,
    state,
  };
}

/** The status line of a plugin that could not do its job (bad flags, unreadable profile, internal error). */
export function nagiosUnknownLine(message: string): string {
  return `MATRIXDOC UNKNOWN - ${nagiosClean(message.replace(/\s+/g, ' ').trim())}\n`;
}

/** One fleet target for the Nagios output: its state and a short summary (or why it could not be checked). */
export interface NagiosFleetEntry {
  target: string;
  state: NagiosState;
  summary: string;
}

/**
 * Fleet mode: one status line for the worst state over all targets (UNKNOWN, then CRITICAL, WARNING, OK:
 * the same order as for one report's checks), perfdata counting targets per state, and one long-output
 * line per target, worst first.
 */
export function renderNagiosFleet(entries: NagiosFleetEntry[], durationMs: number): { text: string; state: NagiosState } {
  const state = entries.reduce<NagiosState>((acc, e) => Math.max(acc, e.state) as NagiosState, 0);
  const by = (st: NagiosState) => entries.filter((e) => e.state === st);
  const parts = ([3, 2, 1, 0] as const)
    .filter((st) => by(st).length)
    .map((st) => {
      const names = by(st).map((e) => e.target);
      const shown = st === 0 ? '' : ` (${names.slice(0, 3).join(', ')}${names.length > 3 ? `, +${names.length - 3} more` : ''})`;
      return `${names.length} ${NAGIOS_WORD[st]}${shown}`;
    });
  const perf = `targets=${entries.length} ok=${by(0).length} warning=${by(1).length} critical=${by(2).length} unknown=${by(3).length} duration=${(durationMs / 1000).toFixed(3)}s`;
  const long = [...entries].sort((a, b) => b.state - a.state).map((e) => `[${NAGIOS_WORD[e.state]}] ${e.target}: ${e.summary.replace(/\s+/g, ' ')}`);
  const first = `MATRIXDOC ${NAGIOS_WORD[state]} - ${entries.length} targets: ${parts.join(', ')}`;
  return { text: `${[`${nagiosClean(first)} | ${perf}`, ...long.map(nagiosClean)].join('\n')}\n`, state };
}
