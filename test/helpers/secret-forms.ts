// The forms in which a secret could leak into an output: plain, URL-encoded (URI component and form
// encoding), JSON-escaped, and base64/base64url at each byte alignment. Tests that prove no secret reaches
// an output (the support bundle, the redaction of every command's output) scan for all of them.

import assert from 'node:assert/strict';

/** A secret's stable fragments in base64 and base64url, at each of the three byte alignments. */
export function base64Forms(secret: string): string[] {
  const out = new Set<string>();
  const bytes = Buffer.from(secret, 'utf8');
  for (let k = 0; k < 3; k++) {
    const padded = Buffer.concat([Buffer.alloc(k, 0x41), bytes]);
    for (const enc of ['base64', 'base64url'] as const) {
      const text = padded.toString(enc).replace(/=+$/, '');
      // Characters that depend only on the secret: skip the group holding the prefix, and the last group.
      const start = k === 0 ? 0 : 4;
      const fragment = text.slice(start, Math.max(start, text.length - 4));
      if (fragment.length >= 8) out.add(fragment);
    }
  }
  return [...out];
}

/** Every form of `secret` to look for, by kind (plain, url, form, json, base64#N). */
export function secretForms(secret: string): Record<string, string> {
  const f: Record<string, string> = {
    plain: secret,
    url: encodeURIComponent(secret),
    form: new URLSearchParams({ x: secret }).toString().slice(2),
    json: JSON.stringify(secret).slice(1, -1),
  };
  base64Forms(secret).forEach((b, i) => {
    f[`base64#${i}`] = b;
  });
  return f;
}

/** Fails, naming `where` and the form, when `text` holds any secret in any of its forms. */
export function assertNoSecret(secrets: string[], where: string, text: string): void {
  for (const s of secrets) {
    for (const [kind, form] of Object.entries(secretForms(s))) {
      assert.ok(!text.includes(form), `${where} holds the secret '${s.slice(0, 3)}…' (${kind} form)`);
    }
  }
}
