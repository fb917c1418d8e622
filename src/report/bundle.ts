// What `matrixdoc bundle` puts in a support bundle besides the report: the deployment's config files
// with every secret replaced, the versions of what was found, and a README. Config files are scrubbed
// in two layers: values under secret-looking keys are replaced where they stand (YAML, JSON, .env,
// coturn and nginx syntax, even in a file that does not parse), and every value registered with the
// Redactor (by these files, by the probes, by the logs) is then replaced wherever it appears.

import { open, readFile, rename, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYamlText } from 'yaml';
import type { ProbeResult } from '../engine/types.js';
import { parseCoturnConfig } from '../probes/coturn-config.js';
import { readRegularFile } from '../probes/files.js';
import { registerTextSecrets, scrubTokens } from '../triage/triage.js';
import { isSecretKey, type Redactor } from './redact.js';

export type ConfigKind = 'synapse' | 'element' | 'jitsi' | 'nginx' | 'coturn';

const NOT_A_VALUE = /^(?:true|false|yes|no|on|off|null|none|~|\{\}|\[\])$/i;

/** Splits a YAML (or .env) value into the value, its raw text with quotes, and what follows (a comment). */
function splitValue(rest: string): { value: string; raw: string; quote: string; trailing: string } {
  const q = rest[0];
  if (q === '"' || q === "'") {
    for (let i = 1; i < rest.length; i++) {
      if (q === '"' && rest[i] === '\\') {
        i++;
        continue;
      }
      if (rest[i] !== q) continue;
      if (q === "'" && rest[i + 1] === "'") {
        i++;
        continue;
      }
      const inner = rest.slice(1, i);
      let value = inner;
      if (q === "'") value = inner.replace(/''/g, "'");
      else {
        try {
          value = JSON.parse(`"${inner}"`);
        } catch {
          // keep the raw text
        }
      }
      return { value, raw: rest.slice(0, i + 1), quote: q, trailing: rest.slice(i + 1) };
    }
  }
  const hash = rest.search(/\s#/);
  const raw = (hash >= 0 ? rest.slice(0, hash) : rest).trimEnd();
  return { value: raw.trim(), raw, quote: '', trailing: rest.slice(raw.length) };
}

/** Every scalar of a YAML/JSON flow value such as ["a", "b"] or {x: y}. */
function flowScalars(raw: string): string[] {
  try {
    const out: string[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
      else if (typeof v === 'string' || typeof v === 'number') out.push(String(v));
    };
    walk(parseYamlText(raw));
    return out;
  } catch {
    return [];
  }
}

function tagged(redactor: Redactor, value: string): string {
  const v = value.trim();
  redactor.add(v);
  return redactor.tag(v);
}

const YAML_PAIR = /^(\s*(?:-\s+)?)(["']?)([A-Za-z0-9_.-]+)\2(\s*:)([ \t]+|$)(.*)$/;
const FLOW_PAIR = /([{,]\s*)(["']?)([A-Za-z0-9_.-]+)\2(\s*:\s*)("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^,}\]\s][^,}\]]*)/g;

function scrubYaml(text: string, redactor: Redactor): string {
  try {
    redactor.addFromObject(parseYamlText(text, { uniqueKeys: false }));
  } catch {
    // A file that does not parse (a tab, say) is still scrubbed line by line below.
  }
  const lines = text.split('\n');
  let block: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const cr = lines[i].endsWith('\r') ? '\r' : '';
    const line = cr ? lines[i].slice(0, -1) : lines[i];
    if (block !== undefined) {
      const indent = (line.match(/^[ \t]*/) as RegExpMatchArray)[0].length;
      if (line.trim() === '') continue;
      // The lines of a secret's block scalar (key: |) or of a value continued on the next lines.
      if (indent > block) {
        lines[i] = `${line.slice(0, indent)}${tagged(redactor, line.trim())}${cr}`;
        continue;
      }
      block = undefined;
    }
    const m = YAML_PAIR.exec(line);
    if (m && isSecretKey(m[3])) {
      const [, lead, q, key, colon, space, rest] = m;
      if (rest === '' || /^[|>][+-]?\d*\s*(#.*)?$/.test(rest) || rest.startsWith('#')) {
        block = lead.length;
        continue;
      }
      const v = splitValue(rest);
      if (!v.value || NOT_A_VALUE.test(v.value) || v.value.startsWith('<redacted:')) continue;
      if (!v.quote && /^[[{]/.test(v.raw)) {
        for (const s of flowScalars(v.raw)) redactor.add(s);
        lines[i] = `${lead}${q}${key}${q}${colon}${space}"${tagged(redactor, v.raw)}"${v.trailing}${cr}`;
      } else {
        lines[i] = `${lead}${q}${key}${q}${colon}${space}${v.quote}${tagged(redactor, v.value)}${v.quote}${v.trailing}${cr}`;
      }
      continue;
    }
    if (line.includes('{')) {
      lines[i] =
        line.replace(FLOW_PAIR, (all: string, head: string, q: string, key: string, colon: string, val: string) => {
          if (!isSecretKey(key)) return all;
          const v = splitValue(val);
          if (!v.value || NOT_A_VALUE.test(v.value)) return all;
          return `${head}${q}${key}${q}${colon}${v.quote}${tagged(redactor, v.value)}${v.quote}`;
        }) + cr;
    }
  }
  return lines.join('\n');
}

const JSON_MEMBER = /("((?:[^"\\\n]|\\.)*)"\s*:\s*)("(?:[^"\\\n]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

function unescapeJson(s: string): string {
  try {
    return JSON.parse(`"${s}"`);
  } catch {
    return s;
  }
}

function scrubJson(text: string, redactor: Redactor): string {
  try {
    redactor.addFromObject(JSON.parse(text));
  } catch {
    // Invalid JSON is scrubbed member by member below.
  }
  return text.replace(JSON_MEMBER, (all: string, head: string, key: string, val: string) => {
    if (!isSecretKey(unescapeJson(key))) return all;
    const v = val.startsWith('"') ? unescapeJson(val.slice(1, -1)) : val;
    if (!v.trim()) return all;
    return `${head}"${tagged(redactor, v)}"`;
  });
}

const ENV_PAIR = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)(\s*=\s*)(.*)$/;

function scrubEnv(text: string, redactor: Redactor): string {
  return text
    .split('\n')
    .map((raw) => {
      const cr = raw.endsWith('\r') ? '\r' : '';
      const line = cr ? raw.slice(0, -1) : raw;
      const m = ENV_PAIR.exec(line);
      if (!m || !isSecretKey(m[2])) return raw;
      const v = splitValue(m[4]);
      if (!v.value) return raw;
      return `${m[1]}${m[2]}${m[3]}${v.quote}${tagged(redactor, v.value)}${v.quote}${v.trailing}${cr}`;
    })
    .join('\n');
}

const COTURN_LINE = /^(\s*-{0,2})([A-Za-z0-9_-]+)(\s*=\s*|\s+)(.*)$/;
const COTURN_SECRET = /(secret|password|pwd|userdb|statsdb)$/i;

function scrubCoturn(text: string, redactor: Redactor): string {
  for (const s of parseCoturnConfig(text).secrets) redactor.add(s);
  return text
    .split('\n')
    .map((raw) => {
      const cr = raw.endsWith('\r') ? '\r' : '';
      const line = cr ? raw.slice(0, -1) : raw;
      if (line.trim().startsWith('#')) return raw;
      const m = COTURN_LINE.exec(line);
      if (!m) return raw;
      const name = m[2].toLowerCase();
      const v = splitValue(m[4]);
      if (!v.value) return raw;
      if (name === 'user' && v.value.includes(':')) {
        const user = v.value.slice(0, v.value.indexOf(':'));
        return `${m[1]}${m[2]}${m[3]}${v.quote}${user}:${tagged(redactor, v.value.slice(user.length + 1))}${v.quote}${v.trailing}${cr}`;
      }
      if (!COTURN_SECRET.test(name) && !isSecretKey(name)) return raw;
      return `${m[1]}${m[2]}${m[3]}${v.quote}${tagged(redactor, v.value)}${v.quote}${v.trailing}${cr}`;
    })
    .join('\n');
}

const NGINX_DIRECTIVE = /^(\s*)([A-Za-z_][A-Za-z0-9_]*)(\s+)([^;{}#]*?)(\s*;.*)$/;
const NGINX_HEADER = /^(\s*(?:proxy_set_header|add_header|fastcgi_param|uwsgi_param|grpc_set_header)\s+)(["']?)([A-Za-z0-9_-]+)\2(\s+)([^;]*?)(\s*;.*)$/;
const BASIC_AUTH = /(\bBasic\s+)([A-Za-z0-9+/]{8,}={0,2})/g;

function scrubNginx(text: string, redactor: Redactor): string {
  return text
    .split('\n')
    .map((raw) => {
      const cr = raw.endsWith('\r') ? '\r' : '';
      let line = cr ? raw.slice(0, -1) : raw;
      line = line.replace(BASIC_AUTH, (_all: string, head: string, val: string) => `${head}${tagged(redactor, val)}`);
      const h = NGINX_HEADER.exec(line);
      if (h && isSecretKey(h[3])) {
        const v = splitValue(h[5]);
        if (v.value) return `${h[1]}${h[2]}${h[3]}${h[2]}${h[4]}${v.quote}${tagged(redactor, v.value)}${v.quote}${h[6]}${cr}`;
      }
      const d = NGINX_DIRECTIVE.exec(line);
      if (d && isSecretKey(d[2]) && d[4].trim()) {
        const v = splitValue(d[4]);
        // ssl_certificate_key and its kin name a file: the path is no secret (an inline data: key is).
        if (/^[/$]/.test(v.value)) return line + cr;
        return `${d[1]}${d[2]}${d[3]}${v.quote}${tagged(redactor, v.value)}${v.quote}${d[5]}${cr}`;
      }
      return line + cr;
    })
    .join('\n');
}

/**
 * Replaces the secrets a config file shows by its own syntax, registering each with the redactor. The
 * caller still runs redactor.text() on the result once every file and probe has registered its secrets.
 */
export function scrubConfigText(kind: ConfigKind, text: string, redactor: Redactor): string {
  // Secrets the text shows whatever its syntax: tokens, `key=` in URLs, `password: x` lines, JSON members.
  registerTextSecrets(text, redactor);
  const scrub = { synapse: scrubYaml, element: scrubJson, jitsi: scrubEnv, coturn: scrubCoturn, nginx: scrubNginx }[kind];
  return scrubTokens(scrub(text, redactor), redactor);
}

// --- Versions ---

export interface ComponentVersion {
  name: string;
  version: string;
  /** Where it was seen. */
  source: string;
}

function addVersion(out: ComponentVersion[], v: ComponentVersion): void {
  if (!out.some((x) => x.name === v.name && x.version === v.version)) out.push(v);
}

/** The versions the probes saw: federation `server` answers, Server headers, TURN SOFTWARE, PostgreSQL, Element's folder name. */
export function probeVersions(probes: Record<string, ProbeResult>): ComponentVersion[] {
  const out: ComponentVersion[] = [];
  for (const [id, result] of Object.entries(probes)) {
    if (result.status !== 'ok') continue;
    const walk = (node: unknown, depth: number) => {
      if (depth > 12 || node === null || node === undefined) return;
      if (typeof node === 'string') {
        const m = id === 'nginxConfig' ? /\belement(?:-web)?-(v?\d+\.\d+\.\d+(?:-rc\.?\d+)?)\b/i.exec(node) : null;
        if (m) addVersion(out, { name: 'Element Web', version: m[1], source: 'nginx configuration (folder name)' });
        return;
      }
      if (Array.isArray(node)) {
        for (const item of node) walk(item, depth + 1);
        return;
      }
      if (typeof node !== 'object') return;
      const o = node as Record<string, unknown>;
      const server = o.server as Record<string, unknown> | undefined;
      if (server && typeof server === 'object' && typeof server.version === 'string') {
        const name = typeof server.name === 'string' ? server.name : id === 'database' ? 'PostgreSQL' : id;
        addVersion(out, { name, version: server.version, source: `${id} probe` });
      }
      if (typeof o.serverHeader === 'string') {
        const m = /^([A-Za-z][\w.-]*)(?:\/([\w.-]+))?/.exec(o.serverHeader);
        if (m) addVersion(out, { name: m[1], version: m[2] ?? 'not shown (server_tokens off)', source: `${id} probe (Server header)` });
      }
      if (typeof o.software === 'string') {
        const m = /^coturn-([\w.]+)/i.exec(o.software);
        addVersion(out, m ? { name: 'coturn', version: m[1], source: `${id} probe` } : { name: o.software, version: '', source: `${id} probe` });
      }
      for (const v of Object.values(o)) walk(v, depth + 1);
    };
    walk(result.value, 0);
  }
  return out;
}

/** Element Web's release tarball has a `version` file next to config.json. */
export async function elementVersionFile(elementConfig: string | undefined): Promise<ComponentVersion | undefined> {
  if (!elementConfig) return undefined;
  const file = path.join(path.dirname(elementConfig), 'version');
  try {
    const text = (await readRegularFile(file, 64 * 1024)).toString('utf8').slice(0, 200).trim();
    if (/^v?\d+\.\d+[\w.+-]*$/.test(text)) return { name: 'Element Web', version: text, source: file };
  } catch {
    // no version file
  }
  return undefined;
}

export async function osRelease(): Promise<string | undefined> {
  for (const file of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      const text = await readFile(file, 'utf8');
      const m = /^PRETTY_NAME=["']?([^"'\n]*)["']?$/m.exec(text);
      if (m) return m[1];
    } catch {
      // try the next one
    }
  }
  return undefined;
}

export async function versionsReport(opts: { matrixdoc: string; probes: Record<string, ProbeResult>; elementConfig?: string }) {
  const components = probeVersions(opts.probes);
  const element = await elementVersionFile(opts.elementConfig);
  if (element) addVersion(components, element);
  return {
    matrixdoc: opts.matrixdoc,
    node: process.version,
    os: { release: (await osRelease()) ?? null, kernel: `${os.type()} ${os.release()}`, arch: os.arch() },
    components,
  };
}

// --- Writing ---

/** Writes the whole file to a temporary name next to it (mode 0600), syncs it, and renames it into place. */
export async function writeFileAtomic(file: string, data: Buffer, mode = 0o600): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  const handle = await open(tmp, 'wx', mode);
  try {
    try {
      await handle.writeFile(data);
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (error) {
    await unlink(tmp).catch(() => {});
    throw error;
  }
  try {
    const d = await open(dir, 'r');
    await d.sync().finally(() => d.close());
  } catch {
    // some filesystems cannot sync a folder; the rename is done
  }
}
