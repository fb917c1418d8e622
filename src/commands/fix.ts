import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { executeRun, type FileRole, prepareRun, roleOf } from '../cli/run-checks.js';
import { targetFlags } from '../cli/target-flags.js';
import { InputError } from '../engine/errors.js';
import type { Finding } from '../engine/types.js';
import { type AppliedFix, applyToText, type RefusedFix } from '../fix/apply.js';
import { unifiedDiff } from '../fix/diff.js';
import { FixError } from '../fix/errors.js';
import { writeFileSafely } from '../fix/write.js';
import { readTextFile } from '../probes/files.js';
import { displayPath } from '../report/human.js';
import { Redactor } from '../report/redact.js';

const MAX_PASSES = 5;
const CODE = /^MXD-[A-Z]{2,5}-\d{3}$/i;

const RELOAD: Record<FileRole, string> = {
  synapse: 'Restart Synapse for homeserver.yaml changes: systemctl restart matrix-synapse (Debian package) or synctl restart (in its virtualenv).',
  element:
    'Element reads config.json when the page loads: reload Element in the browser (users who are logged in may need to log out and in for homeserver changes).',
  nginx: 'Check and reload nginx: nginx -t && systemctl reload nginx (or nginx -s reload).',
  jitsi: "Recreate Jitsi's containers so they read the .env again: docker compose up -d --force-recreate (in the docker-jitsi-meet folder).",
  other: 'Restart or reload the service that reads this file.',
};

interface FilePlan {
  file: string;
  role: FileRole;
  original: string;
  originalSha: string;
  final: string;
  applied: AppliedFix[];
  refused: RefusedFix[];
}

const sha256 = (text: string) => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');

export default class Fix extends BaseCommand {
  static override summary = 'Preview the automatic fixes as diffs, list the manual ones; --apply writes the file edits safely.';

  static override description = `Runs the same checks as \`matrixdoc check\` and gathers their fixes. File edits (homeserver.yaml, Element's
config.json, docker-jitsi-meet's .env, nginx files) are shown as unified diffs; everything else (DNS records,
firewall ports, certificates, SQL, restarts) is listed as numbered manual steps. Nothing is written unless
--apply is given. Before writing, each file must still be what was read; a timestamped backup is kept; the
write is atomic and keeps the file's mode and owner. See docs/fixes.md.`;

  static override examples = [
    '<%= config.bin %> fix --profile matrixdoc.yaml --offline',
    '<%= config.bin %> fix --profile matrixdoc.yaml --offline --apply',
    '<%= config.bin %> fix --profile matrixdoc.yaml --apply --yes --only MXD-HS-007',
  ];

  static override enableJsonFlag = true;

  static override flags = {
    ...targetFlags,
    only: Flags.string({ description: 'Only these finding codes (MXD-HS-007) or check ids (comma-separated or repeated).', multiple: true }),
    apply: Flags.boolean({ description: 'Write the file edits (asks first on a terminal; --yes skips the question).' }),
    yes: Flags.boolean({ char: 'y', description: 'Do not ask before writing (needed with --apply when there is no terminal).' }),
    'backup-dir': Flags.string({ description: 'Put the backups here instead of next to each file.' }),
    lang: Flags.string({ description: 'Language of finding messages: en or zh-Hans.', env: 'MATRIXDOC_LANG' }),
  };

  private redactor = new Redactor();

  protected override redactError(text: string): string {
    return this.redactor.text(text);
  }

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Fix);
    const only = (flags.only ?? [])
      .flatMap((v) => v.split(','))
      .map((s) => s.trim())
      .filter(Boolean);
    const codes = new Set(only.filter((o) => CODE.test(o)).map((c) => c.toUpperCase()));
    const checkIds = only.filter((o) => !CODE.test(o));
    const prep = await prepareRun(this.config, { ...flags, only: checkIds });
    const wanted = (f: Finding) => (codes.size === 0 || codes.has(f.code)) && Boolean(f.fix?.edits.length);

    // Pass 1 judges the files on disk; each later pass judges the fixed texts in memory, so that fixes
    // that only become possible after others (ESLint's multi-pass) are found before anything is written.
    const first = await executeRun(prep, { redactor: this.redactor, progress: !this.jsonEnabled() });
    const before = first.checks.flatMap((c) => c.findings);
    const plans = new Map<string, FilePlan>();
    let findings = before;
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      const byFile = new Map<string, Finding[]>();
      for (const f of findings.filter(wanted)) for (const e of f.fix?.edits ?? []) byFile.set(e.file, [...(byFile.get(e.file) ?? []), f]);
      let changed = false;
      for (const [file, list] of byFile) {
        let plan = plans.get(file);
        if (!plan) {
          const read = await readTextFile(file, 'fix');
          plan = { file, role: roleOf(prep.inputs, file), original: read.text, originalSha: read.sha256, final: read.text, applied: [], refused: [] };
          plans.set(file, plan);
        }
        const currentSha = sha256(plan.final);
        const fresh = [...new Set(list)].filter((f) => (f.fix?.edits ?? []).every((e) => e.file !== file || !e.expectSha256 || e.expectSha256 === currentSha));
        const stale = [...new Set(list)].filter((f) => !fresh.includes(f));
        for (const f of stale) if (pass === 1) plan.refused.push({ finding: f, reason: `${displayPath(file)} changed since it was read` });
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
    // Manual steps come from the last judgement: a finding a later pass fixed automatically is not one.
    const manual = findings.filter((f) => (codes.size === 0 || codes.has(f.code)) && !f.fix?.edits.length && (f.fix?.steps.length || f.fix?.summary));
    const edits = files.reduce((n, p) => n + p.applied.length, 0);

    if (!flags.apply) {
      this.printPreview(files, manual);
      if (!this.jsonEnabled()) {
        this.log(
          edits
            ? `\n${edits} fix${edits > 1 ? 'es' : ''} in ${files.filter((p) => p.final !== p.original).length} file(s) can be applied: run again with --apply.`
            : '\nNothing to apply: no finding has an automatic fix that is not applied yet.',
        );
      }
      return this.redactor.value(this.jsonResult(files, manual, false));
    }
    if (edits === 0) {
      if (!this.jsonEnabled()) this.log('Nothing to change: every automatic fix is already applied.');
      this.printManual(manual);
      return this.redactor.value(this.jsonResult(files, manual, true));
    }
    this.printPreview(files, []);
    if (!flags.yes) {
      if (!process.stdin.isTTY || this.jsonEnabled()) throw new InputError('--apply without a terminal needs --yes (nothing was written)');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      const answer = await rl.question(`Apply ${edits} fix(es) to ${files.length} file(s)? [y/N] `);
      rl.close();
      if (!/^y(es)?$/i.test(answer.trim())) {
        this.log('Nothing was written.');
        return this.redactor.value(this.jsonResult(files, manual, false));
      }
    }
    const written: Record<string, { backup: string }> = {};
    let failed = 0;
    for (const p of files.filter((x) => x.final !== x.original)) {
      try {
        const { backup } = await writeFileSafely(p.file, p.final, { expectSha256: p.originalSha, backupDir: flags['backup-dir'] });
        written[p.file] = { backup };
        if (!this.jsonEnabled()) this.log(`wrote ${displayPath(p.file)} (backup: ${displayPath(backup)})`);
      } catch (error) {
        failed++;
        this.stderrLine(this.redactor.text(`matrixdoc: error: ${error instanceof FixError ? error.message : (error as Error).message}`));
      }
    }
    // Before and after, judged again from disk.
    const after = (await executeRun(prep, { redactor: this.redactor, progress: false })).checks.flatMap((c) => c.findings);
    const key = (f: Finding) => `${f.code}|${f.location?.file ?? ''}|${f.message}`;
    const remaining = new Set(after.map(key));
    const fixed = files.flatMap((p) => p.applied).filter((a) => !remaining.has(key(a.finding)));
    if (!this.jsonEnabled()) {
      this.log(`\nBefore: ${before.length} finding(s). After: ${after.length}. Fixed: ${fixed.length}.`);
      for (const a of fixed) this.log(`  fixed ${a.finding.code} ${this.redactor.text(a.finding.message)}`);
      const roles = [...new Set(files.filter((p) => written[p.file]).map((p) => p.role))];
      if (roles.length) {
        this.log('\nFor the changes to take effect:');
        for (const r of roles) this.log(`  - ${RELOAD[r]}`);
      }
      this.printManual(manual);
    }
    if (failed) process.exitCode = 2;
    return this.redactor.value({
      ...this.jsonResult(files, manual, true),
      written,
      before: before.length,
      after: after.length,
      fixed: fixed.map((a) => a.finding.code),
    });
  }

  private printPreview(files: FilePlan[], manual: Finding[]): void {
    if (this.jsonEnabled()) return;
    if (files.length === 0) this.log('No file edits.');
    for (const p of files) {
      const diff = unifiedDiff(displayPath(p.file), p.original, p.final);
      if (diff) this.log(this.redactor.text(diff));
      for (const a of p.applied) this.log(this.redactor.text(`  ${a.finding.code} ${a.finding.fix?.summary ?? a.finding.message}`));
      for (const r of p.refused) this.log(this.redactor.text(`  not applied: ${r.finding.code} (${r.reason})`));
      this.log('');
    }
    this.printManual(manual);
  }

  private printManual(manual: Finding[]): void {
    if (this.jsonEnabled() || manual.length === 0) return;
    this.log('Manual steps (matrixdoc cannot do these for you):');
    manual.forEach((f, i) => {
      this.log(this.redactor.text(`${i + 1}. ${f.code} ${f.fix?.summary ?? f.message}`));
      for (const s of f.fix?.steps ?? []) this.log(this.redactor.text(s.replace(/^/gm, '     ')));
    });
  }

  private jsonResult(files: FilePlan[], manual: Finding[], apply: boolean) {
    return {
      schemaVersion: 1,
      apply,
      files: files.map((p) => ({
        file: p.file,
        role: p.role,
        diff: unifiedDiff(p.file, p.original, p.final),
        applied: p.applied.map((a) => ({ code: a.finding.code, message: a.finding.message, edits: a.edits.length })),
        refused: p.refused.map((r) => ({ code: r.finding.code, reason: r.reason })),
      })),
      manual: manual.map((f) => ({ code: f.code, message: f.message, summary: f.fix?.summary ?? '', steps: f.fix?.steps ?? [] })),
    };
  }
}
