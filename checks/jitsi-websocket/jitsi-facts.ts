// Facts about docker-jitsi-meet's `.env` (jitsi/docker-jitsi-meet at 2e6b31d, 2026-08-20, which includes
// the tags stable-11146, -1 and -2), and how its containers read it. Every default below is the one the
// templates apply when the variable is unset OR empty (sprig's `default`), with the file it comes from.
// Shared by the jitsi-websocket and jitsi-jvb checks and the jitsi probes; pure (no I/O).

import type { EnvEntry } from '../../src/parse/dotenv.js';
import type { JitsiEnvArtifact } from '../../src/probes/config-files.js';

export interface EnvDefault {
  value: string;
  source: string;
}

/** docker-jitsi-meet's defaults for the variables the checks read. */
export const DEFAULTS: Record<string, EnvDefault> = {
  PUBLIC_URL: { value: 'https://localhost:8443', source: 'web/rootfs/defaults/system-config.js ($PUBLIC_URL_DOMAIN)' },
  HTTP_PORT: { value: '8000', source: 'env.example (docker-compose.yml publishes HTTP_PORT on the container port 8000)' },
  HTTPS_PORT: { value: '8443', source: 'env.example (docker-compose.yml publishes HTTPS_PORT on the container port 8443)' },
  ENABLE_HTTP_REDIRECT: { value: '0', source: 'web/rootfs/defaults/default' },
  DISABLE_HTTPS: { value: '0', source: 'web/rootfs/defaults/default' },
  ENABLE_XMPP_WEBSOCKET: { value: '1', source: 'web/rootfs/defaults/system-config.js, meet.conf' },
  ENABLE_SUBDOMAINS: { value: 'true', source: 'web/rootfs/defaults/system-config.js' },
  BOSH_RELATIVE: { value: 'false', source: 'web/rootfs/defaults/system-config.js' },
  ENABLE_AUTH: { value: '0', source: 'prosody/rootfs/defaults/conf.d/jitsi-meet.cfg.lua' },
  ENABLE_GUESTS: { value: '0', source: 'prosody/rootfs/defaults/conf.d/jitsi-meet.cfg.lua' },
  AUTH_TYPE: { value: 'internal', source: 'prosody/rootfs/defaults/conf.d/jitsi-meet.cfg.lua' },
  XMPP_DOMAIN: { value: 'meet.jitsi', source: 'web/rootfs/defaults/system-config.js, prosody/rootfs/etc/s6-overlay/scripts/config' },
  XMPP_AUTH_DOMAIN: { value: 'auth.meet.jitsi', source: 'prosody/rootfs/defaults/conf.d/jitsi-meet.cfg.lua' },
  XMPP_MUC_DOMAIN: { value: 'muc.meet.jitsi', source: 'web/rootfs/defaults/system-config.js, prosody/rootfs/defaults/conf.d/jitsi-meet.cfg.lua' },
  XMPP_INTERNAL_MUC_DOMAIN: { value: 'internal-muc.meet.jitsi', source: 'prosody/rootfs/defaults/conf.d/jitsi-meet.cfg.lua' },
  XMPP_GUEST_DOMAIN: { value: 'guest.meet.jitsi', source: 'web/rootfs/defaults/system-config.js' },
  JVB_PORT: { value: '10000', source: 'jvb/rootfs/defaults/jvb.conf, docker-compose.yml (JVB_PORT:-10000 /udp)' },
  JVB_COLIBRI_PORT: { value: '8080', source: 'docker-compose.yml (published on 127.0.0.1, JVB_COLIBRI_PORT:-8080)' },
  ENABLE_P2P: { value: 'true', source: 'web/rootfs/defaults/settings-config.js' },
};

// JITSI_IMAGE_VERSION has no default here: each release's docker-compose.yml pins its own tag
// (`JITSI_IMAGE_VERSION:-stable-11146` in stable-11146), the master branch uses `unstable`.

/** Variables read through docker-jitsi-meet's `toBool` (jitsi/tpl func.go: strconv.ParseBool after removing quotes; anything else panics). */
export const BOOLEAN_VARIABLES = [
  'ENABLE_HTTP_REDIRECT',
  'DISABLE_HTTPS',
  'ENABLE_XMPP_WEBSOCKET',
  'ENABLE_COLIBRI_WEBSOCKET',
  'ENABLE_SUBDOMAINS',
  'BOSH_RELATIVE',
  'ENABLE_AUTH',
  'ENABLE_GUESTS',
  'ENABLE_P2P',
  'ENABLE_IPV6',
  'ENABLE_LETSENCRYPT',
] as const;

/** Go's strconv.ParseBool. */
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/**
 * The service passwords. Prosody's and Jicofo's config scripts exit with "FATAL ERROR: Jicofo auth
 * password must be set" / "FATAL ERROR: JVB auth password must be set" when the first two are empty
 * (prosody/, jicofo/, jvb/rootfs/etc/s6-overlay/scripts/config); Jigasi's and Jibri's only when those
 * optional services (jigasi.yml, jibri.yml) run. `gen-passwords.sh` fills all six with `openssl rand -hex 16`.
 */
export const REQUIRED_PASSWORDS = ['JICOFO_AUTH_PASSWORD', 'JVB_AUTH_PASSWORD'] as const;
export const OPTIONAL_PASSWORDS = ['JIGASI_XMPP_PASSWORD', 'JIGASI_TRANSCRIBER_PASSWORD', 'JIBRI_RECORDER_PASSWORD', 'JIBRI_XMPP_PASSWORD'] as const;
export const PASSWORD_MESSAGES: Record<string, string> = {
  JICOFO_AUTH_PASSWORD: 'FATAL ERROR: Jicofo auth password must be set',
  JVB_AUTH_PASSWORD: 'FATAL ERROR: JVB auth password must be set',
  JIGASI_XMPP_PASSWORD: 'FATAL ERROR: Jigasi auth password must be set',
  JIGASI_TRANSCRIBER_PASSWORD: 'FATAL ERROR: Jigasi auth password must be set',
  JIBRI_RECORDER_PASSWORD: 'FATAL ERROR: Jibri recorder password and auth password must be set',
  JIBRI_XMPP_PASSWORD: 'FATAL ERROR: Jibri recorder password and auth password must be set',
};

/**
 * Colibri (bridge channel) WebSockets: ENABLE_COLIBRI_WEBSOCKET defaulted to 1 from 2021-04 (e1cebcc2)
 * until stable-9584 (982e5770 "default to using SCTP based datachannels"), then 0; it was removed with
 * the /colibri-ws/ nginx location in stable-11146 (9ea0cbba, #2285).
 */
export const COLIBRI_DEFAULT_OFF_FROM = 9584;
export const COLIBRI_REMOVED_IN = 11146;
/** The newest stable tag these facts were checked against. */
export const NEWEST_KNOWN_STABLE = 'stable-11146-2';

export interface ImageVersion {
  text: string;
  /** The stable build number (`stable-11146-2` -> 11146). */
  build?: number;
  /** `stable`, `latest`, `unstable`: tags that move to each new release. */
  moving: boolean;
}

export function imageVersion(text: string | undefined): ImageVersion | undefined {
  if (!text) return undefined;
  const m = /^stable-(\d+)(?:-\d+)?$/.exec(text);
  if (m) return { text, build: Number(m[1]), moving: false };
  if (['stable', 'latest', 'unstable'].includes(text)) return { text, moving: true };
  const unstable = /^unstable-(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return { text, moving: Boolean(unstable) };
}

/** Whether that release still has colibri WebSockets, and whether they are on by default. */
export function colibriSupport(version: ImageVersion | undefined): 'removed' | 'default-on' | 'default-off' | 'unknown' {
  if (!version) return 'unknown';
  if (version.build === undefined) return version.moving ? 'removed' : 'unknown';
  if (version.build >= COLIBRI_REMOVED_IN) return 'removed';
  return version.build >= COLIBRI_DEFAULT_OFF_FROM ? 'default-off' : 'default-on';
}

/** One variable as the containers see it. */
export interface EnvSetting {
  name: string;
  /** After docker compose's interpolation; undefined when unset or empty (then the default applies). */
  value?: string;
  /** The value the containers use: `value`, else the default. */
  effective?: string;
  /** The default applied, when the file does not set a value. */
  defaulted: boolean;
  /** The last assignment in the file (docker compose keeps the last one). */
  entry?: EnvEntry;
  /** `${NAME}` references to variables not defined earlier in the file (docker compose would take them from its environment). */
  unresolved: string[];
}

/** docker-jitsi-meet's .env as its containers read it: compose interpolation, then the templates' defaults. */
export class JitsiSettings {
  readonly file: string;
  readonly sha256: string;
  private readonly resolved = new Map<string, { value: string; unresolved: string[] }>();
  private readonly lastEntry = new Map<string, EnvEntry>();

  constructor(readonly artifact: JitsiEnvArtifact) {
    this.file = artifact.file;
    this.sha256 = artifact.sha256;
    // docker compose reads the file top to bottom; `${VAR}` sees the variables assigned above it.
    for (const e of artifact.parsed.entries) {
      const unresolved: string[] = [];
      const value = e.quote === "'" ? e.value : interpolate(e.value, (name) => this.resolved.get(name)?.value, unresolved);
      this.resolved.set(e.name, { value, unresolved });
      this.lastEntry.set(e.name, e);
    }
  }

  get(name: string): EnvSetting {
    const r = this.resolved.get(name);
    const value = r && r.value !== '' ? r.value : undefined;
    const def = DEFAULTS[name]?.value;
    return {
      name,
      value,
      effective: value ?? def,
      defaulted: value === undefined && def !== undefined,
      entry: this.lastEntry.get(name),
      unresolved: r?.unresolved ?? [],
    };
  }

  /** The value containers use (file value, else docker-jitsi-meet's default), or undefined. */
  value(name: string): string | undefined {
    return this.get(name).effective;
  }

  /** Set in the file (to something non-empty). */
  isSet(name: string): boolean {
    return this.get(name).value !== undefined;
  }

  /** A boolean as `toBool` reads it; `invalid` when ParseBool would refuse it. */
  bool(name: string, fallback = false): { value: boolean; invalid?: string } {
    const raw = this.value(name);
    if (raw === undefined) return { value: fallback };
    const v = raw.replace(/["']/g, '');
    if (TRUE.has(v)) return { value: true };
    if (FALSE.has(v)) return { value: false };
    return { value: fallback, invalid: raw };
  }

  /** `file:line` of the variable's last assignment, or the file. */
  where(name: string): string {
    const e = this.lastEntry.get(name);
    return e ? `${this.file}:${e.line}` : this.file;
  }

  location(name: string): { file: string; line?: number; column?: number } {
    const e = this.lastEntry.get(name);
    return e ? { file: this.file, line: e.line, column: e.valueSpan.column } : { file: this.file };
  }

  entries(): EnvEntry[] {
    return this.artifact.parsed.entries;
  }
}

/**
 * docker compose's interpolation in .env values: `$$` is a literal `$`; `${VAR}`, `$VAR`,
 * `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`, `${VAR:?msg}`, `${VAR?msg}`.
 */
export function interpolate(text: string, lookup: (name: string) => string | undefined, unresolved: string[] = []): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (text[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      if (close < 0) {
        out += text.slice(i);
        break;
      }
      const body = text.slice(i + 2, close);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])(.*))?$/s.exec(body);
      if (!m) {
        out += text.slice(i, close + 1);
        i = close + 1;
        continue;
      }
      const [, name, op, arg = ''] = m;
      const v = lookup(name);
      if (v === undefined && !op) unresolved.push(name);
      const empty = v === undefined || (op?.startsWith(':') && v === '');
      if (!op) out += v ?? '';
      else if (op === ':-' || op === '-') out += (op === ':-' ? empty : v === undefined) ? interpolate(arg, lookup, unresolved) : (v ?? '');
      else if (op === ':+' || op === '+') out += (op === ':+' ? !empty : v !== undefined) ? interpolate(arg, lookup, unresolved) : '';
      else {
        if (empty) unresolved.push(name);
        out += v ?? '';
      }
      i = close + 1;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
    if (!m) {
      out += c;
      i++;
      continue;
    }
    const v = lookup(m[0]);
    if (v === undefined) unresolved.push(m[0]);
    out += v ?? '';
    i += 1 + m[0].length;
  }
  return out;
}

/** PUBLIC_URL_DOMAIN as system-config.js computes it: `PUBLIC_URL | default ... | trimPrefix "https://" | trimSuffix "/"`. */
export function publicUrlDomain(publicUrl: string | undefined): string {
  const url = publicUrl ?? DEFAULTS.PUBLIC_URL.value;
  const noScheme = url.startsWith('https://') ? url.slice('https://'.length) : url;
  return noScheme.endsWith('/') ? noScheme.slice(0, -1) : noScheme;
}

/** The URLs config.js will contain for this .env (what the web container generates at its next start). */
export function expectedUrls(settings: JitsiSettings): { websocket?: string; bosh: string; domain: string; muc: string } {
  const domain = publicUrlDomain(settings.get('PUBLIC_URL').value);
  const xmppDomain = settings.value('XMPP_DOMAIN') as string;
  const subdomains = settings.bool('ENABLE_SUBDOMAINS', true).value;
  const mucDomain = settings.value('XMPP_MUC_DOMAIN') as string;
  const muc = subdomains ? `${mucDomain.split('.')[0]}.${xmppDomain}` : mucDomain;
  const bosh = settings.bool('BOSH_RELATIVE', false).value ? '/http-bind' : `https://${domain}/http-bind`;
  const websocket = settings.bool('ENABLE_XMPP_WEBSOCKET', true).value ? `wss://${domain}/xmpp-websocket` : undefined;
  return { websocket, bosh, domain: xmppDomain, muc };
}

/** PUBLIC_URL parsed, or why it cannot be used. */
export function parsePublicUrl(text: string | undefined): { url?: URL; problem?: 'unset' | 'invalid' | 'notHttps' } {
  if (!text) return { problem: 'unset' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: 'invalid' };
  }
  if (url.protocol !== 'https:') return { url, problem: url.protocol === 'http:' ? 'notHttps' : 'invalid' };
  if (!url.hostname) return { problem: 'invalid' };
  return { url };
}

/** PUBLIC_URL of a .env, parsed; a `${VAR}` with nothing to expand makes it unusable. */
export function publicUrlOf(settings: JitsiSettings): { url?: URL; problem?: 'unset' | 'invalid' | 'notHttps'; value?: string; unresolved: string[] } {
  const s = settings.get('PUBLIC_URL');
  const parsed = parsePublicUrl(s.value);
  if (!parsed.problem && s.unresolved.length) return { url: parsed.url, problem: 'invalid', value: s.value, unresolved: s.unresolved };
  return { ...parsed, value: s.value, unresolved: s.unresolved };
}

/** The port a URL connects to. */
export function urlPort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80;
}

/** host[:port] with the default port left out (443 for https/wss, 80 for http/ws), lower case. */
export function hostKey(url: URL): string {
  const port = urlPort(url);
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  return `${url.hostname.toLowerCase()}${port === (secure ? 443 : 80) ? '' : `:${port}`}`;
}

/** PUBLIC_URL as users should type it: scheme, host, non-default port, no trailing slash. */
export function canonicalPublicUrl(url: URL): string {
  const path = url.pathname.replace(/\/+$/, '');
  return `https://${hostKey(url)}${path}`;
}
