/**
 * Structural rules: every Flux Kustomization renders, and every object it applies is a valid
 * Kubernetes object.
 */
import { resourceId } from '../../resources/resource.js';
import { obj, str } from '../k8s.js';
import type { ClusterRule } from '../types.js';

export const kustomizationBuilds: ClusterRule = {
  id: 'kustomization-builds',
  scope: 'cluster',
  severity: 'error',
  category: 'schema',
  doc: 'Every Flux Kustomization of the cluster renders offline (kustomize build, Flux generation and substitution) without error.',
  hint: 'Run `aksfleet build` on the cluster for the full error, and fix the file it names.',
  check(ctx, report) {
    for (const k of ctx.kustomizations) {
      for (const e of k.errors ?? []) {
        // A missing file is not where the fix goes: point at the kustomization that names it.
        let file = e.file;
        let line = e.line;
        if (file && ctx.fs && !ctx.fs.exists(file)) {
          const dir = k.path ?? ctx.clusterPath;
          file = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].map((f) => (dir ? `${dir}/${f}` : f)).find((f) => ctx.fs!.isFile(f)) ?? k.origin?.file;
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
  },
};

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const objectSchema: ClusterRule = {
  id: 'object-schema',
  scope: 'cluster',
  severity: 'error',
  category: 'schema',
  doc: 'Every rendered object has apiVersion, kind and a valid metadata.name (a DNS subdomain of at most 253 characters) and namespace.',
  hint: 'Fix the object in the file named; `kubectl apply --dry-run=server` would refuse it.',
  check(ctx, report) {
    for (const r of ctx.resources) {
      const o = r.object;
      const problems: string[] = [];
      if (!str(o.apiVersion)) problems.push('apiVersion is missing');
      if (!str(o.kind)) problems.push('kind is missing');
      const meta = obj(o.metadata);
      const name = str(meta?.name);
      if (!name && !str(meta?.generateName)) problems.push('metadata.name is missing');
      else if (name && !/\$\{/.test(name) && (name.length > 253 || !DNS_SUBDOMAIN.test(name)) && !(o.kind ?? '').endsWith('Binding') && !(o.kind ?? '').endsWith('Role')) {
        problems.push(`metadata.name '${name}' is not a DNS subdomain (lower-case letters, digits, '-' and '.')`);
      }
      const ns = meta?.namespace;
      if (ns !== undefined && (typeof ns !== 'string' || (!/\$\{/.test(ns) && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns)))) problems.push(`metadata.namespace ${JSON.stringify(ns)} is not a DNS label`);
      for (const p of problems) report({ resource: r, resourceId: resourceId(o), message: p });
    }
  },
};

export const postBuildVariablesDefined: ClusterRule = {
  id: 'postbuild-variables-defined',
  scope: 'cluster',
  severity: 'warning',
  category: 'schema',
  doc: 'Every ${VARIABLE} a Kustomization substitutes is set (postBuild.substitute, substituteFrom, or a ${VAR:=default}); Flux would silently substitute an empty string. Checked only when every substituteFrom source is readable offline.',
  hint: 'Define the variable in postBuild.substitute or the ConfigMap/Secret named in substituteFrom, or give it a default with ${VAR:=value}.',
  check(ctx, report) {
    for (const k of ctx.kustomizations) {
      for (const e of k.undefinedVariables ?? []) {
        report({ resourceId: e.object ?? `Kustomization/${k.id}`, file: e.file ?? k.origin?.file, line: e.file ? e.line : k.origin?.line, message: e.message });
      }
    }
  },
};

export const schemaRules: readonly ClusterRule[] = [kustomizationBuilds, postBuildVariablesDefined, objectSchema];
