/**
 * infra/az/<cluster>.sh, run with bash against a stub `az` (and `kubectl`/`flux` stubs; real
 * kubectl for the client-side manifests): on an empty subscription it creates every resource
 * of the plan once; when everything exists it creates nothing (show || create), which is what
 * makes it safe to re-run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFleet } from '../../src/spec/load.js';
import { generateInfra, clusterPlan } from '../../src/generators/infra/index.js';
import { FLEET_TEXTS } from './fixtures.js';
import { oracle } from '../oracles/index.js';

// The real kubectl (client side only) from the oracle toolbox: never a hand-installed one.
const kubectl = oracle('kubectl-1.35');
const skip = kubectl.skip;

// EXISTS=1: every `show` succeeds and role assignments are found; EXISTS=0: nothing exists yet.
const AZ = `#!/usr/bin/env bash
set -euo pipefail
echo "az $*" >> "$RECORD"
query=""; prev=""
for a in "$@"; do [ "$prev" = "--query" ] && query="$a"; prev="$a"; done
case "$*" in
  "account show"*) [ "$query" = "tenantId" ] && echo "tenant-guid" || echo "sub-guid" ;;
  "role assignment list"*) [ "$EXISTS" = 1 ] && echo "/existing/assignment" || true ;;
  "aks command invoke"*) if [ -n "$query" ]; then [ "$EXISTS" = 1 ] && echo 0 || echo 1; fi ;;
  *" show "*|*" show") if [ -n "$query" ]; then echo "fake-$query"; else [ "$EXISTS" = 1 ]; fi ;;
  *) ;;
esac
`;
const KUBECTL_STUB = (real: string) => `#!/usr/bin/env bash
set -euo pipefail
echo "kubectl $*" >> "$RECORD"
case " $* " in
  *" get "*) [ "$EXISTS" = 1 ] ;;
  *" apply "*) cat > /dev/null ;;
  *) exec ${real} "$@" ;;
esac
`;
const FLUX = `#!/usr/bin/env bash
echo "flux $*" >> "$RECORD"
`;

function run(script: string, root: string, exists: boolean, status = 0): string[] {
  const record = join(root, `calls-${exists ? 1 : 0}.log`);
  writeFileSync(record, '');
  const r = spawnSync('bash', [script], {
    encoding: 'utf8',
    env: {
      PATH: `${join(root, 'bin')}:/usr/bin:/bin`,
      RECORD: record,
      EXISTS: exists ? '1' : '0',
      HOME: root,
      WINDOWS_ADMIN_PASSWORD: 'x',
    },
  });
  assert.equal(r.status, status, r.stderr);
  if (status !== 0) assert.match(r.stderr, /created by the Bicep deployment only/);
  return readFileSync(record, 'utf8').trim().split('\n');
}

for (const [mode, text] of FLEET_TEXTS) {
  test(`${mode}: az scripts create every planned resource once, and nothing when it exists`, { skip }, () => {
    const fleet = parseFleet(text, 'fleet.yaml');
    const files = generateInfra(fleet);
    const root = mkdtempSync(join(tmpdir(), 'aksfleet-az-'));
    try {
      mkdirSync(join(root, 'bin'));
      for (const [n, body] of [
        ['az', AZ],
        ['kubectl', KUBECTL_STUB(kubectl.path)],
        ['flux', FLUX],
      ] as const) {
        writeFileSync(join(root, 'bin', n), body);
        chmodSync(join(root, 'bin', n), 0o755);
      }
      for (const c of fleet.spec.clusters) {
        const plan = clusterPlan(fleet, c);
        const script = join(root, `${c.name}.sh`);
        writeFileSync(script, files.find((f) => f.path === `infra/az/${c.name}.sh`)!.content);
        if (c.network.vnet?.firewallSubnet) {
          // The Azure Firewall is Bicep only: the script says so and stops before creating anything.
          assert.deepEqual(
            run(script, root, false, 1).filter((l) => /\b(create|add|update)\b/.test(l)),
            [],
            `${c.name}: stops before creating`,
          );
          continue;
        }
        const fresh = run(script, root, false);
        const count = (re: RegExp, lines: string[]) => lines.filter((l) => re.test(l)).length;
        // Our VNet: the control plane identity (user-assigned) and its Network Contributor roles (VNet, NAT gateway).
        const ownNet = c.network.vnet ? 1 : 0;
        const netRoles = ownNet + (c.network.vnet && c.egress.type === 'userAssignedNATGateway' ? 1 : 0);
        if (c.network.vnet) assert.equal(count(/^az network vnet create /, fresh), 1, `${c.name}: vnet`);
        if (c.egress.type === 'userAssignedNATGateway') {
          assert.equal(count(/^az network nat gateway create /, fresh), 1);
          assert.equal(count(/^az network public-ip create /, fresh), c.egress.natGatewayIps);
        }
        const pes = plan.backupStorage ? 3 : 2;
        const pl = plan.environment.privateLink ?? plan.environment.production;
        assert.equal(
          count(/^az network private-endpoint create /, fresh),
          pl ? pes : 0,
          `${c.name}: private endpoints`,
        );
        assert.equal(count(/^az network private-dns link vnet create /, fresh), pl ? pes : 0, `${c.name}: DNS links`);
        assert.equal(
          count(/^az network private-endpoint dns-zone-group create /, fresh),
          pl ? pes : 0,
          `${c.name}: zone groups`,
        );
        assert.equal(count(/^az aks create /, fresh), 1, `${c.name}: aks create`);
        assert.equal(count(/^az aks nodepool add /, fresh), c.userPools.length);
        const windows = [c.upgrade.clusterWindow, c.upgrade.nodeOsWindow].filter(Boolean).length;
        assert.equal(count(/^az aks maintenanceconfiguration add /, fresh), windows);
        assert.equal(count(/^az identity create /, fresh), plan.identities.length + ownNet);
        assert.equal(count(/^az identity federated-credential create /, fresh), plan.identities.length);
        for (const i of plan.identities)
          assert.equal(
            count(
              new RegExp(
                `federated-credential create .*--name ${i.credentialName} ` +
                  `--issuer fake-oidcIssuerProfile\\.issuerUrl --subject ${i.subject} ` +
                  `--audiences api://AzureADTokenExchange`,
              ),
              fresh,
            ),
            1,
            i.subject,
          );
        assert.equal(count(/^az role assignment create /, fresh), plan.roles.length + netRoles);
        assert.equal(
          count(
            /^az role assignment create --assignee-object-id fake-identityProfile\.kubeletidentity\.objectId .*--role 7f951dda-4ed3-4680-a7ca-43fe172d538d /,
            fresh,
          ),
          1,
          'AcrPull to the kubelet identity',
        );
        // A private cluster gets Flux through az aks command invoke (manifests exported here), a public one flux
        // bootstrap.
        if (fleet.spec.gitops.mode === 'bootstrap' && c.apiServer.private) {
          assert.equal(count(/^flux install --export/, fresh), 1);
          assert.equal(count(/^flux create kustomization flux-system .*--path \.\/clusters\//, fresh), 1);
          assert.equal(count(/^az aks command invoke .*--file flux\.yaml --file sync\.yaml/, fresh), 1);
        } else if (fleet.spec.gitops.mode === 'bootstrap') assert.equal(count(/^flux bootstrap /, fresh), 1);
        else assert.equal(count(/^az k8s-configuration flux create /, fresh), 1);
        assert.ok(count(/^az (aks create|acr create|keyvault create) /, fresh) >= 1);

        const again = run(script, root, true);
        const creates = again.filter((l) =>
          /^az \S+( \S+)? (create|add)\b|^az (k8s-configuration flux|k8s-extension|identity federated-credential) create|^flux (bootstrap|install)|--file flux\.yaml/.test(
            l,
          ),
        );
        assert.deepEqual(creates, [], `${c.name}: re-run creates nothing`);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}
