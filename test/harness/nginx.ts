// The Debian nginx binary, run as the test's own process with a private prefix (`nginx -p`): our sites,
// our temp paths, our logs, ports on 127.0.0.1 only. Nothing under /etc/nginx or /var is touched
// (mime.types is only read).

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stopProcess, track, waitForPort } from './processes.js';

export const NGINX_BIN = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) ?? 'nginx';

export interface NginxHandle {
  prefix: string;
  /** The 127.0.0.1 ports the sites listen on. */
  ports: number[];
  errorLog(): string;
  /** Replaces the sites and restarts nginx on the same ports. */
  reload(sites: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

const MAIN_CONF = `worker_processes 1;
pid nginx.pid;
error_log logs/error.log info;
events { worker_connections 128; }
http {
  access_log logs/access.log;
  client_body_temp_path tmp/body;
  proxy_temp_path tmp/proxy;
  fastcgi_temp_path tmp/fastcgi;
  uwsgi_temp_path tmp/uwsgi;
  scgi_temp_path tmp/scgi;
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  include sites/*.conf;
}
`;

/** The 127.0.0.1 ports in `listen 127.0.0.1:PORT ...` lines. */
export function listenPorts(sites: Record<string, string>): number[] {
  const ports = new Set<number>();
  for (const text of Object.values(sites)) for (const m of text.matchAll(/^\s*listen\s+127\.0\.0\.\d+:(\d+)/gm)) ports.add(Number(m[1]));
  return [...ports];
}

function writeSites(prefix: string, sites: Record<string, string>): void {
  const dir = path.join(prefix, 'sites');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(sites)) writeFileSync(path.join(dir, name.endsWith('.conf') ? name : `${name}.conf`), text);
}

export async function startNginx(sites: Record<string, string>): Promise<NginxHandle> {
  const prefix = mkdtempSync(path.join(tmpdir(), 'matrixdoc-nginx-'));
  for (const d of ['logs', 'tmp']) mkdirSync(path.join(prefix, d), { recursive: true });
  writeFileSync(path.join(prefix, 'nginx.conf'), MAIN_CONF);
  let child: ChildProcess | undefined;
  let stderr = '';
  const errorLog = () => {
    try {
      return readFileSync(path.join(prefix, 'logs/error.log'), 'utf8');
    } catch {
      return '';
    }
  };

  const launch = async (current: Record<string, string>) => {
    writeSites(prefix, current);
    const args = ['-e', 'stderr', '-p', prefix, '-c', 'nginx.conf'];
    const test = spawnSync(NGINX_BIN, [...args, '-t'], { encoding: 'utf8' });
    if (test.status !== 0) throw new Error(`nginx -t refused the test config:\n${test.stderr}`);
    stderr = '';
    const started = spawn(NGINX_BIN, [...args, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    track(started);
    started.stderr?.on('data', (d) => {
      stderr += d;
    });
    const alive = () => started.exitCode === null && started.signalCode === null;
    try {
      for (const port of listenPorts(current)) await waitForPort(port, '127.0.0.1', 5000, alive);
    } catch (error) {
      await stopProcess(started);
      throw new Error(`nginx did not start: ${(error as Error).message}\n${stderr}${errorLog()}`);
    }
  };

  try {
    await launch(sites);
  } catch (error) {
    rmSync(prefix, { recursive: true, force: true });
    throw error;
  }
  let ports = listenPorts(sites);
  let stopped: Promise<void> | undefined;
  return {
    prefix,
    get ports() {
      return ports;
    },
    errorLog,
    async reload(next) {
      if (child) await stopProcess(child);
      await launch(next);
      ports = listenPorts(next);
    },
    stop() {
      stopped ??= (async () => {
        if (child) await stopProcess(child);
        rmSync(prefix, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
