// Finding a deployment's files in the usual places, for `matrixdoc init`: Synapse's homeserver.yaml,
// Element Web's config.json (through the nginx sites that serve it), docker-jitsi-meet's .env and the
// nginx config folders. Every path is looked up under `root` (normally `/`; tests point it at a fake
// tree), and `~` means `home` under that root. Nothing here throws on an unreadable file or folder: it
// is skipped and listed, so that `init` always gets as far as it can.

import { readdir, realpath, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { parseDotenv } from './parse/dotenv.js';
import { findAll, type NginxDirective, type ParsedNginx, parseNginx, servers } from './parse/nginx.js';
import { readTextFile } from './probes/files.js';

/** One input that was found: where it is on this machine and why it was chosen. */
export interface Found {
  /** The path on this machine (under `root`), ready for a profile. */
  path: string;
  reason: string;
}

export type DiscoveryKind = 'homeserver-config' | 'element-config' | 'jitsi-env' | 'nginx-config' | 'jitsi-config-dir';

/** A file or folder that was seen but not used, with why not. */
export interface Candidate {
  kind: DiscoveryKind;
  path: string;
  reason: string;
}

export interface Discovery {
  root: string;
  /** The home folder searched for `~/...` places (under `root`). */
  home: string;
  /** From homeserver.yaml's server_name (Debian's conf.d files win, as in Synapse), else from Element's config. */
  serverName?: { value: string; reason: string };
  homeserverConfig?: Found;
  /** Files Synapse also reads after homeserver.yaml (Debian's /etc/matrix-synapse/conf.d/*.yaml); no profile key reads them. */
  homeserverExtraConfigs: Found[];
  elementConfig?: Found;
  jitsiEnv?: Found;
  /** docker-jitsi-meet's CONFIG folder (~/.jitsi-meet-cfg): a hint for the user, not a profile input. */
  jitsiConfigDir?: Found;
  /** nginx config folders with at least one site file in them. */
  nginxConfig: Found[];
  /** Seen but not used (a second homeserver.yaml, an empty folder...), each with why. */
  candidates: Candidate[];
  /** Files and folders that exist but could not be read; they were skipped. */
  skipped: { path: string; reason: string }[];
  /** Where each input was looked for, as shown to the user (`~` is the home folder). */
  searched: Record<'homeserver-config' | 'element-config' | 'jitsi-env' | 'nginx-config', string[]>;
}

export interface DiscoverOptions {
  /** The filesystem root to search under; default `/`. */
  root?: string;
  /** The home folder (a path inside `root`); default the current user's home. */
  home?: string;
}

/** A place to look: a path inside root, `~/` for the home folder, `*` matches one name (not hidden ones). */
interface Place {
  pattern: string;
  why: string;
}

const HOMESERVER_PLACES: Place[] = [
  { pattern: '/etc/matrix-synapse/homeserver.yaml', why: "the Debian/Ubuntu matrix-synapse package's location" },
  { pattern: '~/synapse/homeserver.yaml', why: 'a Synapse installed with pip in ~/synapse' },
  { pattern: '~/synapse/config/homeserver.yaml', why: 'a Synapse installed with pip in ~/synapse, config in config/' },
  { pattern: '~/.synapse/homeserver.yaml', why: 'a Synapse installed with pip in ~/.synapse' },
  { pattern: '/home/*/synapse/homeserver.yaml', why: "a Synapse installed with pip in a user's ~/synapse" },
  { pattern: '/data/homeserver.yaml', why: "the Synapse docker image's location" },
  { pattern: '/opt/synapse/homeserver.yaml', why: 'a Synapse installed in /opt/synapse' },
  // Less common layouts, after the usual ones so they never win over them.
  { pattern: '/home/*/synapse/config/homeserver.yaml', why: "a Synapse installed with pip in a user's ~/synapse, config in config/" },
  { pattern: '/home/*/.synapse/homeserver.yaml', why: "a Synapse installed with pip in a user's ~/.synapse" },
  { pattern: '/home/synapse/homeserver.yaml', why: "the home folder of a 'synapse' user" },
  { pattern: '/home/synapse/config/homeserver.yaml', why: "the config/ folder of a 'synapse' user" },
];

const JITSI_PLACES: Place[] = [
  { pattern: '~/docker-jitsi-meet/.env', why: 'docker-jitsi-meet cloned into ~/docker-jitsi-meet' },
  { pattern: '/opt/docker-jitsi-meet/.env', why: 'docker-jitsi-meet cloned into /opt/docker-jitsi-meet' },
  { pattern: '/home/*/docker-jitsi-meet/.env', why: "docker-jitsi-meet cloned into a user's ~/docker-jitsi-meet" },
  // Release archives unpack as docker-jitsi-meet-stable-NNNN or jitsi-docker-jitsi-meet-<commit>.
  { pattern: '~/*docker-jitsi-meet-*/.env', why: 'a docker-jitsi-meet release unpacked in the home folder' },
  { pattern: '/opt/*docker-jitsi-meet-*/.env', why: 'a docker-jitsi-meet release unpacked in /opt' },
  { pattern: '/home/*/*docker-jitsi-meet-*/.env', why: "a docker-jitsi-meet release unpacked in a user's home folder" },
];

const JITSI_CONFIG_PLACES: Place[] = [
  { pattern: '~/.jitsi-meet-cfg', why: "docker-jitsi-meet's default CONFIG folder" },
  { pattern: '/home/*/.jitsi-meet-cfg', why: "docker-jitsi-meet's default CONFIG folder in a user's home" },
];

const NGINX_PLACES: Place[] = [
  { pattern: '/etc/nginx/sites-enabled', why: 'nginx on Debian/Ubuntu loads every file in sites-enabled/' },
  { pattern: '/etc/nginx/conf.d', why: "nginx's default nginx.conf loads conf.d/*.conf" },
];

const ELEMENT_PLACES: Place[] = [
  { pattern: '/var/www/element/config.json', why: 'a common place to unpack Element Web' },
  { pattern: '/usr/share/element-web/config.json', why: "the element-web package's location" },
  { pattern: '/etc/element-web/config.json', why: "the element-web package's config location" },
];

/** The same test `buildInputs` applies to --server-name, so a discovered name never makes `check` refuse the profile. */
const SERVER_NAME = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]{1,255})(:\d{1,5})?$/;

/** Keys Element Web's config.json has (at least one of) and other apps' config.json files do not. */
const ELEMENT_KEYS = ['default_server_config', 'default_server_name', 'default_hs_url', 'brand', 'setting_defaults', 'element_call', 'jitsi', 'disable_guests'];

/** Files nginx's usual include globs skip, and which `check` skips too (editor backups, package leftovers). */
function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || /(~|\.bak|\.orig|\.dpkg-\w+|\.swp)$/.test(name);
}

function errnoReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (run as a user that can read it, e.g. with sudo)';
    case 'ELOOP':
      return 'symbolic link loop';
    default:
      return code ? `cannot read (${code})` : `cannot read (${(error as Error)?.message ?? String(error)})`;
  }
}

/** Missing paths are simply not there; anything else (permissions, loops, I/O errors) is worth telling the user. */
function isAbsent(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function globRegex(segment: string): RegExp {
  return new RegExp(
    `^${segment
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*')}$`,
  );
}

class Finder {
  readonly skipped: Discovery['skipped'] = [];
  private readonly skippedSet = new Set<string>();

  constructor(
    readonly root: string,
    readonly home: string,
  ) {}

  skip(p: string, reason: string): void {
    // Everything below an unreadable folder is unreadable too: list the folder once.
    if (this.skippedSet.has(p) || this.skipped.some((s) => p.startsWith(`${s.path}${path.sep}`))) return;
    this.skippedSet.add(p);
    this.skipped.push({ path: p, reason });
  }

  /** A path inside the searched system (`/etc/x`, `~/x`) as a path on this machine. */
  real(logical: string): string {
    if (logical === '~' || logical.startsWith('~/')) return path.join(this.home, logical.slice(1));
    return path.join(this.root, logical);
  }

  async stat(p: string): Promise<Awaited<ReturnType<typeof stat>> | undefined> {
    try {
      return await stat(p);
    } catch (error) {
      if (!isAbsent(error)) this.skip(p, errnoReason(error));
      return undefined;
    }
  }

  /** The names in a folder, sorted; undefined when it cannot be listed (and then it is in `skipped` unless missing). */
  async list(dir: string): Promise<string[] | undefined> {
    try {
      return (await readdir(dir)).sort();
    } catch (error) {
      if (!isAbsent(error)) this.skip(dir, errnoReason(error));
      return undefined;
    }
  }

  async readdir(dir: string): Promise<string[]> {
    return (await this.list(dir)) ?? [];
  }

  /** Existing paths matching a place's pattern, in order (sorted within a `*`). */
  async expand(pattern: string): Promise<string[]> {
    const [first, ...segments] = pattern.split('/');
    let current = [first === '~' ? this.home : this.root];
    for (const segment of segments.filter(Boolean)) {
      const next: string[] = [];
      for (const dir of current) {
        if (!segment.includes('*')) {
          next.push(path.join(dir, segment));
          continue;
        }
        const re = globRegex(segment);
        for (const name of await this.readdir(dir)) if (!name.startsWith('.') && re.test(name)) next.push(path.join(dir, name));
      }
      current = next;
    }
    const out: string[] = [];
    for (const p of current) if (await this.stat(p)) out.push(p);
    return out;
  }

  async text(file: string): Promise<string | undefined> {
    try {
      return (await readTextFile(file, 'file')).text;
    } catch (error) {
      const message = (error as Error).message.replace(/^file /, '');
      this.skip(file, message.startsWith(file) ? message.slice(file.length).replace(/^:\s*/, '') : message);
      return undefined;
    }
  }
}

/** Two paths that are the same file (a symlink, `~` being /home/x...) count once. */
async function identity(p: string): Promise<string> {
  try {
    return await realpath(p);
  } catch {
    return path.resolve(p);
  }
}

function yamlServerName(text: string): unknown {
  try {
    const doc = parseDocument(text, { version: '1.1', uniqueKeys: false, prettyErrors: false });
    const contents = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (contents && typeof contents === 'object' && !Array.isArray(contents)) return (contents as Record<string, unknown>).server_name;
  } catch {
    // a broken homeserver.yaml is still the one to check; `check` reports what is wrong with it
  }
  return undefined;
}

function logicalOf(finder: Finder, p: string): string {
  if (finder.root === path.parse(finder.root).root) return p;
  const rel = path.relative(finder.root, p);
  return rel.startsWith('..') ? p : `/${rel}`;
}

async function findHomeserver(finder: Finder, d: Discovery): Promise<void> {
  const seen = new Set<string>();
  const existing: { path: string; why: string }[] = [];
  for (const place of HOMESERVER_PLACES) {
    for (const p of await finder.expand(place.pattern)) {
      const id = await identity(p);
      if (seen.has(id)) continue;
      seen.add(id);
      const info = await finder.stat(p);
      if (!info?.isFile()) {
        if (info) d.candidates.push({ kind: 'homeserver-config', path: p, reason: 'not a regular file' });
        continue;
      }
      existing.push({ path: p, why: place.why });
    }
  }
  const [chosen, ...others] = existing;
  if (!chosen) return;
  const text = await finder.text(chosen.path);
  let reason = `${chosen.why}${others.length ? ` (first of ${existing.length} by matrixdoc's search order)` : ''}`;
  if (text === undefined) reason += '; could not be read by this user, so its server_name is unknown';
  d.homeserverConfig = { path: chosen.path, reason };
  for (const o of others) {
    d.candidates.push({
      kind: 'homeserver-config',
      path: o.path,
      reason: `another homeserver.yaml (${o.why}); not used because ${logicalOf(finder, chosen.path)} comes first — put this one in the profile if it is the running Synapse`,
    });
  }

  // Debian's package starts Synapse with `--config-path homeserver.yaml --config-path conf.d/`: those
  // files are read after homeserver.yaml and win (conf.d/server_name.yaml holds the server name there).
  let serverName: { value: unknown; from: string } | undefined;
  if (text !== undefined) {
    const value = yamlServerName(text);
    if (value !== undefined) serverName = { value, from: chosen.path };
  }
  const confD = path.join(path.dirname(chosen.path), 'conf.d');
  if (path.basename(path.dirname(chosen.path)) === 'matrix-synapse' && (await finder.stat(confD))?.isDirectory()) {
    for (const name of await finder.readdir(confD)) {
      if (!name.endsWith('.yaml') || name.startsWith('.')) continue;
      const file = path.join(confD, name);
      if (!(await finder.stat(file))?.isFile()) continue;
      d.homeserverExtraConfigs.push({ path: file, reason: 'Synapse reads conf.d/*.yaml after homeserver.yaml (Debian package); its keys win' });
      const extra = await finder.text(file);
      const value = extra === undefined ? undefined : yamlServerName(extra);
      if (value !== undefined) serverName = { value, from: file };
    }
  }
  if (serverName === undefined) return;
  const value = typeof serverName.value === 'string' || typeof serverName.value === 'number' ? String(serverName.value).trim() : '';
  if (value && SERVER_NAME.test(value)) {
    d.serverName = { value, reason: `server_name in ${logicalOf(finder, serverName.from)}` };
  }
}

/** Where nginx serves files from: every `root`/`alias` with the names of its server block. */
interface ServedFolder {
  folder: string;
  hosts: string[];
  directive: NginxDirective;
}

function exactHosts(names: string[]): string[] {
  return names.filter((n) => n && n !== '_' && n !== 'localhost' && !n.startsWith('~') && !n.includes('*') && !n.startsWith('.') && !n.includes('$'));
}

async function findNginx(finder: Finder, d: Discovery): Promise<ParsedNginx[]> {
  const parsed: ParsedNginx[] = [];
  for (const place of NGINX_PLACES) {
    for (const dir of await finder.expand(place.pattern)) {
      const info = await finder.stat(dir);
      if (!info?.isDirectory()) {
        if (info) d.candidates.push({ kind: 'nginx-config', path: dir, reason: 'expected a folder' });
        continue;
      }
      const onlyConf = path.basename(dir) === 'conf.d';
      const names = await finder.list(dir);
      if (names === undefined) continue;
      const files: string[] = [];
      for (const name of names) {
        if (isIgnoredName(name) || (onlyConf && !name.endsWith('.conf'))) continue;
        const file = path.join(dir, name);
        if ((await finder.stat(file))?.isFile()) files.push(file);
      }
      if (files.length === 0) {
        d.candidates.push({ kind: 'nginx-config', path: dir, reason: 'no site files in it' });
        continue;
      }
      const shown = files.map((f) => path.basename(f));
      const list = shown.length > 4 ? `${shown.slice(0, 4).join(', ')}, ...` : shown.join(', ');
      d.nginxConfig.push({ path: dir, reason: `${place.why}: ${files.length} file${files.length === 1 ? '' : 's'} (${list})` });
      for (const file of files) {
        const text = await finder.text(file);
        if (text !== undefined) parsed.push(parseNginx(text, file));
      }
    }
  }
  return parsed;
}

function servedFolders(finder: Finder, files: ParsedNginx[]): ServedFolder[] {
  const out: ServedFolder[] = [];
  const inServer = new Set<NginxDirective>();
  const add = (directive: NginxDirective, hosts: string[]) => {
    const arg = directive.args[0];
    // Relative roots depend on nginx's build prefix and variables on the request: neither can be followed here.
    if (!arg?.startsWith('/') || arg.includes('$')) return;
    out.push({ folder: finder.real(arg), hosts, directive });
  };
  for (const server of servers(files)) {
    const hosts = exactHosts(server.names);
    for (const directive of [...findAll(server.directive.block ?? [], 'root'), ...findAll(server.directive.block ?? [], 'alias')].sort(
      (a, b) => a.start - b.start,
    )) {
      inServer.add(directive);
      add(directive, hosts);
    }
  }
  for (const file of files) {
    for (const directive of [...findAll(file.directives, 'root'), ...findAll(file.directives, 'alias')]) {
      if (!inServer.has(directive)) add(directive, []);
    }
  }
  return out;
}

function looksLikeElement(text: string): { ok: boolean; value?: unknown; why?: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Still the file Element would load (and fail on): `check` reports the syntax error.
    return { ok: true, why: 'not valid JSON' };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, why: 'not a JSON object' };
  const keys = Object.keys(value);
  if (keys.length === 0 || keys.some((k) => ELEMENT_KEYS.includes(k))) return { ok: true, value };
  return { ok: false, why: `has none of Element's keys (${ELEMENT_KEYS.slice(0, 3).join(', ')}...)` };
}

async function findElement(finder: Finder, d: Discovery, nginx: ParsedNginx[]): Promise<unknown> {
  interface Option {
    path: string;
    why: string;
  }
  const options: Option[] = [];
  for (const served of servedFolders(finder, nginx)) {
    const where = `${served.directive.name} ${served.directive.args[0]} in ${logicalOf(finder, served.directive.file)}:${served.directive.line}`;
    const info = await finder.stat(served.folder);
    if (!info) continue;
    if (info.isFile()) {
      // `location = /config.json { alias /srv/element/config.json; }` names the file itself
      if (/^config(\..+)?\.json$/.test(path.basename(served.folder))) options.push({ path: served.folder, why: `served by nginx (${where})` });
      continue;
    }
    for (const host of served.hosts) {
      options.push({
        path: path.join(served.folder, `config.${host}.json`),
        why: `served by nginx for ${host} (${where}); Element loads config.${host}.json before config.json on that host`,
      });
    }
    const hostsText = served.hosts.length ? ` for ${served.hosts.join(', ')}` : '';
    options.push({ path: path.join(served.folder, 'config.json'), why: `served by nginx${hostsText} (${where})` });
  }
  for (const place of ELEMENT_PLACES) options.push({ path: finder.real(place.pattern), why: place.why });

  const seen = new Set<string>();
  let chosen: { path: string; content?: string; value?: unknown } | undefined;
  for (const option of options) {
    const info = await finder.stat(option.path);
    if (!info?.isFile()) continue;
    const id = await identity(option.path);
    if (seen.has(id)) continue;
    seen.add(id);
    const text = await finder.text(option.path);
    const look = text === undefined ? { ok: true, why: 'could not be read by this user' } : looksLikeElement(text);
    if (!look.ok) {
      d.candidates.push({ kind: 'element-config', path: option.path, reason: `not Element's config: ${look.why}` });
      continue;
    }
    if (!chosen) {
      chosen = { path: option.path, content: text, value: look.value };
      d.elementConfig = { path: option.path, reason: look.why ? `${option.why}; ${look.why}` : option.why };
      continue;
    }
    const same = text !== undefined && text === chosen.content ? ', with the same content' : '';
    d.candidates.push({
      kind: 'element-config',
      path: option.path,
      reason: `another Element config${same}; not used because ${logicalOf(finder, chosen.path)} comes first (this one: ${option.why})`,
    });
  }
  return chosen?.value;
}

async function findJitsi(finder: Finder, d: Discovery): Promise<void> {
  const seen = new Set<string>();
  const existing: { path: string; why: string }[] = [];
  for (const place of JITSI_PLACES) {
    for (const p of await finder.expand(place.pattern)) {
      const id = await identity(p);
      if (seen.has(id)) continue;
      seen.add(id);
      if (!(await finder.stat(p))?.isFile()) continue;
      existing.push({ path: p, why: place.why });
    }
  }
  const [chosen, ...others] = existing;
  let configHint: string | undefined;
  if (chosen) {
    d.jitsiEnv = { path: chosen.path, reason: `${chosen.why}${others.length ? ` (first of ${existing.length} by matrixdoc's search order)` : ''}` };
    for (const o of others) {
      d.candidates.push({
        kind: 'jitsi-env',
        path: o.path,
        reason: `another docker-jitsi-meet .env (${o.why}); not used because ${logicalOf(finder, chosen.path)} comes first`,
      });
    }
    // CONFIG=~/.jitsi-meet-cfg: `~` is the home of whoever runs docker compose, most likely the owner of the clone.
    const text = await finder.text(chosen.path);
    const config = text === undefined ? undefined : parseDotenv(text).values.CONFIG;
    if (config) {
      const logical = logicalOf(finder, chosen.path);
      const owner = logical.match(/^\/home\/[^/]+/)?.[0];
      const expanded = config.startsWith('~/')
        ? owner
          ? finder.real(`${owner}${config.slice(1)}`)
          : finder.real(config)
        : config.startsWith('/')
          ? finder.real(config)
          : undefined;
      if (expanded) configHint = expanded;
    }
  }
  const hinted = configHint ? [{ path: configHint, why: `CONFIG in ${d.jitsiEnv ? logicalOf(finder, d.jitsiEnv.path) : '.env'}` }] : [];
  const places: { path: string; why: string }[] = [...hinted];
  for (const place of JITSI_CONFIG_PLACES) for (const p of await finder.expand(place.pattern)) places.push({ path: p, why: place.why });
  const seenDirs = new Set<string>();
  for (const place of places) {
    const info = await finder.stat(place.path);
    if (!info?.isDirectory()) continue;
    const id = await identity(place.path);
    if (seenDirs.has(id)) continue;
    seenDirs.add(id);
    if (!d.jitsiConfigDir) {
      d.jitsiConfigDir = {
        path: place.path,
        reason: d.jitsiEnv
          ? place.why
          : `${place.why}: Jitsi runs from docker-jitsi-meet here, but its .env was not found — it is in the folder docker-jitsi-meet was cloned into`,
      };
    } else {
      d.candidates.push({ kind: 'jitsi-config-dir', path: place.path, reason: `another Jitsi config folder (${place.why})` });
    }
  }
}

function elementServerName(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const config = value as Record<string, unknown>;
  const dsc = config.default_server_config as Record<string, unknown> | undefined;
  const hs = dsc && typeof dsc === 'object' ? (dsc['m.homeserver'] as Record<string, unknown> | undefined) : undefined;
  const name = hs && typeof hs === 'object' ? hs.server_name : undefined;
  if (typeof name === 'string') return name.trim();
  return typeof config.default_server_name === 'string' ? config.default_server_name.trim() : undefined;
}

/** Looks in the usual places for a Matrix/Jitsi deployment's files. Never throws for file-system reasons. */
export async function discoverDeployment(opts: DiscoverOptions = {}): Promise<Discovery> {
  const root = path.resolve(opts.root ?? '/');
  const homeInRoot = opts.home ?? os.homedir();
  const home = path.join(root, path.isAbsolute(homeInRoot) ? homeInRoot : `/${homeInRoot}`);
  const finder = new Finder(root, home);
  const d: Discovery = {
    root,
    home,
    homeserverExtraConfigs: [],
    nginxConfig: [],
    candidates: [],
    skipped: finder.skipped,
    searched: {
      'homeserver-config': HOMESERVER_PLACES.map((p) => p.pattern),
      'element-config': ['root/alias folders of the nginx sites found', ...ELEMENT_PLACES.map((p) => p.pattern)],
      'jitsi-env': JITSI_PLACES.map((p) => p.pattern),
      'nginx-config': NGINX_PLACES.map((p) => p.pattern),
    },
  };
  await findHomeserver(finder, d);
  const nginx = await findNginx(finder, d);
  const element = await findElement(finder, d, nginx);
  await findJitsi(finder, d);
  if (!d.serverName) {
    const name = elementServerName(element);
    if (name && SERVER_NAME.test(name) && d.elementConfig) {
      d.serverName = { value: name, reason: `default_server_config's server_name in ${logicalOf(finder, d.elementConfig.path)} (no readable homeserver.yaml)` };
    }
  }
  return d;
}
