import { UsageError } from '../../errors.js';
import { runPromotion } from '../../promote/promotion.js';
import { pushBranch } from '../../promote/promote.js';
import { openPullRequest, targetFromUrl } from '../../promote/pull-request.js';
import { git } from '../../git/git.js';
import { fluxRenderer } from '../../diff/cluster-renderer.js';
import { renderMarkdown, renderText } from '../../diff/render.js';
import { repoContext } from '../repo-context.js';
import type { Command } from '../command.js';
import { RENDER_FLAGS, RENDER_USAGE, renderSession } from '../render-options.js';
import { prefetchCharts } from '../fetch-charts.js';
import { DiskRepoFs } from '../../repo/repo-fs.js';
import type { Session } from '../../session/session.js';
import { choice } from '../help/choice.js';

const command: Command = {
  usage: `aksfleet promote <from-env> <to-env> [repo] [--push] [--format text|markdown] ${RENDER_USAGE}`,
  options: { push: { type: 'boolean' }, format: { type: 'string' }, ...RENDER_FLAGS },
  async run({ io, args, flags, session: given }) {
    if (args.length < 2 || args.length > 3) throw new UsageError('usage: aksfleet promote <from-env> <to-env> [repo]');
    const format = choice('promote', 'format', flags.format, 'text');
    const ctx = repoContext(io.cwd, args[2]);
    if (!ctx.isGit) throw new UsageError(`${ctx.root} is not a git repository`);
    const remoteUrls = new DiskRepoFs(ctx.root).remoteUrls;
    const promotion = (session: Session, preview: boolean) =>
      runPromotion({
        repo: ctx.root,
        from: args[0]!,
        to: args[1]!,
        fleet: ctx.fleet,
        remoteUrls,
        render: fluxRenderer({ session }),
        ...(preview ? { preview } : {}),
      });
    // --fetch-charts: a preview (no branch) finds the missing charts; the promotion renders with them.
    const session = (
      await prefetchCharts(renderSession(given, flags, io, ctx.root), ctx.root, io, (s) => promotion(s, true))
    ).session;
    const p = promotion(session, false);
    if (p.result.status === 'nothing-to-promote') {
      io.err(`nothing to promote: ${p.toBranch} already contains ${p.fromBranch} (${p.result.from.slice(0, 7)})\n`);
      return 0;
    }
    const r = p.result;
    io.err(
      `created branch ${r.branch} (${r.commit.slice(0, 7)}) from ${p.toBranch}; ${p.toBranch} itself is unchanged\n`,
    );
    if (p.diff) io.out(format === 'markdown' ? renderMarkdown(p.diff) : renderText(p.diff, io.color));
    if (flags.push) {
      pushBranch(ctx.root, r.branch);
      io.err(`pushed ${r.branch}\n`);
      const url = git(ctx.root, ['remote', 'get-url', 'origin']).trim();
      const fleetGit = ctx.fleet?.spec.git;
      const target =
        fleetGit?.owner && fleetGit.repository
          ? {
              provider: fleetGit.provider,
              owner: fleetGit.owner,
              repository: fleetGit.repository,
              project: fleetGit.project,
            }
          : targetFromUrl(url);
      if (!target)
        throw new UsageError(
          `cannot tell the provider, owner and repository from the origin URL '${url}'; set git.owner and ` +
            `git.repository in fleet.yaml`,
        );
      const prUrl = await openPullRequest(
        target,
        {
          title: r.message.split('\n')[0]!,
          body: p.diff ? renderMarkdown(p.diff) : r.message,
          head: r.branch,
          base: p.toBranch,
        },
        io.env,
      );
      io.err(`opened pull request ${prUrl}\n`);
    }
    return 0;
  },
};
export default command;
