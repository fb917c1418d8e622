// The flags that describe a deployment and how to reach it, shared by `check` (and later `fix`).

import { Flags } from '@oclif/core';
import { discoverDeployment } from '../discover.js';
import { InputError } from '../engine/errors.js';
import { buildInputs, type Inputs, type RawInputs, readProfile } from '../engine/inputs.js';
import { NetClient } from '../net/client.js';
import { fsReason, readRegularFile } from '../probes/files.js';
import { MAX_LOGIN_ATTEMPTS } from '../probes/login-rate.js';
import { MAX_LOG_BYTES } from '../probes/synapse-log.js';

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

/** Inputs for opt-in live probes: test accounts, tokens, logs, coturn's config. Secrets come from flags or the environment, never from a profile. */
export const probeFlags = {
  'test-user': Flags.string({
    description: "A test account (user ID or localpart): public-baseurl logs in with it to read login's well_known, then always logs out.",
    helpGroup: 'TARGET',
  }),
  'test-password': Flags.string({
    description: "The test account's password (better: the MATRIXDOC_TEST_PASSWORD environment variable). Never shown in any output.",
    env: 'MATRIXDOC_TEST_PASSWORD',
    helpGroup: 'TARGET',
  }),
  // rate-limits: opt-in live probes and Synapse's log (docs/codes/MXD-RL-*.md).
  'probe-login': Flags.boolean({
    description: `Measure the login rate limit: up to ${MAX_LOGIN_ATTEMPTS} failed logins for random non-existent accounts (never a real one), stopping at the first 429, then one with a forged X-Forwarded-For. Side effect: uses up this machine's login budget on the homeserver (rc_login.address: by default 5, then 1 per ~333 s) — and, when Synapse sees every client as the proxy's address, everyone's: users may be refused logins until retry_after_ms passes.`,
    helpGroup: 'RATE LIMITS',
  }),
  'admin-token': Flags.string({
    description:
      "A Synapse admin's access token, to read the --rate-limit-users' overrides (read-only; better: MATRIXDOC_ADMIN_TOKEN). Never shown in any output.",
    env: 'MATRIXDOC_ADMIN_TOKEN',
    helpGroup: 'RATE LIMITS',
  }),
  'rate-limit-users': Flags.string({
    description: 'Users whose per-user rate-limit override to read with --admin-token (comma-separated or repeated): @bot:example.com,@bridge:example.com.',
    multiple: true,
    helpGroup: 'RATE LIMITS',
  }),
  'synapse-log': Flags.string({
    description: `Synapse's log (homeserver.log): its last ${MAX_LOG_BYTES / 1024 / 1024} MiB are searched for rate-limit refusals (429), counted per client address.`,
    helpGroup: 'RATE LIMITS',
  }),
  // turn: coturn's config and the homeserver's /voip/turnServer (docs/codes/MXD-TURN-*.md).
  'coturn-config': Flags.string({
    description: "coturn's turnserver.conf: its secret is compared with turn_shared_secret (never shown), its relay ports and denied-peer-ip lines are read.",
    helpGroup: 'TARGET',
  }),
  'access-token': Flags.string({
    description:
      "A user's access token (better: MATRIXDOC_ACCESS_TOKEN): the turn check reads /voip/turnServer with it and tries the TURN credentials it hands out. Never shown in any output.",
    env: 'MATRIXDOC_ACCESS_TOKEN',
    helpGroup: 'TARGET',
  }),
  'ldap-test-user': Flags.string({
    description: 'An LDAP login to try as the Synapse LDAP module does at login: search the user, then bind as them (nothing is changed).',
    helpGroup: 'TARGET',
  }),
  'ldap-test-password': Flags.string({
    description: "The LDAP test login's password (better: the MATRIXDOC_LDAP_TEST_PASSWORD environment variable). Never shown in any output.",
    env: 'MATRIXDOC_LDAP_TEST_PASSWORD',
    helpGroup: 'TARGET',
  }),
};

/** The target flags' values: the raw inputs under the same names, and --profile. */
export interface TargetFlagValues extends RawInputs {
  profile?: string;
}

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
    'test-user': flags['test-user'],
    'test-password': flags['test-password'],
    'probe-login': flags['probe-login'],
    'admin-token': flags['admin-token'],
    'rate-limit-users': flags['rate-limit-users'],
    'synapse-log': flags['synapse-log'],
    'coturn-config': flags['coturn-config'],
    'access-token': flags['access-token'],
    'ldap-test-user': flags['ldap-test-user'],
    'ldap-test-password': flags['ldap-test-password'],
  };
  return buildInputs(raw, profile, flags.profile);
}

export async function netClientFor(inputs: Inputs): Promise<NetClient> {
  let extraCa: string | undefined;
  if (inputs.caFile) {
    try {
      extraCa = (await readRegularFile(inputs.caFile, 4 * 1024 * 1024)).toString('utf8');
    } catch (error) {
      throw new InputError(`--ca-file: cannot read it (${fsReason(error as NodeJS.ErrnoException, 4 * 1024 * 1024, inputs.caFile)})`, { file: inputs.caFile });
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
