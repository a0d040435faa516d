/**
 * `aksfleet ui` when it cannot listen: a port in use and an address that is not this machine's
 * are usage errors (exit 2) naming the port or host, said before any render, with no
 * "internal error" and no stack.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../testing/run-cli.js';
import { createSession } from '../../session/session.js';

function occupy(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

test('ui --port taken: exit 2 naming the port, nothing rendered, no internal error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-ui-port-'));
  const { server, port } = await occupy();
  try {
    const session = createSession();
    const r = await runCli(['ui', dir, '--port', String(port)], { session });
    assert.equal(r.code, 2, r.all);
    assert.match(r.err, new RegExp(`--port ${port}: 127\\.0\\.0\\.1:${port} is already in use.*--port 0`));
    assert.doesNotMatch(r.all, /internal error|\bat .*:\d+:\d+/);
    assert.equal(r.out, '', 'no URL printed');
    assert.deepEqual(session.renders.entries(), [], 'failed before rendering anything');
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ui --host that is not an address of this machine: exit 2 naming the host', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-ui-host-'));
  try {
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never a local address.
    const r = await runCli(['ui', dir, '--host', '192.0.2.1', '--port', '0']);
    assert.equal(r.code, 2, r.all);
    assert.match(
      r.err,
      /--host 192\.0\.2\.1: cannot listen on 192\.0\.2\.1:0: the address is not one of this machine's/,
    );
    assert.doesNotMatch(r.all, /internal error/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ui --help lists the HelmRelease flags', async () => {
  const r = await runCli(['ui', '--help']);
  assert.equal(r.code, 0);
  for (const f of ['--chart-source', '--chart-cache', '--no-helm', '--kube-version', '--values-from'])
    assert.ok(r.out.includes(f), f);
});

test("ui: the HelmRelease flags are checked like build's (bad --kube-version, --no-helm with --chart-source): exit 2", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-ui-flags-'));
  try {
    const a = await runCli([
      'ui',
      dir,
      '--port',
      '0',
      '--no-helm',
      '--chart-source',
      `HelmRepository/flux-system/x=${dir}`,
    ]);
    assert.equal(a.code, 2, a.all);
    assert.match(a.err, /--no-helm cannot be used with --chart-source, --chart-cache/);
    const b = await runCli(['ui', dir, '--port', '0', '--kube-version', 'banana']);
    assert.equal(b.code, 2, b.all);
    assert.doesNotMatch(b.all, /internal error/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
