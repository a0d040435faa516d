/**
 * The console's Host guard parses the authority strictly: only a loopback name or a bound
 * address, with an optional numeric port, passes; anything malformed is a 400, a foreign host 403.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { hostOf, refuseReason } from './security.js';

const req = (headers: Record<string, string>, method = 'GET') => ({ method, headers }) as unknown as IncomingMessage;
const statusOf = (host: string | undefined, opts = {}) =>
  refuseReason(req(host === undefined ? {} : { host }), opts)?.status ?? 200;

test('Host: loopback names and the bound address pass, with or without a port', () => {
  for (const h of ['127.0.0.1', '127.0.0.1:7777', 'localhost:7777', 'LOCALHOST', '[::1]:7777', '[::1]'])
    assert.equal(statusOf(h), 200, h);
  assert.equal(statusOf('10.1.2.3:7777', { allowedHosts: ['10.1.2.3'] }), 200);
  assert.equal(statusOf('10.1.2.3:7777'), 403, 'another address only when bound');
});

test('Host: malformed authorities are 400 (userinfo, paths, spaces, bad ports, empty), foreign hosts 403', () => {
  for (const h of [
    '127.0.0.1:7777@evil.example',
    'evil.example@127.0.0.1',
    '127.0.0.1:7777/x',
    '127.0.0.1 :7777',
    ' 127.0.0.1',
    '127.0.0.1:',
    '127.0.0.1:99999',
    '127.0.0.1:7777:1',
    '[::1',
    '::1',
    'localhost.:80#',
    '',
    'local_host',
    '127.0.0.1\t',
  ]) {
    assert.equal(statusOf(h), 400, JSON.stringify(h));
    assert.equal(hostOf(h), undefined, JSON.stringify(h));
  }
  assert.equal(statusOf(undefined), 400);
  for (const h of ['evil.example', 'evil.example:7777', '127.0.0.2', 'localhost.evil.example'])
    assert.equal(statusOf(h), 403, h);
  assert.equal(refuseReason(req({ host: '127.0.0.1' }, 'POST'))?.status, 405);
  assert.equal(refuseReason(req({ host: '127.0.0.1:7777', origin: 'http://127.0.0.1:7777' })), undefined);
  assert.equal(refuseReason(req({ host: '127.0.0.1:7777', origin: 'http://u@127.0.0.1:7777' }))?.status, 403);
});
