// Which Synapse listener nginx forwards to, and which address Synapse then sees for each client: nginx's
// `proxy_pass` targets (host:port, upstream blocks, unix sockets) matched with homeserver.yaml's
// `listeners` (port + bind_addresses), and the X-Forwarded-For header nginx sends there (with nginx's
// inheritance rule: proxy_set_header directives come from the innermost level that has any). Pure helpers.

import type { NginxDirective } from '../../src/parse/nginx.js';
import type { NginxConfigArtifact } from '../../src/probes/config-files.js';
import { isObject } from '../shared/locate.js';
import { DEBIAN_PROXY_PARAMS, DEFAULT_BIND_ADDRESSES, SAFE_XFF_VALUES, SPOOFABLE_XFF_VALUES } from './rc-facts.js';

export interface Listener {
  /** Index in the `listeners` list (for the yaml path of a fix). */
  index: number;
  port?: number;
  /** A unix-socket listener's path. */
  path?: string;
  type?: string;
  /** bind_addresses as written, or Synapse's default. */
  binds: string[];
  bindsExplicit: boolean;
  /** x_forwarded as written (undefined when absent). */
  xForwardedRaw: unknown;
  /** As Synapse applies it: a truthy value, or the default (false for TCP, true for unix sockets). */
  xForwarded: boolean;
  resources: string[];
}

/** Synapse's HTTP listeners (type http, or no type), as written in homeserver.yaml. */
export function listenersOf(top: Record<string, unknown>): Listener[] {
  const list = top.listeners;
  if (!Array.isArray(list)) return [];
  const out: Listener[] = [];
  for (const [index, l] of list.entries()) {
    if (!isObject(l)) continue;
    const type = typeof l.type === 'string' ? l.type : undefined;
    if (type !== undefined && type !== 'http') continue;
    const port = Number.isInteger(l.port) ? (l.port as number) : undefined;
    const path = typeof l.path === 'string' ? l.path : undefined;
    if (port === undefined && path === undefined) continue;
    const written = Array.isArray(l.bind_addresses) ? l.bind_addresses.filter((b): b is string => typeof b === 'string') : [];
    if (typeof l.bind_address === 'string') written.push(l.bind_address);
    const resources = Array.isArray(l.resources)
      ? l.resources.flatMap((r) => (isObject(r) && Array.isArray(r.names) ? r.names.filter((n): n is string => typeof n === 'string') : []))
      : [];
    const hasRaw = Object.hasOwn(l, 'x_forwarded');
    out.push({
      index,
      port,
      path,
      type,
      binds: written.length ? written.map(bare) : DEFAULT_BIND_ADDRESSES,
      bindsExplicit: written.length > 0,
      xForwardedRaw: hasRaw ? l.x_forwarded : undefined,
      // listener.get("x_forwarded", <default>) used as truthy: "false" (a string) is true, null is false.
      xForwarded: hasRaw ? pythonTruthy(l.x_forwarded) : path !== undefined,
      resources,
    });
  }
  return out;
}

function pythonTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

const bare = (host: string) => host.replace(/^\[|\]$/g, '').toLowerCase();

export function isLoopback(host: string): boolean {
  const h = bare(host);
  return h === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1' || h === '::ffff:127.0.0.1';
}

export function isWildcard(host: string): boolean {
  return ['::', '0.0.0.0', '*', '', '0:0:0:0:0:0:0:0'].includes(bare(host));
}

/** RFC 1918, RFC 4193 (fc00::/7), link-local and CGNAT addresses: where a proxy or a container bridge lives. */
export function isPrivate(host: string): boolean {
  const h = bare(host);
  const v4 = h.match(/^(\d+)\.(\d+)\.\d+\.\d+$/);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  return /^f[cd][0-9a-f]{2}:/.test(h) || /^fe[89ab][0-9a-f]:/.test(h);
}

/** Only reachable from this machine: every bind address is a loopback one. */
export function loopbackOnly(l: Listener): boolean {
  return l.path !== undefined || l.binds.every(isLoopback);
}

/** A proxy_pass directive with its context: the chain of enclosing blocks, outermost first. */
export interface ProxySite {
  file: string;
  sha256: string;
  directive: NginxDirective;
  /** Enclosing directives (http, server, location, if...), outermost first. */
  ancestors: NginxDirective[];
  /** The file's top-level directives (the http level for a sites-enabled file). */
  top: NginxDirective[];
  raw: string;
}

export function proxySites(nginx: NginxConfigArtifact): ProxySite[] {
  const out: ProxySite[] = [];
  for (const f of nginx.files) {
    const walk = (block: NginxDirective[], ancestors: NginxDirective[]) => {
      for (const d of block) {
        if (d.name === 'proxy_pass' && d.args[0]) {
          out.push({ file: f.file, sha256: f.sha256, directive: d, ancestors, top: f.parsed.directives, raw: d.args[0] });
        }
        if (d.block) walk(d.block, [...ancestors, d]);
      }
    };
    walk(f.parsed.directives, []);
  }
  return out;
}

export interface Target {
  host?: string;
  port?: number;
  socket?: string;
}

/** `http://localhost:8008`, `http://[::1]:8008/`, `http://unix:/run/synapse.sock:`, an upstream name; undefined with variables. */
export function parseTarget(raw: string): { targets?: Target[]; upstream?: string; scheme: string } | undefined {
  const m = /^(https?):\/\/(.*)$/is.exec(raw);
  if (!m || raw.includes('$')) return undefined;
  const scheme = m[1].toLowerCase();
  const rest = m[2];
  if (/^unix:/i.test(rest)) {
    const colon = rest.indexOf(':', 5);
    return { scheme, targets: [{ socket: colon < 0 ? rest.slice(5) : rest.slice(5, colon) }] };
  }
  const h = /^(\[[^\]]*\]|[^/:?#]*)(?::(\d+))?/.exec(rest);
  if (!h?.[1]) return undefined;
  const host = bare(h[1]);
  if (!h[2]) return { scheme, upstream: host, targets: [{ host, port: scheme === 'https' ? 443 : 80 }] };
  return { scheme, targets: [{ host, port: Number(h[2]) }] };
}

/** Upstream blocks by name: their `server` addresses. */
export function upstreams(nginx: NginxConfigArtifact): Map<string, Target[]> {
  const map = new Map<string, Target[]>();
  const walk = (block: NginxDirective[]) => {
    for (const d of block) {
      if (d.name === 'upstream' && d.block && d.args[0]) {
        const servers = d.block
          .filter((s) => s.name === 'server' && s.args[0])
          .map((s): Target => {
            const addr = s.args[0];
            if (/^unix:/i.test(addr)) return { socket: addr.slice(5) };
            const a = /^(\[[^\]]*\]|[^:]+)(?::(\d+))?$/.exec(addr);
            return { host: bare(a?.[1] ?? addr), port: a?.[2] ? Number(a[2]) : 80 };
          });
        map.set(d.args[0].toLowerCase(), servers);
      } else if (d.block) walk(d.block);
    }
  };
  for (const f of nginx.files) walk(f.parsed.directives);
  return map;
}

/** How a target reaches a listener: by socket path, by an address the listener binds, or by port alone (a container or host name). */
export function reaches(t: Target, l: Listener): 'socket' | 'address' | 'port' | undefined {
  if (t.socket !== undefined) return l.path !== undefined && l.path === t.socket ? 'socket' : undefined;
  if (l.port === undefined || t.port !== l.port || t.host === undefined) return undefined;
  const h = t.host;
  const literal = /^[\d.]+$/.test(h) || h.includes(':');
  // A name nginx resolves (a container, a host name): matrixdoc cannot resolve it the way nginx does.
  if (!literal && !isLoopback(h)) return 'port';
  if (l.binds.some(isWildcard)) return 'address';
  if (isLoopback(h)) return l.binds.some(isLoopback) ? 'address' : undefined;
  return l.binds.map(bare).includes(h) ? 'address' : undefined;
}

export interface ForwardMatch {
  site: ProxySite;
  listener: Listener;
  via: 'socket' | 'address' | 'port';
}

export function forwardsToListeners(nginx: NginxConfigArtifact, listeners: Listener[]): ForwardMatch[] {
  const ups = upstreams(nginx);
  const out: ForwardMatch[] = [];
  for (const site of proxySites(nginx)) {
    const parsed = parseTarget(site.raw);
    if (!parsed) continue;
    const targets = (parsed.upstream && ups.get(parsed.upstream)) || parsed.targets || [];
    for (const l of listeners) {
      const via = targets.map((t) => reaches(t, l)).find((v) => v !== undefined);
      if (via) out.push({ site, listener: l, via });
    }
  }
  return out;
}

export interface HeaderSetting {
  name: string;
  value: string;
  /** The directive that sets it (the `include proxy_params` line when it comes from there). */
  directive: NginxDirective;
  viaInclude?: string;
}

export interface XffState {
  /** Where the effective proxy_set_header directives are: the level with any, innermost first. */
  level?: NginxDirective;
  /** The headers of that level; empty when no level sets any (nginx then sends only Host and Connection). */
  headers: HeaderSetting[];
  xff?: HeaderSetting;
  /** safe: from $remote_addr; spoofable: keeps the client's own value on the left; absent: no XFF is set (the client's passes through). */
  verdict: 'safe' | 'spoofable' | 'absent' | 'other' | 'unknown';
  /** An include matrixdoc cannot read at the deciding level (the verdict is then unknown unless XFF is set explicitly). */
  unknownInclude?: NginxDirective;
}

const PROXY_PARAMS = /(^|\/)proxy_params$/;

/** The X-Forwarded-For header nginx sends for a proxy_pass, following proxy_set_header inheritance. */
export function xffFor(site: ProxySite): XffState {
  // Levels, innermost first: the proxy_pass's own block, its enclosing blocks, then the file's top level.
  const levels: { block: NginxDirective[]; owner?: NginxDirective }[] = [
    ...[...site.ancestors].reverse().map((a) => ({ block: a.block ?? [], owner: a })),
    { block: site.top, owner: undefined },
  ];
  for (const { block, owner } of levels) {
    const headers: HeaderSetting[] = [];
    let unknownInclude: NginxDirective | undefined;
    for (const d of block) {
      if (d.name === 'proxy_set_header' && d.args[0]) headers.push({ name: d.args[0], value: d.args[1] ?? '', directive: d });
      else if (d.name === 'include' && d.args[0]) {
        if (PROXY_PARAMS.test(d.args[0])) {
          for (const [name, value] of DEBIAN_PROXY_PARAMS) headers.push({ name, value, directive: d, viaInclude: d.args[0] });
        } else if (!/mime\.types$|fastcgi|uwsgi|scgi|ssl|letsencrypt/i.test(d.args[0])) unknownInclude ??= d;
      }
    }
    if (headers.length === 0 && !unknownInclude) continue;
    // nginx sends every proxy_set_header line; Synapse reads the first X-Forwarded-For header.
    const xff = headers.find((h) => h.name.toLowerCase() === 'x-forwarded-for');
    const verdict: XffState['verdict'] = xff ? classifyXff(xff.value) : unknownInclude ? 'unknown' : 'absent';
    return { level: owner, headers, xff, verdict, unknownInclude };
  }
  return { headers: [], verdict: 'absent' };
}

export function classifyXff(value: string): XffState['verdict'] {
  const first = value.split(',')[0].trim();
  if (SPOOFABLE_XFF_VALUES.some((v) => first.includes(v))) return 'spoofable';
  if (SAFE_XFF_VALUES.includes(first)) return 'safe';
  return 'other';
}

/** `location ~* ^(/_matrix|...)` in `server matrix.example.com`, for messages. */
export function describeSite(site: ProxySite): string {
  const loc = [...site.ancestors].reverse().find((a) => a.name === 'location');
  const server = site.ancestors.find((a) => a.name === 'server');
  const names = server?.block?.filter((d) => d.name === 'server_name').flatMap((d) => d.args) ?? [];
  const where = loc ? `location ${loc.args.join(' ')}` : 'the server block';
  return `${where}${names.length ? ` of ${names[0]}` : ''}`;
}
