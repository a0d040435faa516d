/**
 * The view of a Flux source artifact: a RepoFs rooted at the source's directory in the repo,
 * without the files source-controller leaves out of the artifact (default excludes, every
 * `.sourceignore` file scoped to its directory, and the source's `spec.ignore`). kustomize
 * builds run over this view, so they can neither see ignored files nor leave the artifact.
 */
import type { RepoFs } from '../../repo/repo-fs.js';
import { InputError } from '../../errors.js';
import type { ArtifactView } from './artifact-view.js';
import { resolveRel } from '../../repo/repo-fs.js';
import { DEFAULT_EXCLUDES, isExcluded, parsePattern, readPatterns, type IgnorePattern } from './gitignore.js';

export const SOURCEIGNORE_FILE = '.sourceignore';

export class SourceFs implements ArtifactView {
  readonly label: string;
  /** Repo-relative directory of the artifact root ('' = repository root). */
  readonly root: string;
  private readonly base: RepoFs;
  private readonly cache = new Map<string, boolean>();
  private readonly defaults: readonly IgnorePattern[] = DEFAULT_EXCLUDES.map((p) => parsePattern(p, []));
  private readonly specPatterns: readonly IgnorePattern[];
  private readonly dirPatterns = new Map<string, readonly IgnorePattern[]>();
  private readonly parentPatterns = new Map<string, readonly IgnorePattern[]>();

  /**
   * @param base the repository
   * @param root repo-relative directory that the artifact contains
   * @param specIgnore the source's `spec.ignore` text, if any (highest priority)
   */
  constructor(base: RepoFs, root = '', readonly specIgnore?: string) {
    this.base = base;
    this.root = resolveRel('', root);
    this.label = this.root ? `${base.label}/${this.root}` : base.label;
    this.specPatterns = specIgnore ? readPatterns(specIgnore, []) : [];
  }

  /** The repository this artifact is a view of. */
  get baseFs(): RepoFs {
    return this.base;
  }

  /** Repo-relative path of an artifact-relative one. */
  repoPath(rel: string): string {
    const r = resolveRel('', rel);
    return this.root ? (r ? `${this.root}/${r}` : this.root) : r;
  }

  /** The patterns of the `.sourceignore` file of one artifact directory (scoped to it). */
  private ownPatterns(dir: string): readonly IgnorePattern[] {
    let ps = this.dirPatterns.get(dir);
    if (!ps) {
      const f = dir ? `${dir}/${SOURCEIGNORE_FILE}` : SOURCEIGNORE_FILE;
      ps = this.base.isFile(this.repoPath(f)) ? readPatterns(this.base.readFile(this.repoPath(f)), dir ? dir.split('/') : []) : [];
      this.dirPatterns.set(dir, ps);
    }
    return ps;
  }

  /**
   * The patterns that can match a path whose parent directory is `parent`, lowest priority
   * first: the default excludes, the `.sourceignore` files from the root down to `parent`
   * (source-controller loads every file of the tree, but a file's patterns only match below its
   * own directory, so only these can match), then `spec.ignore`.
   */
  patternsFor(parent: string): readonly IgnorePattern[] {
    const hit = this.parentPatterns.get(parent);
    if (hit) return hit;
    const ps: IgnorePattern[] = [...this.defaults, ...this.ownPatterns('')];
    const parts = parent ? parent.split('/') : [];
    for (let i = 1; i <= parts.length; i++) ps.push(...this.ownPatterns(parts.slice(0, i).join('/')));
    ps.push(...this.specPatterns);
    this.parentPatterns.set(parent, ps);
    return ps;
  }

  /** Whether source-controller would leave this artifact-relative path out of the artifact. */
  isIgnored(rel: string): boolean {
    const r = resolveRel('', rel);
    if (r === '') return false;
    const hit = this.cache.get(r);
    if (hit !== undefined) return hit;
    const parts = r.split('/');
    const parent = parts.slice(0, -1).join('/');
    const result =
      (parent !== '' && this.isIgnored(parent)) ||
      isExcluded(this.patternsFor(parent), parts, this.base.isDir(this.repoPath(r)));
    this.cache.set(r, result);
    return result;
  }

  readFile(rel: string): string {
    this.refuseIgnored(rel);
    return this.base.readFile(this.repoPath(rel));
  }
  readBytes(rel: string): Uint8Array {
    this.refuseIgnored(rel);
    return this.base.readBytes(this.repoPath(rel));
  }
  exists(rel: string): boolean {
    return !this.isIgnored(rel) && this.base.exists(this.repoPath(rel));
  }
  isDir(rel: string): boolean {
    return !this.isIgnored(rel) && this.base.isDir(this.repoPath(rel));
  }
  isFile(rel: string): boolean {
    return !this.isIgnored(rel) && this.base.isFile(this.repoPath(rel));
  }
  list(rel: string): string[] {
    if (this.isIgnored(rel)) return [];
    const r = resolveRel('', rel);
    return this.base.list(this.repoPath(r)).filter((n) => !this.isIgnored(r ? `${r}/${n}` : n));
  }

  realPath(rel: string): string | undefined {
    if (this.isIgnored(rel) || !this.base.realPath) return undefined;
    const real = this.base.realPath(this.repoPath(rel));
    if (real === undefined || !this.root) return real;
    if (real === this.root) return '';
    return real.startsWith(this.root + '/') ? real.slice(this.root.length + 1) : undefined;
  }

  private refuseIgnored(rel: string): void {
    if (this.isIgnored(rel)) {
      const file = this.repoPath(rel);
      throw new InputError(`file not found in the Flux source artifact: '${file}' is excluded (source-controller default excludes or .sourceignore)`, { pos: { file } });
    }
  }
}
