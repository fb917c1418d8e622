// The only way probes reach the network. Every connection goes through `route()`, which applies
// --connect-to, --resolve and --dns-server, then refuses any address outside --allow-targets before a
// packet is sent. HTTP, and later WebSocket, LDAP, SQL and STUN/TURN, all build on it.

import { isUtf8 } from 'node:buffer';
import { Resolver, lookup as systemLookup } from 'node:dns/promises';
import net from 'node:net';
import tls from 'node:tls';
import { Agent, request } from 'undici';
import { ProbeError } from '../engine/errors.js';
import { queryDnsServer } from './dns.js';
import { type Cidr, type ConnectToOverride, isAllowed, type ResolveOverride } from './targets.js';

export interface NetOptions {
  resolve: ResolveOverride[];
  connectTo: ConnectToOverride[];
  dnsServer?: { host: string; port: number };
  /** Extra trusted CA certificates (PEM), added to the system store. */
  extraCa?: string;
  allowTargets?: Cidr[];
}

export interface Route {
  /** The name the caller asked for: used for the Host header and certificate checks. */
  host: string;
  port: number;
  /** Where the connection really goes, after --connect-to. */
  connectHost: string;
  connectPort: number;
  addresses: { address: string; family: 4 | 6 }[];
  via: 'ip-literal' | 'resolve' | 'dns' | 'connect-to';
}

export interface TlsEvidence {
  protocol: string | null;
  /** The chain verified against the trusted CAs (system store + --ca-file). */
  authorized: boolean;
  authorizationError?: string;
  /** The name the certificate had to be valid for, and why it is not (undefined when it is). */
  expectedName?: string;
  nameError?: string;
  subject?: string;
  subjectAltNames: string[];
  issuer?: string;
  validFrom?: string;
  validTo?: string;
  fingerprint256?: string;
}

export interface HttpHop {
  url: string;
  status?: number;
  location?: string;
  address?: string;
}

export interface HttpExchange {
  ok: boolean;
  url: string;
  finalUrl: string;
  status?: number;
  headers: Record<string, string>;
  body: string;
  bodyBytes: number;
  truncated: boolean;
  /** The body (read whole, not truncated) is not valid UTF-8; `body` has it decoded with U+FFFD replacements. */
  invalidUtf8?: boolean;
  redirects: HttpHop[];
  address?: string;
  tls?: TlsEvidence;
  durationMs: number;
  error?: { code: string; message: string };
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The body is cut here (well-known files are small; Synapse caps them at 50 KiB). */
  maxBytes?: number;
  maxRedirects?: number;
  signal: AbortSignal;
  /** Connect to this address only (for per-address reports); still subject to --allow-targets. */
  pinAddress?: string;
  /** false: complete the request whatever the certificate, recording the TLS verdicts in `tls` (for evidence). */
  verifyTls?: boolean;
  /** The name the certificate must be valid for (and the SNI sent), when it is not the URL's host. */
  tlsName?: string;
}

const DEFAULT_MAX_BYTES = 256 * 1024;

/** The TIMEOUT message of a TLS peer that accepted the TCP connection but never finished the handshake. */
export const TLS_HANDSHAKE_STALLED = 'the TCP connection was accepted, but the TLS handshake did not finish before the timeout';

/** Maps Node's error codes to the stable codes reports and checks use. */
export function classifyNetError(error: unknown): { code: string; message: string } {
  if (error instanceof ProbeError) return { code: error.code, message: error.message };
  const e = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const inner = e?.cause && typeof e.cause === 'object' ? e.cause : e;
  const code = String(inner?.code ?? e?.code ?? e?.name ?? 'UNKNOWN');
  const message = String(inner?.message ?? e?.message ?? error);
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError' || code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR') {
    return { code: 'TIMEOUT', message: 'no answer before the timeout' };
  }
  const map: Record<string, string> = {
    ENOTFOUND: 'DNS_NXDOMAIN',
    ENODATA: 'DNS_NODATA',
    ESERVFAIL: 'DNS_SERVFAIL',
    ECONNREFUSED: 'CONN_REFUSED',
    ECONNRESET: 'CONN_RESET',
    EPIPE: 'CONN_RESET',
    UND_ERR_SOCKET: 'CONN_RESET',
    ETIMEDOUT: 'TIMEOUT',
    UND_ERR_CONNECT_TIMEOUT: 'TIMEOUT',
    UND_ERR_HEADERS_TIMEOUT: 'TIMEOUT',
    UND_ERR_BODY_TIMEOUT: 'TIMEOUT',
    EHOSTUNREACH: 'HOST_UNREACHABLE',
    ENETUNREACH: 'HOST_UNREACHABLE',
    HPE_INVALID_CONSTANT: 'HTTP_PROTOCOL',
    HPE_INVALID_HEADER_TOKEN: 'HTTP_PROTOCOL',
    UND_ERR_INFO: 'HTTP_PROTOCOL',
    // undici's parser errors (code undefined, name HTTPParserError), header floods and bodies that do not
    // match their Content-Length: the peer does not speak HTTP properly.
    HTTPParserError: 'HTTP_PROTOCOL',
    UND_ERR_HEADERS_OVERFLOW: 'HTTP_PROTOCOL',
    UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'HTTP_PROTOCOL',
    ERR_TLS_CERT_ALTNAME_INVALID: 'TLS_NAME_MISMATCH',
    CERT_HAS_EXPIRED: 'TLS_EXPIRED',
    CERT_NOT_YET_VALID: 'TLS_NOT_YET_VALID',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS_UNTRUSTED',
    SELF_SIGNED_CERT_IN_CHAIN: 'TLS_UNTRUSTED',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS_UNTRUSTED',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS_UNTRUSTED',
    ERR_SSL_WRONG_VERSION_NUMBER: 'TLS_HANDSHAKE',
    EPROTO: 'TLS_HANDSHAKE',
  };
  // The resolver's own failures (c-ares `query*`, getaddrinfo) are DNS problems, not the target's: an
  // unreachable DNS server must not read as "connection refused" by the server being checked.
  const dnsMap: Record<string, string> = { ECONNREFUSED: 'DNS_UNREACHABLE', ETIMEOUT: 'DNS_TIMEOUT', EAI_AGAIN: 'DNS_TIMEOUT', EREFUSED: 'DNS_REFUSED' };
  if (/^(query|getaddrinfo)/.test(String(inner?.syscall ?? '')) && dnsMap[code]) return { code: dnsMap[code], message };
  if (map[code]) return { code: map[code], message };
  if (/^HPE_/.test(code)) return { code: 'HTTP_PROTOCOL', message };
  if (/ssl|tls/i.test(code)) return { code: 'TLS_HANDSHAKE', message };
  return { code, message };
}

/** The address in a resolver server as getServers() lists it: `1.2.3.4`, `1.2.3.4:5353`, `::1`, `[::1]:5353`. */
export function resolverAddress(server: string): string {
  const bracketed = server.match(/^\[([^\]]+)\](?::\d+)?$/);
  if (bracketed) return bracketed[1];
  if (net.isIP(server)) return server;
  return server.replace(/:\d+$/, '');
}

const SECURE_CONTEXTS = new Map<string, tls.SecureContext>();

const RESOLVER_FAILURES = new Set(['DNS_UNREACHABLE', 'DNS_TIMEOUT', 'DNS_REFUSED']);

function defaultPort(protocol: string): number {
  return protocol === 'https:' || protocol === 'wss:' ? 443 : 80;
}

export class NetClient {
  constructor(readonly options: NetOptions) {}

  /**
   * One TLS context for every connection with the same trust store: parsing Mozilla's roots plus
   * --ca-file costs tens of milliseconds of CPU per context, which adds up over a fleet.
   */
  secureContext(): tls.SecureContext | undefined {
    const extra = this.options.extraCa;
    if (!extra) return undefined;
    let context = SECURE_CONTEXTS.get(extra);
    if (!context) {
      context = tls.createSecureContext({ ca: [...tls.rootCertificates, extra] });
      SECURE_CONTEXTS.set(extra, context);
    }
    return context;
  }

  /** Refuses an address outside --allow-targets. Call it before any packet leaves. */
  assertAllowed(address: string, what: string): void {
    if (!isAllowed(this.options.allowTargets, address)) {
      const ranges = (this.options.allowTargets ?? []).map((c) => c.text).join(',');
      throw new ProbeError(
        'TARGET_NOT_ALLOWED',
        `refused to contact ${address} (${what}): outside --allow-targets ${ranges}; redirect it with --resolve, --connect-to or --dns-server`,
        { address },
      );
    }
  }

  private assertResolverAllowed(): void {
    const servers = this.options.dnsServer ? [this.options.dnsServer.host] : new Resolver().getServers().map(resolverAddress);
    for (const s of servers) this.assertAllowed(s, 'DNS resolver');
  }

  /**
   * A/AAAA/SRV/CNAME/TXT lookup. With --dns-server: dns2's codec over our own UDP (TCP when truncated)
   * transport (src/net/dns.ts), with c-ares' result shapes and errors. Without it: node's Resolver with
   * the system's servers.
   */
  async dnsQuery(name: string, type: 'A' | 'AAAA' | 'SRV' | 'CNAME' | 'TXT', signal: AbortSignal): Promise<unknown[]> {
    this.assertResolverAllowed();
    const server = this.options.dnsServer;
    if (server) return queryDnsServer(name, type, { server, signal, timeoutMs: 2000, tries: 2 });
    const resolver = new Resolver({ timeout: 2000, tries: 2 });
    const onAbort = () => resolver.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      signal.throwIfAborted();
      switch (type) {
        case 'A':
          return await resolver.resolve4(name);
        case 'AAAA':
          return await resolver.resolve6(name);
        case 'SRV':
          return await resolver.resolveSrv(name);
        case 'CNAME':
          return await resolver.resolveCname(name);
        case 'TXT':
          return await resolver.resolveTxt(name);
      }
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Addresses for a name: --resolve first, then DNS (A and AAAA). */
  async lookup(host: string, port: number, signal: AbortSignal): Promise<{ addresses: Route['addresses']; via: Route['via'] }> {
    const bare = host.replace(/^\[|\]$/g, '');
    const family = net.isIP(bare);
    if (family) return { addresses: [{ address: bare, family: family as 4 | 6 }], via: 'ip-literal' };
    const lower = bare.toLowerCase().replace(/\.$/, '');
    const override = this.options.resolve.find((r) => r.host === lower && (r.port === undefined || r.port === port));
    if (override) {
      return {
        addresses: override.addresses.map((a) => ({ address: a, family: net.isIP(a) as 4 | 6 })),
        via: 'resolve',
      };
    }
    // localhost is loopback without asking anyone (RFC 6761), also when --dns-server names a resolver
    // (Synapse's `host: localhost` must not depend on what that resolver says).
    if (lower === 'localhost' || lower.endsWith('.localhost')) {
      return {
        addresses: [
          { address: '127.0.0.1', family: 4 },
          { address: '::1', family: 6 },
        ],
        via: 'dns',
      };
    }
    if (!this.options.dnsServer) {
      // The system resolver (getaddrinfo also reads /etc/hosts); its upstream servers must be allowed too.
      this.assertResolverAllowed();
      const found = await systemLookup(lower, { all: true, verbatim: true });
      signal.throwIfAborted();
      return { addresses: found.map((a) => ({ address: a.address, family: a.family as 4 | 6 })), via: 'dns' };
    }
    const settled = await Promise.allSettled([this.dnsQuery(lower, 'AAAA', signal), this.dnsQuery(lower, 'A', signal)]);
    const addresses: Route['addresses'] = [];
    for (const [i, s] of settled.entries()) {
      if (s.status === 'fulfilled') for (const a of s.value as string[]) addresses.push({ address: a, family: i === 0 ? 6 : 4 });
    }
    if (addresses.length === 0) {
      const first = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult | undefined;
      throw first?.reason ?? Object.assign(new Error(`${lower} has no A or AAAA record`), { code: 'ENODATA' });
    }
    return { addresses, via: 'dns' };
  }

  /** Where a connection to host:port really goes, with every redirection flag applied and the allow-list enforced. */
  async route(host: string, port: number, signal: AbortSignal): Promise<Route> {
    const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
    const rule = this.options.connectTo.find((c) => (c.host === undefined || c.host === bare) && (c.port === undefined || c.port === port));
    const connectHost = rule?.toHost ?? bare;
    const connectPort = rule?.toPort ?? port;
    const { addresses, via } = await this.lookup(connectHost, connectPort, signal);
    for (const a of addresses) this.assertAllowed(a.address, `${bare}:${port}`);
    return { host: bare, port, connectHost, connectPort, addresses, via: rule ? 'connect-to' : via };
  }

  /** Opens a TCP (or TLS) connection to one of the route's addresses, in order. */
  async connect(
    route: Route,
    opts: { tls: boolean; servername?: string; alpn?: string[]; signal: AbortSignal; pinAddress?: string; verify?: boolean },
  ): Promise<{ socket: net.Socket; address: string; tls?: TlsEvidence }> {
    const candidates = opts.pinAddress ? [{ address: opts.pinAddress }] : route.addresses;
    if (opts.pinAddress) this.assertAllowed(opts.pinAddress, `${route.host}:${route.port}`);
    let lastError: unknown;
    for (const { address } of candidates) {
      opts.signal.throwIfAborted();
      try {
        const socket = await this.openOne(address, route.connectPort, opts);
        const evidence = socket instanceof tls.TLSSocket ? tlsEvidence(socket, opts.servername ?? address) : undefined;
        return { socket, address, tls: evidence };
      } catch (error) {
        lastError = error;
        if (opts.signal.aborted) break;
      }
    }
    throw lastError ?? new ProbeError('CONN_REFUSED', `no address to connect to for ${route.host}`);
  }

  private openOne(
    address: string,
    port: number,
    opts: { tls: boolean; servername?: string; alpn?: string[]; signal: AbortSignal; verify?: boolean },
  ): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const servername = opts.servername && !net.isIP(opts.servername) ? opts.servername : undefined;
      const socket = opts.tls
        ? tls.connect({
            host: address,
            port,
            servername,
            ALPNProtocols: opts.alpn ?? ['http/1.1'],
            secureContext: this.secureContext(),
            // Identity is checked against the name the caller expects, not the address we connect to.
            // With verify: false the handshake completes whatever the certificate, so its details can be
            // reported; the verdicts are kept in the evidence (authorized, nameError).
            rejectUnauthorized: opts.verify !== false,
            checkServerIdentity: (_host, cert) => (opts.verify === false ? undefined : tls.checkServerIdentity(opts.servername ?? address, cert)),
            signal: opts.signal,
          } as tls.ConnectionOptions)
        : net.connect({ host: address, port, signal: opts.signal } as net.NetConnectOpts);
      const ready = opts.tls ? 'secureConnect' : 'connect';
      // A TLS peer that accepts TCP and never answers the ClientHello: say which step stalled.
      let tcpUp = false;
      if (opts.tls) socket.once('connect', () => (tcpUp = true));
      const onError = (err: Error) => {
        socket.destroy();
        const aborted = opts.signal.aborted || err?.name === 'AbortError';
        reject(opts.tls && tcpUp && aborted ? new ProbeError('TIMEOUT', TLS_HANDSHAKE_STALLED) : err);
      };
      socket.once('error', onError);
      socket.once(ready, () => {
        socket.off('error', onError);
        resolve(socket);
      });
    });
  }

  /**
   * A TLS handshake that completes whatever the certificate, to report it: chain verdict (system store
   * + --ca-file), name verdict for `servername`, protocol, validity dates. Network failures throw.
   */
  async tlsHandshake(
    host: string,
    port: number,
    opts: { servername: string; signal: AbortSignal; pinAddress?: string },
  ): Promise<{ address: string; tls: TlsEvidence }> {
    const route = await this.route(host, port, opts.signal);
    const {
      socket,
      address,
      tls: evidence,
    } = await this.connect(route, { tls: true, servername: opts.servername, signal: opts.signal, pinAddress: opts.pinAddress, verify: false });
    socket.destroy();
    return { address, tls: evidence as TlsEvidence };
  }

  /** One HTTP(S) request with manual redirects (each hop re-routed and re-checked) and a capped body. */
  async http(url: string, opts: HttpOptions): Promise<HttpExchange> {
    const started = performance.now();
    const redirects: HttpHop[] = [];
    const maxRedirects = opts.maxRedirects ?? 5;
    const seen = new Set<string>();
    let current = url;
    let last: HttpExchange | undefined;
    for (let hop = 0; hop <= maxRedirects; hop++) {
      seen.add(current);
      last = await this.httpOnce(current, opts);
      last.redirects = redirects;
      const location = last.headers.location;
      if (last.ok && last.status && last.status >= 300 && last.status < 400 && location) {
        const next = new URL(location, current).toString();
        redirects.push({ url: current, status: last.status, location: next, address: last.address });
        if (seen.has(next)) {
          return {
            ...last,
            url,
            ok: false,
            error: { code: 'REDIRECT_LOOP', message: `redirect loop back to ${next}` },
            durationMs: performance.now() - started,
          };
        }
        current = next;
        continue;
      }
      return { ...last, url, durationMs: performance.now() - started };
    }
    return {
      ...(last as HttpExchange),
      url,
      ok: false,
      error: { code: 'TOO_MANY_REDIRECTS', message: `more than ${maxRedirects} redirects` },
      durationMs: performance.now() - started,
    };
  }

  private async httpOnce(url: string, opts: HttpOptions): Promise<HttpExchange> {
    const started = performance.now();
    const parsed = new URL(url);
    const base: HttpExchange = {
      ok: false,
      url,
      finalUrl: url,
      headers: {},
      body: '',
      bodyBytes: 0,
      truncated: false,
      redirects: [],
      durationMs: 0,
    };
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      return { ...base, error: { code: 'UNSUPPORTED_URL', message: `not an http(s) URL: ${url}` } };
    }
    const port = Number(parsed.port) || defaultPort(parsed.protocol);
    const isTls = parsed.protocol === 'https:';
    let socketInfo: { address?: string; tls?: TlsEvidence } = {};
    let dispatcher: Agent | undefined;
    try {
      // Routing errors such as TARGET_NOT_ALLOWED propagate: the tool refuses, it does not judge.
      const route = await this.route(parsed.hostname, port, opts.signal);
      dispatcher = new Agent({
        connections: 1,
        pipelining: 0,
        connect: (_o, cb) => {
          this.connect(route, { tls: isTls, servername: opts.tlsName ?? route.host, signal: opts.signal, pinAddress: opts.pinAddress, verify: opts.verifyTls })
            .then(({ socket, address, tls: t }) => {
              socketInfo = { address, tls: t };
              cb(null, socket);
            })
            .catch((err) => cb(err, null));
        },
      });
      const res = await request(url, {
        method: (opts.method ?? 'GET') as 'GET',
        headers: { 'user-agent': 'matrixdoc', ...opts.headers },
        body: opts.body,
        dispatcher,
        signal: opts.signal,
      });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : String(v ?? '');
      const max = opts.maxBytes ?? DEFAULT_MAX_BYTES;
      const chunks: Buffer[] = [];
      let bytes = 0;
      let truncated = false;
      for await (const chunk of res.body) {
        const buf = chunk as Buffer;
        if (bytes + buf.length > max) {
          chunks.push(buf.subarray(0, max - bytes));
          bytes = max;
          truncated = true;
          res.body.destroy();
          break;
        }
        chunks.push(buf);
        bytes += buf.length;
      }
      const raw = Buffer.concat(chunks);
      return {
        ...base,
        ok: true,
        status: res.statusCode,
        headers,
        body: raw.toString('utf8'),
        bodyBytes: bytes,
        truncated,
        // A cut body may end inside a character: only a whole one is judged.
        ...(!truncated && !isUtf8(raw) ? { invalidUtf8: true } : {}),
        address: socketInfo.address,
        tls: socketInfo.tls,
        durationMs: performance.now() - started,
      };
    } catch (error) {
      if (error instanceof ProbeError && error.code === 'TARGET_NOT_ALLOWED') throw error;
      const classified = classifyNetError(error);
      // A resolver that does not answer is this machine's problem, not the deployment's: the probe cannot do its job.
      if (RESOLVER_FAILURES.has(classified.code))
        throw new ProbeError(classified.code, `the DNS resolver did not answer for ${parsed.hostname}: ${classified.message}`);
      return {
        ...base,
        address: socketInfo.address,
        tls: socketInfo.tls,
        error: classifyNetError(error),
        durationMs: performance.now() - started,
      };
    } finally {
      dispatcher?.destroy().catch(() => {});
    }
  }
}

function tlsEvidence(socket: tls.TLSSocket, expectedName: string): TlsEvidence {
  const cert = socket.getPeerCertificate();
  const nameError = cert && Object.keys(cert).length ? tls.checkServerIdentity(expectedName, cert) : undefined;
  return {
    protocol: socket.getProtocol(),
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
    expectedName,
    nameError: nameError ? nameError.message : undefined,
    subject: first(cert?.subject?.CN),
    subjectAltNames: (cert?.subjectaltname ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    issuer: first(cert?.issuer?.CN),
    validFrom: cert?.valid_from,
    validTo: cert?.valid_to,
    fingerprint256: cert?.fingerprint256,
  };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
