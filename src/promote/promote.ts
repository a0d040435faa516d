/**
 * Promotion between environment branches, without touching the user's checkout:
 * read (refs, cleanliness) -> merge in git's object store (`git merge-tree --write-tree`) ->
 * a commit on a new branch `promote/<from>-to-<to>-<sha>` -> the rendered diff of every target
 * cluster. The target branch never moves, nothing is force-pushed, no commit is rewritten.
 */
import { ConflictError, InputError } from '../errors.js';
import { git, gitRaw, resolveCommit } from '../git/git.js';

export interface PromoteOptions {
  readonly repo: string;
  readonly fromBranch: string;
  readonly toBranch: string;
  /** Short names used in the branch name and messages (e.g. dev, qa). */
  readonly fromName: string;
  readonly toName: string;
  /**
   * Renders the per-cluster summary of what the merge changes, given the target commit and the
   * merged commit. Returns the lines for the commit message.
   */
  readonly summarize: (baseCommit: string, headCommit: string) => string[];
  /** Only compute what the promotion would be: no branch is created, the work tree may be dirty. */
  readonly preview?: boolean;
}

export type PromoteResult =
  | { readonly status: 'nothing-to-promote'; readonly from: string; readonly to: string }
  | {
      readonly status: 'created';
      readonly branch: string;
      readonly commit: string;
      readonly base: string;
      readonly from: string;
      readonly message: string;
    };

/** The branch ref to use for a name: the local branch, else the remote-tracking one. */
export function branchRef(repo: string, branch: string): string {
  for (const ref of [`refs/heads/${branch}`, `refs/remotes/origin/${branch}`]) {
    if (gitRaw(repo, ['rev-parse', '--verify', '--quiet', ref]).status === 0) return ref;
  }
  throw new InputError(`branch '${branch}' not found (neither local nor origin/${branch})`);
}

function requireMergeTree(repo: string): void {
  const v = git(repo, ['version']).match(/(\d+)\.(\d+)/);
  if (v && (Number(v[1]) < 2 || (Number(v[1]) === 2 && Number(v[2]) < 38))) {
    throw new InputError(`git ${v[0]} is too old: promote needs git 2.38 or newer (merge-tree --write-tree)`);
  }
}

/** Refuses a dirty working tree: a promotion must start from committed state. */
export function assertClean(repo: string): void {
  const st = git(repo, ['status', '--porcelain', '--untracked-files=no']);
  if (st.trim() !== '') {
    throw new InputError(`the working tree has uncommitted changes; commit or stash them first:\n${st.trimEnd()}`);
  }
}

export function promote(o: PromoteOptions): PromoteResult {
  requireMergeTree(o.repo);
  if (!o.preview) assertClean(o.repo);
  const fromRef = branchRef(o.repo, o.fromBranch);
  const toRef = branchRef(o.repo, o.toBranch);
  const from = resolveCommit(o.repo, fromRef);
  const to = resolveCommit(o.repo, toRef);
  const isAncestor = gitRaw(o.repo, ['merge-base', '--is-ancestor', from, to]).status === 0;
  const toTree = git(o.repo, ['rev-parse', `${to}^{tree}`]).trim();
  const sameTree = git(o.repo, ['rev-parse', `${from}^{tree}`]).trim() === toTree;
  if (isAncestor || sameTree) return { status: 'nothing-to-promote', from, to };

  const branch = `promote/${o.fromName}-to-${o.toName}-${from.slice(0, 7)}`;
  if (!o.preview && gitRaw(o.repo, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]).status === 0) {
    throw new ConflictError(
      `branch '${branch}' already exists (this promotion was prepared before); push it, or delete it to start again`,
    );
  }
  const mt = gitRaw(o.repo, ['merge-tree', '--write-tree', '--name-only', '--no-messages', to, from]);
  if (mt.status === 1) {
    const files = mt.stdout.split('\n').slice(1).filter(Boolean);
    throw new ConflictError(
      `merging ${o.fromBranch} into ${o.toBranch} conflicts in:\n${files.map((f) => `  ${f}`).join('\n')}\n` +
        `Nothing was changed. Resolve it by merging ${o.toBranch} into ${o.fromBranch} first (or fix the ` +
        `files), then promote again.`,
    );
  }
  if (mt.status !== 0) throw new InputError(`git merge-tree failed: ${mt.stderr.trim()}`);
  const tree = mt.stdout.split('\n')[0]!.trim();
  if (tree === toTree) return { status: 'nothing-to-promote', from, to };

  // A provisional commit to render from, then the real one with the summary in its message.
  const title = `Promote ${o.fromName} to ${o.toName} (${from.slice(0, 7)})`;
  const provisional = git(o.repo, ['commit-tree', tree, '-p', to, '-p', from, '-m', title]).trim();
  const lines = o.summarize(to, provisional);
  const message = [
    title,
    '',
    `Merges ${o.fromBranch} (${from.slice(0, 12)}) into ${o.toBranch} (${to.slice(0, 12)}).`,
    '',
    ...lines,
  ].join('\n');
  const commit = git(o.repo, ['commit-tree', tree, '-p', to, '-p', from, '-F', '-'], message).trim();
  if (o.preview) return { status: 'created', branch, commit, base: to, from, message };
  // Create the branch only if it still does not exist (no overwrite, even in a race).
  git(o.repo, ['update-ref', `refs/heads/${branch}`, commit, '0000000000000000000000000000000000000000']);
  return { status: 'created', branch, commit, base: to, from, message };
}

/** Pushes the promotion branch (never forced). */
export function pushBranch(repo: string, branch: string, remote = 'origin'): void {
  git(repo, ['push', remote, `refs/heads/${branch}:refs/heads/${branch}`]);
}
