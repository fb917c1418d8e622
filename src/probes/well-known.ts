// The three .well-known/matrix files of the server name, fetched the way their readers fetch them:
// `server` as Synapse's WellKnownResolver does (redirects followed, 50 KiB cap, JSON whatever the
// Content-Type), `client` as a browser running Element does (with an Origin header, so CORS shows),
// `support` (MSC1929) likewise. When `m.server` delegates, the delegated host:port is asked for
// /_matrix/federation/v1/version once, so a delegation to a host or port that does not answer shows.
//
// Network failures are evidence (the exchange's `error`); TARGET_NOT_ALLOWED and resolver failures throw.

import net from 'node:net';
import { defineProbe } from '../engine/define.js';
import { ProbeError } from '../engine/errors.js';
import { timeoutSignal } from '../engine/timeouts.js';
import type { ProbeContext } from '../engine/types.js';
import { classifyNetError, type HttpExchange, type HttpHop, type TlsEvidence } from '../net/client.js';
import type { HomeserverConfigArtifact } from './config-files.js';
import { orderSrv, type SrvAnswer } from './srv.js';

/** Synapse's WELL_KNOWN_MAX_SIZE (synapse/http/federation/well_known_resolver.py): larger bodies are a failure. */
export const WELL_KNOWN_MAX_BYTES = 50 * 1024;
/** Redirects followed per file (Twisted's RedirectAgent follows 20; browsers about as many). */
export const WELL_KNOWN_MAX_REDIRECTS = 20;
/** The Origin a browser sends when Element (here app.element.io) fetches the client well-known. */
export const BROWSER_ORIGIN = 'https://app.element.io';
/** The default federation port (IANA-registered), used when `m.server` has no port and no SRV record answers. */
export const FEDERATION_DEFAULT_PORT = 8448;

const EXCERPT_CHARS = 500;

/** One well-known file as fetched: the HTTP exchange (body reduced to an excerpt) and the parsed JSON. */
export interface WellKnownFetch {
  /** `https://<host>/.well-known/matrix/<file>` as asked. */
  url: string;
  /** Where the last request went (after redirects). */
  finalUrl: string;
  /** A response was received (possibly a redirect that was not followed further); false with `error`. */
  ok: boolean;
  status?: number;
  /** Network or redirect failure: CONN_REFUSED, TIMEOUT, TLS_HANDSHAKE, REDIRECT_LOOP, TOO_MANY_REDIRECTS... */
  error?: { code: string; message: string };
  /** Every redirect followed, in order (url, status, location). */
  redirects: HttpHop[];
  /** Response headers of the last response (lower-case names). */
  headers: Record<string, string>;
  contentType?: string;
  accessControlAllowOrigin?: string;
  cacheControl?: string;
  expires?: string;
  /** Bytes read (at most WELL_KNOWN_MAX_BYTES). */
  bodyBytes: number;
  /** The body was longer than WELL_KNOWN_MAX_BYTES (Synapse rejects it). */
  truncated: boolean;
  bodyExcerpt: string;
  /** The parsed body when it is JSON (present even for non-200 answers when they are JSON). */
  json?: unknown;
  /** Why the body is not JSON (undefined when it is, or when there is no body to parse). */
  jsonError?: string;
  /** The address the last request connected to. */
  address?: string;
  /** The certificate of the last hop, with verdicts (the request completes whatever the certificate). */
  tls?: TlsEvidence;
  durationMs: number;
}

/** `m.server` split as Synapse reads it (host, port, whether it is an IP literal). */
export interface DelegatedServer {
  /** The host without brackets (IPv6 literals unbracketed). */
  host: string;
  /** The port given in `m.server`, undefined when none. */
  port?: number;
  ipLiteral: boolean;
}

/** The answer of the delegated target to GET /_matrix/federation/v1/version. */
export interface DelegationProbe {
  host: string;
  port: number;
  /** How the port was chosen: written in `m.server`, from an SRV record, or the default 8448. */
  portFrom: 'm.server' | 'srv' | 'default';
  /** The SRV record used (`_matrix-fed._tcp.<host>` or the deprecated `_matrix._tcp.<host>`). */
  srv?: { name: string; target: string; port: number };
  /** The connection went to `connectHost` (the SRV target, else the delegated host). */
  connectHost: string;
  url: string;
  ok: boolean;
  status?: number;
  error?: { code: string; message: string };
  address?: string;
  tls?: TlsEvidence;
  serverHeader?: string;
  bodyExcerpt: string;
  /** `server.name` / `server.version` of a valid federation version answer. */
  server?: { name?: string; version?: string };
  durationMs: number;
}

export interface WellKnownServerFile extends WellKnownFetch {
  /** The raw `m.server` value when the body is a JSON object that has it (any type). */
  mServer?: unknown;
  /** `m.server` parsed, when it is a string of the server-name grammar (hostname[:port]). */
  delegated?: DelegatedServer;
  /** The delegated target asked for /_matrix/federation/v1/version (only with a valid 200 answer). */
  delegation?: DelegationProbe;
}

export interface WellKnownClientFile extends WellKnownFetch {
  /** The Origin header sent (as a browser would). */
  origin: string;
  /** `m.homeserver.base_url` when it is a string. */
  baseUrl?: string;
  /** `m.identity_server.base_url` when it is a string. */
  identityServerBaseUrl?: string;
}

/** The `wellKnown` probe's artifact. */
export interface WellKnownArtifact {
  /** The server name looked up (from --server-name, else homeserver.yaml's server_name). */
  serverName: string;
  serverNameSource: 'server-name' | 'homeserver-config';
  /** The hostname part of the server name (IPv6 without brackets), where the files are asked. */
  host: string;
  /** The port written in the server name, if any. */
  port?: number;
  ipLiteral: boolean;
  /**
   * Why `/.well-known/matrix/server` was not asked: servers never look it up for an IP literal or a
   * server name with an explicit port (spec steps 1 and 2). The client and support files are still
   * fetched from the hostname, as clients do.
   */
  serverSkipped?: string;
  server?: WellKnownServerFile;
  client?: WellKnownClientFile;
  support?: WellKnownFetch;
}

/** Splits a server name (hostname[:port], `[v6]`[:port]) per the spec grammar; undefined when it is not one. */
export function parseServerName(name: string): { host: string; port?: number; ipLiteral: boolean } | undefined {
  const m = /^(?:\[([0-9A-Fa-f:.]{2,45})\]|([0-9A-Za-z.-]{1,255}))(?::(\d{1,5}))?$/.exec(name);
  if (!m) return undefined;
  const host = m[1] ?? m[2];
  if (m[1] !== undefined && net.isIPv6(host) === false) return undefined;
  const port = m[3] !== undefined ? Number(m[3]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  const ipLiteral = m[1] !== undefined || net.isIPv4(host);
  return { host, port, ipLiteral };
}

/** The URL form of a host (IPv6 bracketed). */
export function urlHost(host: string): string {
  return net.isIPv6(host) ? `[${host}]` : host;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Milliseconds left before `deadline`, at least 1. */
function left(deadline: number): number {
  return Math.max(1, Math.round(deadline - performance.now()));
}

/** Why Synapse rejects a body that is not UTF-8 (it decodes it strictly before parsing the JSON). */
export const NOT_UTF8 = 'not valid UTF-8: Synapse decodes the body as strict UTF-8 before reading the JSON';

async function fetchFile(
  ctx: ProbeContext,
  url: string,
  deadline: number,
  headers: Record<string, string> = {},
  opts: { strictUtf8?: boolean } = {},
): Promise<WellKnownFetch> {
  const signal = AbortSignal.any([ctx.signal, timeoutSignal(left(deadline))]);
  const x: HttpExchange = await ctx.net.http(url, {
    signal,
    headers: { accept: 'application/json', ...headers },
    maxBytes: WELL_KNOWN_MAX_BYTES,
    maxRedirects: WELL_KNOWN_MAX_REDIRECTS,
    verifyTls: false,
  });
  let json: unknown;
  let jsonError: string | undefined;
  // A cut body is never parsed: Synapse rejects it whole, and half a JSON document is no evidence.
  if (x.ok && !x.truncated && x.invalidUtf8 && opts.strictUtf8) {
    jsonError = NOT_UTF8;
  } else if (x.ok && !x.truncated && x.body.trim() !== '') {
    try {
      json = JSON.parse(x.body);
    } catch (error) {
      jsonError = (error as Error).message;
    }
  } else if (x.ok && !x.truncated && x.status === 200) {
    jsonError = 'empty body';
  }
  return {
    url,
    finalUrl: x.finalUrl,
    ok: x.ok,
    ...(x.status !== undefined ? { status: x.status } : {}),
    ...(x.error ? { error: x.error } : {}),
    redirects: x.redirects,
    headers: x.headers,
    ...(x.headers['content-type'] !== undefined ? { contentType: x.headers['content-type'] } : {}),
    ...(x.headers['access-control-allow-origin'] !== undefined ? { accessControlAllowOrigin: x.headers['access-control-allow-origin'] } : {}),
    ...(x.headers['cache-control'] !== undefined ? { cacheControl: x.headers['cache-control'] } : {}),
    ...(x.headers.expires !== undefined ? { expires: x.headers.expires } : {}),
    bodyBytes: x.bodyBytes,
    truncated: x.truncated,
    bodyExcerpt: x.body.slice(0, EXCERPT_CHARS),
    ...(json !== undefined ? { json } : {}),
    ...(jsonError !== undefined ? { jsonError } : {}),
    ...(x.address ? { address: x.address } : {}),
    ...(x.tls ? { tls: x.tls } : {}),
    durationMs: Math.round(x.durationMs),
  };
}

/** The SRV record servers use for a delegated host without a port (spec steps 3.3, 3.4), if any. */
async function srvFor(ctx: ProbeContext, host: string, deadline: number): Promise<{ name: string; target: string; port: number } | undefined> {
  for (const prefix of ['_matrix-fed._tcp.', '_matrix._tcp.']) {
    const name = `${prefix}${host}`;
    const signal = AbortSignal.any([ctx.signal, timeoutSignal(left(deadline))]);
    let records: SrvAnswer[];
    try {
      records = (await ctx.net.dnsQuery(name, 'SRV', signal)) as typeof records;
    } catch (error) {
      if (error instanceof ProbeError) throw error; // TARGET_NOT_ALLOWED: the resolver may not be asked
      const code = (error as NodeJS.ErrnoException)?.code;
      if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'NOTFOUND' || code === 'NODATA') continue;
      if (signal.aborted && !ctx.signal.aborted) return undefined; // out of time: fall back to 8448
      const classified = classifyNetError(error);
      throw new ProbeError(classified.code.startsWith('DNS_') ? classified.code : 'DNS_FAILURE', `the DNS resolver failed for ${name}: ${classified.message}`);
    }
    // The same order as the federation probe; a "." among other records is skipped, alone it means none.
    const ordered = orderSrv(records);
    const best = ordered.outcome === 'found' ? ordered.records[0] : undefined;
    if (best) return { name, target: best.target, port: best.port };
  }
  return undefined;
}

async function probeDelegation(ctx: ProbeContext, delegated: DelegatedServer, deadline: number): Promise<DelegationProbe> {
  let port = delegated.port;
  let portFrom: DelegationProbe['portFrom'] = 'm.server';
  let srv: DelegationProbe['srv'];
  let connectHost = delegated.host;
  if (port === undefined) {
    srv = delegated.ipLiteral ? undefined : await srvFor(ctx, delegated.host, deadline);
    port = srv ? srv.port : FEDERATION_DEFAULT_PORT;
    portFrom = srv ? 'srv' : 'default';
    if (srv) connectHost = srv.target;
  }
  const url = `https://${urlHost(delegated.host)}:${port}/_matrix/federation/v1/version`;
  const signal = AbortSignal.any([ctx.signal, timeoutSignal(left(deadline))]);
  const common = { signal, maxBytes: 16 * 1024, maxRedirects: 0, verifyTls: false } as const;
  // With SRV the connection goes to the target, while the Host header and the certificate name stay
  // the delegated host (spec 3.3/3.4); without it, to the delegated host itself (3.1, 3.2, 3.5).
  const x: HttpExchange = srv
    ? await ctx.net.http(`https://${urlHost(srv.target)}:${srv.port}/_matrix/federation/v1/version`, {
        ...common,
        tlsName: delegated.host,
        headers: { host: delegated.host },
      })
    : await ctx.net.http(url, common);
  let server: DelegationProbe['server'];
  if (x.ok && x.status === 200) {
    try {
      const parsed = JSON.parse(x.body) as unknown;
      if (isObject(parsed) && isObject(parsed.server)) {
        const { name, version } = parsed.server;
        server = { ...(typeof name === 'string' ? { name } : {}), ...(typeof version === 'string' ? { version } : {}) };
      }
    } catch {
      // not JSON: the check reports the excerpt
    }
  }
  return {
    host: delegated.host,
    port,
    portFrom,
    ...(srv ? { srv } : {}),
    connectHost,
    url,
    ok: x.ok,
    ...(x.status !== undefined ? { status: x.status } : {}),
    ...(x.error ? { error: x.error } : {}),
    ...(x.address ? { address: x.address } : {}),
    ...(x.tls ? { tls: x.tls } : {}),
    ...(x.headers.server ? { serverHeader: x.headers.server } : {}),
    bodyExcerpt: x.body.slice(0, 300),
    ...(server ? { server } : {}),
    durationMs: Math.round(x.durationMs),
  };
}

export const wellKnownProbe = defineProbe<WellKnownArtifact>({
  id: 'wellKnown',
  description:
    "Fetches the server name's /.well-known/matrix/{server,client,support} as Synapse and browsers do, and asks the delegated m.server for its federation version",
  network: true,
  uses: ['homeserverConfig'],
  async run(ctx, deps) {
    const hs = deps.homeserverConfig as HomeserverConfigArtifact | undefined;
    // Files read after homeserver.yaml (Debian's conf.d) replace its top-level keys, as in Synapse.
    let fromYaml: string | undefined;
    for (const f of hs ? [hs, ...(hs.overrides ?? [])] : []) {
      if (isObject(f.parsed.value) && Object.hasOwn(f.parsed.value, 'server_name')) {
        const v = f.parsed.value.server_name;
        fromYaml = typeof v === 'string' ? v : undefined;
      }
    }
    const serverName = ctx.inputs.serverName ?? fromYaml;
    if (!serverName) return { skip: 'no server name (--server-name, or server_name in homeserver.yaml)' };
    const parsed = parseServerName(serverName);
    if (!parsed) return { skip: `'${serverName}' is not a Matrix server name (hostname[:port]); nothing to look up` };
    const { host, port, ipLiteral } = parsed;
    const base = `https://${urlHost(host)}`;
    // Each request ends a little before the probe's own deadline, so a host that never answers is
    // recorded as a TIMEOUT answer instead of losing the whole probe.
    const deadline = performance.now() + ctx.timeoutMs - Math.min(250, ctx.timeoutMs / 5);

    const serverSkipped = ipLiteral
      ? `the server name is an IP literal: servers connect to ${port ? `port ${port}` : `port ${FEDERATION_DEFAULT_PORT}`} directly and never ask /.well-known/matrix/server`
      : port !== undefined
        ? `the server name has an explicit port (${port}): servers connect to ${host}:${port} directly and never ask /.well-known/matrix/server`
        : undefined;

    const [server, client, support] = await Promise.all([
      // Synapse reads the server file as strict UTF-8; browsers decode the others with replacement characters.
      serverSkipped ? Promise.resolve(undefined) : fetchFile(ctx, `${base}/.well-known/matrix/server`, deadline, {}, { strictUtf8: true }),
      fetchFile(ctx, `${base}/.well-known/matrix/client`, deadline, { origin: BROWSER_ORIGIN }),
      fetchFile(ctx, `${base}/.well-known/matrix/support`, deadline, { origin: BROWSER_ORIGIN }),
    ]);

    const artifact: WellKnownArtifact = {
      serverName,
      serverNameSource: ctx.inputs.serverName ? 'server-name' : 'homeserver-config',
      host,
      ...(port !== undefined ? { port } : {}),
      ipLiteral,
      ...(serverSkipped ? { serverSkipped } : {}),
    };

    if (server) {
      const file: WellKnownServerFile = { ...server };
      if (isObject(server.json) && Object.hasOwn(server.json, 'm.server')) {
        file.mServer = server.json['m.server'];
        if (typeof file.mServer === 'string') {
          const d = parseServerName(file.mServer);
          if (d) file.delegated = { host: d.host, ...(d.port !== undefined ? { port: d.port } : {}), ipLiteral: d.ipLiteral };
        }
      }
      if (file.delegated && server.status === 200 && !server.truncated) file.delegation = await probeDelegation(ctx, file.delegated, deadline);
      artifact.server = file;
    }

    const clientFile: WellKnownClientFile = { ...client, origin: BROWSER_ORIGIN };
    if (isObject(client.json)) {
      const hsBlock = client.json['m.homeserver'];
      if (isObject(hsBlock) && typeof hsBlock.base_url === 'string') clientFile.baseUrl = hsBlock.base_url;
      const isBlock = client.json['m.identity_server'];
      if (isObject(isBlock) && typeof isBlock.base_url === 'string') clientFile.identityServerBaseUrl = isBlock.base_url;
    }
    artifact.client = clientFile;
    artifact.support = support;
    return artifact;
  },
});
