/**
 * The chart conformance suite: every case of ../shared/charts/cases.tsv rendered by
 * `aksfleet helm template` (in-process, through the CLI) and by helm 4.2 (the library of Flux 2.9),
 * compared as parsed documents in order, with the `# Source:` path of each. Where helm fails, we
 * must fail with exit 2 and helm's message.
 *
 * Only where helm itself is not deterministic (../shared/charts/README.md) is the comparison
 * relaxed: app-template's document order (its library ranges over `keys`): compared as a multiset;
 * randAlphaNum in podinfo and kube-prometheus-stack's grafana: helm is run twice and the values
 * that differ between its two runs are masked.
 *
 * The suite prints `N/M cases equal` and asserts the exact list of cases known to differ, so a
 * regression fails and so does a fix that is not recorded (update KNOWN_DIFFERENT and docs/helm.md).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/command.js';
import { oracle } from '../oracles/index.js';
import { helmError, runHelm } from './testing.js';

const SHARED = join(import.meta.dirname, '..', '..', '..', 'shared', 'charts');
const helm42 = oracle('helm-4.2');
const helm41 = oracle('helm-4.1');

/** Cases that differ from helm 4.2 today, with the reason (docs/helm.md lists the same). */
export const KNOWN_DIFFERENT: Readonly<Record<string, string>> = {};

/**
 * Cases where helm 4.1 (the library of Flux 2.8) differs from our output (which follows 4.2).
 * Informational: aksfleet renders as Helm 4.2; these show where a Flux 2.8 cluster would differ.
 */
export const KNOWN_DIFFERENT_41: Readonly<Record<string, string>> = {
  'kube-prometheus-stack/defaults':
    'both fail alike; 4.1 quotes `helm dependency build` with backticks, 4.2 with single quotes',
  'kube-prometheus-stack/corpus-onedr0p-kube-prometheus-stack':
    'both fail alike; 4.1 quotes `helm dependency build` with backticks, 4.2 with single quotes',
  'kube-prometheus-stack/minimal':
    'both fail alike; 4.1 quotes `helm dependency build` with backticks, 4.2 with single quotes',
  'podinfo/defaults':
    'Helm 4.2 no longer copies chart-default nils into coalesced values (4.1 prints e.g. `limits: null`)',
  'podinfo/corpus-Azure-podinfo':
    'Helm 4.2 no longer copies chart-default nils into coalesced values (4.1 prints e.g. `limits: null`)',
  'podinfo/corpus-fluxcd-podinfo':
    'Helm 4.2 no longer copies chart-default nils into coalesced values (4.1 prints e.g. `limits: null`)',
  'podinfo/features':
    'Helm 4.2 no longer copies chart-default nils into coalesced values (4.1 prints e.g. `limits: null`)',
  'external-dns/defaults':
    'both fail the schema; with 4.1 the chart-default `policy: null` is kept, so the error is "got null, ' +
    'want string" instead of "missing property"',
  'kyverno/ha': 'Helm 4.2 no longer copies chart-default nils into coalesced values (4.1 prints e.g. `limits: null`)',
};

const ORDER_INSENSITIVE = new Set(['app-template']);
const RANDOM_VALUES = new Set(['podinfo', 'kube-prometheus-stack']);

interface Case {
  readonly chart: string;
  readonly name: string;
  readonly release: string;
  readonly namespace: string;
  readonly flags: readonly string[];
  readonly values: string;
}

function readCases(): Case[] {
  const lines = readFileSync(join(SHARED, 'cases.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  return lines.slice(1).map((l) => {
    const [chart, name, release, namespace, flags, values] = l.split('\t') as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    return { chart, name, release, namespace, flags: flags.split(/\s+/).filter((f) => f !== ''), values };
  });
}

function argsOf(c: Case): string[] {
  return [
    'template',
    c.release,
    join(SHARED, 'charts', c.chart),
    '-n',
    c.namespace,
    ...c.flags,
    ...(c.values !== '-' ? ['-f', join(SHARED, c.values)] : []),
  ];
}

interface Doc {
  readonly source: string;
  value: unknown;
}

/** The documents of `helm template` output: each with its `# Source:` path, parsed. */
function docsOf(out: string): Doc[] {
  const docs: Doc[] = [];
  for (const chunk of out.split(/^---$/m)) {
    const m = /^\n?# Source: (.*)\n/.exec(chunk);
    if (!m) {
      if (chunk.trim() !== '') docs.push({ source: '', value: parse(chunk) as unknown });
      continue;
    }
    docs.push({ source: m[1]!, value: parse(chunk.slice(m[0].length)) as unknown });
  }
  return docs;
}

/** Replaces, in `a` and `ours`, the leaves where helm's two runs `a` and `b` differ. */
function maskRandom(a: unknown, b: unknown, ours: unknown): [unknown, unknown] {
  if (
    a !== null &&
    b !== null &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    Array.isArray(a) === Array.isArray(b)
  ) {
    const ma: Record<string, unknown> | unknown[] = Array.isArray(a) ? [] : {};
    const mo: Record<string, unknown> | unknown[] = Array.isArray(ours)
      ? [...(ours as unknown[])]
      : ours !== null && typeof ours === 'object'
        ? { ...(ours as object) }
        : {};
    for (const k of Object.keys(a)) {
      const [x, y] = maskRandom(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        (ours as Record<string, unknown> | null)?.[k],
      );
      (ma as Record<string, unknown>)[k] = x;
      if (ours !== null && typeof ours === 'object') (mo as Record<string, unknown>)[k] = y;
    }
    return [ma, ours !== null && typeof ours === 'object' ? mo : ours];
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) return ['<random>', '<random>'];
  return [a, ours];
}

function canonical(d: Doc): string {
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sortKeys)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify([d.source, sortKeys(d.value)]);
}

async function runOurs(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
    color: false,
    cwd: process.cwd(),
    env: {},
  };
  const code = await main(['helm', ...args], io);
  return { stdout, stderr, code };
}

/** Compares one case; returns undefined when equal, else the first difference. */
async function compareCase(c: Case, bin: string): Promise<string | undefined> {
  const args = argsOf(c);
  const theirs = runHelm(bin, args, SHARED);
  const ours = await runOurs(args);
  if (theirs.status !== 0) {
    if (ours.code !== 2) return `helm failed (${helmError(theirs.stderr)}), we exited ${ours.code}`;
    const our = ours.stderr.replace(/^error: /, '').trim();
    return our === helmError(theirs.stderr)
      ? undefined
      : `error differs:\n  helm: ${helmError(theirs.stderr)}\n  ours: ${our}`;
  }
  if (ours.code !== 0)
    return `we failed: ${ours.stderr
      .split('\n')
      .filter((l) => !l.startsWith('warning:'))
      .join(' ')
      .slice(0, 400)}`;
  let a = docsOf(theirs.stdout);
  let o = docsOf(ours.stdout);
  if (RANDOM_VALUES.has(c.chart)) {
    const b = docsOf(runHelm(bin, args, SHARED).stdout);
    if (b.length === a.length && b.every((d, i) => d.source === a[i]!.source)) {
      const masked = a.map((d, i) => maskRandom(d.value, b[i]!.value, o[i]?.value));
      a = a.map((d, i) => ({ source: d.source, value: masked[i]![0] }));
      o = o.map((d, i) => (i < masked.length ? { source: d.source, value: masked[i]![1] } : d));
    }
  }
  if (ORDER_INSENSITIVE.has(c.chart)) {
    a = [...a].sort((x, y) => (canonical(x) < canonical(y) ? -1 : 1));
    o = [...o].sort((x, y) => (canonical(x) < canonical(y) ? -1 : 1));
  }
  if (a.length !== o.length) return `helm printed ${a.length} documents, we printed ${o.length}`;
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.source !== o[i]!.source) return `document ${i + 1}: source ${a[i]!.source} vs ${o[i]!.source}`;
    try {
      assert.deepStrictEqual(o[i]!.value, a[i]!.value);
    } catch (e) {
      return (
        `document ${i + 1} (${a[i]!.source}) differs:\n` + `${(e as Error).message.split('\n').slice(0, 30).join('\n')}`
      );
    }
  }
  return undefined;
}

describe('helm chart conformance: aksfleet helm template = helm 4.2 on ../shared/charts/cases.tsv', {
  skip: helm42.skip,
}, () => {
  const cases = readCases();
  const different = new Map<string, string>();
  for (const c of cases) {
    const id = `${c.chart}/${c.name}`;
    test(id, async (t) => {
      const diff = await compareCase(c, helm42.path);
      if (diff !== undefined) {
        different.set(id, diff);
        if (KNOWN_DIFFERENT[id] !== undefined)
          t.diagnostic(`known difference: ${KNOWN_DIFFERENT[id]}\n${diff.slice(0, 600)}`);
        else assert.fail(`${id}: ${diff}`);
      } else {
        assert.equal(
          KNOWN_DIFFERENT[id],
          undefined,
          `${id} is now equal: remove it from KNOWN_DIFFERENT and docs/helm.md`,
        );
      }
    });
  }
  test('summary: the known-different list is exact', (t) => {
    const equal = cases.length - different.size;
    t.diagnostic(`${equal}/${cases.length} cases equal to helm 4.2`);
    console.log(`# helm conformance: ${equal}/${cases.length} cases equal to helm 4.2`);
    assert.deepEqual([...different.keys()].sort(), Object.keys(KNOWN_DIFFERENT).sort());
  });
});

describe('the same cases against helm 4.1 (Flux 2.8), for the record', { skip: helm41.skip }, () => {
  const cases = readCases();
  const different = new Map<string, string>();
  for (const c of cases) {
    const id = `${c.chart}/${c.name}`;
    test(id, async (t) => {
      const diff = await compareCase(c, helm41.path);
      if (diff !== undefined) {
        different.set(id, diff);
        if (KNOWN_DIFFERENT_41[id] !== undefined)
          t.diagnostic(`known difference from 4.1: ${KNOWN_DIFFERENT_41[id]}\n${diff.slice(0, 600)}`);
        else assert.fail(`${id}: ${diff}`);
      } else {
        assert.equal(
          KNOWN_DIFFERENT_41[id],
          undefined,
          `${id} is now equal to 4.1: remove it from KNOWN_DIFFERENT_41 and docs/helm.md`,
        );
      }
    });
  }
  test('summary: the known-different list (4.1) is exact', (t) => {
    const equal = cases.length - different.size;
    t.diagnostic(`${equal}/${cases.length} cases equal to helm 4.1`);
    console.log(`# helm conformance: ${equal}/${cases.length} cases equal to helm 4.1`);
    assert.deepEqual([...different.keys()].sort(), Object.keys(KNOWN_DIFFERENT_41).sort());
  });
});
