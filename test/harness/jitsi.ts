// docker-jitsi-meet's web side, live on loopback: real prosody (Debian 0.12, mod_websocket + mod_bosh)
// behind real nginx with TLS for meet.xfoss.com, serving a config.js generated from the seed's .env the
// way the web container does (web/rootfs/defaults/system-config.js, then a part of settings-config.js,
// served with `ssi on` as meet.conf does), and the locations of docker-jitsi-meet's meet.conf:
// `= /config.js`, `= /http-bind`, `= /xmpp-websocket` (with the Upgrade/Connection headers), plus the
// HTTP server that redirects to https://$host when ENABLE_HTTP_REDIRECT is on (web/rootfs/defaults/default).
// A dns2 server answers for meet.xfoss.com; `flags` send matrixdoc there on loopback only.

import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDotenv } from '../../src/parse/dotenv.js';
import { type DnsRecord, startDnsServer, type TestServer } from '../helpers/servers.js';
import { type CertKind, type DeploymentCerts, deploymentCerts } from './certs.js';
import { type NginxHandle, startNginx } from './nginx.js';
import { freePort } from './processes.js';
import { type ProsodyHandle, type ProsodyOptions, startProsody } from './prosody.js';

const SEED_ENV = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/seed/jitsi/.env');
export const JITSI_HOST = 'meet.xfoss.com';

/** NAME -> new value (undefined deletes every line of NAME); or a function over the whole text. */
export type EnvEdit = Record<string, string | undefined> | ((text: string) => string);

export interface JitsiOptions {
  /** Edits to the seed's .env before anything starts: this is the file matrixdoc reads. */
  env?: EnvEdit;
  /**
   * Values the running web container was created with, on top of the .env (a container not recreated
   * after the .env changed): config.js is generated from these.
   */
  runningEnv?: Record<string, string | undefined>;
  /** ProsodyOptions overrides; `false`: prosody is down (nginx answers 502). XMPP_DOMAIN of the .env by default. */
  prosody?: Partial<ProsodyOptions> | false;
  /** Edits to the nginx site (the rewritten meet.conf) before nginx starts. */
  site?: (text: string) => string;
  cert?: CertKind;
  /**
   * Where `/colibri-ws/` goes when the .env turns ENABLE_COLIBRI_WEBSOCKET on (meet.conf up to stable-11031
   * proxies it to the jvb's port 9090): a port on 127.0.0.1 standing in for the bridge; by default a
   * closed one (no bridge: nginx answers 502).
   */
  colibriPort?: number;
}

export interface JitsiHarness {
  dir: string;
  files: { env: string; configJs: string; site: string };
  ports: { https: number; http: number; dns: number; prosody?: number };
  /** matrixdoc flags: --jitsi-env, --connect-to for meet.xfoss.com, --dns-server, --ca-file, --allow-targets loopback. */
  flags: string[];
  certs: DeploymentCerts;
  prosody?: ProsodyHandle;
  nginx: NginxHandle;
  dns: { zone: Record<string, DnsRecord[]>; server: TestServer };
  /** The config.js nginx serves. */
  configJs(): string;
  stop(): Promise<void>;
}

/** Applies an EnvEdit to .env text: replaces the last NAME= line (or appends), deletes with undefined. */
export function editEnv(text: string, edit: EnvEdit | undefined): string {
  if (!edit) return text;
  if (typeof edit === 'function') return edit(text);
  let out = text.endsWith('\n') ? text : `${text}\n`;
  for (const [name, value] of Object.entries(edit)) {
    const line = new RegExp(`^\\s*(?:export\\s+)?${name}\\s*=.*$`, 'gm');
    if (value === undefined) out = out.replace(new RegExp(`${line.source}\\n?`, 'gm'), '');
    else if (line.test(out)) {
      const matches = [...out.matchAll(new RegExp(line.source, 'gm'))];
      const last = matches[matches.length - 1];
      out = `${out.slice(0, last.index)}${name}=${value}${out.slice((last.index ?? 0) + last[0].length)}`;
    } else out += `${name}=${value}\n`;
  }
  return out;
}

/** The .env's values as docker compose hands them to the containers (`${VAR}` from lines above). */
export function envValues(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const e of parseDotenv(text).entries) {
    values[e.name] =
      e.quote === "'" ? e.value : e.value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g, (_m, n: string, d?: string) => values[n] || d || '');
  }
  return values;
}

const bool = (v: string | undefined, def: boolean) =>
  v === undefined || v === '' ? def : ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v.replace(/["']/g, ''));
const or = (v: string | undefined, def: string) => (v === undefined || v === '' ? def : v);

/**
 * config.js as docker-jitsi-meet's web container writes it at start: `tpl system-config.js > config.js`,
 * then settings-config.js appended (its p2p and bridge-related part here), with the SSI variables left
 * for nginx to fill in (`ssi on`).
 */
export function renderConfigJs(env: Record<string, string>): string {
  const PUBLIC_URL_DOMAIN = (() => {
    let u = or(env.PUBLIC_URL, 'https://localhost:8443');
    if (u.startsWith('https://')) u = u.slice(8);
    return u.endsWith('/') ? u.slice(0, -1) : u;
  })();
  const XMPP_DOMAIN = or(env.XMPP_DOMAIN, 'meet.jitsi');
  const XMPP_MUC_DOMAIN = or(env.XMPP_MUC_DOMAIN, 'muc.meet.jitsi');
  const XMPP_GUEST_DOMAIN = or(env.XMPP_GUEST_DOMAIN, 'guest.meet.jitsi');
  const subdomains = bool(env.ENABLE_SUBDOMAINS, true);
  const auth = bool(env.ENABLE_AUTH, false);
  const lines = ['// Jitsi Meet configuration.', 'var config = {};', '', 'config.hosts = {};', `config.hosts.domain = '${XMPP_DOMAIN}';`, ''];
  if (subdomains) {
    lines.push(
      `var subdir = '<!--# echo var="subdir" default="" -->';`,
      `var subdomain = '<!--# echo var="subdomain" default="" -->';`,
      `if (subdir.startsWith('<!--')) {`,
      `    subdir = '';`,
      '}',
      'if (subdomain) {',
      `    subdomain = subdomain.substring(0,subdomain.length-1).split('.').join('_').toLowerCase() + '.';`,
      '}',
      `config.hosts.muc = '${XMPP_MUC_DOMAIN.split('.')[0]}.' + subdomain + '${XMPP_DOMAIN}';`,
    );
  } else lines.push(`config.hosts.muc = '${XMPP_MUC_DOMAIN}';`);
  lines.push('');
  if (auth) {
    if (bool(env.ENABLE_GUESTS, false))
      lines.push('// When using authentication, domain for guest users.', `config.hosts.anonymousdomain = '${XMPP_GUEST_DOMAIN}';`);
    if (bool(env.ENABLE_AUTH_DOMAIN, true))
      lines.push('// Domain for authenticated users. Defaults to <domain>.', `config.hosts.authdomain = '${XMPP_DOMAIN}';`);
    lines.push('');
  }
  if (bool(env.BOSH_RELATIVE, false)) lines.push(subdomains ? `config.bosh = '/'+ subdir + 'http-bind';` : `config.bosh = '/http-bind';`);
  else
    lines.push(
      subdomains ? `config.bosh = 'https://${PUBLIC_URL_DOMAIN}/' + subdir + 'http-bind';` : `config.bosh = 'https://${PUBLIC_URL_DOMAIN}/http-bind';`,
    );
  lines.push('');
  if (bool(env.ENABLE_XMPP_WEBSOCKET, true)) {
    lines.push(
      subdomains
        ? `config.websocket = 'wss://${PUBLIC_URL_DOMAIN}/' + subdir + 'xmpp-websocket';`
        : `config.websocket = 'wss://${PUBLIC_URL_DOMAIN}/xmpp-websocket';`,
      '',
    );
  }
  lines.push(
    'config.bridgeChannel = {',
    `    preferSctp: ${bool(env.JVB_PREFER_SCTP, true)}`,
    '};',
    '',
    '// Video configuration.',
    '//',
    '',
    'config.resolution = 720;',
    'config.constraints = {',
    '    video: {',
    '        height: { ideal: 720, max: 720, min: 180 },',
    '        width: { ideal: 1280, max: 1280, min: 320},',
    '    }',
    '};',
    '',
    'config.startVideoMuted = 10;',
    'config.startWithVideoMuted = false;',
    '',
    '// Peer-To-Peer options.',
    '//',
    '',
    'config.p2p = {',
    `    enabled: ${bool(env.ENABLE_P2P, true)},`,
    '    codecPreferenceOrder: ["AV1", "VP9", "VP8", "H264"],',
    '    mobileCodecPreferenceOrder: ["VP8", "VP9", "H264", "AV1"]',
    '};',
    '',
  );
  return `${lines.join('\n')}\n`;
}

/** meet.conf's locations for the harness (docker-jitsi-meet web/rootfs/defaults/meet.conf, default). */
export function renderSite(o: {
  httpsPort: number;
  httpPort: number;
  prosodyPort: number;
  colibriPort?: number;
  dir: string;
  certFile: string;
  keyFile: string;
  env: Record<string, string>;
}): string {
  const xmppDomain = or(o.env.XMPP_DOMAIN, 'meet.jitsi');
  const colibri =
    o.colibriPort && bool(o.env.ENABLE_COLIBRI_WEBSOCKET, false)
      ? `
    # colibri (JVB) websockets (meet.conf up to stable-11031)
    location ~ ^/colibri-ws/(jvb)/(.*) {
        tcp_nodelay on;

        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;

        proxy_pass http://127.0.0.1:${o.colibriPort}/colibri-ws/$1/$2$is_args$args;
    }
`
      : '';
  const redirect = bool(o.env.ENABLE_HTTP_REDIRECT, false);
  const websocket = bool(o.env.ENABLE_XMPP_WEBSOCKET, true);
  return `map $http_upgrade $connection_upgrade {
    default upgrade;
    '' close;
}

server {
    listen 127.0.0.1:${o.httpPort};
    server_name ${JITSI_HOST};
    ${redirect ? 'return 301 https://$host$request_uri;' : `root ${o.dir}/www;`}
}

server {
    listen 127.0.0.1:${o.httpsPort} ssl;
    server_name ${JITSI_HOST};
    ssl_certificate ${o.certFile};
    ssl_certificate_key ${o.keyFile};

    root ${o.dir}/www;
    index index.html;

    # ssi on with javascript for multidomain variables in config.js
    ssi on;
    ssi_types application/x-javascript application/javascript;

    set $prefix "";

    location = /config.js {
        alias ${o.dir}/config.js;
    }

    # BOSH
    location = /http-bind {
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header Host ${xmppDomain};

        proxy_pass http://127.0.0.1:${o.prosodyPort}/http-bind?prefix=$prefix&$args;
    }
${
  websocket
    ? `
    # xmpp websockets
    location = /xmpp-websocket {
        tcp_nodelay on;

        proxy_http_version 1.1;
        proxy_set_header Connection $connection_upgrade;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Host ${xmppDomain};
        proxy_set_header X-Forwarded-For $remote_addr;

        proxy_pass http://127.0.0.1:${o.prosodyPort}/xmpp-websocket?prefix=$prefix&$args;
    }
`
    : ''
}${colibri}}
`;
}

export async function startJitsi(options: JitsiOptions = {}): Promise<JitsiHarness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-jitsi-'));
  const cleanup: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const fn of cleanup.reverse()) await fn().catch(() => {});
    cleanup.length = 0;
  };
  try {
    // nginx's worker runs as an unprivileged user: the files it serves must be readable to it.
    chmodSync(dir, 0o755);
    const envDir = path.join(dir, 'docker-jitsi-meet');
    mkdirSync(envDir);
    mkdirSync(path.join(dir, 'www'));
    writeFileSync(path.join(dir, 'www/index.html'), '<!DOCTYPE html><html><head><title>Jitsi Meet</title></head><body></body></html>\n');
    const envFile = path.join(envDir, '.env');
    const envText = editEnv(readFileSync(SEED_ENV, 'utf8'), options.env);
    writeFileSync(envFile, envText);
    const running: Record<string, string> = { ...envValues(envText) };
    for (const [k, v] of Object.entries(options.runningEnv ?? {})) {
      if (v === undefined) delete running[k];
      else running[k] = v;
    }

    let prosody: ProsodyHandle | undefined;
    let prosodyPort: number;
    if (options.prosody === false) prosodyPort = await freePort();
    else {
      prosody = await startProsody({ domain: or(running.XMPP_DOMAIN, 'meet.jitsi'), ...options.prosody });
      const p = prosody;
      cleanup.push(() => p.stop());
      prosodyPort = prosody.httpPort;
    }

    const zone: Record<string, DnsRecord[]> = { [JITSI_HOST]: [{ type: 'A', address: '127.0.0.1' }] };
    const dns = await startDnsServer(zone);
    cleanup.push(() => dns.close());

    const certs = deploymentCerts();
    const leaf = certs.leaves[options.cert ?? 'valid'];
    const ports = { https: await freePort(), http: await freePort(), dns: dns.port, ...(prosody ? { prosody: prosody.httpPort } : {}) };
    const configJsFile = path.join(dir, 'config.js');
    writeFileSync(configJsFile, renderConfigJs(running));
    const colibriPort = options.colibriPort ?? (await freePort());
    let site = renderSite({
      httpsPort: ports.https,
      httpPort: ports.http,
      prosodyPort,
      colibriPort,
      dir,
      certFile: leaf.certFile,
      keyFile: leaf.keyFile,
      env: running,
    });
    if (options.site) site = options.site(site);
    const nginx = await startNginx({ 'meet.conf': site });
    cleanup.push(() => nginx.stop());
    const siteFile = path.join(nginx.prefix, 'sites/meet.conf');

    // PUBLIC_URL's port, HTTPS_PORT, 443 and 8443 reach the TLS server; HTTP_PORT and 80 the plain one.
    const env = envValues(envText);
    const httpsFrom = new Set([443, 8443, Number(env.HTTPS_PORT) || 8443]);
    try {
      const u = new URL(env.PUBLIC_URL ?? '');
      if (u.port) httpsFrom.add(Number(u.port));
    } catch {
      // no usable PUBLIC_URL: nothing more to map
    }
    const flags = ['--jitsi-env', envFile];
    for (const p of httpsFrom) flags.push('--connect-to', `${JITSI_HOST}:${p}::${ports.https}`);
    for (const p of new Set([80, Number(env.HTTP_PORT) || 8000])) if (!httpsFrom.has(p)) flags.push('--connect-to', `${JITSI_HOST}:${p}::${ports.http}`);
    flags.push('--dns-server', `127.0.0.1:${dns.port}`, '--ca-file', certs.caFile, '--allow-targets', '127.0.0.0/8,::1');

    return {
      dir,
      files: { env: envFile, configJs: configJsFile, site: siteFile },
      ports,
      flags,
      certs,
      ...(prosody ? { prosody } : {}),
      nginx,
      dns: { zone, server: dns },
      configJs: () => readFileSync(configJsFile, 'utf8'),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
