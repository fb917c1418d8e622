// database: Synapse's database section read as Synapse reads it, and (online) the PostgreSQL server
// behind it judged by Synapse's own startup checks: reachability, login, version, encoding, locale,
// connection limits against the pool, and the rights Synapse needs. Never changes anything: fixes are
// SQL and commands for a human to run.

import { defineCheck } from '../../src/engine/define.js';
import type { FindingDraft, FindingLocation, FixDraft, MessageData } from '../../src/engine/types.js';
import type { HomeserverConfigArtifact } from '../../src/probes/config-files.js';
import { type DatabaseArtifact, type DatabaseSettings, databaseArgs, readDatabaseSettings, synapseTop } from '../../src/probes/database.js';
import { locate } from '../shared/locate.js';
import { createDatabaseSql, MIN_POSTGRES_VERSION, MIN_POSTGRES_VERSION_NUM, quoteIdent, recreateSteps, shellWord, sqlArg } from './postgres-facts.js';

/** Python's truthiness for a YAML value. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

function target(db: DatabaseArtifact): string {
  if (db.socket) return db.socket;
  const via =
    db.route && (db.route.connectHost !== db.host || db.route.connectPort !== db.port) ? ` (via ${db.route.connectHost}:${db.route.connectPort})` : '';
  return `${db.host}:${db.port}${via}`;
}

/** The first line of a server or library message (PostgreSQL's DETAIL lines are not needed here). */
function firstLine(text: string | undefined): string {
  return String(text ?? '').split('\n')[0];
}

export default defineCheck({
  id: 'database',
  title: 'Synapse database (PostgreSQL)',
  description:
    "Reads homeserver.yaml's database section and, online, connects to PostgreSQL as Synapse does (read-only) to run Synapse's startup checks: version, encoding, locale, connection limits, rights.",
  requires: ['homeserverConfig'],
  uses: ['database'],
  codes: [
    {
      code: 'MXD-DB-001',
      severity: 'warning',
      title: 'Synapse uses SQLite',
      messages: {
        sqlite: 'Synapse uses SQLite ({{section}}.name: sqlite3), which is for testing only, not for production: a busy or federating server becomes slow.',
        sqliteDefault: 'homeserver.yaml has no database section, so Synapse uses SQLite (homeserver.db), which is for testing only, not for production.',
      },
      fixes: {
        portToPostgres: "Move to PostgreSQL with Synapse's synapse_port_db script (it copies everything), then point database: at it.",
      },
    },
    {
      code: 'MXD-DB-002',
      severity: 'error',
      title: 'Database settings Synapse cannot use',
      messages: {
        unsafeLocaleInArgs:
          'allow_unsafe_locale is under {{section}}.args, which psycopg2 hands to libpq, so Synapse cannot connect at all (invalid connection option "allow_unsafe_locale"); Synapse reads it directly under {{section}}.',
        bothKeys: "Both database and databases are set; Synapse refuses to start (\"Can't specify both 'database' and 'databases' in config\").",
        cpMinOverMax:
          'cp_min ({{cpMin}}) is larger than cp_max ({{cpMax}}); Twisted\'s connection pool refuses this and Synapse does not start ("minimum is greater than maximum").',
      },
      fixes: {
        bothKeys: 'Keep one: `database:` for a single database (the usual case), or `databases:` for a split setup.',
        unsafeLocaleInArgs:
          'Move allow_unsafe_locale out of args, directly under {{section}}: (better still, give Synapse a database with C collation, see MXD-DB-009).',
        cpMinOverMax: 'Set cp_min to at most cp_max (for example cp_min: {{cpMin}}, cp_max: {{cpMax}}).',
      },
    },
    {
      code: 'MXD-DB-003',
      severity: 'info',
      title: 'Database on a Unix socket, not checked live',
      messages: {
        socket:
          'Synapse reaches PostgreSQL through the Unix socket in {{socket}}, which this run could not use (the socket is not on this machine, or the run is offline), so the live database checks (version, encoding, locale, connection limits, rights) were not run.',
      },
      fixes: {
        socket: 'Run matrixdoc on the database host, as the OS user Synapse runs as; or run the same checks yourself with psql through the socket.',
      },
    },
    {
      code: 'MXD-DB-004',
      severity: 'error',
      title: 'Cannot reach PostgreSQL',
      messages: {
        refused: 'Nothing accepts connections at {{target}} (connection refused): PostgreSQL is not running there, or listens on another address or port.',
        unreachable: '{{target}} cannot be reached: {{detail}}.',
        timeout: 'No answer from {{target}} within {{ms}} ms: a firewall drops the packets, or the host is down.',
        silent:
          '{{target}} accepted the TCP connection, but nothing answered as PostgreSQL within {{ms}} ms: another service listens on that port, or PostgreSQL (or a proxy in front of it) is stuck.',
        dns: '{{host}} does not resolve ({{detail}}), so Synapse cannot find its database server.',
        closed: '{{target}} closed the connection before PostgreSQL answered the login: {{detail}}.',
        tls: 'TLS with PostgreSQL at {{target}} failed (sslmode {{sslmode}}): {{detail}}.',
        failed: 'Connecting to PostgreSQL at {{target}} failed: {{detail}}.',
      },
      fixes: {
        reach: 'Make PostgreSQL reachable from Synapse at the configured host and port.',
        readLog: 'Read the PostgreSQL log on the database host: it says why the login failed.',
      },
    },
    {
      code: 'MXD-DB-005',
      severity: 'error',
      title: 'PostgreSQL refused the login',
      messages: {
        password: 'PostgreSQL rejected the password of user {{user}} (SQLSTATE 28P01: {{detail}}); Synapse cannot connect with it either.',
        hba: 'pg_hba.conf has no rule that lets user {{user}} reach database {{dbname}} from this address (SQLSTATE 28000: {{detail}}).',
        noRole: 'The role {{user}} does not exist on this PostgreSQL server (SQLSTATE 28000: {{detail}}).',
        peer: 'PostgreSQL admits user {{user}} on the socket {{target}} by peer authentication, which compares the OS user connecting with the role, and refused the OS user running matrixdoc (SQLSTATE 28000: {{detail}}). This says nothing yet about Synapse, which connects as its own OS user.',
      },
      fixes: {
        peer: 'Run matrixdoc as the OS user that peer authentication expects ({{user}}, or the one pg_ident.conf maps to it) to check the login Synapse makes.',
        password: "Make {{section}}.args.password match the role's password, or set the role's password to the one in homeserver.yaml.",
        noRole: 'Create the role, or fix {{section}}.args.user.',
        hba: "Add a pg_hba.conf line for Synapse's address, then reload PostgreSQL.",
        hbaTls:
          "PostgreSQL admits this login only over TLS (hostssl) and {{section}}.args.sslmode is disable: remove sslmode (libpq then prefers TLS) or set it to require; or add a hostnossl line for Synapse's address.",
      },
    },
    {
      code: 'MXD-DB-006',
      severity: 'error',
      title: 'The database does not exist',
      messages: { missing: 'Database {{dbname}} does not exist on {{target}} (SQLSTATE 3D000); Synapse cannot start.' },
      fixes: {
        create: 'Create the database with the collation Synapse needs (or fix {{section}}.args.{{key}}).',
      },
    },
    {
      code: 'MXD-DB-007',
      severity: 'error',
      title: 'PostgreSQL is older than Synapse supports',
      messages: { tooOld: 'PostgreSQL {{version}} is older than {{minimum}}; current Synapse refuses to start ("Synapse requires PostgreSQL 14 or above.").' },
      fixes: {
        upgrade: 'Upgrade PostgreSQL to {{minimum}} or newer (pg_upgradecluster on Debian), or stay on a Synapse release that still supports this version.',
      },
    },
    {
      code: 'MXD-DB-008',
      severity: 'error',
      title: 'Database encoding is not UTF8',
      messages: {
        encoding:
          'Database {{dbname}} uses encoding {{encoding}}, not UTF8; Synapse refuses to start ("Database has incorrect encoding") and no setting overrides this.',
      },
      fixes: {
        recreate:
          'Create a UTF8 database with C collation from template0 and move the data into it (never done by matrixdoc). Data that is not valid UTF-8 makes pg_restore stop: fix those rows first.',
      },
    },
    {
      code: 'MXD-DB-009',
      severity: 'error',
      title: 'Database collation or ctype is not C',
      messages: {
        locale:
          'Database {{dbname}} has LC_COLLATE {{collate}} and LC_CTYPE {{ctype}}; Synapse needs exactly C for both (C.UTF-8 is not C) and refuses to start ("Should be \'C\'").',
        unsafeAllowed:
          'Database {{dbname}} has LC_COLLATE {{collate}} and LC_CTYPE {{ctype}}, not C; Synapse starts only because allow_unsafe_locale is true, and an operating-system locale update can then corrupt its indexes.',
        icu: 'Database {{dbname}} uses the ICU locale provider ({{providerLocale}}); Synapse checks only LC_COLLATE and LC_CTYPE, but text is sorted by ICU rules, which change between ICU versions.',
      },
      fixes: {
        recreate:
          "Create a database with LC_COLLATE and LC_CTYPE 'C' from template0 and move the data into it; matrixdoc never runs this. For an empty database, creating it is enough: {{sql}}",
        libc: 'Move the data to a database created with LOCALE_PROVIDER libc and C collation (matrixdoc never runs this).',
      },
    },
    {
      code: 'MXD-DB-010',
      severity: 'error',
      title: 'Connection pool larger than PostgreSQL allows',
      messages: {
        overLimit:
          'cp_max is {{cpMax}}, but PostgreSQL lets an ordinary role open only {{available}} connections (max_connections {{maxConnections}} minus {{reserved}} reserved); under load Synapse gets "sorry, too many clients already". Every Synapse process (main and each worker) opens up to cp_max.',
        crowded:
          'cp_max is {{cpMax}}, but only {{room}} of the {{available}} connections PostgreSQL allows are free: other roles hold {{others}} right now. Every Synapse process (main and each worker) opens up to cp_max.',
        roleLimit: 'cp_max is {{cpMax}}, but role {{user}} may open only {{limit}} connections (its CONNECTION LIMIT).',
        dbLimit: 'cp_max is {{cpMax}}, but database {{dbname}} accepts only {{limit}} connections (its CONNECTION LIMIT).',
        full: 'PostgreSQL refused the login because all its connections are in use (SQLSTATE 53300: {{detail}}); Synapse gets the same answer.',
      },
      fixes: {
        full: 'Find who holds the connections, then raise max_connections or lower the pools (cp_max of every Synapse process).',
        pool: 'Lower cp_max (to at most {{most}}, shared by every Synapse process) or raise max_connections.',
        roleLimit: "Raise the role's connection limit, or lower cp_max to {{limit}}.",
        dbLimit: "Raise the database's connection limit, or lower cp_max to {{limit}}.",
      },
    },
    {
      code: 'MXD-DB-011',
      severity: 'error',
      title: 'The database user lacks rights Synapse needs',
      messages: {
        connect: 'User {{user}} may not connect to database {{dbname}} (no CONNECT privilege).',
        noPublicSchema: 'Database {{dbname}} has no schema public, where Synapse creates its tables.',
        schemaUsage: 'User {{user}} has no USAGE right on schema public of {{dbname}}, so Synapse cannot see its tables.',
        schemaCreate: 'User {{user}} may not create tables in schema public of {{dbname}}, so Synapse cannot create its schema or upgrade it.',
      },
      fixes: {
        grantConnectOrOwn: 'Grant the CONNECT right (or make the user own the database).',
        grantConnect: 'Grant CONNECT on the database to the user.',
        createSchema: 'Create schema public, owned by the Synapse user.',
        grantUsage: 'Grant USAGE and CREATE on schema public to the user.',
        grantCreate: 'Grant CREATE on schema public to the user (PostgreSQL 15 no longer grants it to everyone).',
      },
    },
  ],
  run(inputs): FindingDraft[] {
    const cfg = inputs.get<HomeserverConfigArtifact>('homeserverConfig');
    const merged = synapseTop(cfg);
    // A file Synapse cannot read at all is homeserver-config's finding; there is nothing to judge here.
    if (!merged) return [];
    const { top, ownerOf } = merged;
    const s = readDatabaseSettings(top);
    const section = s.path.join('.');
    const findings: FindingDraft[] = [];
    const at = (path: (string | number)[], key = false): FindingLocation => {
      const art = ownerOf(String(path[0]));
      return locate(art.file, art.parsed.positions, path, key);
    };
    const holder = (key: string) => ({ file: ownerOf(key).file, expectSha256: ownerOf(key).sha256 });
    const argPath = (key: string) => [...s.path, 'args', key];
    const argAt = (key: string) => {
      const loc = at(argPath(key));
      return loc.line !== undefined ? loc : at(s.path, true);
    };

    if (truthy(top.database) && truthy(top.databases)) {
      findings.push({
        code: 'MXD-DB-002',
        messageId: 'bothKeys',
        location: at(['databases'], true),
        evidence: { database: true, databases: Object.keys((top.databases as object) ?? {}) },
        fix: { summaryId: 'bothKeys', steps: [], edits: [] },
      });
    }

    if (s.engine === 'sqlite3') {
      findings.push({
        code: 'MXD-DB-001',
        messageId: s.present ? 'sqlite' : 'sqliteDefault',
        data: { section },
        location: s.present ? at([...s.path, 'name']) : { file: cfg.file },
        evidence: { engine: 'sqlite3', ...(s.sqliteFile ? { file: s.sqliteFile } : {}) },
        fix: {
          summaryId: 'portToPostgres',
          steps: [
            'Create the PostgreSQL role and database (see docs/codes/MXD-DB-009.md for the exact CREATE DATABASE).',
            'synapse_port_db --sqlite-database homeserver.db --postgres-config homeserver-postgres.yaml',
            'database:\n  name: psycopg2\n  args:\n    user: synapse\n    password: "..."\n    dbname: synapse\n    host: localhost\n    cp_min: 5\n    cp_max: 10',
          ],
          edits: [],
        },
      });
      return findings;
    }
    // Any other name is MXD-HS-008 (homeserver-config): Synapse would not start.
    if (s.engine !== 'psycopg2') return findings;

    if (s.unsafeLocaleInArgs) {
      const argsValue = databaseArgs(top, s).allow_unsafe_locale;
      const movable = s.path.length === 1;
      findings.push({
        code: 'MXD-DB-002',
        messageId: 'unsafeLocaleInArgs',
        data: { section },
        location: at(argPath('allow_unsafe_locale'), true),
        evidence: { [`${section}.args.allow_unsafe_locale`]: argsValue ?? true, [`${section}.allow_unsafe_locale`]: s.allowUnsafeLocale },
        fix: {
          summaryId: 'unsafeLocaleInArgs',
          summaryData: { section },
          steps: [`${section}:\n  name: psycopg2\n  allow_unsafe_locale: true\n  args:\n    ...`],
          edits: movable
            ? [
                { kind: 'yaml-delete', ...holder(s.path[0]), path: argPath('allow_unsafe_locale') },
                { kind: 'yaml-set', ...holder(s.path[0]), path: [...s.path, 'allow_unsafe_locale'], value: argsValue ?? true },
              ]
            : [],
        },
      });
    }

    if (s.cpMin > s.cpMax) {
      findings.push({
        code: 'MXD-DB-002',
        messageId: 'cpMinOverMax',
        data: { cpMin: s.cpMin, cpMax: s.cpMax },
        location: argAt(s.cpMinSet ? 'cp_min' : 'cp_max'),
        evidence: { cp_min: s.cpMin, cp_max: s.cpMax, defaults: { cp_min: 3, cp_max: 5 } },
        fix: {
          summaryId: 'cpMinOverMax',
          summaryData: { cpMin: Math.min(5, s.cpMax), cpMax: Math.max(10, s.cpMax) },
          steps: [],
          edits: s.path.length === 1 && s.cpMinSet ? [{ kind: 'yaml-set', ...holder(s.path[0]), path: argPath('cp_min'), value: Math.min(5, s.cpMax) }] : [],
        },
      });
    }

    const db = inputs.optional<DatabaseArtifact>('database');
    // The probe follows a socket that is on this machine; only when it could not is the socket a note.
    if (s.socket && !db) {
      findings.push({
        code: 'MXD-DB-003',
        messageId: 'socket',
        data: { socket: s.socket },
        location: argAt('host'),
        evidence: { host: s.host ?? null, socket: s.socket },
        fix: {
          summaryId: 'socket',
          steps: [
            `sudo -u ${shellWord(s.user ?? 'matrix-synapse')} matrixdoc check --only database --homeserver-config ${shellWord(argAt('host').file ?? 'homeserver.yaml')}   # on the database host`,
            `sudo -u ${shellWord(s.user ?? 'matrix-synapse')} psql -h ${shellWord(s.socket)} -p ${s.port} -d ${shellWord(s.dbname ?? 'synapse')} -c ${shellWord(
              'SHOW server_version; SELECT datname, pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database WHERE datname = current_database(); SHOW max_connections;',
            )}`,
          ],
          edits: [],
        },
      });
    }

    if (!db) return findings;
    findings.push(...liveFindings(db, s, argAt));
    return findings;
  },
});

function liveFindings(db: DatabaseArtifact, s: DatabaseSettings, argAt: (key: string) => FindingLocation): FindingDraft[] {
  const out: FindingDraft[] = [];
  const section = s.path.join('.');
  const base = { target: target(db), host: db.host, port: db.port, user: db.user, dbname: db.dbname };
  const hostKey = s.hostaddr ? 'hostaddr' : 'host';
  if (db.error) {
    const e = db.error;
    const detail = firstLine(e.message);
    // Which connection the error came from: TLS or plain (libpq's sslmode sequence), and every attempt.
    const evidence = {
      error: e,
      route: db.route ?? null,
      ...(db.tls !== undefined ? { tls: db.tls, sslmode: db.sslmode ?? 'prefer' } : {}),
      ...(db.attempts && db.attempts.length > 1 ? { attempts: db.attempts } : {}),
    };
    const connectFix = (summaryId: string, summaryData: MessageData, steps: string[]): FixDraft => ({ summaryId, summaryData, steps, edits: [] });
    if (e.sqlstate) {
      const state = e.sqlstate;
      if (state === '28P01') {
        out.push({
          code: 'MXD-DB-005',
          messageId: 'password',
          data: { ...base, detail },
          location: argAt('password'),
          evidence,
          fix: connectFix('password', { section }, [
            `sudo -u postgres psql -c '\\password ${quoteIdent(db.user)}'   # asks for the new password twice; type the one in homeserver.yaml`,
            'Check pg_hba.conf uses scram-sha-256 (or md5) for this host and that password_encryption matches how the password was set.',
          ]),
        });
      } else if (state === '28000' && db.socket && /(peer|ident) authentication failed/i.test(e.message)) {
        // Peer authentication judges matrixdoc's OS user, not Synapse's: a warning about this run, not a verdict on Synapse.
        out.push({
          code: 'MXD-DB-005',
          messageId: 'peer',
          severity: 'warning',
          data: { ...base, detail },
          location: argAt('user'),
          evidence,
          fix: connectFix('peer', { user: db.user }, [
            `sudo -u ${shellWord(db.user)} matrixdoc check --only database --homeserver-config ${shellWord(argAt('user').file ?? 'homeserver.yaml')}`,
          ]),
        });
      } else if (state === '28000') {
        const noRole = /role .* does not exist/i.test(e.message);
        // sslmode disable against a pg_hba.conf that admits this login only over TLS (`hostssl`): PostgreSQL
        // says "no encryption"; with libpq's default (prefer) Synapse would connect.
        const plainRefused = db.sslmode === 'disable' && db.tls === false && /no encryption/i.test(e.message);
        out.push({
          code: 'MXD-DB-005',
          messageId: noRole ? 'noRole' : 'hba',
          data: { ...base, detail },
          location: argAt(noRole ? 'user' : hostKey),
          evidence,
          fix: noRole
            ? connectFix('noRole', { section }, [
                `sudo -u postgres createuser --pwprompt ${shellWord(db.user)}`,
                `sudo -u postgres psql -c ${sqlArg(`ALTER DATABASE ${quoteIdent(db.dbname)} OWNER TO ${quoteIdent(db.user)};`)}`,
              ])
            : plainRefused
              ? connectFix('hbaTls', { section }, [
                  `${section}:\n  args:\n    sslmode: prefer   # or require; libpq's default is prefer`,
                  `Or, to keep sslmode: ${db.sslmode}: hostnossl    ${db.dbname}    ${db.user}    <Synapse's address>/32    scram-sha-256`,
                  "sudo -u postgres psql -c 'SELECT pg_reload_conf();'",
                ])
              : connectFix('hba', {}, [
                  `host    ${db.dbname}    ${db.user}    <Synapse's address>/32    scram-sha-256`,
                  "sudo -u postgres psql -c 'SELECT pg_reload_conf();'",
                ]),
        });
      } else if (state === '3D000') {
        out.push({
          code: 'MXD-DB-006',
          messageId: 'missing',
          data: base,
          location: argAt(s.dbnameKey ?? 'user'),
          evidence,
          fix: connectFix('create', { section, key: s.dbnameKey ?? 'dbname' }, [`sudo -u postgres psql -c ${sqlArg(createDatabaseSql(db.dbname, db.user))}`]),
        });
      } else if (state === '53300') {
        out.push({
          code: 'MXD-DB-010',
          messageId: 'full',
          data: { ...base, detail },
          location: argAt('cp_max'),
          evidence,
          fix: connectFix('full', {}, [
            "sudo -u postgres psql -c 'SELECT usename, datname, application_name, count(*) FROM pg_stat_activity GROUP BY 1, 2, 3 ORDER BY 4 DESC;'",
            'In postgresql.conf: max_connections = <more>; then restart PostgreSQL.',
          ]),
        });
      } else if (state === '42501') {
        out.push({
          code: 'MXD-DB-011',
          messageId: 'connect',
          data: base,
          location: argAt('user'),
          evidence,
          fix: connectFix('grantConnectOrOwn', {}, [
            `sudo -u postgres psql -c ${sqlArg(`GRANT CONNECT ON DATABASE ${quoteIdent(db.dbname)} TO ${quoteIdent(db.user)};`)}`,
          ]),
        });
      } else {
        out.push({
          code: 'MXD-DB-004',
          messageId: 'failed',
          data: { ...base, detail: `SQLSTATE ${state}: ${detail}` },
          location: argAt(hostKey),
          evidence,
          fix: connectFix('readLog', {}, []),
        });
      }
      return out;
    }
    const messageId =
      e.stage === 'route' && e.code.startsWith('DNS_')
        ? 'dns'
        : e.code === 'CONN_REFUSED'
          ? 'refused'
          : e.code === 'HOST_UNREACHABLE'
            ? 'unreachable'
            : e.code === 'TIMEOUT'
              ? e.stage === 'login'
                ? 'silent'
                : 'timeout'
              : e.code === 'CONN_CLOSED' || e.code === 'CONN_RESET'
                ? 'closed'
                : e.stage === 'tls' || e.code.startsWith('TLS_')
                  ? 'tls'
                  : 'failed';
    const ms = Number(/(\d+) ms/.exec(e.message)?.[1] ?? 0);
    const steps: Record<string, string[]> = {
      refused: [
        `On the database host: systemctl status postgresql; ss -ltnp | grep ${db.port}`,
        "In postgresql.conf, listen_addresses must include the address Synapse connects to (e.g. listen_addresses = 'localhost'); restart PostgreSQL after changing it.",
      ],
      unreachable: ['Check the address, the routing and any firewall between Synapse and the database host.'],
      timeout: [
        `From Synapse's host: nc -vz -w 5 ${db.route?.connectHost ?? db.host} ${db.route?.connectPort ?? db.port}`,
        'Open the port in the firewall for Synapse only.',
      ],
      dns: [`getent hosts ${db.host}`, `Use an address, or a name that resolves on Synapse's host, in ${section}.args.host.`],
      closed: [
        'Read the PostgreSQL log on the database host: the server says why it dropped the connection (SSL required, too many connections, shutting down...).',
      ],
      silent: [
        `On the database host: ss -ltnp | grep ${db.port}   # which process listens there`,
        'Point database.args.host and port at PostgreSQL itself, or restart what is stuck (PostgreSQL, pgbouncer, a TCP proxy).',
      ],
      tls: ["Check the server's certificate and the sslmode in the database args; --ca-file adds a CA to the trusted ones."],
      failed: ['Read the PostgreSQL log on the database host.'],
    };
    out.push({
      code: 'MXD-DB-004',
      messageId,
      data: { ...base, detail, ms, sslmode: db.sslmode ?? 'prefer' },
      location: argAt(hostKey),
      evidence,
      fix: { summaryId: 'reach', steps: steps[messageId], edits: [] },
    });
    return out;
  }
  if (!db.connected) return out;

  const version = db.server?.versionNum;
  if (db.server && version !== undefined && version < MIN_POSTGRES_VERSION_NUM) {
    out.push({
      code: 'MXD-DB-007',
      messageId: 'tooOld',
      data: { ...base, version: db.server.version.split(' ')[0], minimum: MIN_POSTGRES_VERSION },
      location: argAt(hostKey),
      evidence: { server_version_num: version, server_version: db.server.version },
      fix: {
        summaryId: 'upgrade',
        summaryData: { minimum: MIN_POSTGRES_VERSION },
        steps: ['sudo apt install postgresql-15', 'sudo pg_upgradecluster <old version> main   # Debian: upgrades the cluster in place'],
        edits: [],
      },
    });
  }

  const dbInfo = db.database;
  const owner = db.role?.name ?? db.user;
  if (db.server && db.server.encoding !== 'UTF8') {
    out.push({
      code: 'MXD-DB-008',
      messageId: 'encoding',
      data: { ...base, encoding: db.server.encoding },
      location: argAt(s.dbnameKey ?? 'user'),
      evidence: { server_encoding: db.server.encoding, database: dbInfo ?? null },
      fix: {
        summaryId: 'recreate',
        steps: recreateSteps(db.dbname, owner, version),
        edits: [],
      },
    });
  }

  if (dbInfo) {
    const badLocale = dbInfo.collate !== 'C' || dbInfo.ctype !== 'C';
    if (badLocale) {
      out.push({
        code: 'MXD-DB-009',
        messageId: s.allowUnsafeLocale ? 'unsafeAllowed' : 'locale',
        ...(s.allowUnsafeLocale ? { severity: 'warning' as const } : {}),
        data: { ...base, collate: dbInfo.collate, ctype: dbInfo.ctype },
        location: argAt(s.dbnameKey ?? 'user'),
        evidence: {
          datcollate: dbInfo.collate,
          datctype: dbInfo.ctype,
          localeProvider: dbInfo.localeProvider ?? null,
          allow_unsafe_locale: s.allowUnsafeLocale,
        },
        fix: {
          summaryId: 'recreate',
          summaryData: { sql: createDatabaseSql(db.dbname, owner, version) },
          steps: recreateSteps(db.dbname, owner, version),
          edits: [],
        },
      });
    } else if (dbInfo.localeProvider === 'i') {
      out.push({
        code: 'MXD-DB-009',
        messageId: 'icu',
        severity: 'warning',
        data: { ...base, providerLocale: dbInfo.providerLocale ?? 'ICU' },
        location: argAt(s.dbnameKey ?? 'user'),
        evidence: { datlocprovider: dbInfo.localeProvider, locale: dbInfo.providerLocale ?? null, datcollate: dbInfo.collate, datctype: dbInfo.ctype },
        fix: {
          summaryId: 'libc',
          steps: recreateSteps(db.dbname, owner, version),
          edits: [],
        },
      });
    }
  }

  const srv = db.server;
  if (srv) {
    const superuser = db.role?.superuser === true;
    const reserved = superuser ? 0 : srv.superuserReserved + (srv.reserved ?? 0);
    const available = srv.maxConnections - reserved;
    const poolEvidence = {
      cp_max: s.cpMax,
      cp_max_set: s.cpMaxSet,
      max_connections: srv.maxConnections,
      superuser_reserved_connections: srv.superuserReserved,
      reserved_connections: srv.reserved,
      role_connection_limit: db.role?.connLimit ?? null,
      database_connection_limit: dbInfo?.connLimit ?? null,
      other_connections: db.connections ?? null,
    };
    const poolFix = (): FixDraft => ({
      summaryId: 'pool',
      summaryData: { most: Math.max(1, available) },
      steps: [
        `${section}:\n  args:\n    cp_max: ${Math.max(1, Math.min(s.cpMax, available))}`,
        'postgresql.conf: max_connections = <larger>; then restart PostgreSQL.',
      ],
      edits: [],
    });
    if (s.cpMax > available) {
      out.push({
        code: 'MXD-DB-010',
        messageId: 'overLimit',
        data: { ...base, cpMax: s.cpMax, available, maxConnections: srv.maxConnections, reserved },
        location: argAt('cp_max'),
        evidence: poolEvidence,
        fix: poolFix(),
      });
    } else if (db.connections) {
      const others = db.connections.total - db.connections.sameUser;
      const room = available - others;
      if (s.cpMax > room) {
        out.push({
          code: 'MXD-DB-010',
          messageId: 'crowded',
          severity: 'warning',
          data: { ...base, cpMax: s.cpMax, available, room: Math.max(0, room), others },
          location: argAt('cp_max'),
          evidence: poolEvidence,
          fix: poolFix(),
        });
      }
    }
    // A CONNECTION LIMIT on the role or on the database caps the pool too; `subject` is `ROLE name` or `DATABASE name`.
    const connectionLimitFinding = (messageId: 'roleLimit' | 'dbLimit', limit: number, subject: string): FindingDraft => ({
      code: 'MXD-DB-010',
      messageId,
      data: { ...base, cpMax: s.cpMax, limit },
      location: argAt('cp_max'),
      evidence: poolEvidence,
      fix: {
        summaryId: messageId,
        summaryData: { limit },
        steps: [`sudo -u postgres psql -c ${sqlArg(`ALTER ${subject} CONNECTION LIMIT -1;`)}`],
        edits: [],
      },
    });
    const roleLimit = db.role?.connLimit ?? -1;
    if (roleLimit >= 0 && !superuser && s.cpMax > roleLimit) out.push(connectionLimitFinding('roleLimit', roleLimit, `ROLE ${quoteIdent(db.user)}`));
    const dbLimit = dbInfo?.connLimit ?? -1;
    if (dbLimit >= 0 && s.cpMax > dbLimit) out.push(connectionLimitFinding('dbLimit', dbLimit, `DATABASE ${quoteIdent(db.dbname)}`));
  }

  const rights = db.rights;
  if (rights && db.role && !db.role.superuser) {
    const rightsEvidence = { user: db.user, database: db.dbname, owner: dbInfo?.owner ?? null, ownsDatabase: db.role.ownsDatabase, ...rights };
    const grant = (sql: string, summaryId: string): FixDraft => ({
      summaryId,
      steps: [
        `sudo -u postgres psql -d ${shellWord(db.dbname)} -c ${sqlArg(sql)}`,
        `Or make the user own the database: sudo -u postgres psql -c ${sqlArg(`ALTER DATABASE ${quoteIdent(db.dbname)} OWNER TO ${quoteIdent(db.user)};`)}`,
      ],
      edits: [],
    });
    if (!rights.connect) {
      out.push({
        code: 'MXD-DB-011',
        messageId: 'connect',
        data: base,
        location: argAt('user'),
        evidence: rightsEvidence,
        fix: grant(`GRANT CONNECT ON DATABASE ${quoteIdent(db.dbname)} TO ${quoteIdent(db.user)};`, 'grantConnect'),
      });
    }
    if (!rights.publicSchemaExists) {
      out.push({
        code: 'MXD-DB-011',
        messageId: 'noPublicSchema',
        data: base,
        location: argAt(s.dbnameKey ?? 'user'),
        evidence: rightsEvidence,
        fix: grant(`CREATE SCHEMA public AUTHORIZATION ${quoteIdent(db.user)};`, 'createSchema'),
      });
    } else {
      if (rights.publicUsage === false) {
        out.push({
          code: 'MXD-DB-011',
          messageId: 'schemaUsage',
          data: base,
          location: argAt('user'),
          evidence: rightsEvidence,
          fix: grant(`GRANT USAGE, CREATE ON SCHEMA public TO ${quoteIdent(db.user)};`, 'grantUsage'),
        });
      }
      if (rights.publicCreate === false) {
        out.push({
          code: 'MXD-DB-011',
          messageId: 'schemaCreate',
          data: base,
          location: argAt('user'),
          evidence: rightsEvidence,
          fix: grant(`GRANT CREATE ON SCHEMA public TO ${quoteIdent(db.user)};`, 'grantCreate'),
        });
      }
    }
  }
  return out;
}
