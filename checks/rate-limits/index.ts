// rate-limits: what Synapse's rate limiters really limit, and why users get M_LIMIT_EXCEEDED. The classic
// cause is not a limit that is too low: it is a listener behind nginx without `x_forwarded: true`, so that
// Synapse sees every client as the proxy's address and all of them share one rc_login.address bucket.
// From homeserver.yaml and nginx's files (static), and, when asked, a live login probe, the admin API's
// per-user overrides and Synapse's log.

import { defineCheck } from '../../src/engine/define.js';
import type { CheckInputs, Edit, FindingDraft, FindingLocation, FixDraft } from '../../src/engine/types.js';
import type { NginxDirective } from '../../src/parse/nginx.js';
import type { ParsedYaml } from '../../src/parse/yaml.js';
import type { RateLimitOverridesArtifact } from '../../src/probes/admin-overrides.js';
import type { ConfigFileArtifact, HomeserverConfigArtifact, NginxConfigArtifact } from '../../src/probes/config-files.js';
import type { LoginAttempt, LoginRateArtifact } from '../../src/probes/login-rate.js';
import type { SynapseLogArtifact } from '../../src/probes/synapse-log.js';
import { isObject, locate } from '../shared/locate.js';
import { type NamedServer, type NginxEdits, namedServer, nginxEdits } from '../shared/nginx-edits.js';
import { type EffectiveLimit, effectiveLimits, formatFactor, limitOf, otherSettings, rate, tooHigh } from './limits.js';
import {
  describeSite,
  type ForwardMatch,
  forwardsToListeners,
  isLoopback,
  isPrivate,
  type Listener,
  listenersOf,
  loopbackOnly,
  type ProxySite,
  type XffState,
  xffFor,
} from './proxy.js';
import { DEBIAN_PROXY_PARAMS, LEGACY_MESSAGE_KEYS, LIMITERS, NOT_COVERED_BY_MESSAGE_LIMITS, secondsPerToken } from './rc-facts.js';

type Top = Record<string, unknown>;

/** The merged settings (later files replace top-level keys) and which file holds each key. */
interface Config {
  main: HomeserverConfigArtifact;
  top: Top;
  owner(path: readonly (string | number)[]): ConfigFileArtifact<ParsedYaml>;
  at(path: readonly (string | number)[], key?: boolean): FindingLocation;
  holder(path: readonly (string | number)[]): { file: string; expectSha256: string };
}

function readConfig(cfg: HomeserverConfigArtifact): Config | undefined {
  const top: Top = {};
  const owners = new Map<string, ConfigFileArtifact<ParsedYaml>>();
  for (const art of [cfg, ...(cfg.overrides ?? [])]) {
    const { value, problems } = art.parsed;
    // homeserver-config reports files Synapse cannot read; a tab in the indentation changes what the parser sees.
    if (value === undefined || problems.some((p) => p.kind === 'tab' && p.inIndent)) return undefined;
    if (!isObject(value)) continue;
    for (const [k, v] of Object.entries(value)) {
      top[k] = v;
      owners.set(k, art);
    }
  }
  const owner = (path: readonly (string | number)[]) => owners.get(String(path[0])) ?? cfg;
  return {
    main: cfg,
    top,
    owner,
    at: (path, key = false) => locate(owner(path).file, owner(path).parsed.positions, path, key),
    holder: (path) => ({ file: owner(path).file, expectSha256: owner(path).sha256 }),
  };
}

function listenerText(l: Listener): string {
  return l.path !== undefined ? `unix:${l.path}` : `port ${l.port}`;
}

/**
 * The words before a listener's port or socket path ("port 8008", "unix:/run/synapse.sock"): phrases of
 * every code whose messages name a listener as {{@listenerKind}}{{listener}}.
 */
const LISTENER_KIND = { port: 'port ', socket: 'unix:' };

/** A listener in message data: its kind (a phrase id) and its port or socket path. */
function listenerData(l: Listener): { listenerKind: keyof typeof LISTENER_KIND; listener: number | string } {
  return l.path !== undefined ? { listenerKind: 'socket', listener: l.path } : { listenerKind: 'port', listener: l.port ?? '' };
}

function listenerEvidence(l: Listener): Record<string, unknown> {
  return {
    index: l.index,
    ...(l.port !== undefined ? { port: l.port } : { path: l.path }),
    bind_addresses: l.bindsExplicit ? l.binds : `not set (Synapse binds ${l.binds.join(', ')})`,
    x_forwarded: l.xForwardedRaw === undefined ? 'not set (false for a TCP listener)' : l.xForwardedRaw,
    resources: l.resources,
  };
}

function siteEvidence(m: ForwardMatch): Record<string, unknown> {
  const xff = xffFor(m.site);
  return {
    at: `${m.site.file}:${m.site.directive.line}`,
    where: describeSite(m.site),
    proxy_pass: m.site.raw,
    matchedBy: m.via === 'port' ? 'port only (nginx names a host matrixdoc cannot resolve, e.g. a container)' : m.via,
    xForwardedFor: xff.xff ? `${xff.xff.value}${xff.xff.viaInclude ? ` (from include ${xff.xff.viaInclude})` : ''}` : 'not set by nginx',
  };
}

const indentOf = (d: NginxDirective) => ' '.repeat(Math.max(0, d.column - 1));

const XFF_SAFE = '$remote_addr';

/**
 * A proxy_pass's nginx edits that make X-Forwarded-For carry the address nginx saw ($remote_addr), both ways:
 * `declarative` (nginx-set / nginx-delete, naming the server block by a server_name and the location by its
 * arguments, as the reverse-proxy check's fixes do) where that name leads the fix engine's editor to the
 * very block that decides the header; `text` always. Text stays for what the editor cannot name: a
 * proxy_pass in an included snippet (no server block in that file), headers at the http level or the
 * file's top level, an `if` block or a nested location, a server block another one of that name precedes.
 */
function xffEdits(site: ProxySite, state: XffState, editor: NginxEdits | undefined): { declarative?: Edit[]; text: Edit[] } {
  const text = (start: number, end: number, t: string): Edit => ({ kind: 'text', file: site.file, start, end, text: t, expectSha256: site.sha256 });
  const server = site.ancestors.find((a) => a.name === 'server');
  /** Runs `build` with the server block and location (undefined for the server block itself) that `block` is, when the editor can name it. */
  const at = (block: NginxDirective | undefined, build: (s: NamedServer, loc: NginxDirective | undefined) => Edit[][]): Edit[] | undefined => {
    if (!editor || !server || !block || (block !== server && block.name !== 'location')) return undefined;
    const named = namedServer(server);
    const loc = block === server ? undefined : block;
    if (!editor.targetOf(named, loc)) return undefined;
    const edits = build(named, loc);
    return edits.every((e) => e.length > 0) ? edits.flat() : undefined;
  };
  const fail = () => [];
  const setHeader = (s: NamedServer, loc: NginxDirective | undefined, name: string, value: string, replaces?: NginxDirective) =>
    editor?.setDirective(s, loc, 'proxy_set_header', [name, value], replaces, fail) ?? [];
  if (state.verdict === 'spoofable' && state.xff) {
    const d = state.xff.directive;
    if (state.xff.viaInclude) {
      // Debian's proxy_params cannot be edited for one site: spell its headers out, XFF from $remote_addr.
      const lines = DEBIAN_PROXY_PARAMS.map(([n, v]) => `proxy_set_header ${n} ${n === 'X-Forwarded-For' ? XFF_SAFE : v};`);
      const own = (name: string) => state.headers.find((h) => !h.viaInclude && h.name.toLowerCase() === name.toLowerCase())?.directive;
      return {
        // The include's headers where the block does not set them itself (an own line stays as it is, but XFF), then no include.
        declarative: at(state.level, (s, loc) => [
          ...DEBIAN_PROXY_PARAMS.filter(([n]) => n === 'X-Forwarded-For' || !own(n)).map(([n, v]) => {
            const mine = own(n);
            return setHeader(s, loc, mine?.args[0] ?? n, n === 'X-Forwarded-For' ? XFF_SAFE : v, mine);
          }),
          editor?.deleteDirective(s, loc, d, fail) ?? [],
        ]),
        text: [text(d.start, d.end, lines.join(`\n${indentOf(d)}`))],
      };
    }
    return {
      // Matched by the header name as written (the editor tells proxy_set_header lines apart by their first argument).
      declarative: at(state.level, (s, loc) => [setHeader(s, loc, d.args[0], XFF_SAFE, d)]),
      text: [text(d.start, d.end, `proxy_set_header X-Forwarded-For ${XFF_SAFE};`)],
    };
  }
  if (state.verdict === 'absent') {
    const last = state.headers.at(-1)?.directive;
    if (last)
      return {
        // The editor adds it after the block's last proxy_set_header, as the text edit does.
        declarative: at(state.level, (s, loc) => [setHeader(s, loc, 'X-Forwarded-For', XFF_SAFE)]),
        text: [text(last.end, last.end, `\n${indentOf(last)}proxy_set_header X-Forwarded-For ${XFF_SAFE};`)],
      };
    // No level sets any header: add them in proxy_pass's own block (nginx would otherwise send only Host and Connection).
    const p = site.directive;
    const ind = indentOf(p);
    return {
      declarative: at(site.ancestors.at(-1), (s, loc) => [setHeader(s, loc, 'X-Forwarded-For', XFF_SAFE), setHeader(s, loc, 'X-Forwarded-Proto', '$scheme')]),
      text: [text(p.end, p.end, `\n${ind}proxy_set_header X-Forwarded-For ${XFF_SAFE};\n${ind}proxy_set_header X-Forwarded-Proto $scheme;`)],
    };
  }
  return { text: [] };
}

/**
 * The nginx edits of several proxy_passes: declarative in a file where every one of them can be, else text
 * there (the fix engine refuses a fix that mixes text and structured edits in one file).
 */
function xffFileEdits(sites: ProxySite[], editor: NginxEdits | undefined): Edit[] {
  const all = sites.map((site) => ({ file: site.file, ...xffEdits(site, xffFor(site), editor) }));
  const textFiles = new Set(all.filter((x) => x.text.length > 0 && !x.declarative).map((x) => x.file));
  return dedupeEdits(all.flatMap((x) => (textFiles.has(x.file) ? x.text : (x.declarative ?? []))));
}

function dedupeEdits(edits: Edit[]): Edit[] {
  const seen = new Set<string>();
  return edits.filter((e) => {
    const key = JSON.stringify(e);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function listenerYaml(l: Listener): string {
  const lines = ['listeners:', `  - ${l.path !== undefined ? `path: ${l.path}` : `port: ${l.port}`}`, '    type: http', '    x_forwarded: true'];
  if (l.bindsExplicit) lines.push(`    bind_addresses: [${l.binds.map((b) => `'${b}'`).join(', ')}]`);
  lines.push(`    resources: ...   # unchanged`);
  return lines.join('\n');
}

const RESTART = 'Restart Synapse: systemctl restart matrix-synapse (or synctl restart); after an nginx change: nginx -t && systemctl reload nginx.';
const OVERRIDE_STEP =
  'For a bot or bridge that needs more: exempt that one user with the admin API, curl -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -d \'{"messages_per_second": 0, "burst_count": 0}\' https://<homeserver>/_synapse/admin/v1/users/@bot:<server_name>/override_ratelimit (application services: rate_limited: false in their registration file). This lifts the limiters that check the user (messages, joins, invites, media...), never rc_login or rc_registration.';

/** The summary of fixXForwarded, in each code that uses it (MXD-RL-001, MXD-RL-008, MXD-RL-010). */
const X_FORWARDED_FIX =
  'Set x_forwarded: true on the listener nginx forwards to (listeners[{{index}}], {{@listenerKind}}{{listener}}) and make nginx send X-Forwarded-For $remote_addr; do not raise rate limits for this.';

function fixXForwarded(cfg: Config, l: Listener, sites: ForwardMatch[], editor: NginxEdits | undefined): FixDraft {
  const nginxEdits = xffFileEdits(
    sites.map((m) => m.site),
    editor,
  );
  const yamlEdit: Edit = { kind: 'yaml-set', ...cfg.holder(['listeners']), path: ['listeners', l.index, 'x_forwarded'], value: true };
  const headerSites = sites.filter((m) => xffFor(m.site).verdict !== 'safe');
  return {
    summaryId: 'xForwarded',
    summaryData: { index: l.index, ...listenerData(l) },
    steps: [
      listenerYaml(l),
      ...headerSites.map(
        (m) =>
          `In ${describeSite(m.site)} (${m.site.file}:${m.site.directive.line}), next to proxy_pass:\n  proxy_set_header X-Forwarded-For $remote_addr;\n  proxy_set_header X-Forwarded-Proto $scheme;`,
      ),
      RESTART,
      'Then put back any rate limit raised to work around the lockout (rc_messages_per_second, rc_login...): they were not the cause.',
    ],
    edits: [yamlEdit, ...nginxEdits],
  };
}

/** The static side: which listener nginx forwards to, and what Synapse then sees as the client address. */
function proxyFindings(
  cfg: Config,
  nginx: NginxConfigArtifact | undefined,
  limits: EffectiveLimit[],
  editor: NginxEdits | undefined,
): { findings: FindingDraft[]; lockout?: Listener; lockoutSites: ForwardMatch[] } {
  const findings: FindingDraft[] = [];
  const listeners = listenersOf(cfg.top);
  const login = limitOf(limits, 'rc_login.address');
  const burst = String(login.burstCount);
  const seconds = typeof login.perSecond === 'number' ? secondsPerToken(login.perSecond) : '?';
  const addressKeyed = limits
    .filter((l) => l.fact.addressKeyed)
    .map((l) => `${l.fact.key}: ${l.valid ? rate(l.perSecond, l.burstCount) : 'invalid'} (${l.fact.limits})`);
  addressKeyed.push('remote_media_download_per_second / remote_media_download_burst_count (media fetched from other servers)');
  const shared = {
    sharedLimiters: addressKeyed,
    perUserOverrides:
      'do not help: admin-API overrides never exempt anyone from rc_login.address, rc_login.account, rc_login.failed_attempts or rc_registration',
  };
  let lockout: Listener | undefined;
  let lockoutSites: ForwardMatch[] = [];
  const matches = nginx ? forwardsToListeners(nginx, listeners) : [];
  for (const l of listeners) {
    const sites = matches.filter((m) => m.listener === l);
    if (sites.length > 0 && !l.xForwarded) {
      if (!lockout) {
        lockout = l;
        lockoutSites = sites;
      }
      const first = sites[0];
      findings.push({
        code: 'MXD-RL-001',
        messageId: l.xForwardedRaw === undefined ? 'missing' : 'disabled',
        data: {
          ...listenerData(l),
          location: describeSite(first.site),
          proxyPass: first.site.raw,
          nginxAt: `${first.site.file}:${first.site.directive.line}`,
          burst,
          seconds,
        },
        location: cfg.at(['listeners', l.index]),
        evidence: { listener: listenerEvidence(l), forwardedBy: sites.map(siteEvidence), ...shared },
        fix: fixXForwarded(cfg, l, sites, editor),
      });
      continue;
    }
    if (sites.length > 0 && l.xForwarded) {
      // One finding per nginx level that decides the header (a server-level header covers all its locations).
      const byLevel = new Map<string, { state: XffState; sites: ForwardMatch[] }>();
      for (const m of sites) {
        const state = xffFor(m.site);
        if (state.verdict !== 'spoofable' && state.verdict !== 'absent') continue;
        const d = state.xff?.directive ?? state.level ?? m.site.directive;
        const key = `${m.site.file}:${d.start}:${state.verdict}`;
        const entry = byLevel.get(key) ?? { state, sites: [] };
        entry.sites.push(m);
        byLevel.set(key, entry);
      }
      for (const { state, sites: group } of byLevel.values()) {
        const m = group[0];
        const d = state.xff?.directive ?? m.site.directive;
        findings.push({
          code: 'MXD-RL-002',
          messageId: state.verdict === 'spoofable' ? 'proxyAdd' : 'passThrough',
          data: { ...listenerData(l), value: state.xff?.value ?? '', location: describeSite(m.site), nginxAt: `${m.site.file}:${d.line}` },
          location: { file: m.site.file, line: d.line, column: d.column },
          evidence: { listener: listenerEvidence(l), forwardedBy: group.map(siteEvidence), shared: addressKeyed },
          fix: {
            summaryId: 'overwrite',
            steps: [
              `In ${describeSite(m.site)} (${m.site.file}:${d.line}):\n  proxy_set_header X-Forwarded-For $remote_addr;\n  proxy_set_header X-Forwarded-Proto $scheme;`,
              'With another proxy or a CDN in front of nginx, use the realip module (set_real_ip_from <that proxy>; real_ip_header X-Forwarded-For;) so that $remote_addr is the client.',
              RESTART,
            ],
            edits: xffFileEdits(
              group.map((g) => g.site),
              editor,
            ),
          },
        });
      }
    }
    const onlyByName = sites.length > 0 && sites.every((m) => m.via === 'port');
    if (l.xForwarded && l.path === undefined && l.resources.includes('client') && !loopbackOnly(l) && !onlyByName) {
      const binds = l.binds.filter((b) => !isLoopback(b));
      findings.push({
        code: 'MXD-RL-002',
        messageId: l.bindsExplicit ? 'directPublic' : 'directPublicDefault',
        severity: 'warning',
        data: { ...listenerData(l), binds: l.bindsExplicit ? binds.join(', ') : l.binds.join(', ') },
        location: cfg.at(['listeners', l.index]),
        evidence: { listener: listenerEvidence(l) },
        fix: {
          summaryId: 'directPublic',
          steps: [
            `listeners:\n  - port: ${l.port}\n    x_forwarded: true\n    bind_addresses: ['127.0.0.1', '::1']`,
            `Or block port ${l.port} from everything but the proxy (nftables/iptables, a security group). In a container, do not publish the port.`,
            RESTART,
          ],
          edits: [],
        },
      });
    }
  }
  // Without nginx's files (or when they forward to none of the listeners: another proxy, another site), a client
  // listener reachable only from this machine is, almost always, behind a local proxy.
  if (!nginx || matches.length === 0) {
    for (const l of listeners) {
      if (l.xForwarded || l.path !== undefined || !l.bindsExplicit || !loopbackOnly(l) || !l.resources.includes('client')) continue;
      lockout ??= l;
      findings.push({
        code: 'MXD-RL-001',
        messageId: 'likelyProxied',
        severity: 'warning',
        data: { ...listenerData(l), burst, seconds },
        location: cfg.at(['listeners', l.index]),
        evidence: { listener: listenerEvidence(l), ...shared },
        fix: {
          ...fixXForwarded(cfg, l, [], editor),
          summaryId: 'likelyProxied',
          summaryData: { index: l.index, ...listenerData(l) },
        },
      });
    }
  }
  return { findings, lockout, lockoutSites };
}

function limitFindings(cfg: Config, limits: EffectiveLimit[]): FindingDraft[] {
  const findings: FindingDraft[] = [];
  const top = cfg.top;
  const legacyPresent = [LEGACY_MESSAGE_KEYS.perSecond, LEGACY_MESSAGE_KEYS.burstCount].filter((k) => Object.hasOwn(top, k));
  for (const l of limits.filter(tooHigh)) {
    const f = l.fact;
    const data = {
      limiter: f.key,
      perSecond: String(l.perSecond),
      burstCount: String(l.burstCount),
      defaultPerSecond: String(f.perSecond),
      defaultBurst: String(f.burstCount),
      factor: formatFactor(l.factor),
      limits: f.key,
    };
    const evidence = {
      [f.key]: rate(l.perSecond, l.burstCount),
      default: rate(f.perSecond, f.burstCount),
      keyedBy: f.keyedBy,
      threshold: `${f.sensitive ? 10 : 100}× the default (${f.sensitive ? 'limiters against password guessing and mass registration' : 'other limiters'})`,
    };
    if (l.setBy === 'legacy') {
      const block = { per_second: f.perSecond, burst_count: f.burstCount };
      const rcLogin = {
        address: { per_second: 0.003, burst_count: 5 },
        account: { per_second: 0.003, burst_count: 5 },
        failed_attempts: { per_second: 0.17, burst_count: 3 },
      };
      const into = cfg.holder([legacyPresent[0]]);
      const edits: Edit[] = [{ kind: 'yaml-set', ...into, path: ['rc_message'], value: block }];
      if (!Object.hasOwn(top, 'rc_login')) edits.push({ kind: 'yaml-set', ...into, path: ['rc_login'], value: rcLogin });
      for (const k of legacyPresent) edits.push({ kind: 'yaml-delete', ...cfg.holder([k]), path: [k] });
      findings.push({
        code: 'MXD-RL-003',
        messageId: 'tooHighLegacy',
        data,
        location: cfg.at([legacyPresent[0]], true),
        evidence: { ...evidence, legacyKeys: Object.fromEntries(legacyPresent.map((k) => [k, top[k]])) },
        fix: {
          summaryId: 'tooHighLegacy',
          steps: [
            `rc_message:\n  per_second: ${f.perSecond}\n  burst_count: ${f.burstCount}\nrc_login:\n  address: {per_second: 0.003, burst_count: 5}\n  account: {per_second: 0.003, burst_count: 5}\n  failed_attempts: {per_second: 0.17, burst_count: 3}\n# and delete ${legacyPresent.join(' and ')}`,
            OVERRIDE_STEP,
            RESTART,
          ],
          edits,
        },
      });
      continue;
    }
    const parts = f.key.split('.');
    findings.push({
      code: 'MXD-RL-003',
      messageId: 'tooHigh',
      data,
      location: cfg.at(parts, true),
      evidence,
      fix: {
        summaryId: 'tooHigh',
        summaryData: { limiter: f.key, perSecond: String(f.perSecond), burstCount: String(f.burstCount) },
        steps: [
          `${parts.map((p, i) => `${'  '.repeat(i)}${p}:`).join('\n')}\n${'  '.repeat(parts.length)}per_second: ${f.perSecond}\n${'  '.repeat(parts.length)}burst_count: ${f.burstCount}`,
          f.sensitive
            ? 'Per-user overrides do not apply to this limiter. If many people share one address (a NAT), raise it moderately (a few times the default), not by orders of magnitude.'
            : OVERRIDE_STEP,
          RESTART,
        ],
        edits: [
          { kind: 'yaml-set', ...cfg.holder(parts), path: [...parts, 'per_second'], value: f.perSecond },
          { kind: 'yaml-set', ...cfg.holder(parts), path: [...parts, 'burst_count'], value: f.burstCount },
        ],
      },
    });
  }
  if (legacyPresent.length > 0) {
    const msg = limitOf(limits, 'rc_message');
    const ignored = Object.hasOwn(top, 'rc_message');
    findings.push({
      code: 'MXD-RL-004',
      messageId: ignored ? 'legacyIgnored' : 'legacyActive',
      data: { keys: legacyPresent.join(', '), perSecond: String(msg.perSecond), burstCount: String(msg.burstCount) },
      location: cfg.at([legacyPresent[0]], true),
      evidence: {
        ...Object.fromEntries(legacyPresent.map((k) => [k, top[k]])),
        mapsTo: 'rc_message.per_second, rc_message.burst_count (the per-user message limiter, key name rc_messages)',
        readWhen: 'only when homeserver.yaml has no rc_message block',
        neverLimits: NOT_COVERED_BY_MESSAGE_LIMITS,
      },
      fix: {
        summaryId: ignored ? (legacyPresent.length > 1 ? 'deleteBoth' : 'delete') : 'legacyActive',
        summaryData: ignored ? (legacyPresent.length > 1 ? { key: legacyPresent[0], other: legacyPresent[1] } : { key: legacyPresent[0] }) : {},
        steps: [`rc_message:\n  per_second: ${String(msg.perSecond)}\n  burst_count: ${String(msg.burstCount)}`],
        edits: ignored ? legacyPresent.map((k): Edit => ({ kind: 'yaml-delete', ...cfg.holder([k]), path: [k] })) : [],
      },
    });
  }
  return findings;
}

function summaryFinding(cfg: Config, limits: EffectiveLimit[]): FindingDraft {
  const changed = limits.filter((l) => l.changed || !l.valid);
  const login = limitOf(limits, 'rc_login.address');
  const evidence: Record<string, unknown> = {};
  for (const l of limits) {
    const setBy = l.setBy === 'default' ? 'default' : l.setBy === 'legacy' ? `legacy ${l.path[0]}` : `set in ${l.fact.key}`;
    evidence[l.fact.key] =
      `${l.valid ? rate(l.perSecond, l.burstCount) : `invalid (${String(l.perSecond)}, ${String(l.burstCount)})`}, ${setBy}; per ${l.fact.keyedBy}: ${l.fact.limits}`;
  }
  Object.assign(evidence, otherSettings(cfg.top));
  evidence.table = limits.map((l) => ({
    limiter: l.fact.key,
    per_second: l.perSecond,
    burst_count: l.burstCount,
    default_per_second: l.fact.perSecond,
    default_burst_count: l.fact.burstCount,
    set_by: l.setBy === 'legacy' ? l.path[0] : l.setBy,
    keyed_by: l.fact.keyedBy,
    address_keyed: l.fact.addressKeyed,
    per_user_override_exempts: l.fact.userOverrideExempts,
    limits: l.fact.limits,
    ...(l.fact.since ? { since: l.fact.since } : {}),
    ...(l.fact.docsSay ? { docs_say: l.fact.docsSay } : {}),
  }));
  return {
    code: 'MXD-RL-005',
    messageId: 'summary',
    data: {
      count: LIMITERS.length,
      changed: changed.length,
      changedList: changed.length ? changed.map((l) => l.fact.key).join(', ') : 'none',
      loginBurst: String(login.burstCount),
      loginSeconds: typeof login.perSecond === 'number' ? secondsPerToken(login.perSecond) : '?',
    },
    location: { file: cfg.main.file },
    evidence,
  };
}

function attemptEvidence(a: LoginAttempt): string {
  const answer = a.error ? `${a.error.code}: ${a.error.message}` : `HTTP ${a.status}${a.errcode ? ` ${a.errcode}` : ''}`;
  const retry = a.retryAfterMs !== undefined ? `, retry_after_ms ${a.retryAfterMs}` : '';
  const header = a.retryAfter ? `, Retry-After ${a.retryAfter}` : '';
  return `#${a.n} ${a.user}: ${answer}${retry}${header} (${a.durationMs} ms)`;
}

function probeFindings(
  probe: LoginRateArtifact,
  limits: EffectiveLimit[],
  cfg: Config,
  lockout: Listener | undefined,
  lockoutSites: ForwardMatch[],
  editor: NginxEdits | undefined,
): FindingDraft[] {
  const findings: FindingDraft[] = [];
  const login = limitOf(limits, 'rc_login.address');
  const burst = typeof login.burstCount === 'number' ? login.burstCount : 5;
  const evidence = {
    url: probe.url,
    baseUrlFrom: probe.baseUrlSource,
    attempts: probe.attempts.map(attemptEvidence),
    rc_login_address: rate(login.perSecond, login.burstCount),
    bucket:
      'rc_login.address: every attempt named a different random non-existent account, so the per-account limiters (rc_login.account, rc_login.failed_attempts) never saw more than one',
    ...(probe.spoofCheck ? { spoofCheck: `X-Forwarded-For: ${probe.spoofCheck.forwardedFor} → ${attemptEvidence(probe.spoofCheck)}` } : {}),
  };
  const location = { url: probe.url };
  if (probe.spoofCheck?.accepted) {
    findings.push({
      code: 'MXD-RL-002',
      messageId: 'confirmed',
      data: { forwardedFor: probe.spoofCheck.forwardedFor, status: String(probe.spoofCheck.status ?? '?'), url: probe.url },
      location,
      evidence,
      fix: {
        summaryId: 'confirmed',
        steps: ['proxy_set_header X-Forwarded-For $remote_addr;', RESTART],
        edits: [],
      },
    });
  }
  if (probe.limitedAt !== undefined) {
    const limited = probe.attempts[probe.limitedAt - 1];
    const accepted = probe.limitedAt - 1;
    const retryAfter = limited.retryAfterMs !== undefined ? String(Math.ceil(limited.retryAfterMs / 1000)) : (limited.retryAfter ?? '?');
    if (accepted < burst) {
      findings.push({
        code: 'MXD-RL-008',
        messageId: 'sharedBucket',
        data: { attempt: probe.limitedAt, accepted, burst, retryAfter, url: probe.url },
        location,
        evidence: {
          ...evidence,
          ...(lockout ? { cause: `listeners[${lockout.index}] (${listenerText(lockout)}) has no x_forwarded: true (MXD-RL-001)` } : {}),
        },
        fix: lockout
          ? fixXForwarded(cfg, lockout, lockoutSites, editor)
          : {
              summaryId: 'clientAddress',
              steps: ['Run matrixdoc with --nginx-config to find the listener.', RESTART],
              edits: [],
            },
      });
    } else {
      findings.push({
        code: 'MXD-RL-009',
        messageId: 'limited',
        data: { accepted, burst, retryAfter, url: probe.url },
        location,
        evidence,
      });
    }
    return findings;
  }
  if (probe.stoppedBecause === 'max-attempts') {
    const attempts = probe.attempts.length;
    findings.push({
      code: 'MXD-RL-009',
      messageId: attempts > burst ? 'notLimited' : 'withinBurst',
      ...(attempts > burst ? { severity: 'warning' as const } : {}),
      data: { attempts, burst, url: probe.url },
      location,
      evidence,
    });
    return findings;
  }
  const last = probe.attempts.at(-1);
  const unmeasured = (messageId: string, data: Record<string, string>): FindingDraft => ({
    code: 'MXD-RL-009',
    messageId,
    severity: 'warning',
    data: { url: probe.url, ...data },
    location,
    evidence,
  });
  if (probe.stoppedBecause === 'error' && last?.error) findings.push(unmeasured('unmeasured', { reason: `${last.error.code}: ${last.error.message}` }));
  else if (probe.loggedOut !== undefined) findings.push(unmeasured('loggedIn', { session: probe.loggedOut ? 'ended' : 'logoutFailed' }));
  else findings.push(unmeasured('notFailed', { answer: `HTTP ${last?.status ?? '?'}${last?.errcode ? ` ${last.errcode}` : ''}` }));
  return findings;
}

/** Why every client shares one login bucket, for MXD-RL-006: the listener without x_forwarded, or only the code that shows it. */
type LockoutCause = { code: string; listener?: Listener };

function overrideFindings(overrides: RateLimitOverridesArtifact, lockoutCause: LockoutCause | undefined): FindingDraft[] {
  const findings: FindingDraft[] = [];
  for (const u of overrides.users) {
    const location = { url: u.url };
    const evidence = { user: u.user, status: u.status ?? null, ...(u.override ? { override: u.override } : {}), ...(u.errcode ? { errcode: u.errcode } : {}) };
    if (u.override) {
      const o = u.override;
      if (o.messages_per_second === undefined && o.burst_count === undefined) {
        findings.push({ code: 'MXD-RL-006', messageId: 'none', data: { user: u.user }, location, evidence });
        continue;
      }
      const scope = {
        exemptFrom: LIMITERS.filter((l) => l.userOverrideExempts).map((l) => l.key),
        notExemptFrom: LIMITERS.filter((l) => !l.userOverrideExempts).map((l) => l.key),
      };
      if (lockoutCause) {
        const l = lockoutCause.listener;
        findings.push({
          code: 'MXD-RL-006',
          messageId: l ? 'notForLogin' : 'notForLoginShared',
          severity: 'warning',
          data: l ? { user: u.user, index: l.index, ...listenerData(l), cause: lockoutCause.code } : { user: u.user, cause: lockoutCause.code },
          location,
          evidence: { ...evidence, ...scope },
          fix: {
            summaryId: 'notForLogin',
            steps: [RESTART],
            edits: [],
          },
        });
        continue;
      }
      const exempt = !o.messages_per_second;
      findings.push({
        code: 'MXD-RL-006',
        messageId: exempt ? 'exempt' : 'custom',
        data: { user: u.user, perSecond: String(o.messages_per_second ?? 0), burstCount: String(o.burst_count ?? 0) },
        location,
        evidence: exempt ? { ...evidence, ...scope } : { ...evidence, replaces: 'rc_message only' },
      });
      continue;
    }
    const messageId = u.status === 401 || u.status === 403 ? 'unauthorized' : u.status === 404 ? 'notFound' : u.status === 400 ? 'notLocal' : 'failed';
    const reason = u.error
      ? `${u.error.code}: ${u.error.message}`
      : `HTTP ${u.status ?? '?'}${u.errcode ? ` ${u.errcode}` : ''}${u.errorText ? ` (${u.errorText})` : ''}`;
    findings.push({
      code: 'MXD-RL-007',
      messageId,
      data: { user: u.user, status: String(u.status ?? '?'), errcode: u.errcode ?? '', reason },
      location,
      evidence,
      fix: {
        summaryId: messageId === 'unauthorized' ? 'adminToken' : messageId === 'notFound' || messageId === 'notLocal' ? 'fullUserId' : 'adminApi',
        steps: [],
        edits: [],
      },
    });
  }
  return findings;
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KiB` : `${bytes} bytes`;
}

function logFindings(
  log: SynapseLogArtifact,
  cfg: Config,
  lockout: Listener | undefined,
  lockoutSites: ForwardMatch[],
  editor: NginxEdits | undefined,
): FindingDraft[] {
  const location = { file: log.file };
  const read = log.truncated ? sizeText(log.bytesRead) : sizeText(log.size);
  const evidence = {
    read: `${log.truncated ? `the last ${sizeText(log.bytesRead)} of ${sizeText(log.size)}` : sizeText(log.size)}, ${log.lines} lines, ${log.firstTimestamp ?? '?'} to ${log.lastTimestamp ?? '?'}`,
    byAddress: log.byAddress.map(
      (a) =>
        `${a.address}: ${a.count} (${Object.entries(a.limiters)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}; ${Object.entries(a.paths)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')})`,
    ),
    ...(log.otherAddresses.addresses ? { otherAddresses: log.otherAddresses } : {}),
    byLimiter: log.byLimiter,
    ...(log.unattributed ? { withoutAddress: log.unattributed } : {}),
    ...(log.missingProtoWarnings ? { missingXForwardedProto: log.missingProtoWarnings } : {}),
    samples: log.samples,
  };
  if (log.rejections === 0) {
    if (log.accessLines === 0)
      return [{ code: 'MXD-RL-011', messageId: 'noAccessLog', data: { file: log.file, unattributed: log.unattributed }, location, evidence }];
    return [{ code: 'MXD-RL-011', messageId: 'none', data: { file: log.file, read, accessLines: log.accessLines }, location, evidence }];
  }
  // The proxy's address: loopback (nginx on the same host may connect over ::1 and 127.0.0.1 alike), or one
  // private address (a container bridge, a proxy on the LAN).
  const all = log.otherAddresses.addresses === 0 ? log.byAddress : [];
  const proxyLike = all.length > 0 && (all.every((a) => isLoopback(a.address)) || (all.length === 1 && isPrivate(all[0].address)));
  if (proxyLike && log.rejections >= 2) {
    const logins = all.reduce((n, a) => n + (a.paths['/_matrix/client/v3/login'] ?? 0) + (a.paths['/_matrix/client/r0/login'] ?? 0), 0);
    return [
      {
        code: 'MXD-RL-010',
        messageId: 'proxyAddress',
        data: {
          count: log.rejections,
          address: all.map((a) => a.address).join(' and '),
          kind: isLoopback(all[0].address) ? 'loopback' : 'private',
          file: log.file,
          logins,
        },
        location,
        evidence,
        fix: lockout
          ? fixXForwarded(cfg, lockout, lockoutSites, editor)
          : {
              summaryId: 'proxyAt',
              summaryData: { address: all[0].address },
              steps: ['Run matrixdoc with --nginx-config to find the listener.', RESTART],
              edits: [],
            },
      },
    ];
  }
  const top = log.byAddress
    .slice(0, 5)
    .map((a) => `${a.address} ${a.count}`)
    .join(', ');
  return [
    {
      code: 'MXD-RL-011',
      messageId: 'counts',
      data: { count: log.rejections, read, file: log.file, addresses: log.byAddress.length + log.otherAddresses.addresses, top },
      location,
      evidence,
    },
  ];
}

export default defineCheck({
  id: 'rate-limits',
  title: 'Synapse rate limits',
  description:
    "What Synapse's rate limiters limit and by what key; the listener behind nginx without x_forwarded that makes all users share one login bucket; spoofable X-Forwarded-For; limits too high to protect; and, when asked, a live login probe, per-user overrides and Synapse's log.",
  requires: ['homeserverConfig'],
  uses: ['nginxConfig', 'loginRate', 'rateLimitOverrides', 'synapseLog'],
  codes: [
    {
      code: 'MXD-RL-001',
      severity: 'error',
      title: 'Synapse sees every client as the proxy (x_forwarded missing)',
      messages: {
        missing:
          'nginx forwards {{location}} to Synapse ({{proxyPass}}, {{nginxAt}}), but the listener on {{@listenerKind}}{{listener}} has no x_forwarded: true: Synapse sees every client as the proxy’s address, so all users share one rc_login.address bucket ({{burst}} logins, then one every ~{{seconds}} s) and get M_LIMIT_EXCEEDED together. Raising rate limits does not fix this.',
        disabled:
          'nginx forwards {{location}} to Synapse ({{proxyPass}}, {{nginxAt}}), but the listener on {{@listenerKind}}{{listener}} has x_forwarded: false: Synapse sees every client as the proxy’s address, so all users share one rc_login.address bucket ({{burst}} logins, then one every ~{{seconds}} s) and get M_LIMIT_EXCEEDED together. Raising rate limits does not fix this.',
        likelyProxied:
          'The listener on {{@listenerKind}}{{listener}} serves clients but binds only loopback addresses and has no x_forwarded: true: behind a reverse proxy on this host, Synapse sees every client as the proxy’s address and all users share one rc_login.address bucket ({{burst}} logins, then one every ~{{seconds}} s). Give matrixdoc the proxy’s config (--nginx-config) to be sure.',
      },
      fixes: {
        xForwarded: X_FORWARDED_FIX,
        likelyProxied:
          'If a reverse proxy forwards to listeners[{{index}}] ({{@listenerKind}}{{listener}}), set x_forwarded: true on it and make the proxy send X-Forwarded-For $remote_addr.',
      },
      phrases: LISTENER_KIND,
    },
    {
      code: 'MXD-RL-002',
      severity: 'error',
      title: 'Clients can choose the address Synapse sees (X-Forwarded-For spoofing)',
      messages: {
        proxyAdd:
          'The listener on {{@listenerKind}}{{listener}} has x_forwarded: true, and nginx sets X-Forwarded-For to {{value}} in {{location}} ({{nginxAt}}): a client’s own X-Forwarded-For stays on the left, where Synapse reads the address, so any client can choose the address that rc_login.address and rc_registration count — and dodge them, or lock someone else out.',
        passThrough:
          'The listener on {{@listenerKind}}{{listener}} has x_forwarded: true, but nginx sets no X-Forwarded-For in {{location}} ({{nginxAt}}): a client’s own header passes through unchanged and Synapse trusts it, and clients that send none all appear as the proxy’s address.',
        directPublic:
          'The listener on {{@listenerKind}}{{listener}} has x_forwarded: true and binds {{binds}}: anyone who reaches it directly, not through the proxy, can send any X-Forwarded-For and choose the address Synapse sees.',
        directPublicDefault:
          'The listener on {{@listenerKind}}{{listener}} has x_forwarded: true and binds {{binds}} (the default): anyone who reaches it directly, not through the proxy, can send any X-Forwarded-For and choose the address Synapse sees.',
        confirmed:
          '--probe-login: after the 429, a login with a forged X-Forwarded-For ({{forwardedFor}}) was let through with HTTP {{status}}: the homeserver takes the client address from a header the client controls ({{url}}).',
      },
      fixes: {
        overwrite: 'Make nginx set X-Forwarded-For to the address it saw itself: proxy_set_header X-Forwarded-For $remote_addr;',
        directPublic: 'Let only the proxy reach this listener: bind it to loopback when nginx runs on the same host, or firewall its port.',
        confirmed: 'Make the proxy overwrite X-Forwarded-For: proxy_set_header X-Forwarded-For $remote_addr; and let only the proxy reach Synapse’s listener.',
      },
      phrases: LISTENER_KIND,
    },
    {
      code: 'MXD-RL-003',
      severity: 'warning',
      title: 'Rate limit so high it no longer protects',
      messages: {
        tooHigh:
          '{{limiter}} is per_second {{perSecond}}, burst_count {{burstCount}}: {{factor}}× Synapse’s default ({{defaultPerSecond}}, {{defaultBurst}}), so it no longer limits {{@limits}}.',
        tooHighLegacy:
          'rc_messages_per_second / rc_message_burst_count make the message limiter per_second {{perSecond}}, burst_count {{burstCount}}: {{factor}}× Synapse’s default ({{defaultPerSecond}}, {{defaultBurst}}), so one account, or a stolen access token, can flood rooms unchecked. These keys never limited logins.',
      },
      fixes: {
        tooHigh: "Set {{limiter}} back near Synapse's default ({{perSecond}}/s, burst {{burstCount}}); exempt the one bot or bridge that needs more instead.",
        tooHighLegacy:
          "Replace the legacy keys with an rc_message block at Synapse's defaults (and write rc_login out, where login limits live); exempt bots and bridges one by one instead.",
      },
      // What each limiter limits, by its key.
      phrases: Object.fromEntries(LIMITERS.map((l) => [l.key, l.limits])),
    },
    {
      code: 'MXD-RL-004',
      severity: 'info',
      title: 'Legacy message rate-limit keys: what they limit',
      messages: {
        legacyActive:
          '{{keys}}: the old form of rc_message (per_second {{perSecond}}, burst_count {{burstCount}}), read because there is no rc_message block. They limit how fast each user sends messages and nothing else: logins are limited by rc_login, registration by rc_registration, joins by rc_joins.',
        legacyIgnored:
          '{{keys}}: no effect, because rc_message is set (Synapse uses per_second {{perSecond}}, burst_count {{burstCount}} from it). Even when they applied, they limited only messages, never logins (rc_login).',
      },
      fixes: {
        delete: 'Delete {{key}}: Synapse reads rc_message only.',
        deleteBoth: 'Delete {{key}} and {{other}}: Synapse reads rc_message only.',
        legacyActive:
          'Write the message limits as an rc_message block (MXD-HS-007 moves them); for login problems look at rc_login and at x_forwarded (MXD-RL-001).',
      },
    },
    {
      code: 'MXD-RL-005',
      severity: 'info',
      title: 'Effective rate limits',
      messages: {
        summary:
          '{{changed}} of {{count}} rate limiters differ from Synapse’s defaults ({{changedList}}); rc_login.address allows {{loginBurst}} logins per client address, then one every ~{{loginSeconds}} s.',
      },
    },
    {
      code: 'MXD-RL-006',
      severity: 'info',
      title: 'Per-user rate-limit override',
      messages: {
        none: '{{user}} has no rate-limit override: the limits of homeserver.yaml apply.',
        exempt:
          '{{user}} is exempt (messages_per_second 0) from every limiter that checks the user (messages, joins, invites, media, room creation...), but not from those keyed by address or account: rc_login (address, account, failed_attempts) and rc_registration.',
        custom:
          '{{user}} has an override of messages_per_second {{perSecond}}, burst_count {{burstCount}}: it replaces rc_message for this user only; every other limiter, rc_login and rc_registration included, is unchanged.',
        notForLogin:
          '{{user}} has a rate-limit override, but overrides never lift rc_login.address or rc_registration: while listeners[{{index}}] ({{@listenerKind}}{{listener}}) has no x_forwarded: true ({{cause}}), this user is locked out of logging in together with everyone else.',
        notForLoginShared:
          '{{user}} has a rate-limit override, but overrides never lift rc_login.address or rc_registration: while all clients share one login bucket ({{cause}}), this user is locked out of logging in together with everyone else.',
      },
      fixes: { notForLogin: 'Fix the shared address instead (x_forwarded: true on the proxied listener): no per-user setting lifts the login limits.' },
      phrases: LISTENER_KIND,
    },
    {
      code: 'MXD-RL-007',
      severity: 'warning',
      title: 'Per-user override could not be read',
      messages: {
        unauthorized:
          'Could not read the override of {{user}}: the admin API answered HTTP {{status}} {{errcode}}; --admin-token must be the access token of a server admin.',
        notFound: '{{user}} does not exist on this homeserver (admin API: HTTP 404), so it has no override.',
        notLocal: '{{user}} is not a user of this homeserver (admin API: HTTP 400); overrides exist only for local users.',
        failed: 'Could not read the override of {{user}}: {{reason}}.',
      },
      fixes: {
        adminToken:
          'Give --admin-token the access token of a server admin (Element: Settings → Help & About → Access Token, of an admin account; or POST /_matrix/client/v3/login as the admin).',
        fullUserId: 'Name local users by their full user ID: @localpart:<server_name>.',
        adminApi: 'Check that the admin API (/_synapse/admin) is reachable through the proxy from where matrixdoc runs.',
      },
    },
    {
      code: 'MXD-RL-008',
      severity: 'error',
      title: 'Logins refused early: the login bucket is shared',
      messages: {
        sharedBucket:
          '--probe-login: the homeserver refused login {{attempt}} with 429 M_LIMIT_EXCEEDED (retry after {{retryAfter}} s) when this machine had used only {{accepted}} of the {{burst}} logins rc_login.address allows each address: other clients’ logins count against the same bucket, as when Synapse sees every client as the proxy’s address ({{url}}).',
      },
      fixes: {
        xForwarded: X_FORWARDED_FIX,
        clientAddress:
          'Make Synapse see each client’s own address: x_forwarded: true on the listener the reverse proxy forwards to, and X-Forwarded-For $remote_addr in the proxy.',
      },
      phrases: LISTENER_KIND,
    },
    {
      code: 'MXD-RL-009',
      severity: 'info',
      title: 'Login rate limit measured',
      messages: {
        limited:
          '--probe-login: {{accepted}} failed logins (each for another non-existent account) were answered normally, then 429 M_LIMIT_EXCEEDED (retry after {{retryAfter}} s): the rc_login.address bucket of the address Synapse sees for this machine, as configured (burst_count {{burst}}) ({{url}}).',
        withinBurst: '--probe-login: {{attempts}} failed logins without a 429, as expected with rc_login.address burst_count {{burst}} ({{url}}).',
        notLimited:
          '--probe-login: {{attempts}} failed logins in a row without a 429, although rc_login.address allows {{burst}} per address: the running homeserver does not limit logins as this homeserver.yaml says (another config file, or a client address that changes with every request) ({{url}}).',
        unmeasured: '--probe-login could not measure the login limit at {{url}}: {{reason}}.',
        loggedIn: '--probe-login could not measure the login limit at {{url}}: a login for a random account succeeded ({{@session}}).',
        notFailed: '--probe-login could not measure the login limit at {{url}}: {{answer}}, not a failed login.',
      },
      phrases: { ended: 'the session was ended', logoutFailed: 'the session was ended — logout failed' },
    },
    {
      code: 'MXD-RL-010',
      severity: 'error',
      title: "Every rate-limit refusal in Synapse's log went to the proxy's address",
      messages: {
        proxyAddress:
          'All {{count}} rate-limit refusals (429) in {{file}} went to {{address}} ({{@kind}}), {{logins}} of them logins: Synapse sees every client as the proxy’s address — the sign of a listener without x_forwarded: true behind a reverse proxy.',
      },
      fixes: {
        xForwarded: X_FORWARDED_FIX,
        proxyAt: 'Set x_forwarded: true on the listener the proxy at {{address}} forwards to, and make the proxy send X-Forwarded-For $remote_addr.',
      },
      phrases: { ...LISTENER_KIND, loopback: 'loopback: a proxy on the same host', private: 'a private network address' },
    },
    {
      code: 'MXD-RL-011',
      severity: 'info',
      title: "Rate-limit refusals in Synapse's log",
      messages: {
        counts: '{{count}} rate-limit refusals (429) in the last {{read}} of {{file}}, to {{addresses}} client addresses (most: {{top}}).',
        none: 'No rate-limit refusals (429) in the last {{read}} of {{file}} ({{accessLines}} requests logged).',
        noAccessLog:
          '{{file}} has no access lines (the synapse.access loggers are below INFO), so refusals cannot be counted per client address; {{unattributed}} refusals were logged without one.',
      },
    },
  ],
  run(inputs: CheckInputs): FindingDraft[] {
    const cfg = readConfig(inputs.get<HomeserverConfigArtifact>('homeserverConfig'));
    if (!cfg) return [];
    const limits = effectiveLimits(cfg.top);
    const nginx = inputs.optional<NginxConfigArtifact>('nginxConfig');
    const editor = nginx ? nginxEdits(nginx) : undefined;
    const { findings: proxy, lockout, lockoutSites } = proxyFindings(cfg, nginx, limits, editor);
    const findings: FindingDraft[] = [...proxy];
    const probe = inputs.optional<LoginRateArtifact>('loginRate');
    if (probe) findings.push(...probeFindings(probe, limits, cfg, lockout, lockoutSites, editor));
    const log = inputs.optional<SynapseLogArtifact>('synapseLog');
    if (log) findings.push(...logFindings(log, cfg, lockout, lockoutSites, editor));
    findings.push(...limitFindings(cfg, limits));
    const overrides = inputs.optional<RateLimitOverridesArtifact>('rateLimitOverrides');
    if (overrides) {
      const shared = findings.find((f) => ['MXD-RL-001', 'MXD-RL-008', 'MXD-RL-010'].includes(f.code) && f.messageId !== 'likelyProxied');
      const cause = shared ? { code: shared.code, ...(shared.code === 'MXD-RL-001' && lockout ? { listener: lockout } : {}) } : undefined;
      findings.push(...overrideFindings(overrides, cause));
    }
    findings.push(summaryFinding(cfg, limits));
    return findings;
  },
});
