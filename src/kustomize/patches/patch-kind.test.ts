import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../errors.js';
import { classifyPatch, readSmpDocuments, splitSmpDocuments } from './patch-kind.js';
import { parseJson6902 } from './json6902.js';
import { kubectlBuild, kubectlMissing } from './testing/kubectl-oracle.js';
import type { KustomizeOracle } from '../testing/oracle.js';

/**
 * How kustomize takes a patch file (as a `patches: - path:` entry with `target: {kind: ConfigMap}`):
 * `smp` / `json6902` (it builds), `smp-multi` (an SM patch with several documents, which a target
 * does not allow), `neither` ("unable to parse SM or JSON patch"). Outcomes of kustomize v5.7.1,
 * re-checked below against it (the empty texts `null` ... `---\n---\n` were `both`, "illegally
 * qualifies as both an SM and JSON patch", in v5.5.0; kubernetes-sigs/kustomize#5771).
 */
const table: Array<{ text: string; outcome: 'smp' | 'json6902' | 'smp-multi' | 'neither' }> = [
  { text: '[{"op":"add","path":"/data/a","value":"1"}]', outcome: 'json6902' },
  { text: '- op: add\n  path: /data/a\n  value: "1"\n', outcome: 'json6902' },
  { text: '  [{"op":"add","path":"/data/a","value":"1"}]', outcome: 'json6902' },
  { text: '\n[{"op":"add","path":"/data/a","value":"1"}]', outcome: 'json6902' },
  { text: '---\n- op: add\n  path: /data/a\n  value: "1"\n', outcome: 'json6902' },
  {
    text: '- op: add\n  path: /data/a\n  value: "1"\n---\n- op: add\n  path: /data/b\n  value: "2"\n',
    outcome: 'json6902',
  },
  { text: '', outcome: 'json6902' },
  { text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: "1"}\n', outcome: 'smp' },
  { text: 'kind: ConfigMap\nmetadata: {name: x}\ndata: {a: "1"}\n', outcome: 'smp' },
  {
    text:
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n' +
      '  kind: ConfigMap\n  metadata: {name: x}\n  data: {a: "1"}\n',
    outcome: 'smp',
  },
  {
    text:
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' +
      '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: y}\n',
    outcome: 'smp-multi',
  },
  { text: 'null', outcome: 'json6902' },
  { text: '~', outcome: 'json6902' },
  { text: '[]', outcome: 'json6902' },
  { text: '\n', outcome: 'json6902' },
  { text: '   ', outcome: 'json6902' },
  { text: '# comment only\n', outcome: 'json6902' },
  { text: '---\n---\n', outcome: 'json6902' },
  { text: '"just a string"', outcome: 'neither' },
  { text: '{"op": "add"}', outcome: 'neither' },
  { text: 'a: b\n', outcome: 'neither' },
  { text: '$patch: delete\n', outcome: 'neither' },
  { text: 'apiVersion: v1\nkind: ConfigMap\ndata: {a: "1"}\n', outcome: 'neither' },
  { text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ""}\n', outcome: 'neither' },
  { text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: x}\n', outcome: 'neither' },
  { text: 'metadata: {name: x}\ndata: {a: "1"}\n', outcome: 'neither' },
  { text: 'true', outcome: 'neither' },
  { text: '42', outcome: 'neither' },
  { text: '[1, 2]', outcome: 'neither' },
  { text: '[{op: remove, path: /data/x}]', outcome: 'neither' },
  { text: '[{"op": "add", "path": "/data/a", "value": "1"}] trailing', outcome: 'neither' },
];

function ours(text: string): string {
  try {
    const k = classifyPatch(text, 'p.yaml');
    if (k === 'smp' && splitSmpDocuments(text, 'p.yaml').length > 1) return 'smp-multi';
    if (k === 'json6902') parseJson6902(text, 'p.yaml');
    return k;
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    return /both/.test(e.message) ? 'both' : 'neither';
  }
}

/** The texts both readings accept, which v5.5.0 refused as `both` and v5.7.1 runs as no operations. */
const EMPTY_TEXTS = ['null', '~', '[]', '\n', '   ', '# comment only\n', '---\n---\n'];

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {x: "0"}\n';

function kubectlOutcome(text: string, version?: KustomizeOracle): string {
  const r = kubectlBuild(CONFIGMAP, [{ text, target: { kind: 'ConfigMap' } }], version);
  if (r.ok) return 'ok';
  if (/illegally qualifies as both/.test(r.error)) return 'both';
  if (/unable to parse SM or JSON patch/.test(r.error)) return 'neither';
  if (/Multiple Strategic-Merge Patches/.test(r.error)) return 'smp-multi';
  return `error: ${r.error}`;
}

describe('classifyPatch', () => {
  for (const c of table) {
    it(`${JSON.stringify(c.text)} -> ${c.outcome}`, () => {
      assert.equal(ours(c.text), c.outcome);
    });
  }
  const noKubectl = kubectlMissing();
  for (const c of table) {
    it(`kubectl agrees: ${JSON.stringify(c.text)}`, { skip: noKubectl }, () => {
      const expected = c.outcome === 'smp' || c.outcome === 'json6902' ? 'ok' : c.outcome;
      assert.equal(kubectlOutcome(c.text), expected);
    });
  }
  for (const text of EMPTY_TEXTS) {
    it(`kustomize v5.5.0 refused ${JSON.stringify(text)} as both kinds (the difference v5.7.1 dropped)`, {
      skip: kubectlMissing('kustomize-5.5'),
    }, () => {
      assert.equal(kubectlOutcome(text, 'kustomize-5.5'), 'both');
    });
    it(`${JSON.stringify(text)} changes nothing, and still needs a target, as in kustomize v5.7.1`, {
      skip: kubectlMissing('kustomize-5.7'),
    }, () => {
      const k = kubectlBuild(CONFIGMAP, [{ text }], 'kustomize-5.7');
      assert.ok(!k.ok && /must specify a target for JSON patch/.test(k.error), JSON.stringify(k));
      assert.deepEqual(parseJson6902(text, 'p.yaml'), []);
      const withTarget = kubectlBuild(CONFIGMAP, [{ text, target: { kind: 'ConfigMap' } }], 'kustomize-5.7');
      assert.deepEqual(withTarget, {
        ok: true,
        objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { x: '0' } }],
      });
    });
  }
  it('errors name the file and say why neither reading works', () => {
    assert.throws(
      () => classifyPatch('apiVersion: v1\nkind: ConfigMap\n', 'overlays/p.yaml'),
      (e: unknown) => e instanceof InputError && e.pos?.file === 'overlays/p.yaml' && /metadata\.name/.test(e.message),
    );
  });
});

describe('splitSmpDocuments', () => {
  it('returns every non-empty document with its position', () => {
    const docs = readSmpDocuments(
      '# head\n---\nkind: A\nmetadata: {name: a}\n---\n---\nkind: B\nmetadata: {name: b}\n',
      'p.yaml',
    );
    assert.deepStrictEqual(
      docs.map((d) => [d.patch.kind, d.line]),
      [
        ['A', 3],
        ['B', 7],
      ],
    );
  });
  it('unwraps a single List document', () => {
    const docs = splitSmpDocuments(
      'kind: List\nitems:\n- {kind: A, metadata: {name: a}}\n- {kind: B, metadata: {name: b}}\n',
      'p.yaml',
    );
    assert.deepStrictEqual(
      docs.map((d) => d.kind),
      ['A', 'B'],
    );
  });
  it('reports bad YAML with file, line and column', () => {
    assert.throws(
      () => splitSmpDocuments('kind: A\nmetadata: {name: a\n', 'p.yaml'),
      (e: unknown) => e instanceof InputError && e.pos?.file === 'p.yaml' && typeof e.pos.line === 'number',
    );
  });
});
