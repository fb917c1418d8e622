// Declarative nginx edits: set (replace, or add at the end of the block) or delete one directive in the
// server block for a name, or in one of its locations, keeping the file's layout and comments.

import { type NginxDirective, parseNginx } from '../parse/nginx.js';
import { FixError } from './errors.js';

export interface NginxTarget {
  /** A server_name of the server block. */
  server: string;
  /** The location's arguments as written, e.g. "/.well-known/matrix/client" or "~* ^(/_matrix|/_synapse/client)". */
  location?: string;
}

/** An argument as nginx reads it back: bare when safe, else single-quoted. */
export function renderNginxArg(arg: string): string {
  if (arg !== '' && /^[^\s;{}'"#\\]+$/.test(arg)) return arg;
  return `'${arg.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function findBlock(text: string, file: string, target: NginxTarget): NginxDirective {
  const parsed = parseNginx(text, file);
  if (parsed.problems.length)
    throw new FixError(`the nginx file has a syntax problem (line ${parsed.problems[0].line}: ${parsed.problems[0].message}); fix it first`);
  const walk = (list: NginxDirective[]): NginxDirective[] => list.flatMap((d) => (d.block ? [d, ...walk(d.block)] : []));
  const server = walk(parsed.directives).find((d) => d.name === 'server' && d.block?.some((c) => c.name === 'server_name' && c.args.includes(target.server)));
  if (!server) throw new FixError(`no server block with server_name ${target.server} in ${file}`);
  if (target.location === undefined) return server;
  const loc = server.block?.find((d) => d.name === 'location' && d.args.join(' ') === target.location);
  if (!loc) throw new FixError(`no 'location ${target.location}' in the ${target.server} server block`);
  return loc;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function nginxSet(text: string, file: string, target: NginxTarget, directive: string, args: string[]): string {
  const block = findBlock(text, file, target);
  const line = `${directive} ${args.map(renderNginxArg).join(' ')};`;
  const existing = block.block?.find((d) => d.name === directive);
  if (existing) return text.slice(0, existing.start) + line + text.slice(existing.end);
  const close = block.end - 1; // the block's `}`
  const first = block.block?.[0];
  const blockIndent = text.slice(lineStart(text, block.start), block.start).match(/^[ \t]*/)?.[0] ?? '';
  const indent = first ? (text.slice(lineStart(text, first.start), first.start).match(/^[ \t]*/)?.[0] ?? '    ') : `${blockIndent}    `;
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
