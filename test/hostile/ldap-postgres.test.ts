// Hostile LDAP and PostgreSQL peers, through the BUILT binary: homeserver.yaml names ldap.example.test
// (matrix-synapse-ldap3) and db.example.test (database.args), and --connect-to sends both to TCP servers
// on 127.0.0.1 that accept and never answer, close at once, answer garbage, or stream an endless
// message whose header announces gigabytes. Each case: the finding that names the problem, exit 1, the
// run within its budget, the child's peak RSS bounded (a client that buffered the announced message
// would grow until the timeout), and no crash whatever the bytes.
// Network safety: the servers bind 127.0.0.1, the names are only ever routed by --connect-to (no DNS:
// --dns-server is a loopback dns2 server anyway), and the runs are loopback-only.

import assert from 'node:assert/strict';
import type net from 'node:net';
import { describe, test } from 'node:test';
import type { Finding } from '../../src/engine/types.js';
import { assertBounded, finding, hostileHooks, type MeasuredRun, pump, runCheck, startTcp, TIMEOUT_MS, tempFile } from './support.js';

const HOMESERVER = [
  'server_name: example.test',
  'report_stats: false',
  'database:',
  '  name: psycopg2',
  '  args:',
  '    user: synapse',
  '    password: "hostile-db-secret"',
  '    dbname: synapse',
  '    host: db.example.test',
  '    port: 5432',
  '    cp_min: 5',
  '    cp_max: 10',
  'modules:',
  '  - module: ldap_auth_provider.LdapAuthProviderModule',
  '    config:',
  '      uri: "ldap://ldap.example.test:389"',
  '      base: "dc=example,dc=test"',
  '      attributes:',
  '        uid: "uid"',
  '        mail: "mail"',
  '        name: "cn"',
  '      bind_dn: "cn=admin,dc=example,dc=test"',
  '      bind_password: "hostile-ldap-secret"',
  '',
].join('\n');

hostileHooks();

/** PostgreSQL's SSLRequest: length 8, then the code 80877103. */
function isSslRequest(data: Buffer): boolean {
  return data.length >= 8 && data.readUInt32BE(0) === 8 && data.readUInt32BE(4) === 80877103;
}
const hsFile = tempFile('homeserver.yaml', HOMESERVER);

interface Outcome {
  run: MeasuredRun;
  ldap: Finding[];
  db: Finding[];
}

/** `check --only ldap,database` with both servers handled by `behave` (told which protocol it plays). */
async function against(behave: (socket: net.Socket, role: 'ldap' | 'postgres') => void, timeoutMs = TIMEOUT_MS): Promise<Outcome> {
  const ldap = await startTcp((s) => behave(s, 'ldap'));
  const pg = await startTcp((s) => behave(s, 'postgres'));
  try {
    const { run, findingsOf } = await runCheck(
      [
        '--only',
        'ldap,database',
        '--homeserver-config',
        hsFile,
        '--connect-to',
        `ldap.example.test:389:127.0.0.1:${ldap.port}`,
        '--connect-to',
        `db.example.test:5432:127.0.0.1:${pg.port}`,
      ],
      { timeoutMs, ca: false },
    );
    assert.ok(!/hostile-(db|ldap)-secret/.test(run.stdout + run.stderr), 'a password leaked');
    assert.ok(ldap.hits >= 1 && pg.hits >= 1, `connections: ldap ${ldap.hits}, postgres ${pg.hits}`);
    return { run, ldap: findingsOf('ldap'), db: findingsOf('database') };
  } finally {
    await Promise.all([ldap.close(), pg.close()]);
  }
}

describe('hostile LDAP and PostgreSQL peers (ldap, database, through the built binary)', () => {
  test('servers that accept the connection and never answer: timeouts, within the budget', async () => {
    const o = await against(() => {});
    assertBounded(o.run, 1, 'silent');
    assert.match(
      finding(o.ldap, 'MXD-LDAP-006', 'silent').message,
      /ldap\.example\.test:389 \(via 127\.0\.0\.1:\d+\) accepted the connection, but gave no LDAP answer/,
    );
    assert.match(
      finding(o.db, 'MXD-DB-004', 'silent').message,
      /db\.example\.test:5432 \(via 127\.0\.0\.1:\d+\) accepted the TCP connection, but nothing answered as PostgreSQL within \d+ ms/,
    );
  });

  test('servers that close at once: "closed" findings', async () => {
    const o = await against((socket) => socket.destroy());
    assertBounded(o.run, 1, 'closed');
    assert.match(
      finding(o.ldap, 'MXD-LDAP-006', 'closed').message,
      // A close with our bind request unread is a reset or a clean close, as the kernel's timing has it.
      /ldap\.example\.test:389 \(via 127\.0\.0\.1:\d+\) closed the connection: (no LDAP answer came before it closed|reset before any LDAP answer came)/,
    );
    assert.match(finding(o.db, 'MXD-DB-004', 'closed').message, /closed the connection before PostgreSQL answered the login/);
  });

  test('servers that answer garbage: a protocol failure, never a crash', async () => {
    const o = await against((socket) => {
      socket.on('data', () => socket.end(Buffer.from('SSH-2.0-OpenSSH_9.6\r\n\x00\xff\xfe garbage \x30\x84\xff\xff\xff\xff')));
    });
    assertBounded(o.run, 1, 'garbage');
    finding(o.ldap, 'MXD-LDAP-006');
    finding(o.db, 'MXD-DB-004');
  });

  test('an endless message whose header announces gigabytes: cut at a few MiB, memory bounded (with the default 5 s timeout)', async () => {
    // 5 s: long enough that a client buffering the message would reach gigabytes (pg did: 2.6 GB).
    const o = await against((socket, role) => {
      const endless = (data: Buffer) => {
        if (role === 'postgres' && isSslRequest(data)) {
          // As a server without TLS answers libpq's SSLRequest (sslmode prefer): 'N', then the plain login follows.
          socket.write('N');
          socket.once('data', endless);
          return;
        }
        if (role === 'ldap') {
          // BER: SEQUENCE with a 4-byte length of 0x7fffffff, then filler forever.
          socket.write(Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff]));
        } else {
          // PostgreSQL: an 'R' (authentication) message claiming 2 GiB.
          socket.write(Buffer.from([0x52, 0x7f, 0xff, 0xff, 0xff]));
        }
        pump(socket, Buffer.alloc(256 * 1024, 0x41));
      };
      socket.once('data', endless);
    }, 5000);
    assertBounded(o.run, 1, 'endless message', 5000);
    assert.ok(o.run.wallMs < 4000, `the cap ends it long before the timeout: ${Math.round(o.run.wallMs)} ms`);
    assert.match(finding(o.ldap, 'MXD-LDAP-006', 'failed').message, /an LDAP message that exceeds the 4 MiB matrixdoc accepts/);
    assert.match(finding(o.db, 'MXD-DB-004', 'failed').message, /the server sent more than 1 MiB/);
  });
});
