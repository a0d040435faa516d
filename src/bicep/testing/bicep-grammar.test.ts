/** The grammar check itself: it accepts valid Bicep and refuses what the compiler refuses. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBicep } from './bicep-grammar.js';

const valid = `targetScope = 'resourceGroup'

@description('It\\'s a name.')
@allowed([
  'a'
  'b'
])
param name string = 'a'
param n int = 3
param list array = []

var prefix = '\${name}-\${string(n)}'
var cond = empty(list) ? {} : {
  a: 1
}

// comment
resource acc 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: name
}

resource ra 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(name)) {
  scope: acc
  name: guid(acc.id, 'x')
  properties: {
    'weird-key': prefix
    principalType: 'ServicePrincipal'
  }
}

@batchSize(1)
resource many 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = [for (item, i) in list: {
  name: '\${item.name}-\${i}'
  location: resourceGroup().location
}]

module m './x.bicep' = {
  name: 'm'
  scope: resourceGroup('rg')
  params: {
    v: many[0].properties.clientId
  }
}

output ids array = [for (x, i) in list: {
  id: many[i].id
}]
output a string = cond.?a ?? 'none'
`;

test('valid Bicep passes', () => {
  const r = checkBicep(valid);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.resourceTypes, [
    'Microsoft.Storage/storageAccounts@2023-05-01',
    'Microsoft.Authorization/roleAssignments@2022-04-01',
    'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30',
  ]);
  assert.deepEqual(r.modules, ['./x.bicep']);
  assert.deepEqual([...r.params.keys()], ['name', 'n', 'list']);
  assert.deepEqual(r.outputs, ['ids', 'a']);
});

const bad: [string, string, RegExp][] = [
  ['unbalanced brace', 'var a = {\n  b: 1\n', /unbalanced '\{'/],
  ['unterminated string', "var a = 'abc\n", /unterminated string/],
  ['invalid escape', "var a = 'a\\qb'\n", /invalid escape/],
  ['unterminated interpolation', "var a = '${b'\n", /unterminated interpolation/],
  ['undeclared symbol', 'var a = b\n', /'b' is not declared/],
  ['undeclared in interpolation', "var a = 'x-${nope}'\n", /'nope' is not declared/],
  ['duplicate symbol', "param a string\nvar a = 'x'\n", /'a' is already declared/],
  ['unknown function', "var a = frobnicate('x')\n", /unknown function 'frobnicate'/],
  ['two properties on one line', 'var a = {\n  b: 1 c: 2\n}\n', /expected end of line/],
  [
    'malformed resource type',
    "resource r 'Microsoft.Storage/storageAccounts' = {\n  name: 'x'\n}\n",
    /malformed resource type/,
  ],
  ['missing =', "resource r 'A.B/c@2020-01-01' {\n}\n", /expected '='/],
  ['unknown type', 'param a strin\n', /unknown type 'strin'/],
  ['float', 'var a = 1.5\n', /no floating point/],
  ['keyword as value', 'var a = for\n', /unexpected keyword/],
  [
    'loop variable out of scope',
    "param l array\nresource r 'A.B/c@2020-01-01' = [for x in l: {\n  name: x\n}]\nvar y = x\n",
    /'x' is not declared/,
  ],
  ['bicepparam without using', 'param a = 1\n', /'using' must come first/],
];
for (const [name, text, re] of bad) {
  test(`refused: ${name}`, () => {
    const r = checkBicep(text, name.startsWith('bicepparam') ? 'bicepparam' : 'bicep');
    assert.ok(
      r.errors.some((e) => re.test(e)),
      `expected ${re} in ${JSON.stringify(r.errors)}`,
    );
  });
}
