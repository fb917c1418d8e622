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
};
