// classifyLdapError: ldapts' errors and Node's as the stable codes the ldap check maps to messages.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyLdapError } from '../../src/probes/ldap.js';

test("a peer that resets the connection mid-request (ldapts' wrapped socket error) is CONN_RESET, not unknown", () => {
  const e = new Error('Socket error. Message type: BindRequest (0x60)\nread ECONNRESET');
  assert.deepEqual(classifyLdapError(e, 'bind'), { stage: 'bind', code: 'CONN_RESET', message: 'reset before any LDAP answer came' });
  const pipe = new Error('Socket error. Message type: SearchRequest (0x63)\nwrite EPIPE');
  assert.equal(classifyLdapError(pipe, 'search').code, 'CONN_RESET');
});

test('another wrapped socket error is classified by its inner Node error', () => {
  const e = new Error('Socket error. Message type: BindRequest (0x60)\nconnect ETIMEDOUT 10.0.0.1:389');
  assert.equal(classifyLdapError(e, 'bind').code, 'TIMEOUT');
});

test('a close before the answer, ldapts timeouts, LDAP result codes and Node errors', () => {
  assert.equal(
    classifyLdapError(new Error('Connection closed before message response was received. Message type: BindRequest (0x60)'), 'bind').code,
    'CONN_CLOSED',
  );
  assert.equal(classifyLdapError(new Error('Operation timed out'), 'connect').code, 'NO_ANSWER');
  assert.equal(classifyLdapError(new Error('Operation timed out'), 'search').code, 'TIMEOUT');
  assert.deepEqual(classifyLdapError(Object.assign(new Error('Invalid Credentials Code: 0x31'), { code: 49 }), 'bind'), {
    stage: 'bind',
    code: 'LDAP_49',
    resultCode: 49,
    message: 'Invalid Credentials',
  });
  assert.equal(classifyLdapError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'connect').code, 'CONN_REFUSED');
});
