// Domain facts for the reverse-proxy check: what Synapse needs from nginx, and what nginx does by default.
// Sources:
//  [SYN-RP]  Synapse docs/reverse_proxy.md (element-hq/synapse): forward /_matrix and /_synapse/client, set
//            X-Forwarded-For / X-Forwarded-Proto / Host, "Do not add a path after the port in proxy_pass",
//            client_max_body_size to match max_upload_size, listen 443 and 8448, admin endpoints not public.
//  [SYN]     synapse/config/server.py (listeners, bind_addresses default ['::', '0.0.0.0']),
//            synapse/config/repository.py (max_upload_size default "50M"), synapse/config/_base.py (parse_size),
//            synapse/rest/well_known.py (serve_server_wellknown, client well-known only with explicit public_baseurl),
//            synapse/http/site.py (x_forwarded: the left-most X-Forwarded-For value wins).
//  [NGX]     nginx docs, ngx_http_proxy_module (proxy_pass URI replacement, proxy_set_header inheritance and
//            defaults `Host $proxy_host`), ngx_http_core_module (client_max_body_size default 1m, server and
//            location selection), ngx_http_proxy_module.c (the "cannot have URI part" configuration error).
//  [SPEC]    Matrix server-server API, "Resolving server names" (port 8448 without delegation).

/** Requests nginx must pass to Synapse, one representative path each (matched against locations as nginx does). */
export const CLIENT_PATHS = [
  { path: '/_matrix/client/versions', prefix: '/_matrix/client' },
  { path: '/_matrix/media/v3/config', prefix: '/_matrix/media' },
] as const;
export const SYNAPSE_CLIENT_PATH = { path: '/_synapse/client/pick_idp', prefix: '/_synapse/client' } as const;
export const FEDERATION_PATHS = [
  { path: '/_matrix/federation/v1/version', prefix: '/_matrix/federation' },
  { path: '/_matrix/key/v2/server', prefix: '/_matrix/key' },
] as const;
/** Every path that is Matrix traffic for Synapse. */
export const MATRIX_PATHS = [...CLIENT_PATHS, SYNAPSE_CLIENT_PATH, ...FEDERATION_PATHS].map((p) => p.path);
/** The path media uploads go to (POST /_matrix/media/v3/upload, PUT /_matrix/media/v3/upload/{server}/{id}). */
export const UPLOAD_PATH = '/_matrix/media/v3/upload';
/** An admin API path (GET, needs an admin token) [SYN-RP §Synapse administration endpoints]. */
export const ADMIN_PATH = '/_synapse/admin/v1/server_version';
/** A path no Matrix location should match: a location matching it too is a catch-all, not a Matrix route. */
export const NON_MATRIX_PATH = '/index.html';

/** nginx's default client_max_body_size [NGX]. */
export const NGINX_DEFAULT_BODY_SIZE = '1m';
/** Synapse's default max_upload_size [SYN repository.py]. */
export const SYNAPSE_DEFAULT_UPLOAD_SIZE = '50M';

/** The port other servers use when nothing names another one [SPEC]. */
export const FEDERATION_DEFAULT_PORT = 8448;

/** Headers Synapse's docs set on the proxied request, with the value they use [SYN-RP]. */
export const FORWARD_HEADERS = [
  { name: 'X-Forwarded-For', value: '$remote_addr', messageId: 'missingXff' },
  { name: 'X-Forwarded-Proto', value: '$scheme', messageId: 'missingProto' },
  { name: 'Host', value: '$host', messageId: 'missingHost' },
] as const;

/** The value that keeps the client's own X-Forwarded-For on the left, where Synapse reads it [SYN site.py]. */
export const SPOOFABLE_XFF = '$proxy_add_x_forwarded_for';

/** Synapse's bind_addresses when none are given [SYN server.py]. */
export const DEFAULT_BIND_ADDRESSES = ['::', '0.0.0.0'];
export const WILDCARD_ADDRESSES = new Set(['::', '0.0.0.0', '*', '']);

/** nginx's error when proxy_pass has a URI inside a regex location (without variables) [NGX ngx_http_proxy_module.c]. */
export const NGINX_REGEX_URI_ERROR = '"proxy_pass" cannot have URI part in location given by regular expression';

/** Directives that restrict who reaches a location (ngx_http_access_module, auth_basic, auth_request, internal). */
export const ACCESS_DIRECTIVES = ['allow', 'deny', 'auth_basic', 'auth_request', 'internal', 'auth_jwt'];
