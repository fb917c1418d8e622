// Logins against a harness deployment (test/harness/deployment.ts), made by hand: for the tests of its
// login limiter and of rate-limits that need a client on a chosen loopback address.

import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { TestDeployment } from '../harness/deployment.js';

/** A failed login for a random non-existent user, from a chosen loopback address, through nginx; resolves to the HTTP status. */
export function failedLogin(d: TestDeployment, from: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port: d.ports.https,
        localAddress: from,
        servername: 'matrix.xfoss.com',
        headers: { host: 'matrix.xfoss.com', 'content-type': 'application/json' },
        method: 'POST',
        path: '/_matrix/client/v3/login',
        ca: readFileSync(d.certs.caFile),
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ type: 'm.login.password', identifier: { type: 'm.id.user', user: `nobody-${Math.random()}` }, password: 'x' }));
  });
}
