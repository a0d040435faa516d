/**
 * Random and generated values: the same render gives the same values, each is recorded with the
 * call that made it, callers can tell them apart (isGenerated) and mask them, and they keep the
 * shape Helm's have (lengths and charsets of Helm's own outputs are in cases.ts, judged by the oracle).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GeneratedValues, GENERATED_MARKER } from './generated.js';
import { renderHelm } from './testing.js';

const TEMPLATE =
  '{{ randAlphaNum 12 }}|{{ randNumeric 6 }}|{{ uuidv4 }}|{{ (genCA "ca" 365).Cert }}|{{ htpasswd "u" "p" ' +
  '}}|{{ encryptAES "k" "secret" }}';

function render(generated = new GeneratedValues()): { out: string; generated: GeneratedValues } {
  const r = renderHelm(TEMPLATE, {}, { generated });
  assert.ok('output' in r, JSON.stringify(r));
  return { out: r.output, generated };
}

test('two renders give the same generated values', () => {
  assert.equal(render().out, render().out);
});

test('another seed gives other values of the same shapes', () => {
  const a = render().out.split('|');
  const b = render(new GeneratedValues('other')).out.split('|');
  assert.notEqual(a[0], b[0]);
  assert.match(b[0]!, /^[A-Za-z0-9]{12}$/);
  assert.match(b[1]!, /^[0-9]{6}$/);
  assert.match(b[2]!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(b[4]!, /^u:\$2a\$10\$[./A-Za-z0-9]{53}$/);
});

test('every generated value is recorded with its call, and can be found and masked', () => {
  const { out, generated } = render();
  assert.deepEqual(
    generated.values().map((g) => `${g.fn}#${g.seq}`),
    ['randAlphaNum#1', 'randNumeric#1', 'uuidv4#1', 'genCA#1', 'bcrypt#1', 'encryptAES#1'],
  );
  assert.ok(out.includes(`${GENERATED_MARKER} genCA 1`));
  for (const part of out.split('|')) assert.ok(generated.isGenerated(part), part);
  assert.ok(!generated.isGenerated('plain text'));
  assert.equal(generated.mask(out).split('|')[0], '<generated:randAlphaNum>');
});

test('encryptAES output is real AES-CBC that decryptAES reads back', () => {
  const r = renderHelm('{{ encryptAES "key" "the secret" | decryptAES "key" }}');
  assert.deepEqual(r, { output: 'the secret' });
});

test('now is injectable; the default is the Unix epoch', () => {
  assert.deepEqual(renderHelm('{{ now | date "2006-01-02" }}'), { output: '1970-01-01' });
  assert.deepEqual(
    renderHelm('{{ now | date "2006-01-02 15:04" }}', {}, { now: () => new Date('2026-12-07T01:02:03Z') }),
    { output: '2026-12-07 01:02' },
  );
  assert.deepEqual(
    renderHelm('{{ ago (toDate "2006-01-02" "2026-12-06") }}', {}, { now: () => new Date('2026-12-07T01:02:03Z') }),
    { output: '25h2m3s' },
  );
});
