// A private PostgreSQL 15 cluster for the tests (Debian's binaries, initdb into a temporary folder, run
// in the foreground as the postgres user on a free loopback port): databases with the collation Synapse
// needs (C) and ones it refuses (C.UTF-8, SQL_ASCII), and roles with and without rights. Optionally with
// TLS (`ssl=on`, a certificate from the test CA) and a pg_hba.conf that admits TCP logins only over TLS
// (`hostssl` lines only, as servers that require encryption are set up).

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, stopProcess, track, waitForPort } from './processes.js';

export const PG_BIN = ['/usr/lib/postgresql/15/bin', ...listVersions()].find((d) => existsSync(path.join(d, 'postgres'))) ?? '/usr/lib/postgresql/15/bin';

function listVersions(): string[] {
  try {
    return readdirSync('/usr/lib/postgresql')
      .sort()
      .reverse()
      .map((v) => `/usr/lib/postgresql/${v}/bin`);
  } catch {
    return [];
  }
}

export interface PostgresHandle {
  port: number;
  maxConnections: number;
  /** Role `synapse` (password `synapsepw`) owns synapse_good (C), synapse_cutf8 (C.UTF-8) and synapse_ascii (SQL_ASCII). */
  user: string;
  password: string;
  databases: { good: string; cUtf8: string; sqlAscii: string };
  /** A role that can log in but owns nothing and may not create in synapse_good's public schema. */
  limited: { user: string; password: string };
  /** The folder of the server's Unix socket (`.s.PGSQL.<port>`): passwords there, except `peer` for peerUser. */
  socketDir: string;
  /** A role pg_hba.conf admits on the socket by `peer` only: the OS user must have its name. */
  peerUser: string;
  /** The server speaks TLS (ssl=on). */
  tls: boolean;
  /** pg_hba.conf admits TCP logins only over TLS (`hostssl` lines, no `host` ones). */
  hostsslOnly: boolean;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  maxConnections?: number;
  /** Turn TLS on with this certificate and key (PEM files, e.g. testCerts().leaf); copied into the cluster. */
  tls?: { certFile: string; keyFile: string };
  /** Only `hostssl` lines for TCP in pg_hba.conf (needs `tls`): plain TCP logins get 28000 "no encryption". */
  hostsslOnly?: boolean;
}

function ids(name: string): { uid: number; gid: number } {
  const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`no '${name}' user: install postgresql`);
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

export async function startPostgres(opts: PostgresOptions = {}): Promise<PostgresHandle> {
  const maxConnections = opts.maxConnections ?? 30;
  const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-pg-'));
  const data = path.join(dir, 'data');
  const run = path.join(dir, 'run');
  mkdirSync(run);
  const pg = ids('postgres');
  chownSync(dir, pg.uid, pg.gid);
  chownSync(run, pg.uid, pg.gid);
  const asPostgres = { uid: pg.uid, gid: pg.gid, encoding: 'utf8' as const, cwd: dir };
  // initdb refuses to run as root: run it (and the server) as the postgres user.
  const init = spawnSync(
    path.join(PG_BIN, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8'],
    asPostgres,
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${init.stderr}`);
  }
  // As Debian's default pg_hba.conf, but with passwords on the socket too (and one peer-only role): the
  // setup below logs in as postgres by trust.
  const tcp = opts.hostsslOnly ? 'hostssl' : 'host';
  writeFileSync(
    path.join(data, 'pg_hba.conf'),
    [
      'local all postgres trust',
      'local all peer_only peer',
      'local all all scram-sha-256',
      `${tcp} all all 127.0.0.1/32 scram-sha-256`,
      `${tcp} all all ::1/128 scram-sha-256`,
      '',
    ].join('\n'),
  );
  chownSync(path.join(data, 'pg_hba.conf'), pg.uid, pg.gid);
  // PostgreSQL refuses a key file others can read: copies owned by postgres, the key 0600.
  const tlsArgs: string[] = [];
  if (opts.tls) {
    const cert = path.join(data, 'server.crt');
    const key = path.join(data, 'server.key');
    copyFileSync(opts.tls.certFile, cert);
    copyFileSync(opts.tls.keyFile, key);
    for (const f of [cert, key]) chownSync(f, pg.uid, pg.gid);
    chmodSync(key, 0o600);
    tlsArgs.push('-c', 'ssl=on', '-c', `ssl_cert_file=${cert}`, '-c', `ssl_key_file=${key}`);
  }
  const port = await freePort();
  const child = spawn(
    path.join(PG_BIN, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${run}`,
      '-c',
      `max_connections=${maxConnections}`,
      '-c',
      'fsync=off',
      ...tlsArgs,
    ],
    { uid: pg.uid, gid: pg.gid, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  track(child);
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const stop = async () => {
    // SIGINT is PostgreSQL's "fast shutdown".
    if (child.exitCode === null) child.kill('SIGINT');
    await stopProcess(child, 5000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, '127.0.0.1', 10_000, () => child.exitCode === null);
    const sql = `
CREATE ROLE synapse LOGIN PASSWORD 'synapsepw';
CREATE ROLE limited LOGIN PASSWORD 'limitedpw';
CREATE ROLE peer_only LOGIN;
CREATE DATABASE synapse_good OWNER synapse ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
CREATE DATABASE synapse_cutf8 OWNER synapse ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0;
CREATE DATABASE synapse_ascii OWNER synapse ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\\connect synapse_good
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
`;
    const file = path.join(dir, 'setup.sql');
    writeFileSync(file, sql);
    // The port opens before the server accepts logins ("the database system is starting up"): retry briefly.
    let psql = spawnSync('true', [], { encoding: 'utf8' });
    for (let attempt = 0; attempt < 50; attempt++) {
      psql = spawnSync(
        path.join(PG_BIN, 'psql'),
        ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', run, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-f', file],
        asPostgres,
      );
      if (psql.status === 0 || !/starting up/.test(String(psql.stderr))) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (psql.status !== 0) throw new Error(`setup failed: ${psql.stderr}`);
  } catch (error) {
    await stop();
    throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${stderr}`);
  }
  return {
    port,
    maxConnections,
    user: 'synapse',
    password: 'synapsepw',
    databases: { good: 'synapse_good', cUtf8: 'synapse_cutf8', sqlAscii: 'synapse_ascii' },
    limited: { user: 'limited', password: 'limitedpw' },
    socketDir: run,
    peerUser: 'peer_only',
    tls: Boolean(opts.tls),
    hostsslOnly: Boolean(opts.hostsslOnly),
    stop,
  };
}
