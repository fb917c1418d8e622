// Federation: the server discovery algorithm of the server-server API ("Resolving server names", steps 1
// to 6) for the deployment's server name, then every address it leads to, each on its own (as the
// federation tester's ConnectionReports): the TLS handshake with the SNI the spec requires, the
// certificate verdicts for the name the spec requires at that step, GET /_matrix/federation/v1/version
// and GET /_matrix/key/v2/server with its self-signatures verified. Network failures are evidence;
// --allow-targets refusals and resolver failures end the probe (as everywhere in ctx.net).

import { defineProbe } from '../engine/define.js';
import { ProbeError } from '../engine/errors.js';
import type { ProbeContext } from '../engine/types.js';
import { verifyJsonSignature } from '../matrix/signing.js';
import { classifyNetError, type HttpExchange, type TlsEvidence } from '../net/client.js';
import type { HomeserverConfigArtifact } from './config-files.js';
import { orderSrv, type SrvAnswer } from './srv.js';
import { NOT_UTF8, parseServerName, urlHost, WELL_KNOWN_MAX_BYTES, WELL_KNOWN_MAX_REDIRECTS, type WellKnownArtifact } from './well-known.js';

/** The IANA-registered federation port, used when nothing names another one. */
export const FEDERATION_PORT = 8448;
/** Per-address reports are capped: a name with dozens of addresses must not turn into dozens of probes. */
export const MAX_ADDRESSES = 8;
const BODY_EXCERPT = 300;

export type DiscoveryStep = '1' | '2' | '3.1' | '3.2' | '3.3' | '3.4' | '3.5' | '4' | '5' | '6';

export interface NetErrorInfo {
  code: string;
  message: string;
}

/** host[:port] for URLs and Host headers (IPv6 in brackets). */
export function netloc(host: string, port?: number): string {
  return port === undefined ? urlHost(host) : `${urlHost(host)}:${port}`;
}

export interface WellKnownResult {
  /** Which probe fetched it: the wellKnown probe, or this one when that one was not there. */
  source: 'wellKnown' | 'federation';
  url: string;
  status?: number;
  error?: NetErrorInfo;
  bodyExcerpt?: string;
  /** The m.server value, when the answer is a usable delegation. */
  mServer?: string;
  /** Why the answer is not a usable delegation (the spec then goes on at step 4). */
  invalid?: string;
}

export interface SrvRecord {
  target: string;
  port: number;
  priority: number;
  weight: number;
}

export interface SrvLookup {
  name: string;
  /** `_matrix._tcp`, the deprecated record (steps 3.4 and 5). */
  deprecated: boolean;
  /** found: usable records; none: NXDOMAIN or no SRV record; unavailable: the single target "." (RFC 2782); error: the lookup failed. */
  outcome: 'found' | 'none' | 'unavailable' | 'error';
  records: SrvRecord[];
  error?: NetErrorInfo;
}

export interface ResolvedTarget {
  /** The host connections go to (the SRV target, or the host of the step) and its port. */
  host: string;
  port: number;
  /** From which SRV record (priority, weight) it came. */
  srv?: { priority: number; weight: number };
  /** The SRV target is an alias: its CNAME record (RFC 2782 forbids this). */
  cname?: string;
  addresses: { address: string; family: 4 | 6 }[];
  /** Where --connect-to really sends it, when that differs. */
  connect?: { host: string; port: number };
  /** The name has no address (NXDOMAIN or no A/AAAA record). */
  error?: NetErrorInfo;
}

export interface Discovery {
  serverName: string;
  /** Where the server name came from. */
  source: '--server-name' | 'homeserver.yaml';
  hostname: string;
  port?: number;
  step: DiscoveryStep;
  /** Why this step applied, in words. */
  why: string;
  wellKnown?: WellKnownResult;
  delegated?: { server: string; host: string; port?: number; ipLiteral: boolean };
  srv: SrvLookup[];
  /** What the spec sends as Host at this step. */
  hostHeader: string;
  /** The name the certificate must be valid for at this step (never the SRV target). */
  certificateName: string;
  /** False when the certificate name is an IP address: no SNI is sent then. */
  sni: boolean;
  targets: ResolvedTarget[];
}

export interface SplitBrainAnswer {
  address: string;
  status?: number;
  error?: NetErrorInfo;
  mServer?: string;
  invalid?: string;
  /** A short form of the answer, equal for equal answers ("m.server matrix.example.com:443", "HTTP 404"...). */
  answer: string;
}

export interface SplitBrain {
  host: string;
  answers: SplitBrainAnswer[];
  /** True when the addresses do not all give the same answer (addresses with no route from here are not compared). */
  differs: boolean;
}

export interface TlsReport {
  ok: boolean;
  /** The name the certificate had to be valid for, and whether SNI was sent for it. */
  name: string;
  sni: boolean;
  evidence?: TlsEvidence;
  error?: NetErrorInfo;
  /** Milliseconds from the start of the TCP connection to the end of the TLS handshake (for the connection report). */
  handshakeMs?: number;
}

export interface HttpReport {
  url: string;
  hostHeader: string;
  status?: number;
  error?: NetErrorInfo;
  contentType?: string;
  bodyExcerpt?: string;
  location?: string;
  /** Milliseconds the whole request took (a new connection, the TLS handshake, the request and its answer). */
  durationMs?: number;
}

export interface VersionReport extends HttpReport {
  /** `server.name` / `server.version` when the answer was a federation version response. */
  server?: { name?: string; version?: string };
  isMatrix: boolean;
}

export interface SignatureReport {
  keyId: string;
  ok: boolean;
  reason?: string;
  detail?: string;
}

export interface KeysReport extends HttpReport {
  /** JSON.parse's error, when the body is not JSON. */
  parseError?: string;
  /** What in the response does not have the spec's shape (required fields missing or of the wrong type). */
  shapeErrors: string[];
  serverName?: string;
  validUntilTs?: number;
  verifyKeys: { keyId: string; algorithm: string; key: string }[];
  oldVerifyKeys: string[];
  /** The server name whose signatures were checked (the response's own server_name). */
  signedBy?: string;
  signatures: SignatureReport[];
}

export interface AddressReport {
  address: string;
  family: 4 | 6;
  /** The host and port the spec connects to (before --connect-to). */
  host: string;
  port: number;
  connect?: { host: string; port: number };
  tls: TlsReport;
  version?: VersionReport;
  keys?: KeysReport;
}

export interface FederationArtifact {
  /** When the probe ran (ms since the epoch): expiry is judged against it. */
  checkedAt: number;
  discovery: Discovery;
  splitBrain?: SplitBrain;
  addresses: AddressReport[];
  /** Addresses found, when more than MAX_ADDRESSES were (only the first ones were probed). */
  truncated?: { total: number; kept: number };
}

// ---------------------------------------------------------------------------------------------------

const DNS_MISSING = new Set(['DNS_NXDOMAIN', 'DNS_NODATA']);
const RESOLVER_FAILURES = new Set(['DNS_UNREACHABLE', 'DNS_TIMEOUT', 'DNS_REFUSED']);

/** Refusals and resolver failures end the probe; anything else is evidence. */
function evidenceOrThrow(error: unknown, what: string): NetErrorInfo {
  if (error instanceof ProbeError && (error.code === 'TARGET_NOT_ALLOWED' || RESOLVER_FAILURES.has(error.code))) throw error;
  const info = classifyNetError(error);
  if (RESOLVER_FAILURES.has(info.code)) throw new ProbeError(info.code, `the DNS resolver did not answer for ${what}: ${info.message}`);
  return info;
}

/** Sub-deadlines inside the probe's own timeout, so that one silent server becomes a TIMEOUT answer, not a lost probe. */
function budget(ctx: ProbeContext): (fraction?: number) => AbortSignal {
  const margin = Math.min(250, ctx.timeoutMs / 5);
  const end = performance.now() + ctx.timeoutMs - margin;
  return (fraction = 1) => {
    const left = Math.max(1, end - performance.now());
    return AbortSignal.any([ctx.signal, AbortSignal.timeout(Math.max(1, Math.round(left * fraction)))]);
  };
}

function excerpt(body: string): string {
  return body.slice(0, BODY_EXCERPT);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface FetchedWellKnown {
  status?: number;
  error?: NetErrorInfo;
  truncated?: boolean;
  json?: unknown;
  jsonError?: string;
  tls?: TlsEvidence;
}

/**
 * Judges a well-known answer as a homeserver does: a trusted certificate valid for the host, HTTP 200, a
 * JSON object (whatever the Content-Type) of at most 50 KiB, and a string m.server that is a server name.
 */
export function judgeWellKnown(x: FetchedWellKnown, host: string): { mServer?: string; invalid?: string } {
  if (x.error && x.status === undefined) return { invalid: `the request failed (${x.error.code}: ${x.error.message})` };
  if (x.tls && !x.tls.authorized) return { invalid: `its certificate is rejected (${x.tls.authorizationError ?? 'not trusted'})` };
  if (x.tls?.nameError) return { invalid: `its certificate is not valid for ${x.tls.expectedName ?? host}` };
  if (x.status !== 200) return { invalid: `it answered HTTP ${x.status}${x.error ? ` (${x.error.code})` : ''}` };
  if (x.truncated) return { invalid: `the body is larger than ${WELL_KNOWN_MAX_BYTES / 1024} KiB` };
  if (x.jsonError !== undefined || x.json === undefined) return { invalid: `the body is not JSON (${x.jsonError ?? 'empty body'})` };
  if (!isObject(x.json)) return { invalid: 'the body is not a JSON object' };
  if (!Object.hasOwn(x.json, 'm.server')) return { invalid: 'it has no m.server' };
  const mServer = x.json['m.server'];
  if (typeof mServer !== 'string') return { invalid: 'm.server is not a string' };
  if (!parseServerName(mServer)) return { invalid: `m.server '${mServer}' is not a server name (hostname[:port])` };
  return { mServer };
}

/** The server well-known as the wellKnown probe fetched it, judged in this probe's terms. */
export function fromWellKnownArtifact(artifact: WellKnownArtifact | undefined, hostname: string): WellKnownResult | undefined {
  const s = artifact?.server;
  if (!s || artifact.host.toLowerCase() !== hostname.toLowerCase()) return undefined;
  return {
    source: 'wellKnown',
    url: s.url,
    ...(s.status !== undefined ? { status: s.status } : {}),
    ...(s.error ? { error: s.error } : {}),
    bodyExcerpt: excerpt(s.bodyExcerpt),
    ...judgeWellKnown(s, hostname),
  };
}

async function fetchWellKnown(ctx: ProbeContext, hostname: string, signal: AbortSignal, pinAddress?: string): Promise<WellKnownResult> {
  const url = `https://${urlHost(hostname)}/.well-known/matrix/server`;
  // The certificate is verified, as a homeserver does: a bad one makes the well-known an error (step 4).
  const x = await ctx.net.http(url, { signal, maxBytes: WELL_KNOWN_MAX_BYTES, maxRedirects: WELL_KNOWN_MAX_REDIRECTS, pinAddress });
  const fetched: FetchedWellKnown = { status: x.status, error: x.error, truncated: x.truncated };
  if (x.ok && !x.truncated && x.invalidUtf8) fetched.jsonError = NOT_UTF8;
  else if (x.ok && !x.truncated) {
    try {
      fetched.json = JSON.parse(x.body);
    } catch (error) {
      fetched.jsonError = x.body.trim() === '' ? 'empty body' : (error as Error).message;
    }
  }
  return {
    source: 'federation',
    url,
    ...(x.status !== undefined ? { status: x.status } : {}),
    ...(x.error ? { error: x.error } : {}),
    ...(x.ok ? { bodyExcerpt: excerpt(x.body) } : {}),
    ...judgeWellKnown(fetched, hostname),
  };
}

async function lookupSrv(ctx: ProbeContext, host: string, deprecated: boolean): Promise<SrvLookup> {
  const name = `${deprecated ? '_matrix' : '_matrix-fed'}._tcp.${host}`;
  try {
    const answers = (await ctx.net.dnsQuery(name, 'SRV', ctx.signal)) as SrvAnswer[];
    // RFC 2782: a single record with the target "." means the service is decidedly not available.
    return { name, deprecated, ...orderSrv(answers) };
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const info = evidenceOrThrow(error, name);
    if (DNS_MISSING.has(info.code)) return { name, deprecated, outcome: 'none', records: [] };
    return { name, deprecated, outcome: 'error', records: [], error: info };
  }
}

/** `_matrix-fed._tcp`, then (only when it has nothing) the deprecated `_matrix._tcp`; both asked at once. */
async function srvSteps(ctx: ProbeContext, host: string): Promise<{ lookups: SrvLookup[]; used?: SrvLookup }> {
  const [fed, old] = await Promise.all([lookupSrv(ctx, host, false), lookupSrv(ctx, host, true)]);
  if (fed.outcome !== 'none') return { lookups: [fed, old], used: fed };
  if (old.outcome !== 'none') return { lookups: [fed, old], used: old };
  return { lookups: [fed, old] };
}

async function cnameOf(ctx: ProbeContext, host: string): Promise<string | undefined> {
  try {
    const answers = (await ctx.net.dnsQuery(host, 'CNAME', ctx.signal)) as string[];
    return answers[0]?.replace(/\.$/, '');
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    evidenceOrThrow(error, host);
    return undefined;
  }
}

async function resolveTarget(ctx: ProbeContext, host: string, port: number, srv?: SrvRecord): Promise<ResolvedTarget> {
  const target: ResolvedTarget = { host, port, addresses: [], ...(srv ? { srv: { priority: srv.priority, weight: srv.weight } } : {}) };
  if (srv) {
    const cname = await cnameOf(ctx, host);
    if (cname) target.cname = cname;
  }
  try {
    const route = await ctx.net.route(host, port, ctx.signal);
    target.addresses = route.addresses;
    if (route.connectHost !== route.host || route.connectPort !== route.port) target.connect = { host: route.connectHost, port: route.connectPort };
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    target.error = evidenceOrThrow(error, host);
  }
  return target;
}

interface ServerNameInput {
  serverName: string;
  source: Discovery['source'];
}

function serverNameInput(ctx: ProbeContext, homeserver: HomeserverConfigArtifact | undefined): ServerNameInput | { skip: string } {
  if (ctx.inputs.serverName) return { serverName: ctx.inputs.serverName, source: '--server-name' };
  // Later files given to -c replace whole top-level keys.
  const files = homeserver ? [homeserver, ...(homeserver.overrides ?? [])] : [];
  let value: unknown;
  for (const f of files) {
    const v = f.parsed.value;
    if (isObject(v) && Object.hasOwn(v, 'server_name')) value = v.server_name;
  }
  if (value === undefined) return { skip: 'no server name (give --server-name, or a homeserver.yaml with server_name)' };
  if (typeof value !== 'string' || !parseServerName(value)) return { skip: `homeserver.yaml's server_name ${JSON.stringify(value)} is not a server name` };
  return { serverName: value, source: 'homeserver.yaml' };
}

/** Steps 1 to 6: which host and port to connect to, with which Host header and certificate name, and why. */
async function discover(
  ctx: ProbeContext,
  input: ServerNameInput,
  wellKnownArtifact: WellKnownArtifact | undefined,
  deadline: (f?: number) => AbortSignal,
): Promise<Discovery> {
  const parts = parseServerName(input.serverName);
  if (!parts) throw new ProbeError('INVALID_SERVER_NAME', `'${input.serverName}' is not a Matrix server name (hostname[:port])`);
  const base = { serverName: input.serverName, source: input.source, hostname: parts.host, ...(parts.port !== undefined ? { port: parts.port } : {}) };

  // Step 1: an IP literal.
  if (parts.ipLiteral) {
    const port = parts.port ?? FEDERATION_PORT;
    return {
      ...base,
      step: '1',
      why: `the server name is an IP address literal: connect to it on ${parts.port !== undefined ? 'its explicit port' : `the default port ${FEDERATION_PORT}`}, with a certificate for the IP address`,
      srv: [],
      hostHeader: input.serverName,
      certificateName: parts.host,
      sni: false,
      targets: [await resolveTarget(ctx, parts.host, port)],
    };
  }
  // Step 2: an explicit port.
  if (parts.port !== undefined) {
    return {
      ...base,
      step: '2',
      why: 'the server name has an explicit port: no well-known and no SRV lookup; the certificate must be valid for the server name',
      srv: [],
      hostHeader: input.serverName,
      certificateName: parts.host,
      sni: true,
      targets: [await resolveTarget(ctx, parts.host, parts.port)],
    };
  }

  // Step 3: the well-known.
  const wellKnown = fromWellKnownArtifact(wellKnownArtifact, parts.host) ?? (await fetchWellKnown(ctx, parts.host, deadline(0.4)));
  ctx.signal.throwIfAborted();
  const delegatedParts = wellKnown.mServer ? parseServerName(wellKnown.mServer) : undefined;
  if (wellKnown.mServer && delegatedParts) {
    const delegated = {
      server: wellKnown.mServer,
      host: delegatedParts.host,
      ...(delegatedParts.port !== undefined ? { port: delegatedParts.port } : {}),
      ipLiteral: delegatedParts.ipLiteral,
    };
    const common = { ...base, wellKnown, delegated };
    if (delegatedParts.ipLiteral) {
      const port = delegatedParts.port ?? FEDERATION_PORT;
      return {
        ...common,
        step: '3.1',
        why: `the well-known delegates to the IP address ${wellKnown.mServer}: connect to it on ${delegatedParts.port !== undefined ? 'the delegated port' : `the default port ${FEDERATION_PORT}`}, with a certificate for that IP address`,
        srv: [],
        hostHeader: wellKnown.mServer,
        certificateName: delegatedParts.host,
        sni: false,
        targets: [await resolveTarget(ctx, delegatedParts.host, port)],
      };
    }
    if (delegatedParts.port !== undefined) {
      return {
        ...common,
        step: '3.2',
        why: `the well-known delegates to ${wellKnown.mServer}, a host with an explicit port: no SRV lookup; the certificate must be valid for the delegated host ${delegatedParts.host}`,
        srv: [],
        hostHeader: netloc(delegatedParts.host, delegatedParts.port),
        certificateName: delegatedParts.host,
        sni: true,
        targets: [await resolveTarget(ctx, delegatedParts.host, delegatedParts.port)],
      };
    }
    const { lookups, used } = await srvSteps(ctx, delegatedParts.host);
    const certificateName = delegatedParts.host;
    const shared = { ...common, srv: lookups, hostHeader: delegatedParts.host, certificateName, sni: true };
    if (used) {
      return {
        ...shared,
        step: used.deprecated ? '3.4' : '3.3',
        why: `the well-known delegates to ${wellKnown.mServer} without a port, and ${used.name} ${srvWords(used)}: the certificate must still be valid for the delegated host ${certificateName}, not the SRV target`,
        targets: await srvTargets(ctx, used),
      };
    }
    return {
      ...shared,
      step: '3.5',
      why: `the well-known delegates to ${wellKnown.mServer} without a port and it has no SRV record: connect to it on port ${FEDERATION_PORT}, with a certificate for ${certificateName}`,
      targets: [await resolveTarget(ctx, delegatedParts.host, FEDERATION_PORT)],
    };
  }

  // Steps 4 to 6: no usable well-known.
  const { lookups, used } = await srvSteps(ctx, parts.host);
  const shared = { ...base, wellKnown, srv: lookups, hostHeader: parts.host, certificateName: parts.host, sni: true };
  if (used) {
    return {
      ...shared,
      step: used.deprecated ? '5' : '4',
      why: `no usable well-known (${wellKnown.invalid}), and ${used.name} ${srvWords(used)}: the certificate must be valid for the server name ${parts.host}, not the SRV target`,
      targets: await srvTargets(ctx, used),
    };
  }
  return {
    ...shared,
    step: '6',
    why: `no usable well-known (${wellKnown.invalid}) and no SRV record: connect to ${parts.host} on port ${FEDERATION_PORT}, with a certificate for ${parts.host}`,
    targets: [await resolveTarget(ctx, parts.host, FEDERATION_PORT)],
  };
}

function srvWords(lookup: SrvLookup): string {
  if (lookup.outcome === 'found') return `points to ${lookup.records.map((r) => netloc(r.target, r.port)).join(', ')}`;
  if (lookup.outcome === 'unavailable') return 'says the service is not available (target ".")';
  return `could not be looked up (${lookup.error?.code})`;
}

async function srvTargets(ctx: ProbeContext, lookup: SrvLookup): Promise<ResolvedTarget[]> {
  if (lookup.outcome !== 'found') return [];
  return Promise.all(lookup.records.map((r) => resolveTarget(ctx, r.target, r.port, r)));
}

/** The well-known from each address of the server name: a load balancer or DNS round robin can give different answers. */
async function splitBrain(ctx: ProbeContext, hostname: string, signal: () => AbortSignal): Promise<SplitBrain | undefined> {
  let addresses: string[];
  try {
    const route = await ctx.net.route(hostname, 443, ctx.signal);
    addresses = route.addresses.map((a) => a.address).slice(0, MAX_ADDRESSES);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    evidenceOrThrow(error, hostname);
    return undefined; // the main well-known fetch records why the name does not resolve
  }
  if (addresses.length < 2) return undefined;
  const answers = await Promise.all(
    addresses.map(async (address): Promise<SplitBrainAnswer> => {
      const r = await fetchWellKnown(ctx, hostname, signal(), address);
      const answer = r.mServer ? `m.server ${r.mServer}` : r.status !== undefined ? `HTTP ${r.status}: ${r.invalid}` : `${r.error?.code}`;
      return { address, status: r.status, error: r.error, mServer: r.mServer, invalid: r.invalid, answer };
    }),
  );
  // An address this machine has no route to (IPv6 without IPv6 connectivity) says nothing about the
  // server: it is listed, not compared.
  const compared = answers.filter((a) => a.error?.code !== 'HOST_UNREACHABLE');
  return { host: hostname, answers, differs: new Set(compared.map((a) => a.answer)).size > 1 };
}

function httpReport(url: string, hostHeader: string, x: HttpExchange): HttpReport {
  return {
    url,
    hostHeader,
    ...(x.status !== undefined ? { status: x.status } : {}),
    ...(x.error ? { error: x.error } : {}),
    ...(x.headers['content-type'] ? { contentType: x.headers['content-type'] } : {}),
    ...(x.status !== undefined ? { bodyExcerpt: excerpt(x.body) } : {}),
    ...(x.headers.location ? { location: x.headers.location } : {}),
    durationMs: Math.round(x.durationMs),
  };
}

export function readVersion(report: HttpReport, body: string): VersionReport {
  let server: VersionReport['server'];
  if (report.status === 200) {
    try {
      const parsed = JSON.parse(body) as unknown;
      if (isObject(parsed) && isObject(parsed.server)) {
        const s = parsed.server;
        server = { ...(typeof s.name === 'string' ? { name: s.name } : {}), ...(typeof s.version === 'string' ? { version: s.version } : {}) };
      }
    } catch {
      // not JSON: isMatrix stays false, the excerpt shows what came back
    }
  }
  return { ...report, ...(server ? { server } : {}), isMatrix: server !== undefined };
}

const KEY_ID = /^ed25519:[a-zA-Z0-9_]+$/;

/** Reads a key server response: its shape, server_name, validity, keys and each ed25519 self-signature. */
export function readKeys(report: HttpReport, body: string): KeysReport {
  const out: KeysReport = { ...report, shapeErrors: [], verifyKeys: [], oldVerifyKeys: [], signatures: [] };
  if (report.status !== 200) return out;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    out.parseError = (error as Error).message;
    return out;
  }
  if (!isObject(value)) {
    out.shapeErrors.push('the response is not a JSON object');
    return out;
  }
  if (typeof value.server_name === 'string') out.serverName = value.server_name;
  else out.shapeErrors.push(value.server_name === undefined ? 'server_name is missing' : 'server_name is not a string');
  if (typeof value.valid_until_ts === 'number' && Number.isInteger(value.valid_until_ts)) out.validUntilTs = value.valid_until_ts;
  else out.shapeErrors.push(value.valid_until_ts === undefined ? 'valid_until_ts is missing' : 'valid_until_ts is not an integer');
  if (!isObject(value.verify_keys)) out.shapeErrors.push(value.verify_keys === undefined ? 'verify_keys is missing' : 'verify_keys is not an object');
  else {
    for (const [keyId, entry] of Object.entries(value.verify_keys)) {
      if (!isObject(entry) || typeof entry.key !== 'string') {
        out.shapeErrors.push(`verify_keys["${keyId}"] has no key string`);
        continue;
      }
      out.verifyKeys.push({ keyId, algorithm: keyId.split(':')[0], key: entry.key });
    }
  }
  if (value.old_verify_keys !== undefined) {
    if (isObject(value.old_verify_keys)) out.oldVerifyKeys = Object.keys(value.old_verify_keys);
    else out.shapeErrors.push('old_verify_keys is not an object');
  }
  if (value.signatures !== undefined && !isObject(value.signatures)) out.shapeErrors.push('signatures is not an object');
  out.signedBy = out.serverName;
  if (out.serverName !== undefined) {
    for (const k of out.verifyKeys) {
      if (k.algorithm !== 'ed25519') continue;
      if (!KEY_ID.test(k.keyId)) {
        out.signatures.push({ keyId: k.keyId, ok: false, reason: 'bad-key-id', detail: `${k.keyId} is not ed25519:<version> with [a-zA-Z0-9_] only` });
        continue;
      }
      const r = verifyJsonSignature(value, out.serverName, k.keyId, k.key);
      out.signatures.push(r.ok ? { keyId: k.keyId, ok: true } : { keyId: k.keyId, ok: false, reason: r.reason, detail: r.detail });
    }
  }
  return out;
}

interface Endpoint {
  address: string;
  family: 4 | 6;
  target: ResolvedTarget;
}

async function probeAddress(ctx: ProbeContext, d: Discovery, e: Endpoint, signal: (f?: number) => AbortSignal): Promise<AddressReport> {
  const { host, port } = e.target;
  const report: AddressReport = {
    address: e.address,
    family: e.family,
    host,
    port,
    ...(e.target.connect ? { connect: e.target.connect } : {}),
    tls: { ok: false, name: d.certificateName, sni: d.sni },
  };
  try {
    const started = performance.now();
    const hs = await ctx.net.tlsHandshake(host, port, { servername: d.certificateName, pinAddress: e.address, signal: signal(0.5) });
    report.tls = { ...report.tls, ok: true, evidence: hs.tls, handshakeMs: Math.round(performance.now() - started) };
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    report.tls.error = evidenceOrThrow(error, host);
    return report;
  }
  const request = async (path: string) => {
    const url = `https://${netloc(host, port)}${path}`;
    // No redirects: servers do not follow them on federation requests.
    const x = await ctx.net.http(url, {
      signal: signal(),
      pinAddress: e.address,
      tlsName: d.certificateName,
      verifyTls: false,
      headers: { host: d.hostHeader, accept: 'application/json' },
      maxRedirects: 0,
      maxBytes: 64 * 1024,
    });
    return { report: httpReport(url, d.hostHeader, x), body: x.body };
  };
  const [version, keys] = await Promise.all([request('/_matrix/federation/v1/version'), request('/_matrix/key/v2/server')]);
  report.version = readVersion(version.report, version.body);
  report.keys = readKeys(keys.report, keys.body);
  return report;
}

export const federationProbe = defineProbe<FederationArtifact>({
  id: 'federation',
  description:
    'Resolves the server name as other homeservers do (well-known, SRV, port 8448) and checks each address: TLS, /_matrix/federation/v1/version and the signed server keys',
  network: true,
  uses: ['homeserverConfig', 'wellKnown'],
  async run(ctx, deps) {
    const input = serverNameInput(ctx, deps.homeserverConfig as HomeserverConfigArtifact | undefined);
    if ('skip' in input) return input;
    const checkedAt = Date.now();
    const deadline = budget(ctx);
    const parts = parseServerName(input.serverName);
    const delegationPossible = parts !== undefined && !parts.ipLiteral && parts.port === undefined;
    const [discovery, brain] = await Promise.all([
      discover(ctx, input, deps.wellKnown as WellKnownArtifact | undefined, deadline),
      delegationPossible ? splitBrain(ctx, parts.host, () => deadline(0.4)) : Promise.resolve(undefined),
    ]);
    ctx.signal.throwIfAborted();

    const endpoints: Endpoint[] = [];
    const seen = new Set<string>();
    for (const target of discovery.targets) {
      for (const a of target.addresses) {
        const key = `${target.host}|${target.port}|${a.address}`;
        if (seen.has(key)) continue;
        seen.add(key);
        endpoints.push({ address: a.address, family: a.family, target });
      }
    }
    const kept = endpoints.slice(0, MAX_ADDRESSES);
    const addresses = await Promise.all(kept.map((e) => probeAddress(ctx, discovery, e, deadline)));
    return {
      checkedAt,
      discovery,
      ...(brain ? { splitBrain: brain } : {}),
      addresses,
      ...(endpoints.length > kept.length ? { truncated: { total: endpoints.length, kept: kept.length } } : {}),
    };
  },
});
