// database: every code and message it declares, from homeserver.yaml alone and from hand-made
// `database` probe results (what PostgreSQL answered), through the real engine (judge), no I/O.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import check from '../../checks/database/index.js';
import { createDatabaseSql, recreateSteps } from '../../checks/database/postgres-facts.js';
import type { CheckResult } from '../../src/engine/types.js';
import { parseYaml } from '../../src/parse/yaml.js';
import { type DatabaseArtifact, type DbConnectError, readDatabaseSettings, reportedAttempt, retriesAfter, sslAttempts } from '../../src/probes/database.js';
import { Coverage, codes, homeserverArtifact, judge, one } from '../helpers/judge.js';

const coverage = new Coverage(check);

const PG = `server_name: "example.com"
report_stats: false
database:
  name: psycopg2
  args:
    user: synapse
    password: "s3cret-db-pw"
    dbname: synapse
    host: localhost
    port: 5432
    cp_min: 5
    cp_max: 10
`;

/** A healthy PostgreSQL 15 answer for PG. */
function healthy(over: Partial<DatabaseArtifact> = {}): DatabaseArtifact {
  return {
    host: 'localhost',
    port: 5432,
    user: 'synapse',
    dbname: 'synapse',
    route: { connectHost: '127.0.0.1', connectPort: 5432, address: '127.0.0.1', via: 'connect-to' },
    connected: true,
    server: { versionNum: 150010, version: '15.10 (Debian 15.10-0+deb12u1)', encoding: 'UTF8', maxConnections: 100, superuserReserved: 3, reserved: null },
    database: { name: 'synapse', encoding: 'UTF8', collate: 'C', ctype: 'C', localeProvider: 'c', owner: 'synapse', connLimit: -1 },
    role: { name: 'synapse', superuser: false, connLimit: -1, ownsDatabase: true, memberOfOwner: true },
    rights: { connect: true, create: true, publicSchemaExists: true, publicUsage: true, publicCreate: true, publicOwner: 'pg_database_owner' },
    connections: { total: 4, sameUser: 3, sameDatabase: 3 },
    queryErrors: [],
    statements: [],
    durationMs: 12,
    ...over,
  };
}

function failed(error: DatabaseArtifact['error']): DatabaseArtifact {
  const { server, database, role, rights, connections, ...rest } = healthy();
  void server;
  void database;
  void role;
  void rights;
  void connections;
  return { ...rest, connected: false, error };
}

async function run(yaml: string, database?: unknown): Promise<CheckResult> {
  return coverage.record(await judge(check, { homeserverConfig: homeserverArtifact(yaml), ...(database === undefined ? {} : { database }) }));
}

describe('database: status', () => {
  test('a healthy PostgreSQL passes with no findings', async () => {
    const r = await run(PG, healthy());
    assert.equal(r.status, 'pass');
    assert.deepEqual(r.findings, []);
  });

  test('offline (database probe skipped): the file alone, which is fine here, passes', async () => {
    const r = await run(PG, { status: 'skipped', reason: '--offline: no network probes', durationMs: 0 });
    assert.equal(r.status, 'pass');
  });

  test('skip without homeserver.yaml', async () => {
    const r = await judge(check, { homeserverConfig: { status: 'skipped', reason: 'no homeserver.yaml given (--homeserver-config)', durationMs: 0 } });
    assert.equal(r.status, 'skip');
  });

  test('a refused target (TARGET_NOT_ALLOWED) makes the check error, keeping what the file shows', async () => {
    const yaml = PG.replace('    cp_min: 5', '    allow_unsafe_locale: true\n    cp_min: 5');
    const r = await run(yaml, {
      status: 'error',
      error: { code: 'TARGET_NOT_ALLOWED', message: 'refused to contact 10.11.2.12 (localhost:5432): outside --allow-targets' },
      durationMs: 1,
    });
    assert.equal(r.status, 'error');
    assert.match(r.reason ?? '', /^database: TARGET_NOT_ALLOWED/);
    assert.deepEqual(codes(r), ['MXD-DB-002:unsafeLocaleInArgs']);
  });

  test('an unreadable homeserver.yaml gives nothing to judge (homeserver-config reports it)', async () => {
    const r = await run('server_name: [unclosed\n');
    assert.deepEqual(r.findings, []);
  });

  test('findings carry docs links, rendered messages and no password', async () => {
    const r = await run(PG, failed({ code: 'PG_28P01', sqlstate: '28P01', message: 'password authentication failed for user "synapse"', stage: 'login' }));
    assert.ok(r.findings.length > 0);
    for (const f of r.findings) {
      assert.equal(f.check, 'database');
      assert.equal(f.docs, `docs/codes/${f.code}.md`);
      assert.doesNotMatch(f.message, /\{\{/);
    }
    assert.doesNotMatch(JSON.stringify(r), /s3cret-db-pw/);
  });
});

describe('database: homeserver.yaml', () => {
  test('MXD-DB-001 sqlite / sqliteDefault', async () => {
    const r = await run('server_name: x\ndatabase:\n  name: sqlite3\n  args:\n    database: /data/homeserver.db\n');
    const f = one(r, 'MXD-DB-001', 'sqlite');
    assert.equal(f.severity, 'warning');
    assert.equal(f.location?.line, 3);
    assert.equal(f.evidence.file, '/data/homeserver.db');
    assert.equal(r.status, 'warn');
    const d = await run('server_name: x\nreport_stats: false\n');
    one(d, 'MXD-DB-001', 'sqliteDefault');
    assert.equal(codes(d).length, 1);
  });

  test('MXD-DB-002 unsafeLocaleInArgs: moved up one level by the fix', async () => {
    const yaml = PG.replace('    cp_min: 5', '    allow_unsafe_locale: true\n    cp_min: 5');
    const r = await run(yaml);
    const f = one(r, 'MXD-DB-002', 'unsafeLocaleInArgs');
    assert.match(f.message, /invalid connection option "allow_unsafe_locale"/);
    assert.equal(f.location?.line, 11);
    assert.deepEqual(
      f.fix?.edits.map((e) => [e.kind, (e as { path: unknown }).path]),
      [
        ['yaml-delete', ['database', 'args', 'allow_unsafe_locale']],
        ['yaml-set', ['database', 'allow_unsafe_locale']],
      ],
    );
  });

  test('allow_unsafe_locale directly under database: is where Synapse reads it (no finding)', async () => {
    const r = await run(PG.replace('  name: psycopg2\n', '  name: psycopg2\n  allow_unsafe_locale: true\n'));
    assert.deepEqual(r.findings, []);
    assert.equal(
      readDatabaseSettings(parseYaml(PG.replace('  name: psycopg2\n', '  name: psycopg2\n  allow_unsafe_locale: true\n')).value as Record<string, unknown>)
        .allowUnsafeLocale,
      true,
    );
  });

  test('MXD-DB-002 bothKeys and cpMinOverMax', async () => {
    const both = await run(`${PG}databases:\n  main:\n    name: psycopg2\n    data_stores: [main]\n    args: {}\n`);
    one(both, 'MXD-DB-002', 'bothKeys');
    const cp = await run(PG.replace('cp_min: 5', 'cp_min: 20'));
    const f = one(cp, 'MXD-DB-002', 'cpMinOverMax');
    assert.deepEqual(f.data, { cpMin: 20, cpMax: 10 });
    // Twisted's defaults count: cp_min 8 with no cp_max is over the default 5.
    const dflt = await run(PG.replace('    cp_max: 10\n', '').replace('cp_min: 5', 'cp_min: 8'));
    assert.deepEqual(one(dflt, 'MXD-DB-002', 'cpMinOverMax').data, { cpMin: 8, cpMax: 5 });
  });

  test('MXD-DB-003 socket: a path host, or no host at all (libpq default)', async () => {
    const r = await run(PG.replace('host: localhost', 'host: /run/postgresql'));
    const f = one(r, 'MXD-DB-003', 'socket');
    assert.equal(f.severity, 'info');
    assert.equal(f.data.socket, '/run/postgresql');
    assert.equal(r.status, 'pass');
    const none = await run(PG.replace('    host: localhost\n', ''));
    assert.equal(one(none, 'MXD-DB-003', 'socket').data.socket, '/var/run/postgresql');
  });

  test('a socket the probe could follow (on this machine): no MXD-DB-003, the live findings name the socket file', async () => {
    const file = '/run/postgresql/.s.PGSQL.5432';
    const { route, ...overSocket } = healthy({ host: '/run/postgresql', socket: file });
    void route;
    const ok = await run(PG.replace('host: localhost', 'host: /run/postgresql'), overSocket);
    assert.deepEqual(ok.findings, []);
    const { route: r2, ...down } = failed({ code: 'CONN_REFUSED', message: 'connect ECONNREFUSED ' + file, stage: 'tcp' });
    void r2;
    const refused = await run(PG.replace('host: localhost', 'host: /run/postgresql'), { ...down, host: '/run/postgresql', socket: file });
    assert.match(one(refused, 'MXD-DB-004', 'refused').message, /^Nothing accepts connections at \/run\/postgresql\/\.s\.PGSQL\.5432 /);
  });

  test("MXD-DB-005 peer: peer authentication on the socket judged matrixdoc's OS user, a warning with the command to run as the right one", async () => {
    const socketYaml = PG.replace('host: localhost', 'host: /run/postgresql');
    const peer = { code: 'PG_28000', sqlstate: '28000', message: 'Peer authentication failed for user "synapse"', stage: 'login' as const };
    const r = await run(socketYaml, { ...failed(peer), host: '/run/postgresql', socket: '/run/postgresql/.s.PGSQL.5432' });
    const f = one(r, 'MXD-DB-005', 'peer');
    assert.equal(f.severity, 'warning');
    assert.equal(r.status, 'warn');
    assert.match(f.fix?.summary ?? '', /Run matrixdoc as the OS user that peer authentication expects \(synapse/);
    assert.match(f.fix?.steps[0] ?? '', /^sudo -u synapse matrixdoc check --only database --homeserver-config /);
    // The same words over TCP (an ident rule, say) are not about matrixdoc's OS user: pg_hba.conf's verdict.
    const tcp = await run(PG, failed({ ...peer, message: 'Ident authentication failed for user "synapse"' }));
    one(tcp, 'MXD-DB-005', 'hba');
  });

  test('the databases: form is read through its main data store', () => {
    const s = readDatabaseSettings(
      parseYaml(
        'databases:\n  state:\n    name: psycopg2\n    data_stores: [state]\n    args: {user: a}\n  basic:\n    name: psycopg2\n    data_stores: [main]\n    args:\n      user: b\n      database: synapse_main\n      host: db\n',
      ).value as Record<string, unknown>,
    );
    assert.deepEqual(s.path, ['databases', 'basic']);
    assert.equal(s.user, 'b');
    assert.equal(s.dbname, 'synapse_main');
    assert.equal(s.dbnameKey, 'database');
  });
});

describe('database: reaching PostgreSQL', () => {
  const cases: [string, DatabaseArtifact['error']][] = [
    ['refused', { code: 'CONN_REFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432', stage: 'tcp' }],
    ['unreachable', { code: 'HOST_UNREACHABLE', message: 'connect EHOSTUNREACH 10.0.0.9:5432', stage: 'tcp' }],
    ['timeout', { code: 'TIMEOUT', message: 'no TCP connection within 3000 ms', stage: 'tcp' }],
    ['silent', { code: 'TIMEOUT', message: 'the TCP connection was accepted, but no answer from PostgreSQL within 3000 ms', stage: 'login' }],
    ['dns', { code: 'DNS_NXDOMAIN', message: 'getaddrinfo ENOTFOUND db.example', stage: 'route' }],
    ['closed', { code: 'CONN_CLOSED', message: 'Connection terminated unexpectedly', stage: 'login' }],
    ['tls', { code: 'TLS_NOT_SUPPORTED', message: 'The server does not support SSL connections', stage: 'tls' }],
    ['failed', { code: 'PG_57P03', sqlstate: '57P03', message: 'the database system is starting up', stage: 'login' }],
  ];
  for (const [messageId, error] of cases) {
    test(`MXD-DB-004 ${messageId}`, async () => {
      const r = await run(PG, failed(error));
      const f = one(r, 'MXD-DB-004', messageId);
      assert.equal(r.status, 'fail');
      assert.equal(f.location?.line, 9, 'points at args.host');
      assert.ok(f.fix);
    });
  }

  test('MXD-DB-004 timeout names the time waited', async () => {
    const r = await run(PG, failed({ code: 'TIMEOUT', message: 'no TCP connection within 3000 ms', stage: 'tcp' }));
    assert.match(one(r, 'MXD-DB-004', 'timeout').message, /within 3000 ms/);
  });

  test('MXD-DB-005 password (28P01), hba and noRole (28000)', async () => {
    const pw = await run(PG, failed({ code: 'PG_28P01', sqlstate: '28P01', message: 'password authentication failed for user "synapse"', stage: 'login' }));
    const f = one(pw, 'MXD-DB-005', 'password');
    assert.equal(f.location?.line, 7, 'points at args.password');
    assert.doesNotMatch(JSON.stringify(f), /s3cret-db-pw/);
    const hba = await run(
      PG,
      failed({
        code: 'PG_28000',
        sqlstate: '28000',
        message: 'no pg_hba.conf entry for host "10.0.0.5", user "synapse", database "synapse", no encryption',
        stage: 'login',
      }),
    );
    assert.match(one(hba, 'MXD-DB-005', 'hba').message, /no pg_hba\.conf entry for host "10\.0\.0\.5"/);
    const role = await run(PG, failed({ code: 'PG_28000', sqlstate: '28000', message: 'role "synapse" does not exist', stage: 'login' }));
    one(role, 'MXD-DB-005', 'noRole');
  });

  test("MXD-DB-005 hba with sslmode disable against hostssl-only lines ('no encryption'): the fix says to let Synapse use TLS", async () => {
    const noEncryption: DbConnectError = {
      code: 'PG_28000',
      sqlstate: '28000',
      message: 'no pg_hba.conf entry for host "127.0.0.1", user "synapse", database "synapse", no encryption',
      stage: 'login',
    };
    const disabled = PG.replace('    cp_min: 5', '    sslmode: disable\n    cp_min: 5');
    const r = await run(disabled, { ...failed(noEncryption), sslmode: 'disable', tls: false, attempts: [{ tls: false, error: noEncryption }] });
    const f = one(r, 'MXD-DB-005', 'hba');
    assert.equal(r.status, 'fail');
    assert.match(f.fix?.summary ?? '', /only over TLS \(hostssl\) and database\.args\.sslmode is disable/);
    assert.match(f.fix?.steps.join('\n') ?? '', /sslmode: prefer/);
    assert.equal((f.evidence as { tls?: boolean }).tls, false);
    // The same refusal with TLS allowed (another address, say) keeps the plain pg_hba.conf fix.
    const plain = await run(PG, { ...failed(noEncryption), tls: false });
    const g = one(plain, 'MXD-DB-005', 'hba');
    assert.match(g.fix?.summary ?? '', /Add a pg_hba\.conf line/);
    assert.equal((g.evidence as { sslmode?: string }).sslmode, 'prefer');
  });

  test('MXD-DB-006 missing (3D000), with the CREATE DATABASE Synapse needs', async () => {
    const r = await run(PG, failed({ code: 'PG_3D000', sqlstate: '3D000', message: 'database "synapse" does not exist', stage: 'login' }));
    const f = one(r, 'MXD-DB-006', 'missing');
    assert.equal(f.location?.line, 8, 'points at args.dbname');
    assert.match(f.fix?.steps.join('\n') ?? '', /LC_COLLATE 'C' LC_CTYPE 'C'.*TEMPLATE template0/);
  });

  test('MXD-DB-010 full (53300) and MXD-DB-011 connect (42501) at login', async () => {
    const full = await run(PG, failed({ code: 'PG_53300', sqlstate: '53300', message: 'sorry, too many clients already', stage: 'login' }));
    one(full, 'MXD-DB-010', 'full');
    const denied = await run(PG, failed({ code: 'PG_42501', sqlstate: '42501', message: 'permission denied for database "synapse"', stage: 'login' }));
    one(denied, 'MXD-DB-011', 'connect');
  });
});

describe('database: what PostgreSQL says about itself', () => {
  test('MXD-DB-007 tooOld below 14', async () => {
    const r = await run(PG, healthy({ server: { ...healthy().server!, versionNum: 130016, version: '13.16' } }));
    const f = one(r, 'MXD-DB-007', 'tooOld');
    assert.match(f.message, /PostgreSQL 13\.16 is older than 14/);
    assert.match(f.message, /"Synapse requires PostgreSQL 14 or above\."/);
  });

  test('MXD-DB-008 encoding (SQL_ASCII), with the move to a new database', async () => {
    const r = await run(PG, healthy({ server: { ...healthy().server!, encoding: 'SQL_ASCII' }, database: { ...healthy().database!, encoding: 'SQL_ASCII' } }));
    const f = one(r, 'MXD-DB-008', 'encoding');
    assert.match(f.fix?.steps.join('\n') ?? '', /pg_dump .*pg_restore/s);
  });

  test('MXD-DB-009 locale: C.UTF-8 is not C; the fix creates from template0 and moves the data, never automatically', async () => {
    const r = await run(PG, healthy({ database: { ...healthy().database!, collate: 'C.UTF-8', ctype: 'C.UTF-8' } }));
    const f = one(r, 'MXD-DB-009', 'locale');
    assert.equal(f.severity, 'error');
    assert.match(f.message, /C\.UTF-8 is not C/);
    assert.deepEqual(f.fix?.edits, []);
    const steps = f.fix?.steps.join('\n') ?? '';
    assert.ok(steps.includes(createDatabaseSql('synapse_c', 'synapse', 150010)), steps);
    assert.match(steps, /LOCALE_PROVIDER libc TEMPLATE template0/);
    assert.match(steps, /pg_dump --format=custom/);
    assert.match(steps, /pg_restore --no-owner --role=synapse --dbname=synapse_c/);
    assert.match(steps, /ALTER DATABASE synapse RENAME TO synapse_old/);
  });

  test('MXD-DB-009 unsafeAllowed (warning) when allow_unsafe_locale is under database:', async () => {
    const yaml = PG.replace('  name: psycopg2\n', '  name: psycopg2\n  allow_unsafe_locale: true\n');
    const r = await run(yaml, healthy({ database: { ...healthy().database!, collate: 'en_US.UTF-8', ctype: 'en_US.UTF-8' } }));
    assert.equal(one(r, 'MXD-DB-009', 'unsafeAllowed').severity, 'warning');
    assert.equal(r.status, 'warn');
    // Under args it does not count: Synapse would not even connect, and the locale is still an error.
    const inArgs = await run(
      PG.replace('    cp_min: 5', '    allow_unsafe_locale: true\n    cp_min: 5'),
      healthy({ database: { ...healthy().database!, collate: 'C.UTF-8', ctype: 'C' } }),
    );
    assert.deepEqual(codes(inArgs).sort(), ['MXD-DB-002:unsafeLocaleInArgs', 'MXD-DB-009:locale']);
  });

  test('MXD-DB-009 icu: C collation, but the ICU provider sorts', async () => {
    const r = await run(PG, healthy({ database: { ...healthy().database!, localeProvider: 'i', providerLocale: 'en-US' } }));
    const f = one(r, 'MXD-DB-009', 'icu');
    assert.equal(f.severity, 'warning');
    assert.equal(f.data.providerLocale, 'en-US');
  });

  test('MXD-DB-010 overLimit: cp_max 10 against max_connections 10 minus 3 reserved', async () => {
    const r = await run(PG, healthy({ server: { ...healthy().server!, maxConnections: 10 }, connections: { total: 0, sameUser: 0, sameDatabase: 0 } }));
    const f = one(r, 'MXD-DB-010', 'overLimit');
    assert.deepEqual([f.data.available, f.data.reserved, f.data.maxConnections], [7, 3, 10]);
    assert.equal(f.location?.line, 12, 'points at cp_max');
    // PostgreSQL 16's reserved_connections counts too.
    const r16 = await run(PG, healthy({ server: { ...healthy().server!, maxConnections: 14, reserved: 2 } }));
    assert.equal(one(r16, 'MXD-DB-010', 'overLimit').data.available, 9);
  });

  test('MXD-DB-010 crowded (warning): other roles leave fewer free than cp_max', async () => {
    const r = await run(PG, healthy({ server: { ...healthy().server!, maxConnections: 20 }, connections: { total: 12, sameUser: 2, sameDatabase: 3 } }));
    const f = one(r, 'MXD-DB-010', 'crowded');
    assert.equal(f.severity, 'warning');
    assert.deepEqual([f.data.room, f.data.others], [7, 10]);
  });

  test('MXD-DB-010 roleLimit and dbLimit', async () => {
    const r = await run(PG, healthy({ role: { ...healthy().role!, connLimit: 4 }, database: { ...healthy().database!, connLimit: 6 } }));
    assert.equal(one(r, 'MXD-DB-010', 'roleLimit').data.limit, 4);
    assert.equal(one(r, 'MXD-DB-010', 'dbLimit').data.limit, 6);
  });

  test('MXD-DB-011 rights: CONNECT, USAGE, CREATE on public, and a missing public schema', async () => {
    const limited = healthy({
      role: { ...healthy().role!, ownsDatabase: false, memberOfOwner: false },
      rights: { connect: false, create: false, publicSchemaExists: true, publicUsage: false, publicCreate: false, publicOwner: 'pg_database_owner' },
    });
    const r = await run(PG, limited);
    assert.deepEqual(codes(r), ['MXD-DB-011:connect', 'MXD-DB-011:schemaUsage', 'MXD-DB-011:schemaCreate']);
    assert.match(one(r, 'MXD-DB-011', 'schemaCreate').fix?.steps[0] ?? '', /GRANT CREATE ON SCHEMA public TO synapse;/);
    const noSchema = await run(
      PG,
      healthy({ rights: { ...healthy().rights!, publicSchemaExists: false, publicUsage: null, publicCreate: null, publicOwner: null } }),
    );
    one(noSchema, 'MXD-DB-011', 'noPublicSchema');
  });

  test('a superuser has every right and the reserved slots: no rights or pool findings', async () => {
    const r = await run(
      PG,
      healthy({
        role: { name: 'synapse', superuser: true, connLimit: 2, ownsDatabase: false, memberOfOwner: false },
        rights: { connect: true, create: true, publicSchemaExists: true, publicUsage: false, publicCreate: false, publicOwner: 'postgres' },
        server: { ...healthy().server!, maxConnections: 10 },
        connections: { total: 3, sameUser: 3, sameDatabase: 3 },
      }),
    );
    assert.deepEqual(r.findings, []);
  });
});

describe('database: the SQL it proposes', () => {
  test('identifiers are quoted when needed, and PostgreSQL 14 gets no LOCALE_PROVIDER', () => {
    assert.equal(
      createDatabaseSql('Synapse-DB', 'synapse', 140000),
      `CREATE DATABASE "Synapse-DB" WITH OWNER synapse ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;`,
    );
    const steps = recreateSteps('synapse_db', 'synapse', 150000);
    assert.match(steps[0], /Stop Synapse/);
    assert.ok(
      steps.every((s) => !/DROP DATABASE synapse_db;/.test(s)),
      'never drops the original under its own name',
    );
  });
});

test('every code and message of the database check is covered', () => {
  assert.deepEqual(coverage.missing(), []);
});

describe("database: libpq's sslmode sequence", () => {
  const hba: DbConnectError = { code: 'PG_28000', sqlstate: '28000', message: 'no pg_hba.conf entry ... no encryption', stage: 'login' };
  const password: DbConnectError = { code: 'PG_28P01', sqlstate: '28P01', message: 'password authentication failed', stage: 'login' };
  const noSsl: DbConnectError = { code: 'TLS_NOT_SUPPORTED', message: 'The server does not support SSL connections', stage: 'tls' };
  const refused: DbConnectError = { code: 'CONN_REFUSED', message: 'connect ECONNREFUSED', stage: 'tcp' };
  const silent: DbConnectError = { code: 'TIMEOUT', message: 'no answer', stage: 'login' };

  test('the attempts per sslmode: prefer (the default) TLS then plain, allow plain then TLS, disable plain, require/verify-* TLS', () => {
    assert.deepEqual(sslAttempts(undefined), [true, false]);
    assert.deepEqual(sslAttempts('prefer'), [true, false]);
    assert.deepEqual(sslAttempts('allow'), [false, true]);
    assert.deepEqual(sslAttempts('disable'), [false]);
    for (const m of ['require', 'verify-ca', 'verify-full']) assert.deepEqual(sslAttempts(m), [true]);
  });

  test('retry after: a refused SSL, a failed handshake or a server error (not a TCP failure or silence)', () => {
    assert.equal(retriesAfter(noSsl, true), true);
    assert.equal(retriesAfter({ code: 'TLS_HANDSHAKE', message: 'x', stage: 'tls' }, true), true);
    assert.equal(retriesAfter(hba, true), true);
    assert.equal(retriesAfter(hba, false), true);
    assert.equal(retriesAfter(refused, true), false);
    assert.equal(retriesAfter(silent, true), false);
    assert.equal(retriesAfter(noSsl, false), false);
  });

  test('the reported error: the furthest one, a pg_hba.conf refusal below other answers, the later one on a tie', () => {
    // prefer against hostssl-only lines with a wrong password: the TLS login's 28P01, not the plain retry's 28000.
    assert.equal(
      reportedAttempt([
        { tls: true, error: password },
        { tls: false, error: hba },
      ])?.error,
      password,
    );
    // prefer against a server without TLS: the plain login's answer.
    assert.equal(
      reportedAttempt([
        { tls: true, error: noSsl },
        { tls: false, error: password },
      ])?.tls,
      false,
    );
    // allow: plain refused by pg_hba.conf, TLS refused by the server (no SSL): the pg_hba.conf refusal.
    assert.equal(
      reportedAttempt([
        { tls: false, error: hba },
        { tls: true, error: noSsl },
      ])?.error,
      hba,
    );
    // Two pg_hba.conf refusals: the last, as libpq.
    assert.equal(
      reportedAttempt([
        { tls: true, error: hba },
        { tls: false, error: { ...hba } },
      ])?.tls,
      false,
    );
  });
});
