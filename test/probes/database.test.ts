// Which error the database probe reports when every attempt libpq's sslmode makes failed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reportedAttempt } from '../../src/probes/database.js';

test("prefer: a server that answered the SSLRequest with 'N' is not the story; what the plain attempt met is", () => {
  const r = reportedAttempt([
    { tls: true, error: { code: 'TLS_NOT_SUPPORTED', message: 'The server does not support SSL connections', stage: 'tls' } },
    { tls: false, error: { code: 'TOO_LARGE', message: 'the server sent more than 1 MiB', stage: 'login' } },
  ]);
  assert.equal(r?.tls, false);
  assert.equal(r?.error?.code, 'TOO_LARGE');
});

test('prefer against hostssl-only with a wrong password: the TLS attempt’s 28P01 beats the plain retry’s 28000', () => {
  const r = reportedAttempt([
    { tls: true, error: { code: 'PG_28P01', sqlstate: '28P01', message: 'password authentication failed', stage: 'login' } },
    { tls: false, error: { code: 'PG_28000', sqlstate: '28000', message: 'no pg_hba.conf entry … no encryption', stage: 'login' } },
  ]);
  assert.equal(r?.error?.code, 'PG_28P01');
});

test('a failed TLS handshake ranks above a plain attempt that could not connect', () => {
  const r = reportedAttempt([
    { tls: true, error: { code: 'TLS_HANDSHAKE', message: 'wrong version number', stage: 'tls' } },
    { tls: false, error: { code: 'CONN_RESET', message: 'reset', stage: 'tcp' } },
  ]);
  assert.equal(r?.error?.code, 'TLS_HANDSHAKE');
});
