// TURN, as Synapse configures it and as clients use it.
//
// - `turnConfig` (files only): turn_uris parsed (RFC 7065) with positions, the credentials Synapse would
//   hand out (turn_shared_secret, turn_shared_secret_path, or turn_username/turn_password),
//   turn_user_lifetime as Synapse's parse_duration reads it, turn_allow_guests. Skips when homeserver.yaml
//   has no turn_uris: TURN is not configured.
// - `voipTurnServer` (network, with --access-token): GET <base>/_matrix/client/v3/voip/turnServer, what
//   the running homeserver really hands out. Base URL: public_baseurl, else Element's base_url, else the
//   client well-known of the server name.
// - `turn` (network): for every URI and every address its host resolves to, over the URI's transport
//   (UDP, TCP, TLS for turns:): STUN Binding with round-trip time and an unauthenticated Allocate (its 401
//   gives REALM and NONCE) in parallel, then the authenticated Allocate with credentials made as Synapse
//   makes them, CreatePermission for internal addresses (loopback, private ranges, link-local, cloud
//   metadata, ULA, multicast: the server only records a permission, nothing is sent to those peers), and
//   the release (Refresh, lifetime 0). The same for the URIs and credentials /voip/turnServer handed out.
//
// Secrets (the shared secret, passwords, the access token) are registered with the redactor before any
// packet leaves, and never appear in the evidence. Network failures are evidence; TARGET_NOT_ALLOWED and
// DNS resolver failures throw.

import path from 'node:path';
import { defineProbe } from '../engine/define.js';
import { ProbeError } from '../engine/errors.js';
import { timeoutSignal } from '../engine/timeouts.js';
import type { FindingLocation, ProbeContext, ProbeDefinition } from '../engine/types.js';
import { classifyNetError, type Route, type TlsEvidence } from '../net/client.js';
import { pointer } from '../parse/positions.js';
import type { ParsedYaml } from '../parse/yaml.js';
import { type AddressKind, classifyAddress } from '../stun/address.js';
import { TurnClient, type TurnCredentials } from '../stun/client.js';
import { synapseTurnCredentials } from '../stun/credentials.js';
import type { TransportAddress } from '../stun/message.js';
import { StreamTransport, type StunTransport, StunTransportError, UdpTransport } from '../stun/transport.js';
import { parseTurnUri, type TurnUri, type TurnUriProblem } from '../stun/uri.js';
import { configuredElementBaseUrl, httpBaseUrl } from './client-versions.js';
import type { ConfigFileArtifact, ElementConfigArtifact, HomeserverConfigArtifact } from './config-files.js';
import { coturnConfigProbe } from './coturn-config.js';
import { fsReason, readRegularFile } from './files.js';

// --- turnConfig -------------------------------------------------------------------------------------

export interface TurnUriEntry {
  index: number;
  text: string;
  location: FindingLocation;
  uri?: TurnUri;
  problem?: TurnUriProblem;
}

/** Where a key is, and the file that holds it (later --homeserver-config files replace top-level keys). */
export interface KeyPlace {
  file: string;
  sha256: string;
  location: FindingLocation;
}

export interface TurnConfigArtifact {
  serverName?: string;
  uris: TurnUriEntry[];
  /** turn_uris is one string rather than a list (Synapse passes it on as is). */
  urisIsString: boolean;
  credentials: {
    /** What Synapse hands out: REST credentials from a shared secret, the static pair, or nothing ({}). */
    kind: 'shared-secret' | 'static' | 'none';
    source?: 'turn_shared_secret' | 'turn_shared_secret_path' | 'turn_username';
  };
  /** The shared secret (a secret: redacted in every output). */
  sharedSecret?: string;
  /** turn_shared_secret_path and whether it could be read. */
  secretPath?: { path: string; error?: { code: string; message: string } };
  /** Both turn_shared_secret and turn_shared_secret_path are set (Synapse refuses to start). */
  bothSecrets: boolean;
  username?: string;
  /** turn_password (a secret). */
  password?: string;
  /** The keys that are set, and where. */
  places: Record<string, KeyPlace>;
  lifetime: {
    set: boolean;
    raw?: string | number;
    /** As Synapse's parse_duration reads it; undefined when it cannot (MXD-HS-008 reports the type). */
    ms?: number;
    /** A bare number or a string without unit: milliseconds. */
    bare: boolean;
  };
  allowGuests: { set: boolean; value: boolean };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Synapse's parse_duration: an int is ms; a string may end in ms, s, m, h, d, w or y; else undefined. */
export function parseSynapseDuration(value: unknown): { ms?: number; bare: boolean } {
  if (typeof value === 'number') return Number.isInteger(value) ? { ms: value, bare: true } : { bare: true };
  if (typeof value !== 'string') return { bare: false };
  const m = value.match(/^(\d+)(ms|s|m|h|d|w|y)?$/);
  if (!m) return { bare: false };
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };
  return { ms: Number(m[1]) * (m[2] ? unit[m[2]] : 1), bare: !m[2] };
}

/** The top-level keys Synapse ends up with (a shallow merge of the files in order) and which file holds each. */
function mergeTop(cfg: HomeserverConfigArtifact): { top: Record<string, unknown>; owner: Map<string, ConfigFileArtifact<ParsedYaml>> } {
  const top: Record<string, unknown> = {};
  const owner = new Map<string, ConfigFileArtifact<ParsedYaml>>();
  for (const art of [cfg, ...(cfg.overrides ?? [])]) {
    const value = art.parsed.value;
    if (!isObject(value)) continue;
    for (const [k, v] of Object.entries(value)) {
      top[k] = v;
      owner.set(k, art);
    }
  }
  return { top, owner };
}

function place(art: ConfigFileArtifact<ParsedYaml>, path: (string | number)[]): KeyPlace {
  const pos = art.parsed.positions[pointer(path)];
  const span = pos?.value;
  const location: FindingLocation = span
    ? { file: art.file, line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn }
    : { file: art.file };
  return { file: art.file, sha256: art.sha256, location };
}

export const turnConfigProbe = defineProbe<TurnConfigArtifact>({
  id: 'turnConfig',
  description: "Reads Synapse's TURN settings (turn_uris, credentials, turn_user_lifetime, turn_allow_guests) from homeserver.yaml",
  network: false,
  dependsOn: ['homeserverConfig'],
  async run(ctx, deps) {
    const cfg = deps.homeserverConfig as HomeserverConfigArtifact;
    const { top, owner } = mergeTop(cfg);
    const rawUris = top.turn_uris;
    const list = typeof rawUris === 'string' ? [rawUris] : Array.isArray(rawUris) ? rawUris : [];
    if (list.length === 0) return { skip: 'TURN is not configured: homeserver.yaml has no turn_uris' };
    const places: Record<string, KeyPlace> = {};
    for (const key of [
      'turn_uris',
      'turn_shared_secret',
      'turn_shared_secret_path',
      'turn_username',
      'turn_password',
      'turn_user_lifetime',
      'turn_allow_guests',
    ]) {
      const art = owner.get(key);
      if (art && top[key] !== undefined) places[key] = place(art, [key]);
    }
    const urisOwner = owner.get('turn_uris') as ConfigFileArtifact<ParsedYaml>;
    const uris: TurnUriEntry[] = [];
    list.forEach((item, index) => {
      if (typeof item !== 'string') return; // MXD-HS-008 reports the type
      const location = typeof rawUris === 'string' ? places.turn_uris.location : place(urisOwner, ['turn_uris', index]).location;
      uris.push({ index, text: item, location, ...parseTurnUri(item) });
    });

    // Synapse reads turn_shared_secret, or the file named by turn_shared_secret_path (stripped).
    const secretValue = top.turn_shared_secret;
    const secretPathValue = top.turn_shared_secret_path;
    let sharedSecret: string | undefined;
    let source: TurnConfigArtifact['credentials']['source'];
    let secretPath: TurnConfigArtifact['secretPath'];
    if (typeof secretValue === 'string' && secretValue !== '') {
      sharedSecret = secretValue;
      source = 'turn_shared_secret';
    } else if (typeof secretPathValue === 'string' && secretPathValue !== '') {
      const file = path.resolve(path.dirname(urisOwner.file), secretPathValue);
      secretPath = { path: secretPathValue };
      try {
        sharedSecret = (await readRegularFile(file, 64 * 1024)).toString('utf8').trim();
        source = 'turn_shared_secret_path';
      } catch (error) {
        const e = error as NodeJS.ErrnoException;
        secretPath.error = { code: e.code ?? 'UNREADABLE', message: `${file}: ${fsReason(e, 64 * 1024)}` };
      }
    }
    if (sharedSecret) ctx.addSecret(sharedSecret);
    const username = typeof top.turn_username === 'string' && top.turn_username !== '' ? top.turn_username : undefined;
    const password = typeof top.turn_password === 'string' && top.turn_password !== '' ? top.turn_password : undefined;
    if (password) ctx.addSecret(password);
    const kind = sharedSecret ? 'shared-secret' : username && password ? 'static' : 'none';
    if (kind === 'static') source = 'turn_username';

    const lifetimeRaw = top.turn_user_lifetime;
    const lifetimeSet = lifetimeRaw !== undefined && lifetimeRaw !== null;
    const parsedLifetime = lifetimeSet ? parseSynapseDuration(lifetimeRaw) : { ms: 3_600_000, bare: false };
    const guests = top.turn_allow_guests;
    return {
      serverName: typeof top.server_name === 'string' ? top.server_name : ctx.inputs.serverName,
      uris,
      urisIsString: typeof rawUris === 'string',
      credentials: { kind, ...(source ? { source } : {}) },
      ...(sharedSecret ? { sharedSecret } : {}),
      ...(secretPath ? { secretPath } : {}),
      bothSecrets: secretValue != null && secretValue !== '' && secretPathValue != null && secretPathValue !== '',
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      places,
      lifetime: {
        set: lifetimeSet,
        ...(typeof lifetimeRaw === 'string' || typeof lifetimeRaw === 'number' ? { raw: lifetimeRaw } : {}),
        ...(parsedLifetime.ms !== undefined ? { ms: parsedLifetime.ms } : {}),
        bare: parsedLifetime.bare,
      },
      // Synapse's default is true; a non-boolean is used as truthy (MXD-HS-008 reports it).
      allowGuests: { set: guests !== undefined && guests !== null, value: guests === undefined || guests === null ? true : Boolean(guests) },
    };
  },
});

// --- voipTurnServer ----------------------------------------------------------------------------------

export interface VoipTurnServerArtifact {
  baseUrl: string;
  baseUrlSource: 'homeserver-config' | 'element-config' | 'well-known';
  url: string;
  /** A response came (any status). */
  ok: boolean;
  status?: number;
  error?: { code: string; message: string };
  errcode?: string;
  errorText?: string;
  /** 200 with `{}`: the running homeserver has no TURN configured. */
  empty: boolean;
  uris?: string[];
  username?: string;
  /** A secret: redacted in every output. */
  password?: string;
  ttl?: number;
  durationMs: number;
}

export const voipTurnServerProbe = defineProbe<VoipTurnServerArtifact>({
  id: 'voipTurnServer',
  description: "Asks the homeserver's /voip/turnServer with --access-token for the TURN URIs and credentials it hands out",
  network: true,
  uses: ['homeserverConfig', 'elementConfig'],
  async run(ctx, deps) {
    const token = ctx.inputs.accessToken;
    if (!token) return { skip: 'no access token (--access-token or MATRIXDOC_ACCESS_TOKEN)' };
    ctx.addSecret(token);
    const hs = deps.homeserverConfig as HomeserverConfigArtifact | undefined;
    const top = hs ? mergeTop(hs).top : {};
    const fromElement = configuredElementBaseUrl(deps.elementConfig as ElementConfigArtifact | undefined);
    let baseUrl = httpBaseUrl(top.public_baseurl);
    let baseUrlSource: VoipTurnServerArtifact['baseUrlSource'] = 'homeserver-config';
    if (!baseUrl && fromElement) {
      baseUrl = fromElement;
      baseUrlSource = 'element-config';
    }
    const serverName = typeof top.server_name === 'string' ? top.server_name : ctx.inputs.serverName;
    if (!baseUrl && serverName) {
      const wk = await ctx.net.http(`https://${serverName}/.well-known/matrix/client`, { signal: ctx.signal, maxBytes: 50 * 1024 });
      try {
        const body = JSON.parse(wk.body) as unknown;
        const hsEntry = isObject(body) ? body['m.homeserver'] : undefined;
        baseUrl = isObject(hsEntry) ? httpBaseUrl(hsEntry.base_url) : undefined;
        baseUrlSource = 'well-known';
      } catch {
        // no usable well-known
      }
    }
    if (!baseUrl) return { skip: 'no client base URL for /voip/turnServer (public_baseurl, Element base_url, client well-known)' };
    const url = `${baseUrl}/_matrix/client/v3/voip/turnServer`;
    // No redirects: the access token must not follow one to another host.
    const x = await ctx.net.http(url, { signal: ctx.signal, headers: { authorization: `Bearer ${token}` }, maxBytes: 64 * 1024, maxRedirects: 0 });
    const out: VoipTurnServerArtifact = {
      baseUrl,
      baseUrlSource,
      url,
      ok: x.ok,
      ...(x.status !== undefined ? { status: x.status } : {}),
      ...(x.error ? { error: x.error } : {}),
      empty: false,
      durationMs: Math.round(x.durationMs),
    };
    let body: unknown;
    try {
      body = JSON.parse(x.body);
    } catch {
      body = undefined;
    }
    if (x.ok && x.status !== 200 && isObject(body)) {
      if (typeof body.errcode === 'string') out.errcode = body.errcode;
      if (typeof body.error === 'string') out.errorText = body.error;
    }
    if (x.status === 200 && isObject(body)) {
      if (typeof body.password === 'string') {
        ctx.addSecret(body.password);
        out.password = body.password;
      }
      out.empty = Object.keys(body).length === 0;
      if (Array.isArray(body.uris)) out.uris = body.uris.filter((u): u is string => typeof u === 'string');
      if (typeof body.username === 'string') out.username = body.username;
      if (typeof body.ttl === 'number') out.ttl = body.ttl;
    }
    return out;
  },
});

// --- turn ----------------------------------------------------------------------------------------------

/** Internal addresses a safe relay refuses: asked for live, and checked against coturn's config by the turn check. */
export const INTERNAL_PEERS: readonly { address: string; kind: AddressKind }[] = [
  { address: '127.0.0.1', kind: 'loopback' },
  { address: '10.0.0.1', kind: 'private' },
  { address: '172.16.0.1', kind: 'private' },
  { address: '192.168.0.1', kind: 'private' },
  { address: '100.64.0.1', kind: 'shared' },
  { address: '169.254.0.1', kind: 'link-local' },
  { address: '169.254.169.254', kind: 'metadata' },
  { address: '224.0.0.1', kind: 'multicast' },
  { address: '::1', kind: 'loopback' },
  { address: 'fd00::1', kind: 'ula' },
  { address: 'fe80::1', kind: 'link-local' },
];

/**
 * Peers asked for with CreatePermission: a safe relay refuses every one (403 Forbidden IP). AWS's IPv6
 * metadata address is only asked for live: in a config it falls under the ULA range fd00::1 stands for.
 */
export const PERMISSION_PEERS: readonly { address: string; kind: AddressKind }[] = [...INTERNAL_PEERS, { address: 'fd00:ec2::254', kind: 'metadata' }];

export interface ExchangeFailure {
  /** TIMEOUT, PORT_UNREACHABLE, CONN_REFUSED, CONN_CLOSED, TLS_..., DNS_NXDOMAIN... */
  code: string;
  message: string;
  attempts?: number;
  elapsedMs?: number;
}

export interface Exchange {
  /** The request succeeded (a success response). */
  ok: boolean;
  rttMs?: number;
  attempts?: number;
  /** The server answered with a STUN error. */
  stunError?: { code: number; reason: string };
  /** No usable answer (transport failure). */
  failure?: ExchangeFailure;
}

export interface TurnTarget {
  /** Where the URI and credentials came from. */
  source: 'homeserver.yaml' | 'voip';
  uriIndex: number;
  uri: string;
  host: string;
  port: number;
  transport: 'udp' | 'tcp' | 'tls';
  resolve: { ok: boolean; addresses?: string[]; via?: Route['via']; connectHost?: string; connectPort?: number; error?: ExchangeFailure };
  /** One address of the host (absent when it did not resolve). */
  address?: string;
  addressKind?: AddressKind;
  /** TCP/TLS connection (absent for UDP, which has none). */
  connect?: { ok: boolean; durationMs: number; tls?: TlsEvidence; error?: ExchangeFailure };
  binding?: Exchange & { mapped?: TransportAddress; software?: string };
  challenge?: Exchange & { authRequired?: boolean; realm?: string; nonce?: boolean; software?: string };
  allocate?: Exchange & {
    skipped?: string;
    /** The server allocated without asking for credentials. */
    withoutCredentials?: boolean;
    relayed?: TransportAddress;
    relayedKind?: AddressKind;
    mapped?: TransportAddress;
    lifetime?: number;
    staleNonceRetries?: number;
    responseIntegrity?: 'valid' | 'invalid' | 'absent';
  };
  permissions?: {
    peer: string;
    kind: AddressKind;
    tested: boolean;
    granted?: boolean;
    note?: string;
    stunError?: { code: number; reason: string };
    failure?: ExchangeFailure;
  }[];
  release?: Exchange;
}

export interface TurnArtifact {
  /** The user ID in the username (Synapse uses the requester's). */
  userId: string;
  /** Unix seconds the credentials made from the shared secret expire at (Synapse's formula). */
  expiresAt?: number;
  credentialSource: TurnConfigArtifact['credentials']['kind'];
  targets: TurnTarget[];
}

const RESOLVER_FAILURES = new Set(['DNS_UNREACHABLE', 'DNS_TIMEOUT', 'DNS_REFUSED']);

function failureOf(error: unknown): ExchangeFailure {
  if (error instanceof StunTransportError) return { code: error.code, message: error.message, attempts: error.attempts, elapsedMs: error.elapsedMs };
  return classifyNetError(error);
}

function rethrowRefusal(error: unknown): void {
  if (error instanceof ProbeError && error.code === 'TARGET_NOT_ALLOWED') throw error;
}

interface Spec {
  source: TurnTarget['source'];
  uriIndex: number;
  uri: TurnUri;
  credentials?: TurnCredentials;
  /** Ask for the internal permissions (once per URI list is enough: the voip URIs skip it). */
  permissions: boolean;
}

async function probeAddress(
  ctx: ProbeContext,
  spec: Spec,
  route: Route,
  address: string,
  deadline: AbortSignal,
  releaseMs: number,
): Promise<Partial<TurnTarget>> {
  const out: Partial<TurnTarget> = { address, addressKind: classifyAddress(address) };
  const what = `TURN server ${route.host}:${route.port}`;
  const started = performance.now();
  let transport: StunTransport;
  try {
    if (spec.uri.transport === 'udp') {
      transport = await UdpTransport.open(ctx.net, address, route.connectPort, what, deadline);
    } else {
      const tls = spec.uri.transport === 'tls';
      const c = await ctx.net.connect(route, { tls, servername: route.host, alpn: ['stun.turn'], signal: deadline, pinAddress: address, verify: false });
      out.connect = { ok: true, durationMs: Math.round(performance.now() - started), ...(c.tls ? { tls: c.tls } : {}) };
      transport = new StreamTransport(c.socket, tls ? 'tls' : 'tcp', { address, port: route.connectPort });
    }
  } catch (error) {
    rethrowRefusal(error);
    out.connect = { ok: false, durationMs: Math.round(performance.now() - started), error: failureOf(error) };
    return out;
  }
  const client = new TurnClient(transport);
  try {
    const [binding, challenge] = await Promise.allSettled([client.binding(deadline), client.challenge(deadline)]);
    if (binding.status === 'fulfilled') {
      const b = binding.value;
      out.binding = {
        ok: b.ok,
        rttMs: b.rttMs,
        attempts: b.attempts,
        ...(b.error ? { stunError: b.error } : {}),
        ...(b.mapped ? { mapped: b.mapped } : {}),
        ...(b.software ? { software: b.software } : {}),
      };
    } else {
      rethrowRefusal(binding.reason);
      out.binding = { ok: false, failure: failureOf(binding.reason) };
    }
    if (challenge.status === 'rejected') {
      rethrowRefusal(challenge.reason);
      out.challenge = { ok: false, failure: failureOf(challenge.reason) };
      return out;
    }
    const c = challenge.value;
    out.challenge = {
      ok: c.ok,
      rttMs: c.rttMs,
      attempts: c.attempts,
      authRequired: c.authRequired,
      nonce: c.nonce,
      ...(c.realm !== undefined ? { realm: c.realm } : {}),
      ...(c.error ? { stunError: c.error } : {}),
      ...(c.software ? { software: c.software } : {}),
    };
    const releaseSignal = () => AbortSignal.any([ctx.signal, timeoutSignal(releaseMs)]);
    if (!c.authRequired) {
      out.allocate = { ok: true, withoutCredentials: true, ...(c.relayed ? { relayed: c.relayed, relayedKind: classifyAddress(c.relayed.address) } : {}) };
      out.release = await release(client, releaseSignal(), false);
      return out;
    }
    if (!c.ok) return out;
    if (!spec.credentials) {
      out.allocate = { ok: false, skipped: 'no credentials: homeserver.yaml has neither turn_shared_secret nor turn_username/turn_password' };
      return out;
    }
    try {
      const a = await client.allocate(spec.credentials, deadline);
      out.allocate = {
        ok: a.ok,
        rttMs: a.rttMs,
        attempts: a.attempts,
        staleNonceRetries: a.staleNonceRetries,
        ...(a.error ? { stunError: a.error } : {}),
        ...(a.relayed ? { relayed: a.relayed, relayedKind: classifyAddress(a.relayed.address) } : {}),
        ...(a.mapped ? { mapped: a.mapped } : {}),
        ...(a.lifetime !== undefined ? { lifetime: a.lifetime } : {}),
        ...(a.responseIntegrity ? { responseIntegrity: a.responseIntegrity } : {}),
      };
    } catch (error) {
      rethrowRefusal(error);
      out.allocate = { ok: false, failure: failureOf(error) };
      return out;
    }
    if (!out.allocate.ok) return out;
    if (spec.permissions) {
      out.permissions = [];
      const family = out.allocate.relayed?.family ?? 4;
      for (const peer of PERMISSION_PEERS) {
        const peerFamily = peer.address.includes(':') ? 6 : 4;
        if (peerFamily !== family) {
          out.permissions.push({ peer: peer.address, kind: peer.kind, tested: false, note: `the relayed address is IPv${family}` });
          continue;
        }
        if (deadline.aborted) {
          out.permissions.push({ peer: peer.address, kind: peer.kind, tested: false, note: 'no time left' });
          continue;
        }
        try {
          const p = await client.createPermission(peer.address, deadline);
          out.permissions.push({ peer: peer.address, kind: peer.kind, tested: true, granted: p.ok, ...(p.error ? { stunError: p.error } : {}) });
        } catch (error) {
          rethrowRefusal(error);
          out.permissions.push({ peer: peer.address, kind: peer.kind, tested: false, failure: failureOf(error) });
        }
      }
    }
    out.release = await release(client, releaseSignal(), true);
    return out;
  } finally {
    client.close();
  }
}

async function release(client: TurnClient, signal: AbortSignal, auth: boolean): Promise<Exchange> {
  try {
    const r = await client.refresh(0, signal, auth);
    return { ok: r.ok, rttMs: r.rttMs, attempts: r.attempts, ...(r.error ? { stunError: r.error } : {}) };
  } catch (error) {
    rethrowRefusal(error);
    return { ok: false, failure: failureOf(error) };
  }
}

async function probeUri(ctx: ProbeContext, spec: Spec, deadline: AbortSignal, releaseMs: number): Promise<TurnTarget[]> {
  const { uri } = spec;
  const base = { source: spec.source, uriIndex: spec.uriIndex, uri: uri.text, host: uri.host, port: uri.port, transport: uri.transport };
  let route: Route;
  try {
    route = await ctx.net.route(uri.host, uri.port, deadline);
  } catch (error) {
    rethrowRefusal(error);
    const failure = classifyNetError(error);
    // A resolver that does not answer is this machine's problem, not the deployment's.
    if (RESOLVER_FAILURES.has(failure.code)) throw new ProbeError(failure.code, `the DNS resolver did not answer for ${uri.host}: ${failure.message}`);
    return [{ ...base, resolve: { ok: false, error: failure } }];
  }
  const resolve: TurnTarget['resolve'] = {
    ok: true,
    addresses: route.addresses.map((a) => a.address),
    via: route.via,
    ...(route.connectHost !== route.host || route.connectPort !== route.port ? { connectHost: route.connectHost, connectPort: route.connectPort } : {}),
  };
  return Promise.all(route.addresses.map(async (a) => ({ ...base, resolve, ...(await probeAddress(ctx, spec, route, a.address, deadline, releaseMs)) })));
}

export const turnProbe = defineProbe<TurnArtifact>({
  id: 'turn',
  description:
    'STUN Binding, TURN Allocate (with the credentials Synapse hands out), CreatePermission for internal peers and release, for every TURN URI and address',
  network: true,
  dependsOn: ['turnConfig'],
  uses: ['voipTurnServer'],
  async run(ctx, deps) {
    const cfg = deps.turnConfig as TurnConfigArtifact;
    const voip = deps.voipTurnServer as VoipTurnServerArtifact | undefined;
    const userId = `@matrixdoc:${cfg.serverName ?? 'localhost'}`;
    let credentials: TurnCredentials | undefined;
    let expiresAt: number | undefined;
    if (cfg.credentials.kind === 'shared-secret' && cfg.sharedSecret) {
      const made = synapseTurnCredentials(cfg.sharedSecret, userId, cfg.lifetime.ms ?? 3_600_000);
      ctx.addSecret(made.password);
      credentials = { username: made.username, password: made.password };
      expiresAt = made.expiresAt;
    } else if (cfg.credentials.kind === 'static' && cfg.username && cfg.password) {
      credentials = { username: cfg.username, password: cfg.password };
    }
    const specs: Spec[] = [];
    for (const entry of cfg.uris) {
      if (entry.uri && !entry.problem) specs.push({ source: 'homeserver.yaml', uriIndex: entry.index, uri: entry.uri, credentials, permissions: true });
    }
    if (voip?.uris && voip.username && voip.password) {
      voip.uris.forEach((text, index) => {
        const parsed = parseTurnUri(text);
        if (parsed.uri && !parsed.problem) {
          specs.push({
            source: 'voip',
            uriIndex: index,
            uri: parsed.uri,
            credentials: { username: voip.username as string, password: voip.password as string },
            permissions: false,
          });
        }
      });
    }
    // Leave time to release allocations and to return the evidence before the engine's timeout.
    const deadline = AbortSignal.any([ctx.signal, timeoutSignal(Math.max(300, Math.round(ctx.timeoutMs * 0.75)))]);
    const releaseMs = Math.max(150, Math.round(ctx.timeoutMs * 0.15));
    const targets = (await Promise.all(specs.map((s) => probeUri(ctx, s, deadline, releaseMs)))).flat();
    return { userId, ...(expiresAt !== undefined ? { expiresAt } : {}), credentialSource: cfg.credentials.kind, targets };
  },
});

/** Every probe of the turn check, registered together. */
export const turnProbes: ProbeDefinition[] = [turnConfigProbe, voipTurnServerProbe, turnProbe, coturnConfigProbe] as ProbeDefinition[];
