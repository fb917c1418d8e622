// Secrets never reach any output. Two layers: values under secret-looking keys are replaced wherever
// they appear in structured data, and every secret value seen while probing is scrubbed from all text
// (report, human output, saved probes, error lines). A replaced secret becomes `<redacted:TAG>`, where
// TAG is a keyed hash (random key per process): equal secrets keep equal tags, so a replayed capture
// can still tell "the two shared secrets differ" without revealing either.

import { createHmac, randomBytes } from 'node:crypto';

/** Keys whose values are secrets: passwords, *_secret, *_key, tokens, credentials. */
export const SECRET_KEY = /(^|[_\-.])(password|passwd|secret|token|key|apikey|credentials?)$/i;
const CAMEL_SECRET_KEY = /[a-z](Password|Secret|Token|Key)$/;

/** Keys that end like a secret but hold no secret (paths to files, public key material, settings). */
const NOT_SECRET_KEY = /(_path|_file|_dir|_url|_uri|_lifetime|_enabled|_type)$|^(verify_keys|old_verify_keys|keys?_id)$/i;

/** URL query parameters that carry credentials. */
const SECRET_QUERY = /([?&](?:key|api_key|apikey|access_token|token|secret|password|sig|signature)=)([^&#\s"'<>]+)/gi;
const BEARER = /(\bBearer\s+)([A-Za-z0-9._~+/=-]{8,})/g;
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@"']+:)([^@\s/"']+)(@)/gi;

export const MIN_SECRET_LENGTH = 3;

export function isSecretKey(key: string): boolean {
  return (SECRET_KEY.test(key) || CAMEL_SECRET_KEY.test(key)) && !NOT_SECRET_KEY.test(key);
}

export class Redactor {
  private readonly secrets = new Set<string>();
  private readonly hmacKey = randomBytes(32);
  private readonly tags = new Map<string, string>();
  /** Secrets longest first, with their JSON-escaped form; rebuilt only when a secret is added. */
  private ordered?: { secret: string; escaped: string; tag: string }[];

  /** Registers a secret value; short values are kept out (they would shred unrelated text). */
  add(value: unknown): void {
    if (typeof value === 'number') value = String(value);
    if (typeof value !== 'string') return;
    const v = value.trim();
    if (v.length >= MIN_SECRET_LENGTH && !v.startsWith('<redacted:') && !this.secrets.has(v)) {
      this.secrets.add(v);
      this.ordered = undefined;
    }
  }

  /** Registers every value under a secret key in a parsed config (maps, lists, nested). */
  addFromObject(value: unknown, parentKey = ''): void {
    if (Array.isArray(value)) {
      for (const item of value) this.addFromObject(item, parentKey);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) this.addFromObject(v, k);
    } else if (parentKey && isSecretKey(parentKey)) {
      this.add(value);
    }
  }

  tag(secret: string): string {
    let tag = this.tags.get(secret);
    if (tag === undefined) {
      tag = `<redacted:${createHmac('sha256', this.hmacKey).update(secret).digest('hex').slice(0, 8)}>`;
      this.tags.set(secret, tag);
    }
    return tag;
  }

  /** Scrubs known secrets, credential query parameters, bearer tokens and URL passwords from text. */
  text(input: string): string {
    let out = input;
    // Longest first, so a secret that contains another is replaced whole.
    this.ordered ??= [...this.secrets]
      .sort((a, b) => b.length - a.length)
      .map((secret) => ({ secret, escaped: JSON.stringify(secret).slice(1, -1), tag: this.tag(secret) }));
    for (const { secret, escaped, tag } of this.ordered) {
      if (out.includes(secret)) out = out.split(secret).join(tag);
      if (escaped !== secret && out.includes(escaped)) out = out.split(escaped).join(tag);
    }
    out = out.replace(SECRET_QUERY, (_m, prefix: string, val: string) => (val.startsWith('<redacted') ? `${prefix}${val}` : `${prefix}${this.tag(val)}`));
    out = out.replace(BEARER, (_m, prefix: string, val: string) => `${prefix}${this.tag(val)}`);
    out = out.replace(URL_USERINFO, (_m, a: string, val: string, c: string) => `${a}${this.tag(val)}${c}`);
    return out;
  }

  /** A deep copy with secret-keyed values replaced and every string scrubbed. */
  value<T>(input: T, parentKey = ''): T {
    if (typeof input === 'string') {
      if (parentKey && isSecretKey(parentKey) && input !== '') return this.tag(input) as T;
      return this.text(input) as T;
    }
    if (typeof input === 'number' && parentKey && isSecretKey(parentKey)) return this.tag(String(input)) as T;
    if (Array.isArray(input)) return input.map((item) => this.value(item, parentKey)) as T;
    if (input && typeof input === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(input)) out[k] = this.value(v, k);
      return out as T;
    }
    return input;
  }
}
