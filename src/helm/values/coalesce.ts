/**
 * Coalescing values exactly as Helm 4.2 does (pkg/chart/common/util/coalesce.go): user values
 * over chart defaults, maps merged recursively, a `null` user value deletes the key, a list or
 * scalar replaces a map (with a warning), globals copied down into every subchart, and (new in
 * 4.2) chart-default nils are not copied into the result. `merge` mode (MergeValues) keeps nils.
 *
 * Warnings Helm logs go to the `warn` callback.
 */
import type { GoMap, GoValue } from '../../gotemplate/value.js';
import type { Chart } from '../chart/types.js';
import { deepCopy, has, isTable, setKey } from './copy.js';

/** Where Helm's log.Printf warnings go. */
export type Warn = (message: string) => void;

const GLOBAL = 'global';

function concatPrefix(a: string, b: string): string {
  return a === '' ? b : `${a}.${b}`;
}

function goPrint(v: GoValue | undefined): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`;
  if (isTable(v))
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goPrint(v[k])}`)
      .join(' ')}]`;
  return String(v);
}

/** Helm's CoalesceValues: a new map of `vals` coalesced over the chart's defaults and its subcharts'. */
export function coalesceValues(chart: Chart, vals: GoMap | null, warn: Warn = () => {}): GoMap {
  return coalesce(warn, chart, deepCopy(vals ?? {}), '', false);
}

/** Helm's MergeValues: as {@link coalesceValues}, but nils are kept. */
export function mergeValues(chart: Chart, vals: GoMap | null, warn: Warn = () => {}): GoMap {
  return coalesce(warn, chart, deepCopy(vals ?? {}), '', true);
}

function coalesce(warn: Warn, ch: Chart, dest: GoMap, prefix: string, merge: boolean): GoMap {
  coalesceChartValues(warn, ch, dest, prefix, merge);
  return coalesceDeps(warn, ch, dest, prefix, merge);
}

/** Thrown where Helm's coalesceDeps returns an error. */
export class CoalesceError extends Error {}

function coalesceDeps(warn: Warn, ch: Chart, dest: GoMap, prefix: string, merge: boolean): GoMap {
  for (const sub of ch.dependencies) {
    const name = sub.metadata.name;
    if (!has(dest, name)) setKey(dest, name, {});
    else if (!isTable(dest[name]))
      throw new CoalesceError(`type mismatch on ${name}: %!t(${goTypeName(dest[name])}=${goPrint(dest[name])})`);
    const dvmap = dest[name] as GoMap;
    const subPrefix = concatPrefix(prefix, ch.metadata.name);
    coalesceGlobals(warn, dvmap, dest, subPrefix);
    setKey(dest, name, coalesce(warn, sub, dvmap, subPrefix, merge));
  }
  return dest;
}

function goTypeName(v: GoValue | undefined): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return 'int64';
}

function coalesceGlobals(warn: Warn, dest: GoMap, src: GoMap, prefix: string): void {
  let dg: GoMap;
  let sg: GoMap;
  if (!has(dest, GLOBAL)) dg = {};
  else if (isTable(dest[GLOBAL])) dg = dest[GLOBAL] as GoMap;
  else {
    warn(`warning: skipping globals because destination ${GLOBAL} is not a table.`);
    return;
  }
  if (!has(src, GLOBAL)) sg = {};
  else if (isTable(src[GLOBAL])) sg = src[GLOBAL] as GoMap;
  else {
    warn(`warning: skipping globals because source ${GLOBAL} is not a table.`);
    return;
  }
  for (const key of Object.keys(sg)) {
    const val = sg[key];
    if (isTable(val)) {
      const vv: GoMap = { ...val };
      if (!has(dg, key)) setKey(dg, key, vv);
      else {
        const destv = dg[key];
        if (!isTable(destv)) warn(`Conflict: cannot merge map onto non-map for "${key}". Skipping.`);
        else {
          coalesceTablesFullKey(warn, vv, destv, concatPrefix(prefix, key), true);
          setKey(dg, key, vv);
        }
      }
    } else if (has(dg, key) && isTable(dg[key])) {
      warn(`key ${key} is table. Skipping`);
    } else {
      setKey(dg, key, val as GoValue);
    }
  }
  setKey(dest, GLOBAL, dg);
}

function childChartMergeTrue(ch: Chart, key: string, merge: boolean): boolean {
  return ch.dependencies.some((d) => d.metadata.name === key) ? true : merge;
}

function coalesceChartValues(warn: Warn, ch: Chart, v: GoMap, prefix: string, merge: boolean): void {
  const subPrefix = concatPrefix(prefix, ch.metadata.name);
  const vc = deepCopy(ch.values);
  for (const key of Object.keys(vc)) {
    const val = vc[key];
    if (has(v, key)) {
      const value = v[key];
      if (value === null && !merge) {
        delete v[key];
      } else if (isTable(value)) {
        if (!isTable(val)) {
          if (val !== null) warn(`warning: skipped value for ${subPrefix}.${key}: Not a table.`);
        } else {
          const m = childChartMergeTrue(ch, key, merge);
          if (!m) cleanNilValues(val);
          coalesceTablesFullKey(warn, value, val, concatPrefix(subPrefix, key), m);
        }
      }
    } else {
      if (!merge) {
        if (val === null) continue;
        if (isTable(val)) cleanNilValues(val);
      }
      setKey(v, key, val as GoValue);
    }
  }
}

/** Helm's CoalesceTables: `src` under `dst` (dst wins), nils in dst delete keys. Mutates and returns dst. */
export function coalesceTables(dst: GoMap | null, src: GoMap | null, warn: Warn = () => {}): GoMap | null {
  return coalesceTablesFullKey(warn, dst, src, '', false);
}

/** Helm's MergeTables: as {@link coalesceTables}, nils kept. */
export function mergeTables(dst: GoMap | null, src: GoMap | null, warn: Warn = () => {}): GoMap | null {
  return coalesceTablesFullKey(warn, dst, src, '', true);
}

function coalesceTablesFullKey(
  warn: Warn,
  dst: GoMap | null,
  src: GoMap | null,
  prefix: string,
  merge: boolean,
): GoMap | null {
  if (src === null) return dst;
  if (dst === null) return src;
  const srcOriginalNonNil = new Set<string>();
  for (const key of Object.keys(src)) if (src[key] !== null) srcOriginalNonNil.add(key);
  for (const key of Object.keys(dst)) if (dst[key] === null) setKey(src, key, null);
  for (const key of Object.keys(src)) {
    const val = src[key];
    const fullkey = concatPrefix(prefix, key);
    const ok = has(dst, key);
    const dv = ok ? dst[key] : undefined;
    if (ok && !merge && dv === null && srcOriginalNonNil.has(key)) {
      delete dst[key];
    } else if (!ok) {
      setKey(dst, key, val as GoValue);
    } else if (isTable(val)) {
      if (isTable(dv)) coalesceTablesFullKey(warn, dv, val, fullkey, merge);
      else warn(`warning: cannot overwrite table with non table for ${fullkey} (${goPrint(val)})`);
    } else if (isTable(dv) && val !== null) {
      warn(`warning: destination for ${fullkey} is a table. Ignoring non-table value (${goPrint(val)})`);
    }
  }
  return dst;
}

function cleanNilValues(m: GoMap): void {
  for (const key of Object.keys(m)) {
    const val = m[key];
    if (val === null) delete m[key];
    else if (isTable(val)) cleanNilValues(val);
  }
}
