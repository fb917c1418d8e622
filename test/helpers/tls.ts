// Test certificates for the loopback test servers, made once per process by a test CA: a leaf for the
// example.test names (plus localhost and 127.0.0.1), an expired leaf from the same CA and a self-signed
// leaf. Nothing here touches the network.

import { type KeyPair, TestCa } from './test-ca.js';

export type { KeyPair } from './test-ca.js';

export interface TestCerts {
  dir: string;
  ca: { cert: string; certFile: string };
  /** Signed by the CA for LEAF_NAMES and 127.0.0.1, valid now. */
  leaf: KeyPair;
  /** Signed by the CA for the same names, expired since 2021. */
  expired: KeyPair;
  /** Self-signed (no CA) for the same names. */
  selfSigned: KeyPair;
}

export const LEAF_NAMES = ['example.test', 'matrix.example.test', 'meet.example.test', 'localhost'] as const;
const DAY = 86_400_000;

let ca: TestCa | undefined;
let cached: TestCerts | undefined;

/** The test CA and leaves, generated on first use and reused by every later call in this process. */
export function testCerts(): TestCerts {
  if (cached) return cached;
  ca ??= new TestCa('matrixdoc test CA');
  const names = [...LEAF_NAMES, '127.0.0.1'];
  const now = Date.now();
  cached = {
    dir: ca.dir,
    ca: { cert: ca.cert, certFile: ca.certFile },
    leaf: ca.issue(names, { from: new Date(now - DAY), to: new Date(now + 825 * DAY) }),
    expired: ca.issue(names, { from: new Date('2020-01-01T00:00:00Z'), to: new Date('2021-01-01T00:00:00Z') }),
    selfSigned: ca.issue(names, { from: new Date(now - DAY), to: new Date(now + 825 * DAY), selfSigned: true }),
  };
  return cached;
}

const issued = new Map<string, KeyPair>();

/**
 * A leaf signed by the test CA for other names than LEAF_NAMES (DNS names and IP addresses), valid for
 * `days` days from now: certificates for a wrong name, or that expire soon. Made once per process per
 * (names, days).
 */
export function issueLeaf(names: string[], opts: { days?: number } = {}): KeyPair {
  const days = opts.days ?? 825;
  const id = `${names.join(',')}|${days}`;
  const known = issued.get(id);
  if (known) return known;
  testCerts();
  const now = Date.now();
  const pair = (ca as TestCa).issue(names, { from: new Date(now - 60_000), to: new Date(now + days * DAY) });
  issued.set(id, pair);
  return pair;
}
