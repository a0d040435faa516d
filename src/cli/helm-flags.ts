/**
 * The HelmRelease flags of the commands that build clusters (build, check, diff, ui, promote):
 * `--chart-source KIND/NS/NAME=DIR` (repeatable: a HelmRepository or OCIRepository mapped to a
 * local folder of charts or archives), `--chart-cache DIR` (the chart cache `aksfleet helm pull`
 * fills; with --chart-source alone, the user's default cache; with neither, no chart store),
 * `--no-helm` (HelmReleases are not rendered), `--kube-version V` (`.Capabilities.KubeVersion`),
 * `--values-from FILE` (ConfigMaps/Secrets that live only in the cluster, for `valuesFrom`).
 * They become the session's helm options (src/session withHelm).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { isPlainObject, type KObject } from '../resources/resource.js';
import { parseYamlDocuments } from '../yaml/parse.js';
import { defaultChartCacheDir, openChartStore, parseChartSourceMapping } from '../helm/sources/index.js';
import { parseKubeVersion } from '../helm/render/capabilities.js';
import { withHelm, type Session } from '../session/session.js';

export const HELM_FLAGS = {
  'chart-source': { type: 'string', multiple: true },
  'chart-cache': { type: 'string' },
  'no-helm': { type: 'boolean' },
  'kube-version': { type: 'string' },
  'values-from': { type: 'string' },
} as const;

/** The usage text of the flags. */
export const HELM_USAGE = '[--chart-source KIND/NS/NAME=DIR] [--chart-cache DIR] [--no-helm] [--kube-version V] [--values-from FILE]';

/** `--values-from FILE`: ConfigMaps and Secrets (a YAML stream) that live only in the cluster, for HelmRelease valuesFrom. */
export function readClusterObjects(file: string, cwd: string): KObject[] {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch {
    throw new InputError(`cannot read --values-from file '${file}'`, { pos: { file } });
  }
  return parseYamlDocuments(text, file).map((d) => {
    const o = d.value as KObject;
    if (!isPlainObject(o) || (o.kind !== 'ConfigMap' && o.kind !== 'Secret') || typeof o.metadata?.name !== 'string') {
      throw new InputError('--values-from: each document must be a ConfigMap or Secret with metadata.name', { pos: { file, line: d.line, column: d.column } });
    }
    return o;
  });
}

/** The session with the helm options the flags ask for (`root`: the repository, for relative display). */
export function helmSession(session: Session, flags: Readonly<Record<string, unknown>>, io: { cwd: string; env: Readonly<Record<string, string | undefined>> }, root: string): Session {
  const kube = flags['kube-version'];
  if (kube !== undefined) {
    if (typeof kube !== 'string' || kube === '') throw new UsageError('--kube-version needs a version, e.g. 1.33 or 1.33.2');
    parseKubeVersion(kube);
  }
  const clusterObjects = typeof flags['values-from'] === 'string' ? readClusterObjects(flags['values-from'], io.cwd) : undefined;
  const extra = { ...(typeof kube === 'string' ? { kubeVersion: kube } : {}), ...(clusterObjects ? { clusterObjects } : {}) };
  if (flags['no-helm'] === true) {
    if (flags['chart-source'] !== undefined || flags['chart-cache'] !== undefined) throw new UsageError('--no-helm cannot be used with --chart-source or --chart-cache');
    return withHelm(session, { enabled: false, ...extra });
  }
  const mappings: Record<string, string> = {};
  for (const arg of (flags['chart-source'] as string[] | undefined) ?? []) {
    const m = parseChartSourceMapping(arg);
    if (mappings[m.sourceId] !== undefined) throw new UsageError(`--chart-source ${m.sourceId} is given twice`);
    const dir = resolve(io.cwd, m.path);
    if (!existsSync(dir)) throw new UsageError(`--chart-source ${m.sourceId}: '${m.path}' does not exist`);
    mappings[m.sourceId] = dir;
  }
  // No flag, no store: a build reads nothing outside the repository unless asked, and every
  // process (--jobs workers too) sees the same charts.
  if (Object.keys(mappings).length === 0 && flags['chart-cache'] === undefined) {
    return withHelm(session, { enabled: true, ...extra });
  }
  const cacheDir = typeof flags['chart-cache'] === 'string' ? resolve(io.cwd, flags['chart-cache']) : defaultChartCacheDir(io.env);
  const store = openChartStore({ mappings, cacheDir, root });
  return withHelm(session, { enabled: true, store, ...extra });
}
