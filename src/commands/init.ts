import { randomBytes } from 'node:crypto';
import { link, lstat, open, rename, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { stringify } from 'yaml';
import { BaseCommand } from '../cli/base-command.js';
import { type Discovery, discoverDeployment, type Found } from '../discover.js';
import { InputError } from '../engine/errors.js';

/** Comments are one line each: no line breaks or other control characters from file names. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

/** A YAML scalar that stays on one line, whatever characters the value has. */
function scalar(value: string): string {
  const text = stringify(value, { lineWidth: 0 }).trimEnd();
  return text.includes('\n') ? JSON.stringify(value) : text;
}

/** Quotes a path for a shell command line only when it needs it. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

interface Entry {
  key: 'server-name' | 'homeserver-config' | 'element-config' | 'jitsi-env';
  found?: { value: string; reason: string };
  placeholder: string;
  hint?: string[];
}

export function renderProfile(d: Discovery, meta: { command: string; version: string; date: Date; profileName: string }): string {
  const lines: string[] = [];
  const c = (text: string) => lines.push(`# ${oneLine(text)}`.trimEnd());
  c(`matrixdoc profile written by \`${meta.command}\` (matrixdoc ${meta.version}) on ${meta.date.toISOString()},`);
  c(`from the files it found on this machine (searched under ${d.root}, home folder ${d.home}).`);
  c('Paths here are absolute. You may also write paths relative to the folder of this file.');
  c('Each value says why it was chosen; inputs that were not found are commented out: fill them in and');
  c('remove the leading #. Flags given to `matrixdoc check` win over the values here.');
  c(`Use it with: matrixdoc check --profile ${meta.profileName}`);
  lines.push('');

  const looked = (kind: keyof Discovery['searched']) => `not found; looked in ${d.searched[kind].join(', ')}`;
  const entries: Entry[] = [
    {
      key: 'server-name',
      found: d.serverName ? { value: d.serverName.value, reason: d.serverName.reason } : undefined,
      placeholder: 'example.com',
      hint: d.serverName ? undefined : ['not found: the part after ":" in your user IDs (@alice:example.com), as in server_name in homeserver.yaml'],
    },
    {
      key: 'homeserver-config',
      found: d.homeserverConfig && { value: d.homeserverConfig.path, reason: d.homeserverConfig.reason },
      placeholder: '/path/to/homeserver.yaml',
      hint: d.homeserverConfig ? undefined : [looked('homeserver-config')],
    },
    {
      key: 'element-config',
      found: d.elementConfig && { value: d.elementConfig.path, reason: d.elementConfig.reason },
      placeholder: '/path/to/element-web/config.json',
      hint: d.elementConfig ? undefined : [looked('element-config')],
    },
    {
      key: 'jitsi-env',
      found: d.jitsiEnv && { value: d.jitsiEnv.path, reason: d.jitsiEnv.reason },
      placeholder: '/path/to/docker-jitsi-meet/.env',
      hint: d.jitsiEnv
        ? undefined
        : [looked('jitsi-env'), ...(d.jitsiConfigDir ? [`Jitsi's config folder is ${d.jitsiConfigDir.path} (${d.jitsiConfigDir.reason})`] : [])],
    },
  ];
  for (const e of entries) {
    if (e.found && e.key === 'homeserver-config' && d.homeserverExtraConfigs.length) {
      // Synapse reads these after homeserver.yaml (Debian's conf.d); their top-level keys win.
      lines.push(`${e.key}:`);
      lines.push(`  - ${scalar(e.found.value)}  # found: ${oneLine(e.found.reason)}`);
      for (const x of d.homeserverExtraConfigs) lines.push(`  - ${scalar(x.path)}  # read after it, as Synapse does: ${oneLine(x.reason)}`);
    } else if (e.found) {
      lines.push(`${e.key}: ${scalar(e.found.value)}  # found: ${oneLine(e.found.reason)}`);
    } else {
      for (const h of e.hint ?? []) c(h);
      c(`${e.key}: ${e.placeholder}`);
    }
    if (e.key === 'jitsi-env' && e.found && d.jitsiConfigDir) c(`Jitsi's config folder: ${d.jitsiConfigDir.path} (${d.jitsiConfigDir.reason})`);
  }
  if (d.nginxConfig.length) {
    lines.push('nginx-config:');
    for (const n of d.nginxConfig) lines.push(`  - ${scalar(n.path)}  # found: ${oneLine(n.reason)}`);
  } else {
    c(looked('nginx-config'));
    c('nginx-config:');
    c('  - /etc/nginx/sites-enabled');
  }

  lines.push('');
  c('Network settings (optional; see `matrixdoc check --help`):');
  c('offline: true               # read the files only, contact nothing');
  c('timeout: 5s');
  c('dns-server: 192.0.2.53');
  c('resolve:                    # host:port:address, like curl --resolve');
  c('  - matrix.example.com:443:192.0.2.10');

  if (d.candidates.length) {
    lines.push('');
    c('Also seen, not used (swap one in above if it is the right one):');
    for (const x of d.candidates) c(`  ${x.kind}: ${x.path} — ${x.reason}`);
  }
  if (d.skipped.length) {
    lines.push('');
    c('Could not be read, skipped (run `matrixdoc init` as a user that can read them to look inside):');
    for (const x of d.skipped) c(`  ${x.path}: ${x.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

function fsMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'the folder does not exist';
  if (code === 'ENOTDIR') return 'a part of the path is not a folder';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ENOSPC') return 'no space left on the device';
  return (error as Error).message;
}

/** Writes through a temporary file in the same folder and a rename, so the profile is never half written. */
async function writeAtomically(file: string, text: string, force: boolean): Promise<void> {
  const existing = await lstat(file).catch(() => undefined);
  if (existing?.isDirectory()) throw new InputError(`cannot write the profile: ${file} is a folder`);
  if (existing && !force) throw new InputError(`${file} already exists; use --force to overwrite it (or --output for another name)`);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  let created = false;
  try {
    handle = await open(tmp, 'wx', 0o644);
    created = true;
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    if (force) {
      await rename(tmp, file);
      created = false;
      return;
    }
    // Without --force, a hard link puts the file in place only if the name is still free (no race with
    // another writer); file systems without hard links fall back to a rename after one more look.
    try {
      await link(tmp, file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new InputError(`${file} already exists; use --force to overwrite it (or --output for another name)`);
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
      if (await lstat(file).catch(() => undefined)) throw new InputError(`${file} already exists; use --force to overwrite it (or --output for another name)`);
      await rename(tmp, file);
      created = false;
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot write the profile ${file}: ${fsMessage(error)}`);
  } finally {
    await handle?.close().catch(() => undefined);
    if (created) await unlink(tmp).catch(() => undefined);
  }
}

export default class Init extends BaseCommand {
  static override summary = 'Find this machine’s Synapse, Element, nginx and Jitsi files and write a profile for `matrixdoc check`.';

  static override description =
    `Looks in the usual places (the Debian packages' folders, ~/synapse, /home/*/docker-jitsi-meet, nginx's sites-enabled/ and conf.d/, the folders nginx serves Element Web from...) and writes a profile that says beside each value why it was chosen; inputs it did not find are there too, commented out. Review the profile, then run \`matrixdoc check --profile FILE\`.

Run it as a user that can read the config files (often root, with sudo) so that nothing is skipped; --home then names the home folder where Synapse or docker-jitsi-meet were installed, if not yours. Paths in the profile are absolute.`;

  static override examples = [
    '<%= config.bin %> init',
    '<%= config.bin %> init --home /home/it --output /root/matrixdoc.yaml',
    '<%= config.bin %> init --print',
    '<%= config.bin %> init --root /mnt/backup --home /home/it --output backup.yaml',
  ];

  static override flags = {
    output: Flags.string({ char: 'o', description: 'Where to write the profile.', default: 'matrixdoc.yaml' }),
    force: Flags.boolean({ char: 'f', description: 'Overwrite the output file if it exists.' }),
    print: Flags.boolean({ description: 'Print the profile on stdout instead of writing a file (the summary goes to stderr).' }),
    root: Flags.string({ description: 'Look under this folder instead of / (a mounted disk, a copy of /etc...).', default: '/' }),
    home: Flags.string({
      description: 'The home folder to search for ~/synapse, ~/docker-jitsi-meet... (a path inside --root). Default: your home folder.',
    }),
  };

  async run(): Promise<Discovery> {
    const { flags } = await this.parse(Init);
    const root = path.resolve(flags.root);
    const rootInfo = await stat(root).catch(() => undefined);
    if (!rootInfo?.isDirectory()) throw new InputError(`--root: ${flags.root} is not a folder`);
    // Without --root, a relative --home is relative to the current folder; with it, to --root.
    const home = flags.home === undefined ? os.homedir() : root === path.parse(root).root ? path.resolve(flags.home) : path.posix.join('/', flags.home);

    const d = await discoverDeployment({ root, home });
    const output = path.resolve(flags.output);
    const profileName = flags.print ? 'matrixdoc.yaml' : flags.output;
    const text = renderProfile(d, {
      command: [this.config.bin, this.id ?? 'init', ...this.argv].map(shellQuote).join(' '),
      version: this.config.version,
      date: new Date(),
      profileName: shellQuote(profileName),
    });

    const say = (line = '') => (flags.print ? this.logToStderr(line) : this.log(line));
    if (flags.print) process.stdout.write(text);
    else await writeAtomically(output, text, flags.force);

    say(`Searched under ${d.root} (home folder ${d.home}):`);
    const row = (key: string, f: Found | undefined, value?: string) =>
      say(f ? `  ✔ ${key.padEnd(18)} ${value ?? f.path}\n      ${f.reason}` : `  ✘ ${key.padEnd(18)} not found`);
    say(d.serverName ? `  ✔ ${'server-name'.padEnd(18)} ${d.serverName.value}\n      ${d.serverName.reason}` : `  ✘ ${'server-name'.padEnd(18)} not found`);
    row('homeserver-config', d.homeserverConfig);
    row('element-config', d.elementConfig);
    row('jitsi-env', d.jitsiEnv);
    if (d.nginxConfig.length === 0) row('nginx-config', undefined);
    for (const n of d.nginxConfig) row('nginx-config', n);
    if (d.jitsiConfigDir) say(`  · Jitsi config folder ${d.jitsiConfigDir.path} (${d.jitsiConfigDir.reason})`);
    if (d.candidates.length)
      say(`  · ${d.candidates.length} more file${d.candidates.length === 1 ? '' : 's'} seen but not used (listed at the end of the profile)`);
    if (d.skipped.length) {
      say(`  ! ${d.skipped.length} could not be read and ${d.skipped.length === 1 ? 'was' : 'were'} skipped; run as a user that can read them:`);
      for (const s of d.skipped.slice(0, 5)) say(`      ${s.path}: ${s.reason}`);
      if (d.skipped.length > 5) say(`      ... (all listed at the end of the profile)`);
    }
    const nothing = !d.serverName && !d.homeserverConfig && !d.elementConfig && !d.jitsiEnv && d.nginxConfig.length === 0;
    say();
    if (flags.print) {
      say(`Profile printed above. Save it (for example: ${this.config.bin} init --print > matrixdoc.yaml), then run:`);
      say(`  ${this.config.bin} check --profile matrixdoc.yaml`);
    } else {
      say(`Wrote ${flags.output}.${nothing ? ' Nothing was found: fill in the commented-out lines.' : ' Review it, then run:'}`);
      say(`  ${this.config.bin} check --profile ${shellQuote(flags.output)}`);
    }
    return d;
  }
}
