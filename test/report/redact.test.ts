import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isSecretKey, Redactor } from '../../src/report/redact.js';

describe('redaction', () => {
  test('secret-looking keys', () => {
    for (const k of [
      'password',
      'bind_password',
      'turn_shared_secret',
      'registration_shared_secret',
      'macaroon_secret_key',
      'form_secret',
      'access_token',
      'api_key',
      'JICOFO_AUTH_PASSWORD',
      'bindPassword',
      'apiKey',
      'key',
    ]) {
      assert.ok(isSecretKey(k), k);
    }
    for (const k of [
      'signing_key_path',
      'server_name',
      'key_refresh_interval',
      'turn_user_lifetime',
      'keys',
      'public_baseurl',
      'PUBLIC_URL',
      'monkey',
      'tokenizer',
    ]) {
      assert.ok(!isSecretKey(k), k);
    }
  });

  test('values under secret keys and registered secrets vanish from data and text', () => {
    const r = new Redactor();
    r.add('hunter2-secret');
    const out = r.value({ database: { args: { password: 'p@ss"w0rd' } }, note: 'the password is hunter2-secret, really', n: 5 });
    const text = JSON.stringify(out);
    assert.ok(!text.includes('p@ss'));
    assert.ok(!text.includes('hunter2-secret'));
    assert.match(out.database.args.password, /^<redacted:[0-9a-f]{8}>$/);
    assert.equal(out.n, 5);
  });

  test('equal secrets keep equal tags, different ones differ', () => {
    const r = new Redactor();
    r.add('alpha-secret');
    r.add('beta-secret');
    assert.equal(r.text('alpha-secret'), r.text('x alpha-secret').slice(2));
    assert.notEqual(r.text('alpha-secret'), r.text('beta-secret'));
  });

  test('a secret that contains another is replaced whole', () => {
    const r = new Redactor();
    r.add('abc');
    r.add('xxabcxx');
    assert.ok(!r.text('val=xxabcxx').includes('xx'));
  });

  test('JSON-escaped forms of a secret are scrubbed too', () => {
    const r = new Redactor();
    r.add('quo"te\\back');
    assert.ok(!r.text(JSON.stringify({ a: 'quo"te\\back' })).includes('quo'));
  });

  test('credentials in URLs, bearer tokens and URL passwords', () => {
    const r = new Redactor();
    const text = r.text(
      'https://api.maptiler.com/maps/streets/style.json?key=fU3vlMsMn4Jb6dnEIFsx&x=1 Authorization: Bearer syt_YWxpY2U_abcdefghijkl ldap://admin:s3cret@10.0.0.1/ ?access_token=zzz',
    );
    assert.ok(!text.includes('fU3vlMsMn4Jb6dnEIFsx'));
    assert.ok(text.includes('&x=1'));
    assert.ok(!text.includes('syt_YWxpY2U_abcdefghijkl'));
    assert.ok(!text.includes('s3cret'));
    assert.ok(!text.includes('zzz'));
  });

  test('very short values are not registered (they would shred unrelated text)', () => {
    const r = new Redactor();
    r.add('ab');
    assert.equal(r.text('abc ab'), 'abc ab');
  });
});
