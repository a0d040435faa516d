/**
 * Differential test against the real `kubeconform -strict` (v0.8.0, test/oracles) for the
 * ecosystem kinds (data/ecosystem-crds: Flux, cert-manager, Gateway API, Prometheus operator,
 * Flux Operator): every object of those kinds in the example fleet's generated tree and in the
 * rendered output of the corpus repositories (../shared/corpus, as `build` renders them), plus
 * seeded variations of them (typos in field names, unknown fields, wrong types, removed fields).
 * aksfleet's verdict and the instance paths of its errors must equal kubeconform's.
 *
 * kubeconform gets each CRD version's schema as aksfleet compiles it (strictify.ts: objects with
 * properties closed unless x-kubernetes-preserve-unknown-fields, int-or-string, nullable; the
 * object root's apiVersion/kind/metadata) with each `pattern` back as the CRD publishes it (Go
 * RE2, which kubeconform matches with Go's regexp): so the comparison covers the validation and
 * the RE2-to-JS translation of the patterns, not the conversion's choices.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { oracle } from '../oracles/index.js';
import { CASES, CORPUS, caseName, haveCorpus } from '../flux/corpus.js';
import { allResources, buildCluster } from '../../src/flux/index.js';
import { generateAll } from '../../src/generators/index.js';
import { exampleFile } from '../../src/package-root.js';
import { DiskRepoFs } from '../../src/repo/repo-fs.js';
import type { KObject } from '../../src/resources/resource.js';
import { mulberry32 } from '../../src/seeded-random.js';
import { loadFleet } from '../../src/spec/load.js';
import { runKubeconformAt, writeKubeconformCrdSchemas } from '../../src/schemas/testing/kubeconform.js';
import { mutate, type Path } from '../../src/schemas/testing/mutate.js';
import { bundledCrdSchemas, validateObject } from '../../src/schemas/validate.js';

const kubeconform = oracle('kubeconform-0.8');

/** A variation anywhere but apiVersion, kind and metadata, which kubeconform reads before any schema. */
const varied = (p: Path): boolean => p[0] !== 'apiVersion' && p[0] !== 'kind' && p[0] !== 'metadata';

const ecosystem = new Map(
  bundledCrdSchemas()
    .filter((b) => b.label.startsWith('ecosystem-crds/'))
    .map((b) => [b.key, b.schema]),
);
const isEcosystem = (o: KObject | null | undefined): o is KObject =>
  !!o &&
  typeof o.apiVersion === 'string' &&
  typeof o.kind === 'string' &&
  ecosystem.has(`${o.apiVersion} ${o.kind}`) &&
  !JSON.stringify(o).includes('${');

/** The ecosystem objects of the example fleet's tree and of the corpus builds, with where each comes from. */
function bases(): { obj: KObject; from: string }[] {
  const out: { obj: KObject; from: string }[] = [];
  for (const f of generateAll(loadFleet(exampleFile('fleet.yaml')))) {
    if (!f.path.endsWith('.yaml')) continue;
    for (const d of parseAllDocuments(f.content)) {
      const o = d.toJS() as KObject | null;
      if (isEcosystem(o)) out.push({ obj: o, from: `example ${f.path}` });
    }
  }
  if (haveCorpus) {
    for (const c of CASES) {
      for (const r of allResources(buildCluster(new DiskRepoFs(join(CORPUS, c.repo)), c.opts))) {
        if (isEcosystem(r.object)) out.push({ obj: r.object, from: `${caseName(c)} ${r.origin?.file ?? ''}` });
      }
    }
  }
  return out;
}

/**
 * Our structural verdict: kubeconform does not evaluate CRDs' CEL rules (`x-kubernetes-validations`),
 * so failed rules are left out here (src/schemas/crd-cel-oracle.test.ts judges them against cel-go).
 */
function ourVerdict(o: KObject): { valid: boolean; paths: string[] } {
  const problems = validateObject(o).filter((p) => p.severity === 'error' && !p.celRule);
  return { valid: problems.length === 0, paths: [...new Set(problems.map((p) => p.path))].sort() };
}

test('kubeconform -strict and aksfleet agree on the ecosystem ' +
  'kinds of the example fleet and the corpus, and on variations', {
  skip: kubeconform.skip,
}, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-kubeconform-crds-'));
  try {
    const base = bases();
    const kinds = new Set(base.map((b) => `${b.obj.apiVersion} ${b.obj.kind}`));
    assert.ok(base.length >= 50 && kinds.size >= 10, `${base.length} objects of ${kinds.size} kinds`);
    const r = mulberry32(19);
    const cases: { obj: KObject; what: string }[] = base.map((b, i) => ({
      obj: { ...b.obj, metadata: { ...(b.obj.metadata ?? {}), name: `b${i}` } },
      what: b.from,
    }));
    for (let i = 0; i < 400; i++) {
      const b = base[Math.floor(r() * base.length)]!;
      const m = mutate(b.obj, r, varied);
      cases.push({
        obj: { ...m.obj, metadata: { ...(m.obj.metadata ?? {}), name: `m${i}` } },
        what: `${b.obj.kind} (${b.from}): ${m.what}`,
      });
    }
    const location = writeKubeconformCrdSchemas(dir, new Map([...ecosystem].filter(([k]) => kinds.has(k))));
    const theirs = runKubeconformAt(
      kubeconform.path,
      dir,
      location,
      '1.35',
      cases.map((c) => c.obj),
    );
    let invalid = 0;
    let baseInvalid = 0;
    const realInvalid = new Set<string>();
    const disagree: string[] = [];
    for (const [i, c] of cases.entries()) {
      const name = c.obj.metadata!.name!;
      const k = theirs.get(name);
      assert.ok(k, `kubeconform judged ${name}`);
      const ours = ourVerdict(c.obj);
      if (!k.valid) invalid++;
      if (!k.valid && i < base.length) {
        baseInvalid++;
        realInvalid.add(
          `${c.what}: ${c.obj.kind} ${k.message.replace(/^problem validating schema\. Check JSON formatting: /, '')}`,
        );
      }
      if (ours.valid !== k.valid || ours.paths.join(' ') !== k.paths.join(' ')) {
        disagree.push(
          `${name} (${c.what}): ours ${ours.valid ? 'valid' : ours.paths.join(' ')} ` +
            `/ kubeconform ${k.valid ? 'valid' : `${k.paths.join(' ')}: ${k.message}`}`,
        );
      }
    }
    t.diagnostic(
      `${cases.length} objects (${base.length} from the example fleet and ${CASES.length} corpus builds, ` +
        `${kinds.size} kinds; 400 variations), ${invalid} invalid (${baseInvalid} of the real ones), ` +
        `${disagree.length} disagreements`,
    );
    for (const x of realInvalid) t.diagnostic(`invalid on both sides: ${x}`);
    assert.deepEqual(disagree, []);
    assert.ok(invalid > 100 && invalid < cases.length, `${invalid} of ${cases.length} invalid`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
