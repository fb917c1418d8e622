// Facts about matrix-synapse-ldap3 (ldap_auth_provider.py, README.md; matrix-org/matrix-synapse-ldap3
// @ 84e8910, after v0.4.0) that the ldap check relies on.
//
// - parse_config: `_require_keys(config, ["uri", "base", "attributes"])` and later
//   `_require_keys(config["attributes"], ["uid", "name", "mail"])` raise
//   "LDAP enabled but missing required config values: ..."; `bind_dn` present switches to search mode and
//   needs bind_password or bind_password_file ("Either bind_password or bind_password_file must be set!");
//   validate_cert with tls_options raises "You cannot include both validate_cert and tls_options in the
//   config". `enabled` is read into the config object but never checked: listing the module enables it.
// - simple mode binds as "{uid}={login},{base}" and never searches; search mode binds as bind_dn (or
//   anonymously), searches base (subtree) for "(&({uid}={login}){filter})" asking for uid, name and mail,
//   needs exactly one entry, then binds as its DN with the user's password.
// - On registration the display name is attributes.name (else the login) and the e-mail attributes.mail
//   (else none); existing users are never refreshed.
// - active_directory: maps "login/domain", "DOMAIN\login" (root domain from the RootDSE's
//   rootDomainNamingContext, search mode only) or a bare login with default_domain to "login@domain", the
//   value searched in the uid attribute: it expects uid to be userPrincipalName.
// - Active Directory names entries by CN ("CN=Jane Doe,OU=..."), so "sAMAccountName=jane,<base>" is never
//   a DN: with sAMAccountName only search mode (with a service account: AD refuses anonymous searches) works.

import { FilterParser } from 'ldapts';

/** uid attributes that are Active Directory's: never part of an entry's DN. */
export const AD_UID_ATTRIBUTES = ['samaccountname', 'userprincipalname'];

export function isAdUid(uid: string | undefined): boolean {
  return uid !== undefined && AD_UID_ATTRIBUTES.includes(uid.toLowerCase());
}

/** What is wrong with a filter's parentheses, in words: phrases of MXD-LDAP-010, keyed by id. */
export const FILTER_PHRASES = {
  unwrapped: 'the filter must be wrapped in parentheses, e.g. (objectClass=person)',
  unopened: 'a closing parenthesis has no opening one',
  unbalanced: 'the parentheses are not balanced',
} as const;

/**
 * Why the module's search filter for this config can never be valid (undefined when it parses): a
 * phrase id of FILTER_PHRASES for the parentheses, else the error of the LDAP filter parser (ldapts).
 */
export function filterIssue(uid: string, filter: string): { phrase: keyof typeof FILTER_PHRASES } | { error: string } | undefined {
  const full = `(&(${uid}=x)${filter})`;
  if (!filter.startsWith('(') || !filter.endsWith(')')) return { phrase: 'unwrapped' };
  let depth = 0;
  for (let i = 0; i < filter.length; i++) {
    const ch = filter[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0) return { phrase: 'unopened' };
  }
  if (depth !== 0) return { phrase: 'unbalanced' };
  try {
    FilterParser.parseString(full);
  } catch (error) {
    return { error: (error as Error).message.replace(/\. Full string: .*$/, '') };
  }
  return undefined;
}

/** filterIssue in English words (undefined when the filter parses). */
export function filterProblem(uid: string, filter: string): string | undefined {
  const issue = filterIssue(uid, filter);
  return issue && ('phrase' in issue ? FILTER_PHRASES[issue.phrase] : issue.error);
}

/** Loopback hosts, where LDAP without TLS never crosses a network. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}
