// Certificates for the test deployment, made with the openssl CLI at test time (once per process): a
// test CA and leaves for the seed's names that are valid, for the wrong name, expired, expiring within
// days, or self-signed.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const DEPLOYMENT_NAMES = ['xfoss.com', 'matrix.xfoss.com', 'meet.xfoss.com'] as const;
export type CertKind = 'valid' | 'wrongName' | 'expired' | 'expiringSoon' | 'selfSigned';

export interface Leaf {
  certFile: string;
  keyFile: string;
  names: string[];
}

export interface DeploymentCerts {
  dir: string;
  caFile: string;
  leaves: Record<CertKind, Leaf>;
}

let cached: DeploymentCerts | undefined;

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

const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const DAY = 86_400_000;

export function deploymentCerts(): DeploymentCerts {
  if (cached) return cached;
  const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-harness-certs-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  openssl(dir, [
    'req',
    '-x509',
    ...KEY,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '3650',
    '-subj',
    '/CN=matrixdoc harness CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  writeFileSync(path.join(dir, 'index.txt'), '');
  writeFileSync(path.join(dir, 'serial'), '1000\n');
  writeFileSync(
    path.join(dir, 'ca.cnf'),
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
      '',
    ].join('\n'),
  );
  const now = Date.now();
  const issue = (kind: CertKind, names: string[], from: Date, to: Date): Leaf => {
    const ext = path.join(dir, `${kind}.ext`);
    const san = `subjectAltName = ${[...names.map((n) => `DNS:${n}`), 'IP:127.0.0.1'].join(',')}`;
    writeFileSync(
      ext,
      ['[leaf]', 'basicConstraints = CA:FALSE', 'keyUsage = critical,digitalSignature,keyEncipherment', 'extendedKeyUsage = serverAuth', san, ''].join('\n'),
    );
    openssl(dir, ['req', ...KEY, '-keyout', `${kind}.key`, '-out', `${kind}.csr`, '-subj', `/CN=${names[0]}`]);
    if (kind === 'selfSigned') {
      openssl(dir, [
        'x509',
        '-req',
        '-in',
        `${kind}.csr`,
        '-signkey',
        `${kind}.key`,
        '-out',
        `${kind}.crt`,
        '-days',
        '30',
        '-extfile',
        ext,
        '-extensions',
        'leaf',
      ]);
    } else {
      openssl(dir, [
        'ca',
        '-batch',
        '-notext',
        '-config',
        'ca.cnf',
        '-extfile',
        ext,
        '-extensions',
        'leaf',
        '-cert',
        'ca.crt',
        '-keyfile',
        'ca.key',
        '-in',
        `${kind}.csr`,
        '-out',
        `${kind}.crt`,
        '-startdate',
        stamp(from),
        '-enddate',
        stamp(to),
      ]);
    }
    return { certFile: path.join(dir, `${kind}.crt`), keyFile: path.join(dir, `${kind}.key`), names };
  };
  const names = [...DEPLOYMENT_NAMES, 'localhost'];
  cached = {
    dir,
    caFile: path.join(dir, 'ca.crt'),
    leaves: {
      valid: issue('valid', names, new Date(now - DAY), new Date(now + 400 * DAY)),
      wrongName: issue('wrongName', ['wrong.example'], new Date(now - DAY), new Date(now + 400 * DAY)),
      expired: issue('expired', names, new Date(now - 400 * DAY), new Date(now - 30 * DAY)),
      expiringSoon: issue('expiringSoon', names, new Date(now - 60 * DAY), new Date(now + 5 * DAY)),
      selfSigned: issue('selfSigned', names, new Date(now - DAY), new Date(now + 30 * DAY)),
    },
  };
  return cached;
}
