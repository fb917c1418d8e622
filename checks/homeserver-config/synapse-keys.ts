// Facts about homeserver.yaml keys, from Synapse's own config code (synapse/config/*.py at v1.157):
// which old keys it still reads, which it removed, and the types the keys our checks use must have.

/** What happens when an old key and its replacement are both there: MXD-HS-007's phrases, by id. */
export const WHEN_BOTH = {
  ignoredOnceRcMessage: 'ignored entirely once an rc_message block exists',
  ignoredOnceRcFederation: 'ignored once an rc_federation block exists',
  presenceEnabledWins: 'presence.enabled wins when it is set',
  replacesIpRangeBlacklist: 'the old key replaces ip_range_blacklist for federation, and ip_range_whitelist no longer applies to federation',
  replacesListeners: 'replaces the whole listeners list with two legacy listeners',
  buildsLegacyListeners: 'used with bind_port to build legacy listeners',
  addsMetricsListener: 'adds an extra metrics listener next to the listeners list',
  dropsTlsListeners: 'silently drops every listener with tls: true',
  refusesToStart: 'Synapse refuses to start',
  disableRegistrationWins: 'disable_registration wins',
  ignoredOnceDatabase: 'ignored once a database block exists (Synapse logs "Ignoring \'database_path\' setting")',
  mergedIntoTrustedKeyServers: 'merged into trusted_key_servers; with perspectives alone the default matrix.org key server is dropped',
  oidcCollides: "both are loaded; an oidc_providers entry with idp_id 'oidc' then collides",
  bothLoaded: 'both are loaded',
  extraPasswordProvider: 'becomes an extra password provider when enabled',
  unusedSince173: 'unused since Synapse 1.73',
} as const;

/**
 * What replaces an old key, where that is not a key or block name alone: MXD-HS-007's phrases, by id. A
 * replacement that is a key (`rc_message.per_second`) is its own id, shown as it is.
 */
export const REPLACEMENT_WORDS: Record<string, string> = {
  metricsListener: 'a listener with type: metrics',
  deleteNoTls: '(delete it; configure listeners without tls)',
  publicRoomsOff: 'allow_public_rooms_without_auth: false and allow_public_rooms_over_federation: false',
  enableRegistrationInverted: 'enable_registration (inverted)',
  databaseBlock: 'database: {name: sqlite3, args: {database: ...}}',
  ldapModuleEg: 'modules (e.g. ldap_auth_provider.LdapAuthProviderModule)',
  ldapModule: 'modules with ldap_auth_provider.LdapAuthProviderModule',
  deleteIt: '(delete it)',
};

/** Versions that are not a version number: MXD-HS-007's phrases, by id (a version number is its own id). */
export const SINCE_WORDS: Record<string, string> = {
  'pre-1.0': 'before 1.0',
  legacy: 'legacy',
};

export interface DeprecatedKey {
  key: string;
  /** A phrase id: the key that replaces it, or an id of REPLACEMENT_WORDS. */
  replacement: string;
  /** What happens when the old and the new key are both there (a phrase id of WHEN_BOTH). */
  whenBoth: keyof typeof WHEN_BOTH;
  /** The modern key whose presence makes the old one dead (top-level name, or a dotted path that must be non-null), if any. */
  ignoredWhen?: string;
  /** A phrase id: the Synapse version that deprecated it, or an id of SINCE_WORDS. */
  since: string;
}

export const DEPRECATED_KEYS: DeprecatedKey[] = [
  {
    key: 'rc_messages_per_second',
    replacement: 'rc_message.per_second',
    whenBoth: 'ignoredOnceRcMessage',
    ignoredWhen: 'rc_message',
    since: '0.99.5',
  },
  {
    key: 'rc_message_burst_count',
    replacement: 'rc_message.burst_count',
    whenBoth: 'ignoredOnceRcMessage',
    ignoredWhen: 'rc_message',
    since: '0.99.5',
  },
  ...['window_size', 'sleep_limit', 'sleep_delay', 'reject_limit', 'concurrent'].map(
    (k): DeprecatedKey => ({
      key: `federation_rc_${k}`,
      replacement: `rc_federation.${k}`,
      whenBoth: 'ignoredOnceRcFederation',
      ignoredWhen: 'rc_federation',
      since: '0.99.5',
    }),
  ),
  { key: 'use_presence', replacement: 'presence.enabled', whenBoth: 'presenceEnabledWins', ignoredWhen: 'presence.enabled', since: '1.32.0' },
  {
    key: 'federation_ip_range_blacklist',
    replacement: 'ip_range_blacklist',
    whenBoth: 'replacesIpRangeBlacklist',
    since: '1.25.0',
  },
  { key: 'bind_port', replacement: 'listeners', whenBoth: 'replacesListeners', since: 'pre-1.0' },
  { key: 'bind_host', replacement: 'listeners[].bind_addresses', whenBoth: 'buildsLegacyListeners', since: 'pre-1.0' },
  { key: 'unsecure_port', replacement: 'listeners', whenBoth: 'buildsLegacyListeners', since: 'pre-1.0' },
  { key: 'metrics_port', replacement: 'metricsListener', whenBoth: 'addsMetricsListener', since: '0.31' },
  { key: 'no_tls', replacement: 'deleteNoTls', whenBoth: 'dropsTlsListeners', since: '0.99.1' },
  {
    key: 'restrict_public_rooms_to_local_users',
    replacement: 'publicRoomsOff',
    whenBoth: 'refusesToStart',
    since: '1.1.0',
  },
  { key: 'disable_registration', replacement: 'enableRegistrationInverted', whenBoth: 'disableRegistrationWins', since: 'legacy' },
  {
    key: 'database_path',
    replacement: 'databaseBlock',
    whenBoth: 'ignoredOnceDatabase',
    ignoredWhen: 'database',
    since: 'legacy',
  },
  {
    key: 'perspectives',
    replacement: 'trusted_key_servers',
    whenBoth: 'mergedIntoTrustedKeyServers',
    since: '1.0.0',
  },
  { key: 'oidc_config', replacement: 'oidc_providers', whenBoth: 'oidcCollides', since: '1.26.0' },
  { key: 'password_providers', replacement: 'ldapModuleEg', whenBoth: 'bothLoaded', since: '1.46.0' },
  {
    key: 'ldap_config',
    replacement: 'ldapModule',
    whenBoth: 'extraPasswordProvider',
    since: 'legacy',
  },
  { key: 'spam_checker', replacement: 'modules', whenBoth: 'bothLoaded', since: '1.37.0' },
  { key: 'third_party_event_rules', replacement: 'modules', whenBoth: 'bothLoaded', since: '1.39.0' },
  { key: 'room_invite_state_types', replacement: 'room_prejoin_state.additional_event_types', whenBoth: 'refusesToStart', since: '1.32.0' },
  { key: 'worker_main_http_uri', replacement: 'deleteIt', whenBoth: 'unusedSince173', since: '1.73.0' },
];

/** Why a removed key is silently ignored: MXD-HS-009's phrases, by id. */
export const IGNORED_WHY: Record<string, string> = {
  unread: 'no code reads it any more',
  groupsRemoved: 'groups (communities) were removed',
  acmeRemoved: 'the built-in ACME client was removed; use certbot or a reverse proxy',
};

export interface RemovedKey {
  key: string;
  /** Synapse refuses to start (ConfigError) rather than ignoring it. */
  fatal: boolean;
  /**
   * Fatal keys: Synapse's error as it prints it (data, quoted in the message). Other keys: the id of the
   * IGNORED_WHY phrase that says why Synapse ignores it.
   */
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
  { key: 'tls_fingerprints', fatal: false, since: '1.35.0', effect: 'unread' },
  { key: 'enable_group_creation', fatal: false, since: '1.70.0', effect: 'groupsRemoved' },
  { key: 'group_creation_prefix', fatal: false, since: '1.70.0', effect: 'groupsRemoved' },
  { key: 'acme', fatal: false, since: '1.37.0', effect: 'acmeRemoved' },
  { key: 'trusted_third_party_id_servers', fatal: false, since: '1.48.0', effect: 'unread' },
  { key: 'tls_dh_params_path', fatal: false, since: '0.99.0', effect: 'unread' },
];

/**
 * The sections of NESTED_ONLY_KEYS, MXD-HS-011's phrases by id: a section that is a yaml path is its own
 * id (its words say "an item of" or "the section" in the languages that need it).
 */
export const SECTION_WORDS: Record<string, string> = {
  'listeners[]': 'listeners[]',
  'listeners[].resources[]': 'listeners[].resources[]',
  database: 'database',
  'database.args': 'database.args',
  'rc_*': 'an rc_* block',
  anySection: 'a section such as presence, url_preview or a module config',
  'modules[]': 'modules[]',
  'modules[].config': 'modules[].config (LDAP)',
};

/** Keys that only make sense inside a section (an id of SECTION_WORDS): at the top level they are a mis-indented line, silently ignored. */
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
  per_second: 'rc_*',
  burst_count: 'rc_*',
  enabled: 'anySection',
  module: 'modules[]',
  bind_dn: 'modules[].config',
  bind_password: 'modules[].config',
  uri: 'modules[].config',
  attributes: 'modules[].config',
};

export const LISTENER_RESOURCES = ['client', 'consent', 'federation', 'health', 'keys', 'media', 'metrics', 'openid', 'replication', 'static'];

export type Expect = 'string' | 'bool' | 'int' | 'number' | 'list' | 'map' | 'duration' | 'size' | 'port' | 'stringList';

/** What goes wrong at runtime with a value of another type (from Synapse's code): MXD-HS-008's phrases, by id. */
export const CONSEQUENCES = {
  refusesInvalidServerName: 'Synapse refuses to start: Invalid server name',
  refusesMustBeString: 'Synapse refuses to start (a traceback for numbers, "Must be a string" for lists)',
  truthyReportStats: 'the value is used as truthy: any non-empty string, even "false", turns usage reporting ON',
  refusesExpectedList: 'Synapse refuses to start: Expected a list',
  refusesExpectedDictionary: 'Synapse refuses to start: Expected a dictionary',
  refusesListenerPort: "Synapse refuses to start: Listener configuration is lacking a valid 'port' option",
  tracebackListenerType: "Synapse stops with a traceback ('type' must be in ...)",
  tracebackNotList: 'Synapse stops with a traceback (a string or null is not a list)',
  truthyTls: 'the value is used as truthy: tls: "false" makes a TLS listener',
  truthyXForwarded: 'the value is used as truthy: x_forwarded: "false" trusts X-Forwarded-For',
  traceback: 'Synapse stops with a traceback',
  refusesUnknownResource: 'Synapse refuses to start: Unknown listener resource (a bare string is read letter by letter)',
  turnUrisUnchecked: 'passed unchecked to clients in /voip/turnServer, which then cannot use TURN',
  turnSecretFails: 'TURN credentials fail at request time (a number has no .encode())',
  turnUsernameType: 'clients get a TURN username of the wrong type',
  turnPasswordType: 'clients get a TURN password of the wrong type',
  tracebackDuration: 'Synapse stops with a traceback (Bad duration type / suffix)',
  truthy: 'the value is used as truthy',
  refuses: 'Synapse refuses to start',
  refusesDatabaseType: 'Synapse refuses to start: Unsupported database type',
  noDatabaseArgs: 'the database driver gets no connection settings',
  psycopg2CannotConnect: 'psycopg2 cannot connect',
  poolFails: "Twisted's connection pool fails to start",
  tracebackSize: 'Synapse stops with a traceback (Bad byte size); sizes take K, M, G, T in upper case',
  tracebackTruthValue: 'Synapse stops with a traceback (invalid truth value)',
  refusesExpectedMapping: 'Synapse refuses to start: expected a mapping',
  refusesExpectedString: 'Synapse refuses to start: expected a string',
  noModuleConfig: 'the module gets no configuration',
  rateLimiterFails: 'the rate limiter fails when Synapse starts',
} as const;

export interface TypeRule {
  /** Path with `*` for every item of a list. */
  path: (string | '*')[];
  expect: Expect;
  /** What goes wrong at runtime with another type: an id of CONSEQUENCES. */
  consequence: keyof typeof CONSEQUENCES;
  oneOf?: string[];
}

export const TYPE_RULES: TypeRule[] = [
  { path: ['server_name'], expect: 'string', consequence: 'refusesInvalidServerName' },
  { path: ['public_baseurl'], expect: 'string', consequence: 'refusesMustBeString' },
  { path: ['report_stats'], expect: 'bool', consequence: 'truthyReportStats' },
  { path: ['listeners'], expect: 'list', consequence: 'refusesExpectedList' },
  { path: ['listeners', '*'], expect: 'map', consequence: 'refusesExpectedDictionary' },
  { path: ['listeners', '*', 'port'], expect: 'port', consequence: 'refusesListenerPort' },
  {
    path: ['listeners', '*', 'type'],
    expect: 'string',
    oneOf: ['http', 'manhole', 'metrics'],
    consequence: 'tracebackListenerType',
  },
  { path: ['listeners', '*', 'bind_addresses'], expect: 'stringList', consequence: 'tracebackNotList' },
  { path: ['listeners', '*', 'tls'], expect: 'bool', consequence: 'truthyTls' },
  { path: ['listeners', '*', 'x_forwarded'], expect: 'bool', consequence: 'truthyXForwarded' },
  { path: ['listeners', '*', 'resources'], expect: 'list', consequence: 'traceback' },
  {
    path: ['listeners', '*', 'resources', '*', 'names'],
    expect: 'stringList',
    oneOf: LISTENER_RESOURCES,
    consequence: 'refusesUnknownResource',
  },
  { path: ['listeners', '*', 'resources', '*', 'compress'], expect: 'bool', consequence: 'traceback' },
  { path: ['turn_uris'], expect: 'stringList', consequence: 'turnUrisUnchecked' },
  { path: ['turn_shared_secret'], expect: 'string', consequence: 'turnSecretFails' },
  { path: ['turn_username'], expect: 'string', consequence: 'turnUsernameType' },
  { path: ['turn_password'], expect: 'string', consequence: 'turnPasswordType' },
  { path: ['turn_user_lifetime'], expect: 'duration', consequence: 'tracebackDuration' },
  { path: ['turn_allow_guests'], expect: 'bool', consequence: 'truthy' },
  { path: ['database'], expect: 'map', consequence: 'refuses' },
  { path: ['database', 'name'], expect: 'string', oneOf: ['psycopg2', 'sqlite3'], consequence: 'refusesDatabaseType' },
  { path: ['database', 'args'], expect: 'map', consequence: 'noDatabaseArgs' },
  { path: ['database', 'args', 'port'], expect: 'port', consequence: 'psycopg2CannotConnect' },
  { path: ['database', 'args', 'cp_min'], expect: 'int', consequence: 'poolFails' },
  { path: ['database', 'args', 'cp_max'], expect: 'int', consequence: 'poolFails' },
  { path: ['database', 'allow_unsafe_locale'], expect: 'bool', consequence: 'truthy' },
  { path: ['max_upload_size'], expect: 'size', consequence: 'tracebackSize' },
  { path: ['enable_registration'], expect: 'bool', consequence: 'tracebackTruthValue' },
  { path: ['modules'], expect: 'list', consequence: 'refuses' },
  { path: ['modules', '*'], expect: 'map', consequence: 'refusesExpectedMapping' },
  { path: ['modules', '*', 'module'], expect: 'string', consequence: 'refusesExpectedString' },
  { path: ['modules', '*', 'config'], expect: 'map', consequence: 'noModuleConfig' },
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
    { path: [...limiter.split('.'), 'per_second'], expect: 'number', consequence: 'rateLimiterFails' },
    { path: [...limiter.split('.'), 'burst_count'], expect: 'number', consequence: 'rateLimiterFails' },
  ]),
];
