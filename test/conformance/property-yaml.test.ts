/**
 * Property: arbitrary scalars survive our go-yaml v3 reading and go-yaml v2 writing exactly as
 * they survive kustomize's. Random strings (YAML 1.1 look-alikes, numbers, dates, indicators,
 * quotes, unicode, long lines, multi-line text) are written both quoted (as strings) and plain
 * (resolved by the reader) into a ConfigMap's data, a CRD-like spec and metadata.annotations,
 * then built by us and by `kubectl kustomize`; the printed YAML must be identical, or both
 * must refuse. 30 runs; needs kubectl.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { MemoryRepoFs } from '../../src/repo/repo-fs.js';
import { buildKustomization } from '../../src/kustomize/index.js';
import { toGoYamlStream } from '../../src/yaml/go-emit.js';
import { kustomizeArgv, kustomizePath, kustomizeSkip, withTempTree } from '../../src/kustomize/testing/oracle.js';

const ATOMS = [
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  'true',
  'False',
  'null',
  '~',
  '',
  '0755',
  '0o17',
  '0x1F',
  '0b101',
  '1_000',
  '+12',
  '-7',
  '1.0',
  '.5',
  '1e3',
  '1e-7',
  '6.02e23',
  '2001-12-14',
  '2001-12-14T21:59:43.10-05:00',
  '12:30',
  '1:20:30',
  '.inf',
  '.NaN',
  'a: b',
  'a #b',
  '#x',
  '- x',
  '-x',
  '*x',
  '&x',
  '!x',
  '|x',
  '>x',
  '%x',
  '@x',
  '`x',
  '"x"',
  "'x'",
  "x'y",
  '[x]',
  '{x}',
  '? x',
  'x ',
  ' x',
  'é',
  'ü ñ',
  '😀',
  'a\u2028b',
  'tab\there',
  'a\nb',
  'a\n\nb\n',
  'line\n',
  ' lead\nx',
  'x \ny',
  '---',
  '...',
  'a,b',
  '=',
  '<<',
  'k8s.io/name',
  'https://example.com/a?b=c#d',
  'nel\u0085x',
  'a \u0085\u0085 b',
  'del\u007f',
  'c1\u0090',
  'nb\u00a0sp',
  'bom\ufeff',
  '\u0001ctl',
  'x\u2029y',
  'e\u0301',
];

const arbAtom = fc.oneof(
  fc.constantFrom(...ATOMS),
  fc
    .array(fc.constantFrom('word', 'a', 'longerword', 'x:', '#', '-', ' '), { minLength: 10, maxLength: 40 })
    .map((w) => w.join(' ')),
  fc.string({ maxLength: 12 }),
);

/** A YAML double-quoted scalar for any string (JSON escapes are valid YAML). */
const quoted = (s: string) => JSON.stringify(s);
/** Plain scalars we can safely write unquoted on one line (the reader decides their type). */
const plainOk = (s: string) =>
  /^[A-Za-z0-9._+-][A-Za-z0-9 ._+:/-]*$/.test(s) && !/\s$/.test(s) && !/: /.test(s) && !s.includes(' #');

function files(values: string[]): Record<string, string> {
  const data = values.map((v, i) => `  k${i}: ${quoted(v)}`).join('\n');
  const plain = values
    .filter(plainOk)
    .map((v, i) => `    p${i}: ${v}`)
    .join('\n');
  const ann = values
    .filter(plainOk)
    .map((v, i) => `    a${i}: ${v}`)
    .join('\n');
  const lab = values.map((v, i) => `    l${i}: ${quoted(v)}`).join('\n');
  return {
    'kustomization.yaml': 'resources: [r.yaml]\n',
    'r.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: c
${ann ? `  annotations:\n${ann}\n` : ''}data:
${data}
---
apiVersion: example.com/v1
kind: Thing
metadata:
  name: t
  labels:
${lab}
spec:
  list: [${values.map(quoted).join(', ')}]
${plain ? `  plain:\n${plain}\n` : ''}`,
  };
}

function build(f: Record<string, string>): string {
  try {
    return toGoYamlStream(buildKustomization(new MemoryRepoFs(f), '').map((r) => r.object));
  } catch {
    return '<error>';
  }
}

function kubectl(f: Record<string, string>): string {
  return withTempTree(f, (root) => {
    try {
      return execFileSync(kustomizePath(), kustomizeArgv(root), {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch {
      return '<error>';
    }
  });
}

test('random scalars print exactly as kubectl kustomize prints them', { skip: kustomizeSkip() }, () => {
  fc.assert(
    fc.property(fc.array(arbAtom, { minLength: 1, maxLength: 8 }), (values) => {
      const f = files(values);
      assert.equal(build(f), kubectl(f), `input:\n${f['r.yaml']}`);
    }),
    { numRuns: 30, seed: Number(process.env.AKSFLEET_PROP_SEED ?? 777) },
  );
});
