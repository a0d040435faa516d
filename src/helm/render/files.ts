/**
 * `.Files` as Helm's engine builds it (pkg/engine/files.go): the chart's non-template files by
 * name, with Get, GetBytes, Glob, AsConfig, AsSecrets and Lines. Only the chart's own files are
 * reachable: names are keys of a map, never paths on disk.
 */
import { GoPanic, goFunc, namedType, typedMap, typedSlice, type GoMap } from '../../gotemplate/value.js';
import { toGoYaml } from '../../yaml/go-emit.js';
import type { ChartFile } from '../chart/types.js';
import { globMatcher } from './glob.js';

const decoder = new TextDecoder('utf-8');

function baseName(p: string): string {
  const s = p.replace(/\/+$/, '');
  return s.slice(s.lastIndexOf('/') + 1) || '/';
}

/** Helm's toYAML of a map[string]string (keys sorted, trailing newline trimmed). */
function stringMapYaml(m: Map<string, string>): string {
  if (m.size === 0) return '{}';
  const obj: Record<string, string> = {};
  for (const k of [...m.keys()].sort()) obj[k] = m.get(k)!;
  return toGoYaml(obj).replace(/\n$/, '');
}

/**
 * The `.Files` value of a chart: Go's `type files map[string][]byte` with methods, so templates
 * call `.Files.Get` and range, index, len and toJson see the map of file names to bytes.
 */
export function filesObject(files: ReadonlyMap<string, Uint8Array>): GoMap {
  const getBytes = (name: string): Uint8Array => files.get(name) ?? new Uint8Array(0);
  const map: GoMap = Object.create(null) as GoMap;
  for (const [k, v] of files) map[k] = v;
  return namedType(typedMap(map, '[]uint8'), 'engine.files', {
    GetBytes: goFunc(['string'], ['[]uint8'], ([n]) => getBytes(String(n))),
    Get: goFunc(['string'], ['string'], ([n]) => decoder.decode(getBytes(String(n)))),
    Glob: goFunc(['string'], ['engine.files'], ([p]) => {
      const match = globMatcher(String(p));
      const nf = new Map<string, Uint8Array>();
      for (const [k, v] of files) if (match(k)) nf.set(k, v);
      return filesObject(nf);
    }),
    AsConfig: goFunc([], ['string'], () => {
      const m = new Map<string, string>();
      for (const [k, v] of files) m.set(baseName(k), decoder.decode(v));
      return stringMapYaml(m);
    }),
    AsSecrets: goFunc([], ['string'], () => {
      const m = new Map<string, string>();
      for (const [k, v] of files) m.set(baseName(k), Buffer.from(v).toString('base64'));
      return stringMapYaml(m);
    }),
    Lines: goFunc(['string'], ['[]string'], ([p]) => {
      const data = files.get(String(p));
      if (data === undefined) return typedSlice([], 'string');
      let s = decoder.decode(data);
      if (s.length === 0) throw new GoPanic('runtime error: index out of range [-1]');
      if (s.endsWith('\n')) s = s.slice(0, -1);
      return typedSlice(s.split('\n'), 'string');
    }),
  });
}

/** `.Files` of a chart from its loaded files (later files with the same name win, as in Go's map). */
export function chartFilesObject(list: readonly ChartFile[]): GoMap {
  const m = new Map<string, Uint8Array>();
  for (const f of list) m.set(f.name, f.data);
  return filesObject(m);
}
