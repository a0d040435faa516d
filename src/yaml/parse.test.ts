import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYamlDocuments } from './parse.js';
import { InputError } from '../errors.js';

test('multi-document YAML with positions; empty documents skipped', () => {
  const docs = parseYamlDocuments('a: 1\n---\n# only a comment\n---\nkind: X\nmetadata:\n  name: y\n', 'f.yaml');
  assert.equal(docs.length, 2);
  assert.deepEqual(docs[1]!.value, { kind: 'X', metadata: { name: 'y' } });
  assert.equal(docs[1]!.line, 5);
  assert.deepEqual(docs[1]!.posOf(['metadata', 'name']), { line: 7, column: 9 });
});

test('duplicate keys are an error with file:line:col', () => {
  assert.throws(
    () => parseYamlDocuments('a: 1\na: 2\n', 'dup.yaml'),
    (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.format(), /^dup\.yaml:2:1: /);
      return true;
    },
  );
});

test('an alias bomb is refused, not expanded', () => {
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  let prev = 'a';
  for (const n of ['b', 'c', 'd', 'e', 'f', 'g', 'h']) {
    lines.push(
      `${n}: &${n} [${Array(10)
        .fill('*' + prev)
        .join(', ')}]`,
    );
    prev = n;
  }
  assert.throws(() => parseYamlDocuments(lines.join('\n') + '\n', 'bomb.yaml'), /alias/i);
});
