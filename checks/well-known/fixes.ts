// Pure helpers for the well-known and public-baseurl checks: which nginx location serves a well-known
// file (so a fix can name file:line), the JSON the files should hold (from the user's own homeserver.yaml,
// Element config and what answered), and ready-to-paste nginx location blocks.

import type { FindingLocation } from '../../src/engine/types.js';
import { child } from '../../src/parse/nginx.js';
import type { ClientVersionsArtifact, ClientVersionsResult } from '../../src/probes/client-versions.js';
import type { ElementConfigArtifact, HomeserverConfigArtifact, NginxConfigArtifact } from '../../src/probes/config-files.js';
import { canonicalUrl, dig, isObject } from '../shared/locate.js';
import { type ServedPath, servedAt, serverFor } from '../shared/nginx-wellknown.js';

export type WellKnownFile = 'server' | 'client' | 'support';

export const wellKnownPath = (file: WellKnownFile) => `/.well-known/matrix/${file}`;

/** The effective value of a top-level homeserver.yaml key: files read later (conf.d) replace it. */
export function homeserverValue(
  hs: HomeserverConfigArtifact | undefined,
  key: string,
): { value: unknown; file: string; sha256: string; set: boolean } | undefined {
  if (!hs) return undefined;
  let found: { value: unknown; file: string; sha256: string; set: boolean } | undefined;
  for (const f of [hs, ...(hs.overrides ?? [])]) {
    if (isObject(f.parsed.value) && Object.hasOwn(f.parsed.value, key)) found = { value: f.parsed.value[key], file: f.file, sha256: f.sha256, set: true };
  }
  return found;
}

/** The artifact (main file or override) that holds a key, for positions. */
export function homeserverFileFor(hs: HomeserverConfigArtifact, file: string): HomeserverConfigArtifact {
  return file === hs.file ? hs : ((hs.overrides ?? []).find((o) => o.file === file) ?? hs);
}

export function elementBaseUrl(el: ElementConfigArtifact | undefined): string | undefined {
  const v = dig(el?.parsed.value, ['default_server_config', 'm.homeserver', 'base_url']);
  return typeof v === 'string' && canonicalUrl(v) ? v : undefined;
}

/** A base URL with exactly one trailing slash, as public_baseurl is written. */
export const withSlash = (url: string) => url.replace(/\/*$/, '/');
/** A base URL without trailing slashes, as the well-known usually writes it. */
export const withoutSlash = (url: string) => url.replace(/\/+$/, '');

/** The clientVersions answer for a base URL (compared canonically), preferring the one asked for `source`. */
export function versionsFor(versions: ClientVersionsArtifact | undefined, baseUrl: string | undefined, source?: string) {
  const c = baseUrl ? canonicalUrl(baseUrl) : undefined;
  const same = c ? (versions?.results ?? []).filter((r) => canonicalUrl(r.baseUrl) === c) : [];
  return (source ? same.find((r) => r.sources.includes(source)) : undefined) ?? same[0];
}

/**
 * The client base URL the deployment should advertise: the first of public_baseurl, Element's base_url
 * and the live well-known base_url that answered /_matrix/client/versions, else the first one given.
 */
export function bestClientBaseUrl(candidates: (string | undefined)[], versions: ClientVersionsArtifact | undefined): string | undefined {
  const valid = candidates.filter((c): c is string => typeof c === 'string' && canonicalUrl(c) !== undefined);
  return valid.find((c) => versionsFor(versions, c)?.versions) ?? valid[0];
}

/** Where nginx serves a well-known path for a host, with the `file:line` of its location (and of its `return`). */
export interface WellKnownServing {
  served?: ServedPath;
  /** The location block (or the server block when no location matches). */
  at?: FindingLocation;
  /** The `return` directive inside the location, when there is one. */
  returnAt?: FindingLocation;
  /** The server block for the host (for "add a location to ..."). */
  serverAt?: FindingLocation;
}

const pos = (d: { file: string; line: number; column: number }): FindingLocation => ({ file: d.file, line: d.line, column: d.column });

export function wellKnownServing(nginx: NginxConfigArtifact | undefined, host: string, file: WellKnownFile): WellKnownServing {
  if (!nginx) return {};
  const server = serverFor(nginx, host);
  const served = servedAt(nginx, host, wellKnownPath(file));
  const ret = served?.location ? child(served.location.block, 'return') : undefined;
  return {
    served,
    ...(served?.location ? { at: pos(served.location) } : server ? { at: pos(server.directive) } : {}),
    ...(ret ? { returnAt: pos(ret) } : {}),
    ...(server ? { serverAt: pos(server.directive) } : {}),
  };
}

/** A body excerpt on one line (an HTML error page shown in evidence without its line breaks), at most 200 characters. */
export const oneLine = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
};

/**
 * A base URL whose /_matrix/client/versions did not answer as a homeserver: the message id, the message
 * data and the evidence; `answered` is another base URL that did answer.
 */
export function versionsFailure(live: ClientVersionsResult, answered: string | undefined) {
  const x = live.exchange;
  return {
    messageId: x.error ? 'unreachable' : 'notMatrix',
    data: { url: live.url, reason: x.error ? `${x.error.code}: ${x.error.message}` : `HTTP ${x.status}`, status: x.status ?? 0 },
    evidence: {
      url: live.url,
      ...(x.status !== undefined ? { status: x.status } : {}),
      ...(x.error ? { error: x.error } : {}),
      ...(x.address ? { address: x.address } : {}),
      ...(x.bodyExcerpt ? { body: oneLine(x.bodyExcerpt) } : {}),
      ...(answered ? { answered } : {}),
    },
  };
}

/** `file:line` for fix texts. */
export const fileLine = (loc: FindingLocation | undefined) => (loc?.file ? `${loc.file}${loc.line !== undefined ? `:${loc.line}` : ''}` : undefined);

/** A complete nginx location block serving a well-known file with `body`, as the spec and browsers want it. */
export function locationBlock(file: WellKnownFile, body: unknown): string {
  const json = JSON.stringify(body).replace(/'/g, "\\'");
  return [
    `location = ${wellKnownPath(file)} {`,
    '    default_type application/json;',
    '    add_header Access-Control-Allow-Origin *;',
    `    return 200 '${json}';`,
    '}',
  ].join('\n');
}

/** The body the client well-known should have. */
export function clientBody(baseUrl: string): unknown {
  return { 'm.homeserver': { base_url: withoutSlash(baseUrl) } };
}

/** The body the server well-known should have. */
export function serverBody(delegate: string): unknown {
  return { 'm.server': delegate };
}

/**
 * The host:port federation should be delegated to: a valid m.server already given, else the host of
 * public_baseurl / Element's base_url on 443 (nginx there forwards /_matrix to Synapse), else matrix.<host>:443.
 */
export function suggestedDelegate(host: string, validMServer: string | undefined, clientUrls: (string | undefined)[]): string {
  if (validMServer) return validMServer;
  for (const u of clientUrls) {
    if (!u) continue;
    try {
      const url = new URL(u);
      if (url.protocol === 'https:') return `${url.hostname}:${url.port || 443}`;
    } catch {
      // not a URL
    }
  }
  return `matrix.${host}:443`;
}

/**
 * Fix steps for a change to a well-known location: "in file:line add X" when nginx serves the path
 * from a location of its own, otherwise the whole location block to add to the host's server block.
 */
export function nginxSteps(serving: WellKnownServing, host: string, file: WellKnownFile, change: { directive?: string; body: unknown }): string[] {
  const block = locationBlock(file, change.body);
  const loc = serving.served?.location;
  // A location of the well-known's own (not `location /` or the /_matrix proxy) that nginx answers itself.
  const own = loc?.args.some((a) => a.startsWith('/.well-known')) && serving.served?.kind !== 'proxy';
  const steps: string[] = [];
  // The same directive already there (`default_type text/plain;`, another `add_header Access-Control-Allow-Origin`): change it.
  const [name, firstArg] = (change.directive ?? '').replace(/;$/, '').split(/\s+/);
  const existing = loc?.block?.find((d) => d.name === name && (name !== 'add_header' || d.args[0]?.toLowerCase() === firstArg?.toLowerCase()));
  const existingText = existing ? `${[existing.name, ...existing.args].join(' ')};` : undefined;
  if (own && change.directive && existingText === change.directive) {
    steps.push(
      `${fileLine(existing)} already has \`${change.directive}\`, but the answer does not show it: nginx runs another configuration than these files (reload it), or another server block answers for ${host}`,
    );
  } else if (own && change.directive && existing) {
    steps.push(`In ${fileLine(existing)} (location ${loc?.args.join(' ')}) replace \`${existingText}\` with \`${change.directive}\``);
  } else if (own && change.directive) {
    steps.push(`In ${fileLine(serving.at)} (location ${loc?.args.join(' ')}) add \`${change.directive}\``);
  } else if (own) {
    steps.push(`Replace the location at ${fileLine(serving.at)} (location ${loc?.args.join(' ')}) with:\n${block}`);
  } else if (loc) {
    const where = serving.serverAt ? ` (${fileLine(serving.serverAt)})` : '';
    steps.push(
      `In the server block for ${host}${where} add this exact-match location (today nginx answers the path from location ${loc.args.join(' ')} at ${fileLine(serving.at)}):\n${block}`,
    );
  } else if (serving.serverAt) {
    steps.push(`In the server block for ${host} (${fileLine(serving.serverAt)}) add:\n${block}`);
  } else {
    steps.push(`In the nginx server block for ${host} (listen 443 ssl; server_name ${host};) add:\n${block}`);
  }
  steps.push('nginx -t && systemctl reload nginx');
  steps.push(`curl -si https://${host}${wellKnownPath(file)}`);
  return steps;
}

/** The canonical form of `host[:port]` with the default port dropped, for comparisons of m.server. */
export function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
