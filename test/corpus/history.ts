/**
 * The "Done when" run of issue #19: `check` (which builds every cluster) and `diff` over the
 * history of every corpus repository, commit by commit, and a tally of what could not be built
 * or followed. A measurement, not a test: run it by hand, review each distinct error, and record
 * the numbers (test/corpus/README.md says how and keeps the last results).
 *
 *   node --import tsx test/corpus/history.ts [--per-repo N] [--repo NAME] [--out FILE] MIRROR...
 *
 * Each MIRROR is a git directory holding one corpus repository's history (e.g. a bare clone of
 * github.com/fluxcd/flux2-multi-tenancy). Its first-parent history is sampled evenly (every
 * commit when it has at most N; N defaults to 40), checked out into a temporary clone whose
 * `origin` is the repository's public URL (so "this repository" is decided as in a real
 * checkout), and at each sampled commit:
 *  - `aksfleet check DIR --format json`: clusters, objects, findings;
 *  - `aksfleet diff DIR --base PREV --head SHA --format json` against the previous sample.
 * Findings of rule `kustomization-builds` (and diff's unfollowed parts) are split into
 * "not followed" (a source that is another repository, a chart not in the cache: said, not
 * wrong) and "errors" (everything else: each must be a real error of that commit, or a bug).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { catFileBatch, git } from '../../src/git/git.js';
import { runCli } from '../../src/cli/testing/run-cli.js';

interface Finding {
  readonly rule: string;
  readonly severity: string;
  readonly cluster: string;
  readonly resource: string;
  readonly message: string;
}

interface CommitResult {
  readonly sha: string;
  readonly date: string;
  readonly checkExit: number;
  readonly clusters: number;
  readonly objects: number;
  /** Kustomizations/HelmReleases said to be not followed (other repositories, charts not cached). */
  readonly notFollowed: number;
  /** Error findings of the build (kustomization-builds and the like) that are not "not followed". */
  readonly buildErrors: readonly Finding[];
  /** Error findings of other rules (policy opinions, references...). */
  readonly ruleErrors: number;
  /** Those, by rule: count and the first message (each reviewed: a false error is a bug). */
  readonly ruleErrorsByRule?: Readonly<Record<string, { count: number; first: string }>>;
  readonly diffExit?: number;
  /** What the diff said, by what it says rather than its exit code (diffOutcome). */
  readonly diffOutcome?: DiffOutcome;
  readonly diffError?: string;
  readonly stderr?: string;
  /** Files whose blobs the mirror lacks (large files left out of the snapshot): not written. */
  readonly missingBlobs?: number;
}

/** Messages that say what could not be followed (honest, not a failure of the model). */
const NOT_FOLLOWED =
  /not rendered offline|is not this repository|not in the chart cache|chart .* not (?:found|cached)|--chart-source|--source |remote resource .* is not supported|is a remote reference/;
/** Cluster paths tried, in order, when a commit has no Flux sync object. */
const FALLBACK_PATHS = ['cluster-manifests', 'cluster-baseline-settings', 'clusters'];
const BUILD_RULES = new Set(['kustomization-builds', 'helmrelease-renders', 'flux-build']);
/** Rules whose error findings mean "this cluster does not build" for `diff` (which throws on them). */
const DIFF_FAILING_RULES = new Set([...BUILD_RULES, 'postbuild-variables-defined']);

/**
 * What one `diff` said, read from its JSON rather than its exit code:
 *  - `no-changes` / `changes`: every cluster rendered on both sides;
 *  - `incomplete`: some part was not followed (listed in `clusters[].unfollowed`), exit 1;
 *  - `side-does-not-build`: a side of a cluster did not build (exit 2), and `check` at that
 *    side's commit reports a build error of that cluster too: a real "could not follow", said;
 *  - `diff-fails-where-check-builds`: a side did not build while `check` at that commit built
 *    it without error: a bug to find (or a difference between the two commands to explain);
 *  - `failed`: no JSON at all (a usage error or a crash), with its stderr.
 */
export type DiffOutcome =
  | 'no-changes'
  | 'changes'
  | 'incomplete'
  | 'side-does-not-build'
  | 'diff-fails-where-check-builds'
  | 'failed';

interface DiffJson {
  readonly clusters: readonly {
    cluster: string;
    path: string;
    errors: readonly string[];
    unfollowed: readonly unknown[];
    diff?: { added?: unknown[]; removed?: unknown[]; changed?: unknown[] };
    remote?: unknown[];
  }[];
}

/**
 * The outcome of a diff between `base` and `head`, given whether `check` built each side's clusters cleanly (by cluster
 * path).
 */
export function diffOutcome(
  code: number,
  out: string,
  baseLabel: string,
  builds: { base: (path: string) => boolean; head: (path: string) => boolean },
): { outcome: DiffOutcome; errors: string[] } {
  if (!out.trim().startsWith('{')) return { outcome: 'failed', errors: [] };
  const j = JSON.parse(out) as DiffJson;
  const errors = j.clusters.flatMap((c) => c.errors.map((e) => `${c.path}: ${e}`));
  if (errors.length) {
    // Each error names its side: `<base label>: ...` or `<head label>: ...`.
    const unexplained = j.clusters.some((c) =>
      c.errors.some((e) => (e.startsWith(`${baseLabel}: `) ? builds.base(c.path) : builds.head(c.path))),
    );
    return { outcome: unexplained ? 'diff-fails-where-check-builds' : 'side-does-not-build', errors };
  }
  if (j.clusters.some((c) => c.unfollowed.length > 0)) return { outcome: 'incomplete', errors };
  return { outcome: code === 0 ? 'no-changes' : 'changes', errors };
}

function args(argv: string[]): { perRepo: number; out?: string; only?: string; mirrors: string[] } {
  let perRepo = 40;
  let out: string | undefined;
  let only: string | undefined;
  const mirrors: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--per-repo') perRepo = Number(argv[++i]);
    else if (a === '--out') out = argv[++i];
    else if (a === '--repo') only = argv[++i];
    else mirrors.push(a);
  }
  return { perRepo, out, only, mirrors };
}

function byRule(fs: readonly Finding[]): Record<string, { count: number; first: string }> {
  const out: Record<string, { count: number; first: string }> = {};
  for (const f of fs) {
    const e = (out[f.rule] ??= { count: 0, first: `${f.resource}: ${f.message}`.slice(0, 300) });
    e.count++;
  }
  return out;
}

/** `owner+name` (the corpus folder name) of a mirror path such as /work/.mirror/owner+name/repo. */
const repoName = (mirror: string): string =>
  basename(mirror) === 'repo' ? basename(join(mirror, '..')) : basename(mirror);

/** Evenly spaced samples of `list` (oldest first), always with its newest entry. */
export function sample<T>(list: readonly T[], n: number): T[] {
  if (list.length <= n) return [...list];
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(list[Math.round((i * (list.length - 1)) / (n - 1))]!);
  return [...new Set(out)];
}

/**
 * The tree of `sha` in the work folder of `dir`, as a checkout would write it (links as links,
 * no submodules), except blobs the mirror lacks (a snapshot may leave its largest files out):
 * those are skipped and counted, where `git checkout` would fail.
 */
function materialise(dir: string, sha: string): number {
  for (const n of readdirSync(dir)) if (n !== '.git') rmSync(join(dir, n), { recursive: true, force: true });
  const entries = git(dir, ['ls-tree', '-r', '-z', '--full-tree', sha])
    .split('\0')
    .filter(Boolean)
    .map((rec) => {
      const tab = rec.indexOf('\t');
      const [mode, type, obj] = rec.slice(0, tab).split(' ');
      return { mode: mode!, type: type!, obj: obj!, path: rec.slice(tab + 1) };
    })
    .filter((e) => e.type === 'blob');
  const blobs = catFileBatch(
    dir,
    entries.map((e) => e.obj),
  );
  let missing = 0;
  for (const e of entries) {
    const b = blobs.get(e.obj);
    if (!b) {
      missing++;
      continue;
    }
    const p = join(dir, e.path);
    mkdirSync(dirname(p), { recursive: true });
    if (e.mode === '120000') symlinkSync(b.toString('utf8'), p);
    else writeFileSync(p, b);
  }
  return missing;
}

async function runRepo(
  mirror: string,
  perRepo: number,
): Promise<{ repo: string; commits: number; sampled: CommitResult[] }> {
  const repo = repoName(mirror);
  const work = mkdtempSync(join(tmpdir(), 'aksfleet-history-'));
  const dir = join(work, repo);
  git(work, ['clone', '-q', '--no-checkout', '--shared', mirror, dir]);
  git(dir, ['remote', 'set-url', 'origin', `https://github.com/${repo.replace('+', '/')}`]);
  const all = git(dir, ['rev-list', '--first-parent', '--reverse', 'HEAD']).trim().split('\n').filter(Boolean);
  const picks = sample(all, perRepo);
  const results: CommitResult[] = [];
  let prev: string | undefined;
  /** Cluster paths whose check had a build error, at the previous sample. */
  let prevFailing = new Set<string>();
  let prevPath: string | undefined;
  for (const sha of picks) {
    const missing = materialise(dir, sha);
    const date = git(dir, ['log', '-1', '--format=%cs', sha]).trim();
    const env = { AKSFLEET_TODAY: '2026-12-07', AKSFLEET_CACHE_DIR: join(work, 'cache') };
    let c = await runCli(['check', dir, '--format', 'json'], { env, cwd: work });
    // A repository without Flux sync objects (aks-baseline's cluster-manifests) is checked by path.
    const fallback = /no cluster found/.test(c.err) ? FALLBACK_PATHS.find((p) => existsSync(join(dir, p))) : undefined;
    if (fallback) c = await runCli(['check', dir, '--path', fallback, '--format', 'json'], { env, cwd: work });
    let clusters = 0;
    let objects = 0;
    let findings: Finding[] = [];
    const pathOf = new Map<string, string>();
    if (c.out.trim().startsWith('{')) {
      const j = JSON.parse(c.out) as {
        clusters: { name: string; path: string; objects?: number }[];
        findings: Finding[];
      };
      clusters = j.clusters.length;
      objects = j.clusters.reduce((n, k) => n + (k.objects ?? 0), 0);
      findings = j.findings;
      for (const k of j.clusters) pathOf.set(k.name, k.path);
    }
    // Cluster paths whose check says they do not build (a hub's `hub->spoke` contexts count for the hub).
    const failing = new Set(
      findings
        .filter((f) => f.severity === 'error' && DIFF_FAILING_RULES.has(f.rule))
        .map((f) => pathOf.get(f.cluster) ?? pathOf.get(f.cluster.split('->')[0]!) ?? f.cluster),
    );
    if (c.code > 1) failing.add('*');
    const errors = findings.filter((f) => f.severity === 'error');
    const build = errors.filter((f) => BUILD_RULES.has(f.rule));
    let diffExit: number | undefined;
    let diffError: string | undefined;
    let outcome: DiffOutcome | undefined;
    if (prev && clusters > 0) {
      // The same cluster selection as the check (a repository checked by --path is diffed by it).
      const d = await runCli(
        ['diff', dir, '--base', prev, '--head', sha, ...(fallback ? ['--path', fallback] : []), '--format', 'json'],
        { env, cwd: work },
      );
      diffExit = d.code;
      const builds = (set: Set<string>, checked: boolean) => (p: string) => checked && !set.has('*') && !set.has(p);
      const r = diffOutcome(d.code, d.out, prev, {
        base: builds(prevFailing, prevPath === fallback),
        head: builds(failing, true),
      });
      outcome = r.outcome;
      if (d.code > 1)
        diffError = (r.errors.length ? r.errors.join(' | ') : d.err.trim().split('\n').slice(0, 3).join(' | ')).slice(
          0,
          600,
        );
    }
    results.push({
      sha: sha.slice(0, 12),
      date,
      checkExit: c.code,
      clusters,
      objects,
      notFollowed: build.filter((f) => NOT_FOLLOWED.test(f.message)).length,
      buildErrors: build.filter((f) => !NOT_FOLLOWED.test(f.message)),
      ruleErrors: errors.length - build.length,
      ruleErrorsByRule: byRule(errors.filter((f) => !BUILD_RULES.has(f.rule))),
      diffExit,
      ...(outcome ? { diffOutcome: outcome } : {}),
      diffError,
      stderr: c.code > 1 ? c.err.trim().split('\n').slice(0, 3).join(' | ') : undefined,
      missingBlobs: missing || undefined,
    });
    process.stderr.write(
      `${repo} ${sha.slice(0, 12)} ${date} check=${c.code} clusters=${clusters} objects=${objects} ` +
        `build-errors=${results.at(-1)!.buildErrors.length} diff=${diffExit ?? '-'}` +
        `${outcome ? ` (${outcome})` : ''}\n`,
    );
    prev = sha;
    prevFailing = failing;
    prevPath = fallback;
  }
  rmSync(work, { recursive: true, force: true });
  return { repo, commits: all.length, sampled: results };
}

/** `changes 20, no-changes 5, side-does-not-build 2`: the diffs by outcome. */
function outcomes(s: readonly CommitResult[]): string {
  const n = new Map<string, number>();
  for (const c of s) if (c.diffOutcome) n.set(c.diffOutcome, (n.get(c.diffOutcome) ?? 0) + 1);
  return [...n].map(([k, v]) => `${k} ${v}`).join(', ') || 'no diffs';
}

async function mainRun(): Promise<void> {
  const a = args(process.argv.slice(2));
  const report = [];
  for (const m of a.mirrors) {
    if (a.only && !repoName(m).includes(a.only)) continue;
    report.push(await runRepo(m, a.perRepo));
  }
  const text = JSON.stringify(report, null, 1) + '\n';
  if (a.out) writeFileSync(a.out, text);
  for (const r of report) {
    const s = r.sampled;
    const errs = s.reduce((n, c) => n + c.buildErrors.length, 0);
    process.stdout.write(
      `${r.repo}: ${s.length}/${r.commits} commits, clusters ${s.reduce((n, c) => n + c.clusters, 0)}, ` +
        `objects ${s.reduce((n, c) => n + c.objects, 0)}, ` +
        `not followed ${s.reduce((n, c) => n + c.notFollowed, 0)}, build errors ${errs}, ` +
        `check exit>1 ${s.filter((c) => c.checkExit > 1).length}, diff exit>1 ` +
        `${s.filter((c) => (c.diffExit ?? 0) > 1).length}` +
        ` (${outcomes(s)})\n`,
    );
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await mainRun();
