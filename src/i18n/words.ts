// The fixed words of the human report (headings, labels, counts) in each shipped language. Finding
// messages come from the message catalogs; these are the words around them. Check titles are
// translated here too, by check id: a plugin's check keeps the title its author gave it.

import type { Locale } from './index.js';

export interface HumanWords {
  /** " for xfoss.com" after the tool's name and version. */
  forTarget(serverName: string): string;
  offline: string;
  replayedFrom(file: string): string;
  findings(n: number): string;
  pass: string;
  warnings(n: number): string;
  problems(n: number): string;
  skipped: string;
  couldNotRun: string;
  at: string;
  /** Labels carry their colon (and the space after it where the language has one): "fix: ", "修复：". */
  evidence: string;
  fix: string;
  docs: string;
  automaticFix(edits: number): string;
  hiddenNotes(n: number): string;
  summary(s: { fail: number; warn: number; pass: number; skip: number; error: number }, ms: number): string;
  checkTitles: Record<string, string>;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const en: HumanWords = {
  forTarget: (name) => ` for ${name}`,
  offline: ' (offline: files only)',
  replayedFrom: (file) => ` (replayed from ${file})`,
  findings: (n) => plural(n, 'finding'),
  pass: 'pass',
  warnings: (n) => plural(n, 'warning'),
  problems: (n) => plural(n, 'problem'),
  skipped: 'skipped',
  couldNotRun: 'could not run',
  at: 'at',
  evidence: 'evidence:',
  fix: 'fix: ',
  docs: 'docs: ',
  automaticFix: (edits) => `automatic fix available: ${plural(edits, 'file edit')}`,
  hiddenNotes: (n) => `${plural(n, 'informational note')} hidden; --verbose shows them`,
  summary: (s, ms) => `Summary: ${s.fail} fail, ${s.warn} warn, ${s.pass} pass, ${s.skip} skip, ${s.error} error (${ms} ms)`,
  checkTitles: {},
};

const zhHans: HumanWords = {
  forTarget: (name) => `：${name}`,
  offline: '（离线：只检查文件）',
  replayedFrom: (file) => `（重放自 ${file}）`,
  findings: (n) => `${n} 项发现`,
  pass: '通过',
  warnings: (n) => `${n} 项警告`,
  problems: (n) => `${n} 个问题`,
  skipped: '已跳过',
  couldNotRun: '无法运行',
  at: '位置',
  evidence: '证据：',
  fix: '修复：',
  docs: '文档：',
  automaticFix: (edits) => `可自动修复：修改 ${edits} 处文件内容`,
  hiddenNotes: (n) => `另有 ${n} 条提示信息未显示；加 --verbose 查看`,
  summary: (s, ms) => `汇总：${s.fail} 项失败，${s.warn} 项警告，${s.pass} 项通过，${s.skip} 项跳过，${s.error} 项出错（${ms} 毫秒）`,
  checkTitles: {
    'homeserver-config': 'Synapse homeserver.yaml 配置文件',
    'element-config': 'Element Web config.json 配置文件',
    'well-known': 'Matrix .well-known 文件',
    'public-baseurl': 'Synapse 的 public_baseurl',
    'reverse-proxy': 'Synapse 前面的 nginx 反向代理',
    'rate-limits': 'Synapse 速率限制',
    federation: '联邦',
    turn: '通话用的 TURN（coturn）',
    database: 'Synapse 数据库（PostgreSQL）',
    ldap: 'LDAP 登录（matrix-synapse-ldap3）',
    'jitsi-websocket': 'Jitsi：PUBLIC_URL、config.js 与 XMPP WebSocket',
    'jitsi-jvb': 'Jitsi：视频桥（JVB）的媒体地址',
  },
};

const WORDS: Record<Locale, HumanWords> = { en, 'zh-Hans': zhHans };

export function humanWords(locale: Locale = 'en'): HumanWords {
  return WORDS[locale];
}
