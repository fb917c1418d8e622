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
  },
  'MXD-HS-002': {
    syntax: 'YAML 语法错误：{{detail}}。',
  },
  'MXD-HS-003': {
    duplicate: "配置项 '{{key}}' 定义了不止一次；Synapse 只采用最后一处且不会给出任何提示，前面那段配置不会生效。",
  },
  'MXD-HS-004': {
    notMap: '该文件为空，或者不是键值映射（解析结果：{{found}}）；Synapse 会忽略它（日志："doesn\'t parse into a key-value map. IGNORING."）。',
  },
  'MXD-HS-005': {
    missing: '缺少 server_name；Synapse 拒绝启动（"Missing mandatory `server_name` config option."）。',
    invalid: "server_name '{{value}}' 不是有效的服务器名（格式应为 hostname[:port]，不能带 https:// 之类的协议头或路径）；Synapse 拒绝启动。",
    mismatch: "server_name 为 '{{value}}'，但传给 matrixdoc 的服务器名是 '{{expected}}'。",
  },
  'MXD-HS-006': {
    missing: '缺少 report_stats；虽然文档称其默认值为 false，但只要没有显式设为 true 或 false，Synapse 就会拒绝启动。',
  },
  'MXD-HS-007': {
    deprecated: "'{{key}}' 自 Synapse {{since}} 起已弃用，请改用 {{replacement}}。若新旧配置项同时存在：{{whenBoth}}。",
    ignored: "'{{key}}' 不起作用：配置中同时存在 {{ignoredWhen}}，Synapse 会忽略这个旧配置项。请把它的值移到 {{replacement}} 中，或删除这一行。",
  },
  'MXD-HS-008': {
    wrongType: '{{key}} 应为 {{expected}}，实际为 {{found}}；后果：{{consequence}}。',
    quotedBool: "{{key}} 是带引号的字符串 '{{value}}'，而不是布尔值；后果：{{consequence}}。",
    notOneOf: '{{key}} 的值为 {{found}}；Synapse 只接受以下取值：{{allowed}}。',
  },
  'MXD-HS-009': {
    fatal: '\'{{key}}\' 已在 Synapse {{since}} 中移除，现在会导致 Synapse 无法启动，报错："{{effect}}"',
    ignored: "'{{key}}' 已在 Synapse {{since}} 中移除，会被静默忽略（{{effect}}）。",
  },
  'MXD-HS-010': {
    scheme: 'public_baseurl \'{{value}}\' 必须以 https://（或 http://）开头；Synapse 拒绝启动（"Invalid scheme"）。',
    query: "public_baseurl '{{value}}' 带有查询参数或 # 片段；Synapse 拒绝启动。",
    invalid: "public_baseurl '{{value}}' 不是合法的 URL；Synapse 拒绝启动。",
    path: "public_baseurl '{{value}}' 中包含 /_matrix；它应当是客户端填写的基础 URL，不能带任何 API 路径。",
  },
  'MXD-HS-011': {
    misindented: "'{{key}}' 位于顶层，但它应当缩进到 {{section}} 之下；缩进错误的行会被 Synapse 静默忽略。",
  },

  // element-config: Element Web config.json
  'MXD-EL-001': {
    syntax: 'config.json 不是合法的 JSON：{{detail}}；Element 会显示 "Your Element configuration contains invalid JSON" 并且无法启动。',
    notObject: 'config.json 的顶层必须是一个 JSON 对象；否则 Element 无法使用它。',
  },
  'MXD-EL-002': {
    none: 'config.json 没有指定任何主服务器（default_server_config、default_server_name 或 default_hs_url）；Element 会显示 "Invalid configuration: no default server specified."',
  },
  'MXD-EL-003': {
    conflict:
      'default_hs_url 不能与 {{other}} 同时使用；Element 拒绝启动（"Invalid configuration: a default_hs_url can\'t be specified along with default_server_name or default_server_config"）。',
  },
  'MXD-EL-004': {
    missing: 'default_server_config 中没有 m.homeserver.base_url；Element 会报错 "Invalid homeserver discovery response"。',
    invalid: 'base_url \'{{value}}\' 不是完整的 http(s) 绝对 URL；Element 会报错 "Invalid base_url for m.homeserver"。',
  },
  'MXD-EL-005': {
    mismatch:
      "Element 的 m.homeserver.server_name 是 '{{element}}'，但 {{otherSource}} 给出的是 '{{other}}'；用户会看到错误的服务器名，登录时显示的用户 ID 也不对。",
  },
  'MXD-EL-006': {
    mismatch:
      'Element 的 base_url 是 {{element}}，但 Synapse 的 public_baseurl 是 {{publicBaseurl}}；登录后 Synapse 会通过登录响应中的 well_known 让 Element 改用 {{publicBaseurl}}，这正是 "Syncing forever"（一直卡在同步）的典型原因。',
  },
  'MXD-EL-007': {
    mismatch:
      'Element 的 base_url 是 {{element}}，但 https://{{host}}/.well-known/matrix/client（由 nginx 提供，{{where}}）给出的是 {{wellKnown}}；其他客户端以及用用户 ID 登录时，连接的 URL 会与 Element 不同。',
    invalidJson: 'nginx 为 https://{{host}}/.well-known/matrix/client（{{where}}）返回的响应体不是合法的 JSON：{{detail}}。',
  },
  'MXD-EL-008': {
    mismatch:
      "Element 的 jitsi.preferred_domain 是 '{{element}}'，但 Jitsi 的 PUBLIC_URL 主机名是 '{{jitsi}}'；Element 发起的视频通话会打开另一台 Jitsi 服务器。",
  },
  'MXD-EL-009': {
    shadowed: "'{{camel}}' 被忽略，因为同时设置了 '{{snake}}'：Element 读取 snake_case 写法的配置项，且不会合并两者，因此 {{lost}} 不会生效。",
    camel: "'{{camel}}' 是旧的 camelCase 写法；Element 会优先读取 '{{snake}}'，并且今后将不再支持 camelCase 配置项。请改名。",
    camelDefault: "'{{camel}}' 永远不会被读取：Element 内置的 '{{snake}}' 默认值总是优先于 camelCase 写法。请将其改名为 '{{snake}}'。",
    removed: "Element 已不再读取 '{{key}}'（{{why}}）。",
    deprecatedServer: '\'{{key}}\' 已弃用；Element 会给出警告 "DEPRECATED CONFIG OPTION"。请改用 default_server_config。',
  },
  'MXD-EL-010': {
    duplicate: "'{{key}}' 出现了两次；浏览器只保留最后一个，前一个不起作用。",
  },
  'MXD-EL-011': {
    unreachable: 'Element 在登录前会请求 {{url}}，但请求失败（{{reason}}）；用户会看到 "Cannot reach homeserver"。',
    notMatrix:
      'Element 在登录前会请求 {{url}}，得到 HTTP {{status}}，响应中却没有 versions 列表；Element 会提示 "Homeserver URL does not appear to be a valid Matrix homeserver"。',
  },
  'MXD-EL-012': {
    unknown:
      "{{key}} '{{value}}' 不是 Element 支持的语言（语言代码均为小写并用连字符分隔，例如 '{{suggestion}}'）；Element 会静默回退到英语，并在每个浏览器中记住这一选择。",
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
  },
  'MXD-FED-003': {
    deprecated: '只有已弃用的 SRV 记录 {{name}}（没有 {{fedName}}）；其他服务器目前仍会使用它，但它自 Matrix 1.8 起已弃用，今后可能不再被查询。',
  },
  'MXD-FED-004': {
    cname: 'SRV 记录 {{name}} 指向 {{target}}，而它是一个 CNAME（{{cname}} 的别名）；RFC 2782 要求 SRV 目标自身必须有 A/AAAA 记录，有些解析器不会跟随别名。',
  },
  'MXD-FED-005': {
    differs: 'https://{{host}}/.well-known/matrix/server 在不同地址上给出的答案不同：{{answers}}；其他服务器能否联邦取决于它们连到了哪个地址。',
  },
  'MXD-FED-006': {
    refused: '连接 {{address}} 的 {{port}} 端口（{{host}}）被拒绝：该端口上没有服务在监听，其他服务器无法访问本服务器。',
    timeout: '连接 {{address}} 的 {{port}} 端口（{{host}}）超时：很可能被防火墙丢弃，其他服务器无法访问本服务器。',
    unreachable: '{{address}} 的 {{port}} 端口（{{host}}）不可达（{{reason}}）：没有到该地址的路由。',
    handshake: '与 {{address}} 的 {{port}} 端口（{{host}}）进行 TLS 握手失败（{{reason}}）：该端口不支持 TLS（可能是明文 HTTP），或没有 {{name}} 的证书。',
    other: '连接 {{address}} 的 {{port}} 端口（{{host}}）失败（{{reason}}）。',
  },
  'MXD-FED-007': {
    untrusted:
      '{{address}} 的 {{port}} 端口上的证书不受信任（{{reason}}，签发者 {{issuer}}）；其他服务器会拒绝它：联邦需要由公共 CA 签发并带完整证书链的证书，自签名证书无效。',
  },
  'MXD-FED-008': {
    wrongName: '{{address}} 的 {{port}} 端口上的证书对 {{name}} 无效（它覆盖的是 {{names}}）；规范在此处要求 {{name}}，原因是：{{why}}（第 {{step}} 步）。',
  },
  'MXD-FED-009': {
    expired: '{{address}} 的 {{port}} 端口上的证书（{{name}}）已于 {{validTo}} 过期；其他服务器会拒绝它。',
    notYetValid: '{{address}} 的 {{port}} 端口上的证书（{{name}}）在 {{validFrom}} 之前无效；其他服务器会拒绝它（或者本机时钟有误）。',
    expiringSoon: '{{address}} 的 {{port}} 端口上的证书（{{name}}）将于 {{validTo}} 过期，还剩 {{days}} 天；尚未完成续期。',
  },
  'MXD-FED-010': {
    oldProtocol: '{{address}} 的 {{port}} 端口协商使用了 {{protocol}}；TLS 1.0 和 1.1 已弃用（RFC 8996），许多服务器会拒绝它们。',
    onlyOld: '{{address}} 的 {{port}} 端口只提供早于 TLS 1.2 的协议（{{reason}}）；当前的服务器会拒绝连接。',
  },
  'MXD-FED-011': {
    failed: '{{address}} 上的 {{url}} 请求失败（{{reason}}）；其他服务器无法与本服务器通信。',
    status: '{{address}} 上的 {{url}} 返回 HTTP {{status}}，而不是服务器版本；联邦请求到达不了 Synapse。',
    notMatrix: '{{address}} 上的 {{url}} 返回 HTTP 200，但没有服务器版本（{{excerpt}}）；响应联邦请求的不是 Synapse。',
  },
  'MXD-FED-012': {
    failed: '{{address}} 上的 {{url}} 请求失败（{{reason}}）；其他服务器无法获取签名密钥，因此会拒绝本服务器的所有事件。',
    status: '{{address}} 上的 {{url}} 返回 HTTP {{status}}；其他服务器无法获取签名密钥，因此会拒绝本服务器的所有事件。',
    notJson: '{{address}} 上的 {{url}} 不是 JSON（{{detail}}）；其他服务器无法读取签名密钥。',
    shape: '{{address}} 上的 {{url}} 不是有效的密钥响应：{{problems}}。',
  },
  'MXD-FED-013': {
    mismatch:
      "{{address}} 上的 {{url}} 声明 server_name 为 '{{got}}'，而不是 '{{expected}}'；该地址属于另一台主服务器，其他服务器会拒绝用它的密钥代表 {{expected}}。",
  },
  'MXD-FED-014': {
    expired: '{{address}} 上的密钥响应的 valid_until_ts 为 {{validUntil}}，已经过去；其他服务器不会再为新事件接受这些密钥。',
    soon: '{{address}} 上的密钥响应只在 {{validUntil}} 之前有效（{{minutes}} 分钟）；规范要求服务器不要发布一小时内就过期的密钥。',
  },
  'MXD-FED-015': {
    none: '{{address}} 上的密钥响应在 verify_keys 中没有 ed25519 密钥（{{keys}}）；其他服务器无法验证本服务器签名的任何内容。',
  },
  'MXD-FED-016': {
    missing: "{{address}} 上的密钥响应没有用其密钥 {{keyId}} 签名（缺少 signatures['{{serverName}}']['{{keyId}}']）；其他服务器会丢弃它。",
    invalid: '{{address}} 上的密钥响应中 {{keyId}} 的签名无效（{{reason}}：{{detail}}）；其他服务器会丢弃它。',
  },

  // reverse-proxy: nginx in front of Synapse
  'MXD-RP-001': {
    uri: 'proxy_pass {{value}} 在地址之后带有路径（{{uri}}）；nginx 会先改写并规范化请求 URI（解码 %xx 转义）再交给 Synapse，导致联邦请求的签名校验失败。Synapse 文档明确要求：端口之后不要加任何路径，哪怕只是一个 /。',
    regex:
      'proxy_pass {{value}} 位于正则表达式 location 中却带有路径（{{uri}}）；nginx 会拒绝整个配置（"proxy_pass" cannot have URI part in location given by regular expression），而且 Synapse 本来就不需要端口后的路径。',
  },
  'MXD-RP-002': {
    smaller:
      '{{host}} 上传文件（{{path}}）适用的 client_max_body_size 为 {{nginxSize}}，小于 Synapse 的 max_upload_size {{synapseSize}}；更大的文件会在到达 Synapse 之前被 nginx 以 413 Request Entity Too Large 拒绝。',
    nginxDefault:
      '{{host}} 上传文件（{{path}}）时没有任何 client_max_body_size 生效，因此使用 nginx 默认的 1m，远小于 Synapse 的 max_upload_size {{synapseSize}}；超过 1 MB 的文件都会失败，返回 413 Request Entity Too Large。',
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
  },
  'MXD-RP-004': {
    appended:
      'X-Forwarded-For 被设置为 $proxy_add_x_forwarded_for，它会保留客户端自己发送的 X-Forwarded-For 头并在末尾追加其地址；目前还没有监听器信任它，但一旦 Synapse 设置了 x_forwarded: true（修复共享限流桶的办法），它就会采用最左边的值，任何客户端都能自行决定 Synapse 记录的 IP 地址，并绕过按 IP 的限流。',
  },
  'MXD-RP-005': {
    matrix: '在 {{host}} 的 server 块中，{{paths}} 没有被转发给 Synapse；Matrix 客户端的这些请求都会出错。',
    synapseClient:
      '在 {{host}} 的 server 块中，/_synapse/client 没有被转发给 Synapse；Synapse 在该路径下提供的页面（单点登录、重置密码和邮件验证链接）都会失败。',
    noProxy: '没有任何 nginx server 块把 /_matrix 转发到 Synapse 的 HTTP 监听器（{{listeners}}）；通过这个 nginx 无法访问 Synapse。',
    wrongTarget: 'Matrix 流量被转发到 {{target}}，但 homeserver.yaml 中 Synapse 的 HTTP 监听器是 {{listeners}}；nginx 会返回 502 Bad Gateway。',
  },
  'MXD-RP-006': {
    port8448:
      '其他服务器会连接 {{host}}:8448 来访问 {{serverName}}（没有 /.well-known/matrix/server 委托到别处），但没有任何 nginx server 块监听 8448 并把 /_matrix/federation 转发给 Synapse；与 {{serverName}} 的联邦通信会失败。',
    explicitPort:
      'server_name {{serverName}} 指定了端口 {{port}}，因此其他服务器会连接 {{host}}:{{port}}，但没有任何监听 {{port}} 的 nginx server 块把 /_matrix/federation 转发给 Synapse；联邦通信会失败。',
    delegated:
      'https://{{serverName}}/.well-known/matrix/server让其他服务器连接 {{target}}，但没有任何监听端口 {{port}}、对应 {{host}} 的 nginx server 块把 /_matrix/federation 转发给 Synapse；与 {{serverName}} 的联邦通信会失败。',
  },
  'MXD-RP-007': {
    server:
      '{{serverName}} 的 server 块没有响应 /.well-known/matrix/server，{{serverName}}:8448 上也没有提供联邦服务；其他服务器找不到位于 {{matrixHost}} 的 Synapse（除非有 SRV 记录指向它），联邦通信会失败。',
    client: '{{serverName}} 的 server 块没有响应 /.well-known/matrix/client；以 @user:{{serverName}} 登录的客户端无法发现位于 {{baseUrl}} 的主服务器。',
    synapseDisabled: '{{serverName}} 上的 /.well-known/matrix/{{kind}} 被转发给 Synapse，但由于没有设置 {{setting}}，Synapse 会返回 404。',
    noServerBlock:
      '没有任何 nginx server 块在 443 端口上使用 server_name {{serverName}}；它的 /.well-known/matrix/server 和 /.well-known/matrix/client（委托到 {{matrixHost}}）必须由响应 https://{{serverName}}/ 的服务提供，离线检查无法看到这一部分。',
  },
  'MXD-RP-008': {
    exposed:
      '在 {{host}} 上，/_synapse/admin 被转发给 Synapse，nginx 中既没有 allow/deny 也没有任何认证；Synapse 文档不建议在没有充分理由的情况下把管理 API 暴露到互联网上。',
  },

  // well-known: the server name's .well-known/matrix files, live
  'MXD-WK-001': {
    server:
      'https://{{host}}/.well-known/matrix/server 返回 404：其他服务器无法得知 {{serverName}} 把联邦委托给了别的主机；联邦会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    client:
      'https://{{host}}/.well-known/matrix/client 返回 404：客户端无法从 @alice:{{serverName}} 这样的用户 ID 找到主服务器，用户只能手动输入主服务器 URL（配置了 default_server_config 的 Element 不受影响）。',
  },
  'MXD-WK-002': {
    serverStatus:
      'https://{{host}}/.well-known/matrix/server 返回 HTTP {{status}}：除 200 以外的任何响应 Synapse 都视为无效，联邦会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    clientStatus:
      'https://{{host}}/.well-known/matrix/client 返回 HTTP {{status}}：客户端会以错误结束服务发现（Element 显示 "Failed to get autodiscovery configuration from server"）。',
    serverNetwork: '无法获取 https://{{host}}/.well-known/matrix/server（{{reason}}）：联邦会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    clientNetwork: '无法获取 https://{{host}}/.well-known/matrix/client（{{reason}}）：客户端无法发现 @alice:{{serverName}} 的主服务器。',
  },
  'MXD-WK-003': {
    server: 'https://{{host}}/.well-known/matrix/server 不是 JSON（{{detail}}）：Synapse 会忽略它，联邦会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    client: 'https://{{host}}/.well-known/matrix/client 不是 JSON（{{detail}}）：客户端会中止服务发现（"Invalid JSON"）。',
  },
  'MXD-WK-004': {
    notObject: 'https://{{host}}/.well-known/matrix/{{file}} 是 JSON，但不是对象（{{found}}）；它必须是一个 JSON 对象。',
    noServer: 'https://{{host}}/.well-known/matrix/server 中没有 m.server：Synapse 会忽略该文件，联邦会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    noHomeserver:
      'https://{{host}}/.well-known/matrix/client 中没有字符串类型的 m.homeserver.base_url：客户端会拒绝它（"Invalid homeserver discovery response"）。',
    identityNoBaseUrl:
      'https://{{host}}/.well-known/matrix/client 中有 m.identity_server，但没有字符串类型的 base_url：客户端会拒绝整个文件（"Invalid identity server discovery response"）。',
  },
  'MXD-WK-005': {
    invalid:
      'https://{{host}}/.well-known/matrix/server 中的 m.server {{value}} 不是 hostname[:port] 格式：Synapse 会忽略该文件，联邦会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    scheme: "m.server '{{value}}' 是一个 URL；它必须是不带协议头和路径的 hostname[:port]，例如 '{{suggestion}}'。",
  },
  'MXD-WK-006': {
    invalid:
      'https://{{host}}/.well-known/matrix/client 中的 m.homeserver.base_url \'{{value}}\' 不是完整的 http(s) 绝对 URL：客户端会拒绝它（"Invalid base_url for m.homeserver"）。',
    identityInvalid: 'm.identity_server.base_url \'{{value}}\' 不是完整的 http(s) 绝对 URL：客户端会拒绝该文件（"Invalid base_url for m.identity_server"）。',
  },
  'MXD-WK-007': {
    server:
      'https://{{host}}/.well-known/matrix/server 的类型是 {{contentType}}，而不是 application/json；规范要求服务器无论类型如何都按 JSON 解析，但中间的工具和缓存未必如此。',
    client:
      'https://{{host}}/.well-known/matrix/client 的类型是 {{contentType}}，而不是规范要求的 application/json；Element 不管类型都会读取内容，但更严格的客户端可能拒绝它。',
  },
  'MXD-WK-008': {
    missing:
      'https://{{host}}/.well-known/matrix/client 没有 Access-Control-Allow-Origin 响应头：浏览器不允许 Element 或其他网页客户端读取它，因此在网页上以 @alice:{{serverName}} 登录会失败。',
    other: "https://{{host}}/.well-known/matrix/client 只允许来源 '{{value}}'：其他来源（例如 {{origin}}）上的网页客户端无法读取它；规范要求使用 '*'。",
  },
  'MXD-WK-009': {
    loop: 'https://{{host}}/.well-known/matrix/{{file}} 陷入重定向循环（{{chain}}）；谁都无法读取它。',
    tooMany: 'https://{{host}}/.well-known/matrix/{{file}} 重定向超过 {{max}} 次（{{chain}}）；谁都无法读取它。',
    toHttp: 'https://{{host}}/.well-known/matrix/{{file}} 重定向到了明文 http（{{target}}）：well-known 文件必须通过 https 提供，浏览器也会阻止这种降级。',
    clientRedirect:
      'https://{{host}}/.well-known/matrix/client 重定向到 {{target}}：Matrix v1.20 之前编写的客户端不会跟随重定向，浏览器还要求每一跳都带 CORS 头。请直接提供该文件。',
    serverOtherHost:
      'https://{{host}}/.well-known/matrix/server 重定向到 {{target}}；Synapse 会跟随重定向（规范也要求服务器这样做），所以能用，但直接提供该文件更简单。',
  },
  'MXD-WK-010': {
    server:
      'https://{{host}}/.well-known/matrix/server 超过 50 KiB（Synapse 的上限）：Synapse 会因文件过大而拒绝它，联邦会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    client: 'https://{{host}}/.well-known/matrix/client 超过 50 KiB：每个客户端在登录前都要下载它；请只保留客户端需要的键。',
  },
  'MXD-WK-011': {
    unreachable: 'm.server 把联邦委托给 {{target}}，但无法访问 {{url}}（{{reason}}）：其他服务器无法连接到 {{serverName}}。',
    notFederation: 'm.server 把联邦委托给 {{target}}，但 {{url}} 返回 HTTP {{status}} 且没有服务器版本信息：那里没有提供联邦 API 的服务。',
    tls: 'm.server 把联邦委托给 {{target}}，但其证书对 {{name}} 无效（{{reason}}）：其他服务器会拒绝连接。',
  },
  'MXD-WK-012': {
    unreachable:
      '客户端 well-known 把客户端指向 {{baseUrl}}，但无法访问 {{url}}（{{reason}}）；客户端会报错 "Homeserver URL does not appear to be a valid Matrix homeserver"。',
    notMatrix:
      '客户端 well-known 把客户端指向 {{baseUrl}}，但 {{url}} 返回 HTTP {{status}} 且没有 versions 列表；客户端会报错 "Homeserver URL does not appear to be a valid Matrix homeserver"。',
  },
  'MXD-WK-013': {
    present: 'https://{{host}}/.well-known/matrix/support 列出了 {{contacts}} 个联系人（支持页面：{{supportPage}}）。',
    invalid: 'https://{{host}}/.well-known/matrix/support 不是有效的支持信息文件（{{detail}}）；客户端会忽略它。',
  },
  'MXD-WK-014': {
    invalid: '{{host}} 为 https://{{host}}/.well-known/matrix/{{file}} 提供的证书无效（{{reason}}）：其他服务器和浏览器都会拒绝读取该文件。',
  },

  // public-baseurl: Synapse's public_baseurl ("Syncing forever")
  'MXD-PB-001': {
    unreachable:
      'public_baseurl 为 {{publicBaseurl}}，但无法访问 {{url}}（{{reason}}）。Synapse 会在登录后立即让每个客户端改用 public_baseurl（登录响应中的 well_known），因此用户会一直卡在 "Syncing forever…" / "If you\'ve joined lots of rooms, this might take a while"。',
    notMatrix:
      'public_baseurl 为 {{publicBaseurl}}，但 {{url}} 返回 HTTP {{status}} 且没有 versions 列表：那不是 Synapse 的客户端 API。Synapse 会在登录后立即让每个客户端改用该地址，因此用户会一直卡在 "Syncing forever…" / "If you\'ve joined lots of rooms, this might take a while"。',
    otherServer:
      'public_baseurl {{publicBaseurl}} 与客户端 well-known 中的 {{wellKnown}} 指向不同的主服务器（{{difference}}）：客户端发现的是其中一个，登录后却被转到另一个。',
  },
  'MXD-PB-002': {
    http: 'public_baseurl {{publicBaseurl}} 使用明文 http：登录、SSO 重定向和邮件链接都会以未加密方式传输；请使用反向代理的 https URL。',
    mixedContent:
      'public_baseurl {{publicBaseurl}} 使用明文 http，而客户端使用的是 {{clientUrl}}：登录后 Synapse 会让 Element 改用 http URL，浏览器会将其作为混合内容拦截，用户会一直卡在 "Syncing forever…"。',
  },
  'MXD-PB-003': {
    live: 'public_baseurl 为 {{publicBaseurl}}，但 https://{{host}}/.well-known/matrix/client 给出的是 {{wellKnown}}：客户端先发现 {{wellKnown}}，登录后又被登录响应中的 well_known 转到 {{publicBaseurl}}。',
    nginx:
      'public_baseurl 为 {{publicBaseurl}}，但 nginx 为 {{host}} 提供的客户端 well-known（{{where}}）给出的是 {{wellKnown}}：客户端先发现 {{wellKnown}}，登录后又被登录响应中的 well_known 转到 {{publicBaseurl}}。',
  },
  'MXD-PB-004': {
    unset:
      '未设置 public_baseurl：Synapse 会在 SSO 重定向和邮件链接中使用 {{assumed}}，并且既不提供客户端 well-known，也不在登录响应中返回 well_known（客户端会继续使用登录时的 URL）。',
    unsetElsewhere:
      '未设置 public_baseurl，因此 Synapse 假定为 {{assumed}}，但客户端 API 实际位于 {{clientUrl}}：SSO 重定向、邮件链接和备用登录页面都会指向错误的主机。',
  },
  'MXD-PB-005': {
    internal:
      'public_baseurl {{publicBaseurl}} 指向 {{host}}，只有本机或其所在网络才能访问：登录后每个客户端都会被转到那里，用户会一直卡在 "Syncing forever…"。',
    notProxied:
      'public_baseurl {{publicBaseurl}} 指向 {{host}}，但给出的 nginx 配置中没有任何 server 块服务于该域名：用户在那里可能什么也访问不到，或者访问到别的网站。',
  },
  'MXD-PB-006': {
    publicBaseurl: '{{url}} 的响应没有 Access-Control-Allow-Origin 头：浏览器中的 Element 无法读取它，而登录后 Element 会被转到 public_baseurl。',
    login: '{{url}}（来自登录响应中的 well_known）的响应没有 Access-Control-Allow-Origin 头：登录后浏览器中的 Element 无法读取它。',
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
  },

  // rate-limits: Synapse's rate limits ("I can't log in: M_LIMIT_EXCEEDED")
  'MXD-RL-001': {
    missing:
      'nginx 把 {{location}} 转发给 Synapse（{{proxyPass}}，{{nginxAt}}），但 {{listener}} 上的监听器没有 x_forwarded: true：Synapse 把每个客户端都看成代理的地址，所有用户共用同一个 rc_login.address 桶（{{burst}} 次登录，之后每 ~{{seconds}} 秒一次），会一起收到 M_LIMIT_EXCEEDED。调高速率限制解决不了这个问题。',
    disabled:
      'nginx 把 {{location}} 转发给 Synapse（{{proxyPass}}，{{nginxAt}}），但 {{listener}} 上的监听器设置了 x_forwarded: false：Synapse 把每个客户端都看成代理的地址，所有用户共用同一个 rc_login.address 桶（{{burst}} 次登录，之后每 ~{{seconds}} 秒一次），会一起收到 M_LIMIT_EXCEEDED。调高速率限制解决不了这个问题。',
    likelyProxied:
      '{{listener}} 上的监听器为客户端提供服务，但只绑定回环地址，且没有 x_forwarded: true：如果本机的反向代理转发到它，Synapse 会把每个客户端都看成代理的地址，所有用户共用同一个 rc_login.address 桶（{{burst}} 次登录，之后每 ~{{seconds}} 秒一次）。请把代理的配置交给 matrixdoc（--nginx-config）以便确认。',
  },
  'MXD-RL-002': {
    proxyAdd:
      '{{listener}} 上的监听器设置了 x_forwarded: true，而 nginx 在 {{location}}（{{nginxAt}}）把 X-Forwarded-For 设为 {{value}}：客户端自己发送的 X-Forwarded-For 留在最左边，Synapse 恰好从那里读取地址，因此任何客户端都能自选 rc_login.address 和 rc_registration 计数所用的地址——从而绕过这些限制，或者把别人锁在外面。',
    passThrough:
      '{{listener}} 上的监听器设置了 x_forwarded: true，但 nginx 在 {{location}}（{{nginxAt}}）没有设置 X-Forwarded-For：客户端自己的该请求头会原样传给 Synapse 并被信任；不发送该请求头的客户端则全都显示为代理的地址。',
    directPublic:
      '{{listener}} 上的监听器设置了 x_forwarded: true，并绑定在 {{binds}}：任何绕过代理、直接访问它的人都可以发送任意 X-Forwarded-For，自选 Synapse 看到的地址。',
    confirmed:
      '--probe-login：收到 429 之后，一次带有伪造 X-Forwarded-For（{{forwardedFor}}）的登录被放行，返回 HTTP {{status}}：主服务器从客户端可控的请求头中获取客户端地址（{{url}}）。',
  },
  'MXD-RL-003': {
    tooHigh:
      '{{limiter}} 为 per_second {{perSecond}}、burst_count {{burstCount}}：是 Synapse 默认值（{{defaultPerSecond}}，{{defaultBurst}}）的 {{factor}} 倍，因此已不再限制{{limits}}。',
    tooHighLegacy:
      'rc_messages_per_second / rc_message_burst_count 使消息限速器变为 per_second {{perSecond}}、burst_count {{burstCount}}：是 Synapse 默认值（{{defaultPerSecond}}，{{defaultBurst}}）的 {{factor}} 倍，一个账号或一个被盗的访问令牌就能不受限制地刷屏。这两个配置项从来不限制登录。',
  },
  'MXD-RL-004': {
    legacyActive:
      '{{keys}}：这是 rc_message 的旧写法（per_second {{perSecond}}，burst_count {{burstCount}}），因为没有 rc_message 块才被读取。它们只限制每个用户发送消息的速度：登录由 rc_login 限制，注册由 rc_registration 限制，加入房间由 rc_joins 限制。',
    legacyIgnored:
      '{{keys}}：不起作用，因为已设置 rc_message（Synapse 使用其中的 per_second {{perSecond}}、burst_count {{burstCount}}）。即使在生效时，它们也只限制消息，从不限制登录（rc_login）。',
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
    notForLogin: '{{user}} 有速率限制覆盖设置，但覆盖设置从不解除 rc_login.address 或 rc_registration：只要 {{cause}}，该用户就会和其他所有人一起无法登录。',
  },
  'MXD-RL-007': {
    unauthorized: '无法读取 {{user}} 的覆盖设置：管理 API 返回 HTTP {{status}} {{errcode}}；--admin-token 必须是服务器管理员的访问令牌。',
    notFound: '此主服务器上不存在 {{user}}（管理 API：HTTP 404），因此没有覆盖设置。',
    notLocal: '{{user}} 不是此主服务器的用户（管理 API：HTTP 400）；覆盖设置只针对本地用户。',
    failed: '无法读取 {{user}} 的覆盖设置：{{reason}}。',
  },
  'MXD-RL-008': {
    sharedBucket:
      '--probe-login：本机只用掉了 rc_login.address 为每个地址允许的 {{burst}} 次登录中的 {{accepted}} 次，主服务器就以 429 M_LIMIT_EXCEEDED 拒绝了第 {{attempt}} 次登录（{{retryAfter}} 秒后重试）：其他客户端的登录也计入同一个桶，正如 Synapse 把每个客户端都看成代理地址时的情形（{{url}}）。',
  },
  'MXD-RL-009': {
    limited:
      '--probe-login：{{accepted}} 次失败登录（每次使用不同的、不存在的账号）得到正常响应，之后返回 429 M_LIMIT_EXCEEDED（{{retryAfter}} 秒后重试）：这是 Synapse 为本机看到的地址所用的 rc_login.address 桶，与配置一致（burst_count {{burst}}）（{{url}}）。',
    withinBurst: '--probe-login：{{attempts}} 次失败登录都没有收到 429，这在 rc_login.address 的 burst_count 为 {{burst}} 时属于预期（{{url}}）。',
    notLimited:
      '--probe-login：连续 {{attempts}} 次失败登录都没有收到 429，而 rc_login.address 每个地址只允许 {{burst}} 次：正在运行的主服务器并未按此 homeserver.yaml 限制登录（使用了另一个配置文件，或客户端地址每次请求都在变化）（{{url}}）。',
    unmeasured: '--probe-login 无法在 {{url}} 测得登录限制：{{reason}}。',
  },
  'MXD-RL-010': {
    proxyAddress:
      '{{file}} 中全部 {{count}} 次速率限制拒绝（429）都记在 {{address}}（{{kind}}）名下，其中 {{logins}} 次是登录：Synapse 把每个客户端都看成代理的地址——这正是反向代理后面的监听器缺少 x_forwarded: true 的迹象。',
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
  },
  'MXD-DB-002': {
    unsafeLocaleInArgs:
      'allow_unsafe_locale 位于 {{section}}.args 之下，psycopg2 会把它原样交给 libpq，导致 Synapse 根本无法连接（invalid connection option "allow_unsafe_locale"）；Synapse 只在 {{section}} 下直接读取它。',
    bothKeys: "同时设置了 database 和 databases；Synapse 拒绝启动（\"Can't specify both 'database' and 'databases' in config\"）。",
    cpMinOverMax: 'cp_min（{{cpMin}}）大于 cp_max（{{cpMax}}）；Twisted 的连接池不接受这种设置，Synapse 无法启动（"minimum is greater than maximum"）。',
  },
  'MXD-DB-003': {
    socket:
      'Synapse 通过 {{socket}} 中的 Unix 套接字连接 PostgreSQL；matrixdoc 只通过 TCP 连接，因此没有运行在线数据库检查（版本、编码、排序规则、连接数限制、权限）。',
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
  },
  'MXD-DB-005': {
    password: 'PostgreSQL 拒绝了用户 {{user}} 的密码（SQLSTATE 28P01：{{detail}}）；Synapse 用这个密码同样无法连接。',
    hba: 'pg_hba.conf 中没有允许用户 {{user}} 从该地址访问数据库 {{dbname}} 的规则（SQLSTATE 28000：{{detail}}）。',
    noRole: '这台 PostgreSQL 服务器上不存在角色 {{user}}（SQLSTATE 28000：{{detail}}）。',
  },
  'MXD-DB-006': {
    missing: '{{target}} 上不存在数据库 {{dbname}}（SQLSTATE 3D000）；Synapse 无法启动。',
  },
  'MXD-DB-007': {
    tooOld: 'PostgreSQL {{version}} 低于 {{minimum}}；当前的 Synapse 拒绝启动（"Synapse requires PostgreSQL 14 or above."）。',
  },
  'MXD-DB-008': {
    encoding: '数据库 {{dbname}} 的编码为 {{encoding}} 而不是 UTF8；Synapse 拒绝启动（"Database has incorrect encoding"），且没有任何设置可以绕过。',
  },
  'MXD-DB-009': {
    locale:
      '数据库 {{dbname}} 的 LC_COLLATE 为 {{collate}}、LC_CTYPE 为 {{ctype}}；Synapse 要求两者都必须正好是 C（C.UTF-8 不等于 C），否则拒绝启动（"Should be \'C\'"）。',
    unsafeAllowed:
      '数据库 {{dbname}} 的 LC_COLLATE 为 {{collate}}、LC_CTYPE 为 {{ctype}}，不是 C；Synapse 之所以能启动，只是因为 allow_unsafe_locale 为 true，而操作系统的区域设置更新可能会损坏它的索引。',
    icu: '数据库 {{dbname}} 使用 ICU 区域设置提供程序（{{providerLocale}}）；Synapse 只检查 LC_COLLATE 和 LC_CTYPE，但文本按 ICU 规则排序，而这些规则会随 ICU 版本变化。',
  },
  'MXD-DB-010': {
    overLimit:
      'cp_max 为 {{cpMax}}，但 PostgreSQL 只允许普通角色打开 {{available}} 个连接（max_connections {{maxConnections}} 减去保留的 {{reserved}} 个）；负载高时 Synapse 会收到 "sorry, too many clients already"。每个 Synapse 进程（主进程和每个 worker）最多都会打开 cp_max 个连接。',
    crowded:
      'cp_max 为 {{cpMax}}，但 PostgreSQL 允许的 {{available}} 个连接中只有 {{room}} 个空闲：其他角色当前占用了 {{others}} 个。每个 Synapse 进程（主进程和每个 worker）最多都会打开 cp_max 个连接。',
    roleLimit: 'cp_max 为 {{cpMax}}，但角色 {{user}} 最多只能打开 {{limit}} 个连接（它的 CONNECTION LIMIT）。',
    dbLimit: 'cp_max 为 {{cpMax}}，但数据库 {{dbname}} 最多只接受 {{limit}} 个连接（它的 CONNECTION LIMIT）。',
    full: 'PostgreSQL 的连接已全部占满，因而拒绝了登录（SQLSTATE 53300：{{detail}}）；Synapse 也会得到同样的答复。',
  },
  'MXD-DB-011': {
    connect: '用户 {{user}} 不能连接数据库 {{dbname}}（没有 CONNECT 权限）。',
    noPublicSchema: '数据库 {{dbname}} 中没有 public 模式，而 Synapse 要在其中创建它的表。',
    schemaUsage: '用户 {{user}} 对 {{dbname}} 的 public 模式没有 USAGE 权限，因此 Synapse 看不到它的表。',
    schemaCreate: '用户 {{user}} 不能在 {{dbname}} 的 public 模式中建表，因此 Synapse 无法创建或升级它的数据库结构。',
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
    invalidValue: '{{key}} 应为 {{expected}}；该模块无法使用当前的值。',
    passwordFile: '在这里无法读取 bind_password_file {{file}}（{{reason}}）；如果 Synapse 也读不到，它将无法启动。',
  },
  'MXD-LDAP-002': {
    enabledFalse: 'enabled 为 false，但该模块会忽略它：只要列在 {{form}} 中，LDAP 登录就是启用的。要关闭它，请删除整个条目。',
    enabledTrue: 'enabled: true 没有任何作用：该模块从不读取它；把模块列在 {{form}} 中才会启用 LDAP 登录。',
  },
  'MXD-LDAP-003': {
    simpleAd:
      '没有 bind_dn 时该模块处于 simple 模式，会以 {{uid}}=<login>,{{base}} 绑定；Active Directory 用 CN 命名条目，因此使用 {{uid}} 时这个 DN 永远不存在，所有登录都会失败。',
    anonymousSearch: 'mode 为 search 但没有 bind_dn，因此该模块会匿名搜索；Active Directory 和大多数目录都会拒绝匿名搜索或对其隐藏条目。',
  },
  'MXD-LDAP-004': {
    samSearch:
      'uid 为 sAMAccountName 且处于 search 模式：用户用账户名登录（例如 alice）。active_directory 用于 alice@domain 或 DOMAIN\\alice 这样的登录名，并且要求 uid: userPrincipalName。',
    upnWithoutAd:
      'uid 为 userPrincipalName 但未启用 active_directory：用户必须输入完整的 UPN（alice@example.com）。设置 active_directory: true 和 default_domain 后，用户只需输入名字。',
    adWrongUid: '启用了 active_directory，因此该模块会在 {{uid}} 中搜索 login@domain；只有 userPrincipalName 才会匹配，使用 {{uid}} 时找不到任何登录。',
  },
  'MXD-LDAP-005': {
    cleartext: '{{uri}} 是未启用 start_tls 的明文 LDAP：该模块发送的每个密码（登录用户的密码以及 bind_password）都以未加密的形式穿过网络。',
    noVerify: '该模块不验证 LDAP 服务器的证书（{{why}}）：通信路径上的任何人都可以冒充服务器并收集密码。',
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
  },
  'MXD-LDAP-007': {
    untrusted: '{{target}} 的证书不受信任（{{detail}}）；该模块会验证证书，因此所有登录都会失败。',
    name: '{{target}} 的证书对 {{host}} 无效（{{detail}}）；该模块会检查 URI 中的主机名。',
    expired: '{{target}} 的证书已过期或尚未生效（{{detail}}）。',
    handshake: '与 {{target}} 的 TLS 握手失败：{{detail}}。',
    startTls: '{{target}} 拒绝了 StartTLS（{{detail}}），但配置了 start_tls：该模块无法让任何人登录。',
  },
  'MXD-LDAP-008': {
    invalidCredentials: 'LDAP 服务器拒绝了 bind_dn {{dn}} 及其密码（结果码 49，invalid credentials）：该 DN 不存在或密码错误。没有人能够登录。',
    refused: 'LDAP 服务器拒绝以 {{dn}} 绑定（结果码 {{resultCode}}：{{detail}}）。没有人能够登录。',
  },
  'MXD-LDAP-009': {
    noSuchObject: '搜索基准 {{base}} 在 {{target}} 上不存在（结果码 32，no such object）{{contexts}}。没有人能够登录。',
  },
  'MXD-LDAP-010': {
    uidNone: '{{base}} 之下没有任何条目带有属性 {{uid}}（以 {{as}} 身份搜索了 {{filter}}），因此任何登录都无法匹配。',
    filterNone: '{{base}} 之下有条目带有 {{uid}}，但没有一个同时匹配过滤器 {{filter}}，因此任何登录都无法匹配。',
    filterInvalid: '该模块搜索时使用 {{filter}}，这不是合法的 LDAP 过滤器（{{detail}}）：所有登录都会失败。',
    searchFailed: '搜索 {{base}} 失败（结果码 {{resultCode}}：{{detail}}）。',
  },
  'MXD-LDAP-011': {
    missingMail: '抽样的 {{sampled}} 个用户中有 {{count}} 个没有 {{attribute}} 属性（例如 {{example}}）；他们在 Synapse 中不会有电子邮件地址。',
    missingName: '抽样的 {{sampled}} 个用户中有 {{count}} 个没有 {{attribute}} 属性（例如 {{example}}）；他们的显示名称会变成登录名。',
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
  },

  // turn: TURN (coturn)
  'MXD-TURN-001': {
    invalid: "turn_uris[{{index}}] '{{uri}}' 不是可用的 TURN URI：{{reason}}；客户端无法使用它。",
    stun: "turn_uris[{{index}}] '{{uri}}' 是 STUN URI：{{reason}}，因此位于严格 NAT 之后的客户端仍然无法接通通话。",
    dtls: "turn_uris[{{index}}] '{{uri}}'：{{reason}}；客户端会跳过它（请写成 turns:HOST:5349?transport=tcp）。",
  },
  'MXD-TURN-002': {
    none: '已设置 turn_uris，但既没有 turn_shared_secret，也没有同时设置 turn_username 和 turn_password；Synapse 对 /voip/turnServer 的回答是 {}，客户端拿不到任何 TURN 服务器。',
    bothSecrets:
      '同时设置了 turn_shared_secret 和 turn_shared_secret_path；Synapse 拒绝启动（"You have configured both `turn_shared_secret` and `turn_shared_secret_path`. These are mutually incompatible."）。',
    secretFile: 'turn_shared_secret_path 指向的 {{path}} 无法读取（{{error}}）；Synapse 无法以此配置启动。',
  },
  'MXD-TURN-003': {
    seconds:
      'turn_user_lifetime 为 {{value}}，Synapse 会把它当作 {{ms}} 毫秒（{{human}}）：不带单位的数字表示毫秒。TURN 凭据会在 Element 等客户端获取新凭据（每 10 分钟一次）之前过期，在此期间发起的通话拿不到中继。',
  },
  'MXD-TURN-004': {
    guests: 'turn_allow_guests 为 {{how}}：访客账号也能获取 TURN 凭据。',
  },
  'MXD-TURN-005': {
    resolve: '{{host}}（来自 {{uri}}）无法解析（{{error}}）；客户端无法连接到 TURN 服务器。',
  },
  'MXD-TURN-006': {
    timeout:
      '{{address}} 的 {{port}} 端口在 UDP 上没有任何应答（{{uri}}）：{{ms}} 毫秒内发送了 {{attempts}} 个 STUN 请求。可能是防火墙丢弃了数据包，或者 coturn 没有在该端口监听。',
    unreachable: '{{address}} 的 {{port}} 端口以 ICMP 端口不可达回应 UDP（{{uri}}）：没有程序在该 UDP 端口监听。',
  },
  'MXD-TURN-007': {
    refused: '{{address}} 的 {{port}} 端口拒绝 TCP 连接（{{uri}}）：该端口没有程序监听，或者被防火墙拒绝。',
    timeout: '{{address}} 的 {{port}} 端口在 {{ms}} 毫秒内没有接受 TCP 连接（{{uri}}）：可能被防火墙丢弃，或者主机已宕机。',
    noAnswer: '{{address}} 的 {{port}} 端口接受了连接，但没有返回 STUN 应答（{{uri}}）：{{error}}。',
    failed: '连接 {{address}} 的 {{port}} 端口失败（{{uri}}）：{{error}}。',
  },
  'MXD-TURN-008': {
    untrusted: '{{host}} 在 {{address}} 的 {{port}} 端口上的证书不受信任（{{uri}}）：{{detail}}。客户端会拒绝该 TLS 连接。',
    name: '{{address}} 的 {{port}} 端口上的证书对 {{host}} 无效（{{uri}}）：{{detail}}。',
    expired: '{{host}} 在 {{address}} 的 {{port}} 端口上的证书已于 {{validTo}} 过期（{{uri}}）。',
    handshake: '与 {{address}} 的 {{port}} 端口进行 TLS 握手失败（{{uri}}）：{{detail}}。',
  },
  'MXD-TURN-009': {
    secretMismatch:
      'homeserver.yaml 中的 turn_shared_secret 与 {{coturnFile}} 中的每一个 static-auth-secret 都不相同（比较时不显示两者）：coturn 会拒绝 Synapse 发放的所有凭据。',
    noUseAuthSecret: '{{coturnFile}} 中没有 use-auth-secret 这一行：coturn 不接受 Synapse 根据 turn_shared_secret 生成的限时凭据。',
    rejected:
      '{{address}} 的 {{port}} 端口拒绝了 Synapse 根据 turn_shared_secret 生成的凭据（{{uri}}：{{code}} {{reason}}）：它的 static-auth-secret 与 turn_shared_secret 不同，或者缺少 use-auth-secret。',
    staticRejected: "{{address}} 的 {{port}} 端口拒绝了 turn_username '{{username}}' 和 turn_password（{{uri}}：{{code}} {{reason}}）。",
    voipRejected: '/voip/turnServer 发放的凭据被 {{address}} 的 {{port}} 端口拒绝（{{uri}}：{{code}} {{reason}}）。',
  },
  'MXD-TURN-010': {
    mismatch:
      "{{address}} 的 {{port}} 端口宣告的 realm 是 '{{live}}'，但 {{coturnFile}} 中设置的是 realm={{configured}}：coturn 并没有使用该文件运行，因此 matrixdoc 从中读到的内容可能不适用。",
    inconsistent: '各 TURN 服务器宣告的 realm 不同（{{realms}}）；按 realm 存储的凭据（turn_username/turn_password）只在其中一部分服务器上有效。',
  },
  'MXD-TURN-011': {
    quota: '{{address}} 的 {{port}} 端口以 486 Allocation Quota Reached 拒绝分配（{{uri}}）：user-quota 或 total-quota 已用完。',
    capacity: '{{address}} 的 {{port}} 端口以 508 Insufficient Capacity 拒绝分配（{{uri}}）：min-port 与 max-port 之间没有空闲的中继端口。',
    refused: '{{address}} 的 {{port}} 端口拒绝分配（{{uri}}：{{code}} {{reason}}）。',
    noChallenge: '{{address}} 的 {{port}} 端口没有像 TURN 服务器那样以 401 质询（REALM 和 NONCE）回应 Allocate（{{uri}}：{{detail}}）；客户端无法完成认证。',
    integrity:
      '{{address}} 的 {{port}} 端口对带认证的 Allocate 的应答{{how}}（{{uri}}）：客户端会把这样的应答当作从未收到而丢弃（RFC 8489 §9.2.5），因此拿不到中继。',
  },
  'MXD-TURN-012': {
    open: 'coturn 允许向内部地址（{{peers}}）建立中继许可（经由 {{uris}}）：任何持有 TURN 凭据的人都能借它访问其所在网络中的服务，包括云元数据服务。',
    noAuth: '{{address}} 的 {{port}} 端口无需任何凭据即可分配中继（{{uri}}）：互联网上的任何人都能把它当作开放中继使用。',
    config: '{{coturnFile}} 允许中继访问内部地址（{{peers}}）。',
  },
  'MXD-TURN-013': {
    private:
      '经由 {{uri}} 分配的中继地址是 {{relayed}}，这是一个 {{kind}} 地址，而客户端是通过公网地址 {{address}} 访问该服务器的：远端客户端无法向它发送媒体数据。',
  },
  'MXD-TURN-014': {
    empty: '{{url}} 返回 {}：正在运行的主服务器没有配置 TURN，尽管 homeserver.yaml 中设置了 turn_uris。',
    uris: '{{url}} 发放的是 {{live}}，但 homeserver.yaml 中是 {{configured}}：Synapse 正在使用另一份配置运行。',
    request: '无法读取 {{url}}（{{detail}}），因此没有检查主服务器实际发放的内容。',
  },
  'MXD-TURN-015': {
    ok: '{{uri}}（{{address}}）：已分配中继 {{relayed}}（STUN 往返时间 {{rtt}} 毫秒），被拒绝的内部对端：{{refused}}。',
  },
  // jitsi-websocket: docker-jitsi-meet 的 .env、config.js 与 XMPP WebSocket
  'MXD-JWS-001': {
    unset:
      '未设置 PUBLIC_URL：docker-jitsi-meet 会把 wss://localhost:8443/xmpp-websocket 写入 config.js，于是每个浏览器都在自己的电脑上寻找 Jitsi，并显示 "You have been disconnected"。',
    notHttps:
      "PUBLIC_URL '{{value}}' 不是 https URL：docker-jitsi-meet 只会去掉 https:// 前缀，因此 config.js 中的 WebSocket 地址变成 {{websocket}}，任何浏览器都无法打开。",
    invalid: "PUBLIC_URL '{{value}}' 不是可用的 URL（{{detail}}）；config.js 中的 WebSocket 和 BOSH 地址将无法被浏览器打开。",
  },
  'MXD-JWS-002': {
    mismatch:
      'PUBLIC_URL {{publicUrl}} 让浏览器连接端口 {{publicPort}}，但 web 容器发布在 HTTPS_PORT {{httpsPort}} 上：config.js 把 XMPP WebSocket 指向端口 {{publicPort}}，那里没有 Jitsi 应答（"You have been disconnected"）。',
    mismatchDefault:
      'PUBLIC_URL {{publicUrl}} 让浏览器连接端口 {{publicPort}}，但未设置 HTTPS_PORT，因此 web 容器发布在 {{httpsPort}}（env.example 中的取值）：config.js 把 XMPP WebSocket 指向一个没有 Jitsi 应答的端口。',
  },
  'MXD-JWS-003': {
    nonStandardPort:
      'ENABLE_HTTP_REDIRECT 使 http://{{host}}:{{httpPort}}/ 重定向到 https://{{host}}/（nginx 的 $host 不含端口），但 Jitsi 监听的是 HTTPS_PORT {{httpsPort}}：输入 http 地址的用户会被带到 443 端口，那里没有 Jitsi 应答。',
    behindProxy:
      '在 DISABLE_HTTPS=1 的同时开启了 ENABLE_HTTP_REDIRECT：前面的反向代理把普通 HTTP 请求转给 web 容器，容器又把它重定向到 https://，浏览器因此陷入循环（"ERR_TOO_MANY_REDIRECTS"），无法加载 Jitsi。',
  },
  'MXD-JWS-004': {
    mucDomain:
      'config.js 让浏览器在 {{configMuc}} 加入会议室（因为开启了 ENABLE_SUBDOMAINS，取 XMPP_MUC_DOMAIN 的第一段再接上 XMPP_DOMAIN），但 prosody 在 XMPP_MUC_DOMAIN {{mucDomain}} 上提供会议室：没有人能加入会议。',
    invalidDomain: "{{name}} '{{value}}' 不是合法的域名；prosody、jicofo 和浏览器都无法使用它。",
  },
  'MXD-JWS-005': {
    required: '服务密码为空：{{names}}。prosody、jicofo 和 jvb 容器在启动时就会退出（"{{fatal}}"），因此根本没有 XMPP 服务器，也无法开会。',
    optional: '可选服务的密码为空：{{names}}。只有 Jigasi 和 Jibri（jigasi.yml、jibri.yml）需要它们；没有密码时这两个服务拒绝启动。',
  },
  'MXD-JWS-006': {
    colibriRemoved:
      'ENABLE_COLIBRI_WEBSOCKET={{value}} 不起作用：JITSI_IMAGE_VERSION {{release}} 已没有 colibri WebSocket（自 stable-11146 起移除）；bridge channel 总是使用 SCTP。',
    authOff: '设置了 {{names}}，但 ENABLE_AUTH 未开启：prosody 允许任何人匿名发起会议，并忽略这些设置。',
  },
  'MXD-JWS-007': {
    notBool:
      "{{name}}='{{value}}' 不是 docker-jitsi-meet 能识别的布尔值：它的模板使用 Go 的 strconv.ParseBool（1、t、true、0、f、false……），解析这个值会失败，容器的配置不会被写出。",
  },
  'MXD-JWS-008': {
    disabled: 'ENABLE_XMPP_WEBSOCKET 已关闭：浏览器通过 BOSH（/http-bind，长轮询）与 prosody 通信，速度更慢、连接更多；matrixdoc 不测试 WebSocket。',
  },
  'MXD-JWS-009': {
    unreachable: '浏览器首先加载 {{url}}，但请求失败（{{reason}}）：会议页面无法启动。',
    status: '浏览器首先加载 {{url}}，得到的是 HTTP {{status}}，而不是 Jitsi 的配置。',
    notJitsi: '{{url}} 返回 200，但不是 Jitsi Meet 的 config.js（没有 `var config` 或 `config.hosts`）：PUBLIC_URL 没有到达 Jitsi 的 web 容器。',
  },
  'MXD-JWS-010': {
    websocket:
      '{{url}} 处的 config.js 让浏览器在 {{websocket}} 打开 XMPP WebSocket，而不是在 PUBLIC_URL 的主机 {{publicHost}} 上：页面能加载，随后出现 "You have been disconnected"，第二位参会者会掉线。web 容器是用另一个 PUBLIC_URL 创建的。',
    bosh: '{{url}} 处的 config.js 把 BOSH 发往 {{bosh}}，而不是 PUBLIC_URL 的主机 {{publicHost}}：回退到 BOSH 的浏览器无法连接（"You have been disconnected"）。',
  },
  'MXD-JWS-011': {
    domain: "config.js 中 hosts.domain 为 '{{running}}'，但 .env 设置的 XMPP_DOMAIN 是 '{{env}}'：修改 .env 之后没有重新创建 web 容器。",
    websocketMissing:
      '.env 开启了 ENABLE_XMPP_WEBSOCKET，但 config.js 中没有 config.websocket：浏览器会回退到 BOSH。修改 .env 之后没有重新创建 web 容器，或者 custom-config.js 删除了它。',
    websocketExtra: '.env 关闭了 ENABLE_XMPP_WEBSOCKET，但 config.js 中仍有 config.websocket {{websocket}}：修改 .env 之后没有重新创建 web 容器。',
  },
  'MXD-JWS-012': {
    dns: '无法连接 XMPP WebSocket {{url}}：{{host}} 无法解析（{{code}}）。浏览器无法加入会议。',
    tcp: '无法连接 XMPP WebSocket {{url}}：到 {{host}} 的连接失败（{{code}}：{{detail}}）。',
    tls: '无法连接 XMPP WebSocket {{url}}：TLS 失败（{{code}}：{{detail}}）；浏览器会拒绝该证书。',
    timeout: 'XMPP WebSocket {{url}} 在 {{waitedMs}} 毫秒内没有响应升级请求。',
  },
  'MXD-JWS-013': {
    notFound:
      '{{url}} 返回 HTTP 404：web 服务器没有 /xmpp-websocket 的 location（创建 web 容器时 ENABLE_XMPP_WEBSOCKET 是关闭的，或者前面的反向代理没有转发它）。',
    notFoundProsody: '{{url}} 到达了 prosody，但它返回 HTTP 404：它的 WebSocket 模块没有加载（创建 prosody 容器时 ENABLE_XMPP_WEBSOCKET 是关闭的）。',
    badGateway: '{{url}} 返回 HTTP {{status}}：nginx 无法连接后面的 prosody（prosody 容器没有运行，或 XMPP_BOSH_URL_BASE 指向了不存在的地址）。',
    subprotocol:
      '{{url}} 不接受 xmpp 子协议（{{detail}}）：当 Sec-WebSocket-Protocol: xmpp 请求头没有传到 prosody 时，它会返回 501；不回显该子协议的服务器不是 prosody。',
    noUpgrade:
      '{{url}} 返回的是 prosody 的 "It works!" 页面，而没有切换协议：代理没有转发 Upgrade 和 Connection 请求头（proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"）。',
    status: '{{url}} 返回 HTTP {{status}}，而不是 101 Switching Protocols。',
  },
  'MXD-JWS-014': {
    silent: '{{url}} 已切换到 WebSocket，但在我们向 {{domain}} 发送 <open/> 之后 {{waitedMs}} 毫秒内没有发来任何内容。',
    junk: '{{url}} 已切换到 WebSocket 并发来 {{count}} 个帧，但在我们向 {{domain}} 发送 <open/> 之后 {{waitedMs}} 毫秒内没有 XMPP <open/>（第一个帧：{{first}}）：应答的不是 prosody。',
    tooLarge: '{{url}} 发来了大于 {{limit}} 的 WebSocket 消息，matrixdoc 拒绝接收（prosody 的消息最多几 KiB）：应答的不是 prosody，或者它出了故障。',
    closed:
      '{{url}} 先返回 101 Switching Protocols，随后在发出任何 XMPP 帧之前关闭了连接（{{detail}}）：通常是代理把 101 转发出来，却没有转发 Upgrade 和 Connection 请求头（proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"）。',
    hostUnknown:
      'Prosody 对 {{domain}} 返回 host-unknown（{{text}}）：config.js 的 hosts.domain 不是 prosody 提供服务的 XMPP 域；浏览器会显示 "You have been disconnected"。',
    streamError: 'Prosody 以 {{condition}} 关闭了流（{{text}}）。',
    noFeatures: 'Prosody 为 {{domain}} 打开了流，但在 {{waitedMs}} 毫秒内没有发送 stream features；浏览器无法登录。',
  },
  'MXD-JWS-015': {
    anonymous: 'XMPP WebSocket 工作正常：prosody 为 {{domain}} 提供服务并提供 {{mechanisms}}，因此任何拿到链接的人都能加入（匿名登录）。',
    login: 'XMPP WebSocket 工作正常：prosody 为 {{domain}} 提供 {{mechanisms}}，没有 ANONYMOUS，因此用户必须登录才能加入。',
    loginGuests:
      'XMPP WebSocket 工作正常：prosody 为 {{domain}} 提供 {{mechanisms}}，没有 ANONYMOUS；用户需要登录，访客在已有用户入会后通过 hosts.anonymousdomain {{guestDomain}} 加入。',
    authMismatch:
      'Prosody 为 {{domain}} 提供 {{mechanisms}}，没有 ANONYMOUS，而 .env 中 ENABLE_AUTH 是关闭的：正在运行的 prosody 不是按这个 .env 创建的，访客无法加入。',
  },
  'MXD-JWS-016': {
    unreachable: '{{url}} 请求失败（{{reason}}）：在开启了 ENABLE_COLIBRI_WEBSOCKET 的 {{release}} 上，浏览器在这里打开 bridge channel。',
    badGateway:
      '{{url}} 返回 HTTP {{status}}：nginx 无法连接 videobridge（jvb 容器没有运行，或它的 colibri WebSocket 端口 9090 不可达）；第三位参会者加入后 bridge channel 就会中断。',
    notFound: '{{url}} 返回 HTTP 404：虽然 {{release}} 开启了 ENABLE_COLIBRI_WEBSOCKET，web 容器却没有 /colibri-ws/ 的 location。',
  },

  // jitsi-jvb: videobridge 的媒体地址
  'MXD-JVB-001': {
    privateHost:
      '未设置 JVB_ADVERTISE_IPS，而 {{host}}（PUBLIC_URL）解析到私有地址 {{addresses}}：videobridge 只会提供它的容器地址和通过 STUN 在互联网上查到的地址。两人通话正常（点对点），但三人及以上时所有媒体都经过 bridge，谁也听不到谁。',
    nat: '未设置 JVB_ADVERTISE_IPS，而这台 Jitsi 主机位于 NAT 之后（{{why}}）：bridge 只能通过 STUN 得知自己的公网地址。两人通话正常（点对点）；从三人开始媒体经过 bridge，一旦 STUN 失败就没有声音。',
  },
  'MXD-JVB-002': {
    invalid:
      "JVB_ADVERTISE_IPS 中的条目 '{{entry}}' 不是 IP 地址（写成 ip 或 ip#port；IPv6 因为含冒号而使用 #）：bridge 无法通告它，因此三人及以上的通话没有声音，而两人通话（点对点）正常。",
    badPort: "JVB_ADVERTISE_IPS 中的条目 '{{entry}}' 的端口 '{{port}}' 不是 1 到 65535 之间的数字：videobridge 的配置无法加载。",
    unusable: "JVB_ADVERTISE_IPS 中的条目 '{{entry}}' 是 {{kind}} 地址，任何参会者都无法向它发送媒体：两人通话正常（点对点），三人及以上没有声音。",
    hostname:
      "JVB_ADVERTISE_IPS 中的条目 '{{entry}}' 是主机名：bridge 只在启动时、在容器内部解析它一次；如果解析出别的地址（或 Docker 的 DNS 给出私有地址），三人及以上的通话就没有声音。请使用 IP 地址。",
  },
  'MXD-JVB-003': {
    bridge: 'JVB_ADVERTISE_IPS 通告了 {{address}}，这是 Docker 默认网桥（172.17.0.0/16）上的地址，只有本机能访问：两人通话正常（点对点），三人及以上没有声音。',
    containerInterface: 'JVB_ADVERTISE_IPS 通告了 {{address}}，这是本机容器网络接口 {{interface}} 的地址，任何参会者都无法访问：三人及以上的通话没有声音。',
  },
  'MXD-JVB-004': {
    notLocal:
      'JVB_ADVERTISE_IPS 通告了 {{address}}，但这台 Jitsi 主机（{{why}}）没有这个地址的接口，而 {{host}} 解析到 {{resolved}}：如果地址变了（DHCP、换了服务器），bridge 会把参会者引向旧地址，三人及以上的通话没有声音，而两人（点对点）仍然正常。',
  },
  'MXD-JVB-005': {
    privateOnly:
      'JVB_ADVERTISE_IPS 只列出了私有地址（{{addresses}}），而 {{host}}（PUBLIC_URL）解析到公网地址 {{resolved}}：你的网络之外的参会者能加入并看到页面，但从三人开始就没有音视频（两人点对点仍然正常）。请同时列出公网地址：{{suggestion}}。',
  },
  'MXD-JVB-006': {
    deprecated:
      'DOCKER_HOST_ADDRESS={{value}} 已弃用：jvb 容器会把它复制到 JVB_ADVERTISE_IPS，并记录 "WARNING: DOCKER_HOST_ADDRESS is deprecated, migrate to JVB_ADVERTISE_IPS"。',
    ignored: '由于已设置 JVB_ADVERTISE_IPS，DOCKER_HOST_ADDRESS={{value}} 被忽略；请删除它。',
  },
  'MXD-JVB-007': {
    udp: '媒体使用 UDP 端口 {{port}}（JVB_PORT）：三人及以上的通话需要它开放并转发到这台主机。matrixdoc 不探测它：对于不属于任何进行中会议的 STUN 请求，bridge 会静默丢弃，因此没有响应说明不了任何问题。',
    invalidPort: "JVB_PORT '{{port}}' 不是端口号（1-65535）：videobridge 的媒体端口没有配置好。",
  },
  'MXD-JVB-008': {
    unhealthy: 'videobridge 健康检查 {{url}} 返回 HTTP {{status}}（{{body}}）：三人及以上的会议会失败。',
    unreachable: '在这台 Jitsi 主机上，videobridge 健康检查 {{url}} 没有任何应答（{{reason}}）：jvb 容器没有运行，或者 JVB_COLIBRI_PORT 发布在别处。',
  },
};
