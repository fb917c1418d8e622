// A certificate authority for tests, made with the openssl CLI in a temporary folder (removed at exit):
// leaves for any names (DNS names and IP addresses), valid between any two dates, or self-signed.
// Both the loopback test servers (test/helpers/tls.ts) and the deployment harness (test/harness/certs.ts)
// issue their certificates here.

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

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(dir: string, args: string[]): void {
  try {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stderr?: Buffer; message: string };
    throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr?.toString() || e.message}`);
  }
}

/** openssl ca's date format: YYYYMMDDHHMMSSZ. */
function stamp(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

export class TestCa {
  readonly dir: string;
  readonly certFile: string;
  readonly cert: string;
  private serial = 0;

  constructor(commonName: string) {
    this.dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-ca-'));
    process.once('exit', () => rmSync(this.dir, { recursive: true, force: true }));
    // biome-ignore format: openssl arguments read best in pairs
    openssl(this.dir, ['req', '-x509', ...EC_KEY, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650', '-subj', `/CN=${commonName}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    writeFileSync(path.join(this.dir, 'index.txt'), '');
    writeFileSync(path.join(this.dir, 'serial'), '1000\n');
    writeFileSync(
      path.join(this.dir, 'ca.cnf'),
      [
        '[ca]',
        'default_ca = testca',
        '[testca]',
        `dir = ${this.dir}`,
        'database = $dir/index.txt',
        'serial = $dir/serial',
        'new_certs_dir = $dir',
        'default_md = sha256',
        'policy = anything',
        'unique_subject = no',
        'copy_extensions = none',
        '[anything]',
        'commonName = supplied',
        '',
      ].join('\n'),
    );
    this.certFile = path.join(this.dir, 'ca.crt');
    this.cert = readFileSync(this.certFile, 'utf8');
  }

  /** A leaf for `names` (the first is the CN; IP addresses become IP SANs), signed by this CA or by itself. */
  issue(names: string[], opts: { from: Date; to: Date; selfSigned?: boolean }): KeyPair {
    const stem = `leaf-${++this.serial}`;
    const file = (ext: string) => path.join(this.dir, `${stem}.${ext}`);
    const san = `subjectAltName = ${names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',')}`;
    writeFileSync(
      file('ext'),
      ['[leaf]', 'basicConstraints = CA:FALSE', 'keyUsage = critical,digitalSignature,keyEncipherment', 'extendedKeyUsage = serverAuth', san, ''].join('\n'),
    );
    openssl(this.dir, ['req', ...EC_KEY, '-keyout', file('key'), '-out', file('csr'), '-subj', `/CN=${names[0]}`]);
    if (opts.selfSigned) {
      const days = String(Math.max(1, Math.round((opts.to.getTime() - Date.now()) / 86_400_000)));
      openssl(this.dir, [
        'x509',
        '-req',
        '-in',
        file('csr'),
        '-signkey',
        file('key'),
        '-out',
        file('crt'),
        '-days',
        days,
        '-extfile',
        file('ext'),
        '-extensions',
        'leaf',
      ]);
    } else {
      // biome-ignore format: openssl arguments read best in pairs
      openssl(this.dir, ['ca', '-batch', '-notext', '-config', 'ca.cnf', '-extfile', file('ext'), '-extensions', 'leaf', '-cert', 'ca.crt', '-keyfile', 'ca.key',
        '-in', file('csr'), '-out', file('crt'), '-startdate', stamp(opts.from), '-enddate', stamp(opts.to)]);
    }
    return { cert: readFileSync(file('crt'), 'utf8'), key: readFileSync(file('key'), 'utf8'), certFile: file('crt'), keyFile: file('key') };
  }
}
