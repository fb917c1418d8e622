// The JSON report: its shape is a public contract (docs/report.schema.json, schemaVersion 1). Only
// additive changes are allowed within a schema version.

import type { Inputs } from '../engine/inputs.js';
import { DEPENDENCY_FAILED, type RunOutput } from '../engine/run.js';
import type { CheckResult, CheckStatus, Report } from '../engine/types.js';

export const REPORT_SCHEMA_VERSION = 1 as const;

export function summarise(checks: CheckResult[]): Record<CheckStatus, number> {
  const summary: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0, error: 0 };
  for (const c of checks) summary[c.status]++;
  return summary;
}

/** The inputs a report shows: names and paths, never credentials (the redactor still scrubs the result). */
export function describeInputs(inputs: Inputs): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (inputs.profile) out.profile = inputs.profile;
  if (inputs.homeserverConfig.length) out.homeserverConfig = inputs.homeserverConfig.length === 1 ? inputs.homeserverConfig[0] : inputs.homeserverConfig;
  if (inputs.elementConfig) out.elementConfig = inputs.elementConfig;
  if (inputs.jitsiEnv) out.jitsiEnv = inputs.jitsiEnv;
  if (inputs.nginxConfig.length) out.nginxConfig = inputs.nginxConfig;
  if (inputs.resolve.length) out.resolve = inputs.resolve.map((r) => `${r.host}:${r.port ?? '*'}:${r.addresses.join(',')}`);
  if (inputs.connectTo.length) {
    out.connectTo = inputs.connectTo.map((c) => `${c.host ?? ''}:${c.port ?? ''}:${c.toHost ?? ''}:${c.toPort ?? ''}`);
  }
  if (inputs.dnsServer) out.dnsServer = `${inputs.dnsServer.host}:${inputs.dnsServer.port}`;
  if (inputs.caFile) out.caFile = inputs.caFile;
  if (inputs.allowTargets) out.allowTargets = inputs.allowTargets.map((c) => c.text);
  out.timeout = `${inputs.timeoutMs}ms`;
  return out;
}

export function buildReport(opts: { version: string; startedAt: Date; durationMs: number; inputs: Inputs; output: RunOutput; replayedFrom?: string }): Report {
  const { output } = opts;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'matrixdoc', version: opts.version },
    startedAt: opts.startedAt.toISOString(),
    durationMs: Math.round(opts.durationMs),
    target: {
      ...(opts.inputs.serverName ? { serverName: opts.inputs.serverName } : {}),
      offline: opts.inputs.offline,
      inputs: describeInputs(opts.inputs),
      ...(opts.replayedFrom ? { replayedFrom: opts.replayedFrom } : {}),
    },
    summary: summarise(output.checks),
    checks: output.checks,
    probes: Object.entries(output.probes).map(([id, r]) => ({
      id,
      status: r.status,
      durationMs: r.durationMs,
      ...(r.status === 'skipped' ? { reason: r.reason } : {}),
      ...(r.status === 'error' ? { error: { code: r.error.code, message: r.error.message } } : {}),
    })),
  };
}

/** 0: no failures (warnings allowed unless strict); 1: at least one failure; 2: a check could not run. */
export function exitCodeFor(report: Report, strict: boolean): 0 | 1 | 2 {
  if (report.summary.error > 0) return 2;
  if (report.summary.fail > 0) return 1;
  if (strict && report.summary.warn > 0) return 1;
  return 0;
}

/**
 * One line per thing that went wrong, for stderr: a failed probe once, with every check it stopped
 * ("homeserver-config, database: homeserverConfig: FILE_NOT_FOUND: ..."), however many checks needed it
 * directly or through another probe (DEPENDENCY_FAILED); then checks that failed on their own (a crash).
 */
export function errorLines(report: Report): string[] {
  const failedChecks = report.checks.filter((c) => c.status === 'error');
  const roots = report.probes.filter((p) => p.status === 'error' && p.error && p.error.code !== DEPENDENCY_FAILED);
  const explained = new Set<string>();
  const lines: string[] = [];
  for (const probe of roots) {
    // A check names the probe in its reason ("wellKnown: CODE: ...") or through a dependency ("needs wellKnown, ...").
    const stopped = failedChecks.filter((c) => (c.reason ?? '').includes(`${probe.id}: `) || (c.reason ?? '').includes(`needs ${probe.id}, `));
    if (stopped.length === 0) continue;
    for (const c of stopped) explained.add(c.id);
    lines.push(`${stopped.map((c) => c.id).join(', ')}: ${probe.id}: ${probe.error?.code}: ${probe.error?.message}`);
  }
  for (const c of failedChecks) if (!explained.has(c.id)) lines.push(`${c.id}: ${c.reason}`);
  return lines;
}
