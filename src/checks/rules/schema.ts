/**
 * Structural rules: every Flux Kustomization renders, and every object it applies is a valid
 * Kubernetes object.
 */
import { pointerSegments } from '../../field-path.js';
import { resourceId, type KObject, type Resource } from '../../resources/resource.js';
import type { RepoFs } from '../../repo/repo-fs.js';
import { parseYamlDocuments, type ParsedDoc } from '../../yaml/parse.js';
import { buildCrds } from '../../schemas/build-crds.js';
import { defaultMinor } from '../../schemas/k8s-openapi.js';
import { schemaSource, validateObject } from '../../schemas/validate.js';
import { obj, str } from '../k8s.js';
import type { CheckContext, ClusterRule } from '../types.js';

export const kustomizationBuilds: ClusterRule = {
  id: 'kustomization-builds',
  scope: 'cluster',
  severity: 'error',
  category: 'schema',
  doc:
    'Every Flux Kustomization of the cluster renders offline (kustomize build, Flux generation and ' +
    'substitution) without error, and every Flux Operator ResourceSet it applies expands (a template that ' +
    'fails is an error; one whose inputs come from a non-Static provider is a warning: not expanded offline).',
  hint: 'Run `aksfleet build` on the cluster for the full error, and fix the file it names.',
  check(ctx, report) {
    for (const k of ctx.kustomizations) {
      for (const e of k.errors ?? []) {
        // A missing file is not where the fix goes: point at the kustomization that names it.
        let file = e.file;
        let line = e.line;
        if (file && ctx.fs && !ctx.fs.exists(file)) {
          const dir = k.path ?? ctx.clusterPath;
          file =
            ['kustomization.yaml', 'kustomization.yml', 'Kustomization']
              .map((f) => (dir ? `${dir}/${f}` : f))
              .find((f) => ctx.fs!.isFile(f)) ?? k.origin?.file;
          line = file === k.origin?.file ? k.origin?.line : undefined;
        }
        report({
          resourceId: e.object ?? `Kustomization/${k.id}`,
          file: file ?? k.origin?.file,
          line: file ? line : k.origin?.line,
          message: `${k.id === '' ? `cluster path ${ctx.clusterPath}` : `Kustomization ${k.id}`} does not build: ${e.message}`,
        });
      }
    }
    // A Flux Operator ResourceSet whose inputs are only known in the cluster is not expanded: said, not silent.
    for (const k of ctx.kustomizations) {
      for (const p of k.unexpandedResourceSets ?? []) {
        report({
          ...(p.object ? { resourceId: p.object } : {}),
          ...(p.file ? { file: p.file } : {}),
          ...(p.line !== undefined ? { line: p.line } : {}),
          severity: 'warning',
          message: p.message,
        });
      }
    }
  },
};

export const helmReleaseRenders: ClusterRule = {
  id: 'helmrelease-renders',
  scope: 'cluster',
  severity: 'error',
  category: 'schema',
  doc:
    'Every HelmRelease of the cluster renders offline with its values (src/flux/helmrelease): a chart that ' +
    'fails (values, schema, template) or that cannot be had (not in the --chart-source folder or the chart ' +
    'cache, not fetched by --fetch-charts: unreachable, refused, no such version; a source the build lacks) is ' +
    'an error at the HelmRelease, with the reason; with no chart store given at all (no --chart-source, ' +
    '--chart-cache or --fetch-charts), info (its objects are not checked; --no-helm says not to render them).',
  hint:
    'Run `aksfleet build` for the full message; give charts with --chart-source KIND/NS/NAME=DIR or ' +
    '--chart-cache DIR.',
  check(ctx, report) {
    for (const k of ctx.kustomizations) {
      for (const p of k.unrenderedHelmReleases ?? []) {
        report({
          ...(p.object ? { resourceId: p.object } : {}),
          ...(p.file ? { file: p.file } : {}),
          ...(p.line !== undefined ? { line: p.line } : {}),
          message:
            p.status === 'failed'
              ? `${p.object ?? 'HelmRelease'} does not render: ${p.message}`
              : `${p.object ?? 'HelmRelease'}: its objects were not checked: ${p.message}`,
          // Only a chart nobody asked for (no chart store at all) passes the gate; a chart asked
          // for and not had (missing, unreachable, refused) is an error, as an unrendered Kustomization is.
          ...(p.status === 'chart-unavailable' && p.noChartStore ? { severity: 'info' as const } : {}),
        });
      }
    }
  },
};

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const objectSchema: ClusterRule = {
  id: 'object-schema',
  scope: 'cluster',
  severity: 'error',
  category: 'schema',
  doc:
    'Every rendered object has apiVersion, kind, a valid metadata.name and namespace, and matches its schema ' +
    "(src/schemas): the CRDs of the cluster's own build (chart CRDs included), then bundled CRDs (Velero, " +
    "SecretProviderClass, Gatekeeper, Kyverno), the OpenAPI of the cluster's Kubernetes minor for built-in " +
    "kinds (--kube-version or render.kubeVersion in .aksfleet.yaml, else the fleet spec's kubernetesVersion, " +
    "else the newest minor AKS has made GA by the check's day, which check says on stderr), the real CRDs of " +
    'Flux 2.9, cert-manager, Gateway API, Prometheus operator and Flux Operator (data/ecosystem-crds; a ' +
    "version they no longer serve is an error). Unknown fields are errors (as the API server's strict field " +
    'validation), with a did-you-mean.',
  hint: 'Fix the object in the file named; `kubectl apply --dry-run=server` would refuse it.',
  check(ctx, report) {
    const crds = buildCrds(ctx.resources);
    const parsed = new Map<string, ParsedDoc[] | undefined>();
    for (const r of ctx.resources) {
      const o = r.object;
      const problems: string[] = [];
      if (!str(o.apiVersion)) problems.push('apiVersion is missing');
      if (!str(o.kind)) problems.push('kind is missing');
      const meta = obj(o.metadata);
      const name = str(meta?.name);
      if (!name && !str(meta?.generateName)) problems.push('metadata.name is missing');
      else if (
        name &&
        !/\$\{/.test(name) &&
        (name.length > 253 || !DNS_SUBDOMAIN.test(name)) &&
        !(o.kind ?? '').endsWith('Binding') &&
        !(o.kind ?? '').endsWith('Role')
      ) {
        problems.push(`metadata.name '${name}' is not a DNS subdomain (lower-case letters, digits, '-' and '.')`);
      }
      const ns = meta?.namespace;
      if (
        ns !== undefined &&
        (typeof ns !== 'string' || (!/\$\{/.test(ns) && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns)))
      )
        problems.push(`metadata.namespace ${JSON.stringify(ns)} is not a DNS label`);
      for (const p of problems) report({ resource: r, resourceId: resourceId(o), message: p });
      if (problems.length || !o.apiVersion || !o.kind) continue;
      const source = schemaSource(o.apiVersion, o.kind, ctx.kubernetesVersion, crds);
      if (!source) {
        // An API the cluster's version no longer serves (data/k8s-removed-apis.json): the API server refuses it.
        for (const p of validateObject(o, ctx.kubernetesVersion ?? defaultMinor(), {
          crds,
          ...(ctx.validatorStore ? { validatorStore: ctx.validatorStore } : {}),
        })) {
          if (p.code === 'removed-api')
            report({
              resource: r,
              message:
                ctx.kubernetesVersionAssumed !== undefined
                  ? p.message.replace(/\(the cluster runs ([^)]*)\)$/, '(Kubernetes $1 assumed: no version is named)')
                  : p.message,
            });
        }
        continue;
      }
      // No schema known (e.g. Kyverno namespaced Policy, Gatekeeper constraints), or only a sibling API version's schema (which
      // lacks fields of the real one, e.g. HelmRelease v2 chartRef): not checked. A nearby minor's OpenAPI (a version
      // outside data/k8s-schemas) does check, and says so.
      if (!source || (!source.exact && source.kubernetesMinor === undefined)) continue;
      const flux = /\.toolkit\.fluxcd\.io\//.test(o.apiVersion);
      const unsubstituted = unsubstitutedValues(ctx, r);
      for (const p of validateObject(o, ctx.kubernetesVersion, {
        crds,
        ...(ctx.validatorStore ? { validatorStore: ctx.validatorStore } : {}),
      })) {
        if (p.code === 'no-schema' || holdsVariable(o, p.path)) continue;
        // A value whose ${VAR} could not be substituted offline is not the cluster's value: the
        // missing variable is reported (postbuild-variables-defined, or the unreadable
        // substituteFrom), not a schema error of the empty value left in its place.
        if (unsubstituted.some((u) => p.path === u || p.path.startsWith(`${u}/`))) continue;
        // Reference kinds grow with every Flux release (ExternalArtifact, FluxInstance, ...);
        // the packaged schema's enum lags behind, so it is not a reason to fail.
        if (flux && /\/kind$/.test(p.path) && /allowed values/.test(p.message)) continue;
        // SOPS's own field: kustomize-controller applies the decrypted object, without it (the
        // build reports a SOPS object that has no spec.decryption).
        if (p.path === '' && p.field === 'sops' && isSopsEncrypted(o)) continue;
        const line = ctx.fs ? fieldLine(ctx.fs, parsed, r, p.path, p.field) : undefined;
        // A warning: a CEL validation rule that could not be evaluated offline (said, not passed).
        report({
          resource: r,
          ...(line !== undefined ? { file: r.origin!.file, line } : {}),
          ...(p.severity === 'warning' ? { severity: 'warning' as const } : {}),
          message: `${p.path || '(object)'}: ${p.message} (schema: ${source.from}${source.note ? `; ${source.note}` : ''})`,
        });
      }
    }
  },
};

/**
 * The line of a field of an object in its source file (the key of an unknown field, else the value
 * at `pointer`, else its nearest parent), when the object comes from a file of the repository as a
 * whole document (not a chart's template); undefined otherwise (the finding keeps the object's line).
 */
function fieldLine(
  fs: RepoFs,
  parsed: Map<string, ParsedDoc[] | undefined>,
  r: Resource,
  pointer: string,
  field: string | undefined,
): number | undefined {
  const o = r.origin;
  if (!o || o.helm || o.line === undefined || (!pointer && field === undefined)) return undefined;
  if (!parsed.has(o.file)) {
    let docs: ParsedDoc[] | undefined;
    try {
      docs = fs.isFile(o.file) ? parseYamlDocuments(fs.readFile(o.file), o.file) : undefined;
    } catch {
      docs = undefined;
    }
    parsed.set(o.file, docs);
  }
  const doc = parsed.get(o.file)?.find((d) => d.line === o.line);
  if (!doc) return undefined;
  const path = pointerSegments(pointer);
  return doc.posOf(field !== undefined ? [...path, field] : path, { key: field !== undefined }).line;
}

/** A Flux ${VAR} left in a field (a variable set only in the cluster) is not a schema error offline. */
/** An object SOPS encrypted (its `sops` metadata holds the MAC or the version). */
function isSopsEncrypted(o: KObject): boolean {
  const sops = obj((o as Record<string, unknown>).sops);
  return sops !== undefined && ('mac' in sops || 'version' in sops);
}

/**
 * The fields of `r` whose postBuild variable was not substituted offline, unless Flux would apply
 * them empty as they are here: `--allow-missing-vars` (StrictPostBuildSubstitutions off) with every
 * variable source of its Kustomization read, so the variable is known to be unset.
 */
function unsubstitutedValues(ctx: CheckContext, r: Resource): readonly string[] {
  const at = r.origin?.unsubstituted ?? [];
  if (!at.length || ctx.allowMissingVars !== true) return at;
  const k = ctx.kustomizations.find((x) => x.id === r.origin?.fluxKustomization);
  return k?.undefinedVariables?.length ? [] : at;
}

function holdsVariable(o: KObject, pointer: string): boolean {
  let cur: unknown = o;
  for (const seg of pointerSegments(pointer)) {
    if (cur === null || typeof cur !== 'object') return false;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return typeof cur === 'string' && /\$\{[^}]+\}/.test(cur);
}

export const postBuildVariablesDefined: ClusterRule = {
  id: 'postbuild-variables-defined',
  scope: 'cluster',
  severity: 'error',
  category: 'schema',
  doc:
    'Every ${VARIABLE} a Kustomization substitutes is set (postBuild.substitute, substituteFrom, or a ' +
    '${VAR:=default}); Flux 2.9 fails the Kustomization (StrictPostBuildSubstitutions, on by default): an ' +
    'error; with --allow-missing-vars, the empty string of Flux with the gate off: a warning. Checked only ' +
    'when every substituteFrom source is readable offline; a source that is not (created in the cluster, ' +
    'SOPS-encrypted) is a warning saying its variables are unknown, and object-schema does not judge the ' +
    'values that use them.',
  hint:
    'Define the variable in postBuild.substitute or the ConfigMap/Secret named in substituteFrom, or give it a ' +
    'default with ${VAR:=value}.',
  check(ctx, report) {
    for (const k of ctx.kustomizations) {
      // Never silent: variables whose source is not readable offline are unknown (a warning:
      // the source may well exist in the cluster); the values that use them were not judged.
      for (const e of k.unknownVariableSources ?? []) {
        const n = ctx.resources.filter(
          (r) => r.origin?.fluxKustomization === k.id && r.origin.unsubstituted?.length,
        ).length;
        report({
          resourceId: e.object ?? `Kustomization/${k.id}`,
          file: e.file ?? k.origin?.file,
          line: e.file ? e.line : k.origin?.line,
          severity: 'warning',
          message: `${e.message.replace(/: pass --vars FILE.*$/, '')}${n ? `; ${n} object(s) use them, not judged where they do` : ''}; pass --vars FILE with their values to check them`,
        });
      }
      for (const e of k.undefinedVariables ?? []) {
        report({
          resourceId: e.object ?? `Kustomization/${k.id}`,
          file: e.file ?? k.origin?.file,
          line: e.file ? e.line : k.origin?.line,
          message: e.message,
          ...(ctx.allowMissingVars === true ? { severity: 'warning' as const } : {}),
        });
      }
    }
  },
};

export const kustomizationFieldsKnown: ClusterRule = {
  id: 'kustomization-fields-known',
  scope: 'cluster',
  severity: 'error',
  category: 'schema',
  doc:
    'kustomization.yaml files use only fields kustomize knows: Flux silently drops unknown ones (a typo such ' +
    'as namePrefixx is lost without a word), and kustomize itself rejects them.',
  hint: 'Fix the field name (kustomize build names the accepted fields) or remove it.',
  check(ctx, report) {
    for (const k of ctx.kustomizations) {
      for (const w of k.ignoredFields ?? []) {
        // Point at the first dropped field in the file.
        let line = w.line;
        if (w.file && line === undefined && ctx.fs?.isFile(w.file)) {
          const fields = (w.message.split(': ').pop() ?? '').split(', ');
          const idx = ctx.fs
            .readFile(w.file)
            .split('\n')
            .findIndex((l) => fields.some((f) => l.startsWith(`${f}:`)));
          if (idx >= 0) line = idx + 1;
        }
        report({
          resourceId: `Kustomization/${k.id || ctx.clusterPath}`,
          file: w.file ?? k.origin?.file,
          line: w.file ? line : k.origin?.line,
          message: `${k.id === '' ? `cluster path ${ctx.clusterPath}` : `Kustomization ${k.id}`}: ${w.message}`,
        });
      }
    }
  },
};

export const schemaRules: readonly ClusterRule[] = [
  kustomizationBuilds,
  helmReleaseRenders,
  kustomizationFieldsKnown,
  postBuildVariablesDefined,
  objectSchema,
];
