// Simplified Chinese messages (简体中文). Keys: finding code, then messageId; placeholders as in English.
// Config keys, file names and the error strings Synapse, Element and PyYAML print stay in English (that is
// what the admin sees in logs and in the browser); only the explanation around them is translated.

import type { Catalog } from './index.js';

export const zhHans: Catalog = {
  // homeserver-config: Synapse homeserver.yaml
  'MXD-HS-001': {
    tabIndent: '第 {{line}} 行使用制表符缩进，Synapse 无法读取该文件（PyYAML 报错："found character \'\\t\' that cannot start any token"）。',
    tabBetween: '第 {{line}} 行第 {{column}} 列有制表符；PyYAML 不只在缩进中、在各记号之间也不允许出现制表符，因此 Synapse 无法读取该文件。',
    moreTabs: '另有 {{count}} 行含有制表符（行号：{{lines}}）。',
    'fix:tabIndent': '把第 {{line}} 行的制表符替换为 {{spaces}} 个空格（即该文件的缩进步长）。',
    'fix:tabBetween': '把第 {{line}} 行第 {{column}} 列的制表符替换为一个空格。',
    'fix:moreTabs': '把所有制表符替换为空格。',
  },
  'MXD-HS-002': {
    syntax: 'YAML 语法错误：{{detail}}。',
    'fix:syntax': '修正第 {{line}} 行第 {{column}} 列处的 YAML。',
  },
  'MXD-HS-003': {
    duplicate: "配置项 '{{key}}' 定义了不止一次；Synapse 只采用最后一处且不会给出任何提示，前面那段配置不会生效。",
    'fix:duplicate': "把两段 '{{key}}' 合并为一段，或删除不需要的那一段。",
  },
  'MXD-HS-004': {
    notMap: '该文件为空，或者不是键值映射（解析结果：{{found}}）；Synapse 会忽略它（日志："doesn\'t parse into a key-value map. IGNORING."）。',
    'fix:notMap': '让 --homeserver-config 指向真正的 homeserver.yaml（一个由 server_name: ... 之类的配置项组成的映射）。',
  },
  'MXD-HS-005': {
    missing: '缺少 server_name；Synapse 拒绝启动（"Missing mandatory `server_name` config option."）。',
    invalid: "server_name '{{value}}' 不是有效的服务器名（格式应为 hostname[:port]，不能带 https:// 之类的协议头或路径）；Synapse 拒绝启动。",
    mismatch: "server_name 为 '{{value}}'，但传给 matrixdoc 的服务器名是 '{{expected}}'。",
    'fix:missing': '添加 server_name：即用户 ID 中的域名（@alice:example.com → example.com）。它以后不能再更改。',
    'fix:invalid': '只写主机名（如有端口则加上端口）：不要 https://，也不要路径。',
    'fix:mismatch': '确认哪一个是对的：一旦有了用户，server_name 就再也不能更改；如果文件中的值是对的，请以它作为 --server-name 运行 matrixdoc。',
  },
  'MXD-HS-006': {
    missing: '缺少 report_stats；虽然文档称其默认值为 false，但只要没有显式设为 true 或 false，Synapse 就会拒绝启动。',
    'fix:missing': '添加 report_stats: false（或设为 true，向 matrix.org 发送匿名使用统计）。',
  },
  'MXD-HS-007': {
    deprecated: "'{{key}}' 自 Synapse {{@since}}起已弃用，请改用 {{@replacement}}。若新旧配置项同时存在：{{@whenBoth}}。",
    ignored: "'{{key}}' 不起作用：配置中同时存在 {{ignoredWhen}}，Synapse 会忽略这个旧配置项。请把它的值移到 {{@replacement}}，或删除这一行。",
    'fix:deprecated': "把 '{{key}}' 替换为 {{@replacement}}。",
    'fix:ignored': "删除 '{{key}}'（它不起作用），或把它的值移到 {{@replacement}}。",
    'phrase:ignoredOnceRcMessage': '只要存在 rc_message 块，旧配置项就会被完全忽略',
    'phrase:ignoredOnceRcFederation': '只要存在 rc_federation 块，旧配置项就会被忽略',
    'phrase:presenceEnabledWins': '设置了 presence.enabled 时以它为准',
    'phrase:replacesIpRangeBlacklist': '旧配置项会在联邦中取代 ip_range_blacklist，而且 ip_range_whitelist 不再对联邦生效',
    'phrase:replacesListeners': '它会把整个 listeners 列表替换为两个旧式监听器',
    'phrase:buildsLegacyListeners': '它会与 bind_port 一起用来构建旧式监听器',
    'phrase:addsMetricsListener': '它会在 listeners 列表之外再添加一个 metrics 监听器',
    'phrase:dropsTlsListeners': '所有设置了 tls: true 的监听器都会被静默丢弃',
    'phrase:refusesToStart': 'Synapse 拒绝启动',
    'phrase:disableRegistrationWins': '以 disable_registration 为准',
    'phrase:ignoredOnceDatabase': '只要存在 database 块，旧配置项就会被忽略（Synapse 日志："Ignoring \'database_path\' setting"）',
    'phrase:mergedIntoTrustedKeyServers': '它会被合并进 trusted_key_servers；只写 perspectives 时，默认的 matrix.org 密钥服务器会被去掉',
    'phrase:oidcCollides': "两者都会被加载；此时 idp_id 为 'oidc' 的 oidc_providers 条目会发生冲突",
    'phrase:bothLoaded': '两者都会被加载',
    'phrase:extraPasswordProvider': '启用时它会成为一个额外的密码提供程序',
    'phrase:unusedSince173': '自 Synapse 1.73 起已不再使用',
    'phrase:rc_message.per_second': 'rc_message.per_second 配置项',
    'phrase:rc_message.burst_count': 'rc_message.burst_count 配置项',
    'phrase:rc_federation.window_size': 'rc_federation.window_size 配置项',
    'phrase:rc_federation.sleep_limit': 'rc_federation.sleep_limit 配置项',
    'phrase:rc_federation.sleep_delay': 'rc_federation.sleep_delay 配置项',
    'phrase:rc_federation.reject_limit': 'rc_federation.reject_limit 配置项',
    'phrase:rc_federation.concurrent': 'rc_federation.concurrent 配置项',
    'phrase:presence.enabled': 'presence.enabled 配置项',
    'phrase:ip_range_blacklist': 'ip_range_blacklist 配置项',
    'phrase:listeners': 'listeners 列表',
    'phrase:listeners[].bind_addresses': 'listeners[].bind_addresses 配置项',
    'phrase:metricsListener': 'type: metrics 的监听器',
    'phrase:deleteNoTls': '（删除它；配置不带 tls 的监听器）',
    'phrase:publicRoomsOff': 'allow_public_rooms_without_auth: false 和 allow_public_rooms_over_federation: false',
    'phrase:enableRegistrationInverted': 'enable_registration（取值相反）',
    'phrase:databaseBlock': 'database 块 {name: sqlite3, args: {database: ...}}',
    'phrase:trusted_key_servers': 'trusted_key_servers 列表',
    'phrase:oidc_providers': 'oidc_providers 列表',
    'phrase:ldapModuleEg': 'modules 列表（例如 ldap_auth_provider.LdapAuthProviderModule）',
    'phrase:ldapModule': 'modules 列表中的 ldap_auth_provider.LdapAuthProviderModule',
    'phrase:modules': 'modules 列表',
    'phrase:room_prejoin_state.additional_event_types': 'room_prejoin_state.additional_event_types 配置项',
    'phrase:deleteIt': '（删除它）',
    'phrase:0.99.5': '0.99.5 版',
    'phrase:1.32.0': '1.32.0 版',
    'phrase:1.25.0': '1.25.0 版',
    'phrase:pre-1.0': '1.0 之前的版本',
    'phrase:0.31': '0.31 版',
    'phrase:0.99.1': '0.99.1 版',
    'phrase:1.1.0': '1.1.0 版',
    'phrase:legacy': '早期版本',
    'phrase:1.0.0': '1.0.0 版',
    'phrase:1.26.0': '1.26.0 版',
    'phrase:1.46.0': '1.46.0 版',
    'phrase:1.37.0': '1.37.0 版',
    'phrase:1.39.0': '1.39.0 版',
    'phrase:1.73.0': '1.73.0 版',
  },
  'MXD-HS-008': {
    wrongType: '{{key}} 应为{{@expected}}，实际为 {{found}}；后果：{{@consequence}}。',
    quotedBool: "{{key}} 是带引号的字符串 '{{value}}'，而不是布尔值；后果：{{@consequence}}。",
    notOneOf: '{{key}} 的值为 {{found}}；Synapse 只接受以下取值：{{allowed}}。',
    'fix:quotedBool': '去掉引号，写成 {{key}}: {{value}}。',
    'fix:notOneOf': '改用以下取值之一：{{allowed}}。',
    'fix:wrongType': '把 {{key}} 设为{{@expected}}。',
    'phrase:string': '字符串',
    'phrase:bool': '布尔值 true 或 false（不加引号）',
    'phrase:int': '整数',
    'phrase:number': '数字',
    'phrase:list': '列表',
    'phrase:map': '由配置项组成的映射',
    'phrase:stringList': '字符串列表',
    'phrase:port': '端口号（1-65535）',
    'phrase:duration': '时长：毫秒数，或带 s、m、h、d、w 或 y 后缀的数字（例如 1d）',
    'phrase:size': '大小：字节数，或带 K、M、G 或 T 后缀的数字（例如 50M）',
    'phrase:refusesInvalidServerName': 'Synapse 拒绝启动：Invalid server name',
    'phrase:refusesMustBeString': 'Synapse 拒绝启动（数字会引发回溯报错，列表会报 "Must be a string"）',
    'phrase:truthyReportStats': '该值按真假值使用：任何非空字符串，即使是 "false"，都会开启使用统计上报',
    'phrase:refusesExpectedList': 'Synapse 拒绝启动：Expected a list',
    'phrase:refusesExpectedDictionary': 'Synapse 拒绝启动：Expected a dictionary',
    'phrase:refusesListenerPort': "Synapse 拒绝启动：Listener configuration is lacking a valid 'port' option",
    'phrase:tracebackListenerType': "Synapse 因回溯报错而停止（'type' must be in ...）",
    'phrase:tracebackNotList': 'Synapse 因回溯报错而停止（字符串或 null 不是列表）',
    'phrase:truthyTls': '该值按真假值使用：tls: "false" 会生成一个 TLS 监听器',
    'phrase:truthyXForwarded': '该值按真假值使用：x_forwarded: "false" 会信任 X-Forwarded-For',
    'phrase:traceback': 'Synapse 因回溯报错而停止',
    'phrase:refusesUnknownResource': 'Synapse 拒绝启动：Unknown listener resource（单独一个字符串会被逐个字母读取）',
    'phrase:turnUrisUnchecked': '会不经检查地通过 /voip/turnServer 传给客户端，客户端随后无法使用 TURN',
    'phrase:turnSecretFails': 'TURN 凭据在请求时生成失败（数字没有 .encode()）',
    'phrase:turnUsernameType': '客户端得到的 TURN 用户名类型错误',
    'phrase:turnPasswordType': '客户端得到的 TURN 密码类型错误',
    'phrase:tracebackDuration': 'Synapse 因回溯报错而停止（Bad duration type / suffix）',
    'phrase:truthy': '该值按真假值使用',
    'phrase:refuses': 'Synapse 拒绝启动',
    'phrase:refusesDatabaseType': 'Synapse 拒绝启动：Unsupported database type',
    'phrase:noDatabaseArgs': '数据库驱动得不到任何连接设置',
    'phrase:psycopg2CannotConnect': 'psycopg2 无法连接',
    'phrase:poolFails': 'Twisted 的连接池无法启动',
    'phrase:tracebackSize': 'Synapse 因回溯报错而停止（Bad byte size）；大小后缀只能是大写的 K、M、G、T',
    'phrase:tracebackTruthValue': 'Synapse 因回溯报错而停止（invalid truth value）',
    'phrase:refusesExpectedMapping': 'Synapse 拒绝启动：expected a mapping',
    'phrase:refusesExpectedString': 'Synapse 拒绝启动：expected a string',
    'phrase:noModuleConfig': '模块得不到任何配置',
    'phrase:rateLimiterFails': 'Synapse 启动时该速率限制器会出错',
  },
  'MXD-HS-009': {
    fatal: '\'{{key}}\' 已在 Synapse {{since}} 中移除，现在会导致 Synapse 无法启动，报错："{{effect}}"',
    ignored: "'{{key}}' 已在 Synapse {{since}} 中移除，会被静默忽略（{{@effect}}）。",
    'fix:removed': "删除 '{{key}}'。",
    'fix:delegateEmail': '删除 account_threepid_delegates.email，改为在 email 配置段中配置 SMTP 服务器。',
    'phrase:unread': '已经没有任何代码读取它',
    'phrase:groupsRemoved': '群组（社区）功能已被移除',
    'phrase:acmeRemoved': '内置的 ACME 客户端已被移除；请改用 certbot 或反向代理',
    'phrase:synapseError.trust_identity_server_for_password_resets':
      'Synapse 的报错信息：The config option "trust_identity_server_for_password_resets" is no longer supported. Please remove it from the config file.',
    'phrase:synapseError.invite_3pid_guest': 'Synapse 的报错信息：invite_3pid_guest is no longer supported',
    'phrase:synapseError.log_file':
      'Synapse 的报错信息：Support for the log_file configuration option and --log-file command-line option was removed in Synapse 1.3.0. You should instead set up a separate log configuration file.',
  },
  'MXD-HS-010': {
    scheme: 'public_baseurl \'{{value}}\' 必须以 https://（或 http://）开头；Synapse 拒绝启动（"Invalid scheme"）。',
    query: "public_baseurl '{{value}}' 带有查询参数或 # 片段；Synapse 拒绝启动。",
    invalid: "public_baseurl '{{value}}' 不是合法的 URL；Synapse 拒绝启动。",
    path: "public_baseurl '{{value}}' 中包含 /_matrix；它应当是客户端填写的基础 URL，不能带任何 API 路径。",
    'fix:set': '把 public_baseurl 设为客户端经反向代理访问 Synapse 所用的 https URL，例如 https://matrix.example.com/。',
  },
  'MXD-HS-011': {
    misindented: "'{{key}}' 位于顶层，但它应当缩进到 {{@section}}之下；缩进错误的行会被 Synapse 静默忽略。",
    'fix:misindented': "把 '{{key}}' 缩进到 {{@section}}之下，或删除它。",
    'phrase:listeners[]': 'listeners[] 的某一项',
    'phrase:listeners[].resources[]': 'listeners[].resources[] 的某一项',
    'phrase:database': 'database 配置段',
    'phrase:database.args': 'database.args 配置段',
    'phrase:rc_*': 'rc_* 配置块',
    'phrase:anySection': 'presence、url_preview 或模块配置之类的配置段',
    'phrase:modules[]': 'modules[] 的某一项',
    'phrase:modules[].config': 'modules[] 某一项的 config（LDAP）',
  },

  // element-config: Element Web config.json
  'MXD-EL-001': {
    syntax: 'config.json 不是合法的 JSON：{{detail}}；Element 会显示 "Your Element configuration contains invalid JSON" 并且无法启动。',
    notObject: 'config.json 的顶层必须是一个 JSON 对象；否则 Element 无法使用它。',
    'fix:syntax': '修正第 {{line}} 行第 {{column}} 列处的 JSON。',
    'fix:notObject': 'config.json 必须以 { 开头，并包含 Element 的配置项。',
  },
  'MXD-EL-002': {
    none: 'config.json 没有指定任何主服务器（default_server_config、default_server_name 或 default_hs_url）；Element 会显示 "Invalid configuration: no default server specified."',
    'fix:none': '添加 default_server_config，填入你的主服务器 URL。',
  },
  'MXD-EL-003': {
    conflict:
      'default_hs_url 不能与 {{other}} 同时使用；Element 拒绝启动（"Invalid configuration: a default_hs_url can\'t be specified along with default_server_name or default_server_config"）。',
    'fix:conflict': '删除 default_hs_url（以及 default_is_url）；保留 default_server_config。',
  },
  'MXD-EL-004': {
    missing: 'default_server_config 中没有 m.homeserver.base_url；Element 会报错 "Invalid homeserver discovery response"。',
    invalid: 'base_url \'{{value}}\' 不是完整的 http(s) 绝对 URL；Element 会报错 "Invalid base_url for m.homeserver"。',
    'fix:missing': '在 default_server_config 中添加 "m.homeserver": { "base_url": "https://matrix.example.com" }。',
    'fix:invalid': '使用客户端访问 Synapse 的完整 https URL，例如 https://matrix.example.com。',
  },
  'MXD-EL-005': {
    mismatch:
      "Element 的 m.homeserver.server_name 是 '{{element}}'，但 {{otherSource}} 给出的是 '{{other}}'；用户会看到错误的服务器名，登录时显示的用户 ID 也不对。",
    'fix:mismatch': '把 m.homeserver.server_name 设为 "{{expected}}"。',
  },
  'MXD-EL-006': {
    mismatch:
      'Element 的 base_url 是 {{element}}，但 Synapse 的 public_baseurl 是 {{publicBaseurl}}；登录后 Synapse 会通过登录响应中的 well_known 让 Element 改用 {{publicBaseurl}}，这正是 "Syncing forever"（一直卡在同步）的典型原因。',
    'fix:mismatch':
      '让两者都使用客户端真正访问 Synapse 的 URL。如果 Element 的是对的，就修改 homeserver.yaml 中的 public_baseurl 并重启 Synapse；否则修改 Element 的 base_url。',
  },
  'MXD-EL-007': {
    mismatch:
      'Element 的 base_url 是 {{element}}，但 https://{{host}}/.well-known/matrix/client（由 nginx 提供，{{where}}）给出的是 {{wellKnown}}；其他客户端以及用用户 ID 登录时，连接的 URL 会与 Element 不同。',
    invalidJson: 'nginx 为 https://{{host}}/.well-known/matrix/client（{{where}}）返回的响应体不是合法的 JSON：{{detail}}。',
    'fix:mismatch': '让 Element 的 base_url 与 well-known 中的 base_url 使用同一个 URL（真正能访问到 Synapse 的那个），然后重新加载 nginx。',
    'fix:invalidJson': '让 return 的响应体成为合法的 JSON，例如 return 200 \'{"m.homeserver": {"base_url": "https://matrix.example.com"}}\';',
  },
  'MXD-EL-008': {
    mismatch:
      "Element 的 jitsi.preferred_domain 是 '{{element}}'，但 Jitsi 的 PUBLIC_URL 主机名是 '{{jitsi}}'；Element 发起的视频通话会打开另一台 Jitsi 服务器。",
    'fix:mismatch': '把 jitsi.preferred_domain 设为 "{{jitsi}}"（如果 Element 的是对的，则修改 PUBLIC_URL）。',
    wellKnown:
      "homeserver 的客户端 well-known（{{url}}）设置了 {{key}}.preferredDomain '{{wellKnown}}'，Element 会用它代替 config.json 的 jitsi.preferred_domain，但 Jitsi 的 PUBLIC_URL 主机名是 '{{jitsi}}'；这个 homeserver 的用户发起的视频通话会打开另一台 Jitsi 服务器。",
    overridden:
      "Element 的 jitsi.preferred_domain 是 '{{element}}'，不是 Jitsi 的 PUBLIC_URL 主机名 '{{jitsi}}'；对这个 homeserver 的用户，客户端 well-known 的 {{key}}.preferredDomain（'{{wellKnown}}'）优先，因此只有使用这个 Element 的其他 homeserver 的用户会被引向另一台 Jitsi 服务器。",
    'fix:wellKnown': '在 homeserver 提供的客户端 well-known 中把 {{key}}.preferredDomain 设为 "{{jitsi}}"（如果 well-known 的是对的，则修改 PUBLIC_URL）。',
  },
  'MXD-EL-009': {
    shadowed: "'{{camel}}' 被忽略，因为同时设置了 '{{snake}}'：Element 读取 snake_case 写法的配置项，且不会合并两者，因此 {{lost}} 不会生效。",
    camel: "'{{camel}}' 是旧的 camelCase 写法；Element 会优先读取 '{{snake}}'，并且今后将不再支持 camelCase 配置项。请改名。",
    camelDefault: "'{{camel}}' 永远不会被读取：Element 内置的 '{{snake}}' 默认值总是优先于 camelCase 写法。请将其改名为 '{{snake}}'。",
    removed: "Element 已不再读取 '{{key}}'（{{why}}）。",
    deprecatedServer: '\'{{key}}\' 已弃用；Element 会给出警告 "DEPRECATED CONFIG OPTION"。请改用 default_server_config。',
    'fix:move': "把 '{{camel}}' 中的设置移到 '{{snake}}' 中，并删除 '{{camel}}'。",
    'fix:rename': "把 '{{camel}}' 改名为 '{{snake}}'。",
    'fix:removed': "删除 '{{key}}'。",
    'fix:deprecatedServer': '改用 default_server_config { "m.homeserver": { "base_url": ..., "server_name": ... } }。',
  },
  'MXD-EL-010': {
    duplicate: "'{{key}}' 出现了两次；浏览器只保留最后一个，前一个不起作用。",
    'fix:duplicate': "只保留一个 '{{key}}'（Element 使用的是最后一个）。",
  },
  'MXD-EL-011': {
    unreachable: 'Element 在登录前会请求 {{url}}，但请求失败（{{reason}}）；用户会看到 "Cannot reach homeserver"。',
    notMatrix:
      'Element 在登录前会请求 {{url}}，得到 HTTP {{status}}，响应中却没有 versions 列表；Element 会提示 "Homeserver URL does not appear to be a valid Matrix homeserver"。',
    'fix:unreachable': '让用户的浏览器能访问 base_url：DNS、TLS 证书和 nginx 都必须能为它正常响应。',
    'fix:notMatrix': '在 nginx 中把该主机上的 /_matrix 转发给 Synapse（location ~ ^(/_matrix|/_synapse/client) { proxy_pass http://localhost:8008; }）。',
  },
  'MXD-EL-012': {
    unknown:
      "{{key}} '{{value}}' 不是 Element 支持的语言（语言代码均为小写并用连字符分隔，例如 '{{suggestion}}'）；Element 会静默回退到英语，并在每个浏览器中记住这一选择。",
    'fix:use': "改用 '{{suggestion}}'。",
    'fix:useUnderDefaults': "改为在 setting_defaults 下使用 '{{suggestion}}'（{{block}} 块会被忽略）。",
  },
  // federation: server discovery, TLS and keys, as other homeservers see them
  'MXD-FED-001': {
    ipLiteral: '服务器名是一个 IP 地址：其他服务器会连接 {{targets}}（第 {{step}} 步），并要求证书对 IP 地址 {{certificateName}} 有效，且不发送 SNI。',
    explicitPort:
      '服务器名带有显式端口：其他服务器会连接 {{targets}}（第 {{step}} 步），发送 Host: {{hostHeader}}，并要求证书对 {{certificateName}} 有效；不会查询 well-known 或 SRV 记录。',
    delegated:
      '通过 well-known 委托给 {{delegated}}（第 {{step}} 步）：其他服务器会连接 {{targets}}，发送 Host: {{hostHeader}}，并要求证书对 {{certificateName}} 有效。',
    srv: '没有可用的 well-known（{{why}}）；改用 {{srvName}}（第 {{step}} 步）：其他服务器会连接 {{targets}}，发送 Host: {{hostHeader}}，并要求证书对 {{certificateName}} 有效。',
    defaultPort: '没有可用的 well-known（{{why}}），也没有 SRV 记录：其他服务器会连接 {{targets}}（第 {{step}} 步），并要求证书对 {{certificateName}} 有效。',
  },
  'MXD-FED-002': {
    noAddress: '{{host}} 没有 A 或 AAAA 记录（{{reason}}）；按第 {{step}} 步，其他服务器必须连接 {{target}}，因此没有任何服务器能访问本服务器。',
    srvFailed: '{{name}} 的 DNS 查询失败（{{reason}}）；得到这一结果的服务器无法访问本服务器。',
    srvUnavailable: '{{name}} 的目标是 "."（RFC 2782："service not available"）；其他服务器会直接放弃，而不会再尝试 8448 端口。',
    'fix:noAddress': '为 {{host}} 添加 A（以及 AAAA）记录，指向运行 nginx/Synapse 的服务器的地址。',
    'fix:noAddressOrDelegate':
      '为 {{host}} 添加 A（以及 AAAA）记录，指向运行 nginx/Synapse 的服务器的地址；或者通过 /.well-known/matrix/server 委托 {{hostname}}。',
    'fix:srvFailed': '让 {{host}} 的 DNS 服务器正常响应 {{name}} 的 SRV 查询（有记录就返回记录，没有就返回 NXDOMAIN）。',
    'fix:srvUnavailable': '删除 {{name}} 的 "." 记录，或让它指向提供联邦服务的主机。',
  },
  'MXD-FED-003': {
    deprecated: '只有已弃用的 SRV 记录 {{name}}（没有 {{fedName}}）；其他服务器目前仍会使用它，但它自 Matrix 1.8 起已弃用，今后可能不再被查询。',
    'fix:deprecated': '在 {{fedName}} 下添加相同的记录（{{name}} 再保留一段时间，供较旧的服务器使用）。',
  },
  'MXD-FED-004': {
    cname: 'SRV 记录 {{name}} 指向 {{target}}，而它是一个 CNAME（{{cname}} 的别名）；RFC 2782 要求 SRV 目标自身必须有 A/AAAA 记录，有些解析器不会跟随别名。',
    'fix:cname': '让 SRV 记录指向规范名称 {{cname}}（或者给 {{host}} 配置它自己的 A/AAAA 记录，不再使用 CNAME）。',
  },
  'MXD-FED-005': {
    differs: 'https://{{host}}/.well-known/matrix/server 在不同地址上给出的答案不同：{{answers}}；其他服务器能否联邦取决于它们连到了哪个地址。',
    'fix:differs': '让 {{host}} 的每个地址都提供相同的 /.well-known/matrix/server（该域名背后的每台服务器都要如此，或者删除过时的 DNS 记录）。',
  },
  'MXD-FED-006': {
    refused: '连接 {{address}} 的 {{port}} 端口（{{host}}）被拒绝：该端口上没有服务在监听，其他服务器无法访问本服务器。',
    timeout: '连接 {{address}} 的 {{port}} 端口（{{host}}）超时：很可能被防火墙丢弃，其他服务器无法访问本服务器。',
    unreachable: '{{address}} 的 {{port}} 端口（{{host}}）不可达（{{reason}}）：没有到该地址的路由。',
    handshake: '与 {{address}} 的 {{port}} 端口（{{host}}）进行 TLS 握手失败（{{reason}}）：该端口不支持 TLS（可能是明文 HTTP），或没有 {{name}} 的证书。',
    other: '连接 {{address}} 的 {{port}} 端口（{{host}}）失败（{{reason}}）。',
    'fix:timeout': '放行到 {{address}} 的 TCP 端口 {{port}}（防火墙、安全组、NAT 端口转发）。',
    'fix:unreachable': '让 {{address}} 可以访问，或把 {{host}} 指向正确的地址。',
    'fix:serveTls': '在端口 {{port}} 上为 {{name}} 提供 TLS（nginx `listen {{port}} ssl`），或把委托改到提供 TLS 的端口。',
  },
  'MXD-FED-007': {
    untrusted:
      '{{address}} 的 {{port}} 端口上的证书不受信任（{{reason}}，签发者 {{issuer}}）；其他服务器会拒绝它：联邦需要由公共 CA 签发并带完整证书链的证书，自签名证书无效。',
    'fix:selfSigned': "把自签名证书换成由公共 CA（例如 Let's Encrypt）为 {{name}} 签发的证书。",
    'fix:publicCa': '为 {{name}} 提供由公共 CA 签发、带中间证书的证书（fullchain.pem）。',
  },
  'MXD-FED-008': {
    wrongName: '{{address}} 的 {{port}} 端口上的证书对 {{name}} 无效（它覆盖的是 {{names}}）；规范在此处要求 {{name}}，原因是：{{@why}}（第 {{step}} 步）。',
    'fix:wrongName': '在 {{target}} 上提供对 {{name}} 有效的证书。',
    'fix:wrongNameOrDelegate': '在 {{target}} 上提供对 {{name}} 有效的证书，或者委托到你的证书所覆盖的名称（{{hostname}} 上的 /.well-known/matrix/server）。',
    'phrase:ipLiteral': '服务器名是一个 IP 地址，因此证书必须对该 IP 地址有效',
    'phrase:explicitPort': '服务器名带有显式端口，因此证书必须对服务器名本身有效',
    'phrase:delegatedIp': 'well-known 委托到一个 IP 地址，因此证书必须对该 IP 地址有效',
    'phrase:delegatedPort': 'well-known 委托到这个主机和端口，因此证书必须对被委托的主机有效',
    'phrase:delegatedFedSrv': 'well-known 委托到这个主机，且它的 _matrix-fed._tcp SRV 记录指向这里；证书必须对被委托的主机有效，而不是对 SRV 目标有效',
    'phrase:delegatedOldSrv': 'well-known 委托到这个主机，且它的 _matrix._tcp SRV 记录指向这里；证书必须对被委托的主机有效，而不是对 SRV 目标有效',
    'phrase:delegatedNoSrv': 'well-known 委托到这个主机但没有指定端口，且没有 SRV 记录，因此证书必须对被委托的主机有效',
    'phrase:fedSrv': '没有可用的 well-known，而 _matrix-fed._tcp SRV 记录指向这里；证书必须对服务器名有效，而不是对 SRV 目标有效',
    'phrase:oldSrv': '没有可用的 well-known，而 _matrix._tcp SRV 记录指向这里；证书必须对服务器名有效，而不是对 SRV 目标有效',
    'phrase:defaultPort': '没有可用的 well-known，也没有 SRV 记录，因此证书必须对服务器名有效',
  },
  'MXD-FED-009': {
    expired: '{{address}} 的 {{port}} 端口上的证书（{{name}}）已于 {{validTo}} 过期；其他服务器会拒绝它。',
    notYetValid: '{{address}} 的 {{port}} 端口上的证书（{{name}}）在 {{validFrom}} 之前无效；其他服务器会拒绝它（或者本机时钟有误）。',
    expiringSoon: '{{address}} 的 {{port}} 端口上的证书（{{name}}）将于 {{validTo}} 过期，还剩 {{days}} 天；尚未完成续期。',
    'fix:expired': '续期 {{name}} 的证书并重新加载 nginx。',
    'fix:notYetValid': '检查本机和服务器的时钟（timedatectl），或提供当前有效的证书。',
    'fix:expiringSoon': '立即续期 {{name}} 的证书，并确保续期会自动运行。',
  },
  'MXD-FED-010': {
    oldProtocol: '{{address}} 的 {{port}} 端口协商使用了 {{protocol}}；TLS 1.0 和 1.1 已弃用（RFC 8996），许多服务器会拒绝它们。',
    onlyOld: '{{address}} 的 {{port}} 端口只提供早于 TLS 1.2 的协议（{{reason}}）；当前的服务器会拒绝连接。',
    'fix:onlyOld': '在联邦端口上启用 TLS 1.2 和 1.3。',
    'fix:oldProtocol': '联邦端口只提供 TLS 1.2 和 1.3。',
  },
  'MXD-FED-011': {
    failed: '{{address}} 上的 {{url}} 请求失败（{{reason}}）；其他服务器无法与本服务器通信。',
    status: '{{address}} 上的 {{url}} 返回 HTTP {{status}}，而不是服务器版本；联邦请求到达不了 Synapse。',
    notMatrix: '{{address}} 上的 {{url}} 返回 HTTP 200，但没有服务器版本（{{excerpt}}）；响应联邦请求的不是 Synapse。',
    'fix:route': '把 {{target}}（server_name {{name}}）上的 /_matrix 转发给 Synapse，其监听器必须包含 federation 资源，这样 {{path}} 才会响应。',
  },
  'MXD-FED-012': {
    failed: '{{address}} 上的 {{url}} 请求失败（{{reason}}）；其他服务器无法获取签名密钥，因此会拒绝本服务器的所有事件。',
    status: '{{address}} 上的 {{url}} 返回 HTTP {{status}}；其他服务器无法获取签名密钥，因此会拒绝本服务器的所有事件。',
    notJson: '{{address}} 上的 {{url}} 不是 JSON（{{detail}}）；其他服务器无法读取签名密钥。',
    shape: '{{address}} 上的 {{url}} 不是有效的密钥响应：{{problems}}。',
    'fix:route': '把 {{target}}（server_name {{name}}）上的 /_matrix 转发给 Synapse，其监听器必须包含 federation 资源，这样 {{path}} 才会响应。',
    'fix:shape': '确保 /_matrix/key/v2/server 由 Synapse 本身响应（不是别的服务器，也没有代理改写响应体）。',
  },
  'MXD-FED-013': {
    mismatch:
      "{{address}} 上的 {{url}} 声明 server_name 为 '{{got}}'，而不是 '{{expected}}'；该地址属于另一台主服务器，其他服务器会拒绝用它的密钥代表 {{expected}}。",
    'fix:mismatch': '把 {{serverName}} 的联邦流量发送到 server_name 为 {{serverName}} 的主服务器（检查委托、SRV 记录和 nginx 的 proxy_pass）。',
  },
  'MXD-FED-014': {
    expired: '{{address}} 上的密钥响应的 valid_until_ts 为 {{validUntil}}，已经过去；其他服务器不会再为新事件接受这些密钥。',
    soon: '{{address}} 上的密钥响应只在 {{validUntil}} 之前有效（{{minutes}} 分钟）；规范要求服务器不要发布一小时内就过期的密钥。',
    'fix:expired': '检查服务器时钟，并确认 Synapse 前面没有缓存在提供旧的密钥响应；Synapse 会自行更新 valid_until_ts。',
    'fix:soon': '让 Synapse 发布有效期更长的密钥：key_refresh_interval 设为一天（默认值），前面也不要有过时的缓存。',
  },
  'MXD-FED-015': {
    none: '{{address}} 上的密钥响应在 verify_keys 中没有 ed25519 密钥（{{keys}}）；其他服务器无法验证本服务器签名的任何内容。',
    'fix:none': '为 Synapse 提供 ed25519 签名密钥（{{path}}）。',
  },
  'MXD-FED-016': {
    missing: "{{address}} 上的密钥响应没有用其密钥 {{keyId}} 签名（缺少 signatures['{{serverName}}']['{{keyId}}']）；其他服务器会丢弃它。",
    invalid: '{{address}} 上的密钥响应中 {{keyId}} 的签名无效（{{reason}}：{{detail}}）；其他服务器会丢弃它。',
    'fix:resign':
      '让 Synapse 原样响应 /_matrix/key/v2/server；如果是 Synapse 自己签名有误，说明它的签名密钥文件已损坏，或在它运行期间被替换了：请重启它，或者生成新的密钥。',
  },
  'MXD-FED-017': {
    ok: '{{address}} 的 {{port}} 端口（{{host}}；发现途径：{{@via}}，第 {{step}} 步）：{{protocol}}；证书 {{subject}}，签发者 {{issuer}}，{{@chain}}；所需名称 {{certificateName}} {{@nameVerdict}}（SAN：{{sans}}）；于 {{validTo}} 过期（还剩 {{days}} 天）；服务器 {{software}}；已验证的密钥：{{keys}}（有效期至 {{validUntil}}）；建立连接和 TLS 握手耗时 {{connectMs}} 毫秒。该地址没有发现问题。',
    problems:
      '{{address}} 的 {{port}} 端口（{{host}}；发现途径：{{@via}}，第 {{step}} 步）：{{protocol}}；证书 {{subject}}，签发者 {{issuer}}，{{@chain}}；所需名称 {{certificateName}} {{@nameVerdict}}（SAN：{{sans}}）；于 {{validTo}} 过期（还剩 {{days}} 天）；服务器 {{software}}；已验证的密钥：{{keys}}（有效期至 {{validUntil}}）；建立连接和 TLS 握手耗时 {{connectMs}} 毫秒。该地址的问题见：{{findings}}。',
    noConnection:
      '{{address}} 的 {{port}} 端口（{{host}}；发现途径：{{@via}}，第 {{step}} 步）：无法建立 TLS 连接（{{reason}}）；原因见 {{findings}}，因此没有再向该地址发出其他请求。',
    'phrase:ipLiteral': '服务器名（一个 IP 地址）',
    'phrase:explicitPort': '服务器名及其显式端口',
    'phrase:wellKnownIp': 'well-known 的 m.server（一个 IP 地址）',
    'phrase:wellKnownPort': 'well-known 的 m.server 及其显式端口',
    'phrase:wellKnownFedSrv': 'well-known 的 m.server，再经其 _matrix-fed._tcp SRV 记录',
    'phrase:wellKnownOldSrv': 'well-known 的 m.server，再经其已弃用的 _matrix._tcp SRV 记录',
    'phrase:wellKnownDefault': 'well-known 的 m.server 的默认端口 8448',
    'phrase:fedSrv': '服务器名的 _matrix-fed._tcp SRV 记录',
    'phrase:oldSrv': '服务器名已弃用的 _matrix._tcp SRV 记录',
    'phrase:defaultPort': '服务器名的默认端口 8448',
    'phrase:chainTrusted': '证书链受信任',
    'phrase:chainUntrusted': '证书链不受信任',
    'phrase:chainDates': '证书链因有效期被拒绝',
    'phrase:nameCovered': '已被证书覆盖',
    'phrase:nameNotCovered': '未被证书覆盖',
  },

  // reverse-proxy: nginx in front of Synapse
  'MXD-RP-001': {
    uri: 'proxy_pass {{value}} 在地址之后带有路径（{{uri}}）；nginx 会先改写并规范化请求 URI（解码 %xx 转义）再交给 Synapse，导致联邦请求的签名校验失败。Synapse 文档明确要求：端口之后不要加任何路径，哪怕只是一个 /。',
    regex:
      'proxy_pass {{value}} 位于正则表达式 location 中却带有路径（{{uri}}）；nginx 会拒绝整个配置（"proxy_pass" cannot have URI part in location given by regular expression），而且 Synapse 本来就不需要端口后的路径。',
    'fix:noPath': '把 proxy_pass 写成 {{base}}，端口之后不带任何内容，这样 nginx 会把请求 URI 原样传给 Synapse。',
  },
  'MXD-RP-002': {
    smaller:
      '{{host}} 上传文件（{{path}}）适用的 client_max_body_size 为 {{nginxSize}}，小于 Synapse 的 max_upload_size {{synapseSize}}；更大的文件会在到达 Synapse 之前被 nginx 以 413 Request Entity Too Large 拒绝。',
    nginxDefault:
      '{{host}} 上传文件（{{path}}）时没有任何 client_max_body_size 生效，因此使用 nginx 默认的 1m，远小于 Synapse 的 max_upload_size {{synapseSize}}；超过 1 MB 的文件都会失败，返回 413 Request Entity Too Large。',
    'fix:raise': '把 Synapse 所在 location 的 client_max_body_size 调大到 {{size}}，即 Synapse 的 max_upload_size。',
  },
  'MXD-RP-003': {
    missingXff:
      '该 location 把 {{host}} 的 Matrix 流量转发给 Synapse，但没有设置 proxy_set_header X-Forwarded-For；Synapse 会把所有客户端都看成 nginx 自己的地址，于是按 IP 的限流（登录、注册）由所有用户共享，日志中也没有客户端地址。',
    missingProto:
      '该 location 把 {{host}} 的 Matrix 流量转发给 Synapse，但没有设置 proxy_set_header X-Forwarded-Proto；Synapse 无法得知客户端使用的是 https（只收到 X-Forwarded-For 时它会假定为 https）。',
    missingHost:
      '该 location 把 {{host}} 的 Matrix 流量转发给 Synapse，但没有设置 proxy_set_header Host，因此 nginx 发送的是上游地址（{{upstreamHost}}），而不是客户端使用的域名；Synapse 文档中设置的是 Host $host。',
    dropped:
      '该 location 有自己的 proxy_set_header 行，因此 nginx 会忽略 {{level}} 块中的所有 proxy_set_header，包括位于 {{hiddenAt}} 的 {{header}}；Synapse 收不到 {{header}}。',
    'fix:add': '在 {{location}} 中添加 {{line}} 这一行。',
    'fix:repeat': '在 {{location}} 中重复写上 {{directive}}：location 只要有自己的 proxy_set_header，就不会从 {{level}} 块继承任何 proxy_set_header。',
  },
  'MXD-RP-004': {
    appended:
      'X-Forwarded-For 被设置为 $proxy_add_x_forwarded_for，它会保留客户端自己发送的 X-Forwarded-For 头并在末尾追加其地址；目前还没有监听器信任它，但一旦 Synapse 设置了 x_forwarded: true（修复共享限流桶的办法），它就会采用最左边的值，任何客户端都能自行决定 Synapse 记录的 IP 地址，并绕过按 IP 的限流。',
    'fix:remoteAddr': '只发送 nginx 看到的地址：proxy_set_header X-Forwarded-For $remote_addr（如果位于 CDN 之后，先用 real_ip 模块恢复客户端地址）。',
  },
  'MXD-RP-005': {
    matrix: '在 {{host}} 的 server 块中，{{paths}} 没有被转发给 Synapse；Matrix 客户端的这些请求都会出错。',
    synapseClient:
      '在 {{host}} 的 server 块中，/_synapse/client 没有被转发给 Synapse；Synapse 在该路径下提供的页面（单点登录、重置密码和邮件验证链接）都会失败。',
    noProxy: '没有任何 nginx server 块把 /_matrix 转发到 Synapse 的 HTTP 监听器（{{listeners}}）；通过这个 nginx 无法访问 Synapse。',
    wrongTarget: 'Matrix 流量被转发到 {{target}}，但 homeserver.yaml 中 Synapse 的 HTTP 监听器是 {{listeners}}；nginx 会返回 502 Bad Gateway。',
    'fix:proxyPath': '在 {{host}} 的 server 块中把 {{path}} 转发给 Synapse。',
    'fix:proxyPaths': '在 {{host}} 的 server 块中把 {{paths}} 和 {{last}} 转发给 Synapse。',
    'fix:proxySynapseClient': '在 {{host}} 的 server 块中把 /_synapse/client 转发给 Synapse。',
    'fix:pointAtListener': '让 proxy_pass 指向 Synapse 的 HTTP 监听器（如果 nginx 这边是对的，就改 homeserver.yaml 中的监听器）。',
    'fix:addServerBlock':
      '为客户端使用的主机（public_baseurl）添加一个把 Matrix 流量转发给 Synapse 的 server 块，或者把包含这种 server 块的 nginx 文件交给 matrixdoc。',
  },
  'MXD-RP-006': {
    port8448:
      '其他服务器会连接 {{host}}:8448 来访问 {{serverName}}（没有 /.well-known/matrix/server 委托到别处），但没有任何 nginx server 块监听 8448 并把 /_matrix/federation 转发给 Synapse；与 {{serverName}} 的联邦通信会失败。',
    explicitPort:
      'server_name {{serverName}} 指定了端口 {{port}}，因此其他服务器会连接 {{host}}:{{port}}，但没有任何监听 {{port}} 的 nginx server 块把 /_matrix/federation 转发给 Synapse；联邦通信会失败。',
    delegated:
      'https://{{serverName}}/.well-known/matrix/server让其他服务器连接 {{target}}，但没有任何监听端口 {{port}}、对应 {{host}} 的 nginx server 块把 /_matrix/federation 转发给 Synapse；与 {{serverName}} 的联邦通信会失败。',
    'fix:listenTls': '让 nginx 为 {{host}} 在 {{port}} 端口上启用 TLS 监听，并在那里把 /_matrix 转发给 Synapse。',
    'fix:listen8448': '在 {{host}} 的 server 块中启用 8448 端口的 TLS 监听，或者用 /.well-known/matrix/server 把联邦委托到 {{host}}:443。',
    'fix:delegate443': '委托到 {{host}}:443，nginx 已经在那里把联邦请求转发给 Synapse（或者为 {{host}} 监听 {{port}} 端口）。',
    'fix:listenOrDelegate': '让 nginx 为 {{host}} 监听 {{port}} 端口并在那里把 /_matrix 转发给 Synapse，或者委托到一个已经这样做的 host:port。',
  },
  'MXD-RP-007': {
    server:
      '{{serverName}} 的 server 块没有响应 /.well-known/matrix/server，{{serverName}}:8448 上也没有提供联邦服务；其他服务器找不到位于 {{matrixHost}} 的 Synapse（除非有 SRV 记录指向它），联邦通信会失败。',
    client: '{{serverName}} 的 server 块没有响应 /.well-known/matrix/client；以 @user:{{serverName}} 登录的客户端无法发现位于 {{baseUrl}} 的主服务器。',
    synapseDisabled: '{{serverName}} 上的 /.well-known/matrix/{{kind}} 被转发给 Synapse，但由于没有设置 {{setting}}，Synapse 会返回 404。',
    noServerBlock:
      '没有任何 nginx server 块在 443 端口上使用 server_name {{serverName}}；它的 /.well-known/matrix/server 和 /.well-known/matrix/client（委托到 {{matrixHost}}）必须由响应 https://{{serverName}}/ 的服务提供，离线检查无法看到这一部分。',
    'fix:serveServer': '在 {{host}} 上提供 /.well-known/matrix/server，把联邦委托到 {{delegateTo}}。',
    'fix:serveClient': '在 {{host}} 上提供 /.well-known/matrix/client，让客户端指向 {{baseUrl}}。',
    'fix:serveServerWellknown':
      '在 homeserver.yaml 中设置 serve_server_wellknown: true（Synapse 随后会返回 {"m.server": "<server_name>:443"}），或者改由 nginx 提供该文件。',
    'fix:publicBaseurl': '在 homeserver.yaml 中设置 public_baseurl: "{{baseUrl}}/"（Synapse 随后会提供客户端 well-known），或者改由 nginx 提供该文件。',
    'fix:elsewhere': '无论由什么响应 https://{{host}}/，它都必须提供这两个 well-known 文件，委托到 {{matrixHost}}。',
  },
  'MXD-RP-008': {
    exposed:
      '在 {{host}} 上，/_synapse/admin 被转发给 Synapse，nginx 中既没有 allow/deny 也没有任何认证；Synapse 文档不建议在没有充分理由的情况下把管理 API 暴露到互联网上。',
    'fix:restrict': '把 /_synapse/admin 从公开的 location 中移除，或者只允许来自你的管理网络的访问。',
  },

  // well-known: the server name's .well-known/matrix files, live
  'MXD-WK-001': {
    server:
      'https://{{host}}/.well-known/matrix/server 返回 404：其他服务器无法得知 {{serverName}} 把联邦委托给了别的主机；联邦会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    client:
      'https://{{host}}/.well-known/matrix/client 返回 404：客户端无法从 @alice:{{serverName}} 这样的用户 ID 找到主服务器，用户只能手动输入主服务器 URL（配置了 default_server_config 的 Element 不受影响）。',
    'fix:server': '由 {{host}} 提供 {{path}}，内容为 {"m.server": "{{delegate}}"}（或者让 {{host}}:8448 自己提供联邦服务）。',
    'fix:client': '由 {{host}} 提供 {{path}}，包含主服务器 URL、JSON 类型和 CORS 头。',
  },
  'MXD-WK-002': {
    serverStatus:
      'https://{{host}}/.well-known/matrix/server 返回 HTTP {{status}}：除 200 以外的任何响应 Synapse 都视为无效，联邦会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    clientStatus:
      'https://{{host}}/.well-known/matrix/client 返回 HTTP {{status}}：客户端会以错误结束服务发现（Element 显示 "Failed to get autodiscovery configuration from server"）。',
    serverNetwork: '无法获取 https://{{host}}/.well-known/matrix/server（{{reason}}）：联邦会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    clientNetwork: '无法获取 https://{{host}}/.well-known/matrix/client（{{reason}}）：客户端无法发现 @alice:{{serverName}} 的主服务器。',
    'fix:network': '让 https://{{host}}/ 能够响应：需要 {{host}} 的 DNS 记录、在 443 端口监听且有 {{host}} 的 server 块的 nginx，以及该域名的证书。',
    'fix:status': '让 {{path}} 由它自己的 location 以 200 返回 JSON。',
  },
  'MXD-WK-003': {
    server: 'https://{{host}}/.well-known/matrix/server 不是 JSON（{{detail}}）：Synapse 会忽略它，联邦会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    client: 'https://{{host}}/.well-known/matrix/client 不是 JSON（{{detail}}）：客户端会中止服务发现（"Invalid JSON"）。',
    'fix:validJson': '让响应体成为合法的 JSON：{{body}}。',
  },
  'MXD-WK-004': {
    notObject: 'https://{{host}}/.well-known/matrix/{{file}} 是 JSON，但不是对象（{{found}}）；它必须是一个 JSON 对象。',
    noServer: 'https://{{host}}/.well-known/matrix/server 中没有 m.server：Synapse 会忽略该文件，联邦会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    noHomeserver:
      'https://{{host}}/.well-known/matrix/client 中没有字符串类型的 m.homeserver.base_url：客户端会拒绝它（"Invalid homeserver discovery response"）。',
    identityNoBaseUrl:
      'https://{{host}}/.well-known/matrix/client 中有 m.identity_server，但没有字符串类型的 base_url：客户端会拒绝整个文件（"Invalid identity server discovery response"）。',
    'fix:notObject': '让响应体成为 JSON 对象：{{body}}。',
    'fix:noServer': '添加 "m.server": "{{delegate}}"。',
    'fix:noHomeserver': '把主服务器 URL 写到 m.homeserver.base_url 中：{{body}}。',
    'fix:identityNoBaseUrl': '删除 m.identity_server（或为它提供 base_url）：{{body}}。',
  },
  'MXD-WK-005': {
    invalid:
      'https://{{host}}/.well-known/matrix/server 中的 m.server {{value}} 不是 hostname[:port] 格式：Synapse 会忽略该文件，联邦会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    scheme: "m.server '{{value}}' 是一个 URL；它必须是不带协议头和路径的 hostname[:port]，例如 '{{suggestion}}'。",
    'fix:hostPort': '把 "m.server" 设为 hostname:port 格式，例如 "{{suggestion}}"。',
  },
  'MXD-WK-006': {
    invalid:
      'https://{{host}}/.well-known/matrix/client 中的 m.homeserver.base_url \'{{value}}\' 不是完整的 http(s) 绝对 URL：客户端会拒绝它（"Invalid base_url for m.homeserver"）。',
    identityInvalid: 'm.identity_server.base_url \'{{value}}\' 不是完整的 http(s) 绝对 URL：客户端会拒绝该文件（"Invalid base_url for m.identity_server"）。',
    'fix:invalid': '使用客户端访问 Synapse 的完整 https URL：{{body}}。',
    'fix:identityInvalid': '为 m.identity_server.base_url 使用 https 绝对 URL，或删除 m.identity_server。',
  },
  'MXD-WK-007': {
    server:
      'https://{{host}}/.well-known/matrix/server 的类型是 {{contentType}}，而不是 application/json；规范要求服务器无论类型如何都按 JSON 解析，但中间的工具和缓存未必如此。',
    client:
      'https://{{host}}/.well-known/matrix/client 的类型是 {{contentType}}，而不是规范要求的 application/json；Element 不管类型都会读取内容，但更严格的客户端可能拒绝它。',
    'fix:json': '以 application/json 类型提供 {{path}}。',
  },
  'MXD-WK-008': {
    missing:
      'https://{{host}}/.well-known/matrix/client 没有 Access-Control-Allow-Origin 响应头：浏览器不允许 Element 或其他网页客户端读取它，因此在网页上以 @alice:{{serverName}} 登录会失败。',
    other: "https://{{host}}/.well-known/matrix/client 只允许来源 '{{value}}'：其他来源（例如 {{origin}}）上的网页客户端无法读取它；规范要求使用 '*'。",
    'fix:missing': '为客户端 well-known 发送 Access-Control-Allow-Origin: * 响应头。',
    'fix:other': "允许所有来源：Access-Control-Allow-Origin: *（该文件是公开的；规范要求的就是 '*'）。",
  },
  'MXD-WK-009': {
    loop: 'https://{{host}}/.well-known/matrix/{{file}} 陷入重定向循环（{{chain}}）；谁都无法读取它。',
    tooMany: 'https://{{host}}/.well-known/matrix/{{file}} 重定向超过 {{max}} 次（{{chain}}）；谁都无法读取它。',
    toHttp: 'https://{{host}}/.well-known/matrix/{{file}} 重定向到了明文 http（{{target}}）：well-known 文件必须通过 https 提供，浏览器也会阻止这种降级。',
    clientRedirect:
      'https://{{host}}/.well-known/matrix/client 重定向到 {{target}}：Matrix v1.20 之前编写的客户端不会跟随重定向，浏览器还要求每一跳都带 CORS 头。请直接提供该文件。',
    serverOtherHost:
      'https://{{host}}/.well-known/matrix/server 重定向到 {{target}}；Synapse 会跟随重定向（规范也要求服务器这样做），所以能用，但直接提供该文件更简单。',
    'fix:noRedirect': '直接由 {{host}} 的 server 块提供 {{path}}，不要任何重定向。',
    'fix:toHttp': '由 {{host}} 自己通过 https 提供 {{path}}；去掉到 http 的重定向。',
    'fix:clientRedirect': '直接由 {{host}} 提供 {{path}}（带上 CORS 头），不要重定向。',
    'fix:serverOtherHost': '也可以直接由 {{host}} 提供 {{path}}（可选）。',
  },
  'MXD-WK-010': {
    server:
      'https://{{host}}/.well-known/matrix/server 超过 50 KiB（Synapse 的上限）：Synapse 会因文件过大而拒绝它，联邦会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    client: 'https://{{host}}/.well-known/matrix/client 超过 50 KiB：每个客户端在登录前都要下载它；请只保留客户端需要的键。',
    'fix:smaller': '只提供该文件需要的键，远小于 50 KiB，例如 {{body}}。',
  },
  'MXD-WK-011': {
    unreachable: 'm.server 把联邦委托给 {{target}}，但无法访问 {{url}}（{{reason}}）：其他服务器无法连接到 {{serverName}}。',
    notFederation: 'm.server 把联邦委托给 {{target}}，但 {{url}} 返回 HTTP {{status}} 且没有服务器版本信息：那里没有提供联邦 API 的服务。',
    tls: 'm.server 把联邦委托给 {{target}}，但其证书对 {{name}} 无效（{{reason}}）：其他服务器会拒绝连接。',
    'fix:unreachable': '让 {{target}} 响应联邦请求，或者把 m.server 指向能响应的 host:port。',
    'fix:tls': '在 {{target}} 上提供由公共 CA 签发的 {{host}} 证书（联邦不接受自签名或域名不符的证书）。',
    'fix:notFederation': '把 {{target}} 上的 /_matrix 转发给 Synapse（它的联邦监听器），或者把 m.server 指向提供联邦服务的 host:port。',
  },
  'MXD-WK-012': {
    unreachable:
      '客户端 well-known 把客户端指向 {{baseUrl}}，但无法访问 {{url}}（{{reason}}）；客户端会报错 "Homeserver URL does not appear to be a valid Matrix homeserver"。',
    notMatrix:
      '客户端 well-known 把客户端指向 {{baseUrl}}，但 {{url}} 返回 HTTP {{status}} 且没有 versions 列表；客户端会报错 "Homeserver URL does not appear to be a valid Matrix homeserver"。',
    'fix:pointElsewhere': '把客户端 well-known 指向 {{better}}，它确实作为主服务器响应。',
    'fix:reach':
      '让 {{baseUrl}} 能访问到 Synapse：DNS、证书，以及 nginx 把 /_matrix 转发给 Synapse（location ~ ^(/_matrix|/_synapse/client) { proxy_pass http://localhost:8008; }）。',
  },
  'MXD-WK-013': {
    present: 'https://{{host}}/.well-known/matrix/support 列出了 {{contacts}} 个联系人（支持页面：{{supportPage}}）。',
    invalid: 'https://{{host}}/.well-known/matrix/support 不是有效的支持信息文件（{{detail}}）；客户端会忽略它。',
    'fix:invalid': '提供 {"contacts": [{"matrix_id": "@admin:{{serverName}}", "role": "m.role.admin"}]}（和/或 "support_page": "https://..."）。',
  },
  'MXD-WK-014': {
    invalid: '{{host}} 为 https://{{host}}/.well-known/matrix/{{file}} 提供的证书无效（{{reason}}）：其他服务器和浏览器都会拒绝读取该文件。',
    'fix:invalid': "使用由公共 CA 为 {{host}} 签发的证书（例如 Let's Encrypt：certbot --nginx -d {{host}}），并提供完整证书链。",
  },
  'MXD-WK-015': {
    noCache:
      'https://{{host}}/.well-known/matrix/server 带有 {{header}}，要求其他服务器不要缓存它：Synapse 仍会按其下限缓存 5 分钟，并且最频繁每 4 分钟重新获取一次，在此期间需要它的联邦请求会被拖住；严格遵守该响应头的服务器则会在每个请求之前都重新获取它。',
    long: 'https://{{host}}/.well-known/matrix/server 带有 {{header}}：{{count}} {{@unit}}，超过了规范建议的最长缓存时间 48 小时。Synapse 会缓存 48 小时，没有这一上限的服务器则按要求的时长缓存：修改 m.server（迁移，或纠正错误）需要这么长时间才能传到它们那里。',
    delegationCached:
      "获取过 https://{{host}}/.well-known/matrix/server 的服务器会把其中的 m.server '{{mServer}}' 保留最多 {{count}} {{@unit}}（{{@basis}}）：你更正 m.server 之后，来自这些服务器的联邦在它们的副本过期之前仍然不通。",
    failure:
      'Synapse 会把这个响应当作 "no delegation"（没有委托）记住最多 66 分钟（1 小时 ± 10 %；对最近从 {{host}} 得到过有效响应的服务器只有 2 分钟），与响应头无关：你提供有效文件之后，在此期间询问过的服务器在到期之前仍会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    temporaryFailure:
      'Synapse 把这种情况视为临时故障：仍持有该文件有效副本的服务器会一直使用它直到过期（最长为获取后 48 小时）；其他服务器会把这次故障记住最多 66 分钟（如果最近从 {{host}} 得到过有效响应则为 2 分钟），在此期间退回到 {{host}} 的 SRV 记录和 8448 端口。',
    'fix:lifetime': '让其他服务器把 {{path}} 缓存 5 分钟到 48 小时之间，例如 Cache-Control: max-age=3600（这样修改会在一小时内传到它们那里）。',
    'phrase:second': '秒',
    'phrase:seconds': '秒',
    'phrase:minute': '分钟',
    'phrase:minutes': '分钟',
    'phrase:hour': '小时',
    'phrase:hours': '小时',
    'phrase:day': '天',
    'phrase:days': '天',
    'phrase:default': '响应中既没有 Cache-Control max-age 也没有 Expires，按 Synapse 的默认值 24 小时 ± 10 %',
    'phrase:asked': '按其 Cache-Control 或 Expires 响应头的要求',
    'phrase:floor': 'Synapse 的下限 5 分钟，比响应头要求的更长',
    'phrase:cap': 'Synapse 的上限 48 小时，比响应头要求的更短',
  },
  'MXD-WK-016': {
    client:
      'https://{{host}}/.well-known/matrix/client 用了 {{seconds}} 秒才响应：Element（matrix-js-sdk）的每个服务发现请求在 5 秒后就会中止，因此以 @alice:{{serverName}} 登录的用户看到的是服务发现错误，而不是登录表单。',
    'fix:fast': '让 {{path}} 远在 5 秒之内响应：由 nginx 直接返回 JSON，而不是经过缓慢的上游或限速。',
  },

  // public-baseurl: Synapse's public_baseurl ("Syncing forever")
  'MXD-PB-001': {
    unreachable:
      'public_baseurl 为 {{publicBaseurl}}，但无法访问 {{url}}（{{reason}}）。Synapse 会在登录后立即让每个客户端改用 public_baseurl（登录响应中的 well_known），因此用户会一直卡在 "Syncing forever…" / "If you\'ve joined lots of rooms, this might take a while"。',
    notMatrix:
      'public_baseurl 为 {{publicBaseurl}}，但 {{url}} 返回 HTTP {{status}} 且没有 versions 列表：那不是 Synapse 的客户端 API。Synapse 会在登录后立即让每个客户端改用该地址，因此用户会一直卡在 "Syncing forever…" / "If you\'ve joined lots of rooms, this might take a while"。',
    otherServer:
      'public_baseurl {{publicBaseurl}} 与客户端 well-known 中的 {{wellKnown}} 指向不同的主服务器（{{difference}}）：客户端发现的是其中一个，登录后却被转到另一个。',
    'fix:setToAnswering': '把 public_baseurl 设为 {{url}}（它确实作为主服务器响应），然后重启 Synapse；卡住的用户需要注销后重新登录。',
    'fix:reach':
      '让 {{publicBaseurl}} 能访问到 Synapse 的客户端 API（DNS、证书、nginx 把 /_matrix 转发给 Synapse），或者修正 public_baseurl；然后重启 Synapse。',
    'fix:sameServer': '让 public_baseurl 与客户端 well-known 使用同一台主服务器的同一个 URL（{{url}}），然后重启 Synapse。',
  },
  'MXD-PB-002': {
    http: 'public_baseurl {{publicBaseurl}} 使用明文 http：登录后 Synapse 会让每个客户端改用它，而通过 https 提供的 Element（包括 app.element.io）不能加载 http URL（混合内容），因此用户会一直卡在 "Syncing forever…" / "If you\'ve joined lots of rooms, this might take a while"；登录、SSO 重定向和邮件链接也会以未加密方式传输。',
    mixedContent:
      'public_baseurl {{publicBaseurl}} 使用明文 http，而客户端使用的是 {{clientUrl}}：登录后 Synapse 会让 Element 改用 http URL，浏览器会将其作为混合内容拦截，用户会一直卡在 "Syncing forever…"。',
    'fix:setToHttps': '把 public_baseurl 设为 https URL {{url}}，然后重启 Synapse。',
    'fix:setToHttpsAnswering': '把 public_baseurl 设为 {{url}}（这个 https URL 确实作为主服务器响应），然后重启 Synapse；卡住的用户需要注销后重新登录。',
    'fix:setToHttpsCheck': '把 public_baseurl 设为反向代理的 https URL：如果 nginx 为该主机提供 TLS，就是 {{url}}（先用下面的 curl 检查），然后重启 Synapse。',
  },
  'MXD-PB-003': {
    live: 'public_baseurl 为 {{publicBaseurl}}，但 https://{{host}}/.well-known/matrix/client 给出的是 {{wellKnown}}：客户端先发现 {{wellKnown}}，登录后又被登录响应中的 well_known 转到 {{publicBaseurl}}。',
    nginx:
      'public_baseurl 为 {{publicBaseurl}}，但 nginx 为 {{host}} 提供的客户端 well-known（{{where}}）给出的是 {{wellKnown}}：客户端先发现 {{wellKnown}}，登录后又被登录响应中的 well_known 转到 {{publicBaseurl}}。',
    'fix:pointWellKnown': 'public_baseurl 可以访问，而 well-known 中的 URL 不行：请把客户端 well-known 指向 {{publicBaseurl}}。',
    'fix:setToDiscovered': '把 public_baseurl 设为客户端发现的 URL {{url}}（如果 public_baseurl 才是对的，则修改 well-known），然后重启 Synapse。',
  },
  'MXD-PB-004': {
    unset:
      '未设置 public_baseurl：Synapse 会在 SSO 重定向和邮件链接中使用 {{assumed}}，并且既不提供客户端 well-known，也不在登录响应中返回 well_known（客户端会继续使用登录时的 URL）。',
    unsetElsewhere:
      '未设置 public_baseurl，因此 Synapse 假定为 {{assumed}}，但客户端 API 实际位于 {{clientUrl}}：SSO 重定向、邮件链接和备用登录页面都会指向错误的主机。',
    'fix:setToClientApi': '把 public_baseurl 设为客户端 API 实际所在的 URL {{url}}，然后重启 Synapse。',
    'fix:setExplicitly': '可以显式设置 public_baseurl（例如 "{{assumed}}"），这样 Synapse 也会提供它的客户端 well-known 和登录响应中的 well_known。',
  },
  'MXD-PB-005': {
    internal:
      'public_baseurl {{publicBaseurl}} 指向 {{host}}，只有本机或其所在网络才能访问：登录后每个客户端都会被转到那里，用户会一直卡在 "Syncing forever…"。',
    notProxied:
      'public_baseurl {{publicBaseurl}} 指向 {{host}}，但给出的 nginx 配置中没有任何 server 块服务于该域名：用户在那里可能什么也访问不到，或者访问到别的网站。',
    'fix:setToPublic': '把 public_baseurl 设为客户端使用的公网 URL {{url}}，然后重启 Synapse。',
    'fix:setToProxy': '把 public_baseurl 设为反向代理的公网 https URL（例如 https://matrix.example.com/），或者删除它，然后重启 Synapse。',
    'fix:serveHost':
      '在 nginx 中为 {{host}} 提供服务（server_name {{host}};，并把 /_matrix 转发给 Synapse），或者把 public_baseurl 设为 nginx 确实在服务的主机。',
  },
  'MXD-PB-006': {
    publicBaseurl: '{{url}} 的响应没有 Access-Control-Allow-Origin 头：浏览器中的 Element 无法读取它，而登录后 Element 会被转到 public_baseurl。',
    login: '{{url}}（来自登录响应中的 well_known）的响应没有 Access-Control-Allow-Origin 头：登录后浏览器中的 Element 无法读取它。',
    'fix:publicBaseurl':
      '让 {{host}} 的响应保留 Synapse 的 CORS 头：把 /_matrix 转发给 Synapse 时不要使用 proxy_hide_header Access-Control-Allow-Origin，或者在 nginx 中添加这些头。',
    'fix:login': '让 {{url}} 的响应保留 Synapse 的 CORS 头。',
  },
  'MXD-PB-007': {
    unreachable:
      '以 {{user}} 在 {{baseUrl}} 登录时，返回的 well_known base_url 为 {{wellKnown}}，但无法访问 {{url}}（{{reason}}）：每个登录的客户端都会被转到那里，用户会一直卡在 "Syncing forever…" / "If you\'ve joined lots of rooms, this might take a while"。',
    notMatrix:
      '以 {{user}} 在 {{baseUrl}} 登录时，返回的 well_known base_url 为 {{wellKnown}}，而 {{url}} 返回 HTTP {{status}} 且没有 versions 列表：每个登录的客户端都会被转到那里，用户会一直卡在 "Syncing forever…"。',
    differs: '在 {{baseUrl}} 登录时返回的 well_known base_url 为 {{wellKnown}}：该地址可以访问，但客户端会被转到与其发现的地址不同的 URL；请让两者一致。',
    noWellKnown: '{{baseUrl}} 的登录响应中没有 well_known（只有显式设置了 public_baseurl，Synapse 才会添加它）：客户端会继续使用登录时的 URL。',
    loginFailed: '无法以 {{user}} 在 {{baseUrl}} 登录（{{reason}}），因此未检查登录响应中的 well_known。',
    logoutFailed: '无法注销 {{user}} 的测试登录（{{reason}}）：请在 Element 中（设置 → 会话）移除会话 "matrixdoc check (logged out right away)"。',
    'fix:loginFailed': '检查测试账号（--test-user、MATRIXDOC_TEST_PASSWORD），并确认已启用密码登录。',
    'fix:logout': '注销测试会话：在 Element 的设置 → 会话中登出 "matrixdoc check (logged out right away)"。',
    'fix:logoutDevice': '注销测试会话：在 Element 的设置 → 会话中登出 "matrixdoc check (logged out right away)"（设备 {{deviceId}}）。',
    'fix:setToLogin': '把 public_baseurl 设为 {{url}}（在这里登录本身是成功的），重启 Synapse，并让卡住的用户注销后重新登录。',
    'fix:sameAsLogin': '让 public_baseurl 成为客户端发现的 URL（{{url}}），或者把服务发现改为 public_baseurl，这样登录就不会把客户端转走。',
  },

  // rate-limits: Synapse's rate limits ("I can't log in: M_LIMIT_EXCEEDED")
  'MXD-RL-001': {
    missing:
      'nginx 把 {{location}} 转发给 Synapse（{{proxyPass}}，{{nginxAt}}），但{{@listenerKind}}{{listener}} 上的监听器没有 x_forwarded: true：Synapse 把每个客户端都看成代理的地址，所有用户共用同一个 rc_login.address 桶（{{burst}} 次登录，之后每 ~{{seconds}} 秒一次），会一起收到 M_LIMIT_EXCEEDED。调高速率限制解决不了这个问题。',
    disabled:
      'nginx 把 {{location}} 转发给 Synapse（{{proxyPass}}，{{nginxAt}}），但{{@listenerKind}}{{listener}} 上的监听器设置了 x_forwarded: false：Synapse 把每个客户端都看成代理的地址，所有用户共用同一个 rc_login.address 桶（{{burst}} 次登录，之后每 ~{{seconds}} 秒一次），会一起收到 M_LIMIT_EXCEEDED。调高速率限制解决不了这个问题。',
    likelyProxied:
      '{{@listenerKind}}{{listener}} 上的监听器为客户端提供服务，但只绑定回环地址，且没有 x_forwarded: true：如果本机的反向代理转发到它，Synapse 会把每个客户端都看成代理的地址，所有用户共用同一个 rc_login.address 桶（{{burst}} 次登录，之后每 ~{{seconds}} 秒一次）。请把代理的配置交给 matrixdoc（--nginx-config）以便确认。',
    'fix:xForwarded':
      '在 nginx 转发到的监听器（listeners[{{index}}]，{{@listenerKind}}{{listener}}）上设置 x_forwarded: true，并让 nginx 发送 X-Forwarded-For $remote_addr；不要为此调高速率限制。',
    'fix:likelyProxied':
      '如果有反向代理转发到 listeners[{{index}}]（{{@listenerKind}}{{listener}}），请在它上面设置 x_forwarded: true，并让代理发送 X-Forwarded-For $remote_addr。',
    'phrase:port': '端口 ',
    'phrase:socket': '套接字 ',
  },
  'MXD-RL-002': {
    proxyAdd:
      '{{@listenerKind}}{{listener}} 上的监听器设置了 x_forwarded: true，而 nginx 在 {{location}}（{{nginxAt}}）把 X-Forwarded-For 设为 {{value}}：客户端自己发送的 X-Forwarded-For 留在最左边，Synapse 恰好从那里读取地址，因此任何客户端都能自选 rc_login.address 和 rc_registration 计数所用的地址——从而绕过这些限制，或者把别人锁在外面。',
    passThrough:
      '{{@listenerKind}}{{listener}} 上的监听器设置了 x_forwarded: true，但 nginx 在 {{location}}（{{nginxAt}}）没有设置 X-Forwarded-For：客户端自己的该请求头会原样传给 Synapse 并被信任；不发送该请求头的客户端则全都显示为代理的地址。',
    directPublic:
      '{{@listenerKind}}{{listener}} 上的监听器设置了 x_forwarded: true，并绑定在 {{binds}}：任何绕过代理、直接访问它的人都可以发送任意 X-Forwarded-For，自选 Synapse 看到的地址。',
    directPublicDefault:
      '{{@listenerKind}}{{listener}} 上的监听器设置了 x_forwarded: true，并绑定在 {{binds}}（默认值）：任何绕过代理、直接访问它的人都可以发送任意 X-Forwarded-For，自选 Synapse 看到的地址。',
    confirmed:
      '--probe-login：收到 429 之后，一次带有伪造 X-Forwarded-For（{{forwardedFor}}）的登录被放行，返回 HTTP {{status}}：主服务器从客户端可控的请求头中获取客户端地址（{{url}}）。',
    'fix:overwrite': '让 nginx 把 X-Forwarded-For 设为它自己看到的地址：proxy_set_header X-Forwarded-For $remote_addr;',
    'fix:directPublic': '只让代理访问这个监听器：nginx 在同一台主机上时把它绑定到回环地址，否则用防火墙限制其端口。',
    'fix:confirmed': '让代理覆盖 X-Forwarded-For：proxy_set_header X-Forwarded-For $remote_addr;，并且只让代理访问 Synapse 的监听器。',
    'phrase:port': '端口 ',
    'phrase:socket': '套接字 ',
  },
  'MXD-RL-003': {
    tooHigh:
      '{{limiter}} 为 per_second {{perSecond}}、burst_count {{burstCount}}：是 Synapse 默认值（{{defaultPerSecond}}，{{defaultBurst}}）的 {{factor}} 倍，因此已不再限制{{@limits}}。',
    tooHighLegacy:
      'rc_messages_per_second / rc_message_burst_count 使消息限速器变为 per_second {{perSecond}}、burst_count {{burstCount}}：是 Synapse 默认值（{{defaultPerSecond}}，{{defaultBurst}}）的 {{factor}} 倍，一个账号或一个被盗的访问令牌就能不受限制地刷屏。这两个配置项从来不限制登录。',
    'fix:tooHigh':
      '把 {{limiter}} 调回接近 Synapse 默认值的水平（per_second {{perSecond}}，burst_count {{burstCount}}）；改为单独豁免确实需要更多额度的那个机器人或桥接。',
    'fix:tooHighLegacy': '用一个采用 Synapse 默认值的 rc_message 块替换这些旧配置项（并写出 rc_login，登录限制在那里配置）；改为逐个豁免机器人和桥接。',
    'phrase:rc_message': '本地用户发送的消息和其他事件（未设置 rc_admin_redaction 时，也包括房间管理员的删除操作）',
    'phrase:rc_registration': '账号注册（POST /register）',
    'phrase:rc_registration_token_validity': '注册令牌有效性检查',
    'phrase:rc_login.address': '来自同一客户端地址的登录尝试（无论成功与否）',
    'phrase:rc_login.account': '对同一账号的成功登录',
    'phrase:rc_login.failed_attempts': '对同一账号的失败登录（猜测密码）',
    'phrase:rc_joins.local': '加入本服务器已有的房间',
    'phrase:rc_joins.remote': '通过联邦加入房间',
    'phrase:rc_joins_per_room': '任何人加入同一个房间',
    'phrase:rc_3pid_validation': '验证邮件和短信（requestToken）',
    'phrase:rc_invites.per_room': '发往同一个房间的邀请',
    'phrase:rc_invites.per_user': '同一用户收到的邀请',
    'phrase:rc_invites.per_issuer': '同一用户发出的邀请',
    'phrase:rc_third_party_invite': '同一用户发出的第三方（邮件）邀请',
    'phrase:rc_media_create': '用户创建的媒体 ID（POST /_matrix/media/v1/create）',
    'phrase:rc_presence.per_user': '在线状态更新（来自 /sync 的更新会被静默丢弃）',
    'phrase:rc_delayed_event_mgmt': '延迟事件的管理（未认证时按客户端地址计）',
    'phrase:rc_room_creation': '用户创建的房间',
    'phrase:rc_reports': '对内容、房间和用户的举报',
    'phrase:rc_user_directory': '用户目录搜索',
    'phrase:rc_key_requests': '跨用户的密钥请求（按发送设备计，经联邦时按来源服务器计）',
  },
  'MXD-RL-004': {
    legacyActive:
      '{{keys}}：这是 rc_message 的旧写法（per_second {{perSecond}}，burst_count {{burstCount}}），因为没有 rc_message 块才被读取。它们只限制每个用户发送消息的速度：登录由 rc_login 限制，注册由 rc_registration 限制，加入房间由 rc_joins 限制。',
    legacyIgnored:
      '{{keys}}：不起作用，因为已设置 rc_message（Synapse 使用其中的 per_second {{perSecond}}、burst_count {{burstCount}}）。即使在生效时，它们也只限制消息，从不限制登录（rc_login）。',
    'fix:delete': '删除 {{key}}：Synapse 只读取 rc_message。',
    'fix:deleteBoth': '删除 {{key}} 和 {{other}}：Synapse 只读取 rc_message。',
    'fix:legacyActive': '把消息限制写成 rc_message 块（MXD-HS-007 会把它们移过去）；登录问题请查看 rc_login 和 x_forwarded（MXD-RL-001）。',
  },
  'MXD-RL-005': {
    summary:
      '{{count}} 个速率限制器中有 {{changed}} 个与 Synapse 默认值不同（{{changedList}}）；rc_login.address 允许每个客户端地址登录 {{loginBurst}} 次，之后每 ~{{loginSeconds}} 秒一次。',
  },
  'MXD-RL-006': {
    none: '{{user}} 没有速率限制覆盖设置：适用 homeserver.yaml 中的限制。',
    exempt:
      '{{user}} 已豁免（messages_per_second 为 0）所有检查用户身份的限速器（消息、加入房间、邀请、媒体、创建房间……），但不豁免按地址或账号计数的限速器：rc_login（address、account、failed_attempts）和 rc_registration。',
    custom:
      '{{user}} 的覆盖设置为 messages_per_second {{perSecond}}、burst_count {{burstCount}}：它只为该用户替换 rc_message；其他所有限速器（包括 rc_login 和 rc_registration）保持不变。',
    notForLogin:
      '{{user}} 有速率限制覆盖设置，但覆盖设置从不解除 rc_login.address 或 rc_registration：只要 listeners[{{index}}]（{{@listenerKind}}{{listener}}）没有 x_forwarded: true（{{cause}}），该用户就会和其他所有人一起无法登录。',
    notForLoginShared:
      '{{user}} 有速率限制覆盖设置，但覆盖设置从不解除 rc_login.address 或 rc_registration：只要所有客户端共用同一个登录桶（{{cause}}），该用户就会和其他所有人一起无法登录。',
    'fix:notForLogin': '改为修复共享地址的问题（在被代理的监听器上设置 x_forwarded: true）：没有任何按用户的设置能解除登录限制。',
    'phrase:port': '端口 ',
    'phrase:socket': '套接字 ',
  },
  'MXD-RL-007': {
    unauthorized: '无法读取 {{user}} 的覆盖设置：管理 API 返回 HTTP {{status}} {{errcode}}；--admin-token 必须是服务器管理员的访问令牌。',
    notFound: '此主服务器上不存在 {{user}}（管理 API：HTTP 404），因此没有覆盖设置。',
    notLocal: '{{user}} 不是此主服务器的用户（管理 API：HTTP 400）；覆盖设置只针对本地用户。',
    failed: '无法读取 {{user}} 的覆盖设置：{{reason}}。',
    'fix:adminToken':
      '为 --admin-token 提供服务器管理员的访问令牌（Element：设置 → 帮助与关于 → 访问令牌，须在管理员账号中获取；或者以管理员身份 POST /_matrix/client/v3/login）。',
    'fix:fullUserId': '用完整的用户 ID 指定本地用户：@localpart:<server_name>。',
    'fix:adminApi': '检查从运行 matrixdoc 的地方能否经代理访问管理 API（/_synapse/admin）。',
  },
  'MXD-RL-008': {
    sharedBucket:
      '--probe-login：本机只用掉了 rc_login.address 为每个地址允许的 {{burst}} 次登录中的 {{accepted}} 次，主服务器就以 429 M_LIMIT_EXCEEDED 拒绝了第 {{attempt}} 次登录（{{retryAfter}} 秒后重试）：其他客户端的登录也计入同一个桶，正如 Synapse 把每个客户端都看成代理地址时的情形（{{url}}）。',
    'fix:xForwarded':
      '在 nginx 转发到的监听器（listeners[{{index}}]，{{@listenerKind}}{{listener}}）上设置 x_forwarded: true，并让 nginx 发送 X-Forwarded-For $remote_addr；不要为此调高速率限制。',
    'fix:clientAddress': '让 Synapse 看到每个客户端自己的地址：在反向代理转发到的监听器上设置 x_forwarded: true，并在代理中发送 X-Forwarded-For $remote_addr。',
    'phrase:port': '端口 ',
    'phrase:socket': '套接字 ',
  },
  'MXD-RL-009': {
    limited:
      '--probe-login：{{accepted}} 次失败登录（每次使用不同的、不存在的账号）得到正常响应，之后返回 429 M_LIMIT_EXCEEDED（{{retryAfter}} 秒后重试）：这是 Synapse 为本机看到的地址所用的 rc_login.address 桶，与配置一致（burst_count {{burst}}）（{{url}}）。',
    withinBurst: '--probe-login：{{attempts}} 次失败登录都没有收到 429，这在 rc_login.address 的 burst_count 为 {{burst}} 时属于预期（{{url}}）。',
    notLimited:
      '--probe-login：连续 {{attempts}} 次失败登录都没有收到 429，而 rc_login.address 每个地址只允许 {{burst}} 次：正在运行的主服务器并未按此 homeserver.yaml 限制登录（使用了另一个配置文件，或客户端地址每次请求都在变化）（{{url}}）。',
    unmeasured: '--probe-login 无法在 {{url}} 测得登录限制：{{reason}}。',
    loggedIn: '--probe-login 无法在 {{url}} 测得登录限制：用一个随机账号登录竟然成功了（{{@session}}）。',
    notFailed: '--probe-login 无法在 {{url}} 测得登录限制：得到的是 {{answer}}，而不是登录失败。',
    'phrase:ended': '该会话已结束',
    'phrase:logoutFailed': '该会话已结束——但登出失败',
  },
  'MXD-RL-010': {
    proxyAddress:
      '{{file}} 中全部 {{count}} 次速率限制拒绝（429）都记在 {{address}}（{{@kind}}）名下，其中 {{logins}} 次是登录：Synapse 把每个客户端都看成代理的地址——这正是反向代理后面的监听器缺少 x_forwarded: true 的迹象。',
    'fix:xForwarded':
      '在 nginx 转发到的监听器（listeners[{{index}}]，{{@listenerKind}}{{listener}}）上设置 x_forwarded: true，并让 nginx 发送 X-Forwarded-For $remote_addr；不要为此调高速率限制。',
    'fix:proxyAt': '在 {{address}} 处的代理所转发到的监听器上设置 x_forwarded: true，并让代理发送 X-Forwarded-For $remote_addr。',
    'phrase:port': '端口 ',
    'phrase:socket': '套接字 ',
    'phrase:loopback': '回环地址：代理在同一台主机上',
    'phrase:private': '一个私有网络地址',
  },
  'MXD-RL-011': {
    counts: '在 {{file}} 的最后 {{read}} 中有 {{count}} 次速率限制拒绝（429），涉及 {{addresses}} 个客户端地址（最多的：{{top}}）。',
    none: '在 {{file}} 的最后 {{read}} 中没有速率限制拒绝（429）（共记录了 {{accessLines}} 个请求）。',
    noAccessLog:
      '{{file}} 中没有访问日志行（synapse.access 日志记录器的级别低于 INFO），因此无法按客户端地址统计拒绝次数；有 {{unattributed}} 次拒绝在记录时没有地址。',
  },

  // database: Synapse's PostgreSQL
  'MXD-DB-001': {
    sqlite: 'Synapse 使用 SQLite（{{section}}.name: sqlite3），它只适合测试，不适合生产环境：服务器一旦繁忙或参与联邦就会变慢。',
    sqliteDefault: 'homeserver.yaml 中没有 database 配置段，因此 Synapse 使用 SQLite（homeserver.db）；它只适合测试，不适合生产环境。',
    'fix:portToPostgres': '改用 PostgreSQL：用 Synapse 的 synapse_port_db 脚本迁移（它会复制全部数据），然后让 database: 指向它。',
  },
  'MXD-DB-002': {
    unsafeLocaleInArgs:
      'allow_unsafe_locale 位于 {{section}}.args 之下，psycopg2 会把它原样交给 libpq，导致 Synapse 根本无法连接（invalid connection option "allow_unsafe_locale"）；Synapse 只在 {{section}} 下直接读取它。',
    bothKeys: "同时设置了 database 和 databases；Synapse 拒绝启动（\"Can't specify both 'database' and 'databases' in config\"）。",
    cpMinOverMax: 'cp_min（{{cpMin}}）大于 cp_max（{{cpMax}}）；Twisted 的连接池不接受这种设置，Synapse 无法启动（"minimum is greater than maximum"）。',
    'fix:bothKeys': '只保留其一：单个数据库（通常情况）用 `database:`，拆分部署用 `databases:`。',
    'fix:unsafeLocaleInArgs':
      '把 allow_unsafe_locale 从 args 中移出，直接放在 {{section}}: 之下（更好的做法是给 Synapse 一个 C 排序规则的数据库，见 MXD-DB-009）。',
    'fix:cpMinOverMax': '把 cp_min 设为不大于 cp_max（例如 cp_min: {{cpMin}}，cp_max: {{cpMax}}）。',
  },
  'MXD-DB-003': {
    socket:
      'Synapse 通过 {{socket}} 中的 Unix 套接字连接 PostgreSQL，而本次运行无法使用这个套接字（它不在这台机器上，或者是离线运行），因此没有运行在线数据库检查（版本、编码、排序规则、连接数限制、权限）。',
    'fix:socket': '请在数据库主机上以运行 Synapse 的系统用户身份运行 matrixdoc；或者用 psql 通过该套接字自行运行同样的检查。',
  },
  'MXD-DB-004': {
    refused: '{{target}} 拒绝连接（connection refused）：那里没有运行 PostgreSQL，或者它监听的是其他地址或端口。',
    unreachable: '无法访问 {{target}}：{{detail}}。',
    timeout: '{{target}} 在 {{ms}} 毫秒内没有响应：防火墙丢弃了数据包，或者主机已关闭。',
    silent: '{{target}} 接受了 TCP 连接，但在 {{ms}} 毫秒内没有任何 PostgreSQL 的应答：该端口上监听的是其他服务，或者 PostgreSQL（或它前面的代理）卡住了。',
    dns: '{{host}} 无法解析（{{detail}}），因此 Synapse 找不到它的数据库服务器。',
    closed: '{{target}} 在 PostgreSQL 响应登录之前关闭了连接：{{detail}}。',
    tls: '与 {{target}} 上 PostgreSQL 的 TLS 连接失败（sslmode {{sslmode}}）：{{detail}}。',
    failed: '连接 {{target}} 上的 PostgreSQL 失败：{{detail}}。',
    'fix:reach': '让 Synapse 能够在配置的主机和端口上访问 PostgreSQL。',
    'fix:readLog': '查看数据库主机上的 PostgreSQL 日志：其中写明了登录失败的原因。',
  },
  'MXD-DB-005': {
    password: 'PostgreSQL 拒绝了用户 {{user}} 的密码（SQLSTATE 28P01：{{detail}}）；Synapse 用这个密码同样无法连接。',
    hba: 'pg_hba.conf 中没有允许用户 {{user}} 从该地址访问数据库 {{dbname}} 的规则（SQLSTATE 28000：{{detail}}）。',
    noRole: '这台 PostgreSQL 服务器上不存在角色 {{user}}（SQLSTATE 28000：{{detail}}）。',
    peer: 'PostgreSQL 在套接字 {{target}} 上以 peer 认证接纳用户 {{user}}：它比较发起连接的系统用户与角色名，拒绝了运行 matrixdoc 的系统用户（SQLSTATE 28000：{{detail}}）。这还不能说明 Synapse 的情况，Synapse 以它自己的系统用户连接。',
    'fix:peer': '以 peer 认证期望的系统用户（{{user}}，或 pg_ident.conf 映射到它的用户）运行 matrixdoc，才能检查 Synapse 实际进行的登录。',
    'fix:password': '让 {{section}}.args.password 与该角色的密码一致，或者把该角色的密码设为 homeserver.yaml 中的密码。',
    'fix:noRole': '创建该角色，或者更正 {{section}}.args.user。',
    'fix:hba': '在 pg_hba.conf 中为 Synapse 的地址添加一行规则，然后重新加载 PostgreSQL。',
    'fix:hbaTls':
      'PostgreSQL 只允许通过 TLS（hostssl）进行此登录，而 {{section}}.args.sslmode 为 disable：删除 sslmode（libpq 随后会优先使用 TLS），或将其设为 require；或者为 Synapse 的地址添加一行 hostnossl 规则。',
  },
  'MXD-DB-006': {
    missing: '{{target}} 上不存在数据库 {{dbname}}（SQLSTATE 3D000）；Synapse 无法启动。',
    'fix:create': '用 Synapse 需要的排序规则创建该数据库（或者更正 {{section}}.args.{{key}}）。',
  },
  'MXD-DB-007': {
    tooOld: 'PostgreSQL {{version}} 低于 {{minimum}}；当前的 Synapse 拒绝启动（"Synapse requires PostgreSQL 14 or above."）。',
    'fix:upgrade': '把 PostgreSQL 升级到 {{minimum}} 或更高版本（Debian 上用 pg_upgradecluster），或者继续使用仍支持此版本的 Synapse 版本。',
  },
  'MXD-DB-008': {
    encoding: '数据库 {{dbname}} 的编码为 {{encoding}} 而不是 UTF8；Synapse 拒绝启动（"Database has incorrect encoding"），且没有任何设置可以绕过。',
    'fix:recreate':
      '从 template0 创建一个 UTF8 编码、C 排序规则的数据库，并把数据迁移过去（matrixdoc 从不执行此操作）。不是合法 UTF-8 的数据会让 pg_restore 中止：请先修正这些行。',
  },
  'MXD-DB-009': {
    locale:
      '数据库 {{dbname}} 的 LC_COLLATE 为 {{collate}}、LC_CTYPE 为 {{ctype}}；Synapse 要求两者都必须正好是 C（C.UTF-8 不等于 C），否则拒绝启动（"Should be \'C\'"）。',
    unsafeAllowed:
      '数据库 {{dbname}} 的 LC_COLLATE 为 {{collate}}、LC_CTYPE 为 {{ctype}}，不是 C；Synapse 之所以能启动，只是因为 allow_unsafe_locale 为 true，而操作系统的区域设置更新可能会损坏它的索引。',
    icu: '数据库 {{dbname}} 使用 ICU 区域设置提供程序（{{providerLocale}}）；Synapse 只检查 LC_COLLATE 和 LC_CTYPE，但文本按 ICU 规则排序，而这些规则会随 ICU 版本变化。',
    'fix:recreate':
      "从 template0 创建一个 LC_COLLATE 和 LC_CTYPE 均为 'C' 的数据库，并把数据迁移过去；matrixdoc 从不执行此操作。如果数据库是空的，直接创建即可：{{sql}}",
    'fix:libc': '把数据迁移到一个用 LOCALE_PROVIDER libc 和 C 排序规则创建的数据库（matrixdoc 从不执行此操作）。',
  },
  'MXD-DB-010': {
    overLimit:
      'cp_max 为 {{cpMax}}，但 PostgreSQL 只允许普通角色打开 {{available}} 个连接（max_connections {{maxConnections}} 减去保留的 {{reserved}} 个）；负载高时 Synapse 会收到 "sorry, too many clients already"。每个 Synapse 进程（主进程和每个 worker）最多都会打开 cp_max 个连接。',
    crowded:
      'cp_max 为 {{cpMax}}，但 PostgreSQL 允许的 {{available}} 个连接中只有 {{room}} 个空闲：其他角色当前占用了 {{others}} 个。每个 Synapse 进程（主进程和每个 worker）最多都会打开 cp_max 个连接。',
    roleLimit: 'cp_max 为 {{cpMax}}，但角色 {{user}} 最多只能打开 {{limit}} 个连接（它的 CONNECTION LIMIT）。',
    dbLimit: 'cp_max 为 {{cpMax}}，但数据库 {{dbname}} 最多只接受 {{limit}} 个连接（它的 CONNECTION LIMIT）。',
    full: 'PostgreSQL 的连接已全部占满，因而拒绝了登录（SQLSTATE 53300：{{detail}}）；Synapse 也会得到同样的答复。',
    'fix:full': '找出是谁占用了这些连接，然后提高 max_connections 或缩小连接池（每个 Synapse 进程的 cp_max）。',
    'fix:pool': '降低 cp_max（最多 {{most}}，由所有 Synapse 进程共享），或者提高 max_connections。',
    'fix:roleLimit': '提高该角色的连接数限制，或者把 cp_max 降到 {{limit}}。',
    'fix:dbLimit': '提高该数据库的连接数限制，或者把 cp_max 降到 {{limit}}。',
  },
  'MXD-DB-011': {
    connect: '用户 {{user}} 不能连接数据库 {{dbname}}（没有 CONNECT 权限）。',
    noPublicSchema: '数据库 {{dbname}} 中没有 public 模式，而 Synapse 要在其中创建它的表。',
    schemaUsage: '用户 {{user}} 对 {{dbname}} 的 public 模式没有 USAGE 权限，因此 Synapse 看不到它的表。',
    schemaCreate: '用户 {{user}} 不能在 {{dbname}} 的 public 模式中建表，因此 Synapse 无法创建或升级它的数据库结构。',
    'fix:grantConnectOrOwn': '授予 CONNECT 权限（或者让该用户成为数据库的所有者）。',
    'fix:grantConnect': '把该数据库的 CONNECT 权限授予该用户。',
    'fix:createSchema': '创建 public 模式，所有者为 Synapse 使用的用户。',
    'fix:grantUsage': '把 public 模式的 USAGE 和 CREATE 权限授予该用户。',
    'fix:grantCreate': '把 public 模式的 CREATE 权限授予该用户（PostgreSQL 15 起不再默认授予所有人）。',
  },

  // ldap: matrix-synapse-ldap3
  'MXD-LDAP-001': {
    missingKeys: 'LDAP 模块配置缺少 {{keys}}；Synapse 无法启动（"LDAP enabled but missing required config values"）。',
    missingAttributes:
      'attributes 缺少 {{keys}}；该模块要求 uid、name 和 mail 三者齐全，否则 Synapse 无法启动（"LDAP enabled but missing required config values"）。',
    noBindPassword:
      '设置了 bind_dn 却没有 bind_password 或 bind_password_file；Synapse 无法启动（"Either bind_password or bind_password_file must be set!"）。',
    validateAndTlsOptions:
      '同时设置了 validate_cert 和 tls_options；Synapse 无法启动（"You cannot include both validate_cert and tls_options in the config"）。',
    invalidValue: '{{key}} 应为{{@expected}}；该模块无法使用当前的值。',
    passwordFile: '在这里无法读取 bind_password_file {{file}}（{{reason}}）；如果 Synapse 也读不到，它将无法启动。',
    'fix:missingKeys': '在模块配置中添加 {{keys}}。',
    'fix:missingAttributes': '在 attributes 中写全 uid、name 和 mail 三项（Active Directory：sAMAccountName、displayName 或 cn、mail）。',
    'fix:noBindPassword': '添加服务账号的密码：bind_password，更好的是 bind_password_file（一个只有 Synapse 能读取的文件）。',
    'fix:validateAndTlsOptions': '只保留其一：删除 validate_cert，并在 tls_options 中写入 validate: 2（CERT_REQUIRED）。',
    'fix:invalidValue': '把 {{key}} 设为{{@expected}}。',
    'fix:passwordFile': '确认该文件存在，并且运行 Synapse 的用户可以读取它（chmod 600，属主为该用户）。',
    'phrase:attributeName': '一个 LDAP 属性名',
    'phrase:attributesMap': '一个包含 uid、name 和 mail 的映射',
    'phrase:uriOrList': '一个 ldap:// 或 ldaps:// URI，或者由它们组成的列表',
    'phrase:dnString': '一个 DN 字符串',
  },
  'MXD-LDAP-002': {
    enabledFalse: 'enabled 为 false，但该模块会忽略它：只要列在 {{form}} 中，LDAP 登录就是启用的。要关闭它，请删除整个条目。',
    enabledTrue: 'enabled: true 没有任何作用：该模块从不读取它；把模块列在 {{form}} 中才会启用 LDAP 登录。',
    'fix:enabledTrue': '删除 enabled 这一行：它不起任何作用。',
    'fix:enabledFalse': '要关闭 LDAP 登录，请删除整个 {{form}} 条目（或将其注释掉）；enabled: false 做不到这一点。',
  },
  'MXD-LDAP-003': {
    simpleAd:
      '没有 bind_dn 时该模块处于 simple 模式，会以 {{uid}}=<login>,{{base}} 绑定；Active Directory 用 CN 命名条目，因此使用 {{uid}} 时这个 DN 永远不存在，所有登录都会失败。',
    anonymousSearch: 'mode 为 search 但没有 bind_dn，因此该模块会匿名搜索；Active Directory 和大多数目录都会拒绝匿名搜索或对其隐藏条目。',
    'fix:simpleAd': '改用带服务账号的 search 模式：添加 bind_dn 和 bind_password_file（该模块随后会搜索用户）。',
    'fix:anonymousSearch': '为一个只读服务账号添加 bind_dn 和 bind_password_file，除非目录确实允许匿名搜索。',
  },
  'MXD-LDAP-004': {
    samSearch:
      'uid 为 sAMAccountName 且处于 search 模式：用户用账户名登录（例如 alice）。active_directory 用于 alice@domain 或 DOMAIN\\alice 这样的登录名，并且要求 uid: userPrincipalName。',
    upnWithoutAd:
      'uid 为 userPrincipalName 但未启用 active_directory：用户必须输入完整的 UPN（alice@example.com）。设置 active_directory: true 和 default_domain 后，用户只需输入名字。',
    adWrongUid: '启用了 active_directory，因此该模块会在 {{uid}} 中搜索 login@domain；只有 userPrincipalName 才会匹配，使用 {{uid}} 时找不到任何登录。',
    'fix:samSearch':
      '如果用户用账户名登录，则无需修改。要支持 alice@domain 这样的登录名：设置 uid: "userPrincipalName" 和 active_directory: true（以及 default_domain）。',
    'fix:upnWithoutAd': '要让用户只输入名字：设置 active_directory: true 和 default_domain: "<your AD domain>"。',
    'fix:adWrongUid': '要么设置 uid: "userPrincipalName" 并保留 active_directory，要么删除 active_directory，按输入的登录名搜索。',
  },
  'MXD-LDAP-005': {
    cleartext: '{{uri}} 是未启用 start_tls 的明文 LDAP：该模块发送的每个密码（登录用户的密码以及 bind_password）都以未加密的形式穿过网络。',
    noVerify: '该模块不验证 LDAP 服务器的证书（{{@why}}）：通信路径上的任何人都可以冒充服务器并收集密码。',
    'fix:cleartext': '使用 ldaps://（端口 636），或者设置 start_tls: true，并使用 Synapse 主机信任的证书。',
    'fix:noVerify': '验证证书：删除 validate_cert: false，或者设置 tls_options.validate: 2，并让 ca_certs_file 指向你的 CA。',
    'phrase:tlsOptions': 'tls_options 中没有 validate，即 CERT_NONE',
    'phrase:validateCert': 'validate_cert 为 false',
  },
  'MXD-LDAP-006': {
    refused: '{{target}} 拒绝连接（connection refused）：那里没有运行 LDAP 服务器，或者它监听的是其他端口。',
    unreachable: '无法访问 {{target}}：{{detail}}。',
    timeout: '{{target}} 在超时时间内没有响应：防火墙丢弃了数据包，或者主机已关闭。',
    silent: '{{target}} 接受了连接，但在超时时间内没有任何 LDAP 应答：该端口上监听的是其他服务，或者 LDAP 服务器卡住了。',
    dns: '{{host}} 无法解析（{{detail}}），因此该模块找不到它的 LDAP 服务器。',
    closed: '{{target}} 关闭了连接：{{detail}}。',
    uri: '{{uri}} 不是 ldap:// 或 ldaps:// URI；该模块无法使用它。',
    failed: '连接 {{target}} 失败：{{detail}}。',
    'fix:uri': '使用 ldap://host:389 或 ldaps://host:636。',
    'fix:reach': '让 Synapse 所在的主机能够通过 URI 中的主机和端口访问 LDAP 服务器。',
  },
  'MXD-LDAP-007': {
    untrusted: '{{target}} 的证书不受信任（{{detail}}）；该模块会验证证书，因此所有登录都会失败。',
    name: '{{target}} 的证书对 {{host}} 无效（{{detail}}）；该模块会检查 URI 中的主机名。',
    expired: '{{target}} 的证书已过期或尚未生效（{{detail}}）。',
    handshake: '与 {{target}} 的 TLS 握手失败：{{detail}}。',
    startTls: '{{target}} 拒绝了 StartTLS（{{detail}}），但配置了 start_tls：该模块无法让任何人登录。',
    'fix:tls': '让与 LDAP 服务器的 TLS 连接按该模块的方式正常工作（除非另有配置，它会验证证书）。',
  },
  'MXD-LDAP-008': {
    invalidCredentials: 'LDAP 服务器拒绝了 bind_dn {{dn}} 及其密码（结果码 49，invalid credentials）：该 DN 不存在或密码错误。没有人能够登录。',
    refused: 'LDAP 服务器拒绝以 {{dn}} 绑定（结果码 {{resultCode}}：{{detail}}）。没有人能够登录。',
    'fix:bind': '检查 bind_dn（服务账号的完整 DN）及其密码。',
  },
  'MXD-LDAP-009': {
    noSuchObject: '搜索基准 {{base}} 在 {{target}} 上不存在（结果码 32，no such object）；该服务器的命名上下文是 {{contexts}}。没有人能够登录。',
    noSuchObjectUnlisted: '搜索基准 {{base}} 在 {{target}} 上不存在（结果码 32，no such object）。没有人能够登录。',
    'fix:base': '把 base 设为一个存在的、用户位于其下的 DN（某个命名上下文，或其中的一个 OU）。',
  },
  'MXD-LDAP-010': {
    uidNone: '{{base}} 之下没有任何条目带有属性 {{uid}}（以 {{as}} 身份搜索了 {{filter}}），因此任何登录都无法匹配。',
    uidNoneAnonymous: '{{base}} 之下没有任何条目带有属性 {{uid}}（以{{@as}}身份搜索了 {{filter}}），因此任何登录都无法匹配。',
    filterNone: '{{base}} 之下有条目带有 {{uid}}，但没有一个同时匹配过滤器 {{filter}}，因此任何登录都无法匹配。',
    filterInvalid: '该模块搜索时使用 {{filter}}，这不是合法的 LDAP 过滤器（{{detail}}）：所有登录都会失败。',
    filterMalformed: '该模块搜索时使用 {{filter}}，这不是合法的 LDAP 过滤器（{{@detail}}）：所有登录都会失败。',
    searchFailed: '搜索 {{base}} 失败（结果码 {{resultCode}}：{{detail}}）。',
    'fix:filterOffline': '把过滤器写成一个带括号的 LDAP 过滤器，例如 filter: "(objectClass=person)" 或 "(memberOf=cn=matrix,ou=groups,dc=example,dc=com)"。',
    'fix:filterLive': '把过滤器写成一个带括号的 LDAP 过滤器，例如 (objectClass=person)。',
    'fix:searchRights': '给绑定 DN 授予读取 base 之下用户的权限（包括它们的 uid、name 和 mail 属性）。',
    'fix:loosenFilter': '放宽过滤器，或者让用户满足它的要求（某个组、某个 objectClass）。',
    'fix:checkUid': '对照用户实际的属性名检查 attributes.uid（OpenLDAP：uid；Active Directory：sAMAccountName），并确认 base 包含这些用户。',
    'fix:checkUidAnonymous':
      '对照用户实际的属性名检查 attributes.uid（OpenLDAP：uid；Active Directory：sAMAccountName），并确认 base 包含这些用户；匿名搜索常常看不到条目：请添加 bind_dn。',
    'phrase:anonymous': '匿名',
    'phrase:unwrapped': '过滤器必须用括号括起来，例如 (objectClass=person)',
    'phrase:unopened': '有一个右括号没有对应的左括号',
    'phrase:unbalanced': '括号不配对',
  },
  'MXD-LDAP-011': {
    missingMail: '抽样的 {{sampled}} 个用户中有 {{count}} 个没有 {{attribute}} 属性（例如 {{example}}）；他们在 Synapse 中不会有电子邮件地址。',
    missingName: '抽样的 {{sampled}} 个用户中有 {{count}} 个没有 {{attribute}} 属性（例如 {{example}}）；他们的显示名称会变成登录名。',
    'fix:noneHave': '抽样的用户都没有 {{attribute}}：请对照目录中的属性名检查 attributes.{{key}}（例如 mail；displayName 或 cn）。',
    'fix:fillIn': '在目录中为这些用户填写 {{attribute}}，或者接受回退的取值。',
  },
  'MXD-LDAP-012': {
    userNotFound: '测试登录 {{login}} 找不到任何条目：该模块在 {{base}} 中搜索 {{filter}}，没有结果。',
    userAmbiguous: '测试登录 {{login}} 用 {{filter}} 找到了 {{count}} 个条目；该模块要求恰好一个，因此拒绝登录。',
    userBindFailed: '测试登录 {{login}} 找到了 {{dn}}，但用给出的密码绑定失败（{{detail}}）。',
    simpleBindFailed: '测试登录 {{login}} 失败：在 simple 模式下该模块以 {{dn}} 绑定，服务器拒绝了（{{detail}}）。',
    notMappable: '测试登录 {{login}} 没有域：启用 active_directory 时，该模块需要 login/domain、DOMAIN\\login 或 default_domain。',
    searchFailed: '搜索测试登录 {{login}} 失败（{{detail}}）。',
    noPassword: '没有尝试测试登录 {{login}}：请用 --ldap-test-password 或 MATRIXDOC_LDAP_TEST_PASSWORD 提供它的密码。',
    loginOk: '测试登录 {{login}} 可以正常使用：该模块会找到 {{dn}} 并接受密码。',
    'fix:loginOk': '这个登录无需修复。',
    'fix:compare': '与该模块的实际做法（docs/codes/MXD-LDAP-012.md）以及该用户的目录条目进行对照。',
  },

  // turn: TURN (coturn)
  'MXD-TURN-001': {
    invalid: "turn_uris[{{index}}] '{{uri}}' 不是可用的 TURN URI：{{reason}}；客户端无法使用它。",
    stun: "turn_uris[{{index}}] '{{uri}}' 是 STUN URI：{{scheme}}: URI 只能查到公网地址，不提供中继，因此位于严格 NAT 之后的客户端仍然无法接通通话。",
    dtls: "turn_uris[{{index}}] '{{uri}}'：{{@reason}}；客户端会跳过它（请写成 turns:HOST:5349?transport=tcp）。",
    'fix:dtls': '改用 turns:{{host}}:{{port}}?transport=tcp。',
    'fix:format': '每个条目写成 turn:HOST[:PORT]?transport=udp|tcp 或 turns:HOST[:PORT]?transport=tcp（RFC 7065）。',
    'phrase:dtls': 'turns: 加上 transport=udp 表示 DTLS，而浏览器和 Element 都不使用 DTLS',
  },
  'MXD-TURN-002': {
    none: '已设置 turn_uris，但既没有 turn_shared_secret，也没有同时设置 turn_username 和 turn_password；Synapse 对 /voip/turnServer 的回答是 {}，客户端拿不到任何 TURN 服务器。',
    bothSecrets:
      '同时设置了 turn_shared_secret 和 turn_shared_secret_path；Synapse 拒绝启动（"You have configured both `turn_shared_secret` and `turn_shared_secret_path`. These are mutually incompatible."）。',
    secretFile: 'turn_shared_secret_path 指向的 {{path}} 无法读取（{{error}}）；Synapse 无法以此配置启动。',
    'fix:bothSecrets': '只保留其一：删除 turn_shared_secret_path，或者把密钥移到该文件中并删除 turn_shared_secret。',
    'fix:secretFile': '创建该文件并写入密钥（coturn 的 static-auth-secret），让运行 Synapse 的用户可以读取它。',
    'fix:none': '把 turn_shared_secret 设为 coturn 的 static-auth-secret（同时在 turnserver.conf 中启用 use-auth-secret）。',
  },
  'MXD-TURN-003': {
    seconds:
      'turn_user_lifetime 为 {{value}}，Synapse 会把它当作 {{ms}} 毫秒（{{count}} {{@unit}}）：不带单位的数字表示毫秒。TURN 凭据会在 Element 等客户端获取新凭据（每 10 分钟一次）之前过期，在此期间发起的通话拿不到中继。',
    'fix:seconds': '写上单位：如果你指的是 {{seconds}} 秒，就写 turn_user_lifetime: {{value}}；或者写 "1d"（Synapse 的文档使用 86400000 毫秒 = 1 天）。',
    short:
      'turn_user_lifetime 为 {{value}}（{{count}} {{@unit}}）：Synapse 发放的 TURN 凭据会在 Element 等客户端获取新凭据（每 10 分钟一次）之前过期，在此期间发起的通话拿不到中继。',
    long: 'turn_user_lifetime 为 {{value}}（{{count}} {{@unit}}）：Synapse 发放的每一组 TURN 用户名和密码都在这么长的时间内有效，而且 coturn 无法吊销它们（它只检查共享密钥和用户名中的过期时间）。泄露的凭据（来自客户端日志、共用设备、已登出或已停用的账号）可以让任何人在 {{count}} {{@unit}} 内通过你的 TURN 服务器中继流量。Synapse 的默认值是 1 小时；客户端会在凭据过期前获取新的凭据。',
    'fix:default': '设置 turn_user_lifetime: "{{value}}"，即 Synapse 的默认值：足够让客户端及时获取新凭据，又足够短，泄露的凭据很快就会过期。',
    'phrase:day': '天',
    'phrase:days': '天',
    'phrase:hour': '小时',
    'phrase:hours': '小时',
    'phrase:minute': '分钟',
    'phrase:minutes': '分钟',
    'phrase:second': '秒',
    'phrase:seconds': '秒',
    'phrase:milliseconds': '毫秒',
  },
  'MXD-TURN-004': {
    guests: 'turn_allow_guests 为 {{@how}}：访客账号也能获取 TURN 凭据。',
    'fix:guests': '如果访客没有必要发起通话，请设置 turn_allow_guests: false。',
    'phrase:set': 'true（已显式设置）',
    'phrase:unset': '未设置（默认值为 true）',
  },
  'MXD-TURN-005': {
    resolve: '{{host}}（来自 {{uri}}）无法解析（{{error}}）；客户端无法连接到 TURN 服务器。',
    'fix:resolve': '为 {{host}} 发布 A 记录（如果 coturn 监听 IPv6，还要发布 AAAA 记录），或者更正 turn_uris 中的主机名。',
  },
  'MXD-TURN-006': {
    timeout:
      '{{address}} 的 {{port}} 端口在 UDP 上没有任何应答（{{uri}}）：{{ms}} 毫秒内发送了 {{attempts}} 个 STUN 请求。可能是防火墙丢弃了数据包，或者 coturn 没有在该端口监听。',
    unreachable: '{{address}} 的 {{port}} 端口以 ICMP 端口不可达回应 UDP（{{uri}}）：没有程序在该 UDP 端口监听。',
    'fix:openUdpFile':
      '在 TURN 服务器的防火墙（以及云安全组）上开放 UDP {{port}} 和中继端口 {{range}}（{{coturnFile}} 中的 min-port/max-port），并确认 coturn 在 UDP {{port}} 上监听。',
    'fix:openUdpDefault':
      '在 TURN 服务器的防火墙（以及云安全组）上开放 UDP {{port}} 和中继端口 {{range}}（coturn 默认的 min-port/max-port），并确认 coturn 在 UDP {{port}} 上监听。',
  },
  'MXD-TURN-007': {
    refused: '{{address}} 的 {{port}} 端口拒绝 TCP 连接（{{uri}}）：该端口没有程序监听，或者被防火墙拒绝。',
    timeout: '{{address}} 的 {{port}} 端口在 {{ms}} 毫秒内没有接受 TCP 连接（{{uri}}）：可能被防火墙丢弃，或者主机已宕机。',
    noAnswer: '{{address}} 的 {{port}} 端口接受了连接，但没有返回 STUN 应答（{{uri}}）：{{error}}。',
    failed: '连接 {{address}} 的 {{port}} 端口失败（{{uri}}）：{{error}}。',
    'fix:acceptTcp': '让 coturn 在端口 {{port}} 上接受 TCP（listening-port，且没有 no-tcp），并在防火墙中放行 TCP {{port}}。',
    'fix:acceptTls': '让 coturn 在端口 {{port}} 上接受 TLS（tls-listening-port、cert、pkey，且没有 no-tls），并在防火墙中放行 TCP {{port}}。',
  },
  'MXD-TURN-008': {
    untrusted: '{{host}} 在 {{address}} 的 {{port}} 端口上的证书不受信任（{{uri}}）：{{detail}}。客户端会拒绝该 TLS 连接。',
    name: '{{address}} 的 {{port}} 端口上的证书对 {{host}} 无效（{{uri}}）：{{detail}}。',
    expired: '{{host}} 在 {{address}} 的 {{port}} 端口上的证书已于 {{validTo}} 过期（{{uri}}）。',
    handshake: '与 {{address}} 的 {{port}} 端口进行 TLS 握手失败（{{uri}}）：{{detail}}。',
    'fix:handshake': '为 coturn 配置 {{host}} 的证书（cert= 和 pkey=），并确认 tls-listening-port 是 {{port}} 且没有设置 no-tls。',
    'fix:certificate': '使用公共 CA 为 {{host}} 签发的证书及其完整证书链（cert=fullchain.pem，pkey=privkey.pem），然后重启 coturn。',
  },
  'MXD-TURN-009': {
    secretMismatch:
      'homeserver.yaml 中的 turn_shared_secret 与 {{coturnFile}} 中的每一个 static-auth-secret 都不相同（比较时不显示两者）：coturn 会拒绝 Synapse 发放的所有凭据。',
    noUseAuthSecret: '{{coturnFile}} 中没有 use-auth-secret 这一行：coturn 不接受 Synapse 根据 turn_shared_secret 生成的限时凭据。',
    rejected:
      '{{address}} 的 {{port}} 端口拒绝了 Synapse 根据 turn_shared_secret 生成的凭据（{{uri}}：{{code}} {{reason}}）：它的 static-auth-secret 与 turn_shared_secret 不同，或者缺少 use-auth-secret。',
    staticRejected: "{{address}} 的 {{port}} 端口拒绝了 turn_username '{{username}}' 和 turn_password（{{uri}}：{{code}} {{reason}}）。",
    voipRejected: '/voip/turnServer 发放的凭据被 {{address}} 的 {{port}} 端口拒绝（{{uri}}：{{code}} {{reason}}）。',
    'fix:noUseAuthSecret': '在 {{coturnFile}} 中添加 use-auth-secret 和 static-auth-secret（值为 turn_shared_secret 的值），然后重启 coturn。',
    'fix:secretMismatch': '两处使用同一个密钥：homeserver.yaml 中的 turn_shared_secret 和 {{coturnFile}} 中的 static-auth-secret；然后重启两者。',
    'fix:voipRejected': '主服务器发放的凭据 coturn 不接受：让 Synapse 的 turn_shared_secret 与 coturn 的 static-auth-secret 相同，然后重启 Synapse。',
    'fix:staticRejected': '在 coturn 中为它的 realm 创建该用户（turnadmin），或者让两边都改用共享密钥（Synapse 推荐的做法）。',
    'fix:rejected':
      '把 coturn 的 static-auth-secret 设为 turn_shared_secret 的值，并确认有 use-auth-secret；然后重启 coturn。（--coturn-config 会替你比较两者。）',
  },
  'MXD-TURN-010': {
    mismatch:
      "{{address}} 的 {{port}} 端口宣告的 realm 是 '{{live}}'，但 {{coturnFile}} 中设置的是 realm={{configured}}：coturn 并没有使用该文件运行，因此 matrixdoc 从中读到的内容可能不适用。",
    inconsistent: '各 TURN 服务器宣告的 realm 不同（{{realms}}）；按 realm 存储的凭据（turn_username/turn_password）只在其中一部分服务器上有效。',
    'fix:mismatch': '找出 coturn 实际使用的配置（它的 -c 参数、/etc/default/coturn），并让 --coturn-config 指向它。',
    'fix:inconsistent': '让每个 coturn 实例使用相同的 realm=（惯例是服务器名）。',
  },
  'MXD-TURN-011': {
    quota: '{{address}} 的 {{port}} 端口以 486 Allocation Quota Reached 拒绝分配（{{uri}}）：user-quota 或 total-quota 已用完。',
    capacity: '{{address}} 的 {{port}} 端口以 508 Insufficient Capacity 拒绝分配（{{uri}}）：min-port 与 max-port 之间没有空闲的中继端口。',
    refused: '{{address}} 的 {{port}} 端口拒绝分配（{{uri}}：{{code}} {{reason}}）。',
    noChallenge: '{{address}} 的 {{port}} 端口没有像 TURN 服务器那样以 401 质询（REALM 和 NONCE）回应 Allocate（{{uri}}：{{detail}}）；客户端无法完成认证。',
    noChallengeUnexplained:
      '{{address}} 的 {{port}} 端口没有像 TURN 服务器那样以 401 质询（REALM 和 NONCE）回应 Allocate（{{uri}}：{{@detail}}）；客户端无法完成认证。',
    integrity:
      '{{address}} 的 {{port}} 端口对带认证的 Allocate 的应答{{@how}}（{{uri}}）：客户端会把这样的应答当作从未收到而丢弃（RFC 8489 §9.2.5），因此拿不到中继。',
    'fix:quota': '在 turnserver.conf 中提高 user-quota / total-quota（Synapse 的指南：user-quota=12，total-quota=1200）。',
    'fix:capacity': '扩大中继端口范围（当前为 {{range}}），并在防火墙中开放它。',
    'fix:refused': '在 coturn 的日志中查找被拒绝的分配（在 turnserver.conf 中加入 `verbose`）。',
    'fix:integrity': '确认该端口上是会对应答签名的 TURN 服务器（coturn 会签名）；改写 STUN 的代理或中间设备会破坏签名。',
    'fix:noChallenge': '确认该端口上是 coturn（而不是其他只支持 STUN 的服务器），并且它配置了认证方式（Synapse 需要 use-auth-secret）。',
    'phrase:noAnswer': 'Allocate 没有得到应答',
    'phrase:absent': '没有 MESSAGE-INTEGRITY',
    'phrase:invalid': '带有与凭据不符的 MESSAGE-INTEGRITY',
  },
  'MXD-TURN-012': {
    open: 'coturn 允许向内部地址（{{peers}}）建立中继许可（经由 {{uris}}）：任何持有 TURN 凭据的人都能借它访问其所在网络中的服务，包括云元数据服务。',
    noAuth: '{{address}} 的 {{port}} 端口无需任何凭据即可分配中继（{{uri}}）：互联网上的任何人都能把它当作开放中继使用。',
    config: '{{coturnFile}} 允许中继访问内部地址（{{peers}}）。',
    'fix:noAuth': '要求凭据：使用 use-auth-secret 和 static-auth-secret（并删除 no-auth），然后重启 coturn。',
    'fix:denyPeers': '把 Synapse 的 coturn 指南中的 denied-peer-ip 行和 no-multicast-peers 加入 {{coturnFile}}，然后重启 coturn。',
    'fix:denyPeersLoopback':
      '把 Synapse 的 coturn 指南中的 denied-peer-ip 行和 no-multicast-peers 加入 {{coturnFile}}，删除 allow-loopback-peers（第 {{line}} 行），然后重启 coturn。',
  },
  'MXD-TURN-013': {
    private:
      '经由 {{uri}} 分配的中继地址是 {{relayed}}，这是一个 {{kind}} 地址，而客户端是通过公网地址 {{address}} 访问该服务器的：远端客户端无法向它发送媒体数据。',
    'fix:externalIp':
      '告诉 coturn 它的公网地址：在 turnserver.conf 中设置 external-ip={{address}}/{{relayed}}，把中继端口 {{range}}/udp 一对一转发到这台主机，然后重启 coturn。',
  },
  'MXD-TURN-014': {
    empty: '{{url}} 返回 {}：正在运行的主服务器没有配置 TURN，尽管 homeserver.yaml 中设置了 turn_uris。',
    uris: '{{url}} 发放的是 {{live}}，但 homeserver.yaml 中是 {{configured}}：Synapse 正在使用另一份配置运行。',
    urisNone: '{{url}} 发放的是{{@live}}，但 homeserver.yaml 中是 {{configured}}：Synapse 正在使用另一份配置运行。',
    request: '无法读取 {{url}}（{{detail}}），因此没有检查主服务器实际发放的内容。',
    'fix:request': '给 --access-token 提供任意用户的有效访问令牌（Element：Settings、Help & About、Access Token）。',
    'fix:empty': '重启 Synapse，让它重新读取 homeserver.yaml（并确认它运行时使用的是这个文件和其中的密钥）。',
    'fix:uris': '编辑 homeserver.yaml 之后重启 Synapse。',
    'phrase:none': '（无）',
  },
  'MXD-TURN-015': {
    ok: '{{uri}}（{{address}}）：已分配中继 {{relayed}}（STUN 往返时间 {{rtt}} 毫秒），被拒绝的内部对端：{{refused}}。',
    okNoPeers: '{{uri}}（{{address}}）：已分配中继 {{relayed}}（STUN 往返时间 {{rtt}} 毫秒），被拒绝的内部对端：{{@refused}}。',
    'phrase:none': '无',
    'phrase:notAsked': '未询问',
  },
  // jitsi-websocket: docker-jitsi-meet 的 .env、config.js 与 XMPP WebSocket
  'MXD-JWS-001': {
    unset:
      '未设置 PUBLIC_URL：docker-jitsi-meet 会把 wss://localhost:8443/xmpp-websocket 写入 config.js，于是每个浏览器都在自己的电脑上寻找 Jitsi，并显示 "You have been disconnected"。',
    notHttps:
      "PUBLIC_URL '{{value}}' 不是 https URL：docker-jitsi-meet 只会去掉 https:// 前缀，因此 config.js 中的 WebSocket 地址变成 {{websocket}}，任何浏览器都无法打开。",
    invalid: "PUBLIC_URL '{{value}}' 不是可用的 URL（{{@detail}}）；config.js 中的 WebSocket 和 BOSH 地址将无法被浏览器打开。",
    invalidScheme: "PUBLIC_URL '{{value}}' 不是可用的 URL（协议为 {{scheme}}）；config.js 中的 WebSocket 和 BOSH 地址将无法被浏览器打开。",
    invalidVariable:
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the message shows the variable as the .env writes it
      "PUBLIC_URL '{{value}}' 不是可用的 URL（${{{variable}}} 在文件中它的上方没有定义）；config.js 中的 WebSocket 和 BOSH 地址将无法被浏览器打开。",
    'fix:setPublicUrl': '把 PUBLIC_URL 设为用户打开的 https URL，端口不是 443 时要带上端口（例如 {{suggestion}}），然后重新创建容器。',
    'phrase:notAbsolute': '不是绝对 URL',
  },
  'MXD-JWS-002': {
    mismatch:
      'PUBLIC_URL {{publicUrl}} 让浏览器连接端口 {{publicPort}}，但 web 容器发布在 HTTPS_PORT {{httpsPort}} 上：config.js 把 XMPP WebSocket 指向端口 {{publicPort}}，那里没有 Jitsi 应答（"You have been disconnected"）。',
    mismatchDefault:
      'PUBLIC_URL {{publicUrl}} 让浏览器连接端口 {{publicPort}}，但未设置 HTTPS_PORT，因此 web 容器发布在 {{httpsPort}}（env.example 中的取值）：config.js 把 XMPP WebSocket 指向一个没有 Jitsi 应答的端口。',
    'fix:publicPort':
      '让 PUBLIC_URL 带上用户实际访问的端口（{{suggested}}），或者在没有其他服务占用时把 web 容器发布在 {{publicPort}} 上（HTTPS_PORT={{publicPort}}）；然后重新创建容器。',
  },
  'MXD-JWS-003': {
    nonStandardPort:
      'ENABLE_HTTP_REDIRECT 使 http://{{host}}:{{httpPort}}/ 重定向到 https://{{host}}/（nginx 的 $host 不含端口），但 Jitsi 监听的是 HTTPS_PORT {{httpsPort}}：输入 http 地址的用户会被带到 443 端口，那里没有 Jitsi 应答。',
    behindProxy:
      '在 DISABLE_HTTPS=1 的同时开启了 ENABLE_HTTP_REDIRECT：前面的反向代理把普通 HTTP 请求转给 web 容器，容器又把它重定向到 https://，浏览器因此陷入循环（"ERR_TOO_MANY_REDIRECTS"），无法加载 Jitsi。',
    'fix:behindProxy': '在反向代理之后，请设置 ENABLE_HTTP_REDIRECT=0（由代理负责重定向），然后重新创建 web 容器。',
    'fix:nonStandardPort': '设置 ENABLE_HTTP_REDIRECT=0（用户随后输入 {{publicUrl}}），或者在 443 上发布 HTTPS（HTTPS_PORT=443）；然后重新创建 web 容器。',
  },
  'MXD-JWS-004': {
    mucDomain:
      'config.js 让浏览器在 {{configMuc}} 加入会议室（因为开启了 ENABLE_SUBDOMAINS，取 XMPP_MUC_DOMAIN 的第一段再接上 XMPP_DOMAIN），但 prosody 在 XMPP_MUC_DOMAIN {{mucDomain}} 上提供会议室：没有人能加入会议。',
    invalidDomain: "{{name}} '{{value}}' 不是合法的域名；prosody、jicofo 和浏览器都无法使用它。",
    'fix:invalidDomain': '使用一个域名，例如默认值 {{default}}；它只在 Docker 网络内部使用。',
    'fix:mucDomain': '设置 XMPP_MUC_DOMAIN={{muc}}（MUC 组件必须是 <prefix>.XMPP_DOMAIN），然后重新创建容器。',
  },
  'MXD-JWS-005': {
    required: '服务密码为空：{{names}}。prosody、jicofo 和 jvb 容器在启动时就会退出（"{{fatal}}"），因此根本没有 XMPP 服务器，也无法开会。',
    optional: '可选服务的密码为空：{{names}}。只有 Jigasi 和 Jibri（jigasi.yml、jibri.yml）需要它们；没有密码时这两个服务拒绝启动。',
    'fix:required': '用 docker-jitsi-meet 的 gen-passwords.sh 生成强密码（它会填好全部六个），然后重新创建容器。',
    'fix:optional': '仅当你运行 Jigasi 或 Jibri 时：在启动它们之前运行 ./gen-passwords.sh。',
  },
  'MXD-JWS-006': {
    colibriRemoved:
      'ENABLE_COLIBRI_WEBSOCKET={{value}} 不起作用：JITSI_IMAGE_VERSION {{release}} 已没有 colibri WebSocket（自 stable-11146 起移除）；bridge channel 总是使用 SCTP。',
    colibriRemovedMoving:
      "ENABLE_COLIBRI_WEBSOCKET={{value}} 不起作用：JITSI_IMAGE_VERSION '{{release}}'（{{newest}} 或更新的版本）已没有 colibri WebSocket（自 stable-11146 起移除）；bridge channel 总是使用 SCTP。",
    colibriRemovedPinned:
      'ENABLE_COLIBRI_WEBSOCKET={{value}} 不起作用：JITSI_IMAGE_VERSION 未设置，因此容器运行的是 {{composeFile}} 固定的版本 {{release}}（第 {{line}} 行），该版本已没有 colibri WebSocket（自 stable-11146 起移除）；bridge channel 总是使用 SCTP。',
    authOff: '设置了 {{names}}，但 ENABLE_AUTH 未开启：prosody 允许任何人匿名发起会议，并忽略这些设置。',
    'fix:colibriRemoved': '删除这一行；它在这个版本上不起作用。',
    'fix:authOff': '如果要求登录后才能发起会议，请设置 ENABLE_AUTH=1（访客随后通过 ENABLE_GUESTS=1 加入）并重新创建容器；否则删除这些行。',
  },
  'MXD-JWS-007': {
    notBool:
      "{{name}}='{{value}}' 不是 docker-jitsi-meet 能识别的布尔值：它的模板使用 Go 的 strconv.ParseBool（1、t、true、0、f、false……），解析这个值会失败，容器的配置不会被写出。",
    'fix:notBool': '写成 {{name}}=1 或 {{name}}=0。',
  },
  'MXD-JWS-008': {
    disabled: 'ENABLE_XMPP_WEBSOCKET 已关闭：浏览器通过 BOSH（/http-bind，长轮询）与 prosody 通信，速度更慢、连接更多；matrixdoc 不测试 WebSocket。',
    'fix:disabled': '设置 ENABLE_XMPP_WEBSOCKET=1（默认值），然后重新创建 web 和 prosody 容器。',
  },
  'MXD-JWS-009': {
    unreachable: '浏览器首先加载 {{url}}，但请求失败（{{reason}}）：会议页面无法启动。',
    status: '浏览器首先加载 {{url}}，得到的是 HTTP {{status}}，而不是 Jitsi 的配置。',
    notJitsi: '{{url}} 返回 200，但不是 Jitsi Meet 的 config.js（没有 `var config` 或 `config.hosts`）：PUBLIC_URL 没有到达 Jitsi 的 web 容器。',
    'fix:reach': '让 {{publicUrl}} 能够到达 Jitsi 的 web 容器（DNS、发布的 HTTPS_PORT、证书、前面的任何反向代理）。',
    'fix:notJitsi': '让 {{publicUrl}} 由 Jitsi 的 web 容器提供服务（docker-jitsi-meet 的 meet.conf 中的 location = /config.js）。',
  },
  'MXD-JWS-010': {
    websocket:
      '{{url}} 处的 config.js 让浏览器在 {{websocket}} 打开 XMPP WebSocket，而不是在 PUBLIC_URL 的主机 {{publicHost}} 上：页面能加载，随后出现 "You have been disconnected"，第二位参会者会掉线。web 容器是用另一个 PUBLIC_URL 创建的。',
    bosh: '{{url}} 处的 config.js 把 BOSH 发往 {{bosh}}，而不是 PUBLIC_URL 的主机 {{publicHost}}：回退到 BOSH 的浏览器无法连接（"You have been disconnected"）。',
    'fix:websocket': '重新创建 web 容器，让它根据 PUBLIC_URL={{publicUrl}} 生成 config.js（并确认这就是用户打开的 URL）。',
    'fix:bosh': '重新创建 web 容器，让它根据 PUBLIC_URL={{publicUrl}} 生成 config.js。',
  },
  'MXD-JWS-011': {
    domain: "config.js 中 hosts.domain 为 '{{running}}'，但 .env 设置的 XMPP_DOMAIN 是 '{{env}}'：修改 .env 之后没有重新创建 web 容器。",
    websocketMissing:
      '.env 开启了 ENABLE_XMPP_WEBSOCKET，但 config.js 中没有 config.websocket：浏览器会回退到 BOSH。修改 .env 之后没有重新创建 web 容器，或者 custom-config.js 删除了它。',
    websocketExtra: '.env 关闭了 ENABLE_XMPP_WEBSOCKET，但 config.js 中仍有 config.websocket {{websocket}}：修改 .env 之后没有重新创建 web 容器。',
    'fix:domain': '重新创建容器，让它们再次使用 .env。',
    'fix:websocketMissing': '重新创建 web 容器（并检查 custom-config.js 中是否有删除 config.websocket 的代码）。',
    'fix:websocketExtra': '重新创建 web 容器，让 config.js 与 .env 保持一致。',
  },
  'MXD-JWS-012': {
    dns: '无法连接 XMPP WebSocket {{url}}：{{host}} 无法解析（{{code}}）。浏览器无法加入会议。',
    tcp: '无法连接 XMPP WebSocket {{url}}：到 {{host}} 的连接失败（{{code}}：{{detail}}）。',
    tls: '无法连接 XMPP WebSocket {{url}}：TLS 失败（{{code}}：{{detail}}）；浏览器会拒绝该证书。',
    timeout: 'XMPP WebSocket {{url}} 在 {{waitedMs}} 毫秒内没有响应升级请求。',
    'fix:dns': '为 {{host}} 发布一条用户的浏览器能够解析的 DNS 记录。',
    'fix:tls': '为 {{host}} 提供浏览器信任的 CA 签发的证书（例如 ENABLE_LETSENCRYPT=1，或者把你自己的证书放在 ~/.jitsi-meet-cfg/web/keys 中）。',
    'fix:timeout': '检查 web 容器（或前面的代理）是否在该端口上应答，以及是否有防火墙丢弃了流量。',
    'fix:tcp': '让 {{host}} 接受连接：web 容器必须在运行并发布在该端口上（HTTPS_PORT），或者反向代理必须在那里监听。',
  },
  'MXD-JWS-013': {
    notFound:
      '{{url}} 返回 HTTP 404：web 服务器没有 /xmpp-websocket 的 location（创建 web 容器时 ENABLE_XMPP_WEBSOCKET 是关闭的，或者前面的反向代理没有转发它）。',
    notFoundProsody: '{{url}} 到达了 prosody，但它返回 HTTP 404：它的 WebSocket 模块没有加载（创建 prosody 容器时 ENABLE_XMPP_WEBSOCKET 是关闭的）。',
    badGateway: '{{url}} 返回 HTTP {{status}}：nginx 无法连接后面的 prosody（prosody 容器没有运行，或 XMPP_BOSH_URL_BASE 指向了不存在的地址）。',
    subprotocol:
      '{{url}} 不接受 xmpp 子协议（{{@detail}}）：当 Sec-WebSocket-Protocol: xmpp 请求头没有传到 prosody 时，它会返回 501；不回显该子协议的服务器不是 prosody。',
    subprotocolOther:
      "{{url}} 不接受 xmpp 子协议（应答的子协议是 '{{subprotocol}}'）：当 Sec-WebSocket-Protocol: xmpp 请求头没有传到 prosody 时，它会返回 501；不回显该子协议的服务器不是 prosody。",
    noUpgrade:
      '{{url}} 返回的是 prosody 的 "It works!" 页面，而没有切换协议：代理没有转发 Upgrade 和 Connection 请求头（proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"）。',
    status: '{{url}} 返回 HTTP {{status}}，而不是 101 Switching Protocols。',
    'fix:notFoundProsody': '设置 ENABLE_XMPP_WEBSOCKET=1，然后重新创建 prosody 和 web 容器。',
    'fix:notFound': '设置 ENABLE_XMPP_WEBSOCKET=1 并重新创建 web 容器；如果前面有反向代理，让它把 /xmpp-websocket 连同 Upgrade 请求头一起转发给 web 容器。',
    'fix:badGateway': '启动 prosody（docker compose up -d prosody；它的日志会说明停止的原因，例如密码为空），并检查 XMPP_BOSH_URL_BASE。',
    'fix:passHeader': '让 prosody 前面的每一层代理都转发 Sec-WebSocket-Protocol 请求头。',
    'fix:noUpgrade': '在前面的代理中加入：proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade";',
    'fix:status': '把 /xmpp-websocket 路由到 Jitsi 的 web 容器（由它代理到 prosody）。',
    'fix:subprotocol': '让 /xmpp-websocket 指向 prosody（XMPP_BOSH_URL_BASE），并转发 Sec-WebSocket-Protocol 请求头。',
    'phrase:http501': '返回了 HTTP 501',
    'phrase:none': '应答中没有子协议',
  },
  'MXD-JWS-014': {
    silent: '{{url}} 已切换到 WebSocket，但在我们向 {{domain}} 发送 <open/> 之后 {{waitedMs}} 毫秒内没有发来任何内容。',
    junk: '{{url}} 已切换到 WebSocket 并发来 {{count}} 个帧，但在我们向 {{domain}} 发送 <open/> 之后 {{waitedMs}} 毫秒内没有 XMPP <open/>（第一个帧：{{first}}）：应答的不是 prosody。',
    tooLarge: '{{url}} 发来了大于 {{limit}} 的 WebSocket 消息，matrixdoc 拒绝接收（prosody 的消息最多几 KiB）：应答的不是 prosody，或者它出了故障。',
    closed:
      '{{url}} 先返回 101 Switching Protocols，随后在发出任何 XMPP 帧之前关闭了连接（{{detail}}）：通常是代理把 101 转发出来，却没有转发 Upgrade 和 Connection 请求头（proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"）。',
    closedUnexplained:
      '{{url}} 先返回 101 Switching Protocols，随后在发出任何 XMPP 帧之前关闭了连接（{{@detail}}）：通常是代理把 101 转发出来，却没有转发 Upgrade 和 Connection 请求头（proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"）。',
    hostUnknown:
      'Prosody 对 {{domain}} 返回 host-unknown（{{text}}）：config.js 的 hosts.domain 不是 prosody 提供服务的 XMPP 域；浏览器会显示 "You have been disconnected"。',
    streamError: 'Prosody 以 {{condition}} 关闭了流（{{text}}）。',
    noFeatures: 'Prosody 为 {{domain}} 打开了流，但在 {{waitedMs}} 毫秒内没有发送 stream features；浏览器无法登录。',
    'fix:tooLarge': '检查 /xmpp-websocket 被代理到了哪里：它必须是 prosody（XMPP_BOSH_URL_BASE）。',
    'fix:closed': '在 prosody 前面的代理中加入：proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade";',
    'fix:junk': '检查 /xmpp-websocket 被代理到了哪里：prosody 收到 <open/> 后会立即回应它自己的 <open/>。',
    'fix:silent': '检查 /xmpp-websocket 被代理到了哪里：prosody 收到 <open/> 后会立即应答。',
    'fix:hostUnknown': '让 config.js 的 hosts.domain 等于 prosody 提供服务的 XMPP_DOMAIN（默认为 meet.jitsi），然后重新创建容器。',
    'fix:prosodyLog': '查看 prosody 的日志了解原因。',
    'phrase:noCloseFrame': '没有关闭帧',
  },
  'MXD-JWS-015': {
    anonymous: 'XMPP WebSocket 工作正常：prosody 为 {{domain}} 提供服务并提供 {{mechanisms}}，因此任何拿到链接的人都能加入（匿名登录）。',
    login: 'XMPP WebSocket 工作正常：prosody 为 {{domain}} 提供 {{mechanisms}}，没有 ANONYMOUS，因此用户必须登录才能加入。',
    loginGuests:
      'XMPP WebSocket 工作正常：prosody 为 {{domain}} 提供 {{mechanisms}}，没有 ANONYMOUS；用户需要登录，访客在已有用户入会后通过 hosts.anonymousdomain {{guestDomain}} 加入。',
    authMismatch:
      'Prosody 为 {{domain}} 提供 {{mechanisms}}，没有 ANONYMOUS，而 .env 中 ENABLE_AUTH 是关闭的：正在运行的 prosody 不是按这个 .env 创建的，访客无法加入。',
    loginNoMechanism: 'XMPP WebSocket 工作正常：prosody 为 {{domain}} 提供的 SASL 机制：{{@mechanisms}}，没有 ANONYMOUS，因此用户必须登录才能加入。',
    loginGuestsNoMechanism:
      'XMPP WebSocket 工作正常：prosody 为 {{domain}} 提供的 SASL 机制：{{@mechanisms}}，没有 ANONYMOUS；用户需要登录，访客在已有用户入会后通过 hosts.anonymousdomain {{guestDomain}} 加入。',
    authMismatchNoMechanism:
      'Prosody 为 {{domain}} 提供的 SASL 机制：{{@mechanisms}}，没有 ANONYMOUS，而 .env 中 ENABLE_AUTH 是关闭的：正在运行的 prosody 不是按这个 .env 创建的，访客无法加入。',
    'fix:anonymous': '无需处理。如果要求登录后才能发起会议，请设置 ENABLE_AUTH=1。',
    'fix:authMismatch': '重新创建容器，让 prosody 与这个 .env 一致（如果本意就是要求登录，则设置 ENABLE_AUTH=1）。',
    'fix:loginGuests': '无需处理。',
    'fix:login': '无需处理。如果要让访客在已有用户入会后加入，请设置 ENABLE_GUESTS=1。',
    'phrase:none': '无',
  },
  'MXD-JWS-016': {
    unreachable: '{{url}} 请求失败（{{reason}}）：在开启了 ENABLE_COLIBRI_WEBSOCKET 的 {{release}} 上，浏览器在这里打开 bridge channel。',
    badGateway:
      '{{url}} 返回 HTTP {{status}}：nginx 无法连接 videobridge（jvb 容器没有运行，或它的 colibri WebSocket 端口 9090 不可达）；第三位参会者加入后 bridge channel 就会中断。',
    notFound: '{{url}} 返回 HTTP 404：虽然 {{release}} 开启了 ENABLE_COLIBRI_WEBSOCKET，web 容器却没有 /colibri-ws/ 的 location。',
    'fix:colibri': '让 web 容器能够通过 colibri WebSocket 端口（9090）访问 jvb 容器，或者关闭 ENABLE_COLIBRI_WEBSOCKET（bridge channel 改用 SCTP）。',
  },

  // jitsi-jvb: videobridge 的媒体地址
  'MXD-JVB-001': {
    privateHost:
      '未设置 JVB_ADVERTISE_IPS，而 {{host}}（PUBLIC_URL）解析到私有地址 {{addresses}}：videobridge 只会提供它的容器地址和通过 STUN 在互联网上查到的地址。两人通话正常（点对点），但三人及以上时所有媒体都经过 bridge，谁也听不到谁。',
    nat: '未设置 JVB_ADVERTISE_IPS，而这台 Jitsi 主机位于 NAT 之后（.env 旁边的 compose 项目在这里运行 jvb，这台机器只有私有地址 {{hostAddresses}}，而 {{host}} 解析到 {{resolved}}）：bridge 只能通过 STUN 得知自己的公网地址。两人通话正常（点对点）；从三人开始媒体经过 bridge，一旦 STUN 失败就没有声音。',
    'fix:privateHost': '通告参会者能够访问的地址：JVB_ADVERTISE_IPS={{suggestion}}（如果有人从外部加入，把公网地址也加上）。',
    'fix:nat': '同时通告局域网地址和公网地址：JVB_ADVERTISE_IPS={{suggestion}}，并把 UDP {{port}} 转发到这台主机。',
  },
  'MXD-JVB-002': {
    invalid:
      "JVB_ADVERTISE_IPS 中的条目 '{{entry}}' 不是 IP 地址（写成 ip 或 ip#port；IPv6 因为含冒号而使用 #）：bridge 无法通告它，因此三人及以上的通话没有声音，而两人通话（点对点）正常。",
    badPort: "JVB_ADVERTISE_IPS 中的条目 '{{entry}}' 的端口 '{{port}}' 不是 1 到 65535 之间的数字：videobridge 的配置无法加载。",
    unusable: "JVB_ADVERTISE_IPS 中的条目 '{{entry}}' 是 {{kind}} 地址，任何参会者都无法向它发送媒体：两人通话正常（点对点），三人及以上没有声音。",
    hostname:
      "JVB_ADVERTISE_IPS 中的条目 '{{entry}}' 是主机名：bridge 只在启动时、在容器内部解析它一次；如果解析出别的地址（或 Docker 的 DNS 给出私有地址），三人及以上的通话就没有声音。请使用 IP 地址。",
    'fix:remove': "从 {{source}} 中删除 '{{entry}}'。",
    'fix:replace': "把 '{{entry}}' 替换为参会者能够访问的地址（局域网地址，再加上供外部参会者使用的公网地址）。",
    'fix:replaceWith': "把 '{{entry}}' 替换为参会者能够访问的地址：JVB_ADVERTISE_IPS={{suggestion}}（{{@basis}}）。",
    'phrase:publicUrl': 'PUBLIC_URL 的地址',
    'phrase:hostAndPublicUrl': '本机的局域网地址和 PUBLIC_URL 的公网地址',
    'phrase:hostInterfaces': '本机的局域网地址',
  },
  'MXD-JVB-003': {
    bridge: 'JVB_ADVERTISE_IPS 通告了 {{address}}，这是 Docker 默认网桥（172.17.0.0/16）上的地址，只有本机能访问：两人通话正常（点对点），三人及以上没有声音。',
    containerInterface: 'JVB_ADVERTISE_IPS 通告了 {{address}}，这是本机容器网络接口 {{interface}} 的地址，任何参会者都无法访问：三人及以上的通话没有声音。',
    'fix:remove': "从 {{source}} 中删除 '{{entry}}'。",
    'fix:replace': "把 '{{entry}}' 替换为参会者能够访问的地址（局域网地址，再加上供外部参会者使用的公网地址）。",
    'fix:replaceWith': "把 '{{entry}}' 替换为参会者能够访问的地址：JVB_ADVERTISE_IPS={{suggestion}}（{{@basis}}）。",
    'phrase:publicUrl': 'PUBLIC_URL 的地址',
    'phrase:hostAndPublicUrl': '本机的局域网地址和 PUBLIC_URL 的公网地址',
    'phrase:hostInterfaces': '本机的局域网地址',
  },
  'MXD-JVB-004': {
    notLocal:
      'JVB_ADVERTISE_IPS 通告了 {{address}}，但这台 Jitsi 主机（{{host}} 解析到 {{matched}}，这是本机的地址）没有这个地址的接口，而 {{host}} 解析到 {{resolved}}：如果地址变了（DHCP、换了服务器），bridge 会把参会者引向旧地址，三人及以上的通话没有声音，而两人（点对点）仍然正常。',
    notLocalNat:
      'JVB_ADVERTISE_IPS 通告了 {{address}}，但这台 Jitsi 主机（.env 旁边的 compose 项目在这里运行 jvb，这台机器只有私有地址 {{hostAddresses}}，而 {{host}} 解析到 {{resolved}}）没有这个地址的接口，而 {{host}} 解析到 {{resolved}}：如果地址变了（DHCP、换了服务器），bridge 会把参会者引向旧地址，三人及以上的通话没有声音，而两人（点对点）仍然正常。',
    'fix:remove': "从 {{source}} 中删除 '{{entry}}'。",
    'fix:replace': "把 '{{entry}}' 替换为参会者能够访问的地址（局域网地址，再加上供外部参会者使用的公网地址）。",
    'fix:replaceWith': "把 '{{entry}}' 替换为参会者能够访问的地址：JVB_ADVERTISE_IPS={{suggestion}}（{{@basis}}）。",
    'phrase:publicUrl': 'PUBLIC_URL 的地址',
    'phrase:hostAndPublicUrl': '本机的局域网地址和 PUBLIC_URL 的公网地址',
    'phrase:hostInterfaces': '本机的局域网地址',
  },
  'MXD-JVB-005': {
    privateOnly:
      'JVB_ADVERTISE_IPS 只列出了私有地址（{{addresses}}），而 {{host}}（PUBLIC_URL）解析到公网地址 {{resolved}}：你的网络之外的参会者能加入并看到页面，但从三人开始就没有音视频（两人点对点仍然正常）。请同时列出公网地址：{{suggestion}}。',
    'fix:splitHorizon': '同时通告局域网地址和公网地址（内外网分别解析，即 split horizon）：JVB_ADVERTISE_IPS={{suggestion}}。',
  },
  'MXD-JVB-006': {
    deprecated:
      'DOCKER_HOST_ADDRESS={{value}} 已弃用：jvb 容器会把它复制到 JVB_ADVERTISE_IPS，并记录 "WARNING: DOCKER_HOST_ADDRESS is deprecated, migrate to JVB_ADVERTISE_IPS"。',
    ignored: '由于已设置 JVB_ADVERTISE_IPS，DOCKER_HOST_ADDRESS={{value}} 被忽略；请删除它。',
    'fix:delete': '删除 DOCKER_HOST_ADDRESS。',
    'fix:rename': '将其改名：JVB_ADVERTISE_IPS={{value}}。',
  },
  'MXD-JVB-007': {
    udp: '媒体使用 UDP 端口 {{port}}（JVB_PORT）：三人及以上的通话需要它开放并转发到这台主机。matrixdoc 不探测它：对于不属于任何进行中会议的 STUN 请求，bridge 会静默丢弃，因此没有响应说明不了任何问题。',
    invalidPort: "JVB_PORT '{{port}}' 不是端口号（1-65535）：videobridge 的媒体端口没有配置好。",
    'fix:invalidPort': '设置 JVB_PORT=10000（默认值）或其他空闲的 UDP 端口，并开放它。',
    'fix:udp': '在每一层防火墙中开放 UDP {{port}} 并把它转发到这台主机；在一次真实的三人会议中测试它。',
  },
  'MXD-JVB-008': {
    unhealthy: 'videobridge 健康检查 {{url}} 返回 HTTP {{status}}（{{body}}）：三人及以上的会议会失败。',
    unhealthyEmpty: 'videobridge 健康检查 {{url}} 返回 HTTP {{status}}（{{@body}}）：三人及以上的会议会失败。',
    unreachable: '在这台 Jitsi 主机上，videobridge 健康检查 {{url}} 没有任何应答（{{reason}}）：jvb 容器没有运行，或者 JVB_COLIBRI_PORT 发布在别处。',
    'fix:unreachable': '启动 jvb 容器（它的日志会说明停止的原因，例如 "FATAL ERROR: JVB auth password must be set"）。',
    'fix:unhealthy': '在 bridge 的日志中查找失败的健康检查，修复后重启 jvb 容器。',
    'phrase:empty': '响应体为空',
  },
};
