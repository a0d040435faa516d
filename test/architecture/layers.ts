/** The layers of src/ (docs/architecture.md; layers.test.ts asserts them). */

/** Lowest first. A folder may import the folders of lower lines only. */
export const LAYERS: readonly (readonly string[])[] = [
  ['diagnostic', 'field-path'],
  ['errors', 'package-root', 'seeded-random', 'did-you-mean', 'content-store', 'work-budget'],
  ['yaml', 'facts', 'pipeline'],
  ['resources', 'repo', 'gotemplate', 'cel', 'rego'],
  ['git', 'kustomize', 'schemas'],
  ['spec', 'helm', 'admission'],
  ['flux', 'slo', 'model'],
  ['session', 'discovery', 'incremental', 'bicep', 'bench'],
  ['checks', 'diff', 'generators'],
  ['report', 'parallel', 'promote', 'writer', 'day2'],
  ['ui'],
  ['cli'],
  ['index'],
];
