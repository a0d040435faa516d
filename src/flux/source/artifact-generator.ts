/**
 * ExternalArtifacts produced by a Flux ArtifactGenerator (source.extensions.fluxcd.io) from
 * sources that are this repository: the artifact is assembled offline from its `copy` rules.
 * Supported rules: `@alias/dir/**` -> `@artifact/dest/` (a tree), `@alias/dir/*.yaml` (one
 * level, a glob on the file name) and `@alias/path/file` (to a directory `dest/` or a file).
 * Anything else (excludes, the Extract strategy, globs in directories) is reported as not
 * buildable offline rather than guessed.
 */
import { InputError } from '../../errors.js';
import { resolveRel } from '../../repo/repo-fs.js';
import { isPlainObject, type KObject } from '../../resources/resource.js';
import { globMatch } from '../envsubst/glob.js';
import { toBytes } from '../envsubst/bytes.js';
import type { ArtifactView } from './artifact-view.js';

interface Entry {
  readonly fs: ArtifactView;
  readonly rel: string;
}

/** An artifact assembled from copy rules: artifact path -> file of a source artifact. */
export class GeneratedArtifactFs implements ArtifactView {
  readonly label: string;
  private readonly files = new Map<string, Entry>();
  private readonly mounts: { dest: string; src: string }[] = [];

  constructor(label: string) {
    this.label = label;
  }

  addFile(dest: string, fs: ArtifactView, rel: string): void {
    this.files.set(resolveRel('', dest), { fs, rel });
  }
  addMount(dest: string, srcRepoPath: string): void {
    this.mounts.push({ dest: resolveRel('', dest), src: srcRepoPath });
  }

  repoPath(rel: string): string {
    const r = resolveRel('', rel);
    const f = this.files.get(r);
    if (f) return f.fs.repoPath(f.rel);
    const m = [...this.mounts]
      .sort((a, b) => b.dest.length - a.dest.length)
      .find((x) => x.dest === '' || r === x.dest || r.startsWith(`${x.dest}/`));
    if (m) {
      const rest = m.dest === '' ? r : r.slice(m.dest.length).replace(/^\//, '');
      return rest ? (m.src ? `${m.src}/${rest}` : rest) : m.src;
    }
    return `${this.label}:${r}`;
  }
  readBytes(rel: string): Uint8Array {
    const f = this.files.get(resolveRel('', rel));
    if (!f) throw new InputError(`file not found in ${this.label}: '${rel}'`, { pos: { file: this.repoPath(rel) } });
    return f.fs.readBytes(f.rel);
  }
  readFile(rel: string): string {
    const f = this.files.get(resolveRel('', rel));
    if (!f) throw new InputError(`file not found in ${this.label}: '${rel}'`, { pos: { file: this.repoPath(rel) } });
    return f.fs.readFile(f.rel);
  }
  isFile(rel: string): boolean {
    return this.files.has(resolveRel('', rel));
  }
  isDir(rel: string): boolean {
    const r = resolveRel('', rel);
    if (r === '') return true;
    for (const k of this.files.keys()) if (k.startsWith(`${r}/`)) return true;
    return false;
  }
  exists(rel: string): boolean {
    return this.isFile(rel) || this.isDir(rel);
  }
  list(rel: string): string[] {
    const r = resolveRel('', rel);
    const prefix = r === '' ? '' : `${r}/`;
    const names = new Set<string>();
    for (const k of this.files.keys()) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]!);
    return [...names].sort();
  }
}

/** Files of a directory tree, artifact-relative, depth first in name order. */
function walkFiles(fs: ArtifactView, dir: string): string[] {
  const out: string[] = [];
  for (const n of fs.list(dir)) {
    const p = dir ? `${dir}/${n}` : n;
    if (fs.isDir(p)) out.push(...walkFiles(fs, p));
    else if (fs.isFile(p)) out.push(p);
  }
  return out;
}

export type AliasResolver = (kind: string, namespace: string, name: string) => ArtifactView | string;

/**
 * Assembles the artifact `name` of ArtifactGenerator `gen`, or returns why it cannot be built
 * offline. `resolveAlias` gives the view of a source, or a reason it has none.
 */
export function assembleArtifact(
  gen: KObject,
  name: string,
  resolveAlias: AliasResolver,
): GeneratedArtifactFs | string {
  const ns = gen.metadata?.namespace || 'default';
  const spec = isPlainObject(gen.spec) ? gen.spec : {};
  const artifacts = Array.isArray(spec.artifacts) ? spec.artifacts.filter(isPlainObject) : [];
  const art = artifacts.find((a) => a.name === name);
  if (!art) return `ArtifactGenerator ${ns}/${gen.metadata?.name} has no artifact '${name}'`;
  const aliases = new Map<string, ArtifactView | string>();
  for (const s of Array.isArray(spec.sources) ? spec.sources.filter(isPlainObject) : []) {
    if (typeof s.alias !== 'string') continue;
    aliases.set(
      s.alias,
      resolveAlias(
        String(s.kind ?? 'GitRepository'),
        typeof s.namespace === 'string' && s.namespace ? s.namespace : ns,
        String(s.name ?? ''),
      ),
    );
  }
  const out = new GeneratedArtifactFs(`ExternalArtifact/${ns}/${name}`);
  const copies = Array.isArray(art.copy) ? art.copy.filter(isPlainObject) : [];
  for (const c of copies) {
    const from = String(c.from ?? '');
    const to = String(c.to ?? '');
    if (c.exclude !== undefined || (c.strategy !== undefined && c.strategy !== 'Overwrite' && c.strategy !== 'Merge')) {
      return `copy rule '${from}' uses exclude/strategy, which the offline build does not emulate`;
    }
    const fm = /^@([^/]+)\/(.*)$/.exec(from);
    const tm = /^@artifact\/?(.*)$/.exec(to);
    if (!fm || !tm) return `copy rule '${from}' -> '${to}' is not of the form @alias/path -> @artifact/path`;
    const src = aliases.get(fm[1]!);
    if (src === undefined) return `copy rule '${from}': no source with alias '${fm[1]}'`;
    if (typeof src === 'string') return `copy rule '${from}': ${src}`;
    const pattern = fm[2]!;
    const dest = tm[1]!;
    const destDir = dest.replace(/\/$/, '');
    const join = (a: string, b: string) => (a ? `${a}/${b}` : b);
    if (pattern === '**' || pattern.endsWith('/**')) {
      const dir = pattern === '**' ? '' : pattern.slice(0, -3);
      if (/[*?[]/.test(dir)) return `copy rule '${from}': globs in directories are not emulated offline`;
      if (!src.isDir(dir)) continue;
      for (const f of walkFiles(src, dir)) out.addFile(join(destDir, dir ? f.slice(dir.length + 1) : f), src, f);
      out.addMount(destDir, src.repoPath(dir));
    } else if (/[*?[]/.test(pattern)) {
      const slash = pattern.lastIndexOf('/');
      const dir = slash < 0 ? '' : pattern.slice(0, slash);
      const glob = pattern.slice(slash + 1);
      if (/[*?[]/.test(dir)) return `copy rule '${from}': globs in directories are not emulated offline`;
      for (const n of src.list(dir)) {
        const f = join(dir, n);
        if (src.isFile(f) && globMatch(toBytes(glob), toBytes(n))) out.addFile(join(destDir, n), src, f);
      }
      out.addMount(destDir, src.repoPath(dir));
    } else if (src.isFile(pattern)) {
      const base = pattern.split('/').pop()!;
      out.addFile(dest === '' || dest.endsWith('/') ? join(destDir, base) : dest, src, pattern);
    } else if (src.isDir(pattern)) {
      for (const f of walkFiles(src, pattern))
        out.addFile(join(join(destDir, pattern.split('/').pop()!), f.slice(pattern.length + 1)), src, f);
    }
  }
  return out;
}
