// Certificates for the test deployment, made by a test CA at test time (once per process): leaves for
// the seed's names that are valid, for the wrong name, expired, expiring within days, or self-signed.

import { TestCa } from '../helpers/test-ca.js';

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
const DAY = 86_400_000;

export function deploymentCerts(): DeploymentCerts {
  if (cached) return cached;
  const ca = new TestCa('matrixdoc harness CA');
  const now = Date.now();
  const leaf = (names: string[], from: number, to: number, selfSigned = false): Leaf => {
    const { certFile, keyFile } = ca.issue([...names, '127.0.0.1'], { from: new Date(from), to: new Date(to), selfSigned });
    return { certFile, keyFile, names };
  };
  const names = [...DEPLOYMENT_NAMES, 'localhost'];
  cached = {
    dir: ca.dir,
    caFile: ca.certFile,
    leaves: {
      valid: leaf(names, now - DAY, now + 400 * DAY),
      wrongName: leaf(['wrong.example'], now - DAY, now + 400 * DAY),
      expired: leaf(names, now - 400 * DAY, now - 30 * DAY),
      expiringSoon: leaf(names, now - 60 * DAY, now + 5 * DAY),
      selfSigned: leaf(names, now - DAY, now + 30 * DAY, true),
    },
  };
  return cached;
}
