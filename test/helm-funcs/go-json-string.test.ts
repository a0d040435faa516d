/**
 * The one Go JSON string encoder (src/yaml goJsonString) against Helm's engine (the helm-engine
 * oracle): toJson is json.Marshal (`<`, `>`, `&` escaped), toRawJson an Encoder with
 * SetEscapeHTML(false); both escape U+2028/U+2029 and write each byte of invalid UTF-8 as \ufffd.
 * Each string is written as a Go template literal (the oracle's input, bytes as Go has them) and
 * as the JavaScript string our engine holds for it (a byte of invalid UTF-8 is the lone surrogate
 * U+DC00+byte, src/gotemplate/strconv.ts goBytes). Both the encoder alone and our whole toJson /
 * toRawJson (src/helm/funcs) must print what Helm prints.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderHelm, runOracle } from '../../src/helm/funcs/testing.js';
import { goJsonString } from '../../src/yaml/go-yaml.js';
import { oracle } from '../oracles/index.js';

const helm = oracle('helm-engine');

/** [Go template string literal, the same string as our engine holds it]. */
const STRINGS: readonly (readonly [string, string])[] = [
  ['"<a&b>"', '<a&b>'],
  ['"\\u2028|\\u2029|\\u00e9|\\U0001F600|\\ufffd"', '\u2028|\u2029|é|\u{1F600}|\ufffd'],
  ['"\\b\\f\\n\\r\\t\\x00\\x01\\x1f\\x7f\\"\\\\/"', '\b\f\n\r\t\x00\x01\x1f\x7f"\\/'],
  ['"a\\xffb\\xc3"', 'a\udcffb\udcc3'],
  ['"\\xed\\xa0\\x80"', '\udced\udca0\udc80'],
];

/** One template per string: toJson and toRawJson of it, on one line. */
const templates = Object.fromEntries(
  STRINGS.map(([lit], i) => [`templates/s${i}.yaml`, `{{ toJson ${lit} }}|{{ toRawJson ${lit} }}`]),
);

test('goJsonString with and without HTML escaping prints what Helm toJson and toRawJson print', {
  skip: helm.skip,
}, () => {
  const [r] = runOracle(helm.path, [{ templates }]);
  assert.ok(r && 'output' in r, JSON.stringify(r));
  STRINGS.forEach(([lit, js], i) => {
    const go = r.output[`oracle/templates/s${i}.yaml`];
    assert.equal(`${goJsonString(js)}|${goJsonString(js, { escapeHTML: false })}`, go, `goJsonString of ${lit}`);
    const ours = renderHelm(templates[`templates/s${i}.yaml`]!);
    assert.deepEqual(ours, { output: go }, `our toJson|toRawJson of ${lit}`);
  });
});
