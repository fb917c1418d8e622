import path from 'node:path';
import { Flags } from '@oclif/core';
import { builtinChecks } from '../../checks/index.js';
import { BaseCommand } from '../cli/base-command.js';
import { discoveredInputs, inputsFromFlags, netClientFor, targetFlags } from '../cli/target-flags.js';
import { InputError } from '../engine/errors.js';
import { splitUsers } from '../engine/inputs.js';
import { loadPluginContributions } from '../engine/plugins.js';
import { runEngine } from '../engine/run.js';
import { selectChecks } from '../engine/select.js';
import type { Report } from '../engine/types.js';
import { catalogFor, LOCALES, normaliseLocale } from '../i18n/index.js';
import { probeRegistry } from '../probes/index.js';
import { MAX_LOGIN_ATTEMPTS } from '../probes/login-rate.js';
import { MAX_LOG_BYTES } from '../probes/synapse-log.js';
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
      description: "A test account (user ID or localpart): public-baseurl logs in with it to read login's well_known, then always logs out.",
      helpGroup: 'TARGET',
    }),
    'test-password': Flags.string({
      description: "The test account's password (better: the MATRIXDOC_TEST_PASSWORD environment variable). Never shown in any output.",
      env: 'MATRIXDOC_TEST_PASSWORD',
      helpGroup: 'TARGET',
    }),
    // rate-limits: opt-in live probes and Synapse's log (docs/codes/MXD-RL-*.md).
    'probe-login': Flags.boolean({
      description: `Measure the login rate limit: up to ${MAX_LOGIN_ATTEMPTS} failed logins for random non-existent accounts (never a real one), stopping at the first 429, then one with a forged X-Forwarded-For. Side effect: uses up this machine's login budget on the homeserver (rc_login.address: by default 5, then 1 per ~333 s) — and, when Synapse sees every client as the proxy's address, everyone's: users may be refused logins until retry_after_ms passes.`,
      helpGroup: 'RATE LIMITS',
    }),
    'admin-token': Flags.string({
      description:
        "A Synapse admin's access token, to read the --rate-limit-users' overrides (read-only; better: MATRIXDOC_ADMIN_TOKEN). Never shown in any output.",
      env: 'MATRIXDOC_ADMIN_TOKEN',
      helpGroup: 'RATE LIMITS',
    }),
    'rate-limit-users': Flags.string({
      description: 'Users whose per-user rate-limit override to read with --admin-token (comma-separated or repeated): @bot:example.com,@bridge:example.com.',
      multiple: true,
      helpGroup: 'RATE LIMITS',
    }),
    'synapse-log': Flags.string({
      description: `Synapse's log (homeserver.log): its last ${MAX_LOG_BYTES / 1024 / 1024} MiB are searched for rate-limit refusals (429), counted per client address.`,
      helpGroup: 'RATE LIMITS',
    }),
    // turn: coturn's config and the homeserver's /voip/turnServer (docs/codes/MXD-TURN-*.md).
    'coturn-config': Flags.string({
      description: "coturn's turnserver.conf: its secret is compared with turn_shared_secret (never shown), its relay ports and denied-peer-ip lines are read.",
      helpGroup: 'TARGET',
    }),
    'access-token': Flags.string({
      description: "A user's access token (better: MATRIXDOC_ACCESS_TOKEN): the turn check reads /voip/turnServer with it and tries the TURN credentials it hands out. Never shown in any output.",
      env: 'MATRIXDOC_ACCESS_TOKEN',
      helpGroup: 'TARGET',
    }),
    'ldap-test-user': Flags.string({
      description: 'An LDAP login to try as the Synapse LDAP module does at login: search the user, then bind as them (nothing is changed).',
      helpGroup: 'TARGET',
    }),
    'ldap-test-password': Flags.string({
      description: "The LDAP test login's password (better: the MATRIXDOC_LDAP_TEST_PASSWORD environment variable). Never shown in any output.",
      env: 'MATRIXDOC_LDAP_TEST_PASSWORD',
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
    if (flags['admin-token']) this.redactor.add(flags['admin-token']);
    if (flags['access-token']) this.redactor.add(flags['access-token']);
    if (flags['ldap-test-password']) this.redactor.add(flags['ldap-test-password']);
    const inputs = await inputsFromFlags(capture ? { ...flags, offline: true } : flags, discovered);
    if (flags['test-user']) inputs.testUser = flags['test-user'];
    if (flags['test-password']) inputs.testPassword = flags['test-password'];
    inputs.probeLogin = flags['probe-login'];
    if (flags['admin-token']) inputs.adminToken = flags['admin-token'];
    if (flags['rate-limit-users']?.length) inputs.rateLimitUsers = splitUsers(flags['rate-limit-users']);
    if (flags['synapse-log']) inputs.synapseLog = path.resolve(flags['synapse-log']);
    if (flags['coturn-config']) inputs.coturnConfig = path.resolve(flags['coturn-config']);
    if (flags['access-token']) inputs.accessToken = flags['access-token'];
    if (flags['ldap-test-user']) inputs.ldapTestUser = flags['ldap-test-user'];
    if (flags['ldap-test-password']) inputs.ldapTestPassword = flags['ldap-test-password'];
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
