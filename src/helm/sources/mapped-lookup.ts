/**
 * A chart request answered from a local folder mapped to its Flux source (`--chart-source
 * HelmRepository/ns/name=DIR`), for air-gapped CI. The mapped path may be:
 * - a Helm repository folder: `index.yaml` plus the archives it lists (relative URLs; an absolute
 *   URL is looked up by its file name in the folder); index digests are verified;
 * - a folder of charts: chart folders (`<any>/Chart.yaml`) and archives (`<chart>-<version>.tgz`);
 * - (an OCIRepository) one chart folder or one `.tgz` archive, or a folder of charts: the chart named
 *   as the last segment of the source's URL when the folder holds several.
 * The version constraint is resolved as Flux does (resolve-version.ts). A mapping is authoritative:
 * a chart it does not hold is missing, the cache is not consulted.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { loadArchiveFiles } from '../chart/archive.js';
import { loadDirFiles } from '../chart/directory.js';
import { parseSemver } from '../chart/semver.js';
import type { ChartFile } from '../chart/types.js';
import { chartIdentity, chartIdentityOf } from './chart-yaml.js';
import { archiveDigest, filesDigest } from './digest.js';
import { MAX_INDEX_BYTES, readIndexEntries } from './repo-index.js';
import { resolveVersion, type VersionCandidate } from './resolve-version.js';
import { tagToVersion } from './source-url.js';
import type { ChartLookup, ChartRequest, ResolvedChart } from './types.js';

interface Candidate extends VersionCandidate {
  /** Absolute path of the chart folder or archive. */
  readonly path: string;
  /** The chart's name, when read (a folder of charts taken whole: every chart). */
  readonly name?: string;
  readonly kind: 'dir' | 'archive';
  /** Expected archive sha256 (hex) from an index, '' when none. */
  readonly digest: string;
}

/** The path to show: relative to `root` when inside it, else as given. */
export function displayPath(path: string, root: string | undefined): string {
  if (!root) return path;
  const r = relative(resolve(root), resolve(path));
  return r === '' ? '.' : r.startsWith('..') || isAbsolute(r) ? path : r.split(sep).join('/');
}

function load(c: Candidate, shown: string): ResolvedChart {
  if (c.kind === 'dir') {
    const files = loadDirFiles(c.path);
    return {
      files,
      version: chartIdentity(files, shown).version,
      digest: filesDigest(files),
      from: 'mapped',
      location: shown,
    };
  }
  const data = readFileSync(c.path);
  const digest = archiveDigest(data);
  if (c.digest && `sha256:${c.digest}` !== digest)
    throw new Error(`${shown}: digest mismatch: the index says sha256:${c.digest}, the archive is ${digest}`);
  const files: ChartFile[] = loadArchiveFiles(data, shown);
  return { files, version: chartIdentity(files, shown).version, digest, from: 'mapped', location: shown };
}

/** The identity of an archive without keeping its files (only Chart.yaml is decoded). */
function archiveIdentity(path: string): { name: string; version: string } | undefined {
  try {
    const files = loadArchiveFiles(readFileSync(path), basename(path));
    return chartIdentity(files, basename(path));
  } catch {
    return undefined;
  }
}

function dirIdentity(path: string): { name: string; version: string } | undefined {
  try {
    return chartIdentityOf(readFileSync(join(path, 'Chart.yaml')), basename(path));
  } catch {
    return undefined;
  }
}

/** Candidates from a Helm repository folder's index.yaml. */
function indexCandidates(dir: string, chart: string): Candidate[] {
  const indexPath = join(dir, 'index.yaml');
  if (statSync(indexPath).size > MAX_INDEX_BYTES)
    throw new Error(`${indexPath}: index is larger than ${MAX_INDEX_BYTES} bytes`);
  const entries = readIndexEntries(readFileSync(indexPath, 'utf8'), chart, indexPath);
  const out: Candidate[] = [];
  for (const e of entries) {
    const url = e.urls[0]!;
    const name = /^[a-z][a-z0-9+.-]*:/i.test(url) ? posix.basename(new URL(url).pathname) : posix.normalize(url);
    if (name.startsWith('..') || posix.isAbsolute(name)) continue;
    const p = join(dir, ...name.split('/'));
    out.push({ version: e.version, created: e.created, path: p, kind: 'archive', digest: e.digest });
  }
  return out;
}

/** Candidates from a folder of chart folders and archives; `chart` '' takes every chart. */
function folderCandidates(dir: string, chart: string): Candidate[] {
  const out: Candidate[] = [];
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      const id = existsSync(join(p, 'Chart.yaml')) ? dirIdentity(p) : undefined;
      if (id && (chart === '' || id.name === chart))
        out.push({ version: id.version, name: id.name, path: p, kind: 'dir', digest: '' });
    } else if (st.isFile() && n.endsWith('.tgz')) {
      if (chart !== '') {
        // `<chart>-<version>.tgz`: the name tells the version (checked against Chart.yaml once picked).
        const version = n.startsWith(`${chart}-`) ? n.slice(chart.length + 1, -4) : '';
        if (parseSemver(version)) out.push({ version, path: p, kind: 'archive', digest: '' });
        continue;
      }
      const id = archiveIdentity(p);
      if (id) out.push({ version: id.version, name: id.name, path: p, kind: 'archive', digest: '' });
    }
  }
  return out;
}

/** The last path segment of an `oci://` URL: the repository an OCIRepository names. */
function ociRepositoryName(url: string): string {
  return posix.basename(url.replace(/[?#].*$/, '').replace(/\/+$/, ''));
}

/** Looks a request up in the folder (or archive) `path` mapped to its source. */
export function lookupMapped(path: string, req: ChartRequest, root: string | undefined): ChartLookup {
  const shownRoot = displayPath(path, root);
  const fail = (why: string): ChartLookup => ({
    ok: false,
    reason: `${req.sourceId} is mapped to ${shownRoot}: ${why}`,
  });
  let st;
  try {
    st = statSync(path);
  } catch {
    return fail('no such file or folder');
  }
  try {
    let candidates: Candidate[];
    if (st.isFile())
      candidates = [{ version: archiveIdentity(path)?.version ?? '', path, kind: 'archive', digest: '' }];
    else if (existsSync(join(path, 'Chart.yaml')))
      candidates = [{ version: dirIdentity(path)?.version ?? '', path, kind: 'dir', digest: '' }];
    else if (req.sourceKind === 'HelmRepository' && existsSync(join(path, 'index.yaml')))
      candidates = indexCandidates(path, req.chart);
    else candidates = folderCandidates(path, req.sourceKind === 'HelmRepository' ? req.chart : '');
    let pick: Candidate | undefined;
    const oci = req.sourceKind === 'OCIRepository';
    const names = [...new Set(candidates.map((c) => c.name ?? ''))];
    if (oci && names.length > 1) {
      // An OCIRepository is one repository of one chart: in a folder of several charts, the one named
      // as the URL's repository (never another chart whose version happens to match).
      const repo = ociRepositoryName(req.url);
      candidates = candidates.filter((c) => c.name === repo);
      if (candidates.length === 0)
        return fail(`holds several charts (${names.sort().join(', ')}) and none named '${repo}' as ${req.url} is`);
    }
    if (oci && !req.version && req.tag && req.tag !== 'latest' && !req.digest) {
      pick = candidates.find((c) => c.version === tagToVersion(req.tag!));
      if (!pick) return fail(`no chart with version ${tagToVersion(req.tag)} (tag ${req.tag})`);
    } else if (oci && !req.version && candidates.length === 1) {
      // One artifact mapped: it is what the tag (or digest) names.
      pick = candidates[0]!;
    } else {
      const choice = resolveVersion(candidates, req.version, req.chart || req.sourceId, {
        exactFirst: req.sourceKind === 'HelmRepository',
      });
      if (!choice.ok)
        return fail(
          candidates.length === 0
            ? `no chart${req.chart ? ` '${req.chart}'` : ''} there (chart folders with Chart.yaml, ` +
                `<chart>-<version>.tgz archives or index.yaml)`
            : choice.reason,
        );
      pick = choice.pick;
    }
    const shown = pick.path === path ? shownRoot : `${shownRoot}/${relative(path, pick.path).split(sep).join('/')}`;
    const chart = load(pick, shown);
    if (req.sourceKind === 'HelmRepository' && req.chart) {
      const id = chartIdentity(chart.files, shown);
      if (id.name !== req.chart) return fail(`${shown} holds chart '${id.name}', not '${req.chart}'`);
      if (pick.version !== '' && pick.version !== id.version)
        return fail(
          `${shown} holds version ${id.version} of '${id.name}', not ${pick.version} as its ` +
            `${pick.digest || pick.path.endsWith('.tgz') ? 'name or index says' : 'folder says'}`,
        );
    }
    return { ok: true, chart };
  } catch (e) {
    return fail((e as Error).message);
  }
}
