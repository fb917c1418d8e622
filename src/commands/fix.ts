import { createHash } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Flags } from '@oclif/core';
import { builtinChecks } from '../../checks/index.js';
import { BaseCommand } from '../cli/base-command.js';
import { executeRun, type FileRole, prepareRun, roleOf } from '../cli/run-checks.js';
import { probeFlags, targetFlags } from '../cli/target-flags.js';
import { closestCodes } from '../docs-pages.js';
import { InputError } from '../engine/errors.js';
import { loadPluginContributions } from '../engine/plugins.js';
import type { Finding } from '../engine/types.js';
import { type AppliedFix, applyToText, type RefusedFix } from '../fix/apply.js';
import { type Choice, type Claim, type Clash, claimsOf, isAdvice, overlaps, resolveConflicts, type Superseded } from '../fix/conflicts.js';
import { unifiedDiff } from '../fix/diff.js';
import { FixError } from '../fix/errors.js';
import { writeFileSafely } from '../fix/write.js';
import { readTextFile } from '../probes/files.js';
import { displayPath } from '../report/human.js';
import { Redactor } from '../report/redact.js';
import Check from './check.js';

const MAX_PASSES = 5;
const CODE = /^MXD-[A-Z]{2,5}-\d{3}$/i;

// The same inputs as `check`, from the same definitions. Not --probe-login: fix judges the deployment
// several times (each pass, then after writing), and each time would spend the login budget again. Not
// --from-probes: a capture cannot be edited, and its redacted texts are not the files on disk.
const { discover, skip, lang, concurrency } = Check.flags;
const { 'probe-login': _notForFix, ...fixProbeFlags } = probeFlags;

interface FilePlan {
  file: string;
  role: FileRole;
  original: string;
  originalSha: string;
  final: string;
  applied: AppliedFix[];
  refused: RefusedFix[];
}

/** An advice fix (info finding) that is not applied unless named: shown as its own diff. */
interface OptionalFix {
  finding: Finding;
  diffs: { file: string; diff: string }[];
  refused: string[];
}

/** What a service needs after matrixdoc edited its files. */
interface RestartStep {
  role: FileRole;
  files: string[];
  codes: string[];
  step: string;
  commands: string[];
}

const sha256 = (text: string) => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');
const names = (files: string[]) => files.map((f) => displayPath(f)).join(', ');

function restartStep(role: FileRole, files: string[], codes: string[]): RestartStep {
  const base = { role, files, codes };
  switch (role) {
    case 'synapse':
      return {
        ...base,
        step: `Restart Synapse: it reads ${names(files)} only when it starts`,
        commands: ['systemctl restart matrix-synapse   # the Debian/Ubuntu package', 'synctl restart                   # in its virtualenv'],
      };
    case 'element':
      return {
        ...base,
        step: `Reload Element in the browser: it reads ${names(files)} when the page loads (users who stay logged in may need to log out and in for homeserver changes)`,
        commands: [],
      };
    case 'nginx':
      return { ...base, step: `Reload nginx, after checking its configuration (${names(files)})`, commands: ['nginx -t && systemctl reload nginx'] };
    case 'jitsi':
      return {
        ...base,
        step: `Recreate the Jitsi containers so that they read ${names(files)} again (compose recreates the containers whose settings changed)`,
        commands: [`cd ${path.dirname(files[0])} && docker compose up -d`],
      };
    case 'other':
      return { ...base, step: `Restart or reload the service that reads ${names(files)}`, commands: [] };
  }
}

/** One step per service whose files change, in a fixed order (Synapse, nginx, Jitsi, Element). */
function restartSteps(plans: FilePlan[]): RestartStep[] {
  const order: FileRole[] = ['synapse', 'nginx', 'jitsi', 'element', 'other'];
  return order.flatMap((role) => {
    const mine = plans.filter((p) => p.role === role && p.final !== p.original);
    if (mine.length === 0) return [];
    const codes = [...new Set(mine.flatMap((p) => p.applied.map((a) => a.finding.code)))];
    return [restartStep(role, mine.map((p) => p.file).sort(), codes)];
  });
}

const clashText = (c: Clash) => `${c.target} in ${displayPath(c.file)}`;

export default class Fix extends BaseCommand {
  static override summary = 'Preview the automatic fixes as diffs, list the manual ones; --apply writes the file edits safely.';

  static override description = `Runs the same checks as \`matrixdoc check\`, with the same inputs, and gathers their fixes. File edits
(homeserver.yaml, Element's config.json, docker-jitsi-meet's .env, nginx files) are shown as unified diffs;
everything else (DNS records, firewall ports, certificates, SQL, restarts) is listed as numbered manual steps.
Nothing is written unless --apply is given. Fixes of informational findings (advice) are shown but applied
only when named with --only CODE; when the fixes of two findings set the same thing to different values,
the more severe finding's fix is applied, and at equal severity neither (you choose with --only). Before
writing, each file must still be what was read; a timestamped backup is kept; the write is atomic and keeps
the file's mode and owner. See docs/fixes.md.`;

  static override examples = [
    '<%= config.bin %> fix --profile matrixdoc.yaml --offline',
    '<%= config.bin %> fix --profile matrixdoc.yaml --offline --apply',
    '<%= config.bin %> fix --profile matrixdoc.yaml --apply --yes --only MXD-HS-007',
  ];

  static override enableJsonFlag = true;

  static override flags = {
    ...targetFlags,
    discover,
    only: Flags.string({
      description: 'Only these finding codes (MXD-HS-007) or check ids (comma-separated or repeated). A code named here is applied even when it is advice.',
      multiple: true,
      helpGroup: 'SELECTION',
    }),
    skip,
    apply: Flags.boolean({ description: 'Write the file edits (asks first on a terminal; --yes skips the question).' }),
    yes: Flags.boolean({ char: 'y', description: 'Do not ask before writing (needed with --apply when there is no terminal).' }),
    'backup-dir': Flags.string({ description: 'Put the backups here instead of next to each file.' }),
    lang,
    concurrency,
    ...fixProbeFlags,
  };

  private redactor = new Redactor();

  protected override redactError(text: string): string {
    return this.redactor.text(text);
  }

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Fix);
    const plugins = await loadPluginContributions(this.config);
    const known = new Set([...builtinChecks, ...plugins.checks].flatMap((c) => c.codes.map((m) => m.code)));
    const codes = new Set<string>();
    const checkIds: string[] = [];
    for (const o of (flags.only ?? [])
      .flatMap((v) => v.split(','))
      .map((s) => s.trim())
      .filter(Boolean)) {
      const code = o.toUpperCase();
      if (known.has(code)) codes.add(code);
      else if (CODE.test(o)) {
        const near = closestCodes(code, [...known]);
        throw new InputError(`--only: no check declares the finding code '${code}'${near.length ? ` (closest: ${near.join(', ')})` : ''}`);
      } else checkIds.push(o);
    }
    const prep = await prepareRun(this.config, { ...flags, only: checkIds }, { redactor: this.redactor, plugins });
    const named = (f: Finding) => codes.has(f.code);
    const inScope = (f: Finding) => codes.size === 0 || named(f);
    // Advice (an info finding's fix) is applied only when asked for by its code.
    const automatic = (f: Finding) => inScope(f) && Boolean(f.fix?.edits.length) && (!isAdvice(f) || named(f));

    // Pass 1 judges the files on disk; each later pass judges the fixed texts in memory, so that fixes
    // that only become possible after others (ESLint's multi-pass) are found before anything is written.
    const first = await executeRun(prep, { redactor: this.redactor, progress: !this.jsonEnabled() });
    const before = first.checks.flatMap((c) => c.findings);
    const plans = new Map<string, FilePlan>();
    // Fixes left out because they disagree with another: they stay out in later passes too (a finding
    // whose fix was superseded must not come back once the other finding is fixed, undoing its fix).
    const held: { code: string; claims: Claim[] }[] = [];
    const heldAgain = (f: Finding) => {
      const mine = claimsOf(f.fix?.edits ?? []);
      return held.some((h) => h.code === f.code && mine.some((c) => h.claims.some((d) => overlaps(c, d))));
    };
    const superseded: Superseded[] = [];
    const choices: Choice[] = [];
    let findings = before;
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      const resolution = resolveConflicts(findings.filter((f) => automatic(f) && !heldAgain(f)));
      for (const s of resolution.superseded) {
        superseded.push(s);
        held.push({ code: s.finding.code, claims: claimsOf(s.finding.fix?.edits ?? []) });
      }
      for (const c of resolution.choices) {
        choices.push(c);
        for (const f of c.findings) held.push({ code: f.code, claims: claimsOf(f.fix?.edits ?? []) });
      }
      const byFile = new Map<string, Finding[]>();
      for (const f of resolution.apply) for (const e of f.fix?.edits ?? []) byFile.set(e.file, [...(byFile.get(e.file) ?? []), f]);
      let changed = false;
      for (const [file, list] of byFile) {
        const plan = plans.get(file) ?? (await this.planFor(file, prep.inputs, plans));
        const currentSha = sha256(plan.final);
        const unique = [...new Set(list)];
        const fresh = unique.filter((f) => (f.fix?.edits ?? []).every((e) => e.file !== file || !e.expectSha256 || e.expectSha256 === currentSha));
        for (const f of unique.filter((x) => !fresh.includes(x))) {
          if (pass === 1) plan.refused.push({ finding: f, reason: `${displayPath(file)} changed since it was read` });
        }
        const outcome = applyToText(file, plan.final, fresh);
        plan.applied.push(...outcome.applied);
        // A refusal only counts once: later passes see the same finding again.
        for (const r of outcome.refused)
          if (!plan.refused.some((x) => x.finding.code === r.finding.code && x.finding.message === r.finding.message)) plan.refused.push(r);
        if (outcome.after !== plan.final) {
          plan.final = outcome.after;
          changed = true;
        }
      }
      if (!changed) break;
      const overlay = new Map([...plans.values()].map((p) => [p.file, p.final]));
      const next = await executeRun(prep, { redactor: this.redactor, progress: false, overlay });
      findings = next.checks.flatMap((c) => c.findings);
    }

    const files = [...plans.values()].filter((p) => p.final !== p.original || p.refused.length);
    // Manual steps and advice come from the last judgement: a finding a later pass fixed is neither.
    const manual = findings.filter((f) => inScope(f) && !f.fix?.edits.length && (f.fix?.steps.length || f.fix?.summary));
    const optional = await this.optionalFixes(
      findings.filter((f) => inScope(f) && f.fix?.edits.length && !automatic(f) && !heldAgain(f)),
      plans,
    );
    const restarts = restartSteps(files);
    const count = new Set(files.flatMap((p) => p.applied.map((a) => a.finding))).size;
    const changedFiles = files.filter((p) => p.final !== p.original);
    const result = (apply: boolean, restart: RestartStep[]) => this.jsonResult({ files, manual, optional, superseded, choices, restart, apply });

    if (!flags.apply) {
      this.printPreview(files, optional, superseded);
      this.printSteps(manual, choices, restarts, false);
      if (!this.jsonEnabled()) {
        this.log(
          count
            ? `\n${count} fix${count > 1 ? 'es' : ''} in ${changedFiles.length} file(s) can be applied: run again with --apply.`
            : choices.length
              ? '\nNothing to apply automatically: the fixes that disagree wait for your choice (see the manual steps).'
              : '\nNothing to apply: no finding has an automatic fix that is not applied yet.',
        );
      }
      return this.redactor.value(result(false, restarts));
    }
    if (count === 0) {
      if (!this.jsonEnabled()) {
        const waiting = choices.reduce((n, c) => n + c.findings.length, 0);
        this.log(
          waiting
            ? `Nothing to change automatically: the fixes of ${waiting} finding(s) disagree and wait for your choice (see the manual steps).`
            : 'Nothing to change: every automatic fix is already applied.',
        );
        this.printPreview(files, optional, superseded, false);
      }
      this.printSteps(manual, choices, [], true);
      return this.redactor.value(result(true, []));
    }
    this.printPreview(files, optional, superseded);
    if (!flags.yes) {
      if (!process.stdin.isTTY || this.jsonEnabled()) throw new InputError('--apply without a terminal needs --yes (nothing was written)');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      const answer = await rl.question(`Apply ${count} fix(es) to ${changedFiles.length} file(s)? [y/N] `);
      rl.close();
      if (!/^y(es)?$/i.test(answer.trim())) {
        this.log('Nothing was written.');
        return this.redactor.value(result(false, restarts));
      }
    }
    const written: Record<string, { backup: string }> = {};
    let failed = 0;
    for (const p of changedFiles) {
      try {
        const { backup, removedTemps } = await writeFileSafely(p.file, p.final, { expectSha256: p.originalSha, backupDir: flags['backup-dir'] });
        written[p.file] = { backup };
        if (!this.jsonEnabled()) {
          for (const t of removedTemps) this.log(`removed ${displayPath(t)}, left behind by an interrupted matrixdoc run`);
          this.log(`wrote ${displayPath(p.file)} (backup: ${displayPath(backup)})`);
        }
      } catch (error) {
        failed++;
        this.stderrLine(this.redactor.text(`matrixdoc: error: ${error instanceof FixError ? error.message : (error as Error).message}`));
      }
    }
    // Before and after, judged again from disk.
    const after = (await executeRun(prep, { redactor: this.redactor, progress: false })).checks.flatMap((c) => c.findings);
    const key = (f: Finding) => `${f.code}|${f.location?.file ?? ''}|${f.message}`;
    const remaining = new Set(after.map(key));
    const appliedWritten = [...new Set(changedFiles.filter((p) => written[p.file]).flatMap((p) => p.applied.map((a) => a.finding)))];
    const fixed = appliedWritten.filter((f) => !remaining.has(key(f)));
    const stillThere = appliedWritten.filter((f) => remaining.has(key(f)));
    const restartWritten = restartSteps(changedFiles.filter((p) => written[p.file]));
    if (!this.jsonEnabled()) {
      this.log(`\nBefore: ${before.length} finding(s). After: ${after.length}. Fixed: ${fixed.length}.`);
      for (const f of fixed) this.log(this.redactor.text(`  fixed ${f.code} ${f.message}`));
      for (const f of stillThere) this.log(this.redactor.text(`  applied, but still reported: ${f.code} ${f.message}`));
      for (const s of superseded) this.log(this.redactor.text(`  not applied: ${s.finding.code} (superseded by ${s.by.code}) ${s.finding.message}`));
      for (const c of choices) for (const f of c.findings) this.log(this.redactor.text(`  not applied: ${f.code} (conflicts; your choice) ${f.message}`));
      for (const o of optional)
        this.log(this.redactor.text(`  not applied: ${o.finding.code} (advice; --only ${o.finding.code} applies it) ${o.finding.message}`));
      this.log('');
    }
    this.printSteps(manual, choices, restartWritten, true);
    if (failed) process.exitCode = 2;
    return this.redactor.value({
      ...result(true, restartWritten),
      written,
      before: before.length,
      after: after.length,
      fixed: fixed.map((f) => f.code),
      stillReported: stillThere.map((f) => f.code),
    });
  }

  private async planFor(file: string, inputs: Parameters<typeof roleOf>[0], plans: Map<string, FilePlan>): Promise<FilePlan> {
    const read = await readTextFile(file, 'fix');
    const plan: FilePlan = { file, role: roleOf(inputs, file), original: read.text, originalSha: read.sha256, final: read.text, applied: [], refused: [] };
    plans.set(file, plan);
    return plan;
  }

  /** Each advice fix as it would apply on top of the planned edits, when asked for with --only. */
  private async optionalFixes(list: Finding[], plans: Map<string, FilePlan>): Promise<OptionalFix[]> {
    const out: OptionalFix[] = [];
    for (const finding of list) {
      const diffs: OptionalFix['diffs'] = [];
      const refused: string[] = [];
      for (const file of [...new Set((finding.fix?.edits ?? []).map((e) => e.file))]) {
        const planned = plans.get(file);
        const base: string = planned ? planned.final : (await readTextFile(file, 'fix')).text;
        const outcome = applyToText(file, base, [finding]);
        for (const r of outcome.refused) refused.push(r.reason);
        const diff = unifiedDiff(displayPath(file), base, outcome.after);
        if (diff) diffs.push({ file, diff });
      }
      out.push({ finding, diffs, refused });
    }
    return out;
  }

  private printPreview(files: FilePlan[], optional: OptionalFix[], superseded: Superseded[], sayEmpty = true): void {
    if (this.jsonEnabled()) return;
    if (files.length === 0 && sayEmpty) this.log('No file edits.');
    for (const p of files) {
      const diff = unifiedDiff(displayPath(p.file), p.original, p.final);
      if (diff) this.log(this.redactor.text(diff));
      for (const a of p.applied) this.log(this.redactor.text(`  ${a.finding.code} ${a.finding.fix?.summary ?? a.finding.message}`));
      for (const r of p.refused) this.log(this.redactor.text(`  not applied: ${r.finding.code} (${r.reason})`));
      this.log('');
    }
    if (superseded.length) {
      this.log('Not applied: superseded by the fix of a more severe finding that sets the same thing:');
      for (const s of superseded) {
        this.log(
          this.redactor.text(
            `  ${s.finding.code} ${s.finding.fix?.summary ?? s.finding.message}\n    ${clashText(s.clash)}: ${s.by.code} (${s.by.severity}) sets ${s.clash.values[0]}, ${s.finding.code} (${s.finding.severity}) would set ${s.clash.values[1]}`,
          ),
        );
      }
      this.log('');
    }
    if (optional.length) {
      this.log('Not applied by default: advice, for you to decide (apply one with --apply --only CODE):');
      for (const o of optional) {
        this.log(this.redactor.text(`  ${o.finding.code} ${o.finding.fix?.summary ?? o.finding.message}`));
        for (const d of o.diffs) this.log(this.redactor.text(d.diff.replace(/^/gm, '    ').replace(/ +$/gm, '')));
        for (const r of o.refused) this.log(this.redactor.text(`    (could not be applied: ${r})`));
      }
      this.log('');
    }
  }

  /** The numbered manual steps: findings with no automatic fix, choices between fixes, then restarts. */
  private printSteps(manual: Finding[], choices: Choice[], restarts: RestartStep[], applied: boolean): void {
    if (this.jsonEnabled() || manual.length + choices.length + restarts.length === 0) return;
    this.log('Manual steps (matrixdoc cannot do these for you):');
    let n = 0;
    for (const f of manual) {
      this.log(this.redactor.text(`${++n}. ${f.code} ${f.fix?.summary ?? f.message}`));
      for (const s of f.fix?.steps ?? []) this.log(this.redactor.text(s.replace(/^/gm, '     ')));
    }
    for (const c of choices) {
      const list = [...new Set(c.findings.map((f) => f.code))];
      this.log(this.redactor.text(`${++n}. Choose between ${list.join(' and ')}: their fixes disagree, so neither was applied.`));
      for (const x of c.clashes) this.log(this.redactor.text(`     ${clashText(x)}: ${x.values[0]} or ${x.values[1]}`));
      for (const f of c.findings) this.log(this.redactor.text(`     ${f.code} (${f.severity}): ${f.fix?.summary ?? f.message}`));
      this.log(`     matrixdoc fix ... --apply --only ${list[0]}   # or --only ${list.slice(1).join(' / --only ')}`);
    }
    for (const r of restarts) {
      this.log(this.redactor.text(`${++n}. ${applied ? '' : 'After --apply: '}${r.step} (${r.codes.join(', ')}).`));
      for (const c of r.commands) this.log(`     ${c}`);
    }
  }

  private jsonResult(o: {
    files: FilePlan[];
    manual: Finding[];
    optional: OptionalFix[];
    superseded: Superseded[];
    choices: Choice[];
    restart: RestartStep[];
    apply: boolean;
  }) {
    return {
      schemaVersion: 1,
      apply: o.apply,
      files: o.files.map((p) => ({
        file: p.file,
        role: p.role,
        diff: unifiedDiff(p.file, p.original, p.final),
        applied: p.applied.map((a) => ({ code: a.finding.code, message: a.finding.message, edits: a.edits.length })),
        refused: p.refused.map((r) => ({ code: r.finding.code, reason: r.reason })),
      })),
      optional: o.optional.map((x) => ({
        code: x.finding.code,
        severity: x.finding.severity,
        message: x.finding.message,
        summary: x.finding.fix?.summary ?? '',
        diffs: x.diffs,
      })),
      superseded: o.superseded.map((s) => ({ code: s.finding.code, message: s.finding.message, by: s.by.code, ...s.clash })),
      choices: o.choices.map((c) => ({
        codes: [...new Set(c.findings.map((f) => f.code))],
        findings: c.findings.map((f) => ({ code: f.code, message: f.message })),
        clashes: c.clashes,
      })),
      manual: o.manual.map((f) => ({ code: f.code, message: f.message, summary: f.fix?.summary ?? '', steps: f.fix?.steps ?? [] })),
      restart: o.restart,
    };
  }
}
