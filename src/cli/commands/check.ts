/**
 * `aksfleet check`: the pull-request gate. Renders every cluster of the repository offline,
 * runs every rule, reports all findings at once. Exit 0 clean, 1 findings at or above
 * --fail-on, 2 usage or input errors.
 *
 * This module is what `check --help` and `check --list-rules` load: the options, and the rules
 * listed from the generated catalog (src/checks/rule-catalog.ts). The check itself (rules,
 * engines, renderers) is check-run.ts, loaded only when a check runs (#21 item 5).
 */
import type { Command } from '../command.js';
import { CLUSTER_FLAGS, RENDER_FLAGS, RENDER_USAGE } from '../render-flags.js';

const command: Command = {
  usage:
    `aksfleet check [repo] [--path P | --cluster NAME] [--format text|json|sarif|junit|markdown] [--fail-on ` +
    `error|warning|info] [--platform aks|kubernetes] [--profile generic|aks-baseline] [--changed-since REF] ` +
    `[--no-cache] [--jobs N] [--shard I/N] [--policies DIR]... [--list-rules] [--watch] ${RENDER_USAGE}`,
  options: {
    policies: { type: 'string', multiple: true },
    ...CLUSTER_FLAGS,
    format: { type: 'string' },
    'fail-on': { type: 'string' },
    platform: { type: 'string' },
    profile: { type: 'string' },
    'list-rules': { type: 'boolean' },
    'changed-since': { type: 'string' },
    'no-cache': { type: 'boolean' },
    jobs: { type: 'string' },
    shard: { type: 'string' },
    watch: { type: 'boolean' },
    ...RENDER_FLAGS,
  },
  async run(ctx) {
    if (ctx.flags.watch) return (await import('./check-watch.js')).runCheckWatch(ctx);
    if (ctx.flags['list-rules']) {
      const { rulesList } = await import('../../checks/rules-list.js');
      ctx.io.out(rulesList());
      return 0;
    }
    return (await import('./check-run.js')).runCheck(ctx);
  },
};
export default command;
