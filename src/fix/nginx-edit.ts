// Declarative nginx edits: set (replace, or add) or delete one directive in the server block for a name,
// or in one of its locations, keeping the file's layout and comments.

import { type NginxDirective, parseNginx } from '../parse/nginx.js';
import { FixError } from './errors.js';

export interface NginxTarget {
  /** A server_name of the server block. */
  server: string;
  /** The location's arguments as written, e.g. "/.well-known/matrix/client" or "~* ^(/_matrix|/_synapse/client)". */
  location?: string;
}

/**
 * Directives nginx takes many times in one block, each told apart by its first argument (a header, a
 * parameter, a variable, an address:port). Setting one replaces the one with the same first argument, or
 * adds it after the last of its kind; every other directive is set by its name alone.
 */
export const NGINX_KEYED_DIRECTIVES: ReadonlySet<string> = new Set([
  'proxy_set_header',
  'add_header',
  'add_trailer',
  'proxy_hide_header',
  'proxy_pass_header',
  'grpc_set_header',
  'fastcgi_param',
  'uwsgi_param',
  'scgi_param',
  'set',
  'listen',
]);

/** Does an existing directive stand for the one being set (same name, and same first argument when keyed)? */
export function sameNginxDirective(d: NginxDirective, directive: string, args: readonly string[]): boolean {
  return d.name === directive && (!NGINX_KEYED_DIRECTIVES.has(directive) || d.args[0] === args[0]);
}

/** An argument as nginx reads it back: bare when safe, else single-quoted. */
export function renderNginxArg(arg: string): string {
  if (arg !== '' && /^[^\s;{}'"#\\]+$/.test(arg)) return arg;
  return `'${arg.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const walk = (list: NginxDirective[]): NginxDirective[] => list.flatMap((d) => (d.block ? [d, ...walk(d.block)] : []));

/**
 * The block a target names in a parsed file: the first server block with that server_name (when a
 * location is named, the first such block that has it: a port-80 redirect block often shares the name),
 * or that location in it. Undefined when there is none.
 */
export function nginxTargetBlock(directives: NginxDirective[], target: NginxTarget): NginxDirective | undefined {
  const named = walk(directives).filter((d) => d.name === 'server' && d.block?.some((c) => c.name === 'server_name' && c.args.includes(target.server)));
  if (target.location === undefined) return named[0];
  for (const server of named) {
    const loc = server.block?.find((d) => d.name === 'location' && d.block && d.args.join(' ') === target.location);
    if (loc) return loc;
  }
  return undefined;
}

function findBlock(text: string, file: string, target: NginxTarget): NginxDirective {
  const parsed = parseNginx(text, file);
  if (parsed.problems.length)
    throw new FixError(`the nginx file has a syntax problem (line ${parsed.problems[0].line}: ${parsed.problems[0].message}); fix it first`);
  const block = nginxTargetBlock(parsed.directives, target);
  if (block) return block;
  if (!nginxTargetBlock(parsed.directives, { server: target.server })) throw new FixError(`no server block with server_name ${target.server} in ${file}`);
  throw new FixError(`no 'location ${target.location}' in the ${target.server} server block`);
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

const indentAt = (text: string, d: NginxDirective) => text.slice(lineStart(text, d.start), d.start).match(/^[ \t]*/)?.[0] ?? '';

/** The offset just past the line a directive ends on, when it has that line to itself (but for a comment). */
function ownLineEnd(text: string, d: NginxDirective): number | undefined {
  if (text.slice(lineStart(text, d.start), d.start).trim() !== '') return undefined;
  const nl = text.indexOf('\n', d.end);
  const rest = text.slice(d.end, nl < 0 ? text.length : nl);
  if (!/^[ \t\r]*(#.*)?$/.test(rest)) return undefined;
  return nl < 0 ? undefined : nl + 1;
}

export function nginxSet(text: string, file: string, target: NginxTarget, directive: string, args: string[]): string {
  const block = findBlock(text, file, target);
  const line = `${directive} ${args.map(renderNginxArg).join(' ')};`;
  const children = block.block ?? [];
  const existing = children.find((d) => sameNginxDirective(d, directive, args));
  if (existing) {
    // Already what it should be: not one byte changes (its spacing and quoting stay).
    if (existing.args.length === args.length && existing.args.every((a, i) => a === args[i])) return text;
    return text.slice(0, existing.start) + line + text.slice(existing.end);
  }
  // A keyed directive joins the others of its kind: on the line after the last of them, in its indentation.
  const kin = children.filter((d) => d.name === directive).at(-1);
  const after = kin && ownLineEnd(text, kin);
  if (kin && after !== undefined) return `${text.slice(0, after)}${indentAt(text, kin)}${line}\n${text.slice(after)}`;
  const close = block.end - 1; // the block's `}`
  const first = children[0];
  const blockIndent = indentAt(text, block);
  const indent = first ? indentAt(text, first) : `${blockIndent}    `;
  const braceLine = lineStart(text, close);
  if (text.slice(braceLine, close).trim() === '') {
    // The usual layout: `}` on its own line; the new directive goes on the line before it.
    return `${text.slice(0, braceLine)}${indent}${line}\n${text.slice(braceLine)}`;
  }
  // `{ ... }` on one line: open it up.
  return `${text.slice(0, close).trimEnd()}\n${indent}${line}\n${blockIndent}${text.slice(close)}`;
}

export function nginxDelete(text: string, file: string, target: NginxTarget, directive: string, args?: string[]): string {
  const block = findBlock(text, file, target);
  const victims = (block.block ?? []).filter((d) => d.name === directive && (!args || d.args.join(' ') === args.join(' ')));
  let out = text;
  for (const d of [...victims].sort((a, b) => b.start - a.start)) {
    const from = lineStart(out, d.start);
    const ownLine = out.slice(from, d.start).trim() === '';
    const lineEnd = out.indexOf('\n', d.end);
    const to = ownLine && lineEnd >= 0 && out.slice(d.end, lineEnd).trim() === '' ? lineEnd + 1 : d.end;
    out = out.slice(0, ownLine ? from : d.start) + out.slice(to);
  }
  return out;
}
