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
 * change what they get without touching the memo.
 */
import type { RepoFs } from '../../repo/repo-fs.js';
import { RecordingRepoFs } from '../../repo/recording-fs.js';
import type { Resource } from '../../resources/resource.js';
import type { FluxKustomizationSpec } from '../types.js';
import type { GeneratedKustomization } from '../generator/index.js';
import { SourceFs } from '../source/source-fs.js';
import type { ArtifactView } from '../source/artifact-view.js';
import type { BuildCacheStore } from './build-cache.js';

/** Spec fields that do not reach steps 1-2 (they act on apply, health or step 3+). */
const NOT_BUILD_INPUTS = new Set([
  'postBuild', 'dependsOn', 'interval', 'retryInterval', 'timeout', 'prune', 'wait', 'suspend', 'healthChecks',
  'healthCheckExprs', 'kubeConfig', 'serviceAccountName', 'decryption', 'commonMetadata', 'force', 'sourceRef',
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

const MAX_ENTRIES = 2048;
const entries = new Map<string, Entry>();
const stats = { hits: 0, misses: 0, stale: 0, diskHits: 0 };
/** The persistent second level, when a command opened one (build-cache.ts). */
let store: BuildCacheStore | undefined;

/** Uses a persistent store behind the in-process memo (undefined: none); returns the previous one. */
export function useBuildCache(s: BuildCacheStore | undefined): BuildCacheStore | undefined {
  const was = store;
  store = s;
  return was;
}
let enabled = process.env.AKSFLEET_NO_BUILD_MEMO !== '1';

/** Turns the memos on or off (this one and substitution's; tests compare both); returns the previous setting. */
export function setBuildMemo(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  if (!on) entries.clear();
  return was;
}

/** Whether the memos (this one and postBuild substitution's) are on. */
export function buildMemoEnabled(): boolean {
  return enabled;
}

/** Counters since the process started (bench and tests). */
export function buildMemoStats(): { hits: number; misses: number; stale: number; diskHits: number; entries: number } {
  return { ...stats, entries: entries.size };
}

/**
 * A deep copy of built data (plain objects, arrays, strings, numbers, bigints, booleans, null):
 * several times faster than structuredClone on these; anything else goes to structuredClone.
 */
export function cloneData<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(cloneData) as T;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = cloneData((v as Record<string, unknown>)[k]);
    if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    else out[k] = x;
  }
  return out as T;
}

/** The bucket within one repository (the persistent store is per repository already). */
function buildKey(view: SourceFs, dir: string, spec: FluxKustomizationSpec): string {
  const inputs: Record<string, unknown> = {};
  for (const k of Object.keys(spec).sort()) if (!NOT_BUILD_INPUTS.has(k)) inputs[k] = (spec as Record<string, unknown>)[k];
  return JSON.stringify([view.root, view.specIgnore ?? null, dir, inputs]);
}

/**
 * Steps 1-2 through the memo: `run(fs)` must build only through `fs` (an artifact view equal
 * to `view`). Views that are not plain source artifacts (ArtifactGenerator) are not memoised.
 * Failures are not memoised (they are rare and their errors must name this caller's files).
 */
export function memoBuild(view: ArtifactView, dir: string, spec: FluxKustomizationSpec, run: (fs: ArtifactView) => MemoResult): MemoResult {
  if (!enabled || !(view instanceof SourceFs)) return run(view);
  const local = buildKey(view, dir, spec);
  const key = JSON.stringify([view.baseFs.label, local]);
  const hit = entries.get(key);
  if (hit) {
    // A RepoFs is read as one snapshot: once it answered the questions the same, it is trusted.
    // A recording RepoFs (one per cluster) is a new object, so it is asked, and records them.
    if (hit.checked.has(view.baseFs) || hit.questions.sameAnswersIn(view.baseFs)) {
      hit.checked.add(view.baseFs);
      stats.hits++;
      entries.delete(key); // LRU: most recent last
      entries.set(key, hit);
      return { gen: cloneData(hit.gen), built: cloneData(hit.built) };
    }
    stats.stale++;
    entries.delete(key);
  }
  const saved = store?.get(local);
  if (saved && saved.questions.sameAnswersIn(view.baseFs)) {
    stats.diskHits++;
    remember(key, { questions: saved.questions, gen: saved.gen, built: saved.built, checked: new WeakSet([view.baseFs]) });
    return { gen: cloneData(saved.gen), built: cloneData(saved.built) };
  }
  stats.misses++;
  const questions = new RecordingRepoFs(view.baseFs);
  const out = run(new SourceFs(questions, view.root, view.specIgnore));
  questions.detach();
  remember(key, { questions, gen: cloneData(out.gen), built: cloneData(out.built), checked: new WeakSet([view.baseFs]) });
  store?.put(local, questions, out.gen, out.built);
  return out;
}

function remember(key: string, e: Entry): void {
  entries.set(key, e);
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
}
