// The database check through the built binary against a real PostgreSQL 15 (test/harness/postgres.ts),
// on loopback only: homeserver.yaml keeps Synapse's usual `host: localhost`, and --connect-to sends
// localhost:5432 to the private cluster. runCli sets --allow-targets to loopback.
// Needs `npm run build` first (test/run.sh does it).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../src/engine/types.js';
import { type PostgresHandle, startPostgres } from '../harness/postgres.js';
import { closedPort } from '../harness/processes.js';
import { assertBuilt, runCheckJson, runCli } from '../helpers/cli.js';
import { numberedFiles, tempDirs } from '../helpers/temp.js';
import { testCerts } from '../helpers/tls.js';

const dir = tempDirs('matrixdoc-db-it-')();
const write = numberedFiles(dir);
let pg: PostgresHandle;

before(async () => {
  assertBuilt();
  pg = await startPostgres();
});

after(async () => {
  await pg?.stop();
});

interface DbArgs {
  user?: string;
  password?: string;
  dbname?: string;
  host?: string;
  port?: number;
  cpMax?: number;
  extra?: string;
}
/** A homeserver.yaml with a psycopg2 database section, as Synapse's docs write it. */
function homeserver(a: DbArgs = {}): string {
  return write(
    'homeserver.yaml',
    `server_name: "example.com"
report_stats: false
database:
  name: psycopg2
${a.extra ?? ''}  args:
    user: "${a.user ?? 'synapse'}"
    password: "${a.password ?? 'synapsepw'}"
    dbname: "${a.dbname ?? 'synapse_good'}"
    host: "${a.host ?? 'localhost'}"
    port: ${a.port ?? 5432}
    cp_min: 5
    cp_max: ${a.cpMax ?? 10}
`,
  );
}

function check(file: string, port: number, extra: string[] = [], timeout = '3s') {
  return runCheckJson([
    'check',
    '--only',
    'database',
    '--homeserver-config',
    file,
    '--connect-to',
    `localhost:5432:127.0.0.1:${port}`,
    '--timeout',
    timeout,
    '--json',
    ...extra,
  ]);
}

describe('database check against a real PostgreSQL 15', () => {
  test('healthy (C collation, owner, cp_max 10 of 30): pass, and only SET/SELECT statements were sent', async () => {
    const capture = path.join(dir, 'capture-healthy');
    const r = await check(homeserver(), pg.port, ['--save-probes', capture]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.equal(r.check.status, 'pass');
    assert.deepEqual(r.ids, []);
    const saved = JSON.parse(readFileSync(path.join(capture, 'probes.json'), 'utf8'));
    const db = saved.results.database;
    assert.equal(db.status, 'ok');
    assert.equal(db.value.connected, true);
    assert.equal(db.value.database.collate, 'C');
    assert.equal(db.value.server.maxConnections, 30);
    assert.equal(db.value.route.address, '127.0.0.1');
    // libpq's default sslmode (prefer) asks for TLS first; this server has none, so the plain retry connects.
    assert.equal(db.value.tls, false);
    assert.deepEqual(
      db.value.attempts.map((a: { tls: boolean; error?: { code: string } }) => [a.tls, a.error?.code ?? null]),
      [
        [true, 'TLS_NOT_SUPPORTED'],
        [false, null],
      ],
    );
    assert.ok(db.value.statements.length >= 4);
    assert.equal(db.value.statements[0], 'SET default_transaction_read_only = on');
    for (const s of db.value.statements) assert.match(s, /^(SET (default_transaction_read_only|statement_timeout) |SELECT )/);
    assert.doesNotMatch(readFileSync(path.join(capture, 'probes.json'), 'utf8'), /synapsepw/);
  });

  test('wrong password: MXD-DB-005 password (28P01), and neither password is shown', async () => {
    const r = await check(homeserver({ password: 'not-the-password' }), pg.port);
    assert.equal(r.code, 1);
    assert.deepEqual(r.ids, ['MXD-DB-005:password']);
    assert.match(r.findings[0].message, /password authentication failed for user "synapse"/);
    assert.doesNotMatch(r.stdout + r.stderr, /not-the-password|synapsepw/);
  });

  test('missing database: MXD-DB-006 missing (3D000)', async () => {
    const r = await check(homeserver({ dbname: 'synapse_db' }), pg.port);
    assert.deepEqual(r.ids, ['MXD-DB-006:missing']);
  });

  test('wrong collation (C.UTF-8): MXD-DB-009 locale, with the SQL to recreate from template0 and move the data', async () => {
    const r = await check(homeserver({ dbname: pg.databases.cUtf8 }), pg.port);
    assert.equal(r.code, 1);
    assert.deepEqual(r.ids, ['MXD-DB-009:locale']);
    const f = r.findings[0];
    assert.equal(f.data.collate, 'C.UTF-8');
    const steps = f.fix?.steps.join('\n') ?? '';
    assert.match(
      steps,
      /CREATE DATABASE synapse_cutf8_c WITH OWNER synapse ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' LOCALE_PROVIDER libc TEMPLATE template0;/,
    );
    assert.match(steps, /pg_dump --format=custom/);
    assert.match(steps, /pg_restore/);
  });

  test('allow_unsafe_locale in args is reported from the file; under database: the locale becomes a warning', async () => {
    const file = homeserver({ dbname: pg.databases.cUtf8 });
    writeFileSync(file, readFileSync(file, 'utf8').replace('    cp_min: 5', '    allow_unsafe_locale: true\n    cp_min: 5'));
    const inArgs = await check(file, pg.port);
    assert.deepEqual(inArgs.ids, ['MXD-DB-002:unsafeLocaleInArgs', 'MXD-DB-009:locale']);
    const allowed = await check(homeserver({ dbname: pg.databases.cUtf8, extra: '  allow_unsafe_locale: true\n' }), pg.port);
    assert.deepEqual(allowed.ids, ['MXD-DB-009:unsafeAllowed']);
    assert.equal(allowed.check.status, 'warn');
  });

  test('SQL_ASCII: MXD-DB-008 encoding', async () => {
    const r = await check(homeserver({ dbname: pg.databases.sqlAscii }), pg.port);
    assert.deepEqual(r.ids, ['MXD-DB-008:encoding']);
  });

  test('a user without CREATE on schema public (PostgreSQL 15): MXD-DB-011 schemaCreate', async () => {
    const r = await check(homeserver({ user: pg.limited.user, password: pg.limited.password }), pg.port);
    assert.deepEqual(r.ids, ['MXD-DB-011:schemaCreate']);
  });

  test('too small max_connections (10) for cp_max 10: MXD-DB-010 overLimit', async () => {
    const small = await startPostgres({ maxConnections: 10 });
    try {
      const r = await check(homeserver(), small.port);
      assert.deepEqual(r.ids, ['MXD-DB-010:overLimit']);
      assert.deepEqual([r.findings[0].data.available, r.findings[0].data.maxConnections], [7, 10]);
    } finally {
      await small.stop();
    }
  });

  test('sslmode: require against a server without TLS: MXD-DB-004 tls', async () => {
    const file = homeserver();
    writeFileSync(file, readFileSync(file, 'utf8').replace('    cp_min: 5', '    sslmode: require\n    cp_min: 5'));
    const r = await check(file, pg.port);
    assert.deepEqual(r.ids, ['MXD-DB-004:tls']);
    assert.match(r.findings[0].message, /sslmode require/);
  });

  test('server down: MXD-DB-004 refused, well within the timeout', async () => {
    const closed = await closedPort();
    const r = await check(homeserver(), closed, [], '2s');
    assert.equal(r.code, 1);
    assert.deepEqual(r.ids, ['MXD-DB-004:refused']);
    assert.ok(r.elapsed < 10_000, `took ${r.elapsed} ms`);
  });

  test('a server that accepts and never answers: MXD-DB-004 silent before the probe timeout', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const r = await check(homeserver(), port, [], '1s');
      assert.deepEqual(r.ids, ['MXD-DB-004:silent'], `${r.stdout}\n${r.stderr}`);
      assert.match(r.findings[0].message, /within [1-9]\d* ms/);
      assert.equal(r.check.status, 'fail');
      assert.ok(r.elapsed < 10_000, `took ${r.elapsed} ms`);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  test('without a redirect, an address outside --allow-targets is refused, never contacted', async () => {
    const r = await runCli(['check', '--only', 'database', '--homeserver-config', homeserver({ host: '10.11.2.12' }), '--json', '--timeout', '2s']);
    assert.equal(r.code, 2);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.checks[0].status, 'error');
    assert.match(report.checks[0].reason ?? '', /TARGET_NOT_ALLOWED: refused to contact 10\.11\.2\.12/);
    assert.equal(report.probes.find((p) => p.id === 'database')?.error?.code, 'TARGET_NOT_ALLOWED');
  });

  test('--offline: the file alone (allow_unsafe_locale under args)', async () => {
    const file = homeserver();
    writeFileSync(file, readFileSync(file, 'utf8').replace('    cp_min: 5', '    allow_unsafe_locale: true\n    cp_min: 5'));
    const r = await runCli(['check', '--only', 'database', '--homeserver-config', file, '--offline', '--json']);
    const report = JSON.parse(r.stdout) as Report;
    assert.deepEqual(
      report.checks[0].findings.map((f) => `${f.code}:${f.messageId}`),
      ['MXD-DB-002:unsafeLocaleInArgs'],
    );
    assert.equal(report.probes.find((p) => p.id === 'database')?.status, 'skipped');
  });
  describe('a server with TLS whose pg_hba.conf has only hostssl lines (sslmode as libpq applies it)', () => {
    let tlsPg: PostgresHandle;
    before(async () => {
      tlsPg = await startPostgres({ tls: testCerts().leaf, hostsslOnly: true });
    });
    after(async () => {
      await tlsPg?.stop();
    });
    /** homeserver.yaml with `sslmode` (none: libpq's default, prefer). */
    const withSslmode = (sslmode?: string, a: DbArgs = {}) => {
      const file = homeserver(a);
      if (sslmode) writeFileSync(file, readFileSync(file, 'utf8').replace('    cp_min: 5', `    sslmode: ${sslmode}\n    cp_min: 5`));
      return file;
    };
    const probeValue = (capture: string) => JSON.parse(readFileSync(path.join(capture, 'probes.json'), 'utf8')).results.database.value;

    test('sslmode not set (prefer): TLS without checking the certificate, connected, no MXD-DB-005', async () => {
      const capture = path.join(dir, 'capture-hostssl-prefer');
      const r = await check(withSslmode(), tlsPg.port, ['--save-probes', capture]);
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      assert.deepEqual(r.ids, []);
      const value = probeValue(capture);
      assert.equal(value.connected, true);
      assert.equal(value.tls, true);
      assert.deepEqual(value.attempts, [{ tls: true }]);
    });

    test('sslmode: disable: MXD-DB-005 hba (no encryption), a true finding; the evidence says the login was plain', async () => {
      const r = await check(withSslmode('disable'), tlsPg.port);
      assert.equal(r.code, 1);
      assert.deepEqual(r.ids, ['MXD-DB-005:hba']);
      const f = r.findings[0];
      assert.match(f.message, /no pg_hba\.conf entry for host "127\.0\.0\.1", user "synapse", database "synapse_good", no encryption/);
      assert.equal((f.evidence as { tls?: boolean }).tls, false);
      assert.match(f.fix?.summary ?? '', /only over TLS \(hostssl\)/);
    });

    test('sslmode: allow: the plain login refused by pg_hba.conf, then TLS connects', async () => {
      const capture = path.join(dir, 'capture-hostssl-allow');
      const r = await check(withSslmode('allow'), tlsPg.port, ['--save-probes', capture]);
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      assert.deepEqual(r.ids, []);
      const value = probeValue(capture);
      assert.equal(value.tls, true);
      assert.deepEqual(
        value.attempts.map((a: { tls: boolean; error?: { sqlstate?: string } }) => [a.tls, a.error?.sqlstate ?? null]),
        [
          [false, '28000'],
          [true, null],
        ],
      );
    });

    test('sslmode: verify-full with the test CA (--ca-file): connected over checked TLS', async () => {
      const r = await check(withSslmode('verify-full'), tlsPg.port, ['--ca-file', testCerts().ca.certFile]);
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      assert.deepEqual(r.ids, []);
    });

    test("prefer with a wrong password: MXD-DB-005 password from the TLS login, not the plain retry's pg_hba.conf refusal", async () => {
      const r = await check(withSslmode(undefined, { password: 'not-the-password' }), tlsPg.port);
      assert.deepEqual(r.ids, ['MXD-DB-005:password']);
      assert.equal((r.findings[0].evidence as { tls?: boolean }).tls, true);
      assert.doesNotMatch(r.stdout + r.stderr, /not-the-password|synapsepw/);
    });
  });

  describe('through the Unix socket (host: a folder), as libpq connects', () => {
    const viaSocket = (a: DbArgs, extra: string[] = []) =>
      runCheckJson([
        'check',
        '--only',
        'database',
        '--homeserver-config',
        homeserver({ host: pg.socketDir, port: pg.port, ...a }),
        '--timeout',
        '3s',
        '--json',
        ...extra,
      ]);

    test('a password login on the socket: the live checks run (no MXD-DB-003), the socket file is the evidence', async () => {
      const capture = path.join(dir, 'capture-socket');
      const r = await viaSocket({}, ['--save-probes', capture]);
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      assert.equal(r.check.status, 'pass');
      assert.deepEqual(r.ids, []);
      const saved = readFileSync(path.join(capture, 'probes.json'), 'utf8');
      const value = JSON.parse(saved).results.database.value;
      assert.equal(value.socket, path.join(pg.socketDir, `.s.PGSQL.${pg.port}`));
      assert.equal(value.route, undefined);
      assert.equal(value.connected, true);
      assert.equal(value.database.collate, 'C');
      assert.doesNotMatch(saved, /synapsepw/);
      assert.doesNotMatch(r.stdout, /synapsepw/);
    });

    test('the live findings come through the socket too: a database with C.UTF-8 collation', async () => {
      const r = await viaSocket({ dbname: pg.databases.cUtf8 });
      assert.deepEqual(r.ids, ['MXD-DB-009:locale']);
    });

    test('a peer-only role: MXD-DB-005 peer, a warning that says to run matrixdoc as the OS user Synapse runs as', async () => {
      const r = await viaSocket({ user: pg.peerUser, password: '' });
      assert.deepEqual(r.ids, ['MXD-DB-005:peer']);
      const f = r.findings[0];
      assert.equal(f.severity, 'warning');
      assert.match(f.message, /Peer authentication failed for user "peer_only"/);
      assert.match(f.fix?.steps.join('\n') ?? '', /sudo -u peer_only matrixdoc check/);
    });

    test('a socket folder that is not on this machine: MXD-DB-003 socket, the probe skipped, nothing contacted', async () => {
      const r = await viaSocket({ host: path.join(dir, 'no-such-folder') });
      assert.deepEqual(r.ids, ['MXD-DB-003:socket']);
      const probe = r.report.probes.find((p) => p.id === 'database');
      assert.equal(probe?.status, 'skipped');
      assert.match(probe?.reason ?? '', /is not on this machine: run matrixdoc on the database host/);
    });

    test('a stale socket file (its server killed): MXD-DB-004 refused', async () => {
      const folder = path.join(dir, 'stale-socket');
      mkdirSync(folder, { recursive: true });
      const file = path.join(folder, '.s.PGSQL.5432');
      // A server killed with SIGKILL leaves its socket file behind, with nothing listening on it.
      const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(file)}, () => console.log('up'))`], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await once(child.stdout, 'data');
      child.kill('SIGKILL');
      await once(child, 'exit');
      assert.ok(statSync(file).isSocket());
      const r = await viaSocket({ host: folder, port: 5432 });
      assert.deepEqual(r.ids, ['MXD-DB-004:refused']);
    });

    test('--allow-targets without loopback: the socket is refused like a loopback address, never opened', async () => {
      const r = await viaSocket({}, ['--allow-targets', '10.0.0.0/8']);
      assert.equal(r.code, 2);
      assert.match(r.check.reason ?? '', /TARGET_NOT_ALLOWED: refused to contact 127\.0\.0\.1 \(PostgreSQL's Unix socket /);
    });
  });
});
