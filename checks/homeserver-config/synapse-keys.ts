// Facts about homeserver.yaml keys, from Synapse's own config code (synapse/config/*.py at v1.157):
// which old keys it still reads, which it removed, and the types the keys our checks use must have.

export interface DeprecatedKey {
  key: string;
  replacement: string;
  /** What happens when the old and the new key are both there. */
  whenBoth: string;
  /** The modern key whose presence makes the old one dead (top-level name, or a dotted path that must be non-null), if any. */
  ignoredWhen?: string;
  since: string;
}

export const DEPRECATED_KEYS: DeprecatedKey[] = [
  {
    key: 'rc_messages_per_second',
    replacement: 'rc_message.per_second',
    whenBoth: 'ignored entirely once an rc_message block exists',
    ignoredWhen: 'rc_message',
    since: '0.99.5',
  },
  {
    key: 'rc_message_burst_count',
    replacement: 'rc_message.burst_count',
    whenBoth: 'ignored entirely once an rc_message block exists',
    ignoredWhen: 'rc_message',
    since: '0.99.5',
  },
  ...['window_size', 'sleep_limit', 'sleep_delay', 'reject_limit', 'concurrent'].map((k) => ({
    key: `federation_rc_${k}`,
    replacement: `rc_federation.${k}`,
    whenBoth: 'ignored once an rc_federation block exists',
    ignoredWhen: 'rc_federation',
    since: '0.99.5',
  })),
  { key: 'use_presence', replacement: 'presence.enabled', whenBoth: 'presence.enabled wins when it is set', ignoredWhen: 'presence.enabled', since: '1.32.0' },
  {
    key: 'federation_ip_range_blacklist',
    replacement: 'ip_range_blacklist',
    whenBoth: 'the old key replaces ip_range_blacklist for federation, and ip_range_whitelist no longer applies to federation',
    since: '1.25.0',
  },
  { key: 'bind_port', replacement: 'listeners', whenBoth: 'replaces the whole listeners list with two legacy listeners', since: 'before 1.0' },
  { key: 'bind_host', replacement: 'listeners[].bind_addresses', whenBoth: 'used with bind_port to build legacy listeners', since: 'before 1.0' },
  { key: 'unsecure_port', replacement: 'listeners', whenBoth: 'used with bind_port to build legacy listeners', since: 'before 1.0' },
  { key: 'metrics_port', replacement: 'a listener with type: metrics', whenBoth: 'adds an extra metrics listener next to the listeners list', since: '0.31' },
  { key: 'no_tls', replacement: '(delete it; configure listeners without tls)', whenBoth: 'silently drops every listener with tls: true', since: '0.99.1' },
  {
    key: 'restrict_public_rooms_to_local_users',
    replacement: 'allow_public_rooms_without_auth: false and allow_public_rooms_over_federation: false',
    whenBoth: 'Synapse refuses to start',
    since: '1.1.0',
  },
  { key: 'disable_registration', replacement: 'enable_registration (inverted)', whenBoth: 'disable_registration wins', since: 'legacy' },
  {
    key: 'database_path',
    replacement: 'database: {name: sqlite3, args: {database: ...}}',
    whenBoth: 'ignored once a database block exists (Synapse logs "Ignoring \'database_path\' setting")',
    ignoredWhen: 'database',
    since: 'legacy',
  },
  {
    key: 'perspectives',
    replacement: 'trusted_key_servers',
    whenBoth: 'merged into trusted_key_servers; with perspectives alone the default matrix.org key server is dropped',
    since: '1.0.0',
  },
  { key: 'oidc_config', replacement: 'oidc_providers', whenBoth: "both are loaded; an oidc_providers entry with idp_id 'oidc' then collides", since: '1.26.0' },
  { key: 'password_providers', replacement: 'modules (e.g. ldap_auth_provider.LdapAuthProviderModule)', whenBoth: 'both are loaded', since: '1.46.0' },
  {
    key: 'ldap_config',
    replacement: 'modules with ldap_auth_provider.LdapAuthProviderModule',
    whenBoth: 'becomes an extra password provider when enabled',
    since: 'legacy',
  },
  { key: 'spam_checker', replacement: 'modules', whenBoth: 'both are loaded', since: '1.37.0' },
  { key: 'third_party_event_rules', replacement: 'modules', whenBoth: 'both are loaded', since: '1.39.0' },
  { key: 'room_invite_state_types', replacement: 'room_prejoin_state.additional_event_types', whenBoth: 'Synapse refuses to start', since: '1.32.0' },
  { key: 'worker_main_http_uri', replacement: '(delete it)', whenBoth: 'unused since Synapse 1.73', since: '1.73.0' },
];

export interface RemovedKey {
  key: string;
  /** Synapse refuses to start (ConfigError) rather than ignoring it. */
  fatal: boolean;
  effect: string;
  since: string;
  /** Only fatal when the value is truthy (Synapse checks `if config.get(key)`). */
  whenTruthy?: boolean;
}

export const REMOVED_KEYS: RemovedKey[] = [
  {
    key: 'trust_identity_server_for_password_resets',
    fatal: true,
    whenTruthy: true,
    since: '1.48.0',
    effect: 'The config option "trust_identity_server_for_password_resets" is no longer supported. Please remove it from the config file.',
  },
  { key: 'invite_3pid_guest', fatal: true, whenTruthy: true, since: '1.2.0', effect: 'invite_3pid_guest is no longer supported' },
  {
    key: 'log_file',
    fatal: true,
    whenTruthy: true,
    since: '1.3.0',
    effect:
      'Support for the log_file configuration option and --log-file command-line option was removed in Synapse 1.3.0. You should instead set up a separate log configuration file.',
  },
  { key: 'worker_replication_port', fatal: true, since: '1.18.0', effect: 'Using direct TCP replication for workers is no longer supported.' },
  { key: 'tls_fingerprints', fatal: false, since: '1.35.0', effect: 'no code reads it any more' },
  { key: 'enable_group_creation', fatal: false, since: '1.70.0', effect: 'groups (communities) were removed' },
  { key: 'group_creation_prefix', fatal: false, since: '1.70.0', effect: 'groups (communities) were removed' },
  { key: 'acme', fatal: false, since: '1.37.0', effect: 'the built-in ACME client was removed; use certbot or a reverse proxy' },
  { key: 'trusted_third_party_id_servers', fatal: false, since: '1.48.0', effect: 'no code reads it any more' },
  { key: 'tls_dh_params_path', fatal: false, since: '0.99.0', effect: 'no code reads it any more' },
];

/** Keys that only make sense inside a section: at the top level they are a mis-indented line, silently ignored. */
export const NESTED_ONLY_KEYS: Record<string, string> = {
  port: 'listeners[]',
  bind_addresses: 'listeners[]',
  x_forwarded: 'listeners[]',
  resources: 'listeners[]',
  names: 'listeners[].resources[]',
  args: 'database',
  cp_min: 'database.args',
  cp_max: 'database.args',
  dbname: 'database.args',
  user: 'database.args',
  password: 'database.args',
  host: 'database.args',
  per_second: 'an rc_* block',
  burst_count: 'an rc_* block',
  enabled: 'a section such as presence, url_preview or a module config',
  module: 'modules[]',
  bind_dn: 'modules[].config (LDAP)',
  bind_password: 'modules[].config (LDAP)',
  uri: 'modules[].config (LDAP)',
  attributes: 'modules[].config (LDAP)',
};

export const LISTENER_RESOURCES = ['client', 'consent', 'federation', 'health', 'keys', 'media', 'metrics', 'openid', 'replication', 'static'];

export type Expect = 'string' | 'bool' | 'int' | 'number' | 'list' | 'map' | 'duration' | 'size' | 'port' | 'stringList';

export interface TypeRule {
  /** Path with `*` for every item of a list. */
  path: (string | '*')[];
  expect: Expect;
  /** What goes wrong at runtime with another type (from Synapse's code). */
  consequence: string;
  oneOf?: string[];
}

export const TYPE_RULES: TypeRule[] = [
  { path: ['server_name'], expect: 'string', consequence: 'Synapse refuses to start: Invalid server name' },
  { path: ['public_baseurl'], expect: 'string', consequence: 'Synapse refuses to start (a traceback for numbers, "Must be a string" for lists)' },
  { path: ['report_stats'], expect: 'bool', consequence: 'the value is used as truthy: any non-empty string, even "false", turns usage reporting ON' },
  { path: ['listeners'], expect: 'list', consequence: 'Synapse refuses to start: Expected a list' },
  { path: ['listeners', '*'], expect: 'map', consequence: 'Synapse refuses to start: Expected a dictionary' },
  { path: ['listeners', '*', 'port'], expect: 'port', consequence: "Synapse refuses to start: Listener configuration is lacking a valid 'port' option" },
  {
    path: ['listeners', '*', 'type'],
    expect: 'string',
    oneOf: ['http', 'manhole', 'metrics'],
    consequence: "Synapse stops with a traceback ('type' must be in ...)",
  },
  { path: ['listeners', '*', 'bind_addresses'], expect: 'stringList', consequence: 'Synapse stops with a traceback (a string or null is not a list)' },
  { path: ['listeners', '*', 'tls'], expect: 'bool', consequence: 'the value is used as truthy: tls: "false" makes a TLS listener' },
  { path: ['listeners', '*', 'x_forwarded'], expect: 'bool', consequence: 'the value is used as truthy: x_forwarded: "false" trusts X-Forwarded-For' },
  { path: ['listeners', '*', 'resources'], expect: 'list', consequence: 'Synapse stops with a traceback' },
  {
    path: ['listeners', '*', 'resources', '*', 'names'],
    expect: 'stringList',
    oneOf: LISTENER_RESOURCES,
    consequence: 'Synapse refuses to start: Unknown listener resource (a bare string is read letter by letter)',
  },
  { path: ['listeners', '*', 'resources', '*', 'compress'], expect: 'bool', consequence: 'Synapse stops with a traceback' },
  { path: ['turn_uris'], expect: 'stringList', consequence: 'passed unchecked to clients in /voip/turnServer, which then cannot use TURN' },
  { path: ['turn_shared_secret'], expect: 'string', consequence: 'TURN credentials fail at request time (a number has no .encode())' },
  { path: ['turn_username'], expect: 'string', consequence: 'clients get a TURN username of the wrong type' },
  { path: ['turn_password'], expect: 'string', consequence: 'clients get a TURN password of the wrong type' },
  { path: ['turn_user_lifetime'], expect: 'duration', consequence: 'Synapse stops with a traceback (Bad duration type / suffix)' },
  { path: ['turn_allow_guests'], expect: 'bool', consequence: 'the value is used as truthy' },
  { path: ['database'], expect: 'map', consequence: 'Synapse refuses to start' },
  { path: ['database', 'name'], expect: 'string', oneOf: ['psycopg2', 'sqlite3'], consequence: 'Synapse refuses to start: Unsupported database type' },
  { path: ['database', 'args'], expect: 'map', consequence: 'the database driver gets no connection settings' },
  { path: ['database', 'args', 'port'], expect: 'port', consequence: 'psycopg2 cannot connect' },
  { path: ['database', 'args', 'cp_min'], expect: 'int', consequence: "Twisted's connection pool fails to start" },
  { path: ['database', 'args', 'cp_max'], expect: 'int', consequence: "Twisted's connection pool fails to start" },
  { path: ['database', 'allow_unsafe_locale'], expect: 'bool', consequence: 'the value is used as truthy' },
  { path: ['max_upload_size'], expect: 'size', consequence: 'Synapse stops with a traceback (Bad byte size); sizes take K, M, G, T in upper case' },
  { path: ['enable_registration'], expect: 'bool', consequence: 'Synapse stops with a traceback (invalid truth value)' },
  { path: ['modules'], expect: 'list', consequence: 'Synapse refuses to start' },
  { path: ['modules', '*'], expect: 'map', consequence: 'Synapse refuses to start: expected a mapping' },
  { path: ['modules', '*', 'module'], expect: 'string', consequence: 'Synapse refuses to start: expected a string' },
  { path: ['modules', '*', 'config'], expect: 'map', consequence: 'the module gets no configuration' },
  ...[
    'rc_message',
    'rc_registration',
    'rc_registration_token_validity',
    'rc_login.address',
    'rc_login.account',
    'rc_login.failed_attempts',
    'rc_joins.local',
    'rc_joins.remote',
    'rc_joins_per_room',
    'rc_3pid_validation',
    'rc_invites.per_room',
    'rc_invites.per_user',
    'rc_invites.per_issuer',
    'rc_media_create',
    'rc_room_creation',
  ].flatMap((limiter): TypeRule[] => [
    { path: [...limiter.split('.'), 'per_second'], expect: 'number', consequence: 'the rate limiter fails when Synapse starts' },
    { path: [...limiter.split('.'), 'burst_count'], expect: 'number', consequence: 'the rate limiter fails when Synapse starts' },
  ]),
];
