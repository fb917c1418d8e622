// OpenLDAP's slapd from Debian, in the foreground with a private slapd.conf and mdb database on loopback:
// an Active-Directory-like tree (sAMAccountName next to uid), an admin DN, a service account, optional
// ldaps:// and StartTLS with the test certificates.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, stopProcess, track, waitForPort } from './processes.js';

export interface SlapdOptions {
  suffix: string;
  adminPassword: string;
  /** Serve ldaps:// and StartTLS with these files. */
  tls?: { certFile: string; keyFile: string; caFile: string };
}

export interface SlapdHandle {
  port: number;
  ldapsPort?: number;
  url: string;
  options: SlapdOptions;
  adminDn: string;
  /** People in the directory: uid, sAMAccountName, password, mail, cn. */
  users: { uid: string; sAMAccountName: string; password: string; mail?: string; cn: string; dn: string }[];
  stop(): Promise<void>;
}

// Microsoft's attribute OIDs with matching rules OpenLDAP can index (Debian's msuser.schema has none).
const AD_LITE_SCHEMA = `attributetype ( 1.2.840.113556.1.4.221 NAME 'sAMAccountName'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.656 NAME 'userPrincipalName'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
objectclass ( 1.3.6.1.4.1.4203.666.11.99.1 NAME 'adLiteAccount' SUP top AUXILIARY MAY ( sAMAccountName $ userPrincipalName ) )
`;

function run(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

export async function startSlapd(overrides: Partial<SlapdOptions> = {}): Promise<SlapdHandle> {
  const options: SlapdOptions = { suffix: 'dc=xfoss,dc=com', adminPassword: 'adminpw', ...overrides };
  const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-slapd-'));
  for (const d of ['data', 'run']) mkdirSync(path.join(dir, d));
  const port = await freePort();
  const ldapsPort = options.tls ? await freePort() : undefined;
  const adminDn = `cn=admin,${options.suffix}`;
  const hash = run('slappasswd', ['-s', options.adminPassword]).trim();
  writeFileSync(path.join(dir, 'ad-lite.schema'), AD_LITE_SCHEMA);
  const conf = [
    'include /etc/ldap/schema/core.schema',
    'include /etc/ldap/schema/cosine.schema',
    'include /etc/ldap/schema/inetorgperson.schema',
    'include /etc/ldap/schema/nis.schema',
    `include ${dir}/ad-lite.schema`,
    `pidfile ${dir}/run/slapd.pid`,
    `argsfile ${dir}/run/slapd.args`,
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    ...(options.tls
      ? [`TLSCACertificateFile ${options.tls.caFile}`, `TLSCertificateFile ${options.tls.certFile}`, `TLSCertificateKeyFile ${options.tls.keyFile}`]
      : []),
    'database mdb',
    'maxsize 104857600',
    `suffix "${options.suffix}"`,
    `rootdn "${adminDn}"`,
    `rootpw ${hash}`,
    `directory ${dir}/data`,
    'index objectClass eq',
    'index uid,mail,cn,sAMAccountName eq,sub',
    'access to attrs=userPassword by self write by anonymous auth by * none',
    'access to * by users read by * none',
    '',
  ].join('\n');
  writeFileSync(path.join(dir, 'slapd.conf'), conf);
  run('slaptest', ['-u', '-f', path.join(dir, 'slapd.conf')]);
  const urls = [`ldap://127.0.0.1:${port}/`, ...(ldapsPort ? [`ldaps://127.0.0.1:${ldapsPort}/`] : [])].join(' ');
  const child = spawn('slapd', ['-d', '0', '-h', urls, '-f', path.join(dir, 'slapd.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  track(child);
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const stop = async () => {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const dc = options.suffix.match(/^dc=([^,]+)/)?.[1] ?? 'example';
  const people = `ou=people,${options.suffix}`;
  const users = [
    { uid: 'alice', sAMAccountName: 'alice', password: 'alicepw', mail: `alice@${dc}.test`, cn: 'Alice Liddell', dn: `uid=alice,${people}` },
    { uid: 'bob', sAMAccountName: 'BOB', password: 'bobpw', mail: `bob@${dc}.test`, cn: 'Bob Builder', dn: `uid=bob,${people}` },
    { uid: 'nomail', sAMAccountName: 'nomail', password: 'nomailpw', cn: 'No Mail', dn: `uid=nomail,${people}` },
  ];
  const ldif = [
    `dn: ${options.suffix}\nobjectClass: dcObject\nobjectClass: organization\ndc: ${dc}\no: ${dc}\n`,
    `dn: ${people}\nobjectClass: organizationalUnit\nou: people\n`,
    `dn: ou=groups,${options.suffix}\nobjectClass: organizationalUnit\nou: groups\n`,
    ...users.map(
      (u) =>
        `dn: ${u.dn}\nobjectClass: inetOrgPerson\nobjectClass: adLiteAccount\nuid: ${u.uid}\nsAMAccountName: ${u.sAMAccountName}\ncn: ${u.cn}\nsn: ${u.cn.split(' ').pop()}\n${u.mail ? `mail: ${u.mail}\n` : ''}userPassword: ${u.password}\n`,
    ),
    `dn: cn=svc-matrix,${options.suffix}\nobjectClass: inetOrgPerson\ncn: svc-matrix\nsn: matrix\nuserPassword: svcpw\n`,
  ].join('\n');
  try {
    await waitForPort(port, '127.0.0.1', 5000, () => child.exitCode === null);
    if (ldapsPort) await waitForPort(ldapsPort, '127.0.0.1', 5000, () => child.exitCode === null);
    run('ldapadd', ['-x', '-H', `ldap://127.0.0.1:${port}`, '-D', adminDn, '-w', options.adminPassword], ldif);
  } catch (error) {
    await stop();
    throw new Error(`slapd did not start: ${(error as Error).message}\n${stderr}`);
  }
  return { port, ldapsPort, url: `ldap://127.0.0.1:${port}`, options, adminDn, users, stop };
}
