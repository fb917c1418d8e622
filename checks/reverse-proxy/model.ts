// What nginx does with Matrix traffic, read from its config files: which server block nginx picks for a
// host and port, which location answers a path and where it proxies to, whether that target is one of
// Synapse's listeners (from homeserver.yaml), and the directives a location inherits. Pure helpers.

import type { ParsedNginx } from '../../src/parse/nginx.js';
import { findAll, type NginxDirective, type NginxServer, serverNameMatches, servers } from '../../src/parse/nginx.js';
import type { ConfigFileArtifact, NginxConfigArtifact } from '../../src/probes/config-files.js';
import { isObject } from '../shared/locate.js';
import { DEFAULT_BIND_ADDRESSES, MATRIX_PATHS, NON_MATRIX_PATH, WILDCARD_ADDRESSES } from './proxy-facts.js';

/** A `proxy_pass` argument taken apart: `base` is everything before the URI part. */
export interface ProxyPass {
  raw: string;
  scheme: string;
  host?: string;
  port?: number;
  socket?: string;
  base: string;
  uri: string;
  variables: boolean;
}

export function parseProxyPass(raw: string): ProxyPass | undefined {
  const m = /^(https?):\/\/(.*)$/is.exec(raw);
  if (!m) return undefined;
  const scheme = m[1].toLowerCase();
  const rest = m[2];
  const variables = raw.includes('$');
  if (/^unix:/i.test(rest)) {
    // http://unix:/run/synapse.sock:/uri
    const colon = rest.indexOf(':', 5);
    const socket = colon < 0 ? rest.slice(5) : rest.slice(5, colon);
    const uri = colon < 0 ? '' : rest.slice(colon + 1);
    return { raw, scheme, socket, base: raw.slice(0, raw.length - uri.length), uri, variables };
  }
  const h = /^(\[[^\]]*\]|\$\{\w+\}|\$\w+|[^/:$?#]*)(?::(\d+))?(.*)$/s.exec(rest);
  if (!h?.[1]) return undefined;
  const uri = h[3];
  return {
    raw,
    scheme,
    host: h[1].replace(/^\[|\]$/g, '').toLowerCase(),
    port: h[2] ? Number(h[2]) : undefined,
    base: raw.slice(0, raw.length - uri.length),
    uri,
    variables,
  };
}

/** A Synapse HTTP listener from homeserver.yaml. */
export interface SynapseListener {
  port?: number;
  path?: string;
  binds: string[];
  xForwarded: boolean;
  resources: string[];
}

/** Synapse's HTTP listeners, or undefined when homeserver.yaml does not list any usable one. */
export function synapseListeners(top: Record<string, unknown> | undefined): SynapseListener[] | undefined {
  const list = top?.listeners;
  if (!Array.isArray(list)) return undefined;
  const out: SynapseListener[] = [];
  for (const l of list) {
    if (!isObject(l) || l.type !== 'http') continue;
    const port = Number.isInteger(l.port) ? (l.port as number) : undefined;
    const path = typeof l.path === 'string' ? l.path : undefined;
    if (port === undefined && path === undefined) continue;
    const binds = Array.isArray(l.bind_addresses) ? l.bind_addresses.filter((b): b is string => typeof b === 'string') : [];
    if (typeof l.bind_address === 'string') binds.push(l.bind_address);
    const resources = Array.isArray(l.resources)
      ? l.resources.flatMap((r) => (isObject(r) && Array.isArray(r.names) ? r.names.filter((n): n is string => typeof n === 'string') : []))
      : [];
    // x_forwarded defaults to false on TCP listeners, true on unix sockets.
    const xForwarded = typeof l.x_forwarded === 'boolean' ? l.x_forwarded : path !== undefined;
    out.push({ port, path, binds: binds.length ? binds.map((b) => b.replace(/^\[|\]$/g, '')) : DEFAULT_BIND_ADDRESSES, xForwarded, resources });
  }
  return out.length ? out : undefined;
}

export function describeListener(l: SynapseListener): string {
  if (l.path) return `unix:${l.path}`;
  const bind = l.binds.find((b) => /^127\./.test(b)) ?? l.binds.find((b) => isLoopback(b)) ?? l.binds[0];
  return `${bind.includes(':') ? `[${bind}]` : bind}:${l.port}`;
}

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1';
}

const isIpLiteral = (host: string) => /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':');

export type TargetKind = 'synapse' | 'other' | 'unknown';

/** Does an include pattern (absolute, or relative to nginx's prefix; `*` globs) name a file we were given? */
export function includeMatches(pattern: string, file: string): boolean {
  const glob = (s: string) =>
    new RegExp(
      `^${s
        .split('*')
        .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*')}$`,
    );
  if (pattern.startsWith('/') && glob(pattern).test(file)) return true;
  // Files may be given from another place (a copy, a repository): compare the last folder and the name.
  const pc = pattern.split('/').filter(Boolean);
  const fc = file.split('/').filter(Boolean);
  const n = Math.min(pc.length, 2);
  if (n === 0 || fc.length < n) return false;
  return pc.slice(-n).every((p, i) => glob(p).test(fc[fc.length - n + i]));
}

/** Includes that only carry TLS or MIME settings (certbot's options-ssl-nginx.conf, mime.types): no locations, no proxy headers. */
const HARMLESS_INCLUDE = /letsencrypt|ssl|tls|snakeoil|mime\.types|modules-enabled/i;

/** `include` directives left in a block (matrixdoc was not given the file), except harmless ones. */
export function unresolvedIncludes(block: NginxDirective[] | undefined): NginxDirective[] {
  return (block ?? []).filter((d) => d.name === 'include' && !HARMLESS_INCLUDE.test(d.args[0] ?? ''));
}

/**
 * The files with every `include` of another given file replaced by that file's directives (as nginx reads
 * them); files included by others are no longer top-level. Directives keep their own file and offsets.
 */
function expandIncludes(files: ConfigFileArtifact<ParsedNginx>[]): ConfigFileArtifact<ParsedNginx>[] {
  const included = new Set<string>();
  const expand = (block: NginxDirective[], stack: string[]): NginxDirective[] => {
    let changed = false;
    const out: NginxDirective[] = [];
    for (const d of block) {
      if (d.name === 'include' && !d.block && d.args[0] && stack.length < 8) {
        const pattern = d.args[0];
        const targets = files.filter((f) => !stack.includes(f.file) && includeMatches(pattern, f.file));
        if (targets.length) {
          changed = true;
          for (const t of targets) {
            included.add(t.file);
            out.push(...expand(t.parsed.directives, [...stack, t.file]));
          }
          continue;
        }
      }
      if (d.block) {
        const inner = expand(d.block, stack);
        if (inner !== d.block) {
          changed = true;
          out.push({ ...d, block: inner });
          continue;
        }
      }
      out.push(d);
    }
    return changed ? out : block;
  };
  const expanded = files.map((f) => ({ ...f, parsed: { ...f.parsed, directives: expand(f.parsed.directives, [f.file]) } }));
  return expanded.filter((f) => !included.has(f.file));
}

/** The whole nginx configuration with what the judgements need, built once per run. */
export class NginxModel {
  /** The configuration with includes of given files resolved (pass this to helpers such as servedAt). */
  readonly expanded: NginxConfigArtifact;
  readonly all: NginxServer[];
  private readonly upstreams = new Map<string, string[]>();
  private readonly httpOf = new Map<NginxDirective, NginxDirective>();
  private readonly onlyHttp?: NginxDirective;
  private readonly shas = new Map<string, string>();

  constructor(
    readonly nginx: NginxConfigArtifact,
    readonly listeners: SynapseListener[] | undefined,
  ) {
    this.expanded = { files: expandIncludes(nginx.files) };
    this.all = servers(this.expanded.files.map((f) => f.parsed));
    for (const f of nginx.files) this.shas.set(f.file, f.sha256);
    const https: NginxDirective[] = [];
    for (const f of this.expanded.files) {
      for (const u of findAll(f.parsed.directives, 'upstream')) {
        if (u.block && u.args[0])
          this.upstreams.set(
            u.args[0].toLowerCase(),
            u.block.filter((d) => d.name === 'server').map((d) => d.args[0] ?? ''),
          );
      }
      for (const h of findAll(f.parsed.directives, 'http')) {
        if (!h.block) continue;
        https.push(h);
        for (const s of findAll(h.block, 'server')) this.httpOf.set(s, h);
      }
    }
    // sites-enabled files are included inside nginx.conf's only http block.
    if (https.length === 1) this.onlyHttp = https[0];
  }

  sha(file: string): string | undefined {
    return this.shas.get(file);
  }

  /** The http block a server block inherits from, when the configuration shows it. */
  http(server: NginxServer): NginxDirective | undefined {
    return this.httpOf.get(server.directive) ?? this.onlyHttp;
  }

  /** Is a proxy_pass target one of Synapse's HTTP listeners? `unknown` without homeserver.yaml or with variables. */
  classify(pass: ProxyPass | undefined): TargetKind {
    if (!pass || !this.listeners || (pass.host?.includes('$') ?? false)) return 'unknown';
    if (pass.socket !== undefined) return this.classifyAddress(undefined, undefined, pass.socket);
    const host = pass.host ?? '';
    const servers = pass.port === undefined ? this.upstreams.get(host) : undefined;
    if (servers) {
      const kinds = servers.map((addr) => {
        if (/^unix:/i.test(addr)) return this.classifyAddress(undefined, undefined, addr.slice(5));
        const m = /^(\[[^\]]*\]|[^:]+)(?::(\d+))?$/.exec(addr);
        return m ? this.classifyAddress(m[1].replace(/^\[|\]$/g, '').toLowerCase(), m[2] ? Number(m[2]) : 80) : 'unknown';
      });
      return kinds.includes('synapse') ? 'synapse' : kinds.every((k) => k === 'other') ? 'other' : 'unknown';
    }
    const kind = this.classifyAddress(host, pass.port ?? (pass.scheme === 'https' ? 443 : 80));
    // A bare name without a port may be an upstream defined in a file matrixdoc was not given.
    if (kind === 'other' && pass.port === undefined && !isIpLiteral(host) && !isLoopback(host)) return 'unknown';
    return kind;
  }

  private classifyAddress(host: string | undefined, port: number | undefined, socket?: string): TargetKind {
    const listeners = this.listeners ?? [];
    if (socket !== undefined) return listeners.some((l) => l.path === socket) ? 'synapse' : 'other';
    const h = host ?? '';
    const hit = listeners.some(
      (l) => l.port === port && (l.binds.some((b) => WILDCARD_ADDRESSES.has(b)) || (isLoopback(h) && l.binds.some(isLoopback)) || l.binds.includes(h)),
    );
    return hit ? 'synapse' : 'other';
  }

  /** The server block nginx picks for a request to host on port: by server_name, else the default server of that port. */
  serverOn(host: string, port: number, byNameOnly = false): NginxServer | undefined {
    const onPort = this.all.filter((s) => listensOn(s, port));
    const h = host.toLowerCase();
    const exact = onPort.find((s) => s.names.some((n) => !/[*~]/.test(n) && !n.startsWith('.') && n.toLowerCase() === h));
    const wildcard = onPort.find((s) => s.names.some((n) => !n.startsWith('~') && /[*]|^\./.test(n) && serverNameMatches(n, host)));
    const regex = onPort.find((s) => s.names.some((n) => n.startsWith('~') && serverNameMatches(n, host)));
    const named = exact ?? wildcard ?? regex;
    if (named || byNameOnly) return named;
    return onPort.find((s) => s.listen.some((l) => l.port === port && /\bdefault_server\b|\bdefault\b/.test(l.raw))) ?? onPort[0];
  }
}

export function listensOn(server: NginxServer, port: number): boolean {
  return server.listen.length === 0 ? port === 80 : server.listen.some((l) => l.port === port);
}

/** A name to call a server block by: its first plain server_name. */
export function hostOf(server: NginxServer): string {
  return server.names.find((n) => !/[*~]/.test(n) && !n.startsWith('.') && n !== '_' && n !== '') ?? server.names[0] ?? '_';
}

/** Does one location's own pattern match a path (regardless of the other locations)? */
export function patternMatches(location: NginxDirective, path: string): boolean {
  const [a, b] = location.args;
  if (a === undefined || a.startsWith('@')) return false;
  if (a === '=') return b === path;
  if (a === '^~') return b !== undefined && path.startsWith(b);
  if (a === '~' || a === '~*') {
    try {
      return b !== undefined && new RegExp(b, a === '~*' ? 'i' : '').test(path);
    } catch {
      return false;
    }
  }
  return path.startsWith(a);
}

export const isRegexLocation = (location: NginxDirective) => location.args[0] === '~' || location.args[0] === '~*';

/** The literal prefix of a prefix or exact location (undefined for regex and named ones). */
export function locationPrefix(location: NginxDirective): string | undefined {
  const [a, b] = location.args;
  if (a === '=' || a === '^~') return b;
  if (a === undefined || a === '~' || a === '~*' || a.startsWith('@')) return undefined;
  return a;
}

/** A location written for Matrix paths (not a catch-all that also matches them). */
export function isMatrixSpecific(location: NginxDirective, paths: readonly string[] = MATRIX_PATHS): boolean {
  return paths.some((p) => patternMatches(location, p)) && !patternMatches(location, NON_MATRIX_PATH);
}

/** `location ~* ^(/_matrix|...)` as written. */
export function describeLocation(location: NginxDirective): string {
  return `location ${location.args.join(' ')}`;
}

/** A directive as nginx text, quoting arguments that need it. */
export function render(name: string, args: readonly string[]): string {
  const quote = (a: string) => (a === '' || /[\s;{}'"#]/.test(a) ? `'${a.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : a);
  return `${[name, ...args.map(quote)].join(' ')};`;
}

/** nginx sizes: bytes, or k/m/g (either case); 0 means no limit. */
export function nginxBytes(value: string): number | undefined {
  const m = /^(\d+)([kmg]?)$/i.exec(value);
  if (!m) return undefined;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * unit;
}

/** Synapse sizes: an integer of bytes, or a number with K, M, G or T. */
export function synapseBytes(value: unknown): number | undefined {
  if (Number.isInteger(value)) return value as number;
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+)([KMGT]?)$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[m[2] as '' | 'K' | 'M' | 'G' | 'T'];
}

/** Synapse's max_upload_size written the nginx way (nginx has no T unit). */
export function nginxSizeFor(bytes: number): string {
  for (const [unit, size] of [
    ['G', 1024 ** 3],
    ['M', 1024 ** 2],
    ['k', 1024],
  ] as const) {
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}
