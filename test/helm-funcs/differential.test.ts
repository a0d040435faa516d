/**
 * Differential test: generated actions (arbitrary.ts: deterministic sprig/Helm functions over
 * generated arguments and chart values) rendered by us (src/gotemplate + helmFuncMap) and by Helm 4.2 (the
 * helm-engine oracle), compared byte for byte: output, or Go's error message. Fixed seed; 500
 * actions by default, AKSFLEET_FULL_DIFFERENTIAL=1 for 5,000 (AKSFLEET_DIFFERENTIAL_CASES=N).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { renderHelm, ORACLE_FILE, runOracle } from '../../src/helm/funcs/testing.js';
import { oracle } from '../oracles/index.js';
import { actionArb, VALUES } from './arbitrary.js';

const total = Number(
  process.env.AKSFLEET_DIFFERENTIAL_CASES ?? (process.env.AKSFLEET_FULL_DIFFERENTIAL === '1' ? 5_000 : 500),
);
const seed = Number(process.env.AKSFLEET_DIFFERENTIAL_SEED ?? 20261207);
const helm = oracle('helm-engine');

type Outcome = { output: string } | { error: string };

/** Differences we know of and accept, with the reason (docs/helm-funcs.md). */
/**
 * Helm's engine reformats some Go errors as a trace (`FILE:L:C\n  executing "F" at <X>:\n    MSG`,
 * src/helm's renderer does the same); the Go error it started from is what the functions give.
 */
export function goErrorOfHelm(e: string): string {
  const m = /^(\S+:\d+:\d+)\n  (executing "[^"]*" at <.*?>):\n    (.*)$/s.exec(e);
  return m ? `template: ${m[1]}: ${m[2]}: ${m[3]!.replace(/:\n(?=template: )/g, ': ').replace(/\n\s+/g, ' ')}` : e;
}

export const KNOWN: {
  readonly reason: string;
  readonly applies: (action: string, helm: Outcome, ours: Outcome) => boolean;
}[] = [
  {
    reason:
      'fail/required: Helm reformats the error as "execution error at (FILE:L:C): MSG" (src/helm does that); ' +
      'ours carries HELM_ERR_START MSG HELM_ERR_END',
    applies: (_a, h, o) =>
      'error' in h &&
      'error' in o &&
      /^execution error at /.test(h.error) &&
      o.error.includes(`HELM_ERR_START${h.error.replace(/^execution error at \([^)]*\): /s, '')}HELM_ERR_END`),
  },
  {
    reason:
      'Go strings are bytes: output that is not valid UTF-8 (b64dec, trunc/substr/abbrev inside a multi-byte ' +
      'character) becomes U+FFFD here',
    applies: (_a, h, o) =>
      ('output' in h && 'output' in o && Buffer.from(h.output, 'utf8').toString('utf8') !== h.output) ||
      ('output' in o && o.output.includes('\ufffd')),
  },
  {
    reason:
      'date functions given a value that is not a time format the current time: Helm and we read the clock ' +
      'at different moments',
    applies: (a, h, o) => 'output' in h && 'output' in o && /\b(date|htmlDate|dateInZone|htmlDateInZone)\b/.test(a),
  },
  {
    reason:
      'our YAML reader is stricter than go-yaml on malformed input (go-yaml reads "[a-z]+" as [a-z]); ' +
      'fromYaml/fromYamlArray then hold an error',
    applies: (a, _h, o) => 'output' in o && /error converting YAML to JSON/.test(o.output) && /fromYaml/.test(a),
  },
  {
    reason:
      'src/gotemplate: len of a pointer names the pointer type (*semver.Version); Go dereferences it first ' +
      '(semver.Version)',
    applies: (_a, h, o) => 'error' in h && 'error' in o && h.error.replace('len of type ', 'len of type *') === o.error,
  },
  {
    reason: 'Go ranges over a map in random order, so sprig keys/values are unordered in Helm; ours are sorted',
    applies: (a, h, o) =>
      /\b(keys|values)\b/.test(a) &&
      'output' in h &&
      'output' in o &&
      [...h.output].sort().join('') === [...o.output].sort().join(''),
  },
  {
    reason: "fromToml error texts are ours, not BurntSushi/toml's",
    applies: (a, h, o) =>
      /fromToml/.test(a) &&
      'output' in h &&
      'output' in o &&
      /toml: line/.test(h.output) &&
      /toml: line/.test(o.output),
  },
  {
    reason:
      'a nil map argument arrives as an empty map (src/gotemplate zeroOf): set on it works where Go panics ' +
      '"assignment to entry in nil map"',
    applies: (_a, h) => 'error' in h && h.error.endsWith('assignment to entry in nil map'),
  },
  {
    reason: 'YAML error messages come from our YAML reader, not go-yaml',
    applies: (_a, h, o) =>
      'output' in h &&
      'output' in o &&
      /error converting YAML to JSON/.test(h.output) &&
      /error converting YAML to JSON/.test(o.output),
  },
  {
    reason:
      'a Go nil slice or map (rest/initial of an empty list, concat of nothing, fromJson "null") has no ' +
      'representation: ours is empty, JSON [] / {} instead of null',
    applies: (_a, h, o) =>
      'output' in h && 'output' in o && h.output.replace(/null/g, '') === o.output.replace(/\[\]|\{\}/g, ''),
  },
];

test(`${total} generated actions render as Helm 4.2 renders them (seed ${seed})`, { skip: helm.skip }, () => {
  const actions = fc.sample(actionArb, { seed, numRuns: total });
  const want = runOracle(
    helm.path,
    actions.map((a) => ({ templates: { 'templates/t.yaml': `{{ ${a} }}` }, values: VALUES })),
  ).map((r): Outcome => ('error' in r ? { error: goErrorOfHelm(r.error) } : { output: r.output[ORACLE_FILE]! }));
  const diffs: string[] = [];
  let known = 0;
  actions.forEach((a, i) => {
    // Functions given no time (date 0.5) use the clock, as Helm's do.
    const got = renderHelm(`{{ ${a} }}`, structuredClone(VALUES), { now: () => new Date() });
    const w = want[i]!;
    if (JSON.stringify(got) === JSON.stringify(w)) return;
    if (KNOWN.some((k) => k.applies(a, w, got))) {
      known++;
      return;
    }
    diffs.push(
      `{{ ${a} }}\n    helm: ${JSON.stringify(w).slice(0, 400)}\n    ours: ${JSON.stringify(got).slice(0, 400)}`,
    );
  });
  const equal = total - known - diffs.length;
  process.stdout.write(
    `# helm funcs differential: ${equal}/${total} equal, ${known} known differences, ${diffs.length} other\n`,
  );
  assert.deepEqual(diffs.slice(0, 30), [], `${diffs.length} of ${total} differ`);
});
