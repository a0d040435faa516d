/**
 * kustomize's file loader over a RepoFs: one loader per kustomization root. Files must lie in or
 * below the root under `RootOnly` (kubectl's default); directories may be anywhere in the repo.
 * A directory that contains a root already being built is a cycle. Remote URLs are refused:
 * this engine is offline.
 */
import { InputError } from '../errors.js';
import type { RepoFs } from '../repo/repo-fs.js';
import { resolveRel } from '../repo/repo-fs.js';

export type LoadRestrictions = 'RootOnly' | 'None';

/** Prefixes fluxcd/pkg's IsLocalRelativePath treats as remote, plus any `scheme://`. */
export function isRemote(p: string): boolean {
  return /^(git::|gh:|ssh:\/\/|https?:\/\/|git@|github\.com[:/])/.test(p) || /^[a-z][a-z0-9+.-]*:\/\//i.test(p);
}

/**
 * How deep kustomizations may nest (resources/components of resources of ...). kubectl has no
 * limit; real repositories nest fewer than 20 levels, and each level costs this engine stack.
 * Deeper nesting stops with an input error naming the chain's ends (docs/security.md).
 */
export const MAX_KUSTOMIZATION_DEPTH = 256;

/**
 * Why a path that is "not there" is not there, when the reason is a symlink leaving the
 * repository root (the view's realPath refuses it); undefined otherwise.
 */
export function symlinkEscape(fs: RepoFs, rel: string): string | undefined {
  try {
    fs.realPath?.(rel);
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  return undefined;
}

export class Loader {
  /** Nesting level: 0 for the top kustomization. */
  readonly depth: number;

  constructor(
    readonly fs: RepoFs,
    /** Repo-relative kustomization root ('' = repo root). */
    readonly root: string,
    readonly restrictions: LoadRestrictions,
    readonly referrer?: Loader,
    /** The top kustomization's buildMetadata (kustomize gives it to every sub-kustomization). */
    readonly buildMetadata: readonly string[] = referrer?.buildMetadata ?? [],
  ) {
    this.depth = referrer ? referrer.depth + 1 : 0;
  }

  /** kustomize tracks origins (for origin and transformer annotations) when buildMetadata is set. */
  get tracksOrigins(): boolean {
    return this.buildMetadata.length > 0;
  }

  /** Repo-relative path of `p` taken relative to this root. */
  resolve(p: string, what: string): string {
    if (p === '') throw new InputError(`${what}: empty path`);
    if (isRemote(p)) {
      throw new InputError(
        `${what} '${p}' is a remote reference; aksfleet builds offline and ` +
          `does not fetch remote resources (vendor it into the repository)`,
        { offline: true },
      );
    }
    if (p.startsWith('/'))
      throw new InputError(`${what} '${p}' is an absolute path; use a path relative to the kustomization`);
    return resolveRel(this.root, p, what);
  }

  private checkFile(rel: string, p: string): void {
    if (this.restrictions !== 'RootOnly') return;
    const dir = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
    const inRoot = this.root === '' || dir === this.root || dir.startsWith(this.root + '/');
    if (!inRoot) {
      throw new InputError(
        `security; file '${p}' is not in or below '${this.root || '.'}' (kubectl's default load ` +
          `restrictor is LoadRestrictionsRootOnly; use --load-restrictor LoadRestrictionsNone to allow it)`,
      );
    }
  }

  /** Repo-relative path of a file named relative to the root: it must exist and be loadable. */
  private existingFile(p: string, what: string): string {
    const rel = this.resolve(p, what);
    if (!this.fs.isFile(rel)) {
      if (this.fs.isDir(rel)) throw new InputError(`${what} '${p}' is a directory, not a file`, { pos: { file: rel } });
      const escape = symlinkEscape(this.fs, rel);
      if (escape) throw new InputError(`${what} '${p}': ${escape}`, { pos: { file: rel } });
      throw new InputError(`${what} '${p}' not found (looked for '${rel}')`, { pos: { file: rel } });
    }
    this.checkFile(rel, p);
    return rel;
  }

  /** Reads a file (bytes) named relative to the root, honouring the load restrictions. */
  loadBytes(p: string, what = 'file'): { rel: string; bytes: Uint8Array } {
    const rel = this.existingFile(p, what);
    return { rel, bytes: this.fs.readBytes(rel) };
  }

  loadText(p: string, what = 'file'): { rel: string; text: string } {
    const rel = this.existingFile(p, what);
    return { rel, text: this.fs.readFile(rel) };
  }

  /** This root with symlinks resolved, asked once per loader (roots made by newDir are real already). */
  private realRootMemo: string | undefined;
  private get realRoot(): string {
    return (this.realRootMemo ??= this.fs.realPath?.(this.root) ?? this.root);
  }

  /** A loader for a sub-directory (resources/components); refuses cycles. */
  newDir(p: string, what: string): Loader {
    const lexical = this.resolve(p, what);
    if (!this.fs.isDir(lexical))
      throw new InputError(`${what} '${p}': '${lexical || '.'}' is not a directory`, { pos: { file: lexical } });
    // kustomize roots a kustomization at its real path (filesys.ConfirmDir evaluates symlinks):
    // a folder reached through a symlink is the folder itself, so a cycle through links is a cycle.
    const rel = this.fs.realPath?.(lexical) ?? lexical;
    for (let l: Loader | undefined = this; l; l = l.referrer) {
      const visited = l.realRoot;
      if (rel === '' || visited === rel || visited.startsWith(rel + '/')) {
        throw new InputError(
          `cycle detected: candidate root '${rel || '.'}' contains visited root '${visited || '.'}'`,
        );
      }
    }
    if (this.depth + 1 > MAX_KUSTOMIZATION_DEPTH) {
      let top: Loader = this;
      while (top.referrer) top = top.referrer;
      throw new InputError(
        `kustomizations nest deeper than ${MAX_KUSTOMIZATION_DEPTH} levels (from ` +
          `'${top.root || '.'}' to '${rel}'); aksfleet stops here rather than exhaust its stack`,
      );
    }
    return new Loader(this.fs, rel, this.restrictions, this);
  }

  /** The chain of roots from the top kustomization to this one. */
  chain(): string[] {
    const out: string[] = [];
    for (let l: Loader | undefined = this; l; l = l.referrer) out.unshift(l.root || '.');
    return out;
  }
}
