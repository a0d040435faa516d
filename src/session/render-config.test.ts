/**
 * The `render:` section of `.aksfleet.yaml`: each field read as written, paths kept inside the
 * repository, and every bad value an input error at its file:line:col with the field path (all
 * at once); `fetchCharts` is refused there (the network is a flag only).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../errors.js';
import { parseYamlDocuments } from '../yaml/parse.js';
import { parseRenderConfig } from './render-config.js';
import { mergeRenderSettings } from './render-settings.js';

const parse = (text: string) => parseRenderConfig(parseYamlDocuments(text, '.aksfleet.yaml')[0]!, '.aksfleet.yaml');
const errors = (text: string): string[] => {
  try {
    parse(text);
  } catch (e) {
    assert.ok(e instanceof InputError);
    return e.format().split('\n');
  }
  assert.fail('expected an input error');
};

test('render config: every field as written; absent section: undefined', () => {
  assert.equal(parse('rules: {}\n'), undefined);
  const c = parse(
    'render:\n  sources:\n    GitRepository/flux-system/apps: vendor/apps/\n  vars: ci/vars.env\n' +
      '  allowMissingVars: true\n  chartSources:\n    HelmRepository/flux-system/podinfo: ./charts\n' +
      '  chartCache: .cache/charts\n  kubeVersion: "1.33"\n  valuesFrom: ci/objects.yaml\n',
  )!;
  assert.deepEqual(c.sources?.['GitRepository/flux-system/apps']?.path, 'vendor/apps');
  assert.deepEqual(c.sources?.['GitRepository/flux-system/apps']?.pos, { file: '.aksfleet.yaml', line: 3, column: 37 });
  assert.equal(c.vars?.path, 'ci/vars.env');
  assert.equal(c.allowMissingVars, true);
  assert.equal(c.chartSources?.['HelmRepository/flux-system/podinfo']?.path, 'charts');
  assert.equal(c.chartCache?.path, '.cache/charts');
  assert.equal(c.kubeVersion, '1.33');
  assert.equal(c.valuesFrom?.path, 'ci/objects.yaml');
  assert.equal(c.helm, undefined);
  assert.equal(parse('render:\n  helm: false\n')!.helm, false);
});

test('render config: bad values are input errors at file:line:col with the field path, all reported at once', () => {
  const lines = errors(
    [
      'render:',
      '  fetchCharts: true',
      '  sources:',
      '    apps: vendor/apps',
      '    GitRepository/flux-system/x: ../outside',
      '  chartSources:',
      '    HelmRepository/flux-system/p: /abs/charts',
      '  kubeVersion: 1.30',
      '  allowMissingVars: "yes"',
      '  valuesFrom: ""',
      '',
    ].join('\n'),
  );
  assert.equal(lines.length, 7, lines.join('\n'));
  assert.match(
    lines[0]!,
    /^\.aksfleet\.yaml:2:3: render\.fetchCharts: unknown field 'fetchCharts'.*command-line flag only/,
  );
  assert.match(lines[1]!, /^\.aksfleet\.yaml:4:5: render\.sources\.apps: 'apps' is not a source KIND\/NAMESPACE\/NAME/);
  assert.match(
    lines[2]!,
    /^\.aksfleet\.yaml:5:34: render\.sources\.GitRepository\/flux-system\/x: '\.\.\/outside' is not inside the repository/,
  );
  assert.match(
    lines[3]!,
    /^\.aksfleet\.yaml:7:35: render\.chartSources\.HelmRepository\/flux-system\/p: '\/abs\/charts' is not inside the repository/,
  );
  assert.match(
    lines[4]!,
    /^\.aksfleet\.yaml:8:16: render\.kubeVersion: write the version as a quoted string.*1\.3 as a number/,
  );
  assert.match(
    lines[5]!,
    /^\.aksfleet\.yaml:9:21: render\.allowMissingVars: "yes" is not allowed; must be true or false/,
  );
  assert.match(lines[6]!, /^\.aksfleet\.yaml:10:15: render\.valuesFrom: expected a repository-relative path/);
  assert.match(
    errors('render:\n  kubeVersion: "banana"\n')[0]!,
    /^\.aksfleet\.yaml:2:16: render\.kubeVersion: invalid kube version 'banana'/,
  );
  assert.match(errors('render: [a]\n')[0]!, /^\.aksfleet\.yaml:1:9: render: expected a map/);
  assert.match(
    errors('render:\n  helm: false\n  chartCache: c\n')[0]!,
    /render\.helm: helm: false cannot be used with chartSources or chartCache/,
  );
});

test('render settings: the flags win field by field; maps merge entry by entry', () => {
  const m = mergeRenderSettings(
    {
      sources: { 'GitRepository/a/b': 'x', 'GitRepository/a/c': 'y' },
      kubeVersion: '1.31',
      helm: false,
      vars: { A: '1' },
    },
    { sources: { 'GitRepository/a/b': 'z' }, kubeVersion: '1.33', vars: { B: '2' } },
  );
  assert.deepEqual(m, {
    sources: { 'GitRepository/a/b': 'z', 'GitRepository/a/c': 'y' },
    kubeVersion: '1.33',
    helm: false,
    vars: { A: '1', B: '2' },
  });
});
