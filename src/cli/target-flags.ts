// The flags that describe a deployment and how to reach it, shared by `check` (and later `fix`).

import { readFile } from 'node:fs/promises';
import { Flags } from '@oclif/core';
import { discoverDeployment } from '../discover.js';
import { InputError } from '../engine/errors.js';
import { buildInputs, type Inputs, type RawInputs, readProfile } from '../engine/inputs.js';
import { NetClient } from '../net/client.js';

export const targetFlags = {
  profile: Flags.string({ char: 'p', description: 'Profile file (YAML) with the same settings as these flags; flags win.', helpGroup: 'TARGET' }),
  'server-name': Flags.string({ description: 'The Matrix server name (the part after : in user IDs), e.g. example.com.', helpGroup: 'TARGET' }),
  'homeserver-config': Flags.string({
    description: "Synapse's homeserver.yaml; repeat it, as Synapse's -c, for files or folders read after it (Debian's conf.d/).",
    multiple: true,
    helpGroup: 'TARGET',
  }),
  'element-config': Flags.string({ description: "Element Web's config.json.", helpGroup: 'TARGET' }),
  'jitsi-env': Flags.string({ description: "docker-jitsi-meet's .env file.", helpGroup: 'TARGET' }),
  'nginx-config': Flags.string({
    description: 'nginx config file or folder (repeatable), e.g. /etc/nginx/sites-enabled.',
    multiple: true,
    helpGroup: 'TARGET',
  }),
  resolve: Flags.string({
    description: "host:port:address — connect there for host:port, keeping Host and SNI (curl's --resolve). Repeatable.",
    multiple: true,
    helpGroup: 'NETWORK',
  }),
  'connect-to': Flags.string({
    description: "host:port:host2:port2 — connect to host2:port2 instead (curl's --connect-to). Repeatable.",
    multiple: true,
    helpGroup: 'NETWORK',
  }),
  'dns-server': Flags.string({ description: 'DNS server host[:port] for A/AAAA/SRV lookups.', helpGroup: 'NETWORK' }),
  'ca-file': Flags.string({ description: 'Extra trusted CA certificates (PEM).', helpGroup: 'NETWORK' }),
  'allow-targets': Flags.string({
    description: 'Only contact addresses in these ranges (CIDR list, or "loopback"); anything else is refused and reported.',
    env: 'MATRIXDOC_ALLOW_TARGETS',
    helpGroup: 'NETWORK',
  }),
  timeout: Flags.string({ description: 'Timeout per probe (5s, 500ms, 1m).', helpGroup: 'NETWORK' }),
  offline: Flags.boolean({ description: 'No network at all: check the files only.', allowNo: false, helpGroup: 'NETWORK' }),
};

export type TargetFlagValues = {
  profile?: string;
  'server-name'?: string;
  'homeserver-config'?: string[];
  'element-config'?: string;
  'jitsi-env'?: string;
  'nginx-config'?: string[];
  resolve?: string[];
  'connect-to'?: string[];
  'dns-server'?: string;
  'ca-file'?: string;
  'allow-targets'?: string;
  timeout?: string;
  offline?: boolean;
};

/** What `init` would find on this machine, as raw inputs (for `check --discover`). */
export async function discoveredInputs(env = process.env): Promise<RawInputs> {
  // MATRIXDOC_DISCOVER_ROOT/HOME look inside another tree, e.g. a container's filesystem mounted elsewhere.
  const d = await discoverDeployment({ root: env.MATRIXDOC_DISCOVER_ROOT || undefined, home: env.MATRIXDOC_DISCOVER_HOME || undefined });
  const raw: RawInputs = {};
  if (d.serverName) raw['server-name'] = d.serverName.value;
  if (d.homeserverConfig) raw['homeserver-config'] = [d.homeserverConfig.path, ...d.homeserverExtraConfigs.map((f) => f.path)];
  if (d.elementConfig) raw['element-config'] = d.elementConfig.path;
  if (d.jitsiEnv) raw['jitsi-env'] = d.jitsiEnv.path;
  if (d.nginxConfig.length) raw['nginx-config'] = d.nginxConfig.map((f) => f.path);
  return raw;
}

/** Flags win over the profile, which wins over discovered defaults. */
export async function inputsFromFlags(flags: TargetFlagValues, defaults: RawInputs = {}): Promise<Inputs> {
  const fromProfile = flags.profile ? readProfile(flags.profile) : {};
  const profile: RawInputs = { ...defaults };
  for (const [k, v] of Object.entries(fromProfile)) if (v !== undefined) (profile as Record<string, unknown>)[k] = v;
  const raw: RawInputs = {
    'server-name': flags['server-name'],
    'homeserver-config': flags['homeserver-config'],
    'element-config': flags['element-config'],
    'jitsi-env': flags['jitsi-env'],
    'nginx-config': flags['nginx-config'],
    resolve: flags.resolve,
    'connect-to': flags['connect-to'],
    'dns-server': flags['dns-server'],
    'ca-file': flags['ca-file'],
    'allow-targets': flags['allow-targets'],
    timeout: flags.timeout,
    offline: flags.offline ? true : undefined,
  };
  return buildInputs(raw, profile, flags.profile);
}

export async function netClientFor(inputs: Inputs): Promise<NetClient> {
  let extraCa: string | undefined;
  if (inputs.caFile) {
    try {
      extraCa = await readFile(inputs.caFile, 'utf8');
    } catch (error) {
      throw new InputError(`--ca-file: cannot read it (${(error as NodeJS.ErrnoException).code})`, { file: inputs.caFile });
    }
    if (!extraCa.includes('-----BEGIN CERTIFICATE-----')) throw new InputError('--ca-file: no PEM certificate in it', { file: inputs.caFile });
  }
  return new NetClient({
    resolve: inputs.resolve,
    connectTo: inputs.connectTo,
    dnsServer: inputs.dnsServer,
    extraCa,
    allowTargets: inputs.allowTargets,
  });
}
