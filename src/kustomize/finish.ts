/**
 * The last step of a build (kustomize RemoveBuildAnnotations + buildMetadata): annotations of
 * every resource that has any are rewritten as strings (kustomize goes through a
 * map[string]string), maps emptied by removing build annotations disappear, and
 * `buildMetadata: [originAnnotations, managedByLabel]` are applied.
 */
import { posix } from 'node:path';
import type { Resource } from '../resources/resource.js';
import { isPlainObject } from '../resources/resource.js';
import { byteCompare } from '../yaml/go-yaml.js';
import type { KRes, PluginRef } from './resmap.js';

/** What kubectl v1.32's embedded kustomize writes (its version reads "(devel)"; verified with kubectl kustomize). */
export const MANAGED_BY_VALUE = 'kustomize-(devel)';

function pluginLines(p: PluginRef, indent: string): string {
  let s = `${indent}apiVersion: builtin\n${indent}kind: ${p.kind}\n`;
  if (p.name) s += `${indent}name: ${p.name}\n`;
  if (p.namespace) s += `${indent}namespace: ${p.namespace}\n`;
  return s;
}

export function finishResources(list: KRes[], buildMetadata: readonly string[], root: string): Resource[] {
  return list.map((r) => {
    const meta = r.obj.metadata;
    if (buildMetadata.includes('originAnnotations') && r.origin.file) {
      const ann = (r.meta().annotations ??= {}) as Record<string, unknown>;
      const rel = posix.relative(root || '.', r.origin.file);
      ann['config.kubernetes.io/origin'] = r.generatedBy ? `configuredIn: ${rel}\nconfiguredBy:\n${pluginLines(r.generatedBy, '  ')}` : `path: ${rel}\n`;
    }
    if (buildMetadata.includes('transformerAnnotations') && r.transformations.length > 0) {
      const ann = (r.meta().annotations ??= {}) as Record<string, unknown>;
      ann['alpha.config.kubernetes.io/transformations'] = r.transformations
        .map((t) => `- configuredIn: ${posix.relative(root || '.', t.configuredIn)}\n  configuredBy:\n${pluginLines(t, '    ')}`)
        .join('');
    }
    if (buildMetadata.includes('managedByLabel')) {
      const labels = (r.meta().labels ??= {}) as Record<string, unknown>;
      labels['app.kubernetes.io/managed-by'] = MANAGED_BY_VALUE;
    }
    const m = r.obj.metadata ?? meta;
    if (m && isPlainObject(m.annotations)) {
      const a = m.annotations as Record<string, unknown>;
      const keys = Object.keys(a);
      if (keys.length > 0) {
        const out: Record<string, string> = {};
        for (const k of keys.sort(byteCompare)) {
          const v = a[k];
          out[k] = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
        }
        m.annotations = out;
      } else if (r.buildAnnotated) {
        delete m.annotations;
      }
    } else if (m && 'annotations' in m && r.buildAnnotated) {
      delete m.annotations;
    }
    return { object: r.obj, origin: r.origin };
  });
}
