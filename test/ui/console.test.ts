/**
 * The console in a real browser: Debian's Chromium driven by playwright-core. Opens each view,
 * clicks cluster -> Kustomization -> object, asserts what is shown, saves screenshots to
 * test-artifacts/console/. Skipped (with the reason) where Chromium is not installed.
 */
import { CHROMIUM_SKIP, openPage } from './chromium.js';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { startConsole } from '../../src/ui/server.js';
import { buildConsoleModel } from '../../src/ui/build-model.js';
import { promotionPreviews, sloSummaries, upgradePlanProvider } from '../../src/ui/providers.js';
import { main } from '../../src/cli/main.js';
import { loadFleet } from '../../src/spec/load.js';
import { git } from '../../src/git/git.js';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createSession, type Session } from '../../src/session/session.js';
import { tmpdir } from 'node:os';

const artifacts = join(PACKAGE_ROOT, 'test-artifacts', 'console');

let server: Server;
let base: string;
let repoRoot: string;
const session: Session = createSession();

/** The example fleet as `npm start` makes it, plus one change on env/dev waiting for promotion. */
async function exampleRepo(): Promise<string> {
  const cwd = mkdtempSync(join(tmpdir(), 'aksfleet-ui-'));
  const io = { out: () => {}, err: () => {}, color: false, cwd, env: {} };
  await main(['demo'], io);
  const repo = join(cwd, 'aksfleet-demo');
  // without the demo's own release on env/dev: the change below is the one
  git(repo, ['branch', '-f', 'env/dev', 'env/qa']);
  git(repo, ['checkout', '-q', 'env/dev']);
  const f = join(repo, 'workloads/base/app/api/deployment.yaml');
  writeFileSync(
    f,
    readFileSync(f, 'utf8').replace('acrprod123.azurecr.io/api:1.2.3', 'acrprod123.azurecr.io/api:1.2.4'),
  );
  git(repo, ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-am', 'api 1.2.4']);
  return repo;
}

before(async () => {
  const repo = await exampleRepo();
  repoRoot = repo;
  const model = buildConsoleModel({
    root: repo,
    isGit: true,
    session,
    fleet: loadFleet(join(repo, 'fleet.yaml')),
    promotions: promotionPreviews,
    upgrade: upgradePlanProvider({ today: '2026-11-25' }),
    slos: sloSummaries,
  });
  server = await startConsole({ model, port: 0 });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

test("one render per cluster and view: the check, the views and the upgrade planner share the working tree's; each preview side once", () => {
  const entries = session.renders.entries();
  assert.deepEqual(
    entries.filter((e) => e.view === repoRoot).map((e) => `${e.path} ${e.count}`),
    ['clusters/aks-dev 1', 'clusters/aks-prod 1', 'clusters/aks-qa 1'],
  );
  // The dev -> qa preview renders qa's cluster on env/qa and on the merge: two git views, once each.
  const previews = entries.filter((e) => e.view !== repoRoot);
  assert.deepEqual(
    previews.map((e) => `${e.path} ${e.count}`),
    ['clusters/aks-qa 1', 'clusters/aks-qa 1'],
  );
  assert.ok(
    previews.every((e) => /@[0-9a-f]{12}$/.test(e.view)),
    previews.map((e) => e.view).join(', '),
  );
});

test('SLOs: each with its three alerts, found by labels, and rendered on every cluster the spec places it on', async () => {
  const r = await get('/api/slos', { host: `127.0.0.1:${new URL(base).port}` });
  assert.equal(r.status, 200);
  const slos = JSON.parse(r.body) as {
    name: string;
    clusters: string[];
    renderedOn: string[];
    alerts: { name: string }[];
  }[];
  assert.deepEqual(
    slos.map((s) => s.name),
    ['api-availability', 'api-latency'],
  );
  for (const s of slos) {
    assert.deepEqual(
      s.alerts.map((a) => a.name),
      ['SLOErrorBudgetFastBurn', 'SLOErrorBudgetSlowBurn', 'SLOMetricAbsent'],
      s.name,
    );
    assert.deepEqual([...s.renderedOn].sort(), [...s.clusters].sort(), s.name);
  }
});

/** A raw HTTP GET with chosen headers (fetch would not let us forge Host). */
function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
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
  assert.equal(
    (await get('/api/fleet', { host: `127.0.0.1:${new URL(base).port}`, origin: 'http://attacker.example' })).status,
    403,
  );
  const ok = await get('/', { host: `localhost:${new URL(base).port}` });
  assert.equal(ok.status, 200);
  assert.match(String(ok.headers['content-security-policy']), /default-src 'none'; script-src 'self'/);
  for (const p of [
    '/../../../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/api/source?file=../../../../etc/passwd',
    '/api/source?file=/etc/passwd',
    '/ui/../package.json',
    '/app.js/../../package.json',
  ]) {
    const r = await get(p, { host: `127.0.0.1:${new URL(base).port}` });
    assert.notEqual(r.status, 200, p);
    assert.ok(!r.body.includes('root:x:0:0'), p);
  }
  // A file the build did read is served.
  const src = await get('/api/source?file=clusters%2Faks-prod%2Faksfleet%2Fworkloads.yaml', {
    host: `127.0.0.1:${new URL(base).port}`,
  });
  assert.equal(src.status, 200);
  assert.match(JSON.parse(src.body).text, /kind: Kustomization/);
});

test('views in Chromium: fleet -> cluster -> Kustomization -> object, findings, promotion, upgrades, SLOs', {
  skip: CHROMIUM_SKIP,
}, async (t) => {
  mkdirSync(artifacts, { recursive: true });
  const { browser, page, errors } = await openPage();
  try {
    const t0 = Date.now();
    await page.goto(`${base}/#/`);
    await page.getByRole('heading', { name: /Fleet contoso/ }).waitFor();
    t.diagnostic(`fleet overview shown ${Date.now() - t0} ms after navigation (model built at start-up)`);
    assert.equal(await page.locator('a.card').count(), 3);
    assert.deepEqual(await page.locator('section.env h2').allTextContents(), ['dev', 'qa', 'prod']);
    await page.screenshot({ path: join(artifacts, '1-overview.png'), fullPage: true });

    await page.getByRole('link', { name: 'Cluster aks-prod' }).click();
    await page.getByRole('heading', { name: /Cluster aks-prod/ }).waitFor();
    const nodes = page.locator('svg.graph a.node');
    assert.equal(await nodes.count(), 4, 'the graph draws the four Flux Kustomizations');
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
    assert.match(
      yaml ?? '',
      new RegExp(
        `name: ${firstId
          .split('/')
          .pop()!
          .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
      ),
    );
    await page.getByRole('heading', { name: /^Source / }).waitFor();
    await page.screenshot({ path: join(artifacts, '3-object.png'), fullPage: true });

    const nav = (name: string) => page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name }).click();
    await nav('Findings');
    await page.getByRole('heading', { name: /^Findings/ }).waitFor();
    const all = await page.locator('#f-rows tr').count();
    await page.getByLabel('Severity').selectOption('info');
    const infos = await page.locator('#f-rows tr td.sev-info').count();
    assert.ok(infos > 0 && infos <= all, 'the severity filter narrows the findings');
    await page.screenshot({ path: join(artifacts, '4-findings.png'), fullPage: true });

    await nav('Promotion');
    await page.getByRole('heading', { name: /^Promotion/ }).waitFor();
    const devToQa = page.locator('section.panel', { hasText: 'dev → qa' });
    await devToQa.getByText('acrprod123.azurecr.io/api:1.2.3 → acrprod123.azurecr.io/api:1.2.4').first().waitFor();
    await page.screenshot({ path: join(artifacts, '5-promotion.png'), fullPage: true });

    await nav('Upgrades');
    await page.getByRole('heading', { name: /^Upgrade plan/ }).waitFor();
    assert.ok((await page.locator('section.ring').count()) >= 1, 'the plan is drawn ring by ring');
    await page.screenshot({ path: join(artifacts, '6-upgrades.png'), fullPage: true });

    await nav('SLOs');
    await page.getByRole('heading', { name: /^Service level objectives/ }).waitFor();
    await page.getByRole('cell', { name: 'api-availability' }).waitFor();
    assert.equal(await page.getByText('(not rendered)').count(), 0, 'every SLO is rendered where the spec places it');
    await page.screenshot({ path: join(artifacts, '7-slos.png'), fullPage: true });
    assert.deepEqual(errors, [], 'no errors in the page');
  } finally {
    await browser.close();
  }
});
