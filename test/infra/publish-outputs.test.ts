/**
 * publish-outputs.sh, run for real with bash and the real kubectl (client-side dry run makes the
 * manifests); `az` is a stub that answers `az deployment group show --query
 * properties.outputs.<KEY>.value` and records `az aks command invoke`, and `kubectl apply`
 * records what it was given. The ConfigMap that reaches the cluster must be aksfleet-outputs
 * in flux-system with exactly the deployment's outputs as keys: for a public cluster through
 * kubectl, for a private one through `az aks command invoke`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFleet } from '../../src/spec/load.js';
import { generateInfra, clusterPlan } from '../../src/generators/infra/index.js';
import { OUTPUTS_CONFIGMAP } from '../../src/model/fleet-model.js';
import { parseYamlDocuments } from '../../src/yaml/parse.js';
import { EXAMPLE } from './fixtures.js';
import { oracle } from '../oracles/index.js';

// The real kubectl (client side only) from the oracle toolbox: never a hand-installed one.
const kubectl = oracle('kubectl-1.35');
const skip = kubectl.skip;

const AZ_STUB = `#!/usr/bin/env bash
set -euo pipefail
echo "az $*" >> "$RECORD/calls.log"
case "$*" in
  "deployment group show"*)
    q=""; prev=""
    for a in "$@"; do [ "$prev" = "--query" ] && q="$a"; prev="$a"; done
    key="\${q#properties.outputs.}"; key="\${key%.value}"
    echo "value-of-$key" ;;
  "aks get-credentials"*) ;;
  "aks command invoke"*) cp ./*.yaml "$RECORD/" ;;
  *) echo "unexpected az call: $*" >&2; exit 1 ;;
esac
`;
const KUBECTL_STUB = (real: string) => `#!/usr/bin/env bash
set -euo pipefail
if [ "$1" = "apply" ]; then cat >> "$RECORD/applied.yaml"; echo "---" >> "$RECORD/applied.yaml"; exit 0; fi
exec ${real} "$@"
`;

test('publish-outputs.sh writes the deployment outputs into the aksfleet-outputs ConfigMap', { skip }, () => {
  const fleet = parseFleet(EXAMPLE, 'fleet.yaml');
  const files = generateInfra(fleet);
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-publish-'));
  try {
    const bin = join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'az'), AZ_STUB);
    writeFileSync(join(bin, 'kubectl'), KUBECTL_STUB(kubectl.path));
    chmodSync(join(bin, 'az'), 0o755);
    chmodSync(join(bin, 'kubectl'), 0o755);
    for (const c of fleet.spec.clusters) {
      const plan = clusterPlan(fleet, c);
      const record = join(root, c.name);
      mkdirSync(record);
      const script = join(record, 'publish-outputs.sh');
      writeFileSync(script, files.find((f) => f.path === `infra/clusters/${c.name}/publish-outputs.sh`)!.content);
      const r = spawnSync('bash', [script], {
        encoding: 'utf8',
        env: { PATH: `${bin}:/usr/bin:/bin`, RECORD: record, HOME: root, KUBECONFIG: join(root, 'none') },
      });
      assert.equal(r.status, 0, r.stderr);
      assert.match(
        r.stdout,
        new RegExp(`ConfigMap flux-system/${OUTPUTS_CONFIGMAP} on ${c.name}: ${plan.outputNames.length} keys`),
      );
      const calls = readFileSync(join(record, 'calls.log'), 'utf8');
      let manifests: string;
      if (c.apiServer.private) {
        assert.match(
          calls,
          /az aks command invoke --resource-group rg-aks-prod --name aks-prod --command kubectl apply -f namespace\.yaml && kubectl apply -f configmap\.yaml --file \./,
        );
        assert.doesNotMatch(calls, /get-credentials/);
        manifests = ['namespace.yaml', 'configmap.yaml']
          .map((f) => readFileSync(join(record, f), 'utf8'))
          .join('---\n');
      } else {
        assert.match(calls, new RegExp(`az aks get-credentials --resource-group ${c.resourceGroup} --name ${c.name}`));
        manifests = readFileSync(join(record, 'applied.yaml'), 'utf8');
      }
      const objs = parseYamlDocuments(manifests, 'applied')
        .map(
          (d) =>
            d.value as { kind: string; metadata: { name: string; namespace?: string }; data?: Record<string, string> },
        )
        .filter(Boolean);
      assert.deepEqual(
        objs.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`),
        ['Namespace//flux-system', `ConfigMap/flux-system/${OUTPUTS_CONFIGMAP}`],
      );
      const data = objs[1]!.data!;
      assert.deepEqual(Object.keys(data).sort(), [...plan.outputNames].sort());
      for (const k of plan.outputNames) assert.equal(data[k], `value-of-${k}`);
      assert.equal(
        calls.split('\n').filter((l) => l.startsWith('az deployment group show')).length,
        plan.outputNames.length,
      );
      assert.ok(readdirSync(record).length >= 2);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
