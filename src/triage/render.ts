// Triage as text for a human: the likely causes, most likely first, each with the quoted evidence, why,
// the first step, the checks that confirm it and its docs; with --run, the verdict of those checks.

import { RULES } from './rules.js';
import type { Cause, TriageResult, Verdict } from './triage.js';

export type CauseWithVerdict = Cause & { verdict?: Verdict };

const VERDICT: Record<Verdict['status'], string> = { confirmed: 'CONFIRMED', 'ruled-out': 'ruled out', 'could-not-test': 'could not test' };

function wrap(text: string, indent: string, width = 100): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width - indent.length) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : `${indent}${l}`)).join('\n');
}

function renderCause(c: CauseWithVerdict, n: number): string {
  const out: string[] = [];
  out.push(`${n}. ${c.title}`);
  out.push(
    `   cause: ${c.id} · likelihood ${c.likelihood} (${c.matches} distinct match${c.matches === 1 ? '' : 'es'} on ${c.occurrences} line${c.occurrences === 1 ? '' : 's'})`,
  );
  out.push('   evidence:');
  for (const e of c.evidence) out.push(`     line ${e.line}: ${e.text}`);
  const more = c.occurrences - c.evidence.length;
  if (more > 0) out.push(`     (${more} more matching line${more === 1 ? '' : 's'})`);
  out.push(`   why: ${wrap(c.explanation, '        ')}`);
  out.push(`   first step: ${wrap(c.firstStep, '               ')}`);
  out.push(`   checks: ${c.checks.join(', ')}`);
  if (c.codes.length) out.push(`   codes: ${c.codes.join(', ')}  (matrixdoc explain <code>)`);
  out.push(`   docs: ${c.docs.join(', ')}`);
  if (c.verdict) {
    out.push(`   verdict: ${VERDICT[c.verdict.status]} — ${wrap(c.verdict.reason, '            ')}`);
    for (const f of c.verdict.findings.slice(1, 5)) out.push(`            also ${f.check}: ${f.code} ${f.message}`);
  }
  return out.join('\n');
}

export function renderTriage(result: TriageResult & { causes: CauseWithVerdict[] }, opts: { name: string; ran: boolean }): string {
  const lines = result.lines;
  if (result.unrecognised) {
    return [
      `No known signature: matrixdoc recognised nothing in ${opts.name} (${lines} line${lines === 1 ? '' : 's'}).`,
      '',
      'It knows these (docs/triage.md):',
      ...RULES.map((r) => `  - ${r.symptom}`),
      '',
      'Next: paste the exact error text users see, or the server log lines from the time of the problem,',
      'or run the checks themselves: matrixdoc check --profile matrixdoc.yaml',
    ].join('\n');
  }
  const n = result.causes.length;
  const head = `Triage of ${opts.name} (${lines} line${lines === 1 ? '' : 's'}): ${n} likely cause${n === 1 ? '' : 's'}, most likely first.`;
  const parts = [head, '', ...result.causes.map((c, i) => renderCause(c, i + 1)).flatMap((t) => [t, ''])];
  if (!opts.ran) {
    parts.push('Confirm or rule them out with the checks: matrixdoc triage --run --profile matrixdoc.yaml <the same text>');
  } else {
    const causes: CauseWithVerdict[] = result.causes;
    const count = (s: Verdict['status']) => causes.filter((c) => c.verdict?.status === s).length;
    parts.push(`Verdicts: ${count('confirmed')} confirmed, ${count('ruled-out')} ruled out, ${count('could-not-test')} could not be tested.`);
  }
  return parts.join('\n').trimEnd();
}
