// The seed deployment, live on loopback: real nginx (the seed's own site files, rewritten to loopback
// ports and test certificates) in front of the test homeserver, plus a dns2 server for the names.
// matrixdoc reads the seed files as a user has them, and `flags` send every probe to loopback.

import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { type DnsRecord, startDnsServer, type TestServer } from '../helpers/servers.js';
import { type CertKind, DEPLOYMENT_NAMES, type DeploymentCerts, deploymentCerts } from './certs.js';
import { DEFAULT_RC_LOGIN, type RateLimit, startTestHomeserver, type TestHomeserver, type TestHomeserverOptions } from './homeserver.js';
import { type NginxHandle, startNginx } from './nginx.js';
import { freePort } from './processes.js';

const SEED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/seed');

export interface DeploymentOptions {
  /** Edits to the seed's files before anything starts, keyed by path relative to fixtures/seed. */
  mutate?: Record<string, (text: string) => string>;
  /** The certificate nginx serves. */
  cert?: CertKind;
  homeserver?: Partial<TestHomeserverOptions>;
}

export interface TestDeployment {
  dir: string;
  files: { homeserverConfig: string; elementConfig: string; jitsiEnv: string; nginxDir: string; profile: string };
  /** `https` stands for 443, `federation` for 8448; `extra` maps any other listen port of the seed files. */
  ports: { https: number; federation: number; homeserver: number; dns: number; extra: Record<number, number> };
  /** matrixdoc flags that send every probe to this deployment, on loopback only. */
  flags: string[];
  certs: DeploymentCerts;
  homeserver: TestHomeserver;
  dns: { zone: Record<string, DnsRecord[]>; server: TestServer };
  nginx: NginxHandle;
  /** nginx's running copy of the site files for the current seed files (after `mutate`). */
  runningSites(): Record<string, string>;
  /** "Restarts Synapse": the test homeserver takes x_forwarded, rc_login and public_baseurl from homeserver.yaml again. */
  restartHomeserver(): void;
  stop(): Promise<void>;
}

/** What the test homeserver takes from homeserver.yaml: the client listener's x_forwarded, and rc_login. */
export function homeserverSettings(config: Record<string, unknown>): Pick<TestHomeserverOptions, 'xForwarded' | 'rcLogin'> {
  const listeners = Array.isArray(config.listeners) ? (config.listeners as Record<string, unknown>[]) : [];
  const client = listeners.find((l) => (l?.resources as { names?: string[] }[] | undefined)?.some((r) => r?.names?.includes('client')));
  const rc = (config.rc_login ?? {}) as Record<string, { per_second?: number; burst_count?: number } | undefined>;
  const limit = (key: 'address' | 'account' | 'failed_attempts', fallback: RateLimit): RateLimit => ({
    perSecond: Number(rc[key]?.per_second ?? fallback.perSecond),
    burstCount: Number(rc[key]?.burst_count ?? fallback.burstCount),
  });
  return {
    xForwarded: client?.x_forwarded === true,
    rcLogin: {
      address: limit('address', DEFAULT_RC_LOGIN.address),
      account: limit('account', DEFAULT_RC_LOGIN.account),
      failedAttempts: limit('failed_attempts', DEFAULT_RC_LOGIN.failedAttempts),
    },
  };
}

/** Rewrites a site file for the test nginx: loopback listen ports, test certificates, upstream to the test homeserver. */
export function rewriteSite(text: string, map: { ports: Record<number, number>; certFile: string; keyFile: string; homeserverPort: number }): string {
  return text
    .split('\n')
    .flatMap((line) => {
      const listen = line.match(/^(\s*)listen\s+(\[[^\]]*\]:|[\d.]+:|\*:)?(\d+)([^;]*);(.*)$/);
      if (!listen) return [line];
      const [, indent, addr, port, rest, tail] = listen;
      if (addr?.startsWith('[')) return []; // IPv6 listens: the test deployment is IPv4 loopback only
      const mapped = map.ports[Number(port)];
      if (mapped === undefined) throw new Error(`no loopback port for listen ${port}`);
      return [`${indent}listen 127.0.0.1:${mapped}${rest};${tail}`];
    })
    .join('\n')
    .replace(/^(\s*)ssl_certificate\s+[^;]+;/gm, `$1ssl_certificate ${map.certFile};`)
    .replace(/^(\s*)ssl_certificate_key\s+[^;]+;/gm, `$1ssl_certificate_key ${map.keyFile};`)
    .replace(/proxy_pass\s+http:\/\/(localhost|127\.0\.0\.1|\[::1\]):\d+/g, `proxy_pass http://127.0.0.1:${map.homeserverPort}`);
}

export async function startDeployment(options: DeploymentOptions = {}): Promise<TestDeployment> {
  const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-deployment-'));
  const cleanup: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const fn of cleanup.reverse()) await fn().catch(() => {});
    cleanup.length = 0;
  };
  try {
    cpSync(SEED, dir, { recursive: true });
    for (const [rel, edit] of Object.entries(options.mutate ?? {})) {
      const file = path.join(dir, rel);
      writeFileSync(file, edit(readFileSync(file, 'utf8')));
    }
    const files = {
      homeserverConfig: path.join(dir, 'synapse/homeserver.yaml'),
      elementConfig: path.join(dir, 'element/config.matrix.xfoss.com.json'),
      jitsiEnv: path.join(dir, 'jitsi/.env'),
      nginxDir: path.join(dir, 'nginx'),
      profile: path.join(dir, 'matrixdoc.yaml'),
    };
    const hsConfig = (parse(readFileSync(files.homeserverConfig, 'utf8')) ?? {}) as Record<string, unknown>;
    const serverName = typeof hsConfig.server_name === 'string' ? hsConfig.server_name : 'xfoss.com';
    const homeserver = await startTestHomeserver({
      serverName,
      ...(typeof hsConfig.public_baseurl === 'string' ? { publicBaseurl: hsConfig.public_baseurl } : {}),
      ...homeserverSettings(hsConfig),
      ...options.homeserver,
    });
    cleanup.push(() => homeserver.stop());

    const zone: Record<string, DnsRecord[]> = {};
    for (const name of DEPLOYMENT_NAMES) zone[name] = [{ type: 'A', address: '127.0.0.1' }];
    const dns = await startDnsServer(zone);
    cleanup.push(() => dns.close());

    const certs = deploymentCerts();
    const leaf = certs.leaves[options.cert ?? 'valid'];
    const ports = { https: await freePort(), federation: await freePort(), homeserver: homeserver.port, dns: dns.port, extra: {} as Record<number, number> };
    const siteNames = readdirSync(files.nginxDir).filter((n) => !n.startsWith('.'));
    const allPorts = new Set<number>();
    for (const name of siteNames) {
      for (const m of readFileSync(path.join(files.nginxDir, name), 'utf8').matchAll(/^\s*listen\s+(?:\[[^\]]*\]:|[\d.]+:|\*:)?(\d+)/gm))
        allPorts.add(Number(m[1]));
    }
    const portMap: Record<number, number> = { 443: ports.https, 8448: ports.federation };
    for (const p of allPorts) {
      if (portMap[p] === undefined) {
        portMap[p] = await freePort();
        ports.extra[p] = portMap[p];
      }
    }
    const runningSites = () => {
      const sites: Record<string, string> = {};
      for (const name of readdirSync(files.nginxDir).filter((n) => !n.startsWith('.'))) {
        sites[name] = rewriteSite(readFileSync(path.join(files.nginxDir, name), 'utf8'), {
          ports: portMap,
          certFile: leaf.certFile,
          keyFile: leaf.keyFile,
          homeserverPort: homeserver.port,
        });
      }
      return sites;
    };
    const nginx = await startNginx(runningSites());
    cleanup.push(() => nginx.stop());

    const flags: string[] = [];
    for (const name of DEPLOYMENT_NAMES) {
      for (const [from, to] of Object.entries(portMap)) flags.push('--connect-to', `${name}:${from}::${to}`);
    }
    flags.push('--dns-server', `127.0.0.1:${dns.port}`, '--ca-file', certs.caFile, '--allow-targets', '127.0.0.0/8,::1');

    const restartHomeserver = () => {
      const config = (parse(readFileSync(files.homeserverConfig, 'utf8')) ?? {}) as Record<string, unknown>;
      Object.assign(homeserver.options, homeserverSettings(config), {
        publicBaseurl: typeof config.public_baseurl === 'string' ? config.public_baseurl : undefined,
      });
      for (const l of Object.values(homeserver.limiters)) l.clear();
    };
    return { dir, files, ports, flags, certs, homeserver, dns: { zone, server: dns }, nginx, runningSites, restartHomeserver, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
