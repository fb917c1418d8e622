// The LDAP probes, for matrix-synapse-ldap3 (ldap_auth_provider):
//
// - `ldapConfig` (files): finds the module in homeserver.yaml (`modules:` with
//   ldap_auth_provider.LdapAuthProviderModule, the older `password_providers:` with
//   ldap_auth_provider.LdapAuthProvider, or the very old `ldap_config:` with enabled: true), reads its
//   settings as the module's parse_config does, and reads bind_password_file (a secret, registered and
//   never kept).
// - `ldap` (network): for each URI, connects through ctx.net's routing (--connect-to, --resolve,
//   --allow-targets): ldaps:// or ldap:// with StartTLS when start_tls is set, trusting the system store,
//   --ca-file and the module's tls_options.ca_certs_file; binds with bind_dn (search mode), searches the
//   base for entries that have the uid attribute (size limit 5) and reads their name and mail
//   attributes. With --ldap-test-user it then does what the module does at login: the search for the
//   user, then a bind as the DN found (or, in simple mode, a bind as <uid>=<login>,<base>).
//
// ldapts opens its own sockets, so the probe resolves the route first and hands ldapts the routed
// address (already checked against --allow-targets); TLS keeps the configured host as the name to verify.

import net from 'node:net';
import tls from 'node:tls';
import { Client } from 'ldapts';
import { defineProbe } from '../engine/define.js';
import { ProbeError } from '../engine/errors.js';
import { timeoutSignal } from '../engine/timeouts.js';
import type { ProbeContext } from '../engine/types.js';
import { classifyNetError, type Route } from '../net/client.js';
import type { HomeserverConfigArtifact } from './config-files.js';
import { synapseTop } from './database.js';
import { readRegularFile, readTextFile } from './files.js';

export const LDAP_MODULE = 'ldap_auth_provider.LdapAuthProviderModule';
export const LDAP_LEGACY_PROVIDER = 'ldap_auth_provider.LdapAuthProvider';
/** How many entries the sample search asks for. */
export const SAMPLE_SIZE = 5;
const MAX_URIS = 3;
/**
 * The most a server may send for one LDAP message (ldapts buffers a message whole, concatenating every
 * chunk, before it reads it): the RootDSE, a bind and a few sampled entries are far smaller.
 */
export const MAX_LDAP_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * Caps what ldapts buffers for one message: a peer that announces a huge BER length and streams it would
 * otherwise grow the buffer (quadratically in CPU) until the operation timeout. Relies on ldapts'
 * `socketDataHandler` and `messageParser.buffer`; if they change, the hostile tests see memory grow.
 */
function capMessages(client: Client): void {
  const c = client as unknown as { socketDataHandler?: (data: Buffer) => void; messageParser?: { buffer?: Buffer }; socket?: import('node:net').Socket };
  const original = c.socketDataHandler;
  if (typeof original !== 'function') return;
  c.socketDataHandler = (data: Buffer) => {
    original(data);
    if ((c.messageParser?.buffer?.length ?? 0) > MAX_LDAP_MESSAGE_BYTES) {
      c.socket?.destroy(new Error(`the server sent an LDAP message that exceeds the ${MAX_LDAP_MESSAGE_BYTES / 1024 / 1024} MiB matrixdoc accepts`));
    }
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Python's truthiness for a YAML value. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

/** The module's settings as its parse_config reads them, without secrets. */
export interface LdapModuleSettings {
  /** Path of the module's config map in homeserver.yaml. */
  path: (string | number)[];
  form: 'modules' | 'password_providers' | 'ldap_config';
  /** Required keys (uri, base, attributes) that are missing: the module stops Synapse from starting. */
  missingKeys: string[];
  /** Of uid, name, mail: the ones attributes lacks (same error). */
  missingAttributes: string[];
  /** Keys present with a value the module cannot use, with what they should be (a phrase id of MXD-LDAP-001). */
  invalid: { key: string; expected: LdapExpected }[];
  uris: string[];
  startTls: boolean;
  base?: string;
  attributes: { uid?: string; name?: string; mail?: string };
  /** bind_dn is present (even empty): the module switches to search mode and requires a bind password. */
  bindDnSet: boolean;
  /** simple, or search (set by mode: search, or forced by the presence of bind_dn). */
  mode: 'simple' | 'search';
  bindDn?: string;
  /** Where the bind password comes from (neither: the module refuses to start when bind_dn is set). */
  bindPasswordSource?: 'bind_password' | 'bind_password_file';
  bindPasswordFile?: string;
  filter?: string;
  activeDirectory: boolean;
  defaultDomain?: string;
  /** The raw `enabled` value (undefined when absent); only the ldap_config form honours it. */
  enabled: unknown;
  validateCertSet: boolean;
  tlsOptionsSet: boolean;
  /** Whether the module verifies the server's certificate (validate_cert, or tls_options.validate). */
  verify: boolean;
  caCertsFile?: string;
}

/** What a key should be, as phrase ids of MXD-LDAP-001 (the check shows their words). */
export type LdapExpected = 'attributeName' | 'attributesMap' | 'uriOrList' | 'dnString';

function readOne(path: (string | number)[], form: LdapModuleSettings['form'], config: Record<string, unknown>): LdapModuleSettings {
  const missingKeys = ['uri', 'base', 'attributes'].filter((k) => !Object.hasOwn(config, k));
  const invalid: LdapModuleSettings['invalid'] = [];
  const attrsRaw = config.attributes;
  const attributes: LdapModuleSettings['attributes'] = {};
  const missingAttributes: string[] = [];
  if (isObject(attrsRaw)) {
    for (const k of ['uid', 'name', 'mail'] as const) {
      if (!Object.hasOwn(attrsRaw, k)) missingAttributes.push(k);
      else if (typeof attrsRaw[k] === 'string' && attrsRaw[k]) attributes[k] = attrsRaw[k] as string;
      else invalid.push({ key: `attributes.${k}`, expected: 'attributeName' });
    }
  } else if (attrsRaw !== undefined) {
    invalid.push({ key: 'attributes', expected: 'attributesMap' });
  }
  const uriRaw = config.uri;
  const uris = typeof uriRaw === 'string' ? [uriRaw] : Array.isArray(uriRaw) ? uriRaw.filter((u): u is string => typeof u === 'string') : [];
  if (uriRaw !== undefined && (uris.length === 0 || (Array.isArray(uriRaw) && uris.length !== uriRaw.length))) {
    invalid.push({ key: 'uri', expected: 'uriOrList' });
  }
  if (config.base !== undefined && typeof config.base !== 'string') invalid.push({ key: 'base', expected: 'dnString' });
  const hasBindDn = Object.hasOwn(config, 'bind_dn');
  const tlsOptions = config.tls_options;
  const tlsOptionsSet = truthy(tlsOptions);
  // ldap3.Tls(**tls_options): validate defaults to CERT_NONE; YAML true = 1 = CERT_OPTIONAL, which verifies for a client.
  const verify = tlsOptionsSet
    ? truthy((tlsOptions as Record<string, unknown>).validate)
    : config.validate_cert === undefined
      ? true
      : truthy(config.validate_cert);
  const ca = isObject(tlsOptions) && typeof tlsOptions.ca_certs_file === 'string' ? tlsOptions.ca_certs_file : undefined;
  return {
    path,
    form,
    missingKeys,
    missingAttributes,
    invalid,
    uris,
    startTls: truthy(config.start_tls),
    base: typeof config.base === 'string' ? config.base : undefined,
    attributes,
    bindDnSet: hasBindDn,
    mode: hasBindDn || config.mode === 'search' ? 'search' : 'simple',
    bindDn: hasBindDn && config.bind_dn !== null ? String(config.bind_dn) : undefined,
    bindPasswordSource: Object.hasOwn(config, 'bind_password')
      ? 'bind_password'
      : Object.hasOwn(config, 'bind_password_file')
        ? 'bind_password_file'
        : undefined,
    bindPasswordFile: typeof config.bind_password_file === 'string' ? config.bind_password_file : undefined,
    filter: typeof config.filter === 'string' && config.filter ? config.filter : undefined,
    activeDirectory: truthy(config.active_directory),
    defaultDomain: typeof config.default_domain === 'string' ? config.default_domain : undefined,
    enabled: config.enabled,
    validateCertSet: Object.hasOwn(config, 'validate_cert'),
    tlsOptionsSet: Object.hasOwn(config, 'tls_options'),
    verify,
    caCertsFile: ca,
  };
}

/** Every LDAP auth provider Synapse would load from these top-level settings. */
export function readLdapModules(top: Record<string, unknown>): LdapModuleSettings[] {
  const out: LdapModuleSettings[] = [];
  if (Array.isArray(top.modules)) {
    top.modules.forEach((m, i) => {
      if (isObject(m) && m.module === LDAP_MODULE) out.push(readOne(['modules', i, 'config'], 'modules', isObject(m.config) ? m.config : {}));
    });
  }
  if (Array.isArray(top.password_providers)) {
    top.password_providers.forEach((m, i) => {
      if (isObject(m) && (m.module === LDAP_LEGACY_PROVIDER || m.module === LDAP_MODULE)) {
        out.push(readOne(['password_providers', i, 'config'], 'password_providers', isObject(m.config) ? m.config : {}));
      }
    });
  }
  // Synapse's password_auth_providers.py still turns an enabled top-level ldap_config into a provider.
  if (isObject(top.ldap_config) && truthy(top.ldap_config.enabled)) out.push(readOne(['ldap_config'], 'ldap_config', top.ldap_config));
  return out;
}

/** The module's raw config map (with the bind password: for the probes only, never for evidence). */
function rawConfig(top: Record<string, unknown>, m: LdapModuleSettings): Record<string, unknown> {
  let node: unknown = top;
  for (const step of m.path) node = Array.isArray(node) && typeof step === 'number' ? node[step] : isObject(node) ? node[String(step)] : undefined;
  return isObject(node) ? node : {};
}

export interface PasswordFileResult {
  file: string;
  ok: boolean;
  error?: { code: string; message: string };
}

/** The bind password as the module gets it: inline, or the file's content without trailing newlines. */
async function bindPassword(ctx: ProbeContext, top: Record<string, unknown>, m: LdapModuleSettings): Promise<{ password?: string; file?: PasswordFileResult }> {
  const config = rawConfig(top, m);
  if (m.bindPasswordSource === 'bind_password') {
    const p = config.bind_password === null || config.bind_password === undefined ? undefined : String(config.bind_password);
    if (p) ctx.addSecret(p);
    return { password: p };
  }
  if (m.bindPasswordSource === 'bind_password_file' && m.bindPasswordFile) {
    try {
      const read = await readTextFile(m.bindPasswordFile, 'bind_password_file', 64 * 1024);
      const p = read.text.replace(/\n+$/, '');
      if (p) ctx.addSecret(p);
      return { password: p, file: { file: m.bindPasswordFile, ok: true } };
    } catch (error) {
      const e = error as ProbeError;
      return { file: { file: m.bindPasswordFile, ok: false, error: { code: e.code ?? 'FILE_UNREADABLE', message: e.message } } };
    }
  }
  return {};
}

export interface LdapConfigArtifact {
  modules: (LdapModuleSettings & { passwordFile?: PasswordFileResult })[];
}

export const ldapConfigProbe = defineProbe<LdapConfigArtifact>({
  id: 'ldapConfig',
  description: "Finds matrix-synapse-ldap3's settings in homeserver.yaml and reads its bind_password_file",
  network: false,
  dependsOn: ['homeserverConfig'],
  async run(ctx, deps) {
    const merged = synapseTop(deps.homeserverConfig as HomeserverConfigArtifact);
    if (!merged) return { skip: 'homeserver.yaml could not be read' };
    const found = readLdapModules(merged.top);
    if (found.length === 0) return { skip: `no LDAP auth module (${LDAP_MODULE}) in homeserver.yaml` };
    const modules: LdapConfigArtifact['modules'] = [];
    for (const m of found) {
      const { file } = await bindPassword(ctx, merged.top, m);
      modules.push(file ? { ...m, passwordFile: file } : m);
    }
    return { modules };
  },
});

export interface LdapError {
  stage: 'uri' | 'route' | 'connect' | 'tls' | 'starttls' | 'bind' | 'search';
  /**
   * CONN_REFUSED, TIMEOUT, NO_ANSWER (connected, then no LDAP answer), TOO_LARGE, DNS_NXDOMAIN, TLS_UNTRUSTED,
   * TLS_NAME_MISMATCH, ..., or LDAP_<result code>.
   */
  code: string;
  message: string;
  /** The LDAP result code when the server answered (49 invalid credentials, 32 no such object, ...). */
  resultCode?: number;
}

export interface LdapEntrySample {
  dn: string;
  uid?: string;
  hasName: boolean;
  hasMail: boolean;
}

export interface LdapTestLogin {
  /** The login as given (a Matrix ID is reduced to its localpart, as the module does). */
  login: string;
  /** The value searched for, or put in the DN (login@domain in active_directory mode). */
  uidValue?: string;
  mode: 'simple' | 'search';
  ok: boolean;
  /** Where the login fails: mapping the login (active_directory), no password, the search, or the user's bind. */
  failedAt?: 'map' | 'password' | 'search' | 'bind';
  search?: { filter: string; count: number; dns: string[]; error?: LdapError };
  bindDn?: string;
  bind?: { ok: boolean; error?: LdapError };
  hasName?: boolean;
  hasMail?: boolean;
}

export interface LdapServerResult {
  uri: string;
  scheme?: 'ldap' | 'ldaps';
  host?: string;
  port?: number;
  route?: { connectHost: string; connectPort: number; address?: string; via: string };
  connected: boolean;
  tls?: { mode: 'ldaps' | 'starttls'; ok: boolean; verified: boolean; subject?: string; subjectAltNames?: string[]; issuer?: string; validTo?: string };
  /** The naming contexts the server announces in its RootDSE (where bases can be). */
  namingContexts?: string[];
  bind?: { as: 'bind_dn' | 'anonymous'; dn?: string; ok: boolean; error?: LdapError };
  search?: {
    base: string;
    filter: string;
    ok: boolean;
    error?: LdapError;
    count: number;
    /** The server had more than SAMPLE_SIZE. */
    sizeLimited: boolean;
    entries: LdapEntrySample[];
    /** When the configured filter matched nothing: the same search without it. */
    withoutFilter?: { filter: string; count: number; error?: LdapError };
  };
  testLogin?: LdapTestLogin;
  error?: LdapError;
  durationMs: number;
}

export interface LdapArtifact {
  modules: { path: (string | number)[]; servers: LdapServerResult[]; bindPasswordMissing?: boolean }[];
}

/** ldapts result codes and Node's network errors as stable codes. */
export function classifyLdapError(error: unknown, stage: LdapError['stage']): LdapError {
  const e = error as { code?: unknown; message?: string };
  if (typeof e?.code === 'number') {
    return { stage, code: `LDAP_${e.code}`, resultCode: e.code, message: String(e.message ?? error).replace(/\s*Code: 0x[0-9a-f]+$/i, '') };
  }
  const message = String(e?.message ?? error);
  if (/exceeds the \d+ MiB/.test(message)) return { stage, code: 'TOO_LARGE', message: message.split('\n').pop() as string };
  // ldapts says "Operation timed out" when a request went out on a connected socket and got no answer: at
  // the first request (stage connect) that means something listens there that is not an LDAP server.
  if (stage === 'connect' && /Operation timed out/i.test(message))
    return { stage, code: 'NO_ANSWER', message: 'the connection was accepted, but no LDAP answer came before the timeout' };
  if (/Connection timeout|Operation timed out/i.test(message)) return { stage, code: 'TIMEOUT', message: 'no answer before the timeout' };
  // ldapts' words for a peer that hung up mid-request (its Message type line is of no use to a reader).
  if (/Connection closed before message response was received/i.test(message))
    return { stage, code: 'CONN_CLOSED', message: 'no LDAP answer came before it closed' };
  // A socket error mid-request comes wrapped as "Socket error. Message type: …" with Node's message on the
  // next line and no code: a peer that closes at once with our request unread resets the connection.
  const socketError = /^Socket error\. Message type: [^\n]*\n([\s\S]*)$/.exec(message);
  if (socketError) {
    if (/ECONNRESET|EPIPE/.test(socketError[1])) return { stage, code: 'CONN_RESET', message: 'reset before any LDAP answer came' };
    const inner = classifyNetError(Object.assign(new Error(socketError[1]), { code: /\b(E[A-Z]+)\b/.exec(socketError[1])?.[1] }));
    return { stage, code: inner.code, message: inner.message };
  }
  const c = classifyNetError(error);
  return { stage: c.code.startsWith('TLS_') && (stage === 'connect' || stage === 'starttls') ? 'tls' : stage, code: c.code, message: c.message };
}

function attr(entry: Record<string, unknown>, name: string | undefined): unknown {
  if (!name) return undefined;
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : entry[key];
}

function present(value: unknown): boolean {
  if (Array.isArray(value)) return value.some((v) => String(v).length > 0);
  return value !== undefined && value !== null && String(value).length > 0;
}

function firstString(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined || v === null ? undefined : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
}

interface Connector {
  route: Route;
  address: string;
  open(): Promise<Client>;
}

interface Budget {
  connectMs: number;
  opMs: number;
}

export const ldapProbe = defineProbe<LdapArtifact>({
  id: 'ldap',
  description:
    'Connects to the LDAP servers of matrix-synapse-ldap3 (StartTLS/ldaps as configured), binds, samples the users, and optionally tries a test login',
  network: true,
  dependsOn: ['homeserverConfig', 'ldapConfig'],
  async run(ctx, deps) {
    const merged = synapseTop(deps.homeserverConfig as HomeserverConfigArtifact);
    const cfg = deps.ldapConfig as LdapConfigArtifact;
    if (!merged) return { skip: 'homeserver.yaml could not be read' };
    if (ctx.inputs.ldapTestPassword) ctx.addSecret(ctx.inputs.ldapTestPassword);
    const budget: Budget = { connectMs: Math.max(300, Math.floor(ctx.timeoutMs * 0.4)), opMs: Math.max(300, Math.floor(ctx.timeoutMs * 0.3)) };
    const clients = new Set<Client>();
    const onAbort = () => {
      for (const c of clients) void c.unbind().catch(() => {});
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const modules: LdapArtifact['modules'] = [];
      for (const m of cfg.modules) {
        // Without these the module stops Synapse from starting: nothing to try live (the check says why).
        if (m.missingKeys.length || m.missingAttributes.length || m.invalid.length || !m.base || !m.attributes.uid) {
          modules.push({ path: m.path, servers: [] });
          continue;
        }
        const { password } = await bindPassword(ctx, merged.top, m);
        if (m.bindDnSet && (m.bindDn === undefined || password === undefined)) {
          modules.push({ path: m.path, servers: [], bindPasswordMissing: true });
          continue;
        }
        const extraCa: string[] = [];
        if (ctx.net.options.extraCa) extraCa.push(ctx.net.options.extraCa);
        if (m.caCertsFile) {
          try {
            extraCa.push((await readRegularFile(m.caCertsFile, 4 * 1024 * 1024)).toString('utf8'));
          } catch {
            // The CA file is on Synapse's host; matrixdoc trusts the system store and --ca-file then.
          }
        }
        const servers: LdapServerResult[] = [];
        for (const uri of m.uris.slice(0, MAX_URIS)) {
          servers.push(await probeServer(ctx, m, uri, password, extraCa, budget, clients));
        }
        modules.push({ path: m.path, servers });
      }
      return { modules };
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      await Promise.all([...clients].map((c) => c.unbind().catch(() => {})));
    }
  },
});

function parseLdapUri(uri: string): { scheme: 'ldap' | 'ldaps'; host: string; port: number } | undefined {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return undefined;
  }
  const scheme = u.protocol.replace(/:$/, '').toLowerCase();
  if (scheme !== 'ldap' && scheme !== 'ldaps') return undefined;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!host) return undefined;
  return { scheme, host, port: Number(u.port) || (scheme === 'ldaps' ? 636 : 389) };
}

async function probeServer(
  ctx: ProbeContext,
  m: LdapModuleSettings,
  uri: string,
  password: string | undefined,
  extraCa: string[],
  budget: Budget,
  clients: Set<Client>,
): Promise<LdapServerResult> {
  const started = performance.now();
  const out: LdapServerResult = { uri, connected: false, durationMs: 0 };
  const done = () => ({ ...out, durationMs: Math.round(performance.now() - started) });
  const parsed = parseLdapUri(uri);
  if (!parsed) {
    out.error = { stage: 'uri', code: 'UNSUPPORTED_URI', message: `${uri} is not an ldap:// or ldaps:// URI` };
    return done();
  }
  Object.assign(out, parsed);
  const { scheme, host, port } = parsed;

  let route: Route;
  try {
    route = await ctx.net.route(host, port, AbortSignal.any([ctx.signal, timeoutSignal(budget.connectMs)]));
  } catch (error) {
    if (error instanceof ProbeError) throw error; // TARGET_NOT_ALLOWED: the tool refuses, it does not judge
    if (ctx.signal.aborted) throw error;
    const c = classifyNetError(error);
    if (['DNS_UNREACHABLE', 'DNS_TIMEOUT', 'DNS_REFUSED'].includes(c.code))
      throw new ProbeError(c.code, `the DNS resolver did not answer for ${host}: ${c.message}`);
    out.error = { stage: 'route', ...c };
    return done();
  }
  out.route = { connectHost: route.connectHost, connectPort: route.connectPort, via: route.via };

  let captured: tls.PeerCertificate | undefined;
  const tlsOptions = (): tls.ConnectionOptions => ({
    servername: net.isIP(host) ? undefined : host,
    ca: extraCa.length ? [...tls.rootCertificates, ...extraCa] : undefined,
    rejectUnauthorized: m.verify,
    // The certificate must be valid for the host in the URI, not for the routed address.
    checkServerIdentity: (_name, cert) => {
      captured = cert;
      return m.verify ? tls.checkServerIdentity(host, cert) : undefined;
    },
  });
  const tlsMode = scheme === 'ldaps' ? 'ldaps' : m.startTls ? 'starttls' : undefined;
  let namingContexts: string[] | undefined;

  /** A connected client (TLS done: ldaps, or StartTLS when configured); errors carry their stage. */
  const connectOnce = async (address: string): Promise<Client> => {
    const client = new Client({
      url: `${scheme}://${net.isIPv6(address) ? `[${address}]` : address}:${route.connectPort}`,
      connectTimeout: budget.connectMs,
      timeout: budget.opMs,
      strictDN: false,
      ...(scheme === 'ldaps' ? { tlsOptions: tlsOptions() } : {}),
    });
    capMessages(client);
    clients.add(client);
    try {
      if (tlsMode === 'starttls') {
        try {
          await client.startTLS(tlsOptions());
        } catch (error) {
          throw classifyLdapError(error, client.isConnected ? 'starttls' : 'connect');
        }
      }
      // The RootDSE, read anonymously: opens the connection (and the ldaps handshake) as a step of its own,
      // and names the server's naming contexts (where a search base can be).
      try {
        const r = await client.search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['namingContexts'] });
        const contexts = r.searchEntries[0] ? attr(r.searchEntries[0], 'namingContexts') : undefined;
        if (contexts !== undefined) namingContexts = (Array.isArray(contexts) ? contexts : [contexts]).map((c) => firstString(c) ?? '').filter(Boolean);
      } catch (error) {
        if (!client.isConnected || typeof (error as { code?: unknown }).code !== 'number') throw classifyLdapError(error, 'connect');
      }
      return client;
    } catch (error) {
      clients.delete(client);
      await client.unbind().catch(() => {});
      throw error;
    }
  };

  let connector: Connector | undefined;
  let lastError: LdapError | undefined;
  for (const { address } of route.addresses) {
    try {
      const client = await connectOnce(address);
      connector = { route, address, open: () => connectOnce(address) };
      out.connected = true;
      out.route.address = address;
      if (namingContexts?.length) out.namingContexts = namingContexts;
      if (tlsMode) {
        out.tls = {
          mode: tlsMode,
          ok: true,
          verified: m.verify,
          ...(captured
            ? {
                subject: String(captured.subject?.CN ?? ''),
                subjectAltNames: (captured.subjectaltname ?? '')
                  .split(',')
                  .map((x) => x.trim())
                  .filter(Boolean),
                issuer: String(captured.issuer?.CN ?? ''),
                validTo: captured.valid_to,
              }
            : {}),
        };
      }
      await probeBound(ctx, m, client, connector, password, out);
      break;
    } catch (error) {
      lastError = (error as LdapError).stage ? (error as LdapError) : classifyLdapError(error, 'connect');
      if (ctx.signal.aborted) throw error;
      // A TLS or LDAP-level answer means the server was reached: another address would not change it.
      if (lastError.stage !== 'connect') break;
    }
  }
  if (!out.connected && lastError) {
    out.error = lastError;
    if (tlsMode && (lastError.stage === 'tls' || lastError.stage === 'starttls')) out.tls = { mode: tlsMode, ok: false, verified: m.verify };
  }
  return done();
}

/** Bind (search mode), sample search, test login: what the module does on a connected client. */
async function probeBound(
  ctx: ProbeContext,
  m: LdapModuleSettings,
  client: Client,
  connector: Connector,
  password: string | undefined,
  out: LdapServerResult,
): Promise<void> {
  const uidAttr = m.attributes.uid as string;
  const base = m.base as string;
  const wanted = [uidAttr, m.attributes.name, m.attributes.mail].filter((a): a is string => Boolean(a));
  if (m.mode === 'search') {
    if (m.bindDn !== undefined && password !== undefined) {
      try {
        await client.bind(m.bindDn, password);
        out.bind = { as: 'bind_dn', dn: m.bindDn, ok: true };
      } catch (error) {
        out.bind = { as: 'bind_dn', dn: m.bindDn, ok: false, error: classifyLdapError(error, 'bind') };
        return;
      }
    } else {
      out.bind = { as: 'anonymous', ok: true };
    }
    const filter = `(&(${uidAttr}=*)${m.filter ?? ''})`;
    const search: NonNullable<LdapServerResult['search']> = { base, filter, ok: false, count: 0, sizeLimited: false, entries: [] };
    out.search = search;
    try {
      const r = await client.search(base, { scope: 'sub', filter, attributes: wanted, sizeLimit: SAMPLE_SIZE });
      search.ok = true;
      search.count = r.searchEntries.length;
      search.sizeLimited = r.searchEntries.length >= SAMPLE_SIZE;
      search.entries = r.searchEntries.map((e) => ({
        dn: e.dn,
        uid: firstString(attr(e, uidAttr)),
        hasName: present(attr(e, m.attributes.name)),
        hasMail: present(attr(e, m.attributes.mail)),
      }));
    } catch (error) {
      search.error = classifyLdapError(error, 'search');
      if (typeof (error as { code?: unknown }).code !== 'number' && search.error.code !== 'TIMEOUT') search.error.code = 'FILTER_INVALID';
    }
    if (m.filter && search.count === 0 && search.error?.resultCode !== 32) {
      const plain = `(${uidAttr}=*)`;
      try {
        const r = await client.search(base, { scope: 'sub', filter: plain, attributes: [uidAttr], sizeLimit: SAMPLE_SIZE });
        search.withoutFilter = { filter: plain, count: r.searchEntries.length };
      } catch (error) {
        search.withoutFilter = { filter: plain, count: 0, error: classifyLdapError(error, 'search') };
      }
    }
  }
  const login = ctx.inputs.ldapTestUser;
  if (login) out.testLogin = await testLogin(ctx, m, client, connector, login, ctx.inputs.ldapTestPassword);
}

/** The module's _map_login_to_upn: login@domain for active_directory mode, or why the login cannot be mapped. */
async function upnFor(m: LdapModuleSettings, client: Client, username: string): Promise<string | undefined> {
  let login = username.toLowerCase();
  let domain = m.defaultDomain;
  if (username.includes('\\')) {
    const i = username.lastIndexOf('\\');
    domain = username.slice(0, i).toLowerCase();
    login = username.slice(i + 1).toLowerCase();
    let root = '';
    // The module fetches the root domain in search mode only.
    if (m.mode === 'search') {
      try {
        const r = await client.search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['rootDomainNamingContext'] });
        const ctx = firstString(r.searchEntries[0] ? attr(r.searchEntries[0], 'rootDomainNamingContext') : undefined) ?? '';
        root = ctx
          .split(',')
          .filter((p) => p.includes('='))
          .map((p) => p.split('=')[1])
          .join('.');
      } catch {
        // no RootDSE: the module logs a warning and keeps the short domain
      }
    }
    if (root && !domain.endsWith(root)) domain = `${domain}.${root}`;
  } else if (username.includes('/')) {
    const i = username.lastIndexOf('/');
    login = username.slice(0, i).toLowerCase();
    domain = username.slice(i + 1).toLowerCase();
  } else if (!m.defaultDomain) {
    return undefined;
  }
  return `${login}@${domain}`;
}

async function testLogin(
  ctx: ProbeContext,
  m: LdapModuleSettings,
  client: Client,
  connector: Connector,
  given: string,
  password: string | undefined,
): Promise<LdapTestLogin> {
  // "@alice:example.com" logins are reduced to the localpart, as in the module's check_auth.
  const login = given.startsWith('@') && given.includes(':') ? given.slice(1, given.indexOf(':')) : given;
  const result: LdapTestLogin = { login, mode: m.mode, ok: false };
  if (!password) return { ...result, failedAt: 'password' };
  let uidValue = login;
  if (m.activeDirectory) {
    const upn = await upnFor(m, client, login);
    if (!upn) return { ...result, failedAt: 'map' };
    uidValue = upn;
  }
  result.uidValue = uidValue;
  const uidAttr = m.attributes.uid as string;
  let userDn: string;
  if (m.mode === 'simple') {
    userDn = `${uidAttr}=${uidValue},${m.base}`;
  } else {
    // The module puts the login into the filter as it is (no escaping).
    const filter = `(&(${uidAttr}=${uidValue})${m.filter ?? ''})`;
    try {
      const r = await client.search(m.base as string, {
        scope: 'sub',
        filter,
        attributes: [uidAttr, m.attributes.name, m.attributes.mail].filter((a): a is string => Boolean(a)),
        sizeLimit: 3,
      });
      result.search = { filter, count: r.searchEntries.length, dns: r.searchEntries.map((e) => e.dn) };
      if (r.searchEntries.length === 1) {
        result.hasName = present(attr(r.searchEntries[0], m.attributes.name));
        result.hasMail = present(attr(r.searchEntries[0], m.attributes.mail));
      }
    } catch (error) {
      result.search = { filter, count: 0, dns: [], error: classifyLdapError(error, 'search') };
    }
    if (result.search.count !== 1) return { ...result, failedAt: 'search' };
    userDn = result.search.dns[0];
  }
  result.bindDn = userDn;
  // A fresh connection for the user's bind, as the module opens one.
  let userClient: Client | undefined;
  try {
    userClient = await connector.open();
    await userClient.bind(userDn, password);
    result.bind = { ok: true };
    result.ok = true;
  } catch (error) {
    const e = (error as LdapError).stage ? (error as LdapError) : classifyLdapError(error, 'bind');
    result.bind = { ok: false, error: e };
    result.failedAt = 'bind';
  } finally {
    await userClient?.unbind().catch(() => {});
  }
  if (ctx.signal.aborted) throw ctx.signal.reason;
  return result;
}
