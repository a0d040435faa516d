/**
 * Wildcard keys in a pattern's `metadata.labels` / `metadata.annotations` (pkg/engine/wildcards
 * ExpandInMetadata): a key such as `app.kubernetes.io/*` becomes the first resource key it matches,
 * so the value is checked against that label. Returns a new pattern map; the input is not changed.
 */
import { anchorString, parseAnchor } from '../anchor/anchor.js';
import { isMap } from '../pattern/go-values.js';
import { containsWildcard, wildcardMatch } from '../wildcard/match.js';

/** The pattern with wildcard label/annotation keys expanded against the resource's. */
export function expandInMetadata(
  pattern: Record<string, unknown>,
  resource: Record<string, unknown>,
): Record<string, unknown> {
  const [metaKey, patternMeta] = patternValue('metadata', pattern);
  if (!isMap(patternMeta) || resource.metadata === undefined || resource.metadata === null) return pattern;
  const meta = { ...patternMeta };
  for (const tag of ['labels', 'annotations']) {
    const [pKey, pData] = stringMap(tag, patternMeta);
    const [, rData] = stringMap(tag, resource.metadata);
    if (!pData || !rData) continue;
    meta[pKey] = replaceWildcardKeys(pData, rData);
  }
  return { ...pattern, [metaKey]: meta };
}

function patternValue(tag: string, pattern: Record<string, unknown>): [string, unknown] {
  for (const [k, v] of Object.entries(pattern)) {
    if (k === tag || parseAnchor(k)?.key === tag) return [k, v];
  }
  return ['', undefined];
}

function stringMap(tag: string, data: unknown): [string, Record<string, string> | undefined] {
  if (!isMap(data)) return ['', undefined];
  const [key, val] = patternValue(tag, data);
  if (!isMap(val)) return ['', undefined];
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(val)) if (typeof v === 'string') out[k] = v;
  return [key, out];
}

function replaceWildcardKeys(
  pattern: Record<string, string>,
  resource: Record<string, string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(pattern)) {
    if (!containsWildcard(k)) {
      out[k] = v;
      continue;
    }
    const a = parseAnchor(k);
    const bare = a ? a.key : k;
    const match =
      Object.keys(resource)
        .sort()
        .find((rk) => wildcardMatch(bare, rk)) ?? bare;
    out[a ? anchorString(a.type, match) : match] = v;
  }
  return out;
}
