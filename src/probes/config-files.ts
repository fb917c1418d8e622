// Probes that read and parse the deployment's config files. They return evidence only (parsed values
// with positions, problems found while parsing, hashes); the checks decide what is wrong.

import path from 'node:path';
import { defineProbe } from '../engine/define.js';
import type { ProbeContext } from '../engine/types.js';
import { type ParsedEnv, parseDotenv } from '../parse/dotenv.js';
import { type ParsedJson, parseJson } from '../parse/json.js';
import { type ParsedNginx, parseNginx } from '../parse/nginx.js';
import { type ParsedYaml, parseYaml } from '../parse/yaml.js';
import { isSecretKey } from '../report/redact.js';
import { expandConfigPaths, readTextFile } from './files.js';

export interface ConfigFileArtifact<P> {
  file: string;
  sha256: string;
  size: number;
  parsed: P;
}

/** homeserver.yaml, plus the files Synapse reads after it (their top-level keys replace its own). */
export type HomeserverConfigArtifact = ConfigFileArtifact<ParsedYaml> & { overrides?: ConfigFileArtifact<ParsedYaml>[] };
export type ElementConfigArtifact = ConfigFileArtifact<ParsedJson>;
export type JitsiEnvArtifact = ConfigFileArtifact<ParsedEnv>;
export interface NginxConfigArtifact {
  files: ConfigFileArtifact<ParsedNginx>[];
}

/** Credentials in URL query strings (map tiles, widgets) are secrets too. */
function addUrlSecrets(ctx: ProbeContext, value: unknown): void {
  if (typeof value === 'string') {
    for (const m of value.matchAll(/[?&](?:key|api_key|apikey|access_token|token|secret|password)=([^&#\s"']+)/gi)) ctx.addSecret(m[1]);
  } else if (Array.isArray(value)) {
    for (const v of value) addUrlSecrets(ctx, v);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) addUrlSecrets(ctx, v);
  }
}

function addKeyedSecrets(ctx: ProbeContext, value: unknown, parentKey = ''): void {
  if (Array.isArray(value)) for (const v of value) addKeyedSecrets(ctx, v, parentKey);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) addKeyedSecrets(ctx, v, k);
  else if ((typeof value === 'string' || typeof value === 'number') && isSecretKey(parentKey)) ctx.addSecret(String(value));
}

export const homeserverConfigProbe = defineProbe<HomeserverConfigArtifact>({
  id: 'homeserverConfig',
  description: "Reads and parses Synapse's homeserver.yaml (YAML 1.1, as PyYAML reads it) with positions",
  network: false,
  async run(ctx) {
    if (ctx.inputs.homeserverConfig.length === 0) return { skip: 'no homeserver.yaml given (--homeserver-config)' };
    // As Synapse's -c: files in order; a folder contributes its *.yaml files in name order.
    const paths = await expandConfigPaths(ctx.inputs.homeserverConfig, '--homeserver-config', (_dir, name) => name.endsWith('.yaml'));
    const files: ConfigFileArtifact<ParsedYaml>[] = [];
    for (const file of paths) {
      const read = await readTextFile(file, '--homeserver-config', undefined, ctx.inputs.overlay);
      const parsed = parseYaml(read.text);
      addKeyedSecrets(ctx, parsed.value);
      addUrlSecrets(ctx, parsed.value);
      files.push({ file, sha256: read.sha256, size: read.size, parsed });
    }
    if (files.length === 0) return { skip: `no .yaml file in ${ctx.inputs.homeserverConfig.join(', ')}` };
    const [main, ...overrides] = files;
    return overrides.length ? { ...main, overrides } : main;
  },
});

export const elementConfigProbe = defineProbe<ElementConfigArtifact>({
  id: 'elementConfig',
  description: "Reads and parses Element Web's config.json (strict JSON) with positions",
  network: false,
  async run(ctx) {
    const file = ctx.inputs.elementConfig;
    if (!file) return { skip: 'no Element config.json given (--element-config)' };
    const read = await readTextFile(file, '--element-config', undefined, ctx.inputs.overlay);
    const parsed = parseJson(read.text);
    addKeyedSecrets(ctx, parsed.value);
    addUrlSecrets(ctx, parsed.value);
    return { file, sha256: read.sha256, size: read.size, parsed };
  },
});

export const jitsiEnvProbe = defineProbe<JitsiEnvArtifact>({
  id: 'jitsiEnv',
  description: "Reads docker-jitsi-meet's .env file",
  network: false,
  async run(ctx) {
    const file = ctx.inputs.jitsiEnv;
    if (!file) return { skip: 'no docker-jitsi-meet .env given (--jitsi-env)' };
    const read = await readTextFile(file, '--jitsi-env', undefined, ctx.inputs.overlay);
    const parsed = parseDotenv(read.text);
    for (const e of parsed.entries) if (isSecretKey(e.name)) ctx.addSecret(e.value);
    addUrlSecrets(ctx, parsed.values);
    return { file, sha256: read.sha256, size: read.size, parsed };
  },
});

export const nginxConfigProbe = defineProbe<NginxConfigArtifact>({
  id: 'nginxConfig',
  description: 'Reads and parses nginx configuration files (files, or every file in a folder such as sites-enabled)',
  network: false,
  async run(ctx) {
    if (ctx.inputs.nginxConfig.length === 0) return { skip: 'no nginx configuration given (--nginx-config)' };
    // nginx loads conf.d through `include conf.d/*.conf`; sites-enabled through `include sites-enabled/*`.
    const paths = await expandConfigPaths(ctx.inputs.nginxConfig, '--nginx-config', (dir, name) => path.basename(dir) !== 'conf.d' || name.endsWith('.conf'));
    const files = [];
    for (const file of paths) {
      const read = await readTextFile(file, '--nginx-config', undefined, ctx.inputs.overlay);
      files.push({ file, sha256: read.sha256, size: read.size, parsed: parseNginx(read.text, file) });
    }
    return { files };
  },
});
