/** One Diagnostic, each output format. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../diagnostic.js';
import { diagnosticJson, diagnosticMarkdown, diagnosticSarif, diagnosticText } from './diagnostics.js';

const full: Diagnostic = {
  severity: 'warning',
  code: 'input',
  message: 'unknown field',
  location: { file: 'fleet yaml/a.yaml', line: 3, column: 5, fieldPath: 'spec.clusters[0].nmae' },
  related: [{ file: 'b.yaml', line: 1, message: 'defined here', resource: 'ConfigMap/ns/c' }],
  hint: 'did you mean name?',
};
const bare: Diagnostic = { severity: 'info', code: 'build-cache', message: 'build cache: 2 folder(s) read, 0 written' };

test('text: severity, place, message, code; related and hint lines', () => {
  assert.equal(
    diagnosticText(full),
    'warning: fleet yaml/a.yaml:3:5: spec.clusters[0].nmae: unknown field [input]\n' +
      '  related: b.yaml:1: defined here\n  hint: did you mean name?',
  );
  assert.equal(diagnosticText(bare), 'info: build cache: 2 folder(s) read, 0 written [build-cache]');
});

test('markdown: one list item with nested related and hint', () => {
  assert.equal(
    diagnosticMarkdown(full),
    '- **warning** `fleet yaml/a.yaml:3:5: spec.clusters[0].nmae` unknown field (`input`)\n' +
      '  - related: `b.yaml:1` defined here\n  - hint: did you mean name?',
  );
  assert.equal(diagnosticMarkdown(bare), '- **info** build cache: 2 folder(s) read, 0 written (`build-cache`)');
});

test('json: every key, null for what is absent, in a stable order', () => {
  assert.equal(
    JSON.stringify(diagnosticJson(bare)),
    '{"severity":"info","code":"build-cache","message":"build cache: 2 folder(s) read, 0 written",' +
      '"location":null,"related":[],"hint":null}',
  );
  assert.deepEqual(diagnosticJson(full).location, {
    file: 'fleet yaml/a.yaml',
    line: 3,
    column: 5,
    fieldPath: 'spec.clusters[0].nmae',
  });
  assert.deepEqual(diagnosticJson(full).related, [
    { file: 'b.yaml', line: 1, column: null, fieldPath: null, message: 'defined here', resource: 'ConfigMap/ns/c' },
  ]);
});

test('sarif: a notification with its level, descriptor and physical location (URI-encoded)', () => {
  assert.deepEqual(diagnosticSarif(full), {
    descriptor: { id: 'input' },
    level: 'warning',
    message: { text: 'spec.clusters[0].nmae: unknown field (did you mean name?)' },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: 'fleet%20yaml/a.yaml' },
          region: { startLine: 3, startColumn: 5 },
        },
      },
    ],
  });
  assert.deepEqual(diagnosticSarif(bare), {
    descriptor: { id: 'build-cache' },
    level: 'note',
    message: { text: 'build cache: 2 folder(s) read, 0 written' },
  });
});
