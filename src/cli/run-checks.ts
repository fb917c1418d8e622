// What `check` and `fix` share: turning flags into a prepared run (inputs, network client, selected
// checks, probe registry, message catalog), and executing it, possibly more than once (fix's passes).

import path from 'node:path';
import type { Config } from '@oclif/core';
import { builtinChecks } from '../../checks/index.js';
import { InputError } from '../engine/errors.js';
import type { Inputs, RawInputs } from '../engine/inputs.js';
import { loadPluginContributions } from '../engine/plugins.js';
import { type RunOutput, runEngine } from '../engine/run.js';
import { selectChecks } from '../engine/select.js';
import type { CheckDefinition, ProbeDefinition, ProbeResult } from '../engine/types.js';
import { catalogFor, LOCALES, type Locale, normaliseLocale } from '../i18n/index.js';
import type { NetClient } from '../net/client.js';
import { probeRegistry } from '../probes/index.js';
import { createProgress } from '../report/progress.js';
import type { Redactor } from '../report/redact.js';
import { discoveredInputs, inputsFromFlags, netClientFor, type TargetFlagValues } from './target-flags.js';

export interface PreparedRun {
  inputs: Inputs;
  net: NetClient;
  checks: CheckDefinition[];
  registry: Map<string, ProbeDefinition>;
  catalog?: Record<string, Record<string, string>>;
  /** The language of messages and of the human report's words. */
  locale: Locale;
  concurrency: number;
  replay?: Record<string, ProbeResult>;
}

export interface PrepareFlags extends TargetFlagValues {
  only?: string[];
  skip?: string[];
  discover?: boolean;
  lang?: string;
  concurrency?: number;
}

/** Everything a run needs, validated before any probe starts (bad input: InputError, exit 2). */
export type Plugins = Awaited<ReturnType<typeof loadPluginContributions>>;

export async function prepareRun(
  config: Config,
  flags: PrepareFlags,
  opts: { replay?: Record<string, ProbeResult>; discovered?: RawInputs; redactor?: Redactor; plugins?: Plugins; extraInputs?: (inputs: Inputs) => void } = {},
): Promise<PreparedRun> {
  // Contradictory flags: each is one line and exit 2, before anything is read or sent.
  if (opts.replay && flags.discover) throw new InputError("--discover reads this machine's files; --from-probes replays a capture with no I/O at all");
  if (opts.replay && flags['probe-login']) throw new InputError('--probe-login makes live login attempts; --from-probes replays a capture with no I/O at all');
  const discovered = opts.discovered ?? (flags.discover && !opts.replay ? await discoveredInputs() : {});
  const inputs = await inputsFromFlags(opts.replay ? { ...flags, offline: true } : flags, discovered);
  if (inputs.probeLogin && inputs.offline && !opts.replay) {
    throw new InputError(`--probe-login makes live login attempts; it cannot run with ${flags.offline ? '--offline' : 'offline: true in the profile'}`);
  }
  opts.extraInputs?.(inputs);
  // Credentials given on the command line or in the environment are secrets before any probe runs.
  for (const secret of [inputs.testPassword, inputs.adminToken, inputs.accessToken, inputs.ldapTestPassword]) opts.redactor?.add(secret);
  const net = await netClientFor(inputs);
  const plugins = opts.plugins ?? (await loadPluginContributions(config));
  const all = [...builtinChecks, ...plugins.checks];
  const duplicate = all.map((c) => c.id).find((id, i, ids) => ids.indexOf(id) !== i);
  if (duplicate) throw new InputError(`two checks share the id '${duplicate}' (from plugin ${plugins.sources.get(duplicate) ?? '?'})`);
  const checks = selectChecks(all, flags.only ?? [], flags.skip ?? []);
  const lang = flags.lang ? normaliseLocale(flags.lang) : (normaliseLocale(process.env.LANG) ?? 'en');
  if (!lang) throw new InputError(`--lang: '${flags.lang}' is not a supported language (${LOCALES.join(', ')})`);
  return {
    inputs,
    net,
    checks,
    registry: probeRegistry(plugins.probes),
    catalog: catalogFor(lang),
    locale: lang,
    concurrency: flags.concurrency ?? 8,
    replay: opts.replay,
  };
}

/**
 * Runs the prepared checks once, with live progress on stderr when asked. Ctrl-C, or the whole-run
 * `deadlineMs`, aborts every probe still running (their checks become `error`, the run still reports).
 */
export async function executeRun(
  prep: PreparedRun,
  opts: { redactor: Redactor; progress: boolean; overlay?: ReadonlyMap<string, string>; deadlineMs?: number },
): Promise<RunOutput> {
  const progress = createProgress(prep.checks, { enabled: opts.progress, tty: Boolean(process.stderr.isTTY), locale: prep.locale });
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  const deadline = opts.deadlineMs ? setTimeout(() => controller.abort(new Error('deadline')), opts.deadlineMs) : undefined;
  try {
    return await runEngine(prep.checks, prep.registry, {
      inputs: opts.overlay ? { ...prep.inputs, overlay: opts.overlay } : prep.inputs,
      net: prep.net,
      redactor: opts.redactor,
      concurrency: prep.concurrency,
      signal: controller.signal,
      replay: prep.replay,
      onCheckDone: (r) => progress.checkDone(r),
      catalog: prep.catalog,
    });
  } finally {
    clearTimeout(deadline);
    process.off('SIGINT', onSigint);
    await progress.finish();
  }
}

export type FileRole = 'synapse' | 'element' | 'nginx' | 'jitsi' | 'other';

/** Which part of the deployment a file belongs to, from the inputs that named it. */
export function roleOf(inputs: Inputs, file: string): FileRole {
  const inside = (dir: string) => file === dir || file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
  if (inputs.homeserverConfig.some(inside)) return 'synapse';
  if (inputs.elementConfig === file) return 'element';
  if (inputs.jitsiEnv === file) return 'jitsi';
  if (inputs.nginxConfig.some(inside)) return 'nginx';
  return 'other';
}
