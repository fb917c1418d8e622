// Test certificates made with the openssl CLI, once per process, in a temporary folder: a test CA, a
// leaf it signed for the example.test names (plus localhost and 127.0.0.1), an expired leaf from the same
// CA and a self-signed leaf. Nothing here touches the network.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface KeyPair {
  /** PEM certificate (the leaf alone). */
  cert: string;
  /** PEM private key. */
  key: string;
  certFile: string;
  keyFile: string;
}

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
const SAN = `subjectAltName=${LEAF_NAMES.map((n) => `DNS:${n}`).join(',')},IP:127.0.0.1`;

let cached: TestCerts | undefined;

function openssl(dir: string, args: string[]): void {
  try {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stderr?: Buffer; message: string };
    throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr?.toString() || e.message}`);
  }
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** The test CA and leaves, generated on first use and reused by every later call in this process. */
export function testCerts(): TestCerts {
  if (cached) return cached;
  const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-tls-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string) => path.join(dir, name);

  openssl(dir, [
    'req',
    '-x509',
    ...EC_KEY,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '3650',
    '-subj',
    '/CN=matrixdoc test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  writeFileSync(
    file('leaf.ext'),
    ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth', SAN, ''].join('\n'),
  );

  // The valid leaf.
  openssl(dir, ['req', ...EC_KEY, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=example.test']);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'leaf.crt',
    '-days',
    '825',
    '-sha256',
    '-extfile',
    'leaf.ext',
  ]);

  // The expired leaf: `openssl x509 -req` cannot back-date, `openssl ca` can (-startdate/-enddate).
  openssl(dir, ['req', ...EC_KEY, '-keyout', 'expired.key', '-out', 'expired.csr', '-subj', '/CN=example.test']);
  writeFileSync(file('index.txt'), '');
  writeFileSync(file('serial'), '1000\n');
  writeFileSync(
    file('ca.cnf'),
    [
      '[ca]',
      'default_ca = testca',
      '[testca]',
      `dir = ${dir}`,
      'database = $dir/index.txt',
      'serial = $dir/serial',
      'new_certs_dir = $dir',
      'default_md = sha256',
      'policy = anything',
      'unique_subject = no',
      'copy_extensions = none',
      '[anything]',
      'commonName = supplied',
      '[leaf]',
      'basicConstraints = CA:FALSE',
      'keyUsage = critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage = serverAuth',
      SAN.replace('=', ' = '),
      '',
    ].join('\n'),
  );
  openssl(dir, [
    'ca',
    '-batch',
    '-notext',
    '-config',
    'ca.cnf',
    '-extensions',
    'leaf',
    '-cert',
    'ca.crt',
    '-keyfile',
    'ca.key',
    '-in',
    'expired.csr',
    '-out',
    'expired.crt',
    '-startdate',
    '20200101000000Z',
    '-enddate',
    '20210101000000Z',
  ]);

  // The self-signed leaf.
  openssl(dir, [
    'req',
    '-x509',
    ...EC_KEY,
    '-keyout',
    'self.key',
    '-out',
    'self.crt',
    '-days',
    '825',
    '-subj',
    '/CN=example.test',
    '-addext',
    'basicConstraints=critical,CA:FALSE',
    '-addext',
    'extendedKeyUsage=serverAuth',
    '-addext',
    SAN,
  ]);

  const pair = (crt: string, key: string): KeyPair => ({
    cert: readFileSync(file(crt), 'utf8'),
    key: readFileSync(file(key), 'utf8'),
    certFile: file(crt),
    keyFile: file(key),
  });
  cached = {
    dir,
    ca: { cert: readFileSync(file('ca.crt'), 'utf8'), certFile: file('ca.crt') },
    leaf: pair('leaf.crt', 'leaf.key'),
    expired: pair('expired.crt', 'expired.key'),
    selfSigned: pair('self.crt', 'self.key'),
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
  const { dir } = testCerts();
  const stem = `extra-${issued.size + 1}`;
  const san = `subjectAltName=${names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',')}`;
  writeFileSync(
    path.join(dir, `${stem}.ext`),
    ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth', san, ''].join('\n'),
  );
  openssl(dir, ['req', ...EC_KEY, '-keyout', `${stem}.key`, '-out', `${stem}.csr`, '-subj', `/CN=${names[0]}`]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${stem}.csr`,
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    `${stem}.crt`,
    '-days',
    String(days),
    '-sha256',
    '-extfile',
    `${stem}.ext`,
  ]);
  const pair: KeyPair = {
    cert: readFileSync(path.join(dir, `${stem}.crt`), 'utf8'),
    key: readFileSync(path.join(dir, `${stem}.key`), 'utf8'),
    certFile: path.join(dir, `${stem}.crt`),
    keyFile: path.join(dir, `${stem}.key`),
  };
  issued.set(id, pair);
  return pair;
}
