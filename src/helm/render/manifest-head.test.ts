/**
 * scanHead against the full read (readFullHead, itself judged against helm 4.2 by test/helm):
 * whenever the scan answers, the full read succeeds with the same head. Over every document that
 * every case of ../shared/charts renders, seeded mutations of them (truncations, indentation
 * changes, duplicated lines, flow mappings, tabs, quotes, anchors), and hand-picked edges.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { mulberry32 } from '../../seeded-random.js';
import { defaultTemplateEngine } from '../default-engine.js';
import { helmTemplate } from '../template.js';
import { scanHead } from './manifest-head.js';
import { readFullHead, splitManifests } from './manifests.js';

const CHARTS = new URL('../../../../shared/charts/', import.meta.url).pathname;
const skip = existsSync(join(CHARTS, 'cases.tsv')) ? false : 'no ../shared/charts';

/** The scan answers only what the full read answers; returns whether it answered. */
function agree(doc: string): boolean {
  const scanned = scanHead(doc);
  if (scanned === undefined) return false;
  let full: unknown;
  try {
    full = readFullHead(doc, 'x.yaml');
  } catch (e) {
    assert.fail(`scan answered ${JSON.stringify(scanned)}, full read failed: ${e}\n${doc.slice(0, 2000)}`);
  }
  assert.deepEqual(scanned, full, doc.slice(0, 2000));
  return true;
}

function renderedDocuments(): string[] {
  const rows = readFileSync(join(CHARTS, 'cases.tsv'), 'utf8').trim().split('\n').slice(1);
  const docs: string[] = [];
  const engine = defaultTemplateEngine();
  for (const row of rows) {
    const [chart, , release, namespace, flags, values] = row.split('\t');
    const f = flags!.split(' ');
    const apiVersions = f.flatMap((x, i) => (f[i - 1] === '--api-versions' ? [x] : []));
    let out: string;
    try {
      out = helmTemplate(
        {
          args: [release!, join(CHARTS, 'charts', chart!)],
          namespace: namespace!,
          kubeVersion: f[f.indexOf('--kube-version') + 1],
          apiVersions,
          includeCrds: f.includes('--include-crds'),
          skipSchemaValidation: f.includes('--skip-schema-validation'),
          valueFiles: values === '-' ? [] : [join(CHARTS, values!)],
          values: [],
          stringValues: [],
          jsonValues: [],
        },
        engine,
      );
    } catch {
      continue; // kube-prometheus-stack (subcharts missing), schema failures: no documents
    }
    docs.push(...splitManifests(out));
  }
  return docs;
}

const ALPHABET = ['{a: 1}', '[a', '"', "'", '&x ', '*x', '!!str ', '\t', ': ', ' #c', '|', '>-', '? ', '- ', '<<: '];

function mutate(doc: string, rnd: () => number): string {
  const lines = doc.split('\n');
  const at = Math.floor(rnd() * lines.length);
  const r = rnd();
  if (r < 0.15) return doc.slice(0, Math.floor(rnd() * doc.length));
  if (r < 0.35) lines[at] = (rnd() < 0.5 ? ' ' : '  ') + lines[at];
  else if (r < 0.5) lines[at] = lines[at]!.replace(/^ {1,2}/, '');
  else if (r < 0.65) lines.splice(at, 0, lines[at]!);
  else if (r < 0.75) lines[at] = lines[at]!.replace(/: .*$/, ': {a: 1, b: [2]}');
  else {
    const line = lines[at]!;
    const p = Math.floor(rnd() * (line.length + 1));
    lines[at] = line.slice(0, p) + ALPHABET[Math.floor(rnd() * ALPHABET.length)] + line.slice(p);
  }
  return lines.join('\n');
}

test('scanHead: hand-picked edges agree with the full read', () => {
  const edges = [
    'kind: A\napiVersion: v1\nmetadata:\n  name: x\n  annotations:\n    helm.sh/hook: pre-install\n',
    'kind: A\nmetadata:\n  annotations:\n    "helm.sh/hook": test\n',
    'kind: A\nmetadata:\n  annotations: {}\n',
    'kind: A\nmetadata:\n  annotations:\n',
    'kind: A\nmetadata:\n',
    'kind: A\nmetadata: {}\n',
    'kind: 5\n',
    'kind: true\n',
    "kind: \"Job\"\nmetadata:\n  name: 'it''s'\n",
    'kind: A\nkind: B\n',
    'kind: A\nspec:\n  a: 1\n  a: 2\n',
    'kind: A\nspec:\n  - a: 1\n    b: |\n      x\n\n      y\n  - c\nz: 1\n',
    'kind: A\nspec:\n- a\n- b\nmetadata:\n  name: n\n',
    'kind: A\nspec:\n  x: 1\n z: 2\n',
    'kind: A\nspec: .inf\n',
    'kind: A\nspec: a: b\n',
    'kind: A\nspec: |\n    x\n  y\n',
    'kind: A\n  spec: 1\n',
    '  kind: A\n',
    '- a\n',
    'a',
    '# only\n',
    'kind: A\non: 1\n',
    'kind: A\nmetadata:\n  name: n\n  annotations:\n    helm.sh/hook-weight: 5\n',
    'kind: A\nmetadata:\n  name: n\n  annotations:\n    helm.sh/hook-weight: "5"\n',
  ];
  let answered = 0;
  for (const e of edges) if (agree(e)) answered++;
  assert.ok(answered >= 5, `answered ${answered}`);
});

test('scanHead: every document of ../shared/charts and 20 seeded mutations each agree with the full read', {
  skip,
}, () => {
  const docs = renderedDocuments();
  let answered = 0;
  for (const d of docs) if (agree(d)) answered++;
  const rnd = mulberry32(42);
  let mutants = 0;
  let mutantsAnswered = 0;
  for (const d of docs) {
    for (let i = 0; i < 20; i++) {
      let m = mutate(d, rnd);
      if (rnd() < 0.3) m = mutate(m, rnd);
      mutants++;
      if (agree(m)) mutantsAnswered++;
    }
  }
  // Most rendered documents are inside the subset (the rest are read whole, as before).
  assert.ok(docs.length > 500, `${docs.length} documents`);
  assert.ok(answered > docs.length * 0.7, `${answered} of ${docs.length} answered`);
  assert.ok(mutantsAnswered > 0 && mutantsAnswered < mutants, `${mutantsAnswered} of ${mutants} mutants answered`);
});
