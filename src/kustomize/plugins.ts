/**
 * `transformers:` and `generators:` with kustomize's *builtin* plugin configs (apiVersion
 * `builtin`), which kustomize accepts even with plugins disabled (what kubectl and Flux do).
 * Entries are inline YAML or paths (files or kustomization directories whose output are the
 * configs). Exec, Go and KRM-function plugins are refused: this engine runs no external code.
 * Configs are read leniently, as kustomize's yaml.Unmarshal does (unknown fields ignored).
 */
import { InputError } from '../errors.js';
import type { KObject } from '../resources/resource.js';
import { isPlainObject } from '../resources/resource.js';
import type { FieldSpec } from './fieldspecs/index.js';
import { generateConfigMap } from './generators/config-map.js';
import { generateSecret } from './generators/secret.js';
import type { GeneratorArgs, Image, Kustomization, LoadedKustomization, PatchArgs } from './kustomization.js';
import type { Loader } from './loader.js';
import { objectsFromText } from './read-resources.js';
import { KRes as KResClass, type KRes, type ResMap, type TransformationRef } from './resmap.js';
import type { LevelContext } from './transforms/context.js';
import { applyImage } from './transforms/images.js';
import { setMapEntries } from './transforms/labels.js';
import { addAffix } from './transforms/name-prefix.js';
import { setNamespace } from './transforms/namespace.js';
import {
  patchesJson6902Transformer,
  patchesStrategicMergeTransformer,
  patchesTransformer,
} from './transforms/patches.js';
import { applyReplacements } from './transforms/replacements.js';
import { applyReplica } from './transforms/replicas.js';

export interface PluginConfig {
  readonly obj: KObject;
  readonly file: string;
}

function fieldSpecs(c: Record<string, unknown>): FieldSpec[] {
  const fs = c.fieldSpecs;
  if (!Array.isArray(fs)) return [];
  return fs.filter(isPlainObject).map((f) => ({
    group: typeof f.group === 'string' ? f.group : undefined,
    version: typeof f.version === 'string' ? f.version : undefined,
    kind: typeof f.kind === 'string' ? f.kind : undefined,
    path: typeof f.path === 'string' ? f.path : '',
    create: f.create === true,
  }));
}

function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) out[k] = x === null || x === undefined ? '' : String(x);
  return out;
}

/**
 * The plugin configs named by `transformers:` or `generators:` entries: inline YAML when the
 * entry parses as resources, else files/directories loaded like `resources:`.
 */
export function loadPluginConfigs(
  entries: readonly string[],
  lk: LoadedKustomization,
  _loader: Loader,
  field: 'transformers' | 'generators',
  accumulatePaths: (paths: string[]) => KRes[],
): PluginConfig[] {
  const out: PluginConfig[] = [];
  const paths: string[] = [];
  for (const e of entries) {
    let inline: { obj: KObject }[] | undefined;
    if (e.includes('\n') || /:\s/.test(e)) {
      try {
        inline = objectsFromText(e, lk.file);
      } catch {
        inline = undefined;
      }
    }
    if (inline && inline.length > 0) {
      // kustomize keeps the order: inline configs first, then path configs.
      for (const { obj } of inline) out.push({ obj, file: lk.file });
    } else paths.push(e);
  }
  for (const r of accumulatePaths(paths)) out.push({ obj: r.obj, file: r.origin.file });
  for (const c of out) {
    if (c.obj.apiVersion !== 'builtin') {
      throw new InputError(
        `${field}: plugin ${String(c.obj.apiVersion)}/${String(c.obj.kind)} is not a builtin plugin; ` +
          `aksfleet runs only kustomize's builtin plugins (apiVersion: builtin), never exec, ` +
          `Go or KRM-function plugins`,
        { pos: { file: c.file }, fieldPath: field },
      );
    }
  }
  return out;
}

function levelCtx(base: LevelContext, k: Kustomization): LevelContext {
  return { ...base, k };
}

/** The transformations entry a plugin config leaves on every resource. */
export function pluginTransformation(c: PluginConfig): TransformationRef {
  const md = isPlainObject(c.obj.metadata) ? (c.obj.metadata as Record<string, unknown>) : {};
  return {
    configuredIn: c.file,
    kind: String(c.obj.kind),
    ...(typeof md.name === 'string' && md.name ? { name: md.name } : {}),
    ...(typeof md.namespace === 'string' && md.namespace ? { namespace: md.namespace } : {}),
  };
}

/** Runs one builtin transformer plugin config. */
export function runTransformerPlugin(m: ResMap, c: PluginConfig, ctx: LevelContext): void {
  const o = c.obj as Record<string, unknown>;
  const kind = String(o.kind);
  switch (kind) {
    case 'NamespaceTransformer': {
      const md = isPlainObject(o.metadata) ? o.metadata : {};
      const ns = typeof md.namespace === 'string' ? md.namespace : '';
      if (!ns) return;
      const subj = o.setRoleBindingSubjects;
      if (
        subj !== undefined &&
        subj !== '' &&
        subj !== 'defaultOnly' &&
        subj !== 'allServiceAccounts' &&
        subj !== 'none'
      ) {
        throw new InputError(
          `NamespaceTransformer: invalid value "${String(subj)}" for setRoleBindingSubjects: ` +
            `must be one of "defaultOnly", "none" or "allServiceAccounts"`,
          { pos: { file: c.file } },
        );
      }
      setNamespace(m, ns, fieldSpecs(o), {
        unsetOnly: o.unsetOnly === true,
        subjects: (subj || 'defaultOnly') as 'defaultOnly',
      });
      return;
    }
    case 'LabelTransformer':
      setMapEntries(m, strMap(o.labels), fieldSpecs(o), 'LabelTransformer');
      return;
    case 'AnnotationsTransformer':
      setMapEntries(m, strMap(o.annotations), fieldSpecs(o), 'AnnotationsTransformer');
      return;
    case 'PrefixTransformer':
    case 'SuffixTransformer': {
      const fss = fieldSpecs(o);
      if (!Array.isArray(o.fieldSpecs))
        throw new InputError(`${kind}: fieldSpecs is not expected to be nil`, { pos: { file: c.file } });
      const which = kind === 'PrefixTransformer' ? 'prefix' : 'suffix';
      const v = typeof o[which] === 'string' ? (o[which] as string) : '';
      addAffix(m, v, fss, which);
      return;
    }
    case 'PrefixSuffixTransformer': {
      // The legacy combined plugin: prefix then suffix over the same fieldSpecs.
      const fss = fieldSpecs(o);
      if (typeof o.prefix === 'string' && o.prefix !== '') addAffix(m, o.prefix, fss, 'prefix');
      if (typeof o.suffix === 'string' && o.suffix !== '') addAffix(m, o.suffix, fss, 'suffix');
      return;
    }
    case 'ImageTagTransformer':
      applyImage(m, (isPlainObject(o.imageTag) ? o.imageTag : {}) as Image, fieldSpecs(o));
      return;
    case 'ReplicaCountTransformer': {
      const rep = isPlainObject(o.replica) ? o.replica : {};
      const fss = fieldSpecs(o);
      if (!applyReplica(m, { name: String(rep.name ?? ''), count: Number(rep.count ?? 0) }, fss)) {
        throw new InputError(
          `resource with name ${String(rep.name ?? '')} does not match a config ` +
            `with the following GVK [${fss.map((f) => f.kind ?? '').join(' ')}]`,
          {
            pos: { file: c.file },
          },
        );
      }
      return;
    }
    case 'PatchTransformer':
      patchesTransformer.run(m, levelCtx(ctx, { patches: [o as PatchArgs] }));
      return;
    case 'PatchStrategicMergeTransformer': {
      const entries = [...(Array.isArray(o.paths) ? o.paths.map(String) : [])];
      if (typeof o.patches === 'string' && o.patches !== '') entries.push(o.patches);
      if (entries.length === 0)
        throw new InputError('PatchStrategicMergeTransformer: empty file path and empty patch content', {
          pos: { file: c.file },
        });
      patchesStrategicMergeTransformer.run(m, levelCtx(ctx, { patchesStrategicMerge: entries }));
      return;
    }
    case 'PatchJson6902Transformer':
      patchesJson6902Transformer.run(
        m,
        levelCtx(ctx, {
          patchesJson6902: [
            {
              target: o.target as PatchArgs['target'],
              path: o.path as string | undefined,
              patch: o.jsonOp as string | undefined,
            },
          ],
        }),
      );
      return;
    case 'ReplacementTransformer':
      applyReplacements(m, Array.isArray(o.replacements) ? (o.replacements as never[]) : [], c.file);
      return;
    default:
      throw new InputError(`transformers: builtin plugin kind '${kind}' is not supported by aksfleet`, {
        pos: { file: c.file },
      });
  }
}

/** Runs one builtin generator plugin config (ConfigMapGenerator or SecretGenerator). */
export function runGeneratorPlugin(m: ResMap, c: PluginConfig, loader: Loader): void {
  const o = c.obj as Record<string, unknown>;
  const md = isPlainObject(o.metadata) ? o.metadata : {};
  const kind = String(o.kind);
  if (kind === 'IAMPolicyGenerator') {
    m.absorb(iamPolicyServiceAccount(o, c.file));
    return;
  }
  // `name`/`namespace` fields win over metadata (ConfigMapGeneratorPlugin.Config).
  const args: GeneratorArgs = {
    name: typeof o.name === 'string' && o.name !== '' ? o.name : typeof md.name === 'string' ? md.name : undefined,
    namespace:
      typeof o.namespace === 'string' && o.namespace !== ''
        ? o.namespace
        : typeof md.namespace === 'string'
          ? md.namespace
          : undefined,
    behavior: typeof o.behavior === 'string' ? o.behavior : undefined,
    envs: Array.isArray(o.envs) ? o.envs.map(String) : typeof o.env === 'string' ? [o.env] : undefined,
    literals: Array.isArray(o.literals) ? o.literals.map(String) : undefined,
    files: Array.isArray(o.files) ? o.files.map(String) : undefined,
    options: isPlainObject(o.options) ? (o.options as GeneratorArgs['options']) : undefined,
    type: typeof o.type === 'string' ? o.type : undefined,
  };
  const by = {
    kind,
    ...(typeof md.name === 'string' && md.name ? { name: md.name } : {}),
    ...(typeof md.namespace === 'string' && md.namespace ? { namespace: md.namespace } : {}),
  };
  if (kind === 'ConfigMapGenerator' || kind === 'SecretGenerator') {
    const r =
      kind === 'ConfigMapGenerator'
        ? generateConfigMap(args, undefined, loader, c.file, 'generators')
        : generateSecret(args, undefined, loader, c.file, 'generators');
    r.generatedBy = by;
    m.absorb(r);
  } else
    throw new InputError(`generators: builtin plugin kind '${kind}' is not supported by aksfleet`, {
      pos: { file: c.file },
    });
}

/** IAMPolicyGenerator (GKE only): a ServiceAccount bound to a Google service account. */
function iamPolicyServiceAccount(o: Record<string, unknown>, file: string): KRes {
  if (o.cloud !== 'gke')
    throw new InputError(`IAMPolicyGenerator: cloud provider ${String(o.cloud ?? '')} not supported yet`, {
      pos: { file },
    });
  const ks = isPlainObject(o.kubernetesService) ? o.kubernetesService : {};
  const sa = isPlainObject(o.serviceAccount) ? o.serviceAccount : {};
  const gcpServiceAccount = `${String(sa.name ?? '')}@${String(sa.projectId ?? '')}.iam.gserviceaccount.com`;
  const metadata: Record<string, unknown> = {
    annotations: { 'iam.gke.io/gcp-service-account': gcpServiceAccount },
    name: String(ks.name ?? ''),
  };
  if (typeof ks.namespace === 'string' && ks.namespace !== '') metadata.namespace = ks.namespace;
  const r = new KResClass({ apiVersion: 'v1', kind: 'ServiceAccount', metadata }, { file });
  const md = isPlainObject(o.metadata) ? o.metadata : {};
  r.generatedBy = { kind: 'IAMPolicyGenerator', ...(typeof md.name === 'string' && md.name ? { name: md.name } : {}) };
  return r;
}
