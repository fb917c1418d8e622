// The human summary, in flutter doctor's grammar: one line per check with a status box, then for every
// warning or failure what is wrong, where, the evidence, and the fix. Plain text: no colours or
// control codes unless the caller asks for colour on a terminal.

import path from 'node:path';
import type { CheckResult, CheckStatus, Finding, Report } from '../engine/types.js';
import type { Locale } from '../i18n/index.js';
import { type HumanWords, humanWords } from '../i18n/words.js';

const BOX: Record<CheckStatus, string> = { pass: '[✓]', warn: '[!]', fail: '[✗]', skip: '[-]', error: '[☠]' };
const MARK: Record<Finding['severity'], string> = { error: '✗', warning: '!', info: 'i' };

export interface HumanOptions {
  verbose: boolean;
  color: boolean;
  /** The language of the fixed words and check titles; finding messages are already in it. */
  locale?: Locale;
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

function renderFinding(f: Finding, opts: HumanOptions, w: HumanWords): string {
  const out: string[] = [];
  out.push(`    ${MARK[f.severity]} ${f.code} ${f.message}`);
  const where = whereText(f);
  if (where) out.push(`        ${w.at} ${where}`);
  const ev = evidenceLines(f.evidence);
  if (ev.length) {
    out.push(`        ${w.evidence}`);
    for (const l of ev) out.push(`          ${l}`);
  }
  if (f.fix) {
    out.push(`        ${w.fix}${f.fix.summary}`);
    for (const step of f.fix.steps) out.push(indentBlock(step, '          '));
    if (f.fix.edits.length) out.push(`          (${w.automaticFix(f.fix.edits.length)})`);
  }
  const builtin = f.docs.startsWith('docs/codes/');
  out.push(`        ${w.docs}${f.docs}${builtin && !opts.verbose ? `  (matrixdoc explain ${f.code})` : ''}`);
  return out.join('\n');
}

function renderCheck(c: CheckResult, opts: HumanOptions, w: HumanWords): string {
  const shown = c.findings.filter((f) => opts.verbose || f.severity !== 'info');
  const hidden = c.findings.length - shown.length;
  const counts = c.findings.length ? ` (${w.findings(c.findings.length)})` : '';
  const time = opts.verbose ? ` ${c.durationMs}ms` : '';
  const head = `${paint(BOX[c.status], STATUS_COLOR[c.status], opts.color)} ${c.id} — ${w.checkTitles[c.id] ?? c.title}${counts}${time}`;
  const lines = [head];
  if (c.reason) lines.push(`    ${c.status === 'skip' ? w.skipped : w.couldNotRun}: ${c.reason}`);
  for (const f of shown) lines.push(renderFinding(f, opts, w));
  if (hidden > 0) lines.push(`    (${w.hiddenNotes(hidden)})`);
  return lines.join('\n');
}

export function renderHuman(report: Report, opts: HumanOptions): string {
  const w = humanWords(opts.locale);
  const target = report.target.serverName ? w.forTarget(report.target.serverName) : '';
  const mode = report.target.replayedFrom ? w.replayedFrom(report.target.replayedFrom) : report.target.offline ? w.offline : '';
  const lines = [`matrixdoc ${report.tool.version}${target}${mode}`, ''];
  for (const c of report.checks) lines.push(renderCheck(c, opts, w));
  const s = report.summary;
  lines.push('');
  lines.push(w.summary(s, report.durationMs));
  return lines.join('\n');
}
