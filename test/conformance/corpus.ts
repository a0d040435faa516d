/**
 * The kustomize cases of the real-repo corpus (../shared/corpus relative to the repo root), shared
 * by the corpus conformance tests: every kustomization folder (components aside: they only build
 * through a parent), and every such folder under a generated overlay (in a temp copy of the corpus,
 * which is never edited).
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiskRepoFs } from '../../src/repo/repo-fs.js';
import { buildKustomization } from '../../src/kustomize/index.js';
import {
  firstDifference,
  kustomizeBuild,
  kustomizeText,
  plain,
  type KustomizeOracle,
  type OracleResult,
} from '../../src/kustomize/testing/oracle.js';
import { toGoYamlStream } from '../../src/yaml/go-emit.js';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The corpus of real repositories. */
export const CORPUS = resolve(repoRoot, '../shared/corpus');

/** Why the corpus cannot be used here, or false. */
export const corpusMissing: false | string = existsSync(CORPUS) ? false : `corpus not found at ${CORPUS}`;

const NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Every kustomization folder under `root` that is not a Component, sorted (absolute paths). */
export function kustomizationDirs(root: string = CORPUS, names: readonly string[] = NAMES): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (names.includes(n) && !/^kind:\s*Component\b/m.test(readFileSync(p, 'utf8'))) out.push(d);
    }
  };
  walk(root);
  return out;
}

/** The transformations an overlay adds on top of a corpus folder: one of three, rotating. */
export const OVERLAY_VARIANTS = [
  'namePrefix: pre-\nnamespace: fuzz\ncommonLabels: {fuzz: "yes"}\n',
  'nameSuffix: -suf\nlabels:\n- pairs: {tier: x}\n  includeSelectors: true\n' +
    'commonAnnotations: {note: "1"}\nimages:\n- name: ghcr.io/.*\n  newTag: fuzz\n',
  'namespace: other\nreplicas: []\nreplacements:\n- source: {kind: Namespace, fieldPath: metadata.name}\n' +
    '  targets:\n  - select: {kind: HelmRelease}\n    fieldPaths: [spec.targetNamespace]\n' +
    '    options: {create: true}\n',
];

/** One overlay over one corpus folder, inside the temp copy of its repository. */
export interface CorpusOverlay {
  /** `<repo>/<folder>`: the corpus folder it lists as its base. */
  readonly base: string;
  readonly variant: number;
  /** The copy of the repository. */
  readonly repoRoot: string;
  /** The overlay folder (absolute). */
  readonly dir: string;
}

/**
 * Copies the corpus to a temp dir, writes an overlay `zz-overlay-<n>` beside every kustomization
 * folder of every repository (`kustomization.yaml` files only), runs `fn` on them, and removes the copy.
 */
export function withCorpusOverlays<T>(fn: (overlays: CorpusOverlay[]) => T): T {
  const work = mkdtempSync(join(tmpdir(), 'aksfleet-ov-'));
  try {
    const overlays: CorpusOverlay[] = [];
    for (const repo of readdirSync(CORPUS)
      .filter((x) => statSync(join(CORPUS, x)).isDirectory())
      .sort()) {
      const copy = join(work, repo);
      cpSync(join(CORPUS, repo), copy, { recursive: true });
      for (const d of kustomizationDirs(copy, ['kustomization.yaml'])) {
        const n = overlays.length;
        const dir = join(copy, `zz-overlay-${n}`);
        const variant = n % OVERLAY_VARIANTS.length;
        mkdirSync(dir);
        writeFileSync(
          join(dir, 'kustomization.yaml'),
          `resources: [../${relative(copy, d)}]\n${OVERLAY_VARIANTS[variant]}`,
        );
        overlays.push({ base: `${repo}/${relative(copy, d)}`, variant, repoRoot: copy, dir });
      }
    }
    return fn(overlays);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Our build of a corpus folder (objects and printed YAML), or our error, in the oracle's terms. */
export function oursFolder(dir: string): OracleResult {
  const rel = relative(CORPUS, dir);
  const repoDir = join(CORPUS, rel.split('/')[0]!);
  try {
    const res = buildKustomization(new DiskRepoFs(repoDir), relative(repoDir, dir));
    return { ok: true, objects: res.map((r) => plain(r.object)), text: toGoYamlStream(res.map((r) => r.object)) };
  } catch (e) {
    return { ok: false, error: (e as { format?: () => string }).format?.() ?? String(e) };
  }
}

/** Our printed YAML for an overlay, or `<error>`. */
export function oursOverlay(o: CorpusOverlay): string {
  try {
    return toGoYamlStream(
      buildKustomization(new DiskRepoFs(o.repoRoot), relative(o.repoRoot, o.dir)).map((r) => r.object),
    );
  } catch {
    return '<error>';
  }
}

/** How our builds compare with one kustomize oracle over a set of corpus cases. */
export interface CorpusComparison {
  readonly cases: number;
  /** Equal objects in equal order, or both refuse. */
  readonly equal: number;
  readonly bothFail: number;
  /** Of the equal builds, how many print the same bytes. */
  readonly byteEqual: number;
  /** `<case>: what differs`, one per differing case. */
  readonly failures: string[];
  /** Cases whose objects agree but whose printed YAML differs. */
  readonly byteFailures: string[];
}

/** Every kustomization folder of the corpus, built by the oracle `version` and by us. */
export function compareCorpusFolders(version: KustomizeOracle): CorpusComparison {
  const dirs = kustomizationDirs();
  let equal = 0,
    bothFail = 0,
    byteEqual = 0;
  const failures: string[] = [];
  const byteFailures: string[] = [];
  for (const d of dirs) {
    const rel = relative(CORPUS, d);
    const want = kustomizeBuild(d, [], version);
    const got = oursFolder(d);
    if (!want.ok && !got.ok) {
      equal++;
      bothFail++;
    } else if (want.ok && got.ok) {
      const diff = firstDifference(want.objects, got.objects);
      if (diff) failures.push(`${rel}: ${diff}`);
      else {
        equal++;
        if (want.text === got.text) byteEqual++;
        else byteFailures.push(rel);
      }
    } else if (want.ok)
      failures.push(`${rel}: kustomize builds it, we fail: ${(got as { error: string }).error.slice(0, 400)}`);
    else failures.push(`${rel}: kustomize fails (${want.error.trim().slice(0, 200)}), we build it`);
  }
  return { cases: dirs.length, equal, bothFail, byteEqual, failures, byteFailures };
}

/**
 * Every corpus folder under an overlay (withCorpusOverlays), built by the oracle `version` and by us; compared as
 * printed YAML.
 */
export function compareCorpusOverlays(version: KustomizeOracle): CorpusComparison {
  return withCorpusOverlays((overlays) => {
    let equal = 0,
      bothFail = 0;
    const failures: string[] = [];
    for (const o of overlays) {
      let want: string;
      try {
        want = kustomizeText(o.dir, [], version);
      } catch {
        want = '<error>';
      }
      const got = oursOverlay(o);
      if (want === got) {
        equal++;
        if (want === '<error>') bothFail++;
      } else {
        const how =
          want === '<error>'
            ? 'kustomize fails, we build'
            : got === '<error>'
              ? 'we fail, kustomize builds'
              : 'output differs';
        failures.push(`${o.base} (variant ${o.variant}): ${how}`);
      }
    }
    return { cases: overlays.length, equal, bothFail, byteEqual: equal - bothFail, failures, byteFailures: [] };
  });
}
