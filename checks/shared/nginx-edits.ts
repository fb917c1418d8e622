// nginx fixes, declarative where they can be: an `nginx-set`/`nginx-delete` edit names the server block by
// one of its server_names and the location by its arguments, and the fix engine's surgical editor
// (src/fix/nginx-edit.ts) finds them again in the file. Where that name would not lead the editor to the
// very block a check means, the check's own `text` edit is used instead. Shared by reverse-proxy and
// rate-limits.

import type { Edit } from '../../src/engine/types.js';
import { type NginxTarget, nginxTargetBlock } from '../../src/fix/nginx-edit.js';
import type { NginxDirective } from '../../src/parse/nginx.js';
import type { NginxConfigArtifact } from '../../src/probes/config-files.js';

/** A server block and its server_names (an `NginxServer` of src/parse/nginx.ts is one). */
export interface NamedServer {
  directive: NginxDirective;
  names: string[];
}

/** A server block as a NamedServer, its names read from its own server_name lines. */
export function namedServer(directive: NginxDirective): NamedServer {
  return { directive, names: (directive.block ?? []).filter((d) => d.name === 'server_name').flatMap((d) => d.args) };
}

/** A plain host name (not a wildcard, a regex, `.suffix` or `_`): the name an admin would use. */
const plainName = (n: string) => !/[*~]/.test(n) && !n.startsWith('.') && n !== '_' && n !== '';

export interface NginxEdits {
  /** The editor's name for a server block or one of its locations: a server_name that leads it to this very block in its own file. */
  targetOf(server: NamedServer, location?: NginxDirective): NginxTarget | undefined;
  /**
   * Sets `directive args` in a server block, or in one of its locations, as an nginx-set edit; `replaces` is
   * the directive of that block it takes the place of. Where nginx-set cannot name the place, `fallback` is
   * the text edit: a location or directive from an included snippet (no server block to name there), a
   * server block no server_name of its own leads to (none, or another block of that name comes first).
   */
  setDirective(
    server: NamedServer,
    location: NginxDirective | undefined,
    directive: string,
    args: string[],
    replaces: NginxDirective | undefined,
    fallback: () => Edit[],
  ): Edit[];
  /** Deletes `directive` (with exactly `args`) from a server block or one of its locations, as setDirective does. */
  deleteDirective(server: NamedServer, location: NginxDirective | undefined, victim: NginxDirective, fallback: () => Edit[]): Edit[];
}

/** Edits for the nginx files matrixdoc read (as read: includes not expanded, each directive in its own file). */
export function nginxEdits(nginx: NginxConfigArtifact): NginxEdits {
  const files = new Map(nginx.files.map((f) => [f.file, f]));
  const targetOf = (server: NamedServer, location?: NginxDirective): NginxTarget | undefined => {
    const file = server.directive.file;
    const raw = files.get(file)?.parsed.directives;
    if (!raw || (location && location.file !== file)) return undefined;
    const block = location ?? server.directive;
    const preferred = server.names.find(plainName) ?? server.names[0];
    for (const name of new Set([...(preferred === undefined ? [] : [preferred]), ...server.names])) {
      const target: NginxTarget = location ? { server: name, location: location.args.join(' ') } : { server: name };
      if (nginxTargetBlock(raw, target)?.start === block.start) return target;
    }
    return undefined;
  };
  const sha = (file: string) => files.get(file)?.sha256;
  return {
    targetOf,
    setDirective(server, location, directive, args, replaces, fallback) {
      const target = targetOf(server, location);
      const file = server.directive.file;
      if (!target || (replaces && replaces.file !== file)) return fallback();
      return [{ kind: 'nginx-set', file, ...target, directive, args, expectSha256: sha(file) }];
    },
    deleteDirective(server, location, victim, fallback) {
      const target = targetOf(server, location);
      const file = server.directive.file;
      if (!target || victim.file !== file) return fallback();
      return [{ kind: 'nginx-delete', file, ...target, directive: victim.name, args: victim.args, expectSha256: sha(file) }];
    },
  };
}
