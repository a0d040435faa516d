/**
 * The HelmRelease flags of the commands that build clusters (build, check, diff, ui, promote):
 * `--chart-source KIND/NS/NAME=DIR` (repeatable: a HelmRepository or OCIRepository mapped to a
 * local folder of charts or archives), `--chart-cache DIR` (the chart cache `aksfleet helm pull`
 * fills; with --chart-source alone, the user's default cache; with neither, no chart store),
 * `--no-helm` (HelmReleases are not rendered), `--kube-version V` (`.Capabilities.KubeVersion`).
 * They become the session's helm options (src/session withHelm).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { defaultChartCacheDir, openChartStore, parseChartSourceMapping } from '../helm/sources/index.js';
import { parseKubeVersion } from '../helm/render/capabilities.js';
import { withHelm, type Session } from '../session/session.js';

export const HELM_FLAGS = {
  'chart-source': { type: 'string', multiple: true },
  'chart-cache': { type: 'string' },
  'no-helm': { type: 'boolean' },
  'kube-version': { type: 'string' },
} as const;

/** The usage text of the flags. */
export const HELM_USAGE = '[--chart-source KIND/NS/NAME=DIR] [--chart-cache DIR] [--no-helm] [--kube-version V]';

/** The session with the helm options the flags ask for (`root`: the repository, for relative display). */
export function helmSession(session: Session, flags: Readonly<Record<string, unknown>>, io: { cwd: string; env: Readonly<Record<string, string | undefined>> }, root: string): Session {
  const kube = flags['kube-version'];
  if (kube !== undefined) {
    if (typeof kube !== 'string' || kube === '') throw new UsageError('--kube-version needs a version, e.g. 1.33 or 1.33.2');
    parseKubeVersion(kube);
  }
  if (flags['no-helm'] === true) {
    if (flags['chart-source'] !== undefined || flags['chart-cache'] !== undefined) throw new UsageError('--no-helm cannot be used with --chart-source or --chart-cache');
    return withHelm(session, { enabled: false, ...(typeof kube === 'string' ? { kubeVersion: kube } : {}) });
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
    return withHelm(session, { enabled: true, ...(typeof kube === 'string' ? { kubeVersion: kube } : {}) });
  }
  const cacheDir = typeof flags['chart-cache'] === 'string' ? resolve(io.cwd, flags['chart-cache']) : defaultChartCacheDir(io.env);
  const store = openChartStore({ mappings, cacheDir, root });
  return withHelm(session, { enabled: true, store, ...(typeof kube === 'string' ? { kubeVersion: kube } : {}) });
}
