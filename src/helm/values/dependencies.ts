/**
 * Dependency processing as Helm does before rendering (pkg/chart/v2/util/dependencies.go
 * ProcessDependencies): subcharts matched to Chart.yaml `dependencies` by name and version range,
 * copied under their `alias`, switched off by `tags` and `condition` (evaluated on the values
 * coalesced so far, condition paths relative to the parent chart), then `import-values` pulled up
 * from children into parents, bottom-up. Returns a new chart tree; the input is not changed.
 */
import { InputError } from '../../errors.js';
import type { GoMap, GoValue } from '../../gotemplate/value.js';
import { isCompatibleRange } from '../chart/semver.js';
import type { Chart, Dependency } from '../chart/types.js';
import { coalesceValues, mergeTables, mergeValues, type Warn } from './coalesce.js';
import { deepCopy, has, isTable } from './copy.js';

/** Helm's CheckDependencies: every declared dependency must be present under charts/. */
export function checkDependencies(chart: Chart): void {
  const missing = (chart.metadata.dependencies ?? [])
    .filter((r) => !chart.dependencies.some((d) => d.metadata.name === r.name))
    .map((r) => r.name);
  if (missing.length > 0) {
    throw new InputError(
      `an error occurred while checking for chart dependencies. You may need to run 'helm dependency build' ` +
        `to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')}`,
    );
  }
}

/** Values.Table: the map at a dotted path, or undefined. */
export function tableAt(v: GoMap, path: string): GoMap | undefined {
  let t: GoMap = v;
  for (const n of path.split('.')) {
    if (!has(t, n) || !isTable(t[n])) return undefined;
    t = t[n] as GoMap;
  }
  return t;
}

/** Values.PathValue: the non-map value at a dotted path, or undefined. */
function pathValue(v: GoMap, path: string): { value: GoValue } | undefined {
  const parts = path.split('.');
  const key = parts.pop()!;
  const t = parts.length === 0 ? v : tableAt(v, parts.join('.'));
  if (!t || !has(t, key) || isTable(t[key])) return undefined;
  return { value: t[key] as GoValue };
}

function withName(c: Chart, name: string): Chart {
  return { ...c, metadata: { ...c.metadata, name } };
}

function aliasDependency(charts: readonly Chart[], dep: Dependency): Chart | undefined {
  for (const c of charts) {
    if (c.metadata.name !== dep.name) continue;
    if (!isCompatibleRange(dep.version, c.metadata.version)) continue;
    return dep.alias !== '' ? withName(c, dep.alias) : { ...c };
  }
  return undefined;
}

function processEnabled(c: Chart, v: GoMap, path: string, warn: Warn): Chart {
  const reqs0 = c.metadata.dependencies;
  if (reqs0 === null) return c;
  const chartDependencies: Chart[] = [];
  for (const existing of c.dependencies) {
    const matched = reqs0.some(
      (req) => req && existing.metadata.name === req.name && isCompatibleRange(req.version, existing.metadata.version),
    );
    if (!matched) chartDependencies.push(existing);
  }
  const reqs: Dependency[] = [];
  for (const req of reqs0) {
    if (!req) continue;
    const cd = aliasDependency(c.dependencies, req);
    if (cd) chartDependencies.push(cd);
    reqs.push({ ...req, name: req.alias !== '' ? req.alias : req.name, enabled: true });
  }
  const staged: Chart = { ...c, dependencies: chartDependencies, metadata: { ...c.metadata, dependencies: reqs } };
  const cvals = coalesceValues(staged, v, warn);
  // tags
  const tags = tableAt(cvals, 'tags');
  const enabled = reqs.map((r) => r.enabled);
  if (tags) {
    reqs.forEach((r, i) => {
      let hasTrue = false;
      let hasFalse = false;
      for (const k of r.tags) {
        if (!has(tags, k)) continue;
        const b = tags[k];
        if (typeof b === 'boolean') {
          if (b) hasTrue = true;
          else hasFalse = true;
        } else warn(`returned non-bool value tag=${k} chart=${r.name}`);
      }
      if (!hasTrue && hasFalse) enabled[i] = false;
      else enabled[i] = true;
    });
  }
  // conditions
  reqs.forEach((r, i) => {
    for (const cond of r.condition.trim().split(',')) {
      if (cond.length === 0) continue;
      const pv = pathValue(cvals, path + cond);
      if (pv === undefined) continue;
      if (typeof pv.value === 'boolean') {
        enabled[i] = pv.value;
        break;
      }
      warn(`returned non-bool value path=${cond} chart=${r.name}`);
    }
  });
  const rm = new Set(reqs.filter((_, i) => !enabled[i]).map((r) => r.name));
  const kept = chartDependencies.filter((d) => !rm.has(d.metadata.name));
  const keptMeta = reqs.map((r, i) => ({ ...r, enabled: enabled[i]! })).filter((r) => !rm.has(r.name));
  const processed = kept.map((t) => processEnabled(t, cvals, `${path}${t.metadata.name}.`, warn));
  return {
    ...c,
    dependencies: processed,
    metadata: { ...c.metadata, dependencies: keptMeta.length > 0 ? keptMeta : null },
  };
}

function pathToMap(path: string, data: GoMap): GoMap {
  if (path === '.') return data;
  let cur: GoMap = data;
  const parts = path.split('.');
  for (let i = parts.length - 1; i >= 0; i--) cur = { [parts[i]!]: cur };
  return cur;
}

function goSprintV(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  return String(v);
}

function processImportValues(c: Chart, warn: Warn): Chart {
  const reqs = c.metadata.dependencies;
  if (reqs === null) return c;
  const cvals = mergeValues(c, null, warn);
  let b: GoMap = {};
  const newReqs = reqs.map((r) => {
    const outiv: unknown[] = [];
    for (const riv of r.importValues) {
      if (isTable(riv as GoValue)) {
        const iv = riv as GoMap;
        const child = goSprintV(iv.child);
        const parent = goSprintV(iv.parent);
        outiv.push({ child, parent });
        const vv = tableAt(cvals, `${r.name}.${child}`);
        if (!vv) {
          warn(`ImportValues missing table from chart ${r.name}: ${child}`);
          continue;
        }
        b = mergeTables(b, pathToMap(parent, deepCopy(vv)), warn)!;
      } else if (typeof riv === 'string') {
        const child = `exports.${riv}`;
        outiv.push({ child, parent: '.' });
        const vm = tableAt(cvals, `${r.name}.${child}`);
        if (!vm) {
          warn(`ImportValues missing table: ${child}`);
          continue;
        }
        b = mergeTables(b, deepCopy(vm), warn)!;
      }
    }
    return { ...r, importValues: outiv };
  });
  const values = mergeTables(deepCopy(cvals), b, warn)!;
  return { ...c, values, metadata: { ...c.metadata, dependencies: newReqs } };
}

function processImports(c: Chart, warn: Warn): Chart {
  const deps = c.dependencies.map((d) => processImports(d, warn));
  return processImportValues({ ...c, dependencies: deps }, warn);
}

/** Helm's ProcessDependencies with the user's values `v`. */
export function processDependencies(chart: Chart, v: GoMap, warn: Warn = () => {}): Chart {
  return processImports(processEnabled(chart, v, '', warn), warn);
}
