/**
 * The `render:` section of `.aksfleet.yaml`: the render options set once for every command
 * (the flags of the same name win). Paths are repository-relative and must stay inside the
 * repository (a repository's own file never makes the tool read elsewhere); the network is
 * never enabled from here (`--fetch-charts` is a flag only). Bad values are input errors with
 * file:line:col and the field path, all reported at once.
 *
 * ```yaml
 * render:
 *   sources: { GitRepository/flux-system/shared: vendor/shared }   # --source
 *   vars: ci/cluster-vars.env                                       # --vars
 *   allowMissingVars: true                                          # --allow-missing-vars
 *   chartSources: { HelmRepository/flux-system/bitnami: charts }    # --chart-source
 *   chartCache: .cache/charts                                       # --chart-cache
 *   helm: false                                                     # --no-helm
 *   kubeVersion: "1.33"                                             # --kube-version
 *   valuesFrom: ci/cluster-objects.yaml                             # --values-from
 * ```
 */
import { formatFieldPath } from '../field-path.js';
import { ErrorCollector, InputError, type SourcePos } from '../errors.js';
import { isPlainObject } from '../resources/resource.js';
import type { ParsedDoc } from '../yaml/parse.js';
import { isChartSourceId } from '../helm/sources/index.js';
import { parseKubeVersion } from '../helm/render/capabilities.js';

/** A repository-relative path and where the config file says it. */
export interface ConfigPath {
  readonly path: string;
  readonly pos: SourcePos;
  readonly fieldPath: string;
}

/** The section as written: paths still to be read or checked by the caller. */
export interface RenderConfig {
  readonly sources?: Readonly<Record<string, ConfigPath>>;
  readonly vars?: ConfigPath;
  readonly allowMissingVars?: boolean;
  readonly chartSources?: Readonly<Record<string, ConfigPath>>;
  readonly chartCache?: ConfigPath;
  readonly helm?: boolean;
  readonly kubeVersion?: string;
  readonly valuesFrom?: ConfigPath;
}

export const RENDER_CONFIG_KEYS = [
  'sources',
  'vars',
  'allowMissingVars',
  'chartSources',
  'chartCache',
  'helm',
  'kubeVersion',
  'valuesFrom',
] as const;

const SOURCE_ID = /^(GitRepository|OCIRepository|Bucket|ExternalArtifact)\/[^/=\s]+\/[^/=\s]+$/;

/** A repository-relative path that stays inside the repository, or undefined. */
function insideRepo(p: string): string | undefined {
  if (p === '' || p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.includes('\\')) return undefined;
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/') || '.';
}

/** The `render` value of a parsed `.aksfleet.yaml` document (undefined when absent). */
export function parseRenderConfig(doc: ParsedDoc, file: string): RenderConfig | undefined {
  const top = doc.value as Record<string, unknown>;
  if (!isPlainObject(top) || top.render === undefined || top.render === null) return undefined;
  const errs = new ErrorCollector();
  const posAt = (path: (string | number)[], key = false): SourcePos => {
    const p = doc.posOf(['render', ...path], { key });
    return { file, line: p.line, column: p.column };
  };
  const fail = (path: (string | number)[], msg: string, key = false) =>
    errs.add(new InputError(msg, { pos: posAt(path, key), fieldPath: formatFieldPath(['render', ...path]) }));
  const raw = top.render;
  if (!isPlainObject(raw)) {
    fail([], `expected a map with keys ${RENDER_CONFIG_KEYS.join(', ')}`);
    errs.throwIfAny();
  }
  const r = raw as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(r)) {
    if (!(RENDER_CONFIG_KEYS as readonly string[]).includes(key)) {
      const extra =
        key === 'fetchCharts' ? ' (--fetch-charts reaches the network: it is a command-line flag only)' : '';
      fail([key], `unknown field '${key}'; allowed: ${RENDER_CONFIG_KEYS.join(', ')}${extra}`, true);
    }
  }
  const path = (field: (string | number)[], v: unknown): ConfigPath | undefined => {
    if (typeof v !== 'string' || v === '') {
      fail(field, 'expected a repository-relative path');
      return undefined;
    }
    const p = insideRepo(v);
    if (p === undefined) {
      fail(
        field,
        `'${v}' is not inside the repository; paths in .aksfleet.yaml are repository-relative (give other ` +
          `folders with the command-line flag)`,
      );
      return undefined;
    }
    return { path: p, pos: posAt(field), fieldPath: formatFieldPath(['render', ...field]) };
  };
  const mapOf = (key: 'sources' | 'chartSources', valid: (id: string) => boolean, expect: string) => {
    const v = r[key];
    if (v === undefined || v === null) return;
    if (!isPlainObject(v)) {
      fail([key], `expected a map of ${expect} to a repository-relative folder`);
      return;
    }
    const m: Record<string, ConfigPath> = {};
    for (const [id, p] of Object.entries(v)) {
      if (!valid(id)) {
        fail([key, id], `'${id}' is not ${expect}`, true);
        continue;
      }
      const cp = path([key, id], p);
      if (cp) m[id] = cp;
    }
    out[key] = m;
  };
  mapOf(
    'sources',
    (id) => SOURCE_ID.test(id),
    'a source KIND/NAMESPACE/NAME (GitRepository, OCIRepository, Bucket or ExternalArtifact)',
  );
  mapOf(
    'chartSources',
    isChartSourceId,
    'a chart source HelmRepository/NAMESPACE/NAME or OCIRepository/NAMESPACE/NAME',
  );
  for (const key of ['vars', 'chartCache', 'valuesFrom'] as const) {
    if (r[key] === undefined || r[key] === null) continue;
    const cp = path([key], r[key]);
    if (cp) out[key] = cp;
  }
  for (const key of ['allowMissingVars', 'helm'] as const) {
    if (r[key] === undefined || r[key] === null) continue;
    if (typeof r[key] !== 'boolean') fail([key], `${JSON.stringify(r[key])} is not allowed; must be true or false`);
    else out[key] = r[key];
  }
  if (r.kubeVersion !== undefined && r.kubeVersion !== null) {
    const v = r.kubeVersion;
    if (typeof v === 'number')
      fail(
        ['kubeVersion'],
        `write the version as a quoted string, e.g. "1.33": YAML reads ${String(v)} as a number (1.30 becomes 1.3)`,
      );
    else if (typeof v !== 'string' || v === '')
      fail(['kubeVersion'], 'expected a Kubernetes version, e.g. "1.33" or "1.33.2"');
    else {
      try {
        parseKubeVersion(v);
        out.kubeVersion = v;
      } catch (e) {
        fail(['kubeVersion'], (e as Error).message);
      }
    }
  }
  if (out.helm === false && (out.chartSources !== undefined || out.chartCache !== undefined)) {
    fail(['helm'], 'helm: false cannot be used with chartSources or chartCache');
  }
  // In the order of the file.
  errs.errors.sort((a, b) => (a.pos?.line ?? 0) - (b.pos?.line ?? 0) || (a.pos?.column ?? 0) - (b.pos?.column ?? 0));
  errs.throwIfAny();
  return out as RenderConfig;
}
