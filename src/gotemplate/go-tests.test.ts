// Go's own test tables (text/template exec and parse tests, fmt tests; see testdata/go-tests.json),
// run through this engine and through Go's text/template (the gotemplate oracle): every case must
// give the same output or the same error message, byte for byte. Known differences are listed in
// KNOWN with their reason (and in docs/gotemplate.md); the test reports how many cases agree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { gotemplateOracle, runOracle, runOurs, type TemplateCase } from './testing/oracle.js';

interface GoTests {
  tVal: unknown;
  exec: { name: string; input: string; data: unknown }[];
  parse: { name: string; input: string }[];
  fmt: { fmt: string; arg: string }[];
}
const data = JSON.parse(readFileSync(new URL('./testdata/go-tests.json', import.meta.url), 'utf8')) as GoTests;

/** Cases where this engine knowingly differs from Go: the reason, and which cases. */
const KNOWN: { readonly reason: string; readonly applies: (key: string, text: string) => boolean }[] = [
  {
    reason: 'complex numbers (imaginary literals) are not implemented: a parse error here',
    applies: (_k, text) => /(^|[^\w.])[-+]?[0-9.]+(e[-+]?\d+)?i\b/.test(text),
  },
  {
    reason:
      "slice beyond len within cap: Go's encoding/json leaves spare capacity in decoded slices, our arrays have none",
    applies: (k) => /^exec\/(184|186|187|189):/.test(k),
  },
];

function compareAll(label: string, cases: { name: string; c: TemplateCase }[]): void {
  test(`${label}: ${cases.length} cases equal Go`, { skip: gotemplateOracle.skip }, (t) => {
    const want = runOracle(cases.map((x) => x.c));
    const diffs: string[] = [];
    let knownDiffs = 0;
    cases.forEach(({ name, c }, i) => {
      const got = runOurs(c);
      const same = JSON.stringify(got) === JSON.stringify(want[i]);
      const key = `${label}/${name}`;
      const text = Object.values(c.templates).join('\n');
      const known = KNOWN.find((k) => k.applies(key, text));
      if (!same && known) knownDiffs++;
      if (!same && !known)
        diffs.push(
          `${key}: ${JSON.stringify(c.templates)}\n` +
            `    go:   ${JSON.stringify(want[i])}\n    ours: ${JSON.stringify(got)}`,
        );
    });
    t.diagnostic(
      `${cases.length - knownDiffs - diffs.length}/${cases.length} equal to Go; ${knownDiffs} known differences`,
    );
    assert.equal(diffs.length, 0, `${diffs.length} differences:\n${diffs.join('\n')}`);
  });
}

describe('Go tests', () => {
  compareAll(
    'exec',
    data.exec.map((r, i) => ({
      name: `${i}:${r.name}`,
      c: { templates: { [r.name]: r.input }, entry: r.name, data: r.data === 'tVal' ? data.tVal : r.data },
    })),
  );
  compareAll(
    'parse',
    data.parse.map((r, i) => ({
      name: `${i}:${r.name}`,
      c: { templates: { t: r.input }, entry: 't', parseOnly: true },
    })),
  );
  compareAll(
    'fmt',
    data.fmt.map((r, i) => ({
      name: `${i}:${r.fmt} ${r.arg}`,
      c: { templates: { t: `{{printf ${JSON.stringify(r.fmt)} ${r.arg}}}` }, entry: 't' },
    })),
  );
});
