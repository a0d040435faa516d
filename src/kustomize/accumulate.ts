/**
 * kustomize's accumulateTarget, per kustomization directory: resources (files and nested
 * kustomizations, each with its own accumulator, merged back), configurations, generators,
 * components (on the parent's accumulator), then the builtin transformers in their fixed order,
 * then vars. Hashes, name references and sorting happen once at the top (index.ts).
 */
import { InputError } from '../errors.js';
import {
  emptyConfig,
  levelConfig,
  mergeConfig,
  parseTransformerConfig,
  type TransformerConfig,
} from './fieldspecs/index.js';
import { configFromCrds } from './crds.js';
import { generateConfigMap } from './generators/config-map.js';
import { generateSecret } from './generators/secret.js';
import { loadKustomization, type LoadedKustomization, type Var } from './kustomization.js';
import { isRemote, type Loader, symlinkEscape } from './loader.js';
import { loadPluginConfigs, pluginTransformation, runGeneratorPlugin, runTransformerPlugin } from './plugins.js';
import { resourcesFromText } from './read-resources.js';
import { effectiveNamespace, gvkEquals, isClusterScopedGvk, ResMap, type ResId } from './resmap.js';
import { BUILTIN_TRANSFORMERS } from './transformers.js';
import type { LevelContext } from './transforms/context.js';

export interface Accumulator {
  m: ResMap;
  config: TransformerConfig;
  vars: Var[];
}

export function emptyAccumulator(): Accumulator {
  return { m: new ResMap(), config: emptyConfig(), vars: [] };
}

const CHAINED = Symbol('aksfleet.kustomize.chained');

/** The chain for a message: a long one (a hostile nesting) shows its two ends. */
function chainText(chain: readonly string[]): string {
  if (chain.length <= 20) return chain.join(' -> ');
  return `${chain.slice(0, 5).join(' -> ')} -> ... (${chain.length - 10} more) -> ${chain.slice(-5).join(' -> ')}`;
}

/** Adds the chain of kustomizations to an error raised under `loader` (once, at the deepest level). */
export function withChain<T>(loader: Loader, file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InputError && !(e as unknown as Record<symbol, boolean>)[CHAINED]) {
      const chain = loader.chain();
      const msg =
        chain.length > 1 ? `${e.message}\n  while building kustomization chain: ${chainText(chain)}` : e.message;
      const wrapped = new InputError(msg, {
        pos: e.pos ?? { file },
        fieldPath: e.fieldPath,
        cause: e,
        more: [...e.more],
        offline: e.offline,
      });
      (wrapped as unknown as Record<symbol, boolean>)[CHAINED] = true;
      throw wrapped;
    }
    throw e;
  }
}

/**
 * ResAccumulator.MergeVars: each var is bound, at the level that declares it, to the one resource
 * (current or previous id) its objref names; the value is read at the top after name references.
 */
function bindVars(acc: Accumulator, vars: readonly Var[], file: string): void {
  for (const v of vars) {
    const ref = v.objref ?? {};
    let group = ref.group ?? '',
      version = ref.version ?? '';
    if (ref.apiVersion) {
      const parts = ref.apiVersion.split('/');
      if (parts.length === 2) [group, version] = parts as [string, string];
      else [group, version] = ['', parts[0]!];
    }
    const target: ResId = {
      gvk: { group, version, kind: ref.kind ?? '' },
      name: ref.name ?? '',
      namespace: ref.namespace ?? '',
    };
    const exactNs = target.namespace !== '' || isClusterScopedGvk(target.gvk);
    const matched = acc.m.list.filter((r) =>
      [...r.prevIdsNow(), r.curId()].some(
        (id) =>
          id.name === target.name &&
          gvkEquals(id.gvk, target.gvk) &&
          (!exactNs || effectiveNamespace(id) === effectiveNamespace(target)),
      ),
    );
    if (matched.length > 1)
      throw new InputError(`found ${matched.length} resId matches for var '${v.name}' (unable to disambiguate)`, {
        pos: { file },
        fieldPath: 'vars',
      });
    if (matched.length === 1) matched[0]!.refVarNames.push(v.name);
    if (acc.vars.some((x) => x.name === v.name))
      throw new InputError(`var '${v.name}' already encountered`, { pos: { file }, fieldPath: 'vars' });
    acc.vars.push(v);
  }
}

function mergeAccumulator(into: Accumulator, from: Accumulator, where: string): void {
  into.m.appendAll(from.m, where);
  into.config = mergeConfig(into.config, from.config);
  for (const v of from.vars) {
    if (into.vars.some((x) => x.name === v.name)) throw new InputError(`var '${v.name}' already encountered`);
    into.vars.push(v);
  }
}

function accumulateResources(
  lk: LoadedKustomization,
  loader: Loader,
  acc: Accumulator,
  entries = lk.k.resources ?? [],
  field = 'resources',
): void {
  const fs = loader.fs;
  entries.forEach((entry, i) => {
    const where = `${field}[${i}]`;
    // The entry's position, for errors only (looking it up on every entry costs real time).
    const at = () => ({
      file: lk.file,
      line: field === 'resources' ? lk.lineOf(['resources', i]) : lk.lineOf([field]),
    });
    if (isRemote(entry)) {
      throw new InputError(
        `remote resource '${entry}' is not supported: ` +
          `aksfleet builds offline and never fetches remote bases; vendor the base into the repository`,
        {
          pos: at(),
          fieldPath: where,
          offline: true,
        },
      );
    }
    let rel: string;
    try {
      rel = loader.resolve(entry, where);
    } catch (e) {
      throw new InputError((e as Error).message, {
        pos: at(),
        fieldPath: where,
        offline: e instanceof InputError && e.offline,
      });
    }
    if (fs.isFile(rel)) {
      const { text } = loader.loadText(entry, where);
      acc.m.appendEach(resourcesFromText(text, rel, loader.root), where);
      return;
    }
    if (fs.isDir(rel)) {
      let sub: Loader;
      try {
        sub = loader.newDir(entry, where);
      } catch (e) {
        throw new InputError((e as Error).message, {
          pos: at(),
          fieldPath: where,
          offline: e instanceof InputError && e.offline,
        });
      }
      const subAcc = accumulateDirectory(sub, false);
      mergeAccumulator(acc, subAcc, where);
      return;
    }
    // A symlink that leaves the repository root is not "missing": say where it goes wrong.
    const escape = symlinkEscape(fs, rel);
    if (escape) throw new InputError(`resource '${entry}': ${escape}`, { pos: at(), fieldPath: where });
    throw new InputError(`resource '${entry}' not found: '${rel || '.'}' is neither a file nor a directory`, {
      pos: at(),
      fieldPath: where,
    });
  });
}

/** Loads the kustomization at `loader.root` and accumulates it (a fresh accumulator unless a component). */
export function accumulateDirectory(
  loader: Loader,
  isComponent: boolean,
  parentAcc?: Accumulator,
  inline?: Record<string, unknown>,
): Accumulator {
  const lk = withChain(loader, loader.root, () => loadKustomization(loader.fs, loader.root, inline));
  return withChain(loader, lk.file, () => {
    if (isComponent && lk.k.kind !== 'Component') {
      throw new InputError(`expected kind 'Component' for path '${loader.root || '.'}' but got '${lk.k.kind}'`, {
        pos: { file: lk.file },
      });
    }
    if (!isComponent && lk.k.kind === 'Component') {
      throw new InputError(
        `expected kind != 'Component' for path '${loader.root || '.'}' ` +
          `(a Component must be listed under components:, not resources:)`,
        {
          pos: { file: lk.file },
        },
      );
    }
    return accumulateTarget(lk, loader, isComponent && parentAcc ? parentAcc : emptyAccumulator());
  });
}

export function accumulateTarget(lk: LoadedKustomization, loader: Loader, acc: Accumulator): Accumulator {
  const k = lk.k;
  if (k.openapi) {
    // The schema itself is the patches module's business (built-in Kubernetes v1.21.2); here we
    // refuse what kustomize refuses: an unknown built-in version, a missing file, or both at once.
    const { path: schemaPath, version } = k.openapi;
    if (schemaPath !== undefined && version !== undefined) {
      throw new InputError('openapi: builtin version and custom schema provided, cannot use both', {
        pos: { file: lk.file, line: lk.lineOf(['openapi']) },
        fieldPath: 'openapi',
      });
    }
    if (version !== undefined && version !== '' && version !== 'v1.21.2') {
      throw new InputError(
        `openapi.version '${version}': the specified OpenAPI version is not built in (only v1.21.2)`,
        { pos: { file: lk.file, line: lk.lineOf(['openapi', 'version']) }, fieldPath: 'openapi.version' },
      );
    }
    if (schemaPath) loader.loadText(schemaPath, 'openapi.path');
  }
  accumulateResources(lk, loader, acc);

  let custom: TransformerConfig | undefined;
  for (const [i, c] of (k.configurations ?? []).entries()) {
    const { rel, text } = loader.loadText(c, `configurations[${i}]`);
    custom = mergeConfig(custom ?? emptyConfig(), parseTransformerConfig(text, rel));
  }
  acc.config = mergeConfig(acc.config, levelConfig(custom));
  for (const [i, c] of (k.crds ?? []).entries()) {
    const { rel, text } = loader.loadText(c, `crds[${i}]`);
    acc.config = mergeConfig(acc.config, configFromCrds(text, rel));
  }

  // Generators: configMapGenerator, secretGenerator, helmCharts, generators.
  for (const [i, g] of (k.configMapGenerator ?? []).entries()) {
    acc.m.absorb(
      generateConfigMap(
        g,
        k.generatorOptions,
        loader,
        lk.file,
        `configMapGenerator[${i}]`,
        lk.lineOf(['configMapGenerator', i]),
      ),
    );
  }
  for (const [i, g] of (k.secretGenerator ?? []).entries()) {
    acc.m.absorb(
      generateSecret(
        g,
        k.generatorOptions,
        loader,
        lk.file,
        `secretGenerator[${i}]`,
        lk.lineOf(['secretGenerator', i]),
      ),
    );
  }
  if (k.helmCharts && k.helmCharts.length > 0) {
    throw new InputError(
      'helmCharts is not supported: aksfleet does not run helm (Flux disables it too); ' +
        'render the chart with a HelmRelease instead',
      {
        pos: { file: lk.file, line: lk.lineOf(['helmCharts']) },
        fieldPath: 'helmCharts',
      },
    );
  }
  const pluginPaths = (field: string) => (paths: string[]) => {
    const a = emptyAccumulator();
    accumulateResources(lk, loader, a, paths, field);
    return a.m.list;
  };
  if (k.generators && k.generators.length > 0) {
    for (const c of loadPluginConfigs(k.generators, lk, loader, 'generators', pluginPaths('generators')))
      runGeneratorPlugin(acc.m, c, loader);
  }
  if (k.validators && k.validators.length > 0) {
    throw new InputError('validators: (kustomize validator plugins) are not supported by aksfleet', {
      pos: { file: lk.file, line: lk.lineOf(['validators']) },
      fieldPath: 'validators',
    });
  }

  for (const [i, c] of (k.components ?? []).entries()) {
    const where = `components[${i}]`;
    if (isRemote(c))
      throw new InputError(`remote component '${c}' is not supported offline`, {
        pos: { file: lk.file },
        fieldPath: where,
        offline: true,
      });
    let sub: Loader;
    try {
      sub = loader.newDir(c, where);
    } catch (e) {
      throw new InputError((e as Error).message, {
        pos: { file: lk.file, line: lk.lineOf(['components', i]) },
        fieldPath: where,
        offline: e instanceof InputError && e.offline,
      });
    }
    acc = accumulateDirectory(sub, true, acc);
  }

  const ctx: LevelContext = { k, file: lk.file, loader, config: acc.config, lineOf: lk.lineOf };
  for (const t of BUILTIN_TRANSFORMERS) {
    t.run(acc.m, ctx);
    if (loader.tracksOrigins) {
      // kustomize annotates every resource once per configured transformer instance.
      const n = t.instances(k);
      for (let i = 0; i < n; i++)
        for (const r of acc.m.list) r.transformations.push({ configuredIn: lk.file, kind: t.plugin });
    }
  }
  if (k.transformers && k.transformers.length > 0) {
    for (const c of loadPluginConfigs(k.transformers, lk, loader, 'transformers', pluginPaths('transformers'))) {
      runTransformerPlugin(acc.m, c, ctx);
      if (loader.tracksOrigins) for (const r of acc.m.list) r.transformations.push(pluginTransformation(c));
    }
  }

  bindVars(acc, k.vars ?? [], lk.file);
  return acc;
}
