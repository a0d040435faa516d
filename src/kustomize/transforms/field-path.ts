/**
 * Replacement field paths as kyaml reads them (kustomize v5.8.1, kyaml v0.21.1): the splitter
 * (utils.SmarterPathSplitter) and the places a path reaches in a resource (yaml.PathMatcher), with
 * `create` making the missing ones.
 */
import { isPlainObject } from '../../resources/resource.js';

/** kyaml's PathSplitter: split on `.`, a `\\.` keeps the dot (and loses the backslash); a leading `.` is dropped. */
function pathSplitter(p: string): string[] {
  let ps = p.split('.');
  if (ps.length > 1 && ps[0] === '') ps = ps.slice(1);
  const res = [ps[0]!];
  for (const part of ps.slice(1)) {
    const last = res.length - 1;
    if (res[last]!.endsWith('\\')) res[last] = res[last]!.slice(0, -1) + '.' + part;
    else res.push(part);
  }
  return res;
}

/**
 * kyaml's SmarterPathSplitter: PathSplitter, then a bracketed element split on its dots is joined
 * again; it keeps its brackets when it is a list entry selector (`[name=a.b]`), loses them when it
 * is a key (`[config.json]`).
 */
export function splitFieldPath(p: string): string[] {
  const split = pathSplitter(p);
  const out: string[] = [];
  for (let i = 0; i < split.length; i++) {
    const elem = split[i]!;
    if (!elem.startsWith('[') || elem.endsWith(']')) {
      out.push(elem);
      continue;
    }
    const bracketed = [elem];
    while (i < split.length - 1) {
      i++;
      bracketed.push(split[i]!);
      if (split[i]!.endsWith(']')) break;
    }
    const joined = bracketed.join('.');
    out.push(joined.includes('=') ? joined : joined.replace(/^\[+|\]+$/g, ''));
  }
  return out;
}

export interface Place {
  get(): unknown;
  set(v: unknown): void;
}

/** Finds (and with `create`, makes) the places a field path reaches. */
export function match(root: unknown, segs: string[], create: 'map' | 'seq' | 'scalar' | undefined): Place[] {
  let places: Place[] = [{ get: () => root, set: () => undefined }];
  segs.forEach((seg, i) => {
    const last = i === segs.length - 1;
    const next: Place[] = [];
    for (const pl of places) {
      const node = pl.get();
      const bracket = /^\[(.*)=(.*)\]$/.exec(seg);
      if (bracket) {
        if (!Array.isArray(node)) continue;
        const [, k, v] = bracket;
        let hit = false;
        node.forEach((el, j) => {
          if (k === '' ? String(el) === v : isPlainObject(el) && String(el[k!]) === v) {
            hit = true;
            next.push({ get: () => node[j], set: (x) => (node[j] = x) });
          }
        });
        if (!hit && create) {
          const el = k === '' ? v : { [k!]: v };
          node.push(el);
          const j = node.length - 1;
          next.push({ get: () => node[j], set: (x) => (node[j] = x) });
        }
        continue;
      }
      if (seg === '*') {
        if (Array.isArray(node)) node.forEach((_, j) => next.push({ get: () => node[j], set: (x) => (node[j] = x) }));
        else if (isPlainObject(node))
          for (const k of Object.keys(node)) next.push({ get: () => node[k], set: (x) => (node[k] = x) });
        continue;
      }
      if (Array.isArray(node)) {
        if (/^\d+$/.test(seg)) {
          const j = Number(seg);
          if (j < node.length) next.push({ get: () => node[j], set: (x) => (node[j] = x) });
        } else {
          node.forEach((_, j) => {
            const el = node[j];
            if (isPlainObject(el) && seg in el) next.push({ get: () => el[seg], set: (x) => (el[seg] = x) });
          });
        }
        continue;
      }
      if (!isPlainObject(node)) continue;
      if (!(seg in node) || node[seg] === null) {
        // an existing null leaf is found, with or without create (it keeps its !!null tag: see coerce)
        if (last && seg in node) {
          next.push({ get: () => node[seg], set: (x) => (node[seg] = x) });
          continue;
        }
        if (!create) continue;
        const kind = last
          ? create
          : /^\[.*\]$/.test(segs[i + 1] ?? '') || /^\d+$/.test(segs[i + 1] ?? '')
            ? 'seq'
            : 'map';
        node[seg] = kind === 'map' ? {} : kind === 'seq' ? [] : undefined;
      }
      next.push({ get: () => node[seg], set: (x) => (node[seg] = x) });
    }
    places = next;
  });
  return places;
}
