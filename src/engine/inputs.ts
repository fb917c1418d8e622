// What a run looks at: the deployment's files and names, and how to reach it. Built from flags and an
// optional profile file (flags win); paths in a profile are relative to the profile's folder.

import { isIP } from 'node:net';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { type Cidr, type ConnectToOverride, parseAllowTargets, parseConnectTo, parseResolve, type ResolveOverride } from '../net/targets.js';
import { unclosedConstruct } from '../parse/yaml.js';
import { fsReason, readRegularFileSync } from '../probes/files.js';
import { InputError } from './errors.js';

/** A profile is a few lines; anything larger is not one. */
const MAX_PROFILE_BYTES = 1024 * 1024;

/** UTF-8 text of a small input file (profile, target list...), or an InputError saying what it is instead. */
export function decodeText(bytes: Buffer, what: string): string {
  if (bytes.subarray(0, 8192).includes(0)) throw new InputError(`cannot read ${what}: binary content (NUL bytes), expected a text file`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`cannot read ${what}: not valid UTF-8 text`);
  }
}

export interface Inputs {
  serverName?: string;
  /** homeserver.yaml, then any further files or folders Synapse reads after it (its repeatable -c). */
  homeserverConfig: string[];
  elementConfig?: string;
  jitsiEnv?: string;
  nginxConfig: string[];
  offline: boolean;
  timeoutMs: number;
  resolve: ResolveOverride[];
  connectTo: ConnectToOverride[];
  dnsServer?: { host: string; port: number };
  caFile?: string;
  allowTargets?: Cidr[];
  /** A test account for live login checks (public-baseurl): its user ID or localpart. */
  testUser?: string;
  /** Its password (--test-password or MATRIXDOC_TEST_PASSWORD, never from a profile): a secret. */
  testPassword?: string;
  /** --probe-login (flag only): a few failed logins for random non-existent accounts, to measure the login rate limit. */
  probeLogin?: boolean;
  /** An admin access token (--admin-token or MATRIXDOC_ADMIN_TOKEN, never from a profile): a secret. */
  adminToken?: string;
  /** Users whose per-user rate-limit overrides to read through the admin API (--rate-limit-users). */
  rateLimitUsers?: string[];
  /** Synapse's log file (--synapse-log), read from its end. */
  synapseLog?: string;
  /** coturn's turnserver.conf (--coturn-config), for the turn check (secrets redacted). */
  coturnConfig?: string;
  /** A user's access token (--access-token or MATRIXDOC_ACCESS_TOKEN, never from a profile), to read /voip/turnServer: a secret. */
  accessToken?: string;
  /** An LDAP login to try as matrix-synapse-ldap3 does (--ldap-test-user): search the user, then bind as them. */
  ldapTestUser?: string;
  /** Its password (--ldap-test-password or MATRIXDOC_LDAP_TEST_PASSWORD, never from a profile): a secret. */
  ldapTestPassword?: string;
  /** The profile the inputs came from, if any. */
  profile?: string;
  /** Texts that stand in for files on disk (absolute path -> text), for `matrixdoc fix`'s later passes. */
  overlay?: ReadonlyMap<string, string>;
}

/** The raw strings a user can give, by flag or profile key (the same names). */
export interface RawInputs {
  'server-name'?: string;
  'homeserver-config'?: string[];
  'element-config'?: string;
  'jitsi-env'?: string;
  'nginx-config'?: string[];
  resolve?: string[];
  'connect-to'?: string[];
  'dns-server'?: string;
  'ca-file'?: string;
  timeout?: string;
  offline?: boolean;
  'allow-targets'?: string;
  'test-user'?: string;
  /** Flag or environment only: readProfile refuses it (a password does not belong in a profile file). */
  'test-password'?: string;
  'synapse-log'?: string;
  'rate-limit-users'?: string[];
  /** Flag only: probing has side effects, a profile must not start it. */
  'probe-login'?: boolean;
  /** Flag or environment only, like test-password. */
  'admin-token'?: string;
  'coturn-config'?: string;
  /** Flag or environment only, like test-password. */
  'access-token'?: string;
  'ldap-test-user'?: string;
  /** Flag or environment only, like test-password. */
  'ldap-test-password'?: string;
}

const PATH_KEYS = ['element-config', 'jitsi-env', 'ca-file', 'synapse-log', 'coturn-config'] as const;
const LIST_KEYS = ['homeserver-config', 'nginx-config', 'resolve', 'connect-to', 'rate-limit-users'] as const;
const PATH_LIST_KEYS = ['homeserver-config', 'nginx-config'];
const STRING_KEYS = ['server-name', 'dns-server', 'timeout', 'allow-targets', 'test-user', 'ldap-test-user', ...PATH_KEYS] as const;
export const PROFILE_KEYS = [...STRING_KEYS, ...LIST_KEYS, 'offline'] as const;

/** `5s`, `500ms`, `2m` or a bare number of seconds. */
export function parseDuration(text: string, what: string): number {
  const m = String(text)
    .trim()
    .match(/^(\d+(?:\.\d+)?)(ms|s|m)?$/);
  if (!m) throw new InputError(`${what}: '${text}' is not a duration (examples: 5s, 500ms, 2m)`);
  const n = Number(m[1]);
  const ms = m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
  if (ms <= 0 || ms > 600_000) throw new InputError(`${what}: '${text}' must be between 1ms and 10m`);
  return Math.round(ms);
}

export function parseHostPort(text: string, defaultPort: number, what: string): { host: string; port: number } {
  const m = text.trim().match(/^(?:\[([^\]]+)\]|([^:]+))(?::(\d{1,5}))?$/);
  if (!m) throw new InputError(`${what}: '${text}' is not host[:port]`);
  const host = m[1] ?? m[2];
  const port = m[3] ? Number(m[3]) : defaultPort;
  if (port < 1 || port > 65535) throw new InputError(`${what}: port ${port} is out of range`);
  return { host, port };
}

/** --dns-server takes an address (a resolver named by host name would itself need resolving). */
function parseDnsServer(text: string): { host: string; port: number } {
  const hp = parseHostPort(text, 53, '--dns-server');
  if (!isIP(hp.host)) throw new InputError(`--dns-server: '${hp.host}' is not an IP address (give the resolver's address, e.g. 127.0.0.1:5353)`);
  return hp;
}

/** Reads a profile file into raw inputs, with paths made absolute. Errors name file:line:col. */
export function readProfile(file: string): RawInputs {
  let text: string;
  try {
    text = decodeText(readRegularFileSync(file, MAX_PROFILE_BYTES), 'profile');
  } catch (error) {
    if (error instanceof InputError) throw new InputError(error.message, { file });
    throw new InputError(`cannot read profile: ${fsReason(error as NodeJS.ErrnoException, MAX_PROFILE_BYTES, file)}`, { file });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number | undefined) => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { file, line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    // The `yaml` package places an unclosed quote or bracket where it gave up (often the end of the file):
    // name where it was opened too, in PyYAML's words.
    const open = unclosedConstruct(text);
    const opened = open && open.offset <= e.pos[0] ? { context: open.context, ...at(open.offset) } : undefined;
    const where = opened ? ` (${opened.context} at ${file}:${opened.line}:${opened.column})` : '';
    throw new InputError(`${e.message.split('\n')[0]}${where}`, at(e.pos[0]));
  }
  if (doc.contents === null) return {};
  if (!isMap(doc.contents)) throw new InputError('a profile is a map of settings (server-name: ..., homeserver-config: ...)', at(doc.contents.range?.[0]));
  const dir = path.dirname(path.resolve(file));
  const raw: Record<string, unknown> = {};
  for (const pair of doc.contents.items) {
    const keyNode = pair.key;
    const key = isScalar(keyNode) ? String(keyNode.value) : '';
    const keyPos = at(isScalar(keyNode) ? keyNode.range?.[0] : undefined);
    const name = key.replace(/_/g, '-');
    if (!(PROFILE_KEYS as readonly string[]).includes(name)) {
      throw new InputError(`unknown profile key '${key}' (known: ${PROFILE_KEYS.join(', ')})`, keyPos);
    }
    const node = pair.value;
    const valueOffset = (node as { range?: number[] } | null)?.range?.[0] ?? (isScalar(keyNode) ? keyNode.range?.[0] : undefined);
    const valuePos = at(valueOffset);
    if (name === 'offline') {
      if (!isScalar(node) || typeof node.value !== 'boolean') throw new InputError(`'${key}' must be true or false`, valuePos);
      raw.offline = node.value;
      continue;
    }
    if ((LIST_KEYS as readonly string[]).includes(name)) {
      const items = isSeq(node) ? node.items : [node];
      raw[name] = items.map((item) => {
        if (!isScalar(item) || item.value === null || typeof item.value === 'object') {
          throw new InputError(`'${key}' must be a string or a list of strings`, at((item as { range?: number[] } | null)?.range?.[0]));
        }
        const value = String(item.value);
        return PATH_LIST_KEYS.includes(name) ? path.resolve(dir, value) : value;
      });
      continue;
    }
    if (!isScalar(node) || node.value === null || typeof node.value === 'object') {
      throw new InputError(`'${key}' must be a single value`, valuePos);
    }
    const value = String(node.value);
    raw[name] = (PATH_KEYS as readonly string[]).includes(name) ? path.resolve(dir, value) : value;
  }
  return raw as RawInputs;
}

/** `@a:x,@b:x` (comma-separated and/or repeated) as a list, empty items dropped. */
export function splitUsers(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Merges profile and flags (flags win) and validates everything that can be validated without I/O. */
export function buildInputs(flags: RawInputs, profile: RawInputs = {}, profilePath?: string, env = process.env): Inputs {
  const pick = <K extends keyof RawInputs>(k: K): RawInputs[K] => {
    const f = flags[k];
    const isEmptyList = Array.isArray(f) && f.length === 0;
    return f !== undefined && !isEmptyList ? f : profile[k];
  };
  const abs = (p: string | undefined) => (p === undefined ? undefined : path.resolve(p));
  const allowText = pick('allow-targets') ?? env.MATRIXDOC_ALLOW_TARGETS;
  const dnsText = pick('dns-server');
  const serverName = pick('server-name');
  if (serverName !== undefined && !/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]{1,255})(:\d{1,5})?$/.test(serverName)) {
    throw new InputError(`--server-name: '${serverName}' is not a Matrix server name (hostname[:port])`);
  }
  return {
    serverName,
    homeserverConfig: (pick('homeserver-config') ?? []).map((p) => path.resolve(p)),
    elementConfig: abs(pick('element-config')),
    jitsiEnv: abs(pick('jitsi-env')),
    nginxConfig: (pick('nginx-config') ?? []).map((p) => path.resolve(p)),
    offline: pick('offline') ?? false,
    timeoutMs: parseDuration(pick('timeout') ?? '5s', '--timeout'),
    resolve: (pick('resolve') ?? []).map(parseResolve),
    connectTo: (pick('connect-to') ?? []).map(parseConnectTo),
    dnsServer: dnsText ? parseDnsServer(dnsText) : undefined,
    caFile: abs(pick('ca-file')),
    allowTargets: allowText ? parseAllowTargets(allowText) : undefined,
    testUser: pick('test-user') || undefined,
    testPassword: flags['test-password'] || env.MATRIXDOC_TEST_PASSWORD || undefined,
    probeLogin: flags['probe-login'] ?? false,
    adminToken: flags['admin-token'] || env.MATRIXDOC_ADMIN_TOKEN || undefined,
    rateLimitUsers: splitUsers(pick('rate-limit-users')),
    synapseLog: abs(pick('synapse-log')),
    coturnConfig: abs(pick('coturn-config')),
    accessToken: flags['access-token'] || env.MATRIXDOC_ACCESS_TOKEN || undefined,
    ldapTestUser: pick('ldap-test-user') || undefined,
    ldapTestPassword: flags['ldap-test-password'] || env.MATRIXDOC_LDAP_TEST_PASSWORD || undefined,
    profile: profilePath ? path.resolve(profilePath) : undefined,
  };
}
