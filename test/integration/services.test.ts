// The real servers the later checks are tested against, each started on loopback, asked one real
// question by the client library matrixdoc uses, and stopped.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client as LdapClient } from 'ldapts';
import pg from 'pg';
import WebSocket from 'ws';
import { deploymentCerts } from '../harness/certs.js';
import { startCoturn, stunAnswers } from '../harness/coturn.js';
import { startPostgres } from '../harness/postgres.js';
import { waitForPort } from '../harness/processes.js';
import { startProsody } from '../harness/prosody.js';
import { startSlapd } from '../harness/slapd.js';

describe('test services', () => {
  test('coturn answers STUN on its UDP port, and stops', async () => {
    const c = await startCoturn();
    try {
      assert.equal(await stunAnswers(c.port), true);
      assert.match(c.config, /denied-peer-ip=10\.0\.0\.0-10\.255\.255\.255/);
    } finally {
      await c.stop();
    }
    assert.equal(await stunAnswers(c.port, 200), false);
  });

  test('coturn with TLS listens for turns:', async () => {
    const { leaves } = deploymentCerts();
    const c = await startCoturn({ tls: { certFile: leaves.valid.certFile, keyFile: leaves.valid.keyFile } });
    try {
      assert.ok(c.tlsPort);
      await waitForPort(c.tlsPort as number);
    } finally {
      await c.stop();
    }
  });

  test('prosody speaks XMPP over WebSocket (RFC 7395) for meet.jitsi', async () => {
    const p = await startProsody();
    try {
      const frames = await new Promise<string[]>((resolve, reject) => {
        const got: string[] = [];
        const ws = new WebSocket(`ws://127.0.0.1:${p.httpPort}/xmpp-websocket`, 'xmpp');
        ws.on('open', () => ws.send('<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" to="meet.jitsi" version="1.0"/>'));
        ws.on('message', (m) => {
          got.push(String(m));
          if (String(m).includes('stream:features')) {
            ws.close();
            resolve(got);
          }
        });
        ws.on('error', reject);
        setTimeout(() => reject(new Error(`no stream features: ${got.join('')}`)), 3000);
      });
      assert.match(frames[0], /<open [^>]*from='meet\.jitsi'/);
      assert.match(frames.join(''), /<mechanism>ANONYMOUS<\/mechanism>/);
    } finally {
      await p.stop();
    }
  });

  test('slapd binds the admin and finds users by sAMAccountName (case-insensitive, as AD)', async () => {
    const s = await startSlapd();
    const client = new LdapClient({ url: s.url, timeout: 3000, connectTimeout: 3000 });
    try {
      await client.bind(s.adminDn, s.options.adminPassword);
      const { searchEntries } = await client.search(s.options.suffix, { filter: '(sAMAccountName=bob)', attributes: ['uid', 'mail', 'cn'] });
      assert.equal(searchEntries.length, 1);
      assert.equal(searchEntries[0].uid, 'bob');
      await assert.rejects(client.bind(s.adminDn, 'wrong'), (e: { code?: number }) => e.code === 49);
    } finally {
      await client.unbind().catch(() => {});
      await s.stop();
    }
  });

  test('PostgreSQL: a C database, a C.UTF-8 one and max_connections, over TCP with a password', async () => {
    const p = await startPostgres();
    const client = new pg.Client({ host: '127.0.0.1', port: p.port, user: p.user, password: p.password, database: p.databases.good });
    try {
      await client.connect();
      const r = await client.query('SELECT datcollate, datctype, pg_encoding_to_char(encoding) AS enc FROM pg_database WHERE datname = current_database()');
      assert.deepEqual(r.rows[0], { datcollate: 'C', datctype: 'C', enc: 'UTF8' });
      const m = await client.query('SHOW max_connections');
      assert.equal(Number(m.rows[0].max_connections), p.maxConnections);
      const bad = new pg.Client({ host: '127.0.0.1', port: p.port, user: p.user, password: 'wrong', database: p.databases.good });
      await assert.rejects(bad.connect(), (e: { code?: string }) => e.code === '28P01');
    } finally {
      await client.end().catch(() => {});
      await p.stop();
    }
  });
});
