import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  armBody,
  call,
  emitBicep,
  emitBicepParam,
  emitValue,
  expr,
  exprKey,
  interp,
  ref,
  str,
  wireShape,
  type BicepFile,
} from './index.js';
import { checkBicep } from './testing/bicep-grammar.js';

test('strings are escaped (quote, backslash, newline, ${)', () => {
  assert.equal(emitValue("it's a \\ path\nnext ${x}"), "'it\\'s a \\\\ path\\nnext \\${x}'");
  assert.equal(emitValue('$5 {ok}'), "'$5 {ok}'");
  assert.equal(str("a'b").text, "'a\\'b'");
});

test('interpolation: literal parts escaped, expressions inserted', () => {
  assert.equal(interp`${ref('clusterName')}-dns`.text, "'${clusterName}-dns'");
  assert.equal(interp`it's ${expr('a.b')}/${'x'}${7}`.text, "'it\\'s ${a.b}/x7'");
});

test('values: objects and arrays one entry per line, keys quoted when not identifiers, undefined dropped', () => {
  assert.equal(
    emitValue({ a: 1, 'scan-interval': '20s', b: undefined, c: [true, null], d: {}, e: [] }),
    "{\n  a: 1\n  'scan-interval': '20s'\n  c: [\n    true\n    null\n  ]\n  d: {}\n  e: []\n}",
  );
  assert.equal(emitValue({ [exprKey(expr("'${uami.id}'"))]: {} }), "{\n  '${uami.id}': {}\n}");
  assert.equal(call('guid', expr('a.id'), 'x').text, "guid(a.id, 'x')");
  assert.throws(() => emitValue(1.5), /no floating point/);
});

test('declarations: decorators, comments, existing, condition, loop, children, module, output', () => {
  const f: BicepFile = {
    header: ['head'],
    declarations: [
      { kind: 'targetScope', scope: 'resourceGroup' },
      { kind: 'param', name: 'names', type: 'array', description: "it's", decorators: ['minLength(1)'], default: [] },
      { kind: 'param', name: 'sku', type: 'string', allowed: ['A', 'B'], default: 'A' },
      { kind: 'var', name: 'v', value: { x: expr('length(names)') }, comment: ['why'] },
      {
        kind: 'resource',
        symbol: 'acct',
        type: 'Microsoft.Storage/storageAccounts',
        apiVersion: '2023-05-01',
        existing: true,
        body: { name: 'st' },
      },
      {
        kind: 'resource',
        symbol: 'ids',
        type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
        apiVersion: '2024-11-30',
        decorators: ['batchSize(1)'],
        loop: { item: 'n', index: 'i', over: expr('names') },
        condition: expr('!empty(names)'),
        body: { name: expr('n'), location: expr('resourceGroup().location') },
      },
      {
        kind: 'resource',
        symbol: 'parentRes',
        type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
        apiVersion: '2024-11-30',
        condition: expr("sku == 'A'"),
        body: { name: 'p', location: 'uksouth' },
        children: [
          {
            kind: 'resource',
            symbol: 'child',
            type: 'federatedIdentityCredentials',
            apiVersion: '2024-11-30',
            body: { name: 'c', properties: { issuer: 'https://x' } },
          },
        ],
      },
      { kind: 'module', symbol: 'm', path: './m.bicep', body: { name: 'm', params: { a: ref('acct', 'id') } } },
      { kind: 'output', name: 'out', type: 'string', value: interp`${ref('acct', 'name')}!`, description: 'o' },
      { kind: 'comment', text: 'end' },
    ],
  };
  const text = emitBicep(f);
  assert.deepEqual(checkBicep(text).errors, []);
  assert.match(text, /^\/\/ head\n\ntargetScope = 'resourceGroup'\n/);
  assert.match(text, /@description\('it\\'s'\)\n@minLength\(1\)\nparam names array = \[\]/);
  assert.match(text, /@allowed\(\[\n  'A'\n  'B'\n\]\)\nparam sku string = 'A'/);
  assert.match(text, /\/\/ why\nvar v = \{/);
  assert.match(text, /resource acct 'Microsoft\.Storage\/storageAccounts@2023-05-01' existing = \{\n  name: 'st'\n\}/);
  assert.match(text, /@batchSize\(1\)\nresource ids '[^']+' = \[for \(n, i\) in names: if \(!empty\(names\)\) \{/);
  assert.match(
    text,
    /resource parentRes '[^']+' = if \(sku == 'A'\) \{\n  name: 'p'\n  location: 'uksouth'\n\n  resource child 'federatedIdentityCredentials@2024-11-30' = \{\n    name: 'c'\n    properties: \{\n      issuer: 'https:\/\/x'\n    \}\n  \}\n\}/,
  );
  assert.match(text, /output out string = '\$\{acct\.name\}!'\n/);
  assert.equal(emitBicep(f), text, 'deterministic');
  assert.throws(
    () => emitBicep({ declarations: [{ kind: 'var', name: 'bad-name', value: 1 }] }),
    /invalid Bicep variable name/,
  );
});

test('bicepparam files', () => {
  const t = emitBicepParam({
    using: './main.bicep',
    params: [
      { name: 'a', value: 'x', comment: 'c' },
      { name: 'b', value: expr("readEnvironmentVariable('B', '')") },
    ],
  });
  assert.equal(t, "using './main.bicep'\n\n// c\nparam a = 'x'\n\nparam b = readEnvironmentVariable('B', '')\n");
  assert.deepEqual(checkBicep(t, 'bicepparam').errors, []);
});

test('armBody: envelope keys stay, the rest goes under properties with wire names; data map keys are kept', () => {
  const body = armBody(
    {
      location: 'x',
      tags: { enableRbac: 'tag' },
      kind: 'k',
      enableRbac: true,
      addonProfiles: { scanInterval: { enabled: true, config: { enableFips: 'v' } } },
      autoScalerProfile: { scanInterval: '1m' },
      scope: 'cluster',
    },
    { name: 'n', scope: expr('aks') },
  );
  assert.deepEqual(
    JSON.parse(
      JSON.stringify(body, (_k, v) =>
        v instanceof Object && 'text' in v && Object.keys(v).length === 1 ? `<${v.text}>` : v,
      ),
    ),
    {
      name: 'n',
      scope: '<aks>',
      location: 'x',
      tags: { enableRbac: 'tag' },
      kind: 'k',
      properties: {
        enableRBAC: true,
        addonProfiles: { scanInterval: { enabled: true, config: { enableFips: 'v' } } },
        autoScalerProfile: { 'scan-interval': '1m' },
        scope: 'cluster',
      },
    },
  );
  assert.deepEqual(
    armBody({ location: 'x', properties: { enableRbacAuthorization: true } }, {}, { flattened: false }),
    { location: 'x', properties: { enableRbacAuthorization: true } },
  );
  assert.deepEqual(wireShape({ enablePrivateClusterPublicFqdn: false }), { enablePrivateClusterPublicFQDN: false });
});
