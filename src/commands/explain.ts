import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { closestCodes, listCodePages, normaliseCode, pageText, readCodePage } from '../docs-pages.js';
import { InputError } from '../engine/errors.js';

export default class Explain extends BaseCommand {
  static override summary = 'Explain a finding code: what it means, why it matters, how to fix it.';

  static override description = `Prints the documentation page of a finding code (docs/codes/<CODE>.md) as plain text.
Every finding in a report carries its code; --list shows all codes with their default severity.`;

  static override examples = ['<%= config.bin %> explain MXD-HS-001', '<%= config.bin %> explain mxd-el-006', '<%= config.bin %> explain --list'];

  static override args = {
    code: Args.string({ description: 'A finding code such as MXD-HS-001 (any case).', required: false }),
  };

  static override flags = {
    list: Flags.boolean({ char: 'l', description: 'List every code with its default severity and title.' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Explain);
    const root = this.config.root;
    if (flags.list) {
      if (args.code) throw new InputError('give either a code or --list, not both');
      const pages = await listCodePages(root);
      const width = Math.max(4, ...pages.map((p) => p.meta.code.length));
      const sevWidth = Math.max(8, ...pages.map((p) => p.meta.severity.length));
      this.log(`${'CODE'.padEnd(width)}  ${'SEVERITY'.padEnd(sevWidth)}  TITLE`);
      for (const { meta } of pages) {
        this.log(`${meta.code.padEnd(width)}  ${meta.severity.padEnd(sevWidth)}  ${meta.title}${meta.deprecated ? ' (deprecated)' : ''}`);
      }
      return;
    }
    if (!args.code) throw new InputError('give a finding code (for example: matrixdoc explain MXD-HS-001), or --list to see them all');
    const page = await readCodePage(root, args.code);
    if (!page) {
      const known = (await listCodePages(root)).map((p) => p.meta.code);
      const near = closestCodes(args.code, known);
      const hint = near.length ? `; closest known codes: ${near.join(', ')}` : '';
      throw new InputError(`unknown code '${normaliseCode(args.code)}'${hint} (matrixdoc explain --list shows all codes)`);
    }
    this.log(pageText(page));
  }
}
