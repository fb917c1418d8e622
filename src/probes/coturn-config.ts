// coturn's turnserver.conf (--coturn-config): its options with line numbers. Secrets (static-auth-secret,
// user passwords, database connection strings, cli-password...) are registered with the redactor and
// kept out of the entries; the shared secrets are kept apart, under a secret-named key, only so that the
// turn check can tell whether homeserver.yaml's turn_shared_secret is one of them (without showing either).

import { defineProbe } from '../engine/define.js';
import { readTextFile } from './files.js';

export interface CoturnEntry {
  /** Option name without leading dashes, lower case (coturn's names are). */
  name: string;
  /** The value; absent for flags (`fingerprint`) and for secret options. */
  value?: string;
  /** The option holds a secret (its value is not kept here). */
  secret?: boolean;
  line: number;
}

export interface CoturnConfigArtifact {
  file: string;
  sha256: string;
  size: number;
  entries: CoturnEntry[];
  /** Every static-auth-secret value, in order (secret: redacted in reports and captures). */
  staticAuthSecret: string[];
}

/** Options whose value is a secret, entirely or in part (user=name:password). */
const SECRET_OPTION = /(secret|password|pwd|userdb|statsdb)$/;

/** One `name=value` (or `name value`, or a bare flag) per line, `#` comments; as coturn's config reader. */
export function parseCoturnConfig(text: string): { entries: CoturnEntry[]; staticAuthSecret: string[]; secrets: string[] } {
  const entries: CoturnEntry[] = [];
  const staticAuthSecret: string[] = [];
  const secrets: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = line.match(/^-{0,2}([A-Za-z0-9_-]+)\s*(?:=\s*|\s+)?(.*)$/);
    if (!m) return;
    const name = m[1].toLowerCase();
    const value = m[2].trim().replace(/^"(.*)"$/, '$1');
    if (name === 'static-auth-secret') {
      staticAuthSecret.push(value);
      secrets.push(value);
      entries.push({ name, secret: true, line: i + 1 });
    } else if (name === 'user' && value.includes(':')) {
      const [user, ...rest] = value.split(':');
      secrets.push(rest.join(':'));
      entries.push({ name, value: user, secret: true, line: i + 1 });
    } else if (SECRET_OPTION.test(name)) {
      if (value) secrets.push(value);
      entries.push({ name, secret: true, line: i + 1 });
    } else {
      entries.push({ name, ...(value ? { value } : {}), line: i + 1 });
    }
  });
  return { entries, staticAuthSecret, secrets };
}

export const coturnConfigProbe = defineProbe<CoturnConfigArtifact>({
  id: 'coturnConfig',
  description: "Reads coturn's turnserver.conf (--coturn-config); secrets are redacted",
  network: false,
  async run(ctx) {
    const file = ctx.inputs.coturnConfig;
    if (!file) return { skip: 'no coturn config given (--coturn-config)' };
    const read = await readTextFile(file, '--coturn-config');
    const parsed = parseCoturnConfig(read.text);
    for (const s of parsed.secrets) ctx.addSecret(s);
    return { file, sha256: read.sha256, size: read.size, entries: parsed.entries, staticAuthSecret: parsed.staticAuthSecret };
  },
});
