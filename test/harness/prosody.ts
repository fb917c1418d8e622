// Prosody from Debian, run in the foreground with a private config on loopback: the XMPP server of
// docker-jitsi-meet (VirtualHost meet.jitsi, anonymous guests), serving XMPP over WebSocket
// (/xmpp-websocket, RFC 7395) and BOSH (/http-bind) on a free HTTP port.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, stopProcess, track } from './processes.js';

export interface ProsodyOptions {
  /** XMPP_DOMAIN of docker-jitsi-meet. */
  domain: string;
  authentication: 'anonymous' | 'internal_hashed';
  websocket: boolean;
}

export interface ProsodyHandle {
  httpPort: number;
  c2sPort: number;
  options: ProsodyOptions;
  log(): string;
  stop(): Promise<void>;
}

export async function startProsody(overrides: Partial<ProsodyOptions> = {}): Promise<ProsodyHandle> {
  const options: ProsodyOptions = { domain: 'meet.jitsi', authentication: 'anonymous', websocket: true, ...overrides };
  const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-prosody-'));
  for (const d of ['data', 'certs']) mkdirSync(path.join(dir, d));
  const httpPort = await freePort();
  const c2sPort = await freePort();
  const modules = ['roster', 'saslauth', 'disco', 'ping', 'posix', 'bosh', ...(options.websocket ? ['websocket'] : [])];
  const config = `-- matrixdoc test prosody (private paths, loopback only)
run_as_root = true
pidfile = "${dir}/prosody.pid"
data_path = "${dir}/data"
certificates = "${dir}/certs"
plugin_paths = {}
log = { { levels = { min = "info" }, to = "file", filename = "${dir}/prosody.log" } }
interfaces = { "127.0.0.1" }
local_interfaces = { "127.0.0.1" }
http_interfaces = { "127.0.0.1" }
https_interfaces = { "127.0.0.1" }
c2s_ports = { ${c2sPort} }
s2s_ports = { }
https_ports = { }
http_ports = { ${httpPort} }
component_ports = { }
modules_enabled = { ${modules.map((m) => `"${m}";`).join(' ')} }
modules_disabled = { "s2s"; "tls"; }
c2s_require_encryption = false
s2s_require_encryption = false
allow_unencrypted_plain_auth = true
consider_websocket_secure = true
consider_bosh_secure = true
http_default_host = "${options.domain}"
VirtualHost "${options.domain}"
  authentication = "${options.authentication}"
`;
  writeFileSync(path.join(dir, 'prosody.cfg.lua'), config);
  const child = spawn('prosody', ['--config', path.join(dir, 'prosody.cfg.lua'), '-F'], { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const log = () => {
    try {
      return readFileSync(path.join(dir, 'prosody.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const stop = async () => {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  // Readiness: the BOSH endpoint answers over HTTP (and so does /xmpp-websocket when enabled).
  const deadline = Date.now() + 8000;
  while (true) {
    const ok = await fetch(`http://127.0.0.1:${httpPort}/http-bind`, { signal: AbortSignal.timeout(300) })
      .then((r) => r.status > 0)
      .catch(() => false);
    if (ok) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      const why = `prosody did not start on 127.0.0.1:${httpPort}\n${output}${log()}`;
      await stop();
      throw new Error(why);
    }
    await new Promise((r) => setTimeout(r, 30));
  }
  return { httpPort, c2sPort, options, log, stop };
}
