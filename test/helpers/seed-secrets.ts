// The secrets a copy of the seed deployment holds, for tests that prove none of them reaches an output.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { isSecretKey } from '../../src/report/redact.js';

/** Every secret the seed files under `dir` hold: values under secret keys, and credentials in URLs. */
export function seedSecrets(dir: string): string[] {
  const secrets = new Set<string>();
  const walk = (v: unknown, key = '') => {
    if (Array.isArray(v)) for (const x of v) walk(x, key);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    else if (typeof v === 'string' && v.length >= 3 && isSecretKey(key)) secrets.add(v);
    else if (typeof v === 'string') for (const m of v.matchAll(/[?&]key=([^&]+)/g)) secrets.add(m[1]);
  };
  walk(parse(readFileSync(path.join(dir, 'synapse/homeserver.yaml'), 'utf8')));
  walk(JSON.parse(readFileSync(path.join(dir, 'element/config.json'), 'utf8')));
  for (const line of readFileSync(path.join(dir, 'jitsi/.env'), 'utf8').split('\n')) {
    const m = line.match(/^([A-Z_]+)=(.+)$/);
    if (m && isSecretKey(m[1])) secrets.add(m[2]);
  }
  return [...secrets];
}
