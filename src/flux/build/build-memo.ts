/**
 * Memo of steps 1-2 of a Flux Kustomization build (generate + kustomize build) across clusters.
 *
 * In a fleet every cluster of an environment builds the same folders with the same overrides;
 * only the postBuild variables differ, and substitution is step 3. So the result of steps 1-2 for
 * (repository, artifact root, ignore rules, path, spec overrides) is computed once and reused.
 *
 * The memo does not rely on file names or labels: each entry keeps the questions its build asked
 * the repository (RecordingRepoFs) and is reused only when the repository asked now gives the
 * same answers (`sameAnswersIn`); a RepoFs object that answered the same once is trusted for its
 * lifetime (one command reads the repository as one snapshot). Those questions are asked of
 * the caller's RepoFs, so a caller that records (incremental check, diff) still sees every
 * input of the build. Results are shared: they are deep-copied on every hit, so callers may
 * change what they get without touching the memo. A session (src/session) owns one BuildMemo.
 */
import type { RepoFs } from '../../repo/repo-fs.js';
import { RecordingRepoFs } from '../../repo/recording-fs.js';
import type { Resource } from '../../resources/resource.js';
import type { FluxKustomizationSpec } from '../types.js';
import type { GeneratedKustomization } from '../generator/index.js';
import { SourceFs } from '../source/source-fs.js';
import type { ArtifactView } from '../source/artifact-view.js';
import type { BuildCacheStore } from './build-cache.js';
import { cloneData } from './clone-data.js';
import { SubstitutionMemo } from '../substitute/substitution-memo.js';

/** Spec fields that do not reach steps 1-2 (they act on apply, health or step 3+). */
const NOT_BUILD_INPUTS = new Set([
  'postBuild',
  'dependsOn',
  'interval',
  'retryInterval',
  'timeout',
  'prune',
  'wait',
  'suspend',
  'healthChecks',
  'healthCheckExprs',
  'kubeConfig',
  'serviceAccountName',
  'decryption',
  'commonMetadata',
  'force',
  'sourceRef',
  'deletionPolicy',
]);

export interface MemoResult {
  readonly gen: GeneratedKustomization;
  readonly built: Resource[];
}

interface Entry {
  readonly questions: { sameAnswersIn(fs: RepoFs): boolean };
  readonly gen: GeneratedKustomization;
  readonly built: Resource[];
  /** Repositories (RepoFs objects) that answered the recorded questions the same already. */
  readonly checked: WeakSet<RepoFs>;
}

/** The bucket within one repository (the persistent store is per repository already). */
function buildKey(view: SourceFs, dir: string, spec: FluxKustomizationSpec): string {
  const inputs: Record<string, unknown> = {};
  for (const k of Object.keys(spec).sort())
    if (!NOT_BUILD_INPUTS.has(k)) inputs[k] = (spec as Record<string, unknown>)[k];
  return JSON.stringify([view.root, view.specIgnore ?? null, dir, inputs]);
}

const MAX_ENTRIES = 2048;

/**
 * The memos of one session (src/session): steps 1-2 of Flux Kustomization builds, with an
 * optional persistent second level (build-cache.ts), and postBuild substitution's. A build given
 * no memo builds everything itself; the results are the same.
 */
export class BuildMemo {
  private readonly entries = new Map<string, Entry>();
  private readonly counters = { hits: 0, misses: 0, stale: 0, diskHits: 0 };
  /** The memo of postBuild substitution (../substitute/substitution-memo.ts). */
  readonly substitutions = new SubstitutionMemo();

  /** `store`: the persistent second level, when a command opened one (build-cache.ts). */
  constructor(readonly store?: BuildCacheStore) {}

  /** Counters since this memo was made (bench and tests). */
  stats(): { hits: number; misses: number; stale: number; diskHits: number; entries: number } {
    return { ...this.counters, entries: this.entries.size };
  }

  /**
   * Steps 1-2 through the memo: `run(fs)` must build only through `fs` (an artifact view equal
   * to `view`). Views that are not plain source artifacts (ArtifactGenerator) are not memoised.
   * Failures are not memoised (they are rare and their errors must name this caller's files).
   */
  build(
    view: ArtifactView,
    dir: string,
    spec: FluxKustomizationSpec,
    run: (fs: ArtifactView) => MemoResult,
  ): MemoResult {
    if (!(view instanceof SourceFs)) return run(view);
    const stats = this.counters;
    const local = buildKey(view, dir, spec);
    const key = JSON.stringify([view.baseFs.label, local]);
    const hit = this.entries.get(key);
    if (hit) {
      // A RepoFs is read as one snapshot: once it answered the questions the same, it is trusted.
      // A recording RepoFs (one per cluster) is a new object, so it is asked, and records them.
      if (hit.checked.has(view.baseFs) || hit.questions.sameAnswersIn(view.baseFs)) {
        hit.checked.add(view.baseFs);
        stats.hits++;
        this.entries.delete(key); // LRU: most recent last
        this.entries.set(key, hit);
        return { gen: cloneData(hit.gen), built: cloneData(hit.built) };
      }
      stats.stale++;
      this.entries.delete(key);
    }
    const saved = this.store?.get(local);
    if (saved?.questions.sameAnswersIn(view.baseFs)) {
      stats.diskHits++;
      this.remember(key, {
        questions: saved.questions,
        gen: saved.gen,
        built: saved.built,
        checked: new WeakSet([view.baseFs]),
      });
      return { gen: cloneData(saved.gen), built: cloneData(saved.built) };
    }
    stats.misses++;
    const questions = new RecordingRepoFs(view.baseFs);
    const out = run(new SourceFs(questions, view.root, view.specIgnore));
    questions.detach();
    this.remember(key, {
      questions,
      gen: cloneData(out.gen),
      built: cloneData(out.built),
      checked: new WeakSet([view.baseFs]),
    });
    this.store?.put(local, questions, out.gen, out.built);
    return out;
  }

  private remember(key: string, e: Entry): void {
    this.entries.set(key, e);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }
}
