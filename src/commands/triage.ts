import { Args, Flags } from '@oclif/core';
import { builtinChecks } from '../../checks/index.js';
import { BaseCommand } from '../cli/base-command.js';
import { executeRun, prepareRun } from '../cli/run-checks.js';
import { targetFlags } from '../cli/target-flags.js';
import { loadPluginContributions } from '../engine/plugins.js';
import type { CheckResult } from '../engine/types.js';
import { Redactor } from '../report/redact.js';
import { MAX_TRIAGE_BYTES, readTriageInput } from '../triage/input.js';
import { type CauseWithVerdict, renderTriage } from '../triage/render.js';
import { RULES } from '../triage/rules.js';
import { checksOf, TRIAGE_SCHEMA_VERSION, triageText, verdictFor } from '../triage/triage.js';

export default class Triage extends BaseCommand {
  static override summary = 'Name the likely causes in a ticket, chat message, browser console or log, with the checks that confirm them and their docs.';

  static override description = `Recognises the messages users and servers write when a known problem happens ("Syncing forever",
M_LIMIT_EXCEEDED, "You have been disconnected", PyYAML's tab error, 413, federation 401s, ICE failures, LDAP
and PostgreSQL errors...), in English or Chinese, and ranks their likely causes: each with the lines it
matched (secrets redacted), the check ids that confirm it, its finding codes and docs pages. Reads FILE,
or stdin when FILE is - or absent (at most ${MAX_TRIAGE_BYTES / 1024 / 1024} MiB; gzip and UTF-16 are read too).
With --run, runs those checks against the deployment (--profile and the target flags of check) and gives a
verdict per cause: confirmed, ruled out, or could not test.
Exit codes: 0 (1 with --run when a cause is confirmed), 2 when it cannot do its job. See docs/triage.md.`;

  static override examples = [
    '<%= config.bin %> triage ticket.txt',
    'journalctl -u matrix-synapse --since -1h | <%= config.bin %> triage -',
    '<%= config.bin %> triage ticket.txt --json',
    '<%= config.bin %> triage ticket.txt --run --profile matrixdoc.yaml --offline',
  ];

  static override enableJsonFlag = true;

  static override args = {
    file: Args.string({ description: 'The text to read (a file), or - for stdin (the default).', required: false, ignoreStdin: true }),
  };

  static override flags = {
    ...targetFlags,
    run: Flags.boolean({ description: 'Run the checks of the suspected causes against the deployment and give a verdict per cause.' }),
  };

  private redactor = new Redactor();

  protected override redactError(text: string): string {
    return this.redactor.text(text);
  }

  async run(): Promise<Record<string, unknown>> {
    const { args, flags } = await this.parse(Triage);
    if ((args.file === undefined || args.file === '-') && process.stdin.isTTY && !this.jsonEnabled()) {
      this.stderrLine('matrixdoc: reading the text from the terminal; end it with Ctrl-D (or give a file: matrixdoc triage ticket.txt)');
    }
    const input = await readTriageInput(args.file);
    const result = triageText(input.text, { redactor: this.redactor });
    const causes: CauseWithVerdict[] = result.causes;
    let run: Record<string, unknown> | undefined;

    if (flags.run && causes.length) {
      const plugins = await loadPluginContributions(this.config);
      const available = new Set([...builtinChecks, ...plugins.checks].map((c) => c.id));
      const wanted = checksOf(causes).filter((id) => available.has(id));
      const results = new Map<string, CheckResult>();
      const offlineChecks = new Set<string>();
      if (wanted.length) {
        const prep = await prepareRun(this.config, { ...flags, only: wanted });
        const output = await executeRun(prep, { redactor: this.redactor, progress: !this.jsonEnabled() && Boolean(process.stderr.isTTY) });
        if (flags.debug) for (const s of output.stacks) this.stderrLine(this.redactor.text(s));
        for (const c of output.checks) results.set(c.id, c);
        // Checks that ran without their network probes: a "ruled out" says their live part was not tried.
        const skippedOffline = (id: string) => {
          const r = output.probes[id];
          return r?.status === 'skipped' && r.reason.startsWith('--offline');
        };
        for (const c of prep.checks) if ([...c.requires, ...(c.uses ?? [])].some(skippedOffline)) offlineChecks.add(c.id);
        run = {
          offline: prep.inputs.offline,
          checks: output.checks.map((c) => ({ id: c.id, status: c.status, ...(c.reason ? { reason: c.reason } : {}) })),
        };
      } else {
        run = { offline: Boolean(flags.offline), checks: [] };
      }
      for (const c of causes)
        c.verdict = verdictFor({ ...c, notConfirmedBy: RULES.find((r) => r.id === c.id)?.notConfirmedBy }, results, available, offlineChecks);
      if (causes.some((c) => c.verdict?.status === 'confirmed')) process.exitCode = 1;
    }

    const json = this.redactor.value({
      schemaVersion: TRIAGE_SCHEMA_VERSION,
      input: { name: input.name, bytes: input.bytes, lines: result.lines },
      causes,
      unrecognised: result.unrecognised,
      ...(run ? { run } : {}),
    });
    if (!this.jsonEnabled()) {
      this.log(this.redactor.text(renderTriage({ ...result, causes: json.causes }, { name: input.name, ran: Boolean(flags.run) })));
    }
    return json;
  }
}
