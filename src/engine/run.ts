// The engine: plan (checks -> the probes they need), run every needed probe once, concurrently, under
// a timeout and an abort signal, then hand each check only the results it declared.

import type { NetClient } from '../net/client.js';
import type { Redactor } from '../report/redact.js';
import { ProbeError } from './errors.js';
import type { Inputs } from './inputs.js';
import { formatMessage } from './messages.js';
import type {
  CheckDefinition,
  CheckInputs,
  CheckResult,
  CheckStatus,
  CodeMeta,
  Finding,
  FindingDraft,
  Fix,
  FixDraft,
  ProbeDefinition,
  ProbeResult,
} from './types.js';

export interface RunOptions {
  inputs: Inputs;
  net: NetClient;
  redactor: Redactor;
  /** How many probes may run at once. */
  concurrency?: number;
  /** Aborts every probe still running (Ctrl-C, or the whole-run deadline). */
  signal?: AbortSignal;
  /** Probe results from a capture (--from-probes): no I/O at all. */
  replay?: Record<string, ProbeResult>;
  onCheckDone?: (result: CheckResult) => void;
  /** Locale catalog for messages (code -> messageId -> template); English from the check's meta otherwise. */
  catalog?: Record<string, Record<string, string>>;
}

export interface RunOutput {
  checks: CheckResult[];
  probes: Record<string, ProbeResult>;
  /** Stack traces of crashed probes and checks, shown with --debug only. */
  stacks: string[];
}

export function docsPath(code: string): string {
  return `docs/codes/${code}.md`;
}

/** The probes the selected checks need, with their dependencies, in a stable order. */
export function planProbes(checks: CheckDefinition[], registry: Map<string, ProbeDefinition>): ProbeDefinition[] {
  const needed = new Map<string, ProbeDefinition>();
  const visit = (id: string, from: string) => {
    if (needed.has(id)) return;
    const def = registry.get(id);
    if (!def) throw new Error(`${from} needs probe '${id}', which no probe provides`);
    needed.set(id, def);
    for (const dep of [...(def.dependsOn ?? []), ...(def.uses ?? [])]) visit(dep, `probe '${id}'`);
  };
  for (const check of checks) for (const id of [...check.requires, ...(check.uses ?? [])]) visit(id, `check '${check.id}'`);
  return [...needed.values()];
}

class Semaphore {
  private waiting: (() => void)[] = [];
  constructor(private free: number) {}
  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    return () => {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}

/** The error code of a probe that could not run because a probe it depends on failed. */
export const DEPENDENCY_FAILED = 'DEPENDENCY_FAILED';

/** Resolves with the promise's value, or rejects as soon as the signal aborts (a probe that ignores it cannot hang the run). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // The probe's own rejection comes later and must not surface as an unhandled rejection.
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function isSkip(value: unknown): value is { skip: string } {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 1 && typeof (value as { skip?: unknown }).skip === 'string';
}

export async function runEngine(checks: CheckDefinition[], registry: Map<string, ProbeDefinition>, opts: RunOptions): Promise<RunOutput> {
  const probes = planProbes(checks, registry);
  const runSignal = opts.signal ?? new AbortController().signal;
  const semaphore = new Semaphore(Math.max(1, opts.concurrency ?? 8));
  const results = new Map<string, Promise<ProbeResult>>();

  const runProbe = async (def: ProbeDefinition): Promise<ProbeResult> => {
    // A probe's timeout counts from when it was asked for, so waiting for the probes it depends on
    // comes out of it: a chain (wellKnown, then federation) against a dead host costs one timeout, not two.
    const asked = performance.now();
    let started = asked;
    const elapsed = () => Math.round(performance.now() - started);
    if (opts.replay) {
      return opts.replay[def.id] ?? { status: 'skipped', reason: 'not in the capture given to --from-probes', durationMs: 0 };
    }
    const deps: Record<string, unknown> = {};
    for (const depId of def.dependsOn ?? []) {
      const dep = await getProbe(depId);
      if (dep.status !== 'ok') {
        // A failed dependency is a failure here too (a check must not pass or skip over an unreadable file);
        // a skipped one (not given, --offline) is a skip.
        if (dep.status === 'error') {
          return {
            status: 'error',
            error: { code: DEPENDENCY_FAILED, message: `needs ${depId}, which failed (${dep.error.code}: ${dep.error.message})` },
            durationMs: 0,
          };
        }
        return { status: 'skipped', reason: `needs ${depId} (${dep.reason})`, durationMs: 0 };
      }
      deps[depId] = dep.value;
    }
    for (const useId of def.uses ?? []) {
      const used = await getProbe(useId);
      deps[useId] = used.status === 'ok' ? used.value : undefined;
    }
    if (def.network && opts.inputs.offline) return { status: 'skipped', reason: '--offline: no network probes', durationMs: 0 };
    const fullTimeoutMs = def.timeoutMs ?? opts.inputs.timeoutMs;
    const waitedMs = Math.round(performance.now() - asked);
    const timeoutMs = fullTimeoutMs - waitedMs;
    const waitedFor = [...(def.dependsOn ?? []), ...(def.uses ?? [])].join(', ');
    if (timeoutMs <= 0) {
      return {
        status: 'error',
        error: { code: 'TIMEOUT', message: `no result within ${fullTimeoutMs} ms (all of it spent waiting for ${waitedFor})` },
        durationMs: 0,
      };
    }
    const release = await semaphore.acquire();
    // durationMs is the probe's own work: not the wait for its dependencies or for a free slot.
    started = performance.now();
    // A ref'd timer (AbortSignal.timeout's is unref'd): a probe stuck on a bare promise must still end.
    const timeoutController = new AbortController();
    const timer = setTimeout(() => timeoutController.abort(new ProbeError('TIMEOUT', `no result within ${timeoutMs} ms`)), timeoutMs);
    const timeout = timeoutController.signal;
    const signal = AbortSignal.any([timeout, runSignal]);
    try {
      const value = await raceAbort(def.run({ inputs: opts.inputs, signal, timeoutMs, addSecret: (s) => opts.redactor.add(s), net: opts.net }, deps), signal);
      if (isSkip(value)) return { status: 'skipped', reason: value.skip, durationMs: elapsed() };
      return { status: 'ok', value, durationMs: elapsed() };
    } catch (error) {
      if (timeout.aborted) {
        const waited = waitedMs > 0 && waitedFor ? ` (${waitedMs} ms of it waiting for ${waitedFor})` : '';
        return { status: 'error', error: { code: 'TIMEOUT', message: `no result within ${fullTimeoutMs} ms${waited}` }, durationMs: elapsed() };
      }
      if (runSignal.aborted) {
        return { status: 'error', error: { code: 'ABORTED', message: 'the run was aborted' }, durationMs: elapsed() };
      }
      if (error instanceof ProbeError) {
        return { status: 'error', error: { code: error.code, message: error.message }, durationMs: elapsed() };
      }
      const e = error as Error;
      return { status: 'error', error: { code: 'INTERNAL', message: e?.message ?? String(error), stack: e?.stack }, durationMs: elapsed() };
    } finally {
      clearTimeout(timer);
      release();
    }
  };

  const getProbe = (id: string): Promise<ProbeResult> => {
    let p = results.get(id);
    if (!p) {
      const def = registry.get(id);
      if (!def) throw new Error(`unknown probe '${id}'`);
      p = runProbe(def);
      results.set(id, p);
    }
    return p;
  };

  // Start every planned probe now; checks then wait only for theirs.
  for (const def of probes) void getProbe(def.id);

  const stacks: string[] = [];
  const runCheck = async (check: CheckDefinition): Promise<CheckResult> => {
    const started = performance.now();
    const declared = [...check.requires, ...(check.uses ?? [])];
    const got = new Map<string, ProbeResult>();
    for (const id of declared) got.set(id, await getProbe(id));
    const base = { id: check.id, title: check.title, findings: [] as Finding[] };
    const done = (status: CheckStatus, extra: Partial<CheckResult> = {}): CheckResult => ({
      ...base,
      status,
      durationMs: Math.round(performance.now() - started),
      ...extra,
    });
    for (const id of check.requires) {
      const r = got.get(id) as ProbeResult;
      if (r.status === 'error') return done('error', { reason: `${id}: ${r.error.code}: ${r.error.message}` });
    }
    for (const id of check.requires) {
      const r = got.get(id) as ProbeResult;
      if (r.status === 'skipped') return done('skip', { reason: r.reason });
    }
    const inputs: CheckInputs = {
      get: <T>(id: string) => {
        const r = got.get(id);
        if (!check.requires.includes(id) || r?.status !== 'ok') throw new Error(`check '${check.id}' did not declare '${id}' in requires`);
        return r.value as T;
      },
      optional: <T>(id: string) => {
        if (!got.has(id)) throw new Error(`check '${check.id}' did not declare '${id}' in requires or uses`);
        const r = got.get(id);
        return r?.status === 'ok' ? (r.value as T) : undefined;
      },
      result: (id: string) => got.get(id),
      runs: (id: string) => checks.some((c) => c.id === id),
    };
    try {
      const findings = check.run(inputs).map((d) => materialise(check, d, opts.catalog));
      // A failed optional probe means part of the check could not be done: say so, keep what was found.
      const failedUses = (check.uses ?? []).flatMap((id) => {
        const r = got.get(id);
        return r?.status === 'error' ? [`${id}: ${r.error.code}: ${r.error.message}`] : [];
      });
      if (failedUses.length) return done('error', { reason: failedUses.join('; '), findings });
      const status: CheckStatus = findings.some((f) => f.severity === 'error') ? 'fail' : findings.some((f) => f.severity === 'warning') ? 'warn' : 'pass';
      return done(status, { findings });
    } catch (error) {
      const e = error as Error;
      if (e?.stack) stacks.push(`check ${check.id}: ${e.stack}`);
      return done('error', { reason: `the check crashed: ${e?.message ?? String(error)}` });
    }
  };

  const checkResults = await Promise.all(
    checks.map(async (check) => {
      const r = await runCheck(check);
      opts.onCheckDone?.(r);
      return r;
    }),
  );
  const probeResults: Record<string, ProbeResult> = {};
  for (const def of probes) probeResults[def.id] = await getProbe(def.id);
  for (const [id, r] of Object.entries(probeResults)) if (r.status === 'error' && r.error.stack) stacks.push(`probe ${id}: ${r.error.stack}`);
  return { checks: checkResults, probes: probeResults, stacks };
}

/** Turns a check's draft into a finding: code metadata, rendered message, docs link. */
export function materialise(check: CheckDefinition, draft: FindingDraft, catalog?: Record<string, Record<string, string>>): Finding {
  const meta = check.codes.find((c) => c.code === draft.code);
  if (!meta) throw new Error(`check '${check.id}' reported code ${draft.code}, which it does not declare`);
  const template = catalog?.[draft.code]?.[draft.messageId] ?? meta.messages[draft.messageId];
  if (template === undefined) throw new Error(`code ${draft.code} has no message '${draft.messageId}'`);
  const data = draft.data ?? {};
  const phrase = phraseLookup(meta, catalog);
  return {
    code: draft.code,
    check: check.id,
    severity: draft.severity ?? meta.severity,
    messageId: draft.messageId,
    data,
    message: formatMessage(template, data, phrase),
    ...(draft.location ? { location: draft.location } : {}),
    evidence: draft.evidence ?? {},
    ...(draft.fix ? { fix: materialiseFix(meta, draft.fix, catalog) } : {}),
    docs: meta.docs ?? docsPath(draft.code),
  };
}

/** The prefix of fix summary templates in a catalog entry, beside the messageIds. */
export const FIX_KEY_PREFIX = 'fix:';
/** The prefix of phrases (words a check chooses by id, shown through `{{@name}}`) in a catalog entry. */
export const PHRASE_KEY_PREFIX = 'phrase:';

/** An id without words is a bug in the check (as an unknown messageId is): it errors, naming it. */
function phraseLookup(meta: CodeMeta, catalog?: Record<string, Record<string, string>>): (id: string) => string {
  return (id) => {
    const words = catalog?.[meta.code]?.[`${PHRASE_KEY_PREFIX}${id}`] ?? (meta.phrases && Object.hasOwn(meta.phrases, id) ? meta.phrases[id] : undefined);
    if (words === undefined) throw new Error(`code ${meta.code} has no phrase '${id}'`);
    return words;
  };
}

function materialiseFix(meta: CodeMeta, fix: Fix | FixDraft, catalog?: Record<string, Record<string, string>>): Fix {
  if (!('summaryId' in fix)) return fix;
  const template = catalog?.[meta.code]?.[`${FIX_KEY_PREFIX}${fix.summaryId}`] ?? meta.fixes?.[fix.summaryId];
  if (template === undefined) throw new Error(`code ${meta.code} has no fix summary '${fix.summaryId}'`);
  return { summary: formatMessage(template, fix.summaryData ?? {}, phraseLookup(meta, catalog)), steps: fix.steps, edits: fix.edits };
}
