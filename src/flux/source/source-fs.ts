/**
 * The view of a Flux source artifact: a RepoFs rooted at the source's directory in the repo,
 * without the files source-controller leaves out of the artifact. kustomize builds run over this
 * view, so they can neither see ignored files nor leave the artifact.
 *
 * As source-controller v1.9 (Flux 2.9) makes a GitRepository or OCIRepository artifact (fluxcd/pkg
 * sourceignore LoadIgnorePatterns, artifact/storage SourceIgnoreFilter and Archive):
 *  - the patterns are every `.sourceignore` file of the tree (any depth, also inside ignored
 *    directories; the walk enters neither `.git` nor links to folders), each scoped to its own
 *    directory, parents first, then `spec.ignore`; the last pattern that matches a path decides
 *    (`!` re-includes);
 *  - the VCS excludes (`.git/`, `.gitignore`, `.gitmodules`, `.gitattributes`) always apply,
 *    lowest; the other default excludes (images, archives, CI files, `.sops.yaml`...) apply only
 *    when there is no pattern at all, in any `.sourceignore` of the tree or in `spec.ignore`
 *    (SourceIgnoreFilter: "If an empty gitignore.Pattern slice is given, the matcher is set to
 *    sourceignore.NewDefaultMatcher"): so `spec.ignore` replaces those defaults, it does not add
 *    to them;
 *  - the archive walk judges every path on its own and does not stop at an excluded directory,
 *    so a negation re-includes a file under an excluded folder (unlike git); such a folder then
 *    exists in the artifact (the untar creates it) holding only what was re-included;
 *  - symbolic links are left out (Archive keeps regular files and folders only, and its walk
 *    does not enter a link to a folder), whether they point inside the repository or not.
 * The oracle is source-controller's own code (test/oracles/programs/sourceignore).
 */
import type { RepoFs } from '../../repo/repo-fs.js';
import { InputError } from '../../errors.js';
import type { ArtifactView } from './artifact-view.js';
import { findFiles, isLinkIn, resolveRel } from '../../repo/repo-fs.js';
import {
  DEFAULT_EXCLUDES,
  VCS_EXCLUDES,
  isExcluded,
  parsePattern,
  readPatterns,
  type IgnorePattern,
} from './gitignore.js';

export const SOURCEIGNORE_FILE = '.sourceignore';

/** The default excludes, parsed once (constant data). */
const PARSED_VCS_EXCLUDES: readonly IgnorePattern[] = VCS_EXCLUDES.map((p) => parsePattern(p, []));
const PARSED_DEFAULT_EXCLUDES: readonly IgnorePattern[] = DEFAULT_EXCLUDES.map((p) => parsePattern(p, []));

export class SourceFs implements ArtifactView {
  readonly label: string;
  /** Repo-relative directory of the artifact root ('' = repository root). */
  readonly root: string;
  private readonly base: RepoFs;
  private readonly cache = new Map<string, boolean>();
  private readonly specPatterns: readonly IgnorePattern[];
  private readonly dirPatterns = new Map<string, readonly IgnorePattern[]>();
  private readonly parentPatterns = new Map<string, readonly IgnorePattern[]>();
  /** present()'s answers by clean artifact-relative path (this view's questions were asked once). */
  private readonly presentPaths = new Map<string, boolean>();
  private readonly links = new Map<string, boolean>();
  private anyPattern?: boolean;
  /** Artifact-relative folders holding a `.sourceignore` file (found once per view). */
  private ignoreDirsMemo?: ReadonlySet<string>;

  /**
   * @param base the repository
   * @param root repo-relative directory that the artifact contains
   * @param specIgnore the source's `spec.ignore` text, if any (highest priority)
   */
  constructor(
    base: RepoFs,
    root = '',
    readonly specIgnore?: string,
  ) {
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
      ps = this.ignoreDirs().has(dir)
        ? readPatterns(this.base.readFile(this.repoPath(f)), dir ? dir.split('/') : [])
        : [];
      this.dirPatterns.set(dir, ps);
    }
    return ps;
  }

  /**
   * The folders of the artifact that hold a `.sourceignore` file, as LoadIgnorePatterns walks the
   * tree: one question of the repository (RepoFs.findFiles), so a build does not depend on the
   * listing of every folder.
   */
  private ignoreDirs(): ReadonlySet<string> {
    if (!this.ignoreDirsMemo) {
      const dirs = new Set<string>();
      const cut = this.root ? this.root.length + 1 : 0;
      for (const f of findFiles(this.base, this.root, SOURCEIGNORE_FILE)) {
        const rel = f.slice(cut);
        dirs.add(rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '');
      }
      this.ignoreDirsMemo = dirs;
    }
    return this.ignoreDirsMemo;
  }

  /**
   * Whether the source has ignore patterns, so that only the VCS excludes are defaults: `spec.ignore`
   * or any `.sourceignore` of the tree has one.
   */
  private hasPatterns(): boolean {
    this.anyPattern ??=
      this.specPatterns.length > 0 || [...this.ignoreDirs()].some((d) => this.ownPatterns(d).length > 0);
    return this.anyPattern;
  }

  /**
   * The patterns that can match a path whose parent directory is `parent`, lowest priority
   * first: the VCS excludes (and the other default excludes when the tree has no pattern), the
   * `.sourceignore` files from the root down to `parent` (a file's patterns only match below its
   * own directory, so only these can match), then `spec.ignore`.
   */
  patternsFor(parent: string): readonly IgnorePattern[] {
    const hit = this.parentPatterns.get(parent);
    if (hit) return hit;
    const defaults = this.hasPatterns() ? PARSED_VCS_EXCLUDES : PARSED_DEFAULT_EXCLUDES;
    const ps: IgnorePattern[] = [...defaults, ...this.ownPatterns('')];
    const parts = parent ? parent.split('/') : [];
    for (let i = 1; i <= parts.length; i++) ps.push(...this.ownPatterns(parts.slice(0, i).join('/')));
    ps.push(...this.specPatterns);
    this.parentPatterns.set(parent, ps);
    return ps;
  }

  /**
   * Whether the archive filter leaves this artifact-relative path out: the path alone is judged
   * (the walk does not stop at an excluded directory).
   */
  isIgnored(rel: string): boolean {
    const r = resolveRel('', rel);
    if (r === '') return false;
    const hit = this.cache.get(r);
    if (hit !== undefined) return hit;
    const parts = r.split('/');
    const parent = parts.slice(0, -1).join('/');
    const result = isExcluded(this.patternsFor(parent), parts, this.base.isDir(this.repoPath(r)));
    this.cache.set(r, result);
    return result;
  }

  /**
   * Whether a path is in the artifact: a file when not ignored, not a symbolic link and its folder
   * is in; a folder when not ignored and not a link, or when something under it was re-included
   * (the untar creates it). Without any re-including pattern that can reach below it (from the
   * `.sourceignore` files of its parents, its own and those below it, or `spec.ignore`), an
   * excluded folder's content is excluded too (each path under it matches the pattern that
   * matched the folder), so nothing below it is looked at.
   */
  private present(rel: string): boolean {
    const r = resolveRel('', rel);
    if (r === '') return true;
    const hit = this.presentPaths.get(r);
    if (hit !== undefined) return hit;
    const result = this.presentUncached(r);
    this.presentPaths.set(r, result);
    return result;
  }

  private presentUncached(r: string): boolean {
    const cut = r.lastIndexOf('/');
    const parent = cut === -1 ? '' : r.slice(0, cut);
    if (parent !== '' && !this.present(parent)) return false;
    if (this.isLink(r)) return false;
    if (!this.base.isDir(this.repoPath(r))) return !this.isIgnored(r);
    return !this.isIgnored(r) || (r.slice(cut + 1) !== '.git' && this.reIncludesBelow(r) && this.holdsIncluded(r, 0));
  }

  /** Some pattern that can match below the folder `dir` re-includes (`!`). */
  private reIncludesBelow(dir: string): boolean {
    if (this.patternsFor(dir).some((p) => p.inclusion)) return true;
    for (const d of this.ignoreDirs()) {
      if (d.startsWith(dir + '/') && this.ownPatterns(d).some((p) => p.inclusion)) return true;
    }
    return false;
  }

  /**
   * Whether an existing artifact path is a symbolic link (its parent being none): the archive
   * leaves links out, inside the repository or not. (A link that leaves the root or whose target
   * is missing does not exist for the repository view either.)
   */
  private isLink(r: string): boolean {
    let hit = this.links.get(r);
    if (hit === undefined) {
      hit = this.base.exists(this.repoPath(r)) && isLinkIn(this.base, this.repoPath(r));
      this.links.set(r, hit);
    }
    return hit;
  }

  /** Something under an excluded folder is re-included (a file, or a folder itself not ignored). */
  private holdsIncluded(dir: string, depth: number): boolean {
    if (depth > 64) return false;
    for (const name of this.base.list(this.repoPath(dir))) {
      const child = `${dir}/${name}`;
      if (this.isLink(child)) continue;
      if (!this.isIgnored(child)) return true;
      if (name !== '.git' && this.base.isDir(this.repoPath(child)) && this.holdsIncluded(child, depth + 1)) return true;
    }
    return false;
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
    return this.base.exists(this.repoPath(rel)) && this.present(rel);
  }
  isDir(rel: string): boolean {
    return this.base.isDir(this.repoPath(rel)) && this.present(rel);
  }
  isFile(rel: string): boolean {
    return this.base.isFile(this.repoPath(rel)) && this.present(rel);
  }
  list(rel: string): string[] {
    const r = resolveRel('', rel);
    if (!this.present(r)) return [];
    // A link whose target is missing or outside the root is listed by the folder but is no entry.
    return this.base.list(this.repoPath(r)).filter((n) => {
      const c = r ? `${r}/${n}` : n;
      return this.base.exists(this.repoPath(c)) && this.present(c);
    });
  }

  realPath(rel: string): string | undefined {
    if (this.isIgnored(rel) || !this.base.realPath) return undefined;
    const real = this.base.realPath(this.repoPath(rel));
    if (real === undefined || !this.root) return real;
    if (real === this.root) return '';
    return real.startsWith(this.root + '/') ? real.slice(this.root.length + 1) : undefined;
  }

  private refuseIgnored(rel: string): void {
    if (this.base.exists(this.repoPath(rel)) && !this.present(rel)) {
      const file = this.repoPath(rel);
      const link = this.linkOnPath(rel);
      const why =
        link !== undefined
          ? `${link === file ? 'it is' : `'${link}' is`} a symbolic link, and source-controller leaves links ` +
            `out of the artifact`
          : 'is excluded (source-controller default excludes or .sourceignore)';
      throw new InputError(
        `file not found in the Flux source artifact: '${file}' ${link !== undefined ? `(${why})` : why}`,
        { pos: { file } },
      );
    }
  }

  /** The first symbolic link on an artifact path (repo-relative), if any. */
  private linkOnPath(rel: string): string | undefined {
    const parts = resolveRel('', rel).split('/');
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      if (this.isLink(p)) return this.repoPath(p);
    }
    return undefined;
  }
}
