/**
 * The render options of the commands that build clusters (build, check, diff, promote, ui),
 * parsed once: the flags (paths relative to where the command runs) over the `render:` section
 * of the repository's `.aksfleet.yaml` (paths relative to the repository), one
 * {@link RenderSettings} (src/session/render-settings.ts) that becomes the command's session.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { isPlainObject, type KObject } from '../resources/resource.js';
import { parseYamlDocuments } from '../yaml/parse.js';
import { parseVarsFile } from '../flux/substitute/vars-file.js';
import {
  defaultChartCacheDir,
  parseChartSourceMapping,
  readRegistryConfig,
  readRepositoryConfig,
} from '../helm/sources/index.js';
import { parseKubeVersion } from '../helm/render/capabilities.js';
import { CONFIG_FILE } from '../checks/config.js';
import { parseRenderConfig, type ConfigPath } from '../session/render-config.js';
import { mergeRenderSettings, withRenderSettings, type RenderSettings } from '../session/render-settings.js';
import type { Session } from '../session/session.js';

export { CLUSTER_FLAGS, FETCH_AUTH_FLAGS, HELM_FLAGS, HELM_USAGE, RENDER_FLAGS, RENDER_USAGE } from './render-flags.js';

export interface ClusterSelection {
  readonly path?: string;
  readonly cluster?: string;
}

/** The cluster selection of the flags: at most one of `--path` and `--cluster` (exactly one when `required`). */
export function clusterSelection(
  flags: Readonly<Record<string, unknown>>,
  opts: { required?: boolean; usage?: string } = {},
): ClusterSelection {
  const path = typeof flags.path === 'string' ? flags.path : undefined;
  const cluster = typeof flags.cluster === 'string' ? flags.cluster : undefined;
  const usage = opts.usage ? `\nUsage: ${opts.usage}` : '';
  if (path !== undefined && cluster !== undefined)
    throw new UsageError(`give --path P or --cluster NAME, not both${usage}`);
  if (opts.required && path === undefined && cluster === undefined)
    throw new UsageError(`give exactly one of --path P or --cluster NAME${usage}`);
  return { ...(path !== undefined ? { path } : {}), ...(cluster !== undefined ? { cluster } : {}) };
}

type Io = { readonly cwd: string; readonly env: Readonly<Record<string, string | undefined>> };
type Flags = Readonly<Record<string, unknown>>;

/** A ConfigMap/Secret YAML stream (`--values-from`, `render.valuesFrom`). */
export function readClusterObjects(file: string, cwd: string, shown = file, at?: ConfigPath): KObject[] {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch {
    throw new InputError(
      `cannot read ${at ? at.fieldPath : '--values-from'} file '${shown}'`,
      at ? { pos: at.pos, fieldPath: at.fieldPath } : { pos: { file: shown } },
    );
  }
  return parseYamlDocuments(text, shown).map((d) => {
    const o = d.value as KObject;
    if (!isPlainObject(o) || (o.kind !== 'ConfigMap' && o.kind !== 'Secret') || typeof o.metadata?.name !== 'string') {
      throw new InputError('--values-from: each document must be a ConfigMap or Secret with metadata.name', {
        pos: { file: shown, line: d.line, column: d.column },
      });
    }
    return o;
  });
}

function readVars(file: string, cwd: string, shown = file, at?: ConfigPath): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch {
    throw new InputError(
      `cannot read ${at ? at.fieldPath : '--vars'} file '${shown}'`,
      at ? { pos: at.pos, fieldPath: at.fieldPath } : { pos: { file: shown } },
    );
  }
  return parseVarsFile(text, shown);
}

/** `--source KIND/NS/NAME=PATH` flags as a map. */
export function sourceMappings(list: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of list ?? []) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new UsageError(`--source '${s}': expected KIND/NAMESPACE/NAME=PATH`);
    out[s.slice(0, eq)] = s.slice(eq + 1);
  }
  return out;
}

/** The settings the flags give (only what they give). */
export function settingsFromFlags(flags: Flags, io: Io): RenderSettings {
  const kube = flags['kube-version'];
  if (kube !== undefined) {
    if (typeof kube !== 'string' || kube === '')
      throw new UsageError('--kube-version needs a version, e.g. 1.33 or 1.33.2');
    parseKubeVersion(kube);
  }
  const noHelm = flags['no-helm'] === true;
  if (
    noHelm &&
    (flags['chart-source'] !== undefined || flags['chart-cache'] !== undefined || flags['fetch-charts'] === true)
  ) {
    throw new UsageError('--no-helm cannot be used with --chart-source, --chart-cache or --fetch-charts');
  }
  const credentialFiles = credentialFilesOf(flags, io);
  const chartSources: Record<string, string> = {};
  for (const arg of (flags['chart-source'] as string[] | undefined) ?? []) {
    const m = parseChartSourceMapping(arg);
    if (chartSources[m.sourceId] !== undefined) throw new UsageError(`--chart-source ${m.sourceId} is given twice`);
    const dir = resolve(io.cwd, m.path);
    if (!existsSync(dir)) throw new UsageError(`--chart-source ${m.sourceId}: '${m.path}' does not exist`);
    chartSources[m.sourceId] = dir;
  }
  const sources = sourceMappings(flags.source as string[] | undefined);
  return {
    ...(Object.keys(sources).length ? { sources } : {}),
    ...(typeof flags.vars === 'string' ? { vars: readVars(flags.vars, io.cwd) } : {}),
    ...(flags['allow-missing-vars'] === true ? { allowMissingVars: true } : {}),
    ...(Object.keys(chartSources).length ? { chartSources } : {}),
    ...(typeof flags['chart-cache'] === 'string' ? { chartCache: resolve(io.cwd, flags['chart-cache']) } : {}),
    ...(noHelm ? { helm: false } : {}),
    ...(typeof kube === 'string' ? { kubeVersion: kube } : {}),
    ...(typeof flags['values-from'] === 'string'
      ? { clusterObjects: readClusterObjects(flags['values-from'], io.cwd) }
      : {}),
    ...(flags['fetch-charts'] === true ? { fetchCharts: true } : {}),
    ...credentialFiles,
  };
}

/**
 * `--repository-config FILE` and `--registry-config FILE`: only with `--fetch-charts` (they are
 * what it authenticates with), read now so that a bad file fails before any render, with its name.
 */
function credentialFilesOf(flags: Flags, io: Io): { repositoryConfig?: string; registryConfig?: string } {
  const out: { repositoryConfig?: string; registryConfig?: string } = {};
  for (const [flag, key] of [
    ['repository-config', 'repositoryConfig'],
    ['registry-config', 'registryConfig'],
  ] as const) {
    const v = flags[flag];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v === '') throw new UsageError(`--${flag} needs a file`);
    if (flags['fetch-charts'] !== true) throw new UsageError(`--${flag} is only used with --fetch-charts`);
    const abs = resolve(io.cwd, v);
    if (flag === 'repository-config') readRepositoryConfig(abs);
    else readRegistryConfig(abs);
    out[key] = abs;
  }
  return out;
}

/** The settings of the repository's `.aksfleet.yaml` `render:` section (none: {}). */
export function settingsFromConfig(root: string): RenderSettings {
  const file = join(root, CONFIG_FILE);
  if (!existsSync(file)) return {};
  const docs = parseYamlDocuments(readFileSync(file, 'utf8'), CONFIG_FILE);
  if (docs.length !== 1) return {}; // the check config reports a file that is not one document
  const c = parseRenderConfig(docs[0]!, CONFIG_FILE);
  if (!c) return {};
  // A path of the file must exist and stay inside the repository once links are followed.
  const realRoot = realpathSync(root);
  const inside = (p: ConfigPath): string => {
    const abs = join(root, p.path);
    if (!existsSync(abs))
      throw new InputError(`'${p.path}' does not exist in the repository`, { pos: p.pos, fieldPath: p.fieldPath });
    const rel = relative(realRoot, realpathSync(abs));
    if (rel.startsWith('..') || isAbsolute(rel))
      throw new InputError(`'${p.path}' leaves the repository through a symbolic link`, {
        pos: p.pos,
        fieldPath: p.fieldPath,
      });
    return abs;
  };
  const dir = inside;
  const paths = (m: Readonly<Record<string, ConfigPath>>, f: (p: ConfigPath) => string) =>
    Object.fromEntries(Object.entries(m).map(([k, v]) => [k, f(v)]));
  return {
    ...(c.sources ? { sources: paths(c.sources, (p) => p.path) } : {}),
    ...(c.vars ? { vars: readVars(inside(c.vars), root, c.vars.path, c.vars) } : {}),
    ...(c.allowMissingVars !== undefined ? { allowMissingVars: c.allowMissingVars } : {}),
    ...(c.chartSources ? { chartSources: paths(c.chartSources, dir) } : {}),
    ...(c.chartCache ? { chartCache: join(root, c.chartCache.path) } : {}),
    ...(c.helm !== undefined ? { helm: c.helm } : {}),
    ...(c.kubeVersion !== undefined ? { kubeVersion: c.kubeVersion } : {}),
    ...(c.valuesFrom
      ? { clusterObjects: readClusterObjects(inside(c.valuesFrom), root, c.valuesFrom.path, c.valuesFrom) }
      : {}),
  };
}

/**
 * The command's settings: the flags over `.aksfleet.yaml`. A chart flag turns rendering on over
 * a `helm: false` of the file; `--no-helm` drops the file's chart store. Chart sources or
 * `--fetch-charts` without a cache use the user's default chart cache.
 */
export function renderSettings(flags: Flags, io: Io, root: string): RenderSettings {
  const fromFlags = settingsFromFlags(flags, io);
  const fromConfig = settingsFromConfig(root);
  const chartFlag =
    fromFlags.chartSources !== undefined || fromFlags.chartCache !== undefined || fromFlags.fetchCharts === true;
  const base: RenderSettings =
    fromFlags.helm === false
      ? { ...fromConfig, chartSources: undefined, chartCache: undefined }
      : chartFlag && fromConfig.helm === false
        ? { ...fromConfig, helm: undefined }
        : fromConfig;
  const merged = mergeRenderSettings(base, fromFlags);
  const needsCache =
    merged.helm !== false &&
    merged.chartCache === undefined &&
    ((merged.chartSources && Object.keys(merged.chartSources).length > 0) || merged.fetchCharts === true);
  return needsCache ? { ...merged, chartCache: defaultChartCacheDir(io.env) } : merged;
}

/** The session a command renders with: the given one with the settings of its flags and `.aksfleet.yaml`. */
export function renderSession(session: Session, flags: Flags, io: Io, root: string): Session {
  return withRenderSettings(session, renderSettings(flags, io, root), root);
}
