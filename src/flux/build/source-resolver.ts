/**
 * Which Flux sources are this repository, and the artifact view of each. A source is
 * buildable offline when it is mapped with `--source Kind/ns/name=PATH`, or is the repository
 * itself: the GitRepository `flux-system/flux-system` that `flux bootstrap` creates, or the
 * source of the Kustomization that syncs the cluster path.
 */
import type { RepoFs } from '../../repo/repo-fs.js';
import { resolveRel } from '../../repo/repo-fs.js';
import { InputError } from '../../errors.js';
import { isPlainObject, type KObject } from '../../resources/resource.js';
import { SourceFs } from '../source/source-fs.js';
import type { ArtifactView } from '../source/artifact-view.js';
import { assembleArtifact } from '../source/artifact-generator.js';
import type { SourceRefInfo } from './types.js';

export const DEFAULT_REPO_SOURCE = 'GitRepository/flux-system/flux-system';

export type SourceResolution =
  | {
      readonly ok: true;
      readonly fs: ArtifactView;
      readonly root: string;
      readonly how: 'mapped' | 'this-repo' | 'artifact-generator';
    }
  | { readonly ok: false; readonly reason: string };

export class SourceResolver {
  private readonly repo: RepoFs;
  private readonly mapped = new Map<string, string>();
  private readonly thisRepo = new Set<string>([DEFAULT_REPO_SOURCE]);
  private readonly objects = new Map<string, KObject>();
  private readonly fsCache = new Map<string, SourceFs>();

  constructor(repo: RepoFs, mappings: Readonly<Record<string, string>> = {}) {
    this.repo = repo;
    for (const [k, v] of Object.entries(mappings)) {
      const parts = k.split('/');
      if (parts.length !== 3 || parts.some((p) => p === '')) {
        throw new InputError(`--source '${k}=${v}': expected Kind/namespace/name=PATH`);
      }
      const root = resolveRel('', v, '--source path');
      if (!repo.isDir(root)) throw new InputError(`--source '${k}=${v}': '${v}' is not a directory of the repository`);
      this.mapped.set(k, root);
    }
  }

  /** Marks a source as this repository (the cluster path's sync uses it). */
  addThisRepo(id: string): void {
    this.thisRepo.add(id);
  }

  /** Records a source object seen in a build (its spec.ignore shapes the artifact). */
  addSourceObject(id: string, obj: KObject): void {
    if (!this.objects.has(id)) this.objects.set(id, obj);
  }

  /** The artifact view of a directory of the repository. */
  fsFor(root: string, ignore?: string): SourceFs {
    const key = `${root}\0${ignore ?? ''}`;
    let fs = this.fsCache.get(key);
    if (!fs) {
      fs = new SourceFs(this.repo, root, ignore);
      this.fsCache.set(key, fs);
    }
    return fs;
  }

  private readonly generators = new Map<string, KObject>();
  private readonly artifactCache = new Map<string, SourceResolution>();

  /** Records an ArtifactGenerator seen in a build (it may produce ExternalArtifacts of this repo). */
  addArtifactGenerator(obj: KObject): void {
    const id = `${obj.metadata?.namespace || 'default'}/${obj.metadata?.name ?? ''}`;
    if (!this.generators.has(id)) this.generators.set(id, obj);
  }

  resolve(ref: SourceRefInfo, depth = 0): SourceResolution {
    const obj = this.objects.get(ref.id);
    const spec = obj && isPlainObject(obj.spec) ? obj.spec : undefined;
    const ignore = typeof spec?.ignore === 'string' ? spec.ignore : undefined;
    const mapped = this.mapped.get(ref.id);
    if (mapped !== undefined) return { ok: true, fs: this.fsFor(mapped, ignore), root: mapped, how: 'mapped' };
    if (this.thisRepo.has(ref.id)) return { ok: true, fs: this.fsFor('', ignore), root: '', how: 'this-repo' };
    if (ref.kind === 'ExternalArtifact' && depth < 4) {
      const cached = this.artifactCache.get(ref.id);
      if (cached) return cached;
      const gens = [...this.generators.values()].filter(
        (g) =>
          (g.metadata?.namespace || 'default') === ref.namespace &&
          isPlainObject(g.spec) &&
          Array.isArray(g.spec.artifacts) &&
          g.spec.artifacts.some((a) => isPlainObject(a) && a.name === ref.name),
      );
      if (gens.length === 1) {
        const gen = gens[0]!;
        const art = assembleArtifact(gen, ref.name, (kind, namespace, name) => {
          const r = this.resolve({ kind, namespace, name, id: `${kind}/${namespace}/${name}` }, depth + 1);
          return r.ok ? r.fs : r.reason;
        });
        const res: SourceResolution =
          typeof art === 'string'
            ? {
                ok: false,
                reason:
                  `source ${ref.id} (from ArtifactGenerator ${ref.namespace}/${gen.metadata?.name}): ${art}; ` +
                  `or map it with --source ${ref.id}=./path`,
              }
            : { ok: true, fs: art, root: art.repoPath(''), how: 'artifact-generator' };
        this.artifactCache.set(ref.id, res);
        return res;
      }
    }
    return {
      ok: false,
      reason:
        `source ${ref.id} is not this repository, so it cannot be built offline; map it to a directory with ` +
        `--source ${ref.id}=./path`,
    };
  }
}
