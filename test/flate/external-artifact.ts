/**
 * flate 0.6 does not produce ExternalArtifacts (Flux 2.7 source-watcher's ArtifactGenerator), so a
 * Kustomization that reads one renders nothing there. To compare what such Kustomizations apply,
 * both sides read a working copy where each is given the path of the Git source the artifact
 * stands for: `sourceRef` becomes the ArtifactGenerator's source (its alias), `spec.path` the
 * folder of the source the artifact copied it from. Only artifacts whose every copy takes a whole
 * folder (`@alias/DIR/**` to `@artifact/TO/`) with one offset (DIR = BASE/TO for one BASE) are
 * rewritten: such an artifact is a part of the folder BASE with its layout, so paths relative to
 * it lead to the same files. Anything else is refused (an Error), never guessed.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

type Doc = {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  spec?: Record<string, unknown>;
};

interface Generator {
  readonly namespace: string;
  readonly sources: readonly { alias: string; kind: string; name: string; namespace?: string }[];
  readonly artifacts: readonly { name: string; copy: readonly { from: string; to: string; exclude?: unknown }[] }[];
}

export interface Rewritten {
  readonly file: string;
  readonly kustomization: string;
  readonly from: string;
  readonly to: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.name.startsWith('.')
      ? []
      : e.isDirectory()
        ? walk(join(dir, e.name))
        : /\.ya?ml$/.test(e.name)
          ? [join(dir, e.name)]
          : [],
  );
}

const clean = (p: string) => posix.normalize(p.replace(/^\.?\/+/, '')).replace(/^\.$|\/$/g, '');

/** The Git source folder (and source) an artifact stands for: where its copies come from. */
function artifactBase(g: Generator, name: string): { base: string; source: Generator['sources'][number] } {
  const a = g.artifacts.find((x) => x.name === name);
  if (!a) throw new Error(`ExternalArtifact ${g.namespace}/${name}: no ArtifactGenerator artifact of that name`);
  let found: { base: string; alias: string } | undefined;
  for (const c of a.copy) {
    const from = /^@([\w-]+)\/(.*?)\/?\*\*$/.exec(c.from);
    const to = /^@artifact\/?(.*)$/.exec(c.to);
    if (!from || !to || c.exclude !== undefined)
      throw new Error(`artifact ${name}: copy ${c.from} -> ${c.to} is not a whole folder: not rewritten`);
    const dir = clean(from[2]!);
    const target = clean(to[1]!);
    if (!(target === '' || dir === target || dir.endsWith(`/${target}`)))
      throw new Error(`artifact ${name}: copy ${c.from} -> ${c.to} changes the layout: not rewritten`);
    const base = target === '' ? dir : clean(dir.slice(0, dir.length - target.length));
    if (found && (found.base !== base || found.alias !== from[1]))
      throw new Error(`artifact ${name}: copies with different offsets: not rewritten`);
    found = { base, alias: from[1]! };
  }
  const source = g.sources.find((s) => s.alias === found?.alias);
  if (!found || !source) throw new Error(`artifact ${name}: no source for its copies`);
  return { base: found.base, source };
}

/** Rewrites, in the working copy ROOT, every Kustomization that reads an ExternalArtifact. */
export function replaceExternalArtifacts(root: string): Rewritten[] {
  const files = walk(root).map((f) => ({ f, docs: parseAllDocuments(readFileSync(f, 'utf8')) }));
  const generators: Generator[] = files.flatMap(({ docs }) =>
    docs
      .map((d) => d.toJS() as Doc | null)
      .filter((d): d is Doc => d?.kind === 'ArtifactGenerator')
      .map((d) => ({
        namespace: d.metadata?.namespace ?? '',
        sources: (d.spec?.sources ?? []) as Generator['sources'],
        artifacts: (d.spec?.artifacts ?? []) as Generator['artifacts'],
      })),
  );
  const out: Rewritten[] = [];
  for (const { f, docs } of files) {
    let changed = false;
    for (const d of docs) {
      const k = d.toJS() as Doc | null;
      const ref = k?.spec?.sourceRef as { kind?: string; name?: string; namespace?: string } | undefined;
      if (k?.kind !== 'Kustomization' || ref?.kind !== 'ExternalArtifact') continue;
      const ns = ref.namespace ?? k.metadata?.namespace ?? '';
      const g = generators.find((x) => x.namespace === ns && x.artifacts.some((a) => a.name === ref.name));
      if (!g) throw new Error(`${relative(root, f)}: ExternalArtifact ${ns}/${ref.name} has no ArtifactGenerator`);
      const { base, source } = artifactBase(g, ref.name!);
      const path = `./${posix.join(base, clean(String(k.spec?.path ?? '')))}`;
      d.setIn(['spec', 'sourceRef'], { kind: source.kind, name: source.name, namespace: source.namespace ?? ns });
      d.setIn(['spec', 'path'], path);
      out.push({
        file: relative(root, f),
        kustomization: `${k.metadata?.namespace ?? ''}/${k.metadata?.name}`,
        from: `ExternalArtifact/${ns}/${ref.name} ${String(k.spec?.path)}`,
        to: `${source.kind}/${source.namespace ?? ns}/${source.name} ${path}`,
      });
      changed = true;
    }
    if (changed) writeFileSync(f, docs.map((d) => String(d)).join(''));
  }
  return out;
}
