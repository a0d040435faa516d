/**
 * The console in a real browser: Debian's Chromium driven by playwright-core. Opens each view,
 * clicks cluster -> Kustomization -> object, asserts what is shown, saves screenshots to
 * test-artifacts/console/. Skipped (with the reason) where Chromium is not installed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { startConsole } from '../../src/ui/server.js';
import { buildConsoleModel } from '../../src/ui/build-model.js';
import { sloSummaries } from '../../src/ui/providers.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const repo = join(PACKAGE_ROOT, '..', 'shared', 'corpus', 'fluxcd+flux2-multi-tenancy');
const artifacts = join(PACKAGE_ROOT, 'test-artifacts', 'console');

let server: Server;
let base: string;

before(async () => {
  const model = buildConsoleModel({ root: repo, isGit: false, slos: sloSummaries });
  server = await startConsole({ model, port: 0 });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

/** A raw HTTP GET with chosen headers (fetch would not let us forge Host). */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: u.port, path, headers, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('security: foreign Host and Origin are refused, CSP is set, no traversal through any endpoint', async () => {
  assert.equal((await get('/api/fleet', { host: 'attacker.example:80' })).status, 403);
  assert.equal((await get('/api/fleet', { host: `127.0.0.1:${new URL(base).port}`, origin: 'http://attacker.example' })).status, 403);
  const ok = await get('/', { host: `localhost:${new URL(base).port}` });
  assert.equal(ok.status, 200);
  assert.match(String(ok.headers['content-security-policy']), /default-src 'none'; script-src 'self'/);
  for (const p of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/api/source?file=../../../../etc/passwd', '/api/source?file=/etc/passwd', '/ui/../package.json', '/app.js/../../package.json']) {
    const r = await get(p, { host: `127.0.0.1:${new URL(base).port}` });
    assert.notEqual(r.status, 200, p);
    assert.ok(!r.body.includes('root:x:0:0'), p);
  }
  // A file the build did read is served.
  const src = await get('/api/source?file=clusters%2Fproduction%2Ftenants.yaml', { host: `127.0.0.1:${new URL(base).port}` });
  assert.equal(src.status, 200);
  assert.match(JSON.parse(src.body).text, /kind: Kustomization/);
});

test('views in Chromium: fleet -> cluster -> Kustomization -> object, findings, promotion, upgrades, SLOs', { skip: !CHROMIUM && 'chromium is not installed (apt-get install chromium)' }, async () => {
  const { chromium } = await import('playwright-core');
  mkdirSync(artifacts, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${base}/#/`);
    await page.getByRole('heading', { name: /Fleet fluxcd\+flux2-multi-tenancy/ }).waitFor();
    assert.equal(await page.locator('a.card').count(), 2);
    await page.screenshot({ path: join(artifacts, '1-overview.png'), fullPage: true });

    await page.getByRole('link', { name: 'Cluster production' }).click();
    await page.getByRole('heading', { name: /Cluster production/ }).waitFor();
    const nodes = page.locator('svg.graph a.node');
    assert.ok((await nodes.count()) >= 3, 'the graph draws the Kustomizations');
    await page.screenshot({ path: join(artifacts, '2-cluster.png'), fullPage: true });

    // Keyboard: the graph nodes are links reachable by Tab and labelled.
    const tenants = page.getByRole('link', { name: /Kustomization flux-system\/tenants: \d+ objects/ });
    await tenants.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'flux-system/tenants' }).waitFor();
    const objects = page.locator('table[aria-label="Objects of tenants"] a[data-object]');
    assert.ok((await objects.count()) > 0);
    const firstId = (await objects.first().getAttribute('data-object'))!;
    await objects.first().click();
    await page.locator('#object-yaml').waitFor();
    const yaml = await page.locator('#object-yaml').textContent();
    assert.match(yaml ?? '', new RegExp(`name: ${firstId.split('/').pop()!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    await page.getByRole('heading', { name: /^Source / }).waitFor();
    await page.screenshot({ path: join(artifacts, '3-object.png'), fullPage: true });

    for (const [nav, heading, shot] of [
      ['Findings', /^Findings/, '4-findings.png'],
      ['Promotion', /^Promotion/, '5-promotion.png'],
      ['Upgrades', /^Upgrade plan/, '6-upgrades.png'],
      ['SLOs', /^Service level objectives/, '7-slos.png'],
    ] as const) {
      await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: nav }).click();
      await page.getByRole('heading', { name: heading }).waitFor();
      await page.screenshot({ path: join(artifacts, shot), fullPage: true });
    }
    assert.deepEqual(errors, [], 'no errors in the page');
  } finally {
    await browser.close();
  }
});
