import { Flags } from '@oclif/core';
import { builtinChecks } from '../../checks/index.js';
import { BaseCommand } from '../cli/base-command.js';
import { discoveredInputs, inputsFromFlags, netClientFor, targetFlags } from '../cli/target-flags.js';
import { InputError } from '../engine/errors.js';
import { loadPluginContributions } from '../engine/plugins.js';
import { runEngine } from '../engine/run.js';
import { selectChecks } from '../engine/select.js';
import type { Report } from '../engine/types.js';
import { catalogFor, LOCALES, normaliseLocale } from '../i18n/index.js';
import { probeRegistry } from '../probes/index.js';
import { loadCapture, saveCapture } from '../report/capture.js';
import { renderHuman } from '../report/human.js';
import { createProgress } from '../report/progress.js';
import { Redactor } from '../report/redact.js';
import { buildReport, describeInputs, exitCodeFor } from '../report/report.js';

export default class Check extends BaseCommand {
  static override summary = 'Diagnose a Matrix/Jitsi deployment: probe it, read its config files, report every problem with evidence and a fix.';

  static override description = `Runs every check (or those named with --only) against the deployment described by the flags or a profile.
Exit codes: 0 no failures (warnings allowed; --strict makes them count), 1 at least one failure, 2 matrixdoc could not do its job.`;

  static override examples = [
    '<%= config.bin %> check --offline --profile fixtures/seed/matrixdoc.yaml',
    '<%= config.bin %> check --server-name example.com --homeserver-config /etc/matrix-synapse/homeserver.yaml --nginx-config /etc/nginx/sites-enabled',
    '<%= config.bin %> check --profile matrixdoc.yaml --json > report.json',
  ];

  static override enableJsonFlag = true;

  static override flags = {
    ...targetFlags,
    only: Flags.string({ description: 'Run only these check ids (comma-separated or repeated).', multiple: true, helpGroup: 'SELECTION' }),
    skip: Flags.string({ description: 'Skip these check ids (comma-separated or repeated).', multiple: true, helpGroup: 'SELECTION' }),
    discover: Flags.boolean({
      description: 'Find the deployment files in the usual places first, as `matrixdoc init` does; flags and --profile win.',
      helpGroup: 'TARGET',
    }),
    strict: Flags.boolean({ description: 'Warnings count as failures for the exit code.' }),
    verbose: Flags.boolean({ char: 'v', description: 'Also show informational notes and timings.' }),
    lang: Flags.string({
      description: 'Language of finding messages: en or zh-Hans (default: from MATRIXDOC_LANG or LANG, else en).',
      env: 'MATRIXDOC_LANG',
    }),
    concurrency: Flags.integer({ description: 'How many probes may run at once.', default: 8, min: 1, max: 64 }),
    'save-probes': Flags.string({ description: 'Write every probe result (secrets redacted) to this folder, for replay with --from-probes.' }),
    'from-probes': Flags.string({ description: 'Re-run the checks on a capture written by --save-probes, with no I/O at all.', exclusive: ['save-probes'] }),
    'test-user': Flags.string({
      description: 'A test account (user ID or localpart): public-baseurl logs in with it to read login\'s well_known, then always logs out.',
      helpGroup: 'TARGET',
    }),
    'test-password': Flags.string({
      description: "The test account's password (better: the MATRIXDOC_TEST_PASSWORD environment variable). Never shown in any output.",
      env: 'MATRIXDOC_TEST_PASSWORD',
      helpGroup: 'TARGET',
    }),
  };

  private redactor = new Redactor();

  protected override redactError(text: string): string {
    return this.redactor.text(text);
  }

  async run(): Promise<Report> {
    const { flags } = await this.parse(Check);
    const started = new Date();
    const t0 = performance.now();
    const capture = flags['from-probes'] ? await loadCapture(flags['from-probes']) : undefined;
    const discovered = flags.discover && !capture ? await discoveredInputs() : {};
    if (flags['test-password']) this.redactor.add(flags['test-password']);
    const inputs = await inputsFromFlags(capture ? { ...flags, offline: true } : flags, discovered);
    if (flags['test-user']) inputs.testUser = flags['test-user'];
    if (flags['test-password']) inputs.testPassword = flags['test-password'];
    const net = await netClientFor(inputs);
    const plugins = await loadPluginContributions(this.config);
    const allChecks = [...builtinChecks, ...plugins.checks];
    const duplicates = allChecks.map((c) => c.id).filter((id, i, ids) => ids.indexOf(id) !== i);
    if (duplicates.length) throw new InputError(`two checks share the id '${duplicates[0]}' (from plugin ${plugins.sources.get(duplicates[0]) ?? '?'})`);
    const checks = selectChecks(allChecks, flags.only ?? [], flags.skip ?? []);
    const registry = probeRegistry(plugins.probes);
    const lang = flags.lang ? normaliseLocale(flags.lang) : (normaliseLocale(process.env.LANG) ?? 'en');
    if (!lang) throw new InputError(`--lang: '${flags.lang}' is not a supported language (${LOCALES.join(', ')})`);

    const progress = createProgress(checks, { enabled: !this.jsonEnabled(), tty: Boolean(process.stderr.isTTY) });
    const controller = new AbortController();
    const onSigint = () => controller.abort(new Error('interrupted'));
    process.once('SIGINT', onSigint);
    let output: Awaited<ReturnType<typeof runEngine>>;
    try {
      output = await runEngine(checks, registry, {
        inputs,
        net,
        redactor: this.redactor,
        concurrency: flags.concurrency,
        signal: controller.signal,
        replay: capture?.results,
        onCheckDone: (r) => progress.checkDone(r),
        catalog: catalogFor(lang),
      });
    } finally {
      process.off('SIGINT', onSigint);
      await progress.finish();
    }
    if (flags.debug) for (const s of output.stacks) this.stderrLine(this.redactor.text(s));

    if (flags['save-probes']) {
      const file = await saveCapture(flags['save-probes'], {
        version: this.config.version,
        target: { serverName: inputs.serverName, inputs: describeInputs(inputs), offline: inputs.offline },
        results: output.probes,
        redactor: this.redactor,
      });
      if (!this.jsonEnabled()) this.stderrLine(`probe results saved to ${file}`);
    }

    const report = this.redactor.value(
      buildReport({ version: this.config.version, startedAt: started, durationMs: performance.now() - t0, inputs, output, replayedFrom: flags['from-probes'] }),
    );
    if (!this.jsonEnabled()) {
      this.log(this.redactor.text(renderHuman(report, { verbose: flags.verbose, color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR })));
      const broken = report.checks.filter((c) => c.status === 'error');
      for (const c of broken) this.stderrLine(this.redactor.text(`matrixdoc: error: ${c.id}: ${c.reason}`));
    }
    process.exitCode = exitCodeFor(report, flags.strict);
    return report;
  }
}
