import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Flags, type Interfaces } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { executeRun, prepareRun } from '../cli/run-checks.js';
import { probeFlags, targetFlags } from '../cli/target-flags.js';
import { InputError } from '../engine/errors.js';
import { decodeText, parseDuration } from '../engine/inputs.js';
import { loadPluginContributions } from '../engine/plugins.js';
import type { Report } from '../engine/types.js';
import type { Locale } from '../i18n/index.js';
import { fsReason, readRegularFileSync } from '../probes/files.js';
import { writeFileAtomic } from '../report/bundle.js';
import { loadCapture, saveCapture } from '../report/capture.js';
import {
  FORMATS,
  type Format,
  type JunitSuite,
  junitDocument,
  junitErrorSuite,
  junitSuite,
  type NagiosFleetEntry,
  nagiosState,
  nagiosSummary,
  renderJunit,
  renderNagios,
  renderNagiosFleet,
  renderPrometheus,
} from '../report/formats.js';
import { renderHuman } from '../report/human.js';
import { Redactor } from '../report/redact.js';
import { buildReport, describeInputs, errorLines, exitCodeFor } from '../report/report.js';

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
    format: Flags.option({ description: 'Output format (json is the same as --json).', options: FORMATS, default: 'text' })(),
    output: Flags.string({ char: 'o', description: 'Write the output to this file (atomically) instead of stdout.' }),
    targets: Flags.string({ description: 'Check many deployments: a file with one profile path or server name per line (# comments).' }),
    deadline: Flags.string({ description: 'Time limit for the whole run (each probe still has --timeout).', default: '2m' }),
    ...probeFlags,
  };

  private redactor = new Redactor();

  protected override redactError(text: string): string {
    return this.redactor.text(text);
  }

  async run(): Promise<Report | undefined> {
    const { flags } = await this.parse(Check);
    const format: Format = this.jsonEnabled() ? 'json' : flags.format;
    const deadlineMs = parseDuration(flags.deadline, '--deadline');
    if (flags.targets) {
      if (flags['from-probes'] || flags['save-probes']) throw new InputError('--targets cannot be combined with --from-probes or --save-probes');
      // Each line of the file names a deployment: a --profile or --server-name beside it would be silently replaced.
      if (flags.profile || flags['server-name']) throw new InputError('--targets names the deployments; it cannot be combined with --profile or --server-name');
      await this.runFleet(flags, format, deadlineMs);
      return undefined;
    }
    const started = new Date();
    const t0 = performance.now();
    const capture = flags['from-probes'] ? await loadCapture(flags['from-probes']) : undefined;
    const prep = await prepareRun(this.config, flags, { replay: capture?.results, redactor: this.redactor });
    // Live progress is for people: on stderr, and only with the human format.
    const output = await executeRun(prep, { redactor: this.redactor, progress: format === 'text', deadlineMs });
    if (flags.debug) for (const s of output.stacks) this.stderrLine(this.redactor.text(s));

    if (flags['save-probes']) {
      const file = await saveCapture(flags['save-probes'], {
        version: this.config.version,
        target: { serverName: prep.inputs.serverName, inputs: describeInputs(prep.inputs), offline: prep.inputs.offline },
        results: output.probes,
        redactor: this.redactor,
      });
      if (!this.jsonEnabled()) this.stderrLine(`probe results saved to ${file}`);
    }

    const report = this.redactor.value(
      buildReport({
        version: this.config.version,
        startedAt: started,
        durationMs: performance.now() - t0,
        inputs: prep.inputs,
        output,
        replayedFrom: flags['from-probes'],
      }),
    );
    process.exitCode = exitCodeFor(report, flags.strict);
    if (format === 'nagios') process.exitCode = nagiosState(report);
    if (format === 'text' && !flags.output) {
      this.log(
        this.redactor.text(renderHuman(report, { verbose: flags.verbose, color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR, locale: prep.locale })),
      );
      for (const line of errorLines(report)) this.stderrLine(this.redactor.text(`matrixdoc: error: ${line}`));
      return report;
    }
    if (this.jsonEnabled() && !flags.output) return report; // oclif prints it
    const text = this.redactor.text(render(report, format, flags, prep.locale));
    if (flags.output) {
      // Only this line: the report is in the file (returning it would make oclif print it again with --json).
      await writeOutput(flags.output, text);
      this.stderrLine(`report written to ${flags.output}`);
    } else {
      process.stdout.write(text);
    }
    return undefined;
  }

  /**
   * Many deployments at once: bounded concurrency, one report per target as it finishes (NDJSON, text,
   * Prometheus samples), a summary at the end. JUnit and Nagios are one document for the whole fleet (one
   * <testsuites> with a <testsuite> per target; one status line for the worst state), so they are written
   * once every target is done.
   */
  private async runFleet(flags: Interfaces.InferredFlags<typeof Check.flags>, format: Format, deadlineMs: number): Promise<void> {
    const targets = readTargets(flags.targets as string);
    const plugins = await loadPluginContributions(this.config);
    const limit = Math.max(1, flags.concurrency);
    const t0Fleet = performance.now();
    // Only what the summary needs is kept: the reports themselves are streamed out as they finish (for
    // JUnit and Nagios, only each target's rendered suite or status).
    const results: { target: string; exit: 0 | 1 | 2; failed: boolean; error?: string }[] = [];
    const suites: JunitSuite[] = [];
    const states: NagiosFleetEntry[] = [];
    const lines: string[] = [];
    const emit = (text: string) => {
      if (flags.output) lines.push(text);
      else process.stdout.write(text);
    };
    let next = 0;
    let promMeta = true;
    const worker = async () => {
      while (next < targets.length) {
        const index = next++;
        const t = targets[index];
        const redactor = new Redactor();
        const started = new Date();
        const t0 = performance.now();
        try {
          const targetFlags = t.profile
            ? { ...flags, profile: t.profile, targets: undefined }
            : { ...flags, profile: undefined, 'server-name': t.serverName, targets: undefined };
          const prep = await prepareRun(this.config, targetFlags, { redactor, plugins });
          prep.concurrency = 8;
          const output = await executeRun(prep, { redactor, progress: false, deadlineMs });
          const report = redactor.value(
            buildReport({ version: this.config.version, startedAt: started, durationMs: performance.now() - t0, inputs: prep.inputs, output }),
          );
          results.push({ target: t.name, exit: exitCodeFor(report, flags.strict), failed: report.summary.fail > 0 || report.summary.error > 0 });
          if (format === 'json') emit(`${redactor.text(JSON.stringify({ target: t.name, report }))}\n`);
          else if (format === 'prometheus') {
            emit(redactor.text(renderPrometheus(report, { labels: { target: t.name }, omitMeta: !promMeta })));
            promMeta = false;
          } else if (format === 'junit') {
            const suite = junitSuite(report, { strict: flags.strict, name: `matrixdoc ${t.name}` });
            suites[index] = { ...suite, xml: redactor.text(suite.xml) };
          } else if (format === 'nagios') {
            states[index] = { target: t.name, state: nagiosState(report), summary: redactor.text(nagiosSummary(report)) };
          } else {
            const s = report.summary;
            emit(`${t.name}: ${s.fail} fail, ${s.warn} warn, ${s.pass} pass, ${s.skip} skip, ${s.error} error (${report.durationMs} ms)\n`);
          }
        } catch (error) {
          const message = redactor.text(error instanceof InputError ? error.oneLine() : (error as Error).message);
          results.push({ target: t.name, exit: 2, failed: true, error: message });
          if (format === 'json') emit(`${JSON.stringify({ target: t.name, error: message })}\n`);
          else if (format === 'text') emit(`${t.name}: error: ${message}\n`);
          else if (format === 'junit') suites[index] = junitErrorSuite(`matrixdoc ${t.name}`, message, started);
          else if (format === 'nagios') states[index] = { target: t.name, state: 3, summary: `could not be checked: ${message}` };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, targets.length) }, worker));
    const durationMs = performance.now() - t0Fleet;
    let worst = results.reduce<0 | 1 | 2 | 3>((acc, r) => Math.max(acc, r.exit) as 0 | 1 | 2, 0);
    if (format === 'junit') emit(junitDocument(suites, { name: 'matrixdoc fleet', timeMs: durationMs }));
    if (format === 'nagios') {
      const nagios = renderNagiosFleet(states, durationMs);
      emit(nagios.text);
      worst = nagios.state;
    }
    const failed = results.filter((r) => r.failed).length;
    const summary = `${targets.length} targets: ${failed} with failures or errors, ${results.filter((r) => r.error).length} could not be checked`;
    if (format === 'text') emit(`\n${summary}\n`);
    if (flags.output) {
      await writeOutput(flags.output, lines.join(''));
      this.stderrLine(`report written to ${flags.output} (${summary})`);
    } else if (format !== 'text' && format !== 'nagios') {
      // A Nagios plugin prints its status line and nothing else (the summary is in it).
      this.stderrLine(summary);
    }
    process.exitCode = worst;
  }
}

export interface FleetTarget {
  name: string;
  profile?: string;
  serverName?: string;
}

/** One profile path or server name per line; `#` starts a comment. Profile paths are relative to the file. */
export function readTargets(file: string): FleetTarget[] {
  let text: string;
  try {
    text = decodeText(readRegularFileSync(file, 16 * 1024 * 1024), '--targets');
  } catch (error) {
    if (error instanceof InputError) throw new InputError(error.message, { file });
    throw new InputError(`--targets: cannot read it (${fsReason(error as NodeJS.ErrnoException, 16 * 1024 * 1024, file)})`, { file });
  }
  const out: FleetTarget[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    if (/\.ya?ml$/i.test(line) || line.includes('/')) out.push({ name: line, profile: path.resolve(path.dirname(file), line) });
    else if (SERVER_NAME.test(line)) out.push({ name: line, serverName: line });
    else throw new InputError(`'${line}' is neither a profile (.yaml) nor a server name`, { file, line: i + 1, column: 1 });
  });
  if (out.length === 0) throw new InputError('--targets: no target in the file', { file });
  return out;
}

const SERVER_NAME = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]{1,255})(:\d{1,5})?$/;

function render(report: Report, format: Format, flags: { verbose?: boolean; strict?: boolean }, locale: Locale): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'junit':
      return renderJunit(report, { strict: flags.strict });
    case 'prometheus':
      return renderPrometheus(report);
    case 'nagios':
      return renderNagios(report).text;
    case 'text':
      return `${renderHuman(report, { verbose: Boolean(flags.verbose), color: false, locale })}\n`;
  }
}

/**
 * Atomic and durable: a collector (node_exporter's textfile) never sees half a file, and a crash right after
 * leaves the old file or the new one. A file that is replaced keeps its mode; a new one is 0644 (the
 * collector usually runs as another user; the report holds no secret).
 */
async function writeOutput(file: string, text: string): Promise<void> {
  try {
    const mode = await stat(file).then(
      (info) => info.mode & 0o777,
      () => 0o644,
    );
    await writeFileAtomic(file, Buffer.from(text, 'utf8'), mode);
  } catch (error) {
    throw new InputError(`--output: cannot write it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { file });
  }
}
