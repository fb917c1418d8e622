// The database probe: connects to Synapse's PostgreSQL the way Synapse does (psycopg2's `database.args`:
// user, password, dbname, host, port, sslmode), through ctx.net (so --connect-to, --resolve and
// --allow-targets apply), and reads what Synapse's startup checks read. READ-ONLY: the session is put in
// `default_transaction_read_only` with a short `statement_timeout`, and only SELECTs follow.
//
// Unix sockets: a `host` that is a path (or no host at all, libpq's default) means Synapse talks to
// PostgreSQL through a socket on its own machine. When that socket file exists on the machine matrixdoc
// runs on, the probe connects through it as libpq would (`<folder>/.s.PGSQL.<port>`, no TLS), counted as
// loopback by --allow-targets; pg_hba.conf's `peer` method then judges the OS user running matrixdoc,
// which the check explains. When the socket is not here (matrixdoc runs elsewhere), the probe skips.
//
// TLS as libpq decides it from `sslmode` (fe-connect.c): `disable` plain only; `allow` plain first, then
// TLS on a new connection when the server answers the plain login with an error (pg_hba.conf with only
// `hostssl` lines); `prefer` (libpq's default, so psycopg2's and Synapse's) TLS first without checking the
// certificate, then plain on a new connection when the server refuses SSL, the handshake fails or the
// server answers the TLS login with an error; `require` TLS without checking the certificate;
// `verify-ca` / `verify-full` TLS with the chain (and the name). Never TLS on a Unix socket. The
// artifact records which one connected (`tls`) and every attempt.
//
// The password is a secret: registered with the redactor and never put in the evidence.

import { statSync } from 'node:fs';
import net, { type Socket } from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import pg from 'pg';
import { defineProbe } from '../engine/define.js';
import { ProbeError } from '../engine/errors.js';
import { timeoutSignal } from '../engine/timeouts.js';
import type { ProbeContext } from '../engine/types.js';
import { classifyNetError } from '../net/client.js';
import type { ParsedYaml } from '../parse/yaml.js';
import type { ConfigFileArtifact, HomeserverConfigArtifact } from './config-files.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** homeserver.yaml's top-level settings merged as Synapse merges its -c files (later files replace whole keys). */
export function synapseTop(
  cfg: HomeserverConfigArtifact,
): { top: Record<string, unknown>; ownerOf: (key: string) => ConfigFileArtifact<ParsedYaml> } | undefined {
  const top: Record<string, unknown> = {};
  const owners = new Map<string, ConfigFileArtifact<ParsedYaml>>();
  let readable = false;
  for (const art of [cfg, ...(cfg.overrides ?? [])]) {
    if (!isObject(art.parsed.value)) continue;
    readable = true;
    for (const [k, v] of Object.entries(art.parsed.value)) {
      top[k] = v;
      owners.set(k, art);
    }
  }
  return readable ? { top, ownerOf: (key) => owners.get(key) ?? cfg } : undefined;
}

/** libpq's default socket folder on Debian (where psycopg2 goes when no host is given). */
export const DEFAULT_SOCKET_DIR = '/var/run/postgresql';
/** Twisted adbapi.ConnectionPool's defaults, used by Synapse when cp_min / cp_max are not set. */
export const TWISTED_CP_MIN = 3;
export const TWISTED_CP_MAX = 5;

/** What homeserver.yaml tells Synapse about its database, read without I/O. */
export interface DatabaseSettings {
  /** Where the section is: ['database'], or ['databases', <name>] for the multi-database form. */
  path: string[];
  /** `name`: psycopg2 or sqlite3 (Synapse's default when the section or the key is missing). */
  engine: string;
  /** The section is there at all. */
  present: boolean;
  /** Both `database` and `databases` are set (Synapse refuses to start). */
  bothKeys: boolean;
  /** `allow_unsafe_locale` directly under the section (where Synapse reads it). */
  allowUnsafeLocale: boolean;
  /** `allow_unsafe_locale` under `args` (passed to libpq, which rejects it). */
  unsafeLocaleInArgs: boolean;
  user?: string;
  dbname?: string;
  /** `dbname` or its psycopg2 alias `database`. */
  dbnameKey?: 'dbname' | 'database';
  host?: string;
  hostaddr?: string;
  port: number;
  sslmode?: string;
  passwordSet: boolean;
  /** The socket folder when Synapse connects through a Unix socket (a path host, or no host). */
  socket?: string;
  cpMin: number;
  cpMax: number;
  cpMinSet: boolean;
  cpMaxSet: boolean;
  /** sqlite3's database file. */
  sqliteFile?: string;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function int(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return Number.isInteger(n) ? (n as number) : undefined;
}

/** The database Synapse uses for its main store: `database`, or the `databases` entry holding `main`. */
export function readDatabaseSettings(top: Record<string, unknown>): DatabaseSettings {
  let path = ['database'];
  let section: unknown = top.database;
  const bothKeys = Object.hasOwn(top, 'database') && Object.hasOwn(top, 'databases');
  if (!Object.hasOwn(top, 'database') && isObject(top.databases)) {
    const entries = Object.entries(top.databases);
    const main = entries.find(([, v]) => isObject(v) && Array.isArray(v.data_stores) && v.data_stores.includes('main')) ?? entries[0];
    if (main) {
      path = ['databases', main[0]];
      section = main[1];
    }
  }
  const db = isObject(section) ? section : {};
  const args = isObject(db.args) ? db.args : {};
  const engine = typeof db.name === 'string' ? db.name : 'sqlite3';
  const host = str(args.host);
  const hostaddr = str(args.hostaddr);
  const firstHost = host?.split(',')[0]?.trim();
  const socket = firstHost ? (firstHost.startsWith('/') || firstHost.startsWith('@') ? firstHost : undefined) : hostaddr ? undefined : DEFAULT_SOCKET_DIR;
  const dbnameKey = args.dbname !== undefined ? 'dbname' : args.database !== undefined ? 'database' : undefined;
  const user = str(args.user);
  const port = int(str(args.port)?.split(',')[0]) ?? 5432;
  const cpMin = int(args.cp_min);
  const cpMax = int(args.cp_max);
  return {
    path,
    engine,
    present: section !== undefined,
    bothKeys,
    allowUnsafeLocale: db.allow_unsafe_locale === true,
    unsafeLocaleInArgs: Object.hasOwn(args, 'allow_unsafe_locale'),
    user,
    // libpq's default database name is the user name.
    dbname: dbnameKey ? str(args[dbnameKey]) : user,
    dbnameKey,
    host: firstHost,
    hostaddr,
    port,
    sslmode: str(args.sslmode),
    passwordSet: args.password !== undefined && args.password !== null && args.password !== '',
    socket,
    cpMin: cpMin ?? TWISTED_CP_MIN,
    cpMax: cpMax ?? TWISTED_CP_MAX,
    cpMinSet: cpMin !== undefined,
    cpMaxSet: cpMax !== undefined,
    sqliteFile: engine === 'sqlite3' ? str(args.database) : undefined,
  };
}

/** The section's `args` map (with the password: for the probe only, never for evidence). */
export function databaseArgs(top: Record<string, unknown>, settings: DatabaseSettings): Record<string, unknown> {
  let node: unknown = top;
  for (const step of [...settings.path, 'args']) node = isObject(node) ? node[step] : undefined;
  return isObject(node) ? node : {};
}

export interface DbConnectError {
  /** CONN_REFUSED, HOST_UNREACHABLE, TIMEOUT, DNS_NXDOMAIN, CONN_CLOSED, TLS_*, or PG_<SQLSTATE>. */
  code: string;
  message: string;
  /** PostgreSQL's SQLSTATE when the server answered with an error (28P01, 28000, 3D000, 53300, 42501, ...). */
  sqlstate?: string;
  /** What failed: the name lookup, the TCP connection, TLS, or the server's answer to the login. */
  stage: 'route' | 'tcp' | 'tls' | 'login';
}

/** One connection attempt of libpq's sslmode sequence. */
export interface DbAttempt {
  tls: boolean;
  /** Why it failed; absent for the attempt that connected. */
  error?: DbConnectError;
}

export interface DatabaseArtifact {
  host: string;
  port: number;
  user: string;
  dbname: string;
  sslmode?: string;
  /** Whether the connection (or the attempt whose error is reported) used TLS; absent in older captures. */
  tls?: boolean;
  /** The attempts libpq's sslmode makes, in order (prefer: TLS, then plain; allow: plain, then TLS); TCP only. */
  attempts?: DbAttempt[];
  /** Where the connection really went (after --connect-to / --resolve). */
  route?: { connectHost: string; connectPort: number; address?: string; via: string };
  /** The Unix socket file connected to, when Synapse's host is a socket folder. */
  socket?: string;
  connected: boolean;
  error?: DbConnectError;
  server?: {
    versionNum: number;
    version: string;
    /** SHOW server_encoding: the encoding of the database connected to (what Synapse checks). */
    encoding: string;
    maxConnections: number;
    superuserReserved: number;
    /** reserved_connections (PostgreSQL 16+), else null. */
    reserved: number | null;
  };
  database?: {
    name: string;
    encoding: string;
    collate: string;
    ctype: string;
    /** datlocprovider (PostgreSQL 15+): c = libc, i = ICU, b = builtin. */
    localeProvider?: string;
    /** The ICU or builtin locale when that provider is used. */
    providerLocale?: string;
    owner: string;
    /** datconnlimit: -1 = no limit. */
    connLimit: number;
  };
  role?: {
    name: string;
    superuser: boolean;
    /** rolconnlimit: -1 = no limit. */
    connLimit: number;
    ownsDatabase: boolean;
    /** Member of the role that owns the database (and so has its rights). */
    memberOfOwner: boolean;
  };
  rights?: {
    connect: boolean;
    create: boolean;
    publicSchemaExists: boolean;
    publicUsage: boolean | null;
    publicCreate: boolean | null;
    publicOwner: string | null;
  };
  /** Other client connections right now (not counting matrixdoc's). */
  connections?: { total: number; sameUser: number; sameDatabase: number };
  /** Queries that failed (the others' results are kept). */
  queryErrors: { query: string; code?: string; message: string }[];
  /** Every statement sent, in order: nothing but SET (session only), SHOW and SELECT. */
  statements: string[];
  durationMs: number;
}

const QUERIES = {
  server: `SELECT current_setting('server_version_num')::int AS version_num, current_setting('server_version') AS version,
  current_setting('server_encoding') AS encoding, current_setting('max_connections')::int AS max_connections,
  current_setting('superuser_reserved_connections')::int AS superuser_reserved, current_setting('reserved_connections', true) AS reserved`,
  database: `SELECT row_to_json(d) AS db, pg_encoding_to_char(d.encoding) AS encoding, pg_get_userbyid(d.datdba) AS owner
  FROM pg_database d WHERE d.datname = current_database()`,
  rights: `SELECT current_user AS name, r.rolsuper AS superuser, r.rolconnlimit AS conn_limit, d.datdba = r.oid AS owns_db,
  pg_has_role(current_user, d.datdba, 'MEMBER') AS member_of_owner,
  has_database_privilege(current_database(), 'CONNECT') AS db_connect, has_database_privilege(current_database(), 'CREATE') AS db_create,
  n.oid IS NOT NULL AS public_exists,
  CASE WHEN n.oid IS NULL THEN NULL ELSE has_schema_privilege(n.oid, 'USAGE') END AS public_usage,
  CASE WHEN n.oid IS NULL THEN NULL ELSE has_schema_privilege(n.oid, 'CREATE') END AS public_create,
  pg_get_userbyid(n.nspowner) AS public_owner
  FROM pg_roles r CROSS JOIN pg_database d LEFT JOIN pg_namespace n ON n.nspname = 'public'
  WHERE r.rolname = current_user AND d.datname = current_database()`,
  connections: `SELECT count(*)::int AS total, (count(*) FILTER (WHERE usename = current_user))::int AS same_user,
  (count(*) FILTER (WHERE datname = current_database()))::int AS same_db
  FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
} as const;

/**
 * The TLS choice of each connection attempt libpq makes for `sslmode` (fe-connect.c PQconnectPoll):
 * prefer (the default) tries TLS, then plain; allow tries plain, then TLS; require and verify-* only TLS;
 * disable only plain.
 */
export function sslAttempts(sslmode: string | undefined): boolean[] {
  switch (sslmode ?? 'prefer') {
    case 'disable':
      return [false];
    case 'allow':
      return [false, true];
    case 'require':
    case 'verify-ca':
    case 'verify-full':
      return [true];
    default:
      return [true, false];
  }
}

/**
 * Whether libpq tries the next attempt after this error: after a TLS attempt (prefer) when the server
 * refused SSL, the handshake failed or the server answered the login with an error; after a plain one
 * (allow) when the server answered the login with an error. Never after a TCP failure or a timeout.
 */
export function retriesAfter(error: DbConnectError, tls: boolean): boolean {
  if (error.sqlstate) return true;
  return tls && error.stage === 'tls';
}

/**
 * The error to report when every attempt failed: the one that got furthest (a server's answer to the
 * login over TLS or the TCP connection), a pg_hba.conf rejection (28000) ranking below any other answer
 * of the server (prefer against `hostssl` lines with a wrong password: the TLS attempt's 28P01, not the
 * plain retry's 28000); a TLS refusal ('N') ranks as low as a network error; on a tie the later attempt,
 * as libpq's last message.
 */
export function reportedAttempt(attempts: DbAttempt[]): DbAttempt | undefined {
  // A server that answered the SSLRequest with 'N' refused nothing libpq minds (prefer goes on in plain):
  // that is no more telling than whatever the plain attempt met.
  const rank = (e: DbConnectError | undefined) =>
    !e ? -1 : e.sqlstate ? (e.sqlstate === '28000' ? 2 : 3) : e.stage === 'tls' && e.code !== 'TLS_NOT_SUPPORTED' ? 1 : 0;
  let best: DbAttempt | undefined;
  for (const a of attempts) if (!best || rank(a.error) >= rank(best.error)) best = a;
  return best;
}

/** pg's and Node's errors at connection time, as stable codes. */
export function classifyPgError(error: unknown, stage: DbConnectError['stage']): DbConnectError {
  const e = error as { code?: unknown; message?: string; severity?: string };
  if (typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && e.severity) {
    return { code: `PG_${e.code}`, sqlstate: e.code, message: String(e.message ?? error), stage: 'login' };
  }
  const message = String(e?.message ?? error);
  if (/timeout/i.test(message) && !e?.code) return { code: 'TIMEOUT', message: 'no answer before the timeout', stage };
  if (/terminated unexpectedly|Connection terminated|ECONNRESET/i.test(message) && !/timeout/i.test(message)) {
    return { code: 'CONN_CLOSED', message, stage };
  }
  if (/does not support SSL|establishing an SSL connection/i.test(message)) return { code: 'TLS_NOT_SUPPORTED', message, stage: 'tls' };
  const net = classifyNetError(error);
  return { code: net.code, message: net.message, stage: net.code.startsWith('TLS_') ? 'tls' : stage };
}

/**
 * What the probe accepts from the server in all: the login and a few one-row SELECTs are a few KiB. pg's
 * parser buffers a whole message before reading it, so a peer announcing a 2 GiB message and streaming it
 * would otherwise be held in memory until the timeout.
 */
export const MAX_PG_BYTES = 1024 * 1024;

/** Ends `stream` with a TOO_LARGE error once it has delivered more than MAX_PG_BYTES. */
function capBytes(stream: Socket): void {
  let received = 0;
  stream.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > MAX_PG_BYTES && !stream.destroyed) {
      stream.destroy(
        Object.assign(
          new Error(`the server sent more than ${MAX_PG_BYTES / 1024 / 1024} MiB, far more than PostgreSQL's answers to a login and a few queries`),
          {
            code: 'TOO_LARGE',
          },
        ),
      );
    }
  });
}

/** A socket that is already connected, handed to pg, which calls connect() on its stream itself. */
function preconnected(socket: Socket): Socket {
  socket.connect = (() => {
    process.nextTick(() => socket.emit('connect'));
    // pg attaches its own 'data' listener (plain connections) within connect(): counting after it loses nothing.
    process.nextTick(() => capBytes(socket));
    return socket;
  }) as unknown as Socket['connect'];
  return socket;
}

/** pg's TLS options for one attempt: libpq checks the certificate only for verify-ca and verify-full. */
function sslOptions(ctx: ProbeContext, settings: { sslmode?: string; host: string; tls: boolean }): pg.ClientConfig['ssl'] {
  if (!settings.tls) return false;
  const verify = settings.sslmode === 'verify-ca' || settings.sslmode === 'verify-full';
  const extraCa = ctx.net.options.extraCa;
  const servername = /^[\d.]+$|:/.test(settings.host) ? undefined : settings.host;
  return {
    ca: extraCa ? [...tls.rootCertificates, extraCa] : undefined,
    servername,
    rejectUnauthorized: verify,
    // verify-ca checks the chain only; verify-full also the name (libpq's meaning).
    checkServerIdentity: (_h: string, cert: tls.PeerCertificate) =>
      settings.sslmode === 'verify-full' ? tls.checkServerIdentity(settings.host, cert) : undefined,
  };
}

/** libpq's socket file for a folder and port, when it is a socket on this machine; else why the probe skips. */
function localSocketFile(folder: string, port: number): string | { skip: string } {
  if (folder.startsWith('@')) return { skip: `database.args.host is an abstract Unix socket (${folder}): matrixdoc follows socket files only` };
  const file = path.join(folder, `.s.PGSQL.${port}`);
  try {
    if (statSync(file).isSocket()) return file;
    return { skip: `${file} is not a socket` };
  } catch {
    return { skip: `database.args.host is a Unix socket folder (${folder}) and ${file} is not on this machine: run matrixdoc on the database host` };
  }
}

/** Ends the session politely (Terminate), but waits at most 500 ms for it; then the socket goes. */
async function close(client: pg.Client, socket: Socket): Promise<void> {
  await Promise.race([client.end().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 500).unref())]);
  socket.destroy();
}

function connectUnix(file: string, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ path: file });
    const onAbort = () => socket.destroy(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(socket);
    });
    socket.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(error);
    });
  });
}

export const databaseProbe = defineProbe<DatabaseArtifact>({
  id: 'database',
  description: "Connects to Synapse's PostgreSQL as Synapse does (read-only) and reads its version, encoding, locale, connection limits and the user's rights",
  network: true,
  dependsOn: ['homeserverConfig'],
  async run(ctx, deps) {
    const cfg = deps.homeserverConfig as HomeserverConfigArtifact;
    const merged = synapseTop(cfg);
    if (!merged) return { skip: 'homeserver.yaml could not be read' };
    const settings = readDatabaseSettings(merged.top);
    if (settings.engine !== 'psycopg2') return { skip: `Synapse uses ${settings.engine}, not PostgreSQL` };
    const local = settings.socket ? localSocketFile(settings.socket, settings.port) : undefined;
    if (typeof local === 'object') return local;
    const socketFile = local;
    if (!settings.user) return { skip: 'database.args has no user (libpq would use the name of the OS user running Synapse)' };
    const args = databaseArgs(merged.top, settings);
    const password = args.password === undefined || args.password === null ? undefined : String(args.password);
    if (password) ctx.addSecret(password);

    const started = performance.now();
    const host = settings.host ?? (settings.hostaddr as string);
    const connectHost = settings.hostaddr ?? host;
    const user = settings.user;
    const dbname = settings.dbname ?? user;
    const out: DatabaseArtifact = {
      host,
      port: settings.port,
      user,
      dbname,
      ...(settings.sslmode ? { sslmode: settings.sslmode } : {}),
      connected: false,
      queryErrors: [],
      statements: [],
      durationMs: 0,
    };
    const done = () => ({ ...out, durationMs: Math.round(performance.now() - started) });
    // Leave part of the probe's time for the queries, so that an unreachable server is a finding, not a probe timeout.
    const connectBudget = Math.max(300, Math.floor(ctx.timeoutMs * 0.6));
    const statementTimeout = Math.max(200, Math.min(2000, Math.floor(ctx.timeoutMs * 0.3)));
    const connectSignal = AbortSignal.any([ctx.signal, timeoutSignal(connectBudget)]);

    const connectDeadline = Date.now() + connectBudget;

    let route: Awaited<ReturnType<ProbeContext['net']['route']>> | undefined;
    if (socketFile) {
      // A socket on this machine is as local as loopback: allowed exactly when 127.0.0.1 is.
      ctx.net.assertAllowed('127.0.0.1', `PostgreSQL's Unix socket ${socketFile}`);
      out.socket = socketFile;
    } else {
      try {
        route = await ctx.net.route(connectHost, settings.port, connectSignal);
      } catch (error) {
        if (error instanceof ProbeError) throw error; // TARGET_NOT_ALLOWED: the tool refuses, it does not judge
        const c = classifyNetError(error);
        if (ctx.signal.aborted) throw error;
        if (['DNS_UNREACHABLE', 'DNS_TIMEOUT', 'DNS_REFUSED'].includes(c.code))
          throw new ProbeError(c.code, `the DNS resolver did not answer for ${connectHost}: ${c.message}`);
        out.error = { ...c, stage: 'route' };
        return done();
      }
      out.route = { connectHost: route.connectHost, connectPort: route.connectPort, via: route.via };
    }

    /** Opens the socket (TCP or Unix), or says why it could not. */
    const open = async (): Promise<Socket | DbConnectError> => {
      if (socketFile) {
        try {
          return await connectUnix(socketFile, connectSignal);
        } catch (error) {
          if (ctx.signal.aborted) throw error;
          return connectSignal.aborted ? { code: 'TIMEOUT', message: `no connection within ${connectBudget} ms`, stage: 'tcp' } : classifyPgError(error, 'tcp');
        }
      }
      try {
        const opened = await ctx.net.connect(route as NonNullable<typeof route>, { tls: false, signal: connectSignal });
        if (out.route) out.route.address = opened.address;
        return opened.socket;
      } catch (error) {
        if (error instanceof ProbeError && error.code === 'TARGET_NOT_ALLOWED') throw error;
        if (ctx.signal.aborted) throw error;
        return connectSignal.aborted
          ? { code: 'TIMEOUT', message: `no TCP connection within ${connectBudget} ms`, stage: 'tcp' }
          : classifyPgError(error, 'tcp');
      }
    };

    /** One login over a fresh socket, with or without TLS: the connected client, or why it failed. */
    const attempt = async (useTls: boolean): Promise<{ client: pg.Client; socket: Socket } | DbConnectError> => {
      const socket = await open();
      if ('stage' in socket) return socket;
      const client = new pg.Client({
        host,
        port: settings.port,
        user,
        password: password ?? '',
        database: dbname,
        application_name: 'matrixdoc',
        ssl: sslOptions(ctx, { sslmode: settings.sslmode, host, tls: useTls }),
        stream: () => preconnected(socket),
        connectionTimeoutMillis: Math.max(1, connectDeadline - Date.now()),
        query_timeout: statementTimeout + 500,
      });
      client.on('error', () => {}); // a connection lost after connect surfaces in the query that needed it
      // With TLS, pg reads from the TLS socket it made on top of ours: cap that one too.
      const connection = (client as unknown as { connection?: { on(e: 'sslconnect', f: () => void): void; stream: Socket } }).connection;
      connection?.on('sslconnect', () => capBytes(connection.stream));
      const onAbort = () => socket.destroy();
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      try {
        await client.connect();
        return { client, socket };
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        const e = classifyPgError(error, 'login');
        // The TCP connection was accepted (stage login): something listens there, but does not answer as PostgreSQL.
        if (e.code === 'TIMEOUT') e.message = `the TCP connection was accepted, but no answer from PostgreSQL within ${connectBudget} ms`;
        await close(client, socket);
        return e;
      } finally {
        ctx.signal.removeEventListener('abort', onAbort);
      }
    };

    // libpq's sequence for this sslmode; never TLS on a Unix socket.
    const plan = socketFile ? [false] : sslAttempts(settings.sslmode);
    const attempts: DbAttempt[] = [];
    let connected: { client: pg.Client; socket: Socket } | undefined;
    for (const useTls of plan) {
      const r = await attempt(useTls);
      if (!('code' in r)) {
        attempts.push({ tls: useTls });
        connected = r;
        break;
      }
      attempts.push({ tls: useTls, error: r });
      if (!retriesAfter(r, useTls) || Date.now() >= connectDeadline) break;
    }
    if (!socketFile) out.attempts = attempts;
    if (!connected) {
      const reported = reportedAttempt(attempts) as DbAttempt;
      out.tls = reported.tls;
      out.error = reported.error;
      return done();
    }
    out.tls = attempts[attempts.length - 1].tls;
    const { client, socket } = connected;
    const onAbort = () => socket.destroy();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      out.connected = true;
      const run = async (sql: string): Promise<Record<string, unknown> | undefined> => {
        out.statements.push(sql.replace(/\s+/g, ' ').trim());
        try {
          const r = await client.query(sql);
          return (r.rows[0] as Record<string, unknown> | undefined) ?? {};
        } catch (error) {
          const e = error as { code?: string; message?: string };
          out.queryErrors.push({
            query: sql.replace(/\s+/g, ' ').trim().slice(0, 80),
            ...(e.code ? { code: e.code } : {}),
            message: String(e.message ?? error),
          });
          return undefined;
        }
      };
      // Read-only from the first statement on: nothing below could change anything even if it tried.
      if (!(await run('SET default_transaction_read_only = on'))) return done();
      await run(`SET statement_timeout = ${statementTimeout}`);
      const s = await run(QUERIES.server);
      if (s) {
        out.server = {
          versionNum: Number(s.version_num),
          version: String(s.version),
          encoding: String(s.encoding),
          maxConnections: Number(s.max_connections),
          superuserReserved: Number(s.superuser_reserved),
          reserved: s.reserved === null || s.reserved === undefined || s.reserved === '' ? null : Number(s.reserved),
        };
      }
      const d = await run(QUERIES.database);
      if (d && isObject(d.db)) {
        const row = d.db;
        const providerLocale = row.datlocale ?? row.daticulocale;
        out.database = {
          name: String(row.datname),
          encoding: String(d.encoding),
          collate: String(row.datcollate),
          ctype: String(row.datctype),
          ...(typeof row.datlocprovider === 'string' ? { localeProvider: row.datlocprovider } : {}),
          ...(typeof providerLocale === 'string' ? { providerLocale } : {}),
          owner: String(d.owner),
          connLimit: Number(row.datconnlimit ?? -1),
        };
      }
      const r = await run(QUERIES.rights);
      if (r && r.name !== undefined) {
        out.role = {
          name: String(r.name),
          superuser: r.superuser === true,
          connLimit: Number(r.conn_limit ?? -1),
          ownsDatabase: r.owns_db === true,
          memberOfOwner: r.member_of_owner === true,
        };
        out.rights = {
          connect: r.db_connect === true,
          create: r.db_create === true,
          publicSchemaExists: r.public_exists === true,
          publicUsage: typeof r.public_usage === 'boolean' ? r.public_usage : null,
          publicCreate: typeof r.public_create === 'boolean' ? r.public_create : null,
          publicOwner: typeof r.public_owner === 'string' ? r.public_owner : null,
        };
      }
      const c = await run(QUERIES.connections);
      if (c && c.total !== undefined) out.connections = { total: Number(c.total), sameUser: Number(c.same_user), sameDatabase: Number(c.same_db) };
      return done();
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      await close(client, socket);
    }
  },
});
