import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  credentialFor,
  dockerConfigPath,
  mergeCredentials,
  readDockerConfigs,
  registryHost,
  scrub,
  secretsOf,
  splitUrlCredentials,
} from './credentials.js';
import { redactUrl, repositoryKey } from './source-url.js';

const tmp = mkdtempSync(join(tmpdir(), 'aksfleet-creds-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('Docker config: auths by host (auth, username/password, registrytoken), helpers reported, first file wins', () => {
  const a = join(tmp, 'a.json');
  const b = join(tmp, 'b.json');
  writeFileSync(
    a,
    JSON.stringify({
      auths: {
        'https://index.docker.io/v1/': { auth: Buffer.from('d:dpass').toString('base64') },
        'ghcr.io': { username: 'g', password: 'gpass' },
        'myacr.azurecr.io': { registrytoken: 'acr-token' },
        'helper.example.com': {},
      },
      credsStore: 'desktop',
      credHelpers: { 'gcr.io': 'gcloud' },
    }),
  );
  writeFileSync(
    b,
    JSON.stringify({
      auths: {
        'ghcr.io': { auth: Buffer.from('other:pw').toString('base64') },
        'localhost:5000': { auth: Buffer.from('l:lpass').toString('base64') },
      },
    }),
  );
  const c = readDockerConfigs([a, b, join(tmp, 'missing.json')]);
  assert.deepEqual(c.byHost.get('index.docker.io'), { username: 'd', password: 'dpass' });
  assert.deepEqual(c.byHost.get('ghcr.io'), { username: 'g', password: 'gpass' });
  assert.deepEqual(c.byHost.get('myacr.azurecr.io'), { token: 'acr-token' });
  assert.deepEqual(c.byHost.get('localhost:5000'), { username: 'l', password: 'lpass' });
  assert.deepEqual([...c.helperHosts].sort(), ['gcr.io', 'helper.example.com']);
  const m = mergeCredentials({ 'GHCR.io': { username: 'x', password: 'xpass' } }, c);
  assert.deepEqual(m.byHost.get('ghcr.io'), { username: 'x', password: 'xpass' });
  assert.equal(registryHost('http://127.0.0.1:5000/v2/'), '127.0.0.1:5000');
  assert.equal(dockerConfigPath({ DOCKER_CONFIG: '/d', HOME: '/h' }), '/d/config.json');
  assert.equal(dockerConfigPath({ HOME: '/h' }), '/h/.docker/config.json');
  assert.deepEqual(credentialFor(c, 'registry-1.docker.io'), { username: 'd', password: 'dpass' });
  assert.equal(credentialFor(c, 'quay.io'), undefined);
  const secrets = secretsOf(m);
  assert.equal(scrub('dpass gpass acr-token xpass', secrets), '*** gpass *** ***');
});

test('URLs: credentials and queries never reach keys or messages', () => {
  assert.equal(redactUrl('https://u:p%40ss@charts.example.com/x/?sig=abc#f'), 'https://charts.example.com/x');
  assert.equal(redactUrl('oci://ghcr.io/org/charts/'), 'oci://ghcr.io/org/charts');
  assert.deepEqual(splitUrlCredentials('https://u:p%40ss@h.example/x'), {
    url: 'https://h.example/x',
    credential: { username: 'u', password: 'p@ss' },
  });
  assert.deepEqual(splitUrlCredentials('https://h.example/x'), { url: 'https://h.example/x' });
  assert.equal(
    repositoryKey({
      sourceId: 'HelmRepository/a/b',
      sourceKind: 'HelmRepository',
      url: 'https://u:pw@h.example/r/?t=1',
      chart: 'c',
    }),
    'helm https://h.example/r c',
  );
});
