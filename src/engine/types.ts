// The contracts between probes (all I/O), checks (pure judgement) and the report.

export type Severity = 'error' | 'warning' | 'info';
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip' | 'error';
export type ProbeStatus = 'ok' | 'skipped' | 'error';

/** A place in a file, 1-based. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** Where a finding points: a file position, a URL, or a DNS name. */
export interface FindingLocation extends Partial<SourcePosition> {
  url?: string;
  host?: string;
}

/** A declarative file edit, applied by the fix engine, never by a check. */
export type Edit =
  | { kind: 'text'; file: string; start: number; end: number; text: string; expectSha256?: string }
  | { kind: 'yaml-set'; file: string; path: (string | number)[]; value: unknown; expectSha256?: string }
  | { kind: 'yaml-delete'; file: string; path: (string | number)[]; expectSha256?: string }
  | { kind: 'json-set'; file: string; path: (string | number)[]; value: unknown; expectSha256?: string }
  | { kind: 'json-delete'; file: string; path: (string | number)[]; expectSha256?: string }
  | { kind: 'env-set'; file: string; name: string; value: string; expectSha256?: string }
  | { kind: 'env-unset'; file: string; name: string; expectSha256?: string }
  /** Sets (replaces, or adds at the end of the block) one nginx directive in a server block, or in one of its locations. */
  | { kind: 'nginx-set'; file: string; server: string; location?: string; directive: string; args: string[]; expectSha256?: string }
  | { kind: 'nginx-delete'; file: string; server: string; location?: string; directive: string; args?: string[]; expectSha256?: string };

export interface Fix {
  /** One line: what to do. */
  summary: string;
  /** Commands or config snippets a human can follow, in order. */
  steps: string[];
  /** Declarative file edits for `matrixdoc fix --apply`. */
  edits: Edit[];
}

export type MessageData = Record<string, string | number | boolean>;

/**
 * A fix as a check drafts it when its summary is translatable: the summary is a template of the code's
 * `fixes` (English) or of the catalog (`fix:<id>` in the code's entry), filled from `summaryData` as
 * messages are. Steps stay as they are: commands and config snippets are not translated.
 */
export interface FixDraft {
  summaryId: string;
  summaryData?: MessageData;
  steps: string[];
  edits: Edit[];
}

export interface Finding {
  code: string;
  check: string;
  severity: Severity;
  messageId: string;
  data: MessageData;
  message: string;
  location?: FindingLocation;
  evidence: Record<string, unknown>;
  fix?: Fix;
  docs: string;
}

/** One finding code a check can emit: the unit with a docs page (ShellCheck's one page per code). */
export interface CodeMeta {
  code: string;
  severity: Severity;
  /** Short description of the failing state. */
  title: string;
  /** Message templates keyed by messageId; `{{name}}` placeholders are filled from the finding's data. */
  messages: Record<string, string>;
  /** Fix summary templates keyed by id (see FixDraft); a catalog translates them as `fix:<id>`. */
  fixes?: Record<string, string>;
  /**
   * Words a check chooses among (a consequence, a reason), keyed by id: the finding's data holds the id
   * (stable for machines), a template shows the words with `{{@name}}`; a catalog translates them as `phrase:<id>`.
   */
  phrases?: Record<string, string>;
  /** Where the code's page is, for plugin codes; built-in codes use docs/codes/<CODE>.md. */
  docs?: string;
}

export interface ProbeErrorInfo {
  code: string;
  message: string;
  /** Stack trace of an unexpected failure, kept for --debug only. */
  stack?: string;
}

export type ProbeResult<T = unknown> =
  | { status: 'ok'; value: T; durationMs: number }
  | { status: 'skipped'; reason: string; durationMs: number }
  | { status: 'error'; error: ProbeErrorInfo; durationMs: number };

/** What a finding carries before the engine fills in code metadata, the message and the docs link. */
export interface FindingDraft {
  code: string;
  messageId: string;
  data?: MessageData;
  location?: FindingLocation;
  evidence?: Record<string, unknown>;
  /** A plain `Fix` (its summary in English), or a `FixDraft` whose summary the engine renders and translates. */
  fix?: Fix | FixDraft;
  /** Overrides the code's default severity (for example a warning that becomes an error past a limit). */
  severity?: Severity;
}

/** The narrowed view a check gets: only the probes it declared. */
export interface CheckInputs {
  /** Value of a probe the check requires (always present: the engine skips the check otherwise). */
  get<T>(probeId: string): T;
  /** Value of an optional probe, or undefined when it was skipped or failed. */
  optional<T>(probeId: string): T | undefined;
  /** Full result of a declared probe, to explain why an optional input is missing. */
  result(probeId: string): ProbeResult | undefined;
  /** Is this check part of the run? A check may leave a problem to another one only when that one runs. */
  runs(checkId: string): boolean;
}

export interface CheckDefinition {
  /** Stable id used by --only/--skip, reports and monitoring. */
  id: string;
  title: string;
  description: string;
  /** Probes without which the check cannot run: a skipped one makes the check `skip`, a failed one `error`. */
  requires: string[];
  /** Probes the check uses when they are there. */
  uses?: string[];
  codes: CodeMeta[];
  run(inputs: CheckInputs): FindingDraft[];
}

export interface ProbeContext {
  inputs: import('./inputs.js').Inputs;
  signal: AbortSignal;
  timeoutMs: number;
  /** Registers a secret value found while probing, so that no output shows it. */
  addSecret(value: string): void;
  net: import('../net/client.js').NetClient;
}

export interface ProbeDefinition<T = unknown> {
  id: string;
  description: string;
  /** Network probes do not run with --offline. */
  network: boolean;
  dependsOn?: string[];
  /** Probes whose results are passed when they succeeded (undefined otherwise); they never block this one. */
  uses?: string[];
  /** Overrides the per-probe timeout (for example file reads are local and fast). */
  timeoutMs?: number;
  /**
   * Returns the evidence, or `{ skip: reason }` when the input the probe needs was not given.
   * Throwing a ProbeError (or anything) makes the dependent checks `error`.
   */
  run(ctx: ProbeContext, deps: Record<string, unknown>): Promise<T | { skip: string }>;
}

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  durationMs: number;
  /** Why the check was skipped or could not run. */
  reason?: string;
  findings: Finding[];
}

export interface Report {
  schemaVersion: 1;
  tool: { name: string; version: string };
  startedAt: string;
  durationMs: number;
  target: {
    serverName?: string;
    offline: boolean;
    inputs: Record<string, string | string[]>;
    replayedFrom?: string;
  };
  summary: Record<CheckStatus, number>;
  checks: CheckResult[];
  probes: { id: string; status: ProbeStatus; durationMs: number; reason?: string; error?: ProbeErrorInfo }[];
}
