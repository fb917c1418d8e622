import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { executeRun, prepareRun } from '../cli/run-checks.js';
import { targetFlags } from '../cli/target-flags.js';
import { InputError } from '../engine/errors.js';
import type { Inputs } from '../engine/inputs.js';
import type { ProbeResult } from '../engine/types.js';
import { expandConfigPaths, MAX_CONFIG_BYTES, readTextFile } from '../probes/files.js';
import { type ConfigKind, scrubConfigText, versionsReport, writeFileAtomic } from '../report/bundle.js';
import { CAPTURE_FORMAT } from '../report/capture.js';
import { displayPath, renderHuman } from '../report/human.js';
import { Redactor } from '../report/redact.js';
import { buildReport, describeInputs } from '../report/report.js';
import { createTar, type TarEntry } from '../report/tar.js';
import { MAX_TRIAGE_BYTES, readInputFile } from '../triage/input.js';
import { scrubTokens, TRIAGE_SCHEMA_VERSION, type TriageResult, triageText } from '../triage/triage.js';

interface ConfigFile {
  kind: ConfigKind;
  file: string;
  member: string;
  text?: string;
  error?: string;
}

const KIND_FLAG: Record<ConfigKind, string> = {
  synapse: '--homeserver-config',
  element: '--element-config',
  jitsi: '--jitsi-env',
  nginx: '--nginx-config',
  coturn: '--coturn-config',
};

/** A member name for a file: its folder in the bundle, its base name made safe, numbered if taken. */
function memberName(kind: ConfigKind, file: string, taken: Set<string>): string {
  const base =
    path
      .basename(file)
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .slice(0, 80) || 'file';
  let name = `config/${kind}/${base}`;
  for (let i = 2; taken.has(name); i++) name = `config/${kind}/${i}-${base}`;
  taken.add(name);
  return name;
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');

export default class Bundle extends BaseCommand {
  static override summary = 'Write a support bundle: the report, the config files with every secret replaced, versions, and the triage of logs.';

  static override description = `Runs the checks as \`matrixdoc check\` does and writes one gzipped tar file (mode 0600, written atomically)
with report.json and report.txt, the configuration files the profile or flags name (homeserver.yaml, Element's
config.json, docker-jitsi-meet's .env, nginx files, coturn's turnserver.conf) with every secret replaced by
<redacted:TAG>, versions.json, the probe results (for --from-probes), and triage.json: \`matrixdoc triage\` of each
--log file (the logs themselves are not included). See docs/bundle.md.`;

  static override examples = [
    '<%= config.bin %> bundle --profile matrixdoc.yaml -o bundle.tar.gz',
    '<%= config.bin %> bundle --profile matrixdoc.yaml --offline --log /var/log/matrix-synapse/homeserver.log --log ticket.txt',
  ];

  static override flags = {
    ...targetFlags,
    output: Flags.string({ char: 'o', description: 'The bundle file to write (default: matrixdoc-bundle-<date>.tar.gz in the current folder).' }),
    'coturn-config': Flags.string({ description: "coturn's turnserver.conf, to include (secrets replaced) and to check.", helpGroup: 'TARGET' }),
    log: Flags.string({
      description: `A log or ticket to triage into triage.json (repeatable; the last ${MAX_TRIAGE_BYTES / 1024 / 1024} MiB of each are read). The file itself is not included.`,
      multiple: true,
    }),
  };

  private redactor = new Redactor();

  protected override redactError(text: string): string {
    return this.redactor.text(text);
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Bundle);
    const started = new Date();
    const t0 = performance.now();
    const output = path.resolve(flags.output ?? `matrixdoc-bundle-${stamp(started)}.tar.gz`);
    if (!output.endsWith('.tar.gz') && !output.endsWith('.tgz'))
      throw new InputError(`--output: '${flags.output}' should end in .tar.gz (the bundle is a gzipped tar)`);

    // Fail before the checks run, not after, when the bundle cannot be written there.
    try {
      await access(path.dirname(output), constants.W_OK);
    } catch (error) {
      throw new InputError(`cannot write ${output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { file: output });
    }

    const prep = await prepareRun(this.config, flags, {
      extraInputs: (inputs) => {
        if (flags['coturn-config']) inputs.coturnConfig = path.resolve(flags['coturn-config']);
      },
    });
    const run = await executeRun(prep, { redactor: this.redactor, progress: Boolean(process.stderr.isTTY) });
    if (flags.debug) for (const s of run.stacks) this.stderrLine(this.redactor.text(s));

    // Config files: read and scrubbed each by its own syntax, which registers their secrets too.
    const configs = await this.readConfigs(prep.inputs);
    const scrubbed = new Map<string, string>();
    for (const c of configs) if (c.text !== undefined) scrubbed.set(c.member, scrubConfigText(c.kind, c.text, this.redactor));

    // Logs: triaged with the same redactor, so a config secret quoted in a log is replaced too.
    const logFiles = [...new Set([...(flags.log ?? []).map((f) => path.resolve(f)), ...(prep.inputs.synapseLog ? [prep.inputs.synapseLog] : [])])];
    const logs: { file: string; bytes?: number; truncated?: boolean; error?: string; triage?: TriageResult }[] = [];
    for (const file of logFiles) {
      try {
        const input = await readInputFile(file, { tail: true });
        logs.push({ file, bytes: input.bytes, ...(input.truncated ? { truncated: true } : {}), triage: triageText(input.text, { redactor: this.redactor }) });
      } catch (error) {
        logs.push({ file, error: error instanceof InputError ? error.message : String((error as Error).message ?? error) });
      }
    }

    const report = this.redactor.value(
      buildReport({ version: this.config.version, startedAt: started, durationMs: performance.now() - t0, inputs: prep.inputs, output: run }),
    );
    const versions = await versionsReport({ matrixdoc: this.config.version, probes: run.probes, elementConfig: prep.inputs.elementConfig });
    const capture = {
      format: CAPTURE_FORMAT,
      schemaVersion: 1,
      tool: { name: 'matrixdoc', version: this.config.version },
      savedAt: started.toISOString(),
      target: { serverName: prep.inputs.serverName, inputs: describeInputs(prep.inputs), offline: prep.inputs.offline },
      results: Object.fromEntries(
        Object.entries(run.probes).map(([id, r]): [string, ProbeResult] => [
          id,
          r.status === 'error' ? { ...r, error: { code: r.error.code, message: r.error.message } } : r,
        ]),
      ),
    };

    // Every text goes through the redactor once more, now that every secret is known.
    const text = (value: string) => scrubTokens(this.redactor.text(value), this.redactor);
    const json = (value: unknown) => `${text(JSON.stringify(this.redactor.value(value), null, 2))}\n`;
    const root = `matrixdoc-bundle-${stamp(started)}`;
    const members: [string, string][] = [
      ['README.txt', text(this.readme({ started, inputs: prep.inputs, configs, logs: logFiles, offline: prep.inputs.offline, root }))],
      ['report.json', json(report)],
      ['report.txt', `${text(renderHuman(report, { verbose: true, color: false }))}\n`],
      ['versions.json', json(versions)],
      ['triage.json', json({ schemaVersion: TRIAGE_SCHEMA_VERSION, logs })],
      ['probes/probes.json', json(capture)],
      ...[...scrubbed].map(([member, t]): [string, string] => [member, text(t)]),
    ];
    const folders = [...new Set(members.flatMap(([m]) => (m.includes('/') ? [m.slice(0, m.lastIndexOf('/') + 1)] : [])))].sort();
    const entries: TarEntry[] = [
      { name: `${root}/`, mtime: started },
      ...folders
        .flatMap((f) => {
          const parts = f.split('/').filter(Boolean);
          return parts.map((_, i) => `${root}/${parts.slice(0, i + 1).join('/')}/`);
        })
        .filter((f, i, all) => all.indexOf(f) === i)
        .map((name) => ({ name, mtime: started })),
      ...members.map(([name, data]) => ({ name: `${root}/${name}`, data, mtime: started })),
    ];
    const archive = gzipSync(createTar(entries), { level: 9 });
    try {
      await writeFileAtomic(output, archive, 0o600);
    } catch (error) {
      throw new InputError(`cannot write ${output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { file: output });
    }

    const s = report.summary;
    this.log(`wrote ${displayPath(output)} (${(archive.length / 1024).toFixed(1)} KiB, mode 0600): ${members.map(([m]) => m).join(', ')}`);
    this.log(
      `checks: ${s.fail} fail, ${s.warn} warn, ${s.pass} pass, ${s.skip} skip, ${s.error} error; ${logs.length} log(s) triaged; secrets replaced by <redacted:TAG>`,
    );
    if (configs.length === 0) this.stderrLine('matrixdoc: warning: no configuration files were given (--profile or the target flags): the bundle has none');
    for (const c of configs) if (c.error) this.stderrLine(this.redactor.text(`matrixdoc: warning: not in the bundle: ${c.error}`));
    for (const l of logs) if (l.error) this.stderrLine(this.redactor.text(`matrixdoc: warning: log not triaged: ${l.error}`));
  }

  private async readConfigs(inputs: Inputs): Promise<ConfigFile[]> {
    const wanted: { kind: ConfigKind; paths: string[]; include?: (dir: string, name: string) => boolean }[] = [
      { kind: 'synapse', paths: inputs.homeserverConfig, include: (_d, n) => n.endsWith('.yaml') },
      { kind: 'element', paths: inputs.elementConfig ? [inputs.elementConfig] : [] },
      { kind: 'jitsi', paths: inputs.jitsiEnv ? [inputs.jitsiEnv] : [] },
      { kind: 'nginx', paths: inputs.nginxConfig, include: (dir, n) => path.basename(dir) !== 'conf.d' || n.endsWith('.conf') },
      { kind: 'coturn', paths: inputs.coturnConfig ? [inputs.coturnConfig] : [] },
    ];
    const taken = new Set<string>();
    const out: ConfigFile[] = [];
    for (const w of wanted) {
      if (w.paths.length === 0) continue;
      let files: string[];
      try {
        files = await expandConfigPaths(w.paths, KIND_FLAG[w.kind], w.include);
      } catch (error) {
        out.push({ kind: w.kind, file: w.paths.join(', '), member: '', error: (error as Error).message });
        continue;
      }
      for (const file of files) {
        try {
          const read = await readTextFile(file, KIND_FLAG[w.kind], MAX_CONFIG_BYTES);
          out.push({ kind: w.kind, file, member: memberName(w.kind, file, taken), text: read.text });
        } catch (error) {
          out.push({ kind: w.kind, file, member: '', error: (error as Error).message });
        }
      }
    }
    return out;
  }

  private readme(o: { started: Date; inputs: Inputs; configs: ConfigFile[]; logs: string[]; offline: boolean; root: string }): string {
    const target = o.inputs.serverName ? ` for ${o.inputs.serverName}` : '';
    const mode = o.offline ? 'offline: files only, no network checks' : 'with the network checks';
    const included = o.configs.filter((c) => c.text !== undefined);
    const missing = o.configs.filter((c) => c.error);
    const lines = [
      'matrixdoc support bundle',
      '========================',
      '',
      `Made by matrixdoc ${this.config.version} on ${o.started.toISOString()}${target} (${mode}).`,
      `Unpack: tar -xzf <this file>; everything is in ${o.root}/.`,
      '',
      'What is inside',
      '',
      '  README.txt          this file',
      '  report.json         the check report, as `matrixdoc check --json` prints it (docs/report.md)',
      '  report.txt          the same report for people, informational notes included',
      '  versions.json       matrixdoc, Node.js and the operating system, and the versions of Synapse, Element, nginx,',
      '                      coturn and PostgreSQL that the checks saw (none when offline or hidden)',
      '  triage.json         `matrixdoc triage` of each log given with --log: the likely causes it recognised, with the',
      '                      matching lines quoted (secrets replaced). The logs themselves are NOT in the bundle.',
      '  probes/probes.json  what every probe saw (secrets replaced): `matrixdoc check --from-probes probes/` replays it',
      '  config/             the configuration files that were checked, with every secret replaced:',
      ...(included.length ? included.map((c) => `                        ${c.member}  <-  ${c.file}`) : ['                        (none were given)']),
      '',
    ];
    if (o.logs.length) lines.push('Logs triaged (not included):', ...o.logs.map((l) => `  ${l}`), '');
    if (missing.length) lines.push('Not included (could not be read):', ...missing.map((c) => `  ${c.error}`), '');
    lines.push(
      'Secrets',
      '',
      'Every secret was replaced by <redacted:TAG> before anything was written: values under secret-looking keys',
      '(password, *_secret, *_key, token, credentials...) in YAML, JSON, .env, coturn and nginx files, credentials in',
      'URLs (key=, access_token=, user:password@), bearer and basic tokens, Matrix access tokens, and every secret value',
      'matrixdoc saw while probing; each such value is also replaced wherever else it appears (in other files, in the',
      'logs\' quoted lines). Equal secrets get equal tags, so "these two secrets differ" stays visible, but a tag is a',
      'keyed hash with a random key per run: it cannot be reversed, nor compared with another bundle.',
      'Read the files before sending them anyway: a secret under an unusual name, or in a comment, is not recognised.',
      '',
    );
    return lines.join('\n');
  }
}
