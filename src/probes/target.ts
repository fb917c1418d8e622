// The names the user gave on the command line or in the profile, as evidence checks can compare files
// against (for example --server-name against homeserver.yaml's server_name).

import { defineProbe } from '../engine/define.js';

export interface TargetArtifact {
  serverName?: string;
}

export const targetProbe = defineProbe<TargetArtifact>({
  id: 'target',
  description: 'The server name and other names given to matrixdoc',
  network: false,
  async run(ctx) {
    return { serverName: ctx.inputs.serverName };
  },
});
