// Triage: reads free text (a ticket, a chat message, browser console output, a rageshake, server logs),
// recognises the signatures of known problems (rules.ts) and ranks their likely causes. Pure: no I/O.
//
// Ranking: a cause's likelihood is its rule's weight × the number of distinct texts its patterns matched
// (overlapping matches on one line count once, a line repeated a thousand times counts once); ties keep
// the rules' order. Quoted evidence goes through the Redactor: secrets under secret-looking keys in the
// text itself, access tokens, JWTs, credentials in URLs and bearer tokens never reach the output.

import { docsPath } from '../engine/run.js';
import type { CheckResult, Finding } from '../engine/types.js';
import { isSecretKey, type Redactor } from '../report/redact.js';
import { RULES, type TriageRule } from './rules.js';

export const TRIAGE_SCHEMA_VERSION = 1 as const;

export interface Evidence {
  /** 1-based line number in the text read. */
  line: number;
  /** The line (or the part around the match on a long line), secrets redacted. */
  text: string;
}

export interface Cause {
  id: string;
  title: string;
  /** Weight × distinct matches: higher is likelier; comparable only within one answer. */
  likelihood: number;
  /** How many distinct texts matched. */
  matches: number;
  /** How many lines matched. */
  occurrences: number;
  /** The first line of each distinct match (at most `maxEvidence`). */
  evidence: Evidence[];
  checks: string[];
  codes: string[];
  docs: string[];
  explanation: string;
  firstStep: string;
}

export interface TriageResult {
  schemaVersion: typeof TRIAGE_SCHEMA_VERSION;
  causes: Cause[];
  /** True when nothing in the text matched a known signature. */
  unrecognised: boolean;
  lines: number;
}

export interface TriageOptions {
  /** Scrubs the quoted evidence; secrets found in the text are registered with it. */
  redactor: Redactor;
  rules?: TriageRule[];
  /** Evidence lines kept per cause. */
  maxEvidence?: number;
}

/** Longest quote per evidence line; longer lines are cut around the match. */
export const MAX_QUOTE = 240;
/** The Redactor's tags (`<redacted:` and 8 hex digits). */
const REDACTED_TAG = /<redacted:[0-9a-f]{8}>/g;

// Tokens that are secrets whatever key they are under: Synapse/MAS access and refresh tokens, JWTs (Jitsi).
const TOKEN_PATTERNS = [/\b(?:syt|syr|syu|mat|mar|mct)_[A-Za-z0-9_=-]{16,}/g, /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g];
// `"password": "..."` anywhere (JSON bodies in rageshakes and console output).
const JSON_PAIR = /"([A-Za-z0-9_.-]{1,64})"\s*:\s*"((?:[^"\\\n]|\\.){1,2000})"/g;
// `password: x`, `bind_password = x`, `export FOO_SECRET=x`, `- token: x` at the start of a line (YAML, INI, .env).
const LINE_PAIR = /^[ \t]*(?:-[ \t]+)?(?:export[ \t]+)?["']?([A-Za-z0-9_.-]{1,64})["']?[ \t]*[:=][ \t]*(.+?)[ \t]*$/gm;
// `secret=x` inside a line (log lines, query-like text).
const INLINE_PAIR = /\b([A-Za-z0-9_.-]{1,64})=("[^"\n]{1,500}"|'[^'\n]{1,500}'|[^\s&,;"'<>]{1,500})/g;
/** Query parameters the Redactor replaces in every URL by itself (its SECRET_QUERY). */
const URL_CREDENTIAL = /^(?:key|api_key|apikey|access_token|token|secret|password|sig|signature)$/i;
const NOT_A_VALUE = /^(?:true|false|yes|no|on|off|null|none|~|\||>|[|>][+-]?\d*|\{\}|\[\])$/i;

function cleanValue(raw: string): string {
  let v = raw.trim();
  const q = v[0];
  if ((q === '"' || q === "'") && v.indexOf(q, 1) > 0) v = v.slice(1, v.indexOf(q, 1));
  else v = v.replace(/\s+#.*$/, '').replace(/[,;]$/, '');
  return v.trim();
}

const isToken = (v: string) => TOKEN_PATTERNS.some((re) => new RegExp(`^(?:${re.source})$`).test(v));

/**
 * Registers every secret the text shows under a secret-looking key with the redactor, so that it is
 * replaced wherever else it appears. Tokens recognisable by their shape (scrubTokens) and credentials in
 * URL query strings (the Redactor's own pattern) are not registered: a log holds thousands of them, and
 * each registered secret costs every later redaction.
 */
export function registerTextSecrets(text: string, redactor: Redactor): void {
  const add = (value: string) => {
    const v = cleanValue(value);
    if (v && !NOT_A_VALUE.test(v) && !v.startsWith('<redacted') && !isToken(v)) redactor.add(v);
  };
  for (const m of text.matchAll(JSON_PAIR)) {
    if (!isSecretKey(m[1])) continue;
    let v = m[2];
    try {
      v = JSON.parse(`"${m[2]}"`);
    } catch {
      // keep the raw text
    }
    if (!isToken(v.trim())) redactor.add(v);
  }
  for (const m of text.matchAll(LINE_PAIR)) if (isSecretKey(m[1])) add(m[2]);
  for (const m of text.matchAll(INLINE_PAIR)) {
    const before = m.index > 0 ? text[m.index - 1] : '';
    const coveredByUrlPattern = (before === '?' || before === '&') && URL_CREDENTIAL.test(m[1]);
    if (isSecretKey(m[1]) && !coveredByUrlPattern) add(m[2]);
  }
}

/** Replaces Matrix access/refresh tokens and JWTs, wherever they are, by their tags. */
export function scrubTokens(text: string, redactor: Redactor): string {
  let out = text;
  for (const re of TOKEN_PATTERNS) out = out.replace(re, (t) => redactor.tag(t));
  return out;
}

/** What triage quotes: the Redactor's scrubbing, then tokens by their shape. */
export function scrubText(text: string, redactor: Redactor): string {
  return scrubTokens(redactor.text(text), redactor);
}

/** Terminal colours and other escape sequences, as in `docker logs` or journalctl output. */
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

export function splitLines(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .replace(ANSI, '')
    .split(/\r\n|\r|\n/);
}

interface CompiledRule {
  rule: TriageRule;
  index: number;
  /** Any pattern of the rule, to skip lines quickly. */
  any: RegExp;
  patterns: RegExp[];
}

function compile(rules: TriageRule[]): CompiledRule[] {
  return rules.map((rule, index) => ({
    rule,
    index,
    any: new RegExp(rule.patterns.map((p) => `(?:${p.source})`).join('|'), 'i'),
    patterns: rule.patterns.map((p) => new RegExp(p.source, 'gi')),
  }));
}

const normalise = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** The quoted line: redacted first (so a cut never leaves half a secret), then cut around the match if long. */
function quote(line: string, start: number, end: number, redactor: Redactor): string {
  let text = line;
  let from = 0;
  // Very long lines (minified JSON) are narrowed first, far from the match, to bound the redaction work.
  if (text.length > 65536) {
    from = Math.max(0, start - 8192);
    text = text.slice(from, Math.min(text.length, end + 8192));
  }
  // Control characters (other than tab) would act on the reader's terminal: shown as �.
  const red = scrubText(text, redactor)
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\ufffd')
    .trim();
  if (red.length <= MAX_QUOTE) return red;
  const needle = line.slice(start, end);
  let at = red.indexOf(needle);
  if (at < 0) at = Math.max(0, start - from);
  let a = Math.max(0, at - 80);
  let b = Math.min(red.length, a + MAX_QUOTE);
  // Never cut inside a <redacted:xxxxxxxx> tag (a real one: a `<redacted:` typed in the text, with a `>`
  // far away, must not stretch the quote past MAX_QUOTE).
  for (const m of red.matchAll(REDACTED_TAG)) {
    const [from, to] = [m.index, m.index + m[0].length];
    if (from < a && a < to) a = from;
    if (from < b && b < to) b = to;
  }
  return `${a > 0 ? '…' : ''}${red.slice(a, b).trim()}${b < red.length ? '…' : ''}`;
}

/** Spans of every match of the rule on the line, overlapping ones merged. */
function spansOf(line: string, c: CompiledRule): [number, number][] {
  const spans: [number, number][] = [];
  for (const re of c.patterns) {
    re.lastIndex = 0;
    for (const m of line.matchAll(re)) if (m[0].length > 0) spans.push([m.index, m.index + m[0].length]);
  }
  spans.sort((x, y) => x[0] - y[0] || y[1] - x[1]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] < last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged;
}

export function docsFor(rule: Pick<TriageRule, 'id' | 'codes'>): string[] {
  return rule.codes.length ? rule.codes.map(docsPath) : [`docs/triage.md#${rule.id}`];
}

export function triageText(text: string, opts: TriageOptions): TriageResult {
  const rules = compile(opts.rules ?? RULES);
  const maxEvidence = opts.maxEvidence ?? 10;
  registerTextSecrets(text, opts.redactor);
  const lines = splitLines(text);
  const state = rules.map(() => ({ distinct: new Set<string>(), occurrences: 0, evidence: [] as Evidence[] }));
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    rules.forEach((c, r) => {
      if (!c.any.test(line)) return;
      const spans = spansOf(line, c);
      if (spans.length === 0) return;
      const s = state[r];
      s.occurrences++;
      let quoted = false;
      for (const [a, b] of spans) {
        const key = normalise(line.slice(a, b));
        if (s.distinct.has(key)) continue;
        s.distinct.add(key);
        if (!quoted && s.evidence.length < maxEvidence) {
          s.evidence.push({ line: i + 1, text: quote(line, a, b, opts.redactor) });
          quoted = true;
        }
      }
    });
  });
  const causes = rules
    .map((c, r) => ({ c, s: state[r] }))
    .filter(({ s }) => s.distinct.size > 0)
    .map(({ c, s }) => ({
      order: c.index,
      cause: {
        id: c.rule.id,
        title: c.rule.title,
        likelihood: c.rule.weight * s.distinct.size,
        matches: s.distinct.size,
        occurrences: s.occurrences,
        evidence: s.evidence,
        checks: [...c.rule.checks],
        codes: [...c.rule.codes],
        docs: docsFor(c.rule),
        explanation: c.rule.explanation,
        firstStep: c.rule.firstStep,
      } satisfies Cause,
    }))
    .sort((x, y) => y.cause.likelihood - x.cause.likelihood || x.order - y.order)
    .map((x) => x.cause);
  // A final newline ends the last line; it does not start another.
  const count = lines.length > 1 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  return { schemaVersion: TRIAGE_SCHEMA_VERSION, causes, unrecognised: causes.length === 0, lines: count };
}

// --- Verdicts (`triage --run`): what the checks say about each suspected cause. ---

export type VerdictStatus = 'confirmed' | 'ruled-out' | 'could-not-test';

export interface Verdict {
  status: VerdictStatus;
  /** One line: why. */
  reason: string;
  /** The findings that confirm the cause. */
  findings: { check: string; code: string; severity: string; message: string }[];
  /** Checks that ran (pass, warn or fail). */
  tested: string[];
  /** Checks that could not say anything, and why. */
  untested: { check: string; reason: string }[];
  /** Checks that ran without their network probes (--offline): their live part was not tried. */
  offline?: string[];
}

/** The check ids the causes name, in order, without duplicates. */
export function checksOf(causes: Pick<Cause, 'checks'>[]): string[] {
  return [...new Set(causes.flatMap((c) => c.checks))];
}

/**
 * Confirmed: a finding with one of the cause's codes (or, for a cause that lists no codes, any warning or
 * failure of its checks). Ruled out: every one of its checks ran and none of that was found. Otherwise
 * could not test: some check was skipped, could not run, or does not exist in this matrixdoc.
 */
export function verdictFor(
  cause: Pick<Cause, 'checks' | 'codes'> & Pick<TriageRule, 'notConfirmedBy'>,
  results: ReadonlyMap<string, CheckResult>,
  available: ReadonlySet<string>,
  /** Checks whose network probes were skipped by --offline. */
  offlineChecks: ReadonlySet<string> = new Set(),
): Verdict {
  const tested: string[] = [];
  const untested: Verdict['untested'] = [];
  const hits: Finding[] = [];
  for (const id of cause.checks) {
    if (!available.has(id)) {
      untested.push({ check: id, reason: `this matrixdoc has no '${id}' check yet` });
      continue;
    }
    const r = results.get(id);
    if (!r) untested.push({ check: id, reason: 'not run' });
    else if (r.status === 'skip') untested.push({ check: id, reason: `skipped: ${r.reason ?? 'no reason given'}` });
    else if (r.status === 'error') untested.push({ check: id, reason: `could not run: ${r.reason ?? 'no reason given'}` });
    else tested.push(id);
    if (!r) continue;
    // A check that errored part-way may still have found something (a failed optional probe).
    for (const f of r.findings) {
      if (cause.notConfirmedBy?.includes(`${f.code}:${f.messageId}`)) continue;
      if (cause.codes.length ? cause.codes.includes(f.code) : f.severity !== 'info') hits.push(f);
    }
  }
  const findings = hits.map((f) => ({ check: f.check, code: f.code, severity: f.severity, message: f.message }));
  if (findings.length) {
    const first = findings[0];
    const more = findings.length > 1 ? ` (and ${findings.length - 1} more)` : '';
    return { status: 'confirmed', reason: `${first.check}: ${first.code} ${first.message}${more}`, findings, tested, untested };
  }
  const found = cause.codes.length ? `none of ${cause.codes.join(', ')}` : 'no warning or failure';
  if (untested.length === 0) {
    const offline = tested.filter((id) => offlineChecks.has(id));
    const note = offline.length ? ` (offline: the live part of ${offline.join(', ')} was not tried)` : '';
    return {
      status: 'ruled-out',
      reason: `${tested.join(', ')} ran and found ${found}${note}`,
      findings,
      tested,
      untested,
      ...(offline.length ? { offline } : {}),
    };
  }
  const why = untested.map((u) => `${u.check}: ${u.reason}`).join('; ');
  const partly = tested.length ? `; ${tested.join(', ')} ran and found ${found}` : '';
  return { status: 'could-not-test', reason: `${why}${partly}`, findings, tested, untested };
}
