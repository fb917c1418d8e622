// Live probes of a docker-jitsi-meet deployment, all through ctx.net (redirection flags and
// --allow-targets apply):
//
// - jitsiWeb: GET <PUBLIC_URL>/config.js and read it without running it (src/parse/config-js.ts); then
//   XMPP over WebSocket (RFC 7395) as the browser does it: subprotocol `xmpp`, `<open/>` to the XMPP
//   domain, wait for the server's `<open/>` and `<stream:features>`; and the colibri WebSocket path on
//   releases that still have it.
// - jitsiHost: this machine's interfaces and what PUBLIC_URL's host resolves to, to tell whether
//   matrixdoc runs on the Jitsi host; there, the bridge's health endpoint on 127.0.0.1.
// - jitsiCompose (no network): the docker compose file beside the .env, and the release it pins for the
//   web image (`jitsi/web:${JITSI_IMAGE_VERSION:-stable-9584}`), interpolated with the .env as docker
//   compose does: the release when the .env does not set JITSI_IMAGE_VERSION.

import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { type HostRole, healthUrl, hostRole, type InterfaceAddress } from '../../checks/jitsi-jvb/jvb-facts.js';
import { colibriSupport, expectedUrls, imageVersion, interpolate, JitsiSettings, publicUrlOf, urlPort } from '../../checks/jitsi-websocket/jitsi-facts.js';
import { defineProbe } from '../engine/define.js';
import { ProbeError } from '../engine/errors.js';
import { timeoutSignal } from '../engine/timeouts.js';
import { classifyNetError, type HttpExchange, type NetClient, type TlsEvidence } from '../net/client.js';
import { type ConfigJsScan, MAX_SCAN_CHARS, scanConfigJs, settingString } from '../parse/config-js.js';
import type { JitsiEnvArtifact } from './config-files.js';
import { readRegularFile } from './files.js';

export const XMPP_FRAMING_NS = 'urn:ietf:params:xml:ns:xmpp-framing';
const MAX_FRAMES = 8;
const MAX_FRAME_CHARS = 4000;
const MAX_BODY_EXCERPT = 2000;
/** The largest WebSocket message accepted (ws's maxPayload, checked against each frame's header): prosody's are a few KiB. */
export const MAX_WS_PAYLOAD = 1024 * 1024;

export type HttpSummary = Omit<HttpExchange, 'body'> & { bodyExcerpt: string };

function summarise(x: HttpExchange): HttpSummary {
  const { body, ...rest } = x;
  return { ...rest, bodyExcerpt: body.slice(0, MAX_BODY_EXCERPT) };
}

/** One XMPP-over-WebSocket attempt, as far as it got. */
export interface WebSocketAttempt {
  url: string;
  /** Why it was tried: the URL config.js gives browsers, and/or the one docker-jitsi-meet generates from PUBLIC_URL. */
  sources: ('config.js' | 'PUBLIC_URL')[];
  /** The `to` of our `<open/>`: config.js's hosts.domain, else XMPP_DOMAIN. */
  xmppDomain: string;
  /**
   * network: DNS, TCP or TLS failed (error.code says which) or nothing answered the HTTP upgrade in time;
   * refused: --allow-targets forbade the address; http: an HTTP answer other than 101; subprotocol: 101
   * without `xmpp` echoed; silent: 101, then no frame until the deadline; closed: 101, then the connection
   * closed before any frame; stream-error; no-features: `<open/>` but no features; features: a working
   * XMPP stream.
   */
  outcome: 'network' | 'refused' | 'http' | 'subprotocol' | 'silent' | 'closed' | 'stream-error' | 'no-features' | 'features';
  error?: { code: string; message: string };
  address?: string;
  tls?: TlsEvidence;
  http?: { status: number; headers: Record<string, string>; bodyExcerpt: string };
  /** The Sec-WebSocket-Protocol the server answered with. */
  subprotocol?: string;
  frames: string[];
  /** Attributes of the server's `<open/>`. */
  open?: Record<string, string>;
  mechanisms?: string[];
  streamError?: { condition: string; text?: string };
  waitedMs: number;
}

/** The docker-jitsi-meet release the containers run: JITSI_IMAGE_VERSION from the .env, else the compose file's pin. */
export interface JitsiRelease {
  version: string;
  from: 'env' | 'compose';
  /** `file:line` of the pin (compose) or of the .env line. */
  where: string;
}

export interface JitsiWebArtifact {
  publicUrl: string;
  /** The release the colibri decision used; absent when neither the .env nor the compose file names one (and in older captures). */
  release?: JitsiRelease;
  configJs: { url: string; exchange: HttpSummary; scan?: ConfigJsScan };
  /** What config.js would say if the web container were recreated from this .env. */
  expected: { websocket?: string; bosh: string; domain: string; muc: string };
  websockets: WebSocketAttempt[];
  colibri?: { url: string; exchange: HttpSummary };
}

function attrs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([\w:.-]+)\s*=\s*(['"])(.*?)\2/g)) out[m[1]] = m[3];
  return out;
}

/**
 * Frames of an RFC 7395 stream, read with bounded patterns (the server's answer is small and regular; a
 * hostile one cannot make the reading slow: each pattern runs on a window after the first match).
 */
export function readXmppFrames(frames: string[]): Pick<WebSocketAttempt, 'open' | 'mechanisms' | 'streamError'> & { features: boolean; closed: boolean } {
  const all = frames.join('').slice(0, MAX_FRAMES * MAX_FRAME_CHARS);
  const windowAt = (re: RegExp, size = 4000) => {
    const m = re.exec(all);
    return m ? all.slice(m.index, m.index + size) : undefined;
  };
  const openTag = windowAt(/<open\b/);
  const open = openTag ? /^<open\b([^>]{0,2000}?)\/?>/.exec(openTag) : null;
  const featuresText = windowAt(/<(?:stream:)?features\b/, 8000);
  const featuresEnd = featuresText ? featuresText.search(/<\/(?:stream:)?features>|^<(?:stream:)?features\b[^>]{0,500}\/>/) : -1;
  const features = featuresText && featuresEnd >= 0 ? featuresText.slice(0, featuresEnd + 1) : undefined;
  const mechanisms = features ? [...features.matchAll(/<mechanism>\s*([^<\s]{1,100})\s*<\/mechanism>/g)].map((m) => m[1]) : undefined;
  const errorText = windowAt(/<(?:stream:)?error\b/, 2000);
  const condition = errorText ? /<([A-Za-z-]{1,64})\b[^>]{0,300}xmlns=['"]urn:ietf:params:xml:ns:xmpp-streams['"]/.exec(errorText) : null;
  const text = errorText ? /<text\b[^>]{0,300}>([^<]{0,1000})<\/text>/.exec(errorText)?.[1] : undefined;
  return {
    ...(open ? { open: attrs(open[1]) } : {}),
    ...(mechanisms ? { mechanisms } : {}),
    ...(condition ? { streamError: { condition: condition[1], ...(text ? { text } : {}) } } : {}),
    features: Boolean(features),
    closed: /<close\b/.test(all),
  };
}

const RESOLVER_FAILURES = new Set(['DNS_UNREACHABLE', 'DNS_TIMEOUT', 'DNS_REFUSED']);

/**
 * Opens an XMPP WebSocket through NetClient (so --connect-to, --resolve, --dns-server, --ca-file and
 * --allow-targets apply: ws gets the socket NetClient opened, TLS checked for the URL's host), sends the
 * RFC 7395 `<open/>` to `xmppDomain` and waits until `deadline` (ms since epoch) for the stream features.
 */
export async function tryXmppWebSocket(
  net: NetClient,
  url: string,
  opts: { xmppDomain: string; origin?: string; signal: AbortSignal; deadline: number; sources?: WebSocketAttempt['sources'] },
): Promise<WebSocketAttempt> {
  const started = Date.now();
  const base: WebSocketAttempt = { url, sources: opts.sources ?? [], xmppDomain: opts.xmppDomain, outcome: 'network', frames: [], waitedMs: 0 };
  const done = (extra: Partial<WebSocketAttempt>): WebSocketAttempt => ({ ...base, ...extra, waitedMs: Date.now() - started });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return done({ error: { code: 'INVALID_URL', message: `not a URL: ${url}` } });
  }
  if (parsed.protocol !== 'wss:' && parsed.protocol !== 'ws:') return done({ error: { code: 'INVALID_URL', message: `not a ws:// or wss:// URL: ${url}` } });
  const remaining = () => Math.max(1, opts.deadline - Date.now());
  const signal = AbortSignal.any([opts.signal, timeoutSignal(remaining())]);
  const secure = parsed.protocol === 'wss:';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let socket: import('node:net').Socket;
  try {
    const route = await net.route(host, urlPort(parsed), signal);
    const c = await net.connect(route, { tls: secure, servername: host, signal });
    socket = c.socket;
    base.address = c.address;
    if (c.tls) base.tls = c.tls;
  } catch (error) {
    if (error instanceof ProbeError && error.code === 'TARGET_NOT_ALLOWED')
      return done({ outcome: 'refused', error: { code: error.code, message: error.message } });
    const classified = classifyNetError(error);
    if (RESOLVER_FAILURES.has(classified.code)) throw new ProbeError(classified.code, `the DNS resolver did not answer for ${host}: ${classified.message}`);
    return done({ outcome: 'network', error: classified });
  }

  return new Promise<WebSocketAttempt>((resolve) => {
    const frames: string[] = [];
    let upgraded = false;
    let subprotocol: string | undefined;
    let settled = false;
    let ws: WebSocket | undefined;
    const finish = (extra: Partial<WebSocketAttempt>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      const got = readXmppFrames(frames);
      resolve(done({ frames: frames.slice(), ...(subprotocol !== undefined ? { subprotocol } : {}), ...pick(got), ...extra }));
      // Leave politely when the stream is up, then make sure nothing stays open.
      try {
        if (ws?.readyState === WebSocket.OPEN) {
          ws.send(`<close xmlns="${XMPP_FRAMING_NS}"/>`);
          ws.close(1000);
        }
      } catch {
        // already closing
      }
      setTimeout(() => {
        ws?.terminate();
        socket.destroy();
      }, 200).unref();
    };
    const pick = (got: ReturnType<typeof readXmppFrames>) => ({
      ...(got.open ? { open: got.open } : {}),
      ...(got.mechanisms ? { mechanisms: got.mechanisms } : {}),
      ...(got.streamError ? { streamError: got.streamError } : {}),
    });
    const judgeFrames = () => {
      const got = readXmppFrames(frames);
      if (got.streamError) finish({ outcome: 'stream-error' });
      else if (got.features) finish({ outcome: 'features' });
      else if (got.closed) finish({ outcome: got.open ? 'no-features' : 'closed' });
    };
    const onTimeout = () => {
      if (!upgraded) finish({ outcome: 'network', error: { code: 'TIMEOUT', message: 'no answer to the WebSocket upgrade before the timeout' } });
      else if (readXmppFrames(frames).open) finish({ outcome: 'no-features' });
      else finish({ outcome: 'silent' });
    };
    const timer = setTimeout(onTimeout, remaining());
    const onAbort = () => onTimeout();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      ws = new WebSocket(url, ['xmpp'], {
        createConnection: () => socket,
        perMessageDeflate: false,
        followRedirects: false,
        maxPayload: MAX_WS_PAYLOAD,
        ...(opts.origin ? { origin: opts.origin } : {}),
        headers: { 'User-Agent': 'matrixdoc' },
      });
    } catch (error) {
      finish({ outcome: 'network', error: classifyNetError(error) });
      return;
    }
    ws.on('upgrade', (res) => {
      upgraded = true;
      const p = res.headers['sec-websocket-protocol'];
      subprotocol = Array.isArray(p) ? p.join(',') : p;
    });
    ws.on('unexpected-response', (_req, res) => {
      upgraded = true;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : String(v ?? '');
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        if (body.length < MAX_BODY_EXCERPT) body += d;
        if (body.length >= MAX_BODY_EXCERPT) res.destroy();
      });
      const end = () => finish({ outcome: 'http', http: { status: res.statusCode ?? 0, headers, bodyExcerpt: body.slice(0, MAX_BODY_EXCERPT) } });
      res.on('end', end);
      res.on('close', end);
      res.on('error', end);
    });
    ws.on('open', () => {
      if (subprotocol !== 'xmpp') {
        finish({ outcome: 'subprotocol' });
        return;
      }
      ws?.send(`<open xmlns="${XMPP_FRAMING_NS}" to="${escapeXml(opts.xmppDomain)}" version="1.0"/>`);
    });
    ws.on('message', (data, isBinary) => {
      if (frames.length < MAX_FRAMES) frames.push((isBinary ? '[binary] ' : '') + String(data).slice(0, MAX_FRAME_CHARS));
      judgeFrames();
    });
    ws.on('error', (error) => {
      const message = (error as Error).message ?? String(error);
      // ws checks the handshake answer: a missing or different subprotocol is the server's choice, not a network failure.
      if (/subprotocol/i.test(message)) finish({ outcome: 'subprotocol', error: { code: 'WS_SUBPROTOCOL', message } });
      // A frame (or fragmented message) over maxPayload: ws refuses it from its header, before buffering it.
      else if ((error as { code?: string }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')
        finish({
          outcome: readXmppFrames(frames).open ? 'no-features' : 'closed',
          error: { code: 'WS_TOO_LARGE', message: `a WebSocket message larger than ${MAX_WS_PAYLOAD} bytes (${message})` },
        });
      else if (upgraded) finish({ outcome: frames.length ? 'no-features' : 'closed', error: { code: 'WS_PROTOCOL', message } });
      else if (/Sec-WebSocket-Accept|Upgrade header|Unexpected server response/i.test(message))
        finish({ outcome: 'http', error: { code: 'WS_HANDSHAKE', message } });
      else finish({ outcome: 'network', error: classifyNetError(error) });
    });
    ws.on('close', (code, reason) => {
      if (settled) return;
      const got = readXmppFrames(frames);
      if (got.streamError) finish({ outcome: 'stream-error' });
      else if (got.features) finish({ outcome: 'features' });
      else
        finish({
          outcome: got.open ? 'no-features' : 'closed',
          error: { code: 'WS_CLOSED', message: `closed with ${code}${reason.length ? ` ${reason.toString()}` : ''}` },
        });
    });
  });
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const jitsiWebProbe = defineProbe<JitsiWebArtifact>({
  id: 'jitsiWeb',
  description: "Fetches Jitsi's config.js from PUBLIC_URL, reads its WebSocket/BOSH URLs and XMPP hosts, then opens the XMPP WebSocket as a browser does",
  network: true,
  dependsOn: ['jitsiEnv'],
  uses: ['jitsiCompose'],
  async run(ctx, deps) {
    const settings = new JitsiSettings(deps.jitsiEnv as JitsiEnvArtifact);
    const release = releaseOf(settings, deps.jitsiCompose as JitsiComposeArtifact | undefined);
    const { url: publicUrl, problem } = publicUrlOf(settings);
    if (!publicUrl || problem) return { skip: 'PUBLIC_URL in the .env is not an https URL (see MXD-JWS-001)' };
    // Leave the engine's deadline a margin, so that silence is recorded as such rather than lost with the probe.
    const budget = Math.max(100, ctx.timeoutMs - Math.min(500, ctx.timeoutMs / 5));
    const deadline = Date.now() + budget;
    const base = publicUrl.href.endsWith('/') ? publicUrl.href : `${publicUrl.href}/`;
    const configUrl = new URL('config.js', base).toString();
    const expected = expectedUrls(settings);

    const colibriState = colibriSupport(imageVersion(release?.version));
    const colibriFlag = settings.bool('ENABLE_COLIBRI_WEBSOCKET', colibriState === 'default-on');
    const colibriUrl = colibriState !== 'removed' && colibriState !== 'unknown' && colibriFlag.value ? new URL('colibri-ws/jvb/', base).toString() : undefined;
    const timed = (share: number) => AbortSignal.any([ctx.signal, timeoutSignal(Math.max(1, Math.round(budget * share)))]);

    const [configExchange, colibriExchange] = await Promise.all([
      ctx.net.http(configUrl, { signal: timed(0.6), maxBytes: MAX_SCAN_CHARS }),
      colibriUrl ? ctx.net.http(colibriUrl, { signal: timed(0.6), maxBytes: 16 * 1024 }) : Promise.resolve(undefined),
    ]);
    const scan = configExchange.ok && configExchange.status === 200 ? scanConfigJs(configExchange.body) : undefined;
    const xmppDomain = settingString(scan, 'hosts.domain') ?? (settings.value('XMPP_DOMAIN') as string);
    const origin = `https://${publicUrl.host}`;

    // The URL browsers use (config.js), and the one this .env generates; once each.
    const targets = new Map<string, WebSocketAttempt['sources']>();
    const configured = settingString(scan, 'websocket');
    if (configured) targets.set(configured, ['config.js']);
    if (expected.websocket) targets.set(expected.websocket, [...(targets.get(expected.websocket) ?? []), 'PUBLIC_URL']);
    const websockets = await Promise.all(
      [...targets].map(([url, sources]) => tryXmppWebSocket(ctx.net, url, { xmppDomain, origin, signal: ctx.signal, deadline, sources })),
    );
    return {
      publicUrl: publicUrl.href,
      ...(release ? { release } : {}),
      configJs: { url: configUrl, exchange: summarise(configExchange), ...(scan ? { scan } : {}) },
      expected,
      websockets,
      ...(colibriUrl && colibriExchange ? { colibri: { url: colibriUrl, exchange: summarise(colibriExchange) } } : {}),
    };
  },
});

export interface JitsiHostArtifact {
  envFile: string;
  publicHost?: string;
  resolution?: { addresses: string[]; via: string } | { error: { code: string; message: string } };
  interfaces: InterfaceAddress[];
  compose?: { file: string; runsJvb: boolean };
  role: HostRole;
  /** GET http://127.0.0.1:<JVB_COLIBRI_PORT>/about/health, only on the Jitsi host. */
  health?: { url: string; exchange: HttpSummary };
}

const COMPOSE_FILES = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yaml', 'compose.yml'];

export interface JitsiComposeArtifact {
  file: string;
  /** A jvb service (or a jitsi/jvb image) in the file. */
  runsJvb: boolean;
  /**
   * The web service's image line (docker-jitsi-meet: `image: jitsi/web:${JITSI_IMAGE_VERSION:-stable-9584}`):
   * as written, the tag docker compose makes of it with this .env, and the default it pins.
   */
  webImage?: { line: number; image: string; tag: string; pinned?: string };
}

/**
 * The web image of a compose file, read line by line (docker-jitsi-meet writes one `image:` line per
 * service; the web one names `/web:`, or is the first `image:` under `web:`), interpolated with `lookup`.
 */
export function composeWebImage(text: string, lookup: (name: string) => string | undefined): JitsiComposeArtifact['webImage'] {
  const lines = text.split(/\r?\n/);
  let service: string | undefined;
  let found: { line: number; image: string } | undefined;
  for (let i = 0; i < lines.length && i < 5000; i++) {
    const l = lines[i];
    const svc = /^ {2,4}([A-Za-z0-9_.-]+):\s*(#.*)?$/.exec(l);
    if (svc) service = svc[1];
    const m = /^\s+image:\s*(['"]?)(.{1,300}?)\1\s*(#.*)?$/.exec(l);
    if (!m) continue;
    const image = m[2].trim();
    if (/(^|\/)web:/.test(image) || (service === 'web' && !found)) {
      found = { line: i + 1, image };
      if (/(^|\/)web:/.test(image)) break;
    }
  }
  if (!found) return undefined;
  // The tag follows the last ':' of the interpolated name (`${VAR:-x}` holds a ':' of its own).
  const tag = /:([^:/]+)$/.exec(interpolate(found.image, lookup))?.[1];
  if (!tag) return undefined;
  const pinned = /\$\{JITSI_IMAGE_VERSION:?-([^}]*)\}/.exec(found.image)?.[1];
  return { line: found.line, image: found.image, tag, ...(pinned !== undefined ? { pinned } : {}) };
}

/** The compose file beside the .env (the first of docker compose's default names), or undefined. */
async function readComposeBeside(envFile: string): Promise<{ file: string; text: string } | undefined> {
  for (const name of COMPOSE_FILES) {
    const file = path.join(path.dirname(envFile), name);
    const text = await readRegularFile(file, 1024 * 1024)
      .then((b) => b.toString('utf8'))
      .catch(() => undefined);
    if (text !== undefined) return { file, text };
  }
  return undefined;
}

const runsJvbIn = (text: string) => /^\s+jvb:\s*$/m.test(text) || /\/jvb:/.test(text);

/** The release: JITSI_IMAGE_VERSION from the .env, else the web image tag the compose file beside it gives. */
export function releaseOf(settings: JitsiSettings, compose: JitsiComposeArtifact | undefined): JitsiRelease | undefined {
  const fromEnv = settings.get('JITSI_IMAGE_VERSION').value;
  if (fromEnv !== undefined) return { version: fromEnv, from: 'env', where: settings.where('JITSI_IMAGE_VERSION') };
  if (compose?.webImage) return { version: compose.webImage.tag, from: 'compose', where: `${compose.file}:${compose.webImage.line}` };
  return undefined;
}

export const jitsiComposeProbe = defineProbe<JitsiComposeArtifact>({
  id: 'jitsiCompose',
  description: "Reads the docker compose file beside docker-jitsi-meet's .env: the release it pins for the web image, and whether it runs the jvb",
  network: false,
  dependsOn: ['jitsiEnv'],
  async run(_ctx, deps) {
    const env = deps.jitsiEnv as JitsiEnvArtifact;
    const found = await readComposeBeside(env.file);
    if (!found) return { skip: `no docker compose file beside ${env.file}` };
    const settings = new JitsiSettings(env);
    // docker compose interpolates the file with the .env beside it (variables unset there stay unset: `:-` defaults apply).
    const webImage = composeWebImage(found.text, (name) => settings.get(name).value);
    return { file: found.file, runsJvb: runsJvbIn(found.text), ...(webImage ? { webImage } : {}) };
  },
});

export interface HostInspection {
  interfaces?: () => NodeJS.Dict<os.NetworkInterfaceInfo[]>;
  envIsLocal?: boolean;
}

/** What jitsiHost gathers; `opts` lets tests stand in for this machine's interfaces. */
export async function inspectJitsiHost(
  ctx: { net: NetClient; signal: AbortSignal; timeoutMs: number },
  env: JitsiEnvArtifact,
  opts: HostInspection = {},
): Promise<JitsiHostArtifact> {
  const settings = new JitsiSettings(env);
  const { url } = publicUrlOf(settings);
  const interfaces: InterfaceAddress[] = Object.entries((opts.interfaces ?? os.networkInterfaces)()).flatMap(([name, list]) =>
    (list ?? []).map((i) => ({
      name,
      address: i.address,
      family: (i.family === 'IPv6' || (i.family as unknown) === 6 ? 6 : 4) as 4 | 6,
      internal: i.internal,
    })),
  );
  const found = await readComposeBeside(env.file);
  const compose: JitsiHostArtifact['compose'] = found ? { file: found.file, runsJvb: runsJvbIn(found.text) } : undefined;
  let resolution: JitsiHostArtifact['resolution'];
  if (url?.hostname) {
    try {
      const found = await ctx.net.lookup(url.hostname, urlPort(url), ctx.signal);
      resolution = { addresses: found.addresses.map((a) => a.address), via: found.via };
    } catch (error) {
      if (error instanceof ProbeError && error.code === 'TARGET_NOT_ALLOWED') throw error;
      const classified = classifyNetError(error);
      if (RESOLVER_FAILURES.has(classified.code))
        throw new ProbeError(classified.code, `the DNS resolver did not answer for ${url.hostname}: ${classified.message}`);
      resolution = { error: classified };
    }
  }
  const role = hostRole({
    envIsLocal: opts.envIsLocal ?? true,
    publicHost: url?.hostname,
    resolvedAddresses: resolution && 'addresses' in resolution ? resolution.addresses : [],
    interfaces,
    composeRunsJvb: compose?.runsJvb ?? false,
  });
  let health: JitsiHostArtifact['health'];
  if (role.onHost || role.behindNat) {
    const hurl = healthUrl(settings.get('JVB_COLIBRI_PORT').value);
    const signal = AbortSignal.any([ctx.signal, timeoutSignal(Math.max(1, ctx.timeoutMs - Math.min(500, ctx.timeoutMs / 5)))]);
    health = { url: hurl, exchange: summarise(await ctx.net.http(hurl, { signal, maxBytes: 16 * 1024, maxRedirects: 0 })) };
  }
  return {
    envFile: env.file,
    ...(url?.hostname ? { publicHost: url.hostname } : {}),
    ...(resolution ? { resolution } : {}),
    interfaces,
    ...(compose ? { compose } : {}),
    role,
    ...(health ? { health } : {}),
  };
}

export const jitsiHostProbe = defineProbe<JitsiHostArtifact>({
  id: 'jitsiHost',
  description: "This machine's interfaces and PUBLIC_URL's addresses (is this the Jitsi host?); there, the videobridge's health endpoint on 127.0.0.1",
  network: true,
  dependsOn: ['jitsiEnv'],
  async run(ctx, deps) {
    return inspectJitsiHost(ctx, deps.jitsiEnv as JitsiEnvArtifact);
  },
});

/** The Jitsi probes, for the registry. */
export const jitsiProbes = [jitsiComposeProbe, jitsiWebProbe, jitsiHostProbe];
