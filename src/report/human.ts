// The human summary, in flutter doctor's grammar: one line per check with a status box, then for every
// warning or failure what is wrong, where, the evidence, and the fix. Plain text: no colours or
// control codes unless the caller asks for colour on a terminal.

import path from 'node:path';
import type { CheckResult, CheckStatus, Finding, Report } from '../engine/types.js';

const BOX: Record<CheckStatus, string> = { pass: '[✓]', warn: '[!]', fail: '[✗]', skip: '[-]', error: '[☠]' };
const MARK: Record<Finding['severity'], string> = { error: '✗', warning: '!', info: 'i' };

export interface HumanOptions {
  verbose: boolean;
  color: boolean;
}

function paint(text: string, code: number, on: boolean): string {
  return on ? `\u001b[${code}m${text}\u001b[0m` : text;
}

const STATUS_COLOR: Record<CheckStatus, number> = { pass: 32, warn: 33, fail: 31, skip: 90, error: 35 };

/** Paths under the current folder are shown relative to it: shorter, and what the user typed. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function whereText(f: Finding): string | undefined {
  const l = f.location;
  if (!l) return undefined;
  if (l.file) return [displayPath(l.file), l.line, l.line !== undefined ? l.column : undefined].filter((x) => x !== undefined).join(':');
  return l.url ?? l.host;
}

function evidenceLines(evidence: Record<string, unknown>): string[] {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(evidence)) {
    let text = typeof v === 'string' ? v : JSON.stringify(v);
    if (text === undefined) continue;
    if (text.length > 200) text = `${text.slice(0, 197)}...`;
    lines.push(`${k}: ${text}`);
  }
  return lines;
}

function indentBlock(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => `${prefix}${l}`)
    .join('\n');
}

function renderFinding(f: Finding, opts: HumanOptions): string {
  const out: string[] = [];
  out.push(`    ${MARK[f.severity]} ${f.code} ${f.message}`);
  const where = whereText(f);
  if (where) out.push(`        at ${where}`);
  const ev = evidenceLines(f.evidence);
  if (ev.length) {
    out.push('        evidence:');
    for (const l of ev) out.push(`          ${l}`);
  }
  if (f.fix) {
    out.push(`        fix: ${f.fix.summary}`);
    for (const step of f.fix.steps) out.push(indentBlock(step, '          '));
    if (f.fix.edits.length) out.push(`          (automatic fix available: ${f.fix.edits.length} file edit${f.fix.edits.length > 1 ? 's' : ''})`);
  }
  const builtin = f.docs.startsWith('docs/codes/');
  out.push(`        docs: ${f.docs}${builtin && !opts.verbose ? `  (matrixdoc explain ${f.code})` : ''}`);
  return out.join('\n');
}

function renderCheck(c: CheckResult, opts: HumanOptions): string {
  const shown = c.findings.filter((f) => opts.verbose || f.severity !== 'info');
  const hidden = c.findings.length - shown.length;
  const counts = c.findings.length ? ` (${c.findings.length} finding${c.findings.length > 1 ? 's' : ''})` : '';
  const time = opts.verbose ? ` ${c.durationMs}ms` : '';
  const head = `${paint(BOX[c.status], STATUS_COLOR[c.status], opts.color)} ${c.id} — ${c.title}${counts}${time}`;
  const lines = [head];
  if (c.reason) lines.push(`    ${c.status === 'skip' ? 'skipped' : 'could not run'}: ${c.reason}`);
  for (const f of shown) lines.push(renderFinding(f, opts));
  if (hidden > 0) lines.push(`    (${hidden} informational note${hidden > 1 ? 's' : ''} hidden; --verbose shows them)`);
  return lines.join('\n');
}

export function renderHuman(report: Report, opts: HumanOptions): string {
  const target = report.target.serverName ? ` for ${report.target.serverName}` : '';
  const mode = report.target.replayedFrom ? ` (replayed from ${report.target.replayedFrom})` : report.target.offline ? ' (offline: files only)' : '';
  const lines = [`matrixdoc ${report.tool.version}${target}${mode}`, ''];
  for (const c of report.checks) lines.push(renderCheck(c, opts));
  const s = report.summary;
  lines.push('');
  lines.push(`Summary: ${s.fail} fail, ${s.warn} warn, ${s.pass} pass, ${s.skip} skip, ${s.error} error (${report.durationMs} ms)`);
  return lines.join('\n');
}
