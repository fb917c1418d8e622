// The rules section of docs/triage.md, made from RULES so that the page cannot drift from the code.
// test/triage/rules.test.ts checks that the page holds exactly this; after changing a rule, rewrite it:
//   node --import tsx src/triage/docs.ts

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RULES, type TriageRule } from './rules.js';

export const START = '<!-- rules:start (made from src/triage/rules.ts by src/triage/docs.ts; do not edit by hand) -->';
export const END = '<!-- rules:end -->';

const esc = (s: string) => s.replace(/\|/g, '\\|');
const codeLinks = (codes: string[]) => codes.map((c) => `[${c}](codes/${c}.md)`).join(', ');
const checkList = (checks: string[]) => checks.map((c) => `\`${c}\``).join(', ');

/** The table (symptom → likely cause → checks → codes), then one section per rule. */
export function rulesMarkdown(rules: TriageRule[] = RULES): string {
  const lines = [START, '', '| symptom | likely cause | checks | codes |', '| --- | --- | --- | --- |'];
  for (const r of rules) {
    lines.push(`| ${esc(r.symptom)} | [${r.id}](#${r.id}): ${esc(r.title)} | ${checkList(r.checks)} | ${r.codes.length ? codeLinks(r.codes) : '—'} |`);
  }
  lines.push('');
  for (const r of rules) {
    const codes = r.codes.length ? codeLinks(r.codes) : 'none yet (any warning or failure of its checks confirms it)';
    lines.push(
      `### ${r.id}`,
      '',
      `- **Symptom:** ${r.symptom}`,
      `- **Likely cause:** ${r.title}.`,
      `- **Why:** ${r.explanation}`,
      `- **First step:** ${r.firstStep}`,
      `- **Checks:** ${checkList(r.checks)}; **codes:** ${codes}; **weight:** ${r.weight}`,
      '',
    );
  }
  lines.push(END);
  return lines.join('\n');
}

/** The page with its rules section replaced. */
export function withRules(page: string, rules: TriageRule[] = RULES): string {
  const i = page.indexOf('<!-- rules:start');
  const j = page.indexOf(END);
  if (i < 0 || j < 0) throw new Error(`docs/triage.md has no ${START} ... ${END} section`);
  return page.slice(0, i) + rulesMarkdown(rules) + page.slice(j + END.length);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/triage.md');
  writeFileSync(file, withRules(readFileSync(file, 'utf8')));
  console.log(`rewrote the rules section of ${file}`);
}
