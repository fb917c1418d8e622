// homeserver-config: Synapse's homeserver.yaml read the way Synapse reads it (PyYAML, YAML 1.1).
// Syntax that PyYAML rejects, keys Synapse requires, keys it renamed or removed, and values of the
// wrong type for the keys other checks rely on.

import { defineCheck } from '../../src/engine/define.js';
import type { Edit, FindingDraft } from '../../src/engine/types.js';
import type { ParsedYaml } from '../../src/parse/yaml.js';
import type { ConfigFileArtifact, HomeserverConfigArtifact } from '../../src/probes/config-files.js';
import type { TargetArtifact } from '../../src/probes/target.js';
import { describeValue, dig, isObject, locate, spanLocation } from '../shared/locate.js';
import {
  CONSEQUENCES,
  DEPRECATED_KEYS,
  type Expect,
  IGNORED_WHY,
  NESTED_ONLY_KEYS,
  REMOVED_KEYS,
  REPLACEMENT_WORDS,
  SECTION_WORDS,
  SINCE_WORDS,
  TYPE_RULES,
  type TypeRule,
  WHEN_BOTH,
} from './synapse-keys.js';

const MAX_TAB_FINDINGS = 10;

/** Every concrete path (and value) matching a rule path with `*` wildcards over list items. */
function expand(root: unknown, path: TypeRule['path']): { path: (string | number)[]; value: unknown }[] {
  let current: { path: (string | number)[]; value: unknown }[] = [{ path: [], value: root }];
  for (const step of path) {
    const next: typeof current = [];
    for (const { path: p, value } of current) {
      if (step === '*') {
        if (Array.isArray(value)) {
          for (const [i, item] of value.entries()) next.push({ path: [...p, i], value: item });
        }
      } else if (isObject(value) && Object.hasOwn(value, step)) {
        next.push({ path: [...p, step], value: value[step] });
      }
    }
    current = next;
  }
  return current;
}

const DURATION = /^\d+(\.\d+)?[smhdwy]?$/;
const SIZE = /^\d+[KMGT]?$/;

function typeMatches(expect: Expect, value: unknown): boolean {
  switch (expect) {
    case 'string':
      return typeof value === 'string';
    case 'bool':
      return typeof value === 'boolean';
    case 'int':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'list':
      return Array.isArray(value);
    case 'map':
      return isObject(value);
    case 'stringList':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'port':
      return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535;
    case 'duration':
      return Number.isInteger(value) || (typeof value === 'string' && DURATION.test(value) && !/\.\d+[smhdwy]$/.test(value));
    case 'size':
      return Number.isInteger(value) || (typeof value === 'string' && SIZE.test(value));
  }
}

/** What a value should be, by type: MXD-HS-008's phrases (the type is the id). */
const EXPECT_TEXT: Record<Expect, string> = {
  string: 'a string',
  bool: 'true or false (unquoted)',
  int: 'a whole number',
  number: 'a number',
  list: 'a list',
  map: 'a map of settings',
  stringList: 'a list of strings',
  port: 'a port number (1-65535)',
  duration: 'a duration: milliseconds, or a number with s, m, h, d, w or y (e.g. 1d)',
  size: 'a size: bytes, or a number with K, M, G or T (e.g. 50M)',
};

/** Phrases from several tables, each id with one set of words (a clash is a bug in the tables). */
function phrases(...tables: [string, string][][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, words] of tables.flat()) {
    if (Object.hasOwn(out, id) && out[id] !== words) throw new Error(`phrase '${id}' has two sets of words`);
    out[id] = words;
  }
  return out;
}

/** The id of the phrase of MXD-HS-009's ignored message for a fatal key that is ignored because it is empty or false. */
const synapseErrorId = (key: string) => `synapseError.${key}`;

/** The key that starts at a column of a line (a duplicate-key problem points there): plain or quoted. */
function keyAt(lineText: string, column: number): string {
  const rest = lineText.slice(column - 1);
  const quoted = rest.match(/^(["'])(.*?)\1/);
  return quoted ? quoted[2] : rest.split(/:(?:\s|$)/)[0].trim();
}

const SERVER_NAME = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]{1,255})(:\d{1,5})?$/;

/** Truthiness as Synapse's Python sees it: empty strings, lists and maps are false. */
function pythonTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

/** What PyYAML makes of one file: tab, syntax and duplicate-key findings, and its settings when it can be read. */
function readFindings(cfg: ConfigFileArtifact<ParsedYaml>): { findings: FindingDraft[]; blocked: boolean; value?: Record<string, unknown> } {
  const { file, sha256 } = cfg;
  const { value, problems, indentUnit } = cfg.parsed;
  const findings: FindingDraft[] = [];

  // Syntax first: with these, Synapse stops before it reads a single key.
  const tabs = problems.filter((p) => p.kind === 'tab');
  const tabLines = [...new Set(tabs.map((t) => t.span.line))];
  for (const line of tabLines.slice(0, MAX_TAB_FINDINGS)) {
    const onLine = tabs.filter((t) => t.span.line === line);
    const first = onLine[0];
    const spaces = first.inIndent ? ' '.repeat(indentUnit) : ' ';
    const edits: Edit[] = onLine.map((t) => ({
      kind: 'text',
      file,
      start: t.span.offset,
      end: t.span.offset + 1,
      text: t.inIndent ? ' '.repeat(indentUnit) : ' ',
      expectSha256: sha256,
    }));
    findings.push({
      code: 'MXD-HS-001',
      messageId: first.inIndent ? 'tabIndent' : 'tabBetween',
      data: { line, column: first.span.column },
      location: spanLocation(file, first.span),
      evidence: { line: first.lineText.replace(/\t/g, '→'), tabColumns: onLine.map((t) => t.span.column) },
      fix: {
        summaryId: first.inIndent ? 'tabIndent' : 'tabBetween',
        summaryData: first.inIndent ? { line, spaces: indentUnit } : { line, column: first.span.column },
        steps: [`sed -i '${line}s/\\t/${spaces}/g' ${file}`, `Check the result: python3 -c 'import yaml,sys; yaml.safe_load(open(sys.argv[1]))' ${file}`],
        edits,
      },
    });
  }
  if (tabLines.length > MAX_TAB_FINDINGS) {
    const rest = tabLines.slice(MAX_TAB_FINDINGS);
    findings.push({
      code: 'MXD-HS-001',
      messageId: 'moreTabs',
      data: { count: rest.length, lines: rest.slice(0, 20).join(', ') + (rest.length > 20 ? ', ...' : '') },
      location: { file },
      evidence: { lines: rest },
      fix: {
        summaryId: 'moreTabs',
        steps: [`cp -p ${file} ${file}.bak && sed -i 's/\\t/${' '.repeat(indentUnit)}/g' ${file}   # sed -i keeps the owner and mode`],
        edits: [],
      },
    });
  }
  // From a tab in the indentation on, the `yaml` package reads another structure than the file means, so
  // its syntax and duplicate-key complaints there are artefacts of the tab (PyYAML stops at the tab itself).
  const firstIndentTab = Math.min(...tabs.filter((t) => t.inIndent).map((t) => t.span.offset));
  const beforeIndentTab = (p: (typeof problems)[number]) => p.span.offset < firstIndentTab;
  for (const p of problems.filter((x) => x.kind === 'syntax' && beforeIndentTab(x))) {
    findings.push({
      code: 'MXD-HS-002',
      messageId: 'syntax',
      data: { detail: p.message },
      location: spanLocation(file, p.span),
      evidence: { line: p.lineText },
      fix: {
        summaryId: 'syntax',
        summaryData: { line: p.span.line, column: p.span.column },
        steps: [`Validate with: python3 -m synapse.config -c ${file}   (or: python3 -c 'import yaml,sys; yaml.safe_load(open(sys.argv[1]))' ${file})`],
        edits: [],
      },
    });
  }
  for (const p of problems.filter((x) => x.kind === 'duplicate-key' && beforeIndentTab(x))) {
    const key = keyAt(p.lineText, p.span.column);
    findings.push({
      code: 'MXD-HS-003',
      messageId: 'duplicate',
      data: { key },
      location: spanLocation(file, p.span),
      evidence: { line: p.lineText },
      fix: { summaryId: 'duplicate', summaryData: { key }, steps: [], edits: [] },
    });
  }
  // Nor are keys judged: a tab-indented line may have moved to the top level, and PyYAML reads nothing at all.
  if (value === undefined || firstIndentTab < Number.POSITIVE_INFINITY) return { findings, blocked: true };
  if (!isObject(value)) {
    findings.push({
      code: 'MXD-HS-004',
      messageId: 'notMap',
      data: { found: describeValue(value) },
      location: { file, line: 1, column: 1 },
      evidence: { found: describeValue(value) },
      fix: { summaryId: 'notMap', steps: [], edits: [] },
    });
    return { findings, blocked: false };
  }
  return { findings, blocked: false, value };
}

export default defineCheck({
  id: 'homeserver-config',
  title: 'Synapse homeserver.yaml',
  description: 'Reads homeserver.yaml as Synapse does and reports what would stop Synapse or silently change its behaviour.',
  requires: ['homeserverConfig'],
  uses: ['target'],
  codes: [
    {
      code: 'MXD-HS-001',
      severity: 'error',
      title: 'Tab character in homeserver.yaml',
      messages: {
        tabIndent: "Line {{line}} is indented with a tab; Synapse cannot read the file (PyYAML: found character '\\t' that cannot start any token).",
        tabBetween:
          'Line {{line}} has a tab at column {{column}}; PyYAML rejects tabs between tokens, not only in indentation, so Synapse cannot read the file.',
        moreTabs: '{{count}} more lines contain tabs ({{lines}}).',
      },
      fixes: {
        tabIndent: "Replace the tab on line {{line}} with {{spaces}} spaces (the file's indentation step).",
        tabBetween: 'Replace the tab on line {{line}} column {{column}} with a space.',
        moreTabs: 'Replace every tab with spaces.',
      },
    },
    {
      code: 'MXD-HS-002',
      severity: 'error',
      title: 'homeserver.yaml is not valid YAML',
      messages: { syntax: 'YAML syntax error: {{detail}}.' },
      fixes: { syntax: 'Correct the YAML at line {{line}}, column {{column}}.' },
    },
    {
      code: 'MXD-HS-003',
      severity: 'warning',
      title: 'Key defined twice in homeserver.yaml',
      messages: { duplicate: "'{{key}}' is defined more than once; Synapse silently uses only the last one, so the earlier block has no effect." },
      fixes: { duplicate: "Merge the two '{{key}}' blocks into one, or delete the one you do not want." },
    },
    {
      code: 'MXD-HS-004',
      severity: 'error',
      title: 'homeserver.yaml is empty or not a map of settings',
      messages: { notMap: 'The file is empty or not a key-value map ({{found}}); Synapse ignores it ("doesn\'t parse into a key-value map. IGNORING.").' },
      fixes: { notMap: 'Point --homeserver-config at the real homeserver.yaml (a map of settings such as server_name: ...).' },
    },
    {
      code: 'MXD-HS-005',
      severity: 'error',
      title: 'server_name missing or invalid',
      messages: {
        missing: 'server_name is missing; Synapse refuses to start ("Missing mandatory `server_name` config option.").',
        invalid: "server_name '{{value}}' is not a valid server name (hostname[:port], no scheme or path); Synapse refuses to start.",
        mismatch: "server_name is '{{value}}' but the server name given to matrixdoc is '{{expected}}'.",
      },
      fixes: {
        missing: "Add server_name: the domain in your users' IDs (@alice:example.com → example.com). It cannot be changed later.",
        invalid: 'Use only the host name (and port if any): no https://, no path.',
        mismatch: 'Check which is right: server_name can never change once users exist; if the file is right, run matrixdoc with that --server-name.',
      },
    },
    {
      code: 'MXD-HS-006',
      severity: 'error',
      title: 'report_stats missing',
      messages: { missing: 'report_stats is missing; Synapse refuses to start until it is set to true or false, even though the docs call false the default.' },
      fixes: { missing: 'Add report_stats: false (or true to send anonymous usage statistics to matrix.org).' },
    },
    {
      code: 'MXD-HS-007',
      severity: 'warning',
      title: 'Deprecated key that Synapse still reads',
      messages: {
        deprecated: "'{{key}}' is deprecated (since Synapse {{@since}}); use {{@replacement}}. If both are set: {{@whenBoth}}.",
        ignored:
          "'{{key}}' has no effect: {{ignoredWhen}} is also set, so Synapse ignores the old key. Move the value into {{@replacement}} or delete the line.",
      },
      fixes: {
        deprecated: "Replace '{{key}}' with {{@replacement}}.",
        ignored: "Delete '{{key}}' (it is ignored), or move its value into {{@replacement}}.",
      },
      // The replacement and the version are a key and a version number, or words (REPLACEMENT_WORDS, SINCE_WORDS).
      phrases: phrases(
        Object.entries(WHEN_BOTH),
        DEPRECATED_KEYS.map((d) => [d.replacement, REPLACEMENT_WORDS[d.replacement] ?? d.replacement]),
        DEPRECATED_KEYS.map((d) => [d.since, SINCE_WORDS[d.since] ?? d.since]),
      ),
    },
    {
      code: 'MXD-HS-008',
      severity: 'error',
      title: 'Value of the wrong type',
      messages: {
        wrongType: '{{key}} should be {{@expected}}, found {{found}}; {{@consequence}}.',
        quotedBool: "{{key}} is the quoted string '{{value}}', not a boolean; {{@consequence}}.",
        notOneOf: '{{key}} is {{found}}; Synapse accepts only {{allowed}}.',
      },
      fixes: {
        quotedBool: 'Write {{key}}: {{value}} without quotes.',
        notOneOf: 'Use one of: {{allowed}}.',
        wrongType: 'Set {{key}} to {{@expected}}.',
      },
      phrases: phrases(Object.entries(EXPECT_TEXT), Object.entries(CONSEQUENCES)),
    },
    {
      code: 'MXD-HS-009',
      severity: 'error',
      title: 'Option removed from Synapse',
      messages: {
        fatal: '\'{{key}}\' was removed in Synapse {{since}} and now stops it from starting: "{{effect}}"',
        ignored: "'{{key}}' was removed in Synapse {{since}} and is silently ignored ({{@effect}}).",
      },
      fixes: {
        removed: "Delete '{{key}}'.",
        delegateEmail: 'Delete account_threepid_delegates.email and configure an SMTP server in the email section instead.',
      },
      // Why a key is ignored; for a key Synapse refuses only when it is set, the error it would print.
      phrases: phrases(
        Object.entries(IGNORED_WHY),
        REMOVED_KEYS.filter((r) => r.fatal && r.whenTruthy).map((r) => [synapseErrorId(r.key), r.effect]),
      ),
    },
    {
      code: 'MXD-HS-010',
      severity: 'error',
      title: 'public_baseurl is not a usable URL',
      messages: {
        scheme: 'public_baseurl \'{{value}}\' must start with https:// (or http://); Synapse refuses to start ("Invalid scheme").',
        query: "public_baseurl '{{value}}' has a query or #-fragment; Synapse refuses to start.",
        invalid: "public_baseurl '{{value}}' is not a URL; Synapse refuses to start.",
        path: "public_baseurl '{{value}}' includes /_matrix; it must be the base URL clients type, without any API path.",
      },
      fixes: { set: 'Set public_baseurl to the https URL clients use to reach Synapse through the proxy, e.g. https://matrix.example.com/.' },
    },
    {
      code: 'MXD-HS-011',
      severity: 'warning',
      title: 'Setting at the top level that belongs inside a section',
      messages: { misindented: "'{{key}}' is at the top level, but it belongs inside {{@section}}; a mis-indented line is silently ignored by Synapse." },
      fixes: { misindented: "Indent '{{key}}' under {{@section}}, or delete it." },
      phrases: SECTION_WORDS,
    },
  ],
  run(inputs): FindingDraft[] {
    const cfg = inputs.get<HomeserverConfigArtifact>('homeserverConfig');
    const files = [cfg, ...(cfg.overrides ?? [])];
    const findings: FindingDraft[] = [];
    // Synapse reads every file before judging any key, and stops at the first one PyYAML cannot read.
    const readable: { art: ConfigFileArtifact<ParsedYaml>; value: Record<string, unknown> }[] = [];
    let blocked = false;
    for (const art of files) {
      const r = readFindings(art);
      findings.push(...r.findings);
      blocked ||= r.blocked;
      if (r.value) readable.push({ art, value: r.value });
    }
    if (blocked || readable.length === 0) return findings;
    // Later files replace whole top-level keys (a shallow merge), as Synapse's read_config_files does.
    const top: Record<string, unknown> = {};
    const owner = new Map<string, ConfigFileArtifact<ParsedYaml>>();
    for (const { art, value } of readable) {
      for (const [k, v] of Object.entries(value)) {
        top[k] = v;
        owner.set(k, art);
      }
    }
    const ownerOf = (path: readonly (string | number)[]) => owner.get(String(path[0])) ?? cfg;
    const at = (path: readonly (string | number)[], key = false) => {
      const art = ownerOf(path);
      return locate(art.file, art.parsed.positions, path, key);
    };
    const { file, sha256 } = cfg;
    /** Edits go to the file that really holds the key (a later conf.d file wins). */
    const holder = (path: readonly (string | number)[]) => ({ file: ownerOf(path).file, expectSha256: ownerOf(path).sha256 });
    if (!Object.hasOwn(top, 'server_name')) {
      findings.push({
        code: 'MXD-HS-005',
        messageId: 'missing',
        location: { file },
        evidence: { keys: Object.keys(top).slice(0, 20) },
        fix: {
          summaryId: 'missing',
          steps: ['server_name: "example.com"'],
          edits: [],
        },
      });
    } else if (typeof top.server_name === 'string' && !SERVER_NAME.test(top.server_name)) {
      findings.push({
        code: 'MXD-HS-005',
        messageId: 'invalid',
        data: { value: top.server_name },
        location: at(['server_name']),
        evidence: { server_name: top.server_name },
        fix: {
          summaryId: 'invalid',
          steps: [`server_name: "${top.server_name.replace(/^\w+:\/\//, '').replace(/\/.*$/, '')}"`],
          edits: [],
        },
      });
    }
    const expected = inputs.optional<TargetArtifact>('target')?.serverName;
    if (expected && typeof top.server_name === 'string' && SERVER_NAME.test(top.server_name) && top.server_name !== expected) {
      findings.push({
        code: 'MXD-HS-005',
        messageId: 'mismatch',
        data: { value: top.server_name, expected },
        location: at(['server_name']),
        evidence: { server_name: top.server_name, given: expected },
        fix: {
          summaryId: 'mismatch',
          steps: [`matrixdoc check --server-name ${top.server_name} ...`],
          edits: [],
        },
      });
    }
    if (!Object.hasOwn(top, 'report_stats')) {
      findings.push({
        code: 'MXD-HS-006',
        messageId: 'missing',
        location: { file },
        evidence: {},
        fix: {
          summaryId: 'missing',
          steps: ['report_stats: false'],
          edits: [{ kind: 'yaml-set', file, path: ['report_stats'], value: false, expectSha256: sha256 }],
        },
      });
    }

    for (const d of DEPRECATED_KEYS) {
      if (!Object.hasOwn(top, d.key)) continue;
      const dead =
        d.ignoredWhen !== undefined && (d.ignoredWhen.includes('.') ? dig(top, d.ignoredWhen.split('.')) != null : Object.hasOwn(top, d.ignoredWhen));
      const [block, sub] = d.replacement.split('.');
      const canMove = !dead && d.ignoredWhen !== undefined && sub !== undefined && /^[a-z_]+$/.test(sub);
      findings.push({
        code: 'MXD-HS-007',
        messageId: dead ? 'ignored' : 'deprecated',
        data: { key: d.key, replacement: d.replacement, since: d.since, whenBoth: d.whenBoth, ignoredWhen: d.ignoredWhen ?? '' },
        location: at([d.key], true),
        evidence: { [d.key]: top[d.key] },
        fix: {
          summaryId: dead ? 'ignored' : 'deprecated',
          summaryData: { key: d.key, replacement: d.replacement },
          steps: canMove ? [`${block}:\n  ${sub}: ${JSON.stringify(top[d.key])}`] : [],
          edits: canMove
            ? [
                { kind: 'yaml-set', ...holder([d.key]), path: [block, sub], value: top[d.key] },
                { kind: 'yaml-delete', ...holder([d.key]), path: [d.key] },
              ]
            : dead
              ? [{ kind: 'yaml-delete', ...holder([d.key]), path: [d.key] }]
              : [],
        },
      });
    }

    for (const r of REMOVED_KEYS) {
      if (!Object.hasOwn(top, r.key)) continue;
      const fatal = r.fatal && (!r.whenTruthy || pythonTruthy(top[r.key]));
      findings.push({
        code: 'MXD-HS-009',
        messageId: fatal ? 'fatal' : 'ignored',
        severity: fatal ? 'error' : 'warning',
        data: { key: r.key, since: r.since, effect: fatal || !r.fatal ? r.effect : synapseErrorId(r.key) },
        location: at([r.key], true),
        evidence: { [r.key]: top[r.key] },
        fix: { summaryId: 'removed', summaryData: { key: r.key }, steps: [], edits: [{ kind: 'yaml-delete', ...holder([r.key]), path: [r.key] }] },
      });
    }
    const delegation = dig(top, ['account_threepid_delegates']);
    if (isObject(delegation) && Object.hasOwn(delegation, 'email')) {
      findings.push({
        code: 'MXD-HS-009',
        messageId: 'fatal',
        data: {
          key: 'account_threepid_delegates.email',
          since: '1.66.0',
          effect: 'Delegation of email verification to an identity server is no longer supported.',
        },
        location: at(['account_threepid_delegates', 'email'], true),
        evidence: {},
        fix: {
          summaryId: 'delegateEmail',
          steps: [],
          edits: [{ kind: 'yaml-delete', ...holder(['account_threepid_delegates']), path: ['account_threepid_delegates', 'email'] }],
        },
      });
    }

    for (const rule of TYPE_RULES) {
      for (const { path, value: v } of expand(top, rule.path)) {
        const key = path
          .map((p) => (typeof p === 'number' ? `[${p}]` : p))
          .join('.')
          .replace(/\.\[/g, '[');
        if (v === null && rule.path.length === 1 && rule.path[0] === 'public_baseurl') continue; // null means "the default"
        if (!typeMatches(rule.expect, v)) {
          const quotedBool = rule.expect === 'bool' && typeof v === 'string' && /^(true|false|yes|no|on|off)$/i.test(v);
          const boolValue = quotedBool ? /^(true|yes|on)$/i.test(v as string) : undefined;
          findings.push({
            code: 'MXD-HS-008',
            messageId: quotedBool ? 'quotedBool' : 'wrongType',
            data: { key, expected: rule.expect, found: describeValue(v), consequence: rule.consequence, value: String(v) },
            location: at(path),
            evidence: { [key]: v },
            fix: {
              summaryId: quotedBool ? 'quotedBool' : 'wrongType',
              summaryData: quotedBool ? { key, value: String(boolValue) } : { key, expected: rule.expect },
              steps: [],
              edits: quotedBool ? [{ kind: 'yaml-set', ...holder(path), path, value: boolValue }] : [],
            },
          });
          continue;
        }
        if (rule.oneOf) {
          const values = Array.isArray(v) ? v : [v];
          const bad = values.filter((x) => !rule.oneOf?.includes(String(x)));
          if (bad.length > 0) {
            findings.push({
              code: 'MXD-HS-008',
              messageId: 'notOneOf',
              data: { key, found: bad.map((b) => `'${b}'`).join(', '), allowed: rule.oneOf.join(', ') },
              location: at(path),
              evidence: { [key]: v },
              fix: { summaryId: 'notOneOf', summaryData: { allowed: rule.oneOf.join(', ') }, steps: [], edits: [] },
            });
          }
        }
      }
    }

    const baseurl = top.public_baseurl;
    if (typeof baseurl === 'string') {
      let messageId: string | undefined;
      try {
        const u = new URL(baseurl);
        if (u.protocol !== 'https:' && u.protocol !== 'http:') messageId = 'scheme';
        else if (u.search || u.hash) messageId = 'query';
        else if (u.pathname.includes('/_matrix')) messageId = 'path';
      } catch {
        messageId = /^[a-z][a-z0-9+.-]*:/i.test(baseurl) ? 'invalid' : 'scheme';
      }
      if (messageId) {
        findings.push({
          code: 'MXD-HS-010',
          messageId,
          data: { value: baseurl },
          location: at(['public_baseurl']),
          evidence: { public_baseurl: baseurl },
          fix: {
            summaryId: 'set',
            steps: ['public_baseurl: "https://matrix.example.com/"'],
            edits: [],
          },
        });
      }
    }

    for (const [key, section] of Object.entries(NESTED_ONLY_KEYS)) {
      if (!Object.hasOwn(top, key)) continue;
      findings.push({
        code: 'MXD-HS-011',
        messageId: 'misindented',
        data: { key, section },
        location: at([key], true),
        evidence: { [key]: top[key] },
        fix: { summaryId: 'misindented', summaryData: { key, section }, steps: [], edits: [] },
      });
    }
    return findings;
  },
});
