/**
 * A Helm repository's `index.yaml` (helm.sh/helm/v4 pkg/repo IndexFile), read as untrusted input:
 * the entries of one chart, each with its version, download URLs, digest and creation time.
 * Entries without a version or a URL are skipped, as Helm skips invalid chart versions.
 */
import { InputError } from '../../errors.js';
import { parseYamlObject } from '../chart/metadata.js';
import type { VersionCandidate } from './resolve-version.js';

/** One chart version of an index. */
export interface IndexEntry extends VersionCandidate {
  readonly name: string;
  readonly urls: readonly string[];
  /** The archive's sha256 (hex), as `helm repo index` writes it; '' when absent. */
  readonly digest: string;
}

/** source-controller's cap on a repository index (internal/helm MaxIndexSize, its default): 50 MiB. */
export const MAX_INDEX_BYTES = 50 * 1024 * 1024;

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The versions of `chart` in the index text (in index order); `where` names the index in errors. */
export function readIndexEntries(text: string, chart: string, where: string): IndexEntry[] {
  if (text.length > MAX_INDEX_BYTES) throw new InputError(`${where}: index is larger than ${MAX_INDEX_BYTES} bytes`);
  let doc: unknown;
  try {
    doc = parseYamlObject(text, where);
  } catch (e) {
    throw new InputError(`${where}: cannot read the repository index: ${(e as Error).message}`, { cause: e });
  }
  if (!isMap(doc)) throw new InputError(`${where}: cannot read the repository index: not a YAML map`);
  if (doc.apiVersion === undefined || doc.apiVersion === null || doc.apiVersion === '')
    throw new InputError(`${where}: no API version specified`);
  const entries = isMap(doc.entries) ? doc.entries : {};
  const list = Object.hasOwn(entries, chart) ? entries[chart] : undefined;
  if (!Array.isArray(list)) return [];
  const out: IndexEntry[] = [];
  for (const e of list) {
    if (!isMap(e)) continue;
    const version = typeof e.version === 'string' ? e.version : typeof e.version === 'number' ? String(e.version) : '';
    const urls = Array.isArray(e.urls) ? e.urls.filter((u): u is string => typeof u === 'string' && u !== '') : [];
    if (version === '' || urls.length === 0) continue;
    let digest = '';
    if (e.digest !== undefined && e.digest !== null && e.digest !== '') {
      digest = typeof e.digest === 'string' ? e.digest.replace(/^sha256:/, '').toLowerCase() : '';
      // A digest that cannot be checked is refused, never skipped.
      if (!/^[0-9a-f]{64}$/.test(digest))
        throw new InputError(`${where}: ${chart} ${version}: invalid digest ${JSON.stringify(String(e.digest))}`);
    }
    out.push({
      name: chart,
      version,
      urls,
      digest,
      created: typeof e.created === 'string' ? e.created : undefined,
    });
  }
  return out;
}
