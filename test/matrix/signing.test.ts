import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CanonicalJsonError, canonicalJson } from '../../src/matrix/canonical-json.js';
import { decodeBase64, privateKeyFromSeed, publicKeyBase64, signJson, verifyJsonSignature } from '../../src/matrix/signing.js';

// The spec's test vectors (appendices, "Cryptographic test vectors").
const SEED = decodeBase64('YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1') as Buffer;
const KEY = privateKeyFromSeed(SEED);

describe('canonical JSON (spec examples)', () => {
  test('sorted keys, no whitespace, raw non-ASCII, escapes', () => {
    assert.equal(canonicalJson({}), '{}');
    assert.equal(canonicalJson({ one: 1, two: 'Two' }), '{"one":1,"two":"Two"}');
    assert.equal(canonicalJson({ b: '2', a: '1' }), '{"a":"1","b":"2"}');
    assert.equal(
      canonicalJson({
        auth: {
          success: true,
          mxid: '@john.doe:example.com',
          profile: {
            display_name: 'John Doe',
            three_pids: [
              { medium: 'email', address: 'john.doe@example.org' },
              { medium: 'msisdn', address: '123456789' },
            ],
          },
        },
      }),
      '{"auth":{"mxid":"@john.doe:example.com","profile":{"display_name":"John Doe","three_pids":[{"address":"john.doe@example.org","medium":"email"},{"address":"123456789","medium":"msisdn"}]},"success":true}}',
    );
    assert.equal(canonicalJson({ a: '日本語' }), '{"a":"日本語"}');
    assert.equal(canonicalJson({ 日: 1, 本: 2 }), '{"日":1,"本":2}');
    assert.equal(canonicalJson({ a: '\u1234' }), '{"a":"ሴ"}');
    assert.equal(canonicalJson({ a: '\u0000\b\n"\\' }), '{"a":"\\u0000\\b\\n\\"\\\\"}');
    assert.equal(canonicalJson({ a: null }), '{"a":null}');
    assert.equal(canonicalJson({ a: -0 }), '{"a":0}');
  });

  test('code-point order, not UTF-16 order', () => {
    // U+1F600 (a surrogate pair in UTF-16) sorts after U+FB01 by code point.
    assert.equal(canonicalJson({ '\u{1F600}': 1, '\uFB01': 2 }), '{"ﬁ":2,"😀":1}');
  });

  test('floats and unsafe integers are not canonical', () => {
    assert.throws(() => canonicalJson({ a: 1.5 }), CanonicalJsonError);
    assert.throws(() => canonicalJson({ a: 2 ** 53 }), CanonicalJsonError);
  });
});

describe('ed25519 JSON signatures (spec test vectors)', () => {
  test('the public key of the test seed', () => {
    assert.equal(publicKeyBase64(KEY), 'XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI');
  });

  test('signing {} and {"one":1,"two":"Two"} gives the spec signatures', () => {
    assert.equal(
      signJson({}, 'domain', 'ed25519:1', KEY).signatures.domain['ed25519:1'],
      'K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ',
    );
    assert.equal(
      signJson({ one: 1, two: 'Two' }, 'domain', 'ed25519:1', KEY).signatures.domain['ed25519:1'],
      'KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw',
    );
  });

  test('verification: good, tampered, unsigned field ignored, wrong key, bad encodings', () => {
    const pub = publicKeyBase64(KEY);
    const signed = signJson({ one: 1, two: 'Two', unsigned: { age: 5 } }, 'domain', 'ed25519:1', KEY);
    assert.deepEqual(verifyJsonSignature(signed, 'domain', 'ed25519:1', pub), { ok: true });
    assert.deepEqual(verifyJsonSignature({ ...signed, unsigned: { age: 99 } }, 'domain', 'ed25519:1', pub), { ok: true });
    assert.equal((verifyJsonSignature({ ...signed, two: 'Three' }, 'domain', 'ed25519:1', pub) as { reason: string }).reason, 'invalid-signature');
    assert.equal((verifyJsonSignature(signed, 'domain', 'ed25519:2', pub) as { reason: string }).reason, 'no-signature');
    const other = publicKeyBase64(privateKeyFromSeed(Buffer.alloc(32, 7)));
    assert.equal((verifyJsonSignature(signed, 'domain', 'ed25519:1', other) as { reason: string }).reason, 'invalid-signature');
    assert.equal((verifyJsonSignature(signed, 'domain', 'ed25519:1', 'abc') as { reason: string }).reason, 'bad-key-encoding');
    const badSig = { ...signed, signatures: { domain: { 'ed25519:1': '!!' } } };
    assert.equal((verifyJsonSignature(badSig, 'domain', 'ed25519:1', pub) as { reason: string }).reason, 'bad-signature-encoding');
  });

  test('padded base64 signatures and keys are accepted', () => {
    const signed = signJson({ a: 1 }, 'd', 'ed25519:k', KEY);
    const padded = { ...signed, signatures: { d: { 'ed25519:k': `${signed.signatures.d['ed25519:k']}==` } } };
    assert.deepEqual(verifyJsonSignature(padded, 'd', 'ed25519:k', `${publicKeyBase64(KEY)}=`), { ok: true });
  });
});
