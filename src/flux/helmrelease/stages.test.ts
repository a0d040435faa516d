/**
 * crdFileApiVersions: what a chart's CRD file adds to `.Capabilities.APIVersions` is kept by the
 * file's name and text; another text (a version added) is parsed again and gives its own answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContentStore } from '../../content-store.js';
import { parsedDocuments } from './render-store.js';
import { crdFileApiVersions } from './stages.js';

class MemoryStore implements ContentStore {
  readonly entries = new Map<string, string>();
  get(key: string): string | undefined {
    return this.entries.get(key);
  }
  put(key: string, text: string): void {
    this.entries.set(key, text);
  }
}

const crd = (versions: string[]) =>
  [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata: {name: widgets.example.com}',
    'spec:',
    '  group: example.com',
    '  names: {kind: Widget, plural: widgets}',
    '  versions:',
    ...versions.map((v) => `  - {name: ${v}, served: true, storage: ${v === versions[0]}}`),
    '',
  ].join('\n');

test("a CRD file's API versions are kept by its name and text, and made again for another text", () => {
  const store = new MemoryStore();
  const parsed: string[] = [];
  const parse = (text: string, file: string) => {
    parsed.push(file);
    return parsedDocuments(undefined, text, file);
  };
  const v1 = ['example.com/v1', 'example.com/v1/Widget'];
  assert.deepEqual(crdFileApiVersions(store, crd(['v1']), 'c/crds/w.yaml', parse), v1);
  assert.deepEqual(parsed, ['c/crds/w.yaml']);
  assert.deepEqual(crdFileApiVersions(store, crd(['v1']), 'c/crds/w.yaml', parse), v1);
  assert.equal(parsed.length, 1, 'kept');
  const both = ['example.com/v1', 'example.com/v1/Widget', 'example.com/v2', 'example.com/v2/Widget'];
  assert.deepEqual(crdFileApiVersions(store, crd(['v1', 'v2']), 'c/crds/w.yaml', parse), both);
  assert.equal(parsed.length, 2, 'another text is parsed');
  assert.deepEqual(crdFileApiVersions(store, crd(['v1']), 'd/crds/w.yaml', parse), v1);
  assert.equal(parsed.length, 3, 'another file is parsed');
  assert.deepEqual(crdFileApiVersions(undefined, crd(['v1']), 'c/crds/w.yaml', parse), v1);
});

test('a CRD file that does not parse adds nothing and is not kept', () => {
  const store = new MemoryStore();
  const parse = (text: string, file: string) => parsedDocuments(undefined, text, file);
  assert.deepEqual(crdFileApiVersions(store, 'a: [unclosed\n', 'c/crds/bad.yaml', parse), []);
  assert.equal(store.entries.size, 0);
});
