/**
 * The kustomize engine: `kustomize build` semantics in-process, over a RepoFs.
 * Pipeline (kustomize's Kustomizer.Run): accumulate the root kustomization (accumulate.ts; the
 * builtin transformers run at every level in the order of transformers.ts), then once at the
 * top: name hashes (hash.ts), name references (name-reference.ts), vars (vars.ts), dropping
 * local-config resources, sorting (sort.ts), build metadata and annotation clean-up (finish.ts).
 */
import type { RepoFs } from '../repo/repo-fs.js';
import type { Resource } from '../resources/resource.js';
import { accumulateDirectory, withChain } from './accumulate.js';
import { finishResources } from './finish.js';
import { addHashSuffixes } from './hash.js';
import { Loader } from './loader.js';
import { fixNameReferences } from './name-reference.js';
import { legacySort } from './sort.js';
import { resolveVars } from './vars.js';
import { loadKustomization } from './kustomization.js';
import { InputError } from '../errors.js';

export interface KustomizeOptions {
  /** `RootOnly` (kubectl's default) or `None` (what Flux uses; the RepoFs still confines reads to the repo). */
  readonly loadRestrictions?: 'RootOnly' | 'None';
  /**
   * Output order when the kustomization has no `sortOptions`: `legacy` (kubectl kustomize's default)
   * or `fifo` (what Flux does).
   */
  readonly defaultSortOrder?: 'legacy' | 'fifo';
  /**
   * Use this kustomization (already parsed) for the root directory instead of reading the
   * kustomization file there. Flux's generated/overridden kustomization is passed this way.
   */
  readonly rootKustomization?: Record<string, unknown>;
}

/**
 * Builds the kustomization in `dir` (repo-relative) and returns the resources in output order,
 * each with its origin. Throws InputError for bad input, naming the file and the chain of
 * kustomizations that led to it.
 */
export function buildKustomization(fs: RepoFs, dir: string, opts: KustomizeOptions = {}): Resource[] {
  try {
    return buildKustomizationUnguarded(fs, dir, opts);
  } catch (e) {
    // The nesting cap (loader.ts) keeps real input far from the stack's end; if some other shape
    // still exhausts it, that is an input too big for this engine, not a crash.
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new InputError(
        `the kustomization in '${dir}' nests too deeply for this engine (the JavaScript stack ran out); ` +
          `reduce the nesting of resources and components`,
        {
          pos: { file: dir },
        },
      );
    }
    throw e;
  }
}

function buildKustomizationUnguarded(fs: RepoFs, dir: string, opts: KustomizeOptions): Resource[] {
  const root = dir.replace(/^\.\/?/, '').replace(/\/$/, '');
  if (!fs.isDir(root)) throw new InputError(`'${dir}' is not a directory`, { pos: { file: dir } });
  const probe = new Loader(fs, root, opts.loadRestrictions ?? 'RootOnly');
  const top = withChain(probe, root, () => loadKustomization(fs, root, opts.rootKustomization));
  const loader = new Loader(fs, root, opts.loadRestrictions ?? 'RootOnly', undefined, top.k.buildMetadata ?? []);
  const acc = accumulateDirectory(loader, top.k.kind === 'Component', undefined, opts.rootKustomization);
  return withChain(loader, top.file, () => {
    addHashSuffixes(acc.m);
    fixNameReferences(acc.m, acc.config);
    resolveVars(acc.m, acc.vars, acc.config);
    let list = acc.m.list.filter((r) => {
      const lc = r.annotations()['config.kubernetes.io/local-config'];
      return lc === undefined || String(lc) === 'false';
    });
    const so = top.k.sortOptions;
    const order = so?.order ?? (so ? undefined : (opts.defaultSortOrder ?? 'legacy'));
    if (so && so.order !== 'legacy' && so.order !== 'fifo') {
      throw new InputError("the field 'sortOptions.order' must be one of [fifo, legacy]", {
        pos: { file: top.file },
        fieldPath: 'sortOptions.order',
      });
    }
    if (so?.order === 'fifo' && so.legacySortOptions) {
      throw new InputError(
        "the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'",
        {
          pos: { file: top.file },
          fieldPath: 'sortOptions.legacySortOptions',
        },
      );
    }
    if (order === 'legacy') {
      const ls = so?.legacySortOptions;
      list = ls ? legacySort(list, ls.orderFirst ?? [], ls.orderLast ?? []) : legacySort(list);
    }
    return finishResources(list, top.k.buildMetadata ?? [], root);
  });
}
