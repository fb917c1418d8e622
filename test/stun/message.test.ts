// The STUN codec against the RFC 5769 test vectors (sample request, IPv4 and IPv6 responses, request
// with long-term authentication), and property tests with a seeded PRNG: decode(encode(m)) = m, and
// random or damaged bytes never make decode throw anything but a StunDecodeError.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bytesToIp, canonicalIp, classifyAddress, ipToBytes } from '../../src/stun/address.js';
import { longTermKey, synapseTurnCredentials } from '../../src/stun/credentials.js';
import {
  attributeValue,
  crc32,
  decode,
  encode,
  isModelledAttribute,
  METHOD,
  messageType,
  type StunAttribute,
  type StunClass,
  StunDecodeError,
  type StunMessage,
  verifyIntegrity,
} from '../../src/stun/message.js';
import { prng } from '../helpers/prng.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

// RFC 5769 §2.1: Binding request, short-term credentials. Padding is 0x20 (spaces) in the vectors.
const SAMPLE_REQUEST = hex(`
  00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
  00 24 00 04 6e 00 01 ff
  80 29 00 08 93 2f f9 b1 51 26 3b 36
  00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
  00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
  80 28 00 04 e5 7a 3b cf`);
// §2.2: Binding success response, IPv4 192.0.2.1:32853.
const SAMPLE_IPV4_RESPONSE = hex(`
  01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 08 00 01 a1 47 e1 12 a6 43
  00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
  80 28 00 04 c0 7d 4c 96`);
// §2.3: the same with IPv6 2001:db8:1234:5678:11:2233:4455:6677 port 32853.
const SAMPLE_IPV6_RESPONSE = hex(`
  01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
  00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
  80 28 00 04 c8 fb 0b 4c`);
// §2.4: request with long-term authentication (no FINGERPRINT).
const SAMPLE_LONG_TERM = hex(`
  00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
  00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
  00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
  00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
  00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66`);

const SHORT_TERM_PASSWORD = Buffer.from('VOkJxbRl1RmTxUk/WvJxBt', 'utf8');
const TXID = hex('b7 e7 a7 01 bc 34 d6 86 fa 87 df ae');

describe('RFC 5769 test vectors', () => {
  test('2.1 sample request: attributes, MESSAGE-INTEGRITY, FINGERPRINT, and re-encoding gives the same bytes', () => {
    const d = decode(SAMPLE_REQUEST);
    assert.equal(d.message.method, METHOD.Binding);
    assert.equal(d.message.cls, 'request');
    assert.deepEqual(d.message.transactionId, TXID);
    assert.equal(attributeValue(d.message, 'SOFTWARE'), 'STUN test client');
    assert.equal(attributeValue(d.message, 'USERNAME'), 'evtj:h6vY');
    assert.deepEqual(
      d.message.attributes.filter((a) => a.type === 'UNKNOWN').map((a) => (a as { code: number }).code),
      [0x0024, 0x8029],
    );
    assert.equal(d.fingerprint, 0xe57a3bcf);
    assert.equal(verifyIntegrity(d, SHORT_TERM_PASSWORD), true);
    assert.equal(verifyIntegrity(d, Buffer.from('wrong')), false);
    assert.deepEqual(encode(d.message, { integrityKey: SHORT_TERM_PASSWORD, fingerprint: true, padByte: 0x20 }), SAMPLE_REQUEST);
  });

  test('2.2 sample IPv4 response: XOR-MAPPED-ADDRESS 192.0.2.1:32853', () => {
    const d = decode(SAMPLE_IPV4_RESPONSE);
    assert.equal(d.message.cls, 'success');
    assert.equal(attributeValue(d.message, 'SOFTWARE'), 'test vector');
    assert.deepEqual(attributeValue(d.message, 'XOR-MAPPED-ADDRESS'), { family: 4, address: '192.0.2.1', port: 32853 });
    assert.equal(verifyIntegrity(d, SHORT_TERM_PASSWORD), true);
    assert.deepEqual(encode(d.message, { integrityKey: SHORT_TERM_PASSWORD, fingerprint: true, padByte: 0x20 }), SAMPLE_IPV4_RESPONSE);
  });

  test('2.3 sample IPv6 response: XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853', () => {
    const d = decode(SAMPLE_IPV6_RESPONSE);
    assert.deepEqual(attributeValue(d.message, 'XOR-MAPPED-ADDRESS'), { family: 6, address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 });
    assert.equal(verifyIntegrity(d, SHORT_TERM_PASSWORD), true);
    assert.deepEqual(encode(d.message, { integrityKey: SHORT_TERM_PASSWORD, fingerprint: true, padByte: 0x20 }), SAMPLE_IPV6_RESPONSE);
  });

  test('2.4 long-term authentication: key MD5(username:realm:password), USERNAME, NONCE, REALM', () => {
    const d = decode(SAMPLE_LONG_TERM);
    const username = '\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9';
    assert.equal(attributeValue(d.message, 'USERNAME'), username);
    assert.equal(attributeValue(d.message, 'NONCE'), 'f//499k954d6OL34oL9FSTvy64sA');
    assert.equal(attributeValue(d.message, 'REALM'), 'example.org');
    assert.equal(d.fingerprint, undefined);
    // The RFC's password is "The<U+00AD>M<U+00AA>tr<U+2168>", "TheMatrIX" after SASLprep.
    assert.equal('The\u00adM\u00aatr\u2168'.normalize('NFKC').replace(/\u00ad/g, ''), 'TheMatrIX');
    const key = longTermKey(username, 'example.org', 'TheMatrIX');
    assert.equal(verifyIntegrity(d, key), true);
    assert.equal(verifyIntegrity(d, longTermKey(username, 'example.com', 'TheMatrIX')), false);
    assert.deepEqual(encode(d.message, { integrityKey: key }), SAMPLE_LONG_TERM);
  });

  test('a damaged vector: FINGERPRINT mismatch, and MESSAGE-INTEGRITY no longer verifies', () => {
    const copy = Buffer.from(SAMPLE_IPV4_RESPONSE);
    copy[30] ^= 0x01; // inside SOFTWARE
    assert.throws(
      () => decode(copy),
      (e: unknown) => e instanceof StunDecodeError && e.code === 'FINGERPRINT_MISMATCH',
    );
    const noFingerprint = Buffer.from(SAMPLE_LONG_TERM);
    noFingerprint[25] ^= 0x01; // inside USERNAME: still decodes (no FINGERPRINT), integrity fails
    assert.equal(verifyIntegrity(decode(noFingerprint), longTermKey('\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9', 'example.org', 'TheMatrIX')), false);
  });
});

describe('codec details', () => {
  test('message types of the TURN methods', () => {
    assert.equal(messageType(METHOD.Binding, 'request'), 0x0001);
    assert.equal(messageType(METHOD.Binding, 'success'), 0x0101);
    assert.equal(messageType(METHOD.Allocate, 'error'), 0x0113);
    assert.equal(messageType(METHOD.Refresh, 'request'), 0x0004);
    assert.equal(messageType(METHOD.CreatePermission, 'success'), 0x0108);
    assert.equal(messageType(METHOD.Send, 'indication'), 0x0016);
    assert.equal(messageType(METHOD.Data, 'indication'), 0x0017);
  });

  test('CRC-32 is the ITU-T V.42 one', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  });

  test("ERROR-CODE: class and number, and coturn's trailing NUL survives decoding as sent", () => {
    const m: StunMessage = {
      method: METHOD.Allocate,
      cls: 'error',
      transactionId: TXID,
      attributes: [{ type: 'ERROR-CODE', value: { code: 438, reason: 'Wrong nonce\0' } }],
    };
    const bytes = encode(m);
    assert.deepEqual([...bytes.subarray(24, 28)], [0, 0, 4, 38]);
    assert.deepEqual(decode(bytes).message, m);
  });

  test('headers that are not STUN are typed errors', () => {
    const cases: [Buffer, string][] = [
      [Buffer.alloc(0), 'TOO_SHORT'],
      [Buffer.alloc(19), 'TOO_SHORT'],
      [Buffer.concat([Buffer.from([0x80, 0x01, 0, 0]), Buffer.alloc(16)]), 'NOT_STUN'],
      [Buffer.alloc(20), 'NOT_STUN'],
      [Buffer.concat([hex('0001 0002 2112a442'), Buffer.alloc(12)]), 'BAD_LENGTH'],
      [Buffer.concat([hex('0001 0004 2112a442'), Buffer.alloc(12)]), 'BAD_LENGTH'],
      [Buffer.concat([hex('0001 0004 2112a442'), Buffer.alloc(12), hex('00060008')]), 'TRUNCATED_ATTRIBUTE'],
      [Buffer.concat([hex('0101 000c 2112a442'), Buffer.alloc(12), hex('00200008 0003 0000 00000000')]), 'BAD_ATTRIBUTE'],
      [Buffer.concat([hex('0101 000c 2112a442'), Buffer.alloc(12), hex('80280004 00000000 00060000')]), 'FINGERPRINT_NOT_LAST'],
    ];
    for (const [bytes, code] of cases) {
      assert.throws(
        () => decode(bytes),
        (e: unknown) => e instanceof StunDecodeError && e.code === code,
        `${bytes.toString('hex')} should be ${code}`,
      );
    }
  });

  test('attributes after MESSAGE-INTEGRITY (other than FINGERPRINT) are ignored', () => {
    const key = Buffer.from('k');
    const m: StunMessage = { method: 1, cls: 'request', transactionId: TXID, attributes: [{ type: 'USERNAME', value: 'u' }] };
    const signed = encode(m, { integrityKey: key });
    const extra = Buffer.concat([signed, hex('80220004 74657374')]);
    extra.writeUInt16BE(extra.length - 20, 2);
    const d = decode(extra);
    assert.deepEqual(d.message, m);
    assert.equal(d.ignoredAfterIntegrity, 1);
    assert.equal(verifyIntegrity(d, key), true);
  });

  test('IP addresses: RFC 5952 text and the ranges a relay must refuse', () => {
    assert.equal(canonicalIp('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
    assert.equal(canonicalIp('::ffff:192.0.2.1'), '::ffff:192.0.2.1');
    assert.equal(bytesToIp(ipToBytes('1:0:0:2:0:0:0:3') as Buffer), '1:0:0:2::3');
    const kinds: Record<string, string> = {
      '127.0.0.1': 'loopback',
      '::1': 'loopback',
      '10.1.2.3': 'private',
      '172.31.255.255': 'private',
      '172.32.0.1': 'public',
      '192.168.0.1': 'private',
      '100.64.0.1': 'shared',
      '169.254.169.254': 'metadata',
      '169.254.0.1': 'link-local',
      'fe80::1': 'link-local',
      'fd00::1': 'ula',
      'fd00:ec2::254': 'metadata',
      '224.0.0.1': 'multicast',
      '::ffff:10.0.0.1': 'private',
      '8.8.8.8': 'public',
      '2001:db8::1': 'public',
    };
    for (const [address, kind] of Object.entries(kinds)) assert.equal(classifyAddress(address), kind, address);
  });

  test("Synapse's TURN REST credentials: expiry:user, base64(HMAC-SHA1(secret, username))", () => {
    const c = synapseTurnCredentials('s3cr3t-test-secret', '@alice:example.org', 3_600_000, 1_700_000_000_123);
    assert.equal(c.expiresAt, 1_700_003_600);
    assert.equal(c.username, '1700003600:@alice:example.org');
    // printf %s "$U" | openssl dgst -sha1 -hmac s3cr3t-test-secret -binary | base64
    assert.equal(c.password, 'wjeXN5sth7yBrAoZm6VO6JvHtxI=');
  });
});

// --- property tests ---------------------------------------------------------------------------------

function generators(seed: number) {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)];
  const CHARS = ['a', 'Z', '0', ':', '/', ' ', 'é', 'ß', 'マ', '中', '😀', '='];
  const text = (max: number) => Array.from({ length: int(max) }, () => pick(CHARS)).join('');
  const address = () =>
    rnd() < 0.5
      ? { family: 4 as const, address: bytesToIp(bytes(4)), port: int(65536) }
      : { family: 6 as const, address: bytesToIp(bytes(16)), port: int(65536) };
  const attribute = (): StunAttribute => {
    switch (int(8)) {
      case 0:
        return {
          type: pick([
            'MAPPED-ADDRESS',
            'XOR-MAPPED-ADDRESS',
            'XOR-RELAYED-ADDRESS',
            'XOR-PEER-ADDRESS',
            'RESPONSE-ORIGIN',
            'OTHER-ADDRESS',
            'ALTERNATE-SERVER',
          ] as const),
          value: address(),
        };
      case 1:
        return { type: pick(['USERNAME', 'REALM', 'NONCE', 'SOFTWARE'] as const), value: text(40) };
      case 2:
        return { type: 'ERROR-CODE', value: { code: 300 + int(400), reason: text(20) } };
      case 3:
        return { type: 'LIFETIME', value: int(2 ** 32) };
      case 4:
        return { type: 'REQUESTED-TRANSPORT', value: int(256) };
      case 5:
        return { type: 'UNKNOWN-ATTRIBUTES', value: Array.from({ length: int(5) }, () => int(65536)) };
      case 6:
        return { type: 'DATA', value: bytes(int(50)) };
      default: {
        let code = int(65536);
        while (isModelledAttribute(code)) code = int(65536);
        return { type: 'UNKNOWN', code, value: bytes(int(30)) };
      }
    }
  };
  const message = (): StunMessage => ({
    method: int(0x1000),
    cls: pick(['request', 'indication', 'success', 'error'] as StunClass[]),
    transactionId: bytes(12),
    attributes: Array.from({ length: int(9) }, attribute),
  });
  return { rnd, int, bytes, message };
}

describe('property tests (seeded)', () => {
  test('decode(encode(m)).message deep-equals m, with and without MESSAGE-INTEGRITY and FINGERPRINT', () => {
    const g = generators(20261126);
    for (let i = 0; i < 3000; i++) {
      const m = g.message();
      const key = g.rnd() < 0.5 ? g.bytes(16) : undefined;
      const fingerprint = g.rnd() < 0.5;
      const bytes = encode(m, { integrityKey: key, fingerprint, padByte: g.int(256) });
      assert.equal(bytes.length % 4, 0);
      const d = decode(bytes);
      assert.deepEqual(d.message, m, `case ${i}`);
      assert.equal(d.integrity !== undefined, key !== undefined);
      assert.equal(d.fingerprint !== undefined, fingerprint);
      if (key) {
        assert.equal(verifyIntegrity(d, key), true);
        assert.equal(verifyIntegrity(d, Buffer.concat([key, Buffer.from([1])])), false);
      }
    }
  });

  const onlyTypedErrors = (bytes: Buffer, label: string) => {
    try {
      decode(bytes);
    } catch (error) {
      if (!(error instanceof StunDecodeError)) assert.fail(`${label}: ${bytes.toString('hex')} threw ${(error as Error)?.stack ?? error}`);
    }
  };

  test('random bytes: decode returns or throws a StunDecodeError, nothing else', () => {
    const g = generators(7);
    for (let i = 0; i < 20_000; i++) onlyTypedErrors(g.bytes(g.int(120)), `random ${i}`);
  });

  test('STUN-shaped random bodies (valid header, random attributes) never throw anything untyped', () => {
    const g = generators(11);
    let decoded = 0;
    for (let i = 0; i < 20_000; i++) {
      const body = g.bytes(4 * g.int(30));
      // Random TLVs with plausible types and lengths, so that attribute decoders are exercised.
      for (let o = 0; o + 4 <= body.length; o += 4 + 4 * g.int(4)) {
        body.writeUInt16BE(
          g.rnd() < 0.7 ? [0x0001, 0x0006, 0x0008, 0x0009, 0x000a, 0x000d, 0x0012, 0x0014, 0x0016, 0x0019, 0x0020, 0x8022, 0x8028][g.int(13)] : g.int(65536),
          o,
        );
        body.writeUInt16BE(g.int(24), o + 2);
      }
      const header = Buffer.alloc(20);
      header.writeUInt16BE(g.int(0x4000), 0);
      header.writeUInt16BE(body.length, 2);
      header.writeUInt32BE(0x2112a442, 4);
      const bytes = Buffer.concat([header, body]);
      try {
        decode(bytes);
        decoded++;
      } catch (error) {
        if (!(error instanceof StunDecodeError)) assert.fail(`${bytes.toString('hex')} threw ${(error as Error)?.stack ?? error}`);
      }
    }
    assert.ok(decoded > 100, `only ${decoded} of the shaped inputs decoded: the generator does not reach the attribute decoders`);
  });

  test('damaged valid messages (flipped bytes, cut, extended) never throw anything untyped', () => {
    const g = generators(99);
    for (let i = 0; i < 5000; i++) {
      const bytes = encode(g.message(), { integrityKey: g.rnd() < 0.5 ? g.bytes(16) : undefined, fingerprint: g.rnd() < 0.5 });
      const damaged = Buffer.from(bytes);
      for (let k = 0; k < 1 + g.int(4); k++) damaged[g.int(damaged.length)] = g.int(256);
      onlyTypedErrors(damaged, `flipped ${i}`);
      onlyTypedErrors(bytes.subarray(0, g.int(bytes.length)), `cut ${i}`);
      onlyTypedErrors(Buffer.concat([bytes, g.bytes(1 + g.int(8))]), `extended ${i}`);
    }
  });
});
