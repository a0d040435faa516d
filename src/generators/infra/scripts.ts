/**
 * Scripts: infra/az/<cluster>.sh (the same cluster with az CLI commands, idempotent where az
 * allows: show || create) and infra/clusters/<cluster>/publish-outputs.sh (deployment outputs ->
 * the OUTPUTS_CONFIGMAP ConfigMap in flux-system).
 */
import { OUTPUTS_CONFIGMAP, OUTPUT_VARS } from '../../model/fleet-model.js';
import type { Fleet, NodePool } from '../../spec/schema.js';
import type { GeneratedFile } from '../types.js';
import { shComment } from '../shell.js';
import { GENERATED, shq } from './common.js';
import { FLUX_CONFIGURATION_NAME, clusterKustomizations } from './flux.js';
import { TOKEN_EXCHANGE_AUDIENCE } from './identity.js';
import { deploymentName, infraDir } from './main.js';
import type { ClusterPlan, ScopeRef } from './plan.js';
import { azureBackupOn } from '../../spec/backup.js';
import { hubOf } from '../../spec/network.js';
import {
  azClusterNetworkFlags,
  azEgressIpsLiteral,
  azNetwork,
  azPrivateEndpoints,
  azSharedAccess,
  azUnsupported,
} from './network-az.js';

const FLUX_NS = 'flux-system';

/** Shell code that writes the ConfigMap from KEY=VALUE pairs in the array `literals`. */
function applyConfigMap(privateCluster: boolean): string[] {
  const make =
    `kubectl create configmap ${OUTPUTS_CONFIGMAP} ` +
    `--namespace ${FLUX_NS} "\${literals[@]}" --dry-run=client -o yaml`;
  if (!privateCluster)
    return [
      'az aks get-credentials --resource-group "$RG" --name "$CLUSTER" --overwrite-existing --only-show-errors',
      `kubectl create namespace ${FLUX_NS} --dry-run=client -o yaml | kubectl apply -f -`,
      `${make} | kubectl apply -f -`,
    ];
  return [
    '# Private cluster: the API server is not reachable from here; run kubectl inside it.',
    'manifest="$(mktemp -d)"',
    `trap 'rm -rf "$manifest"' EXIT`,
    `kubectl create namespace ${FLUX_NS} --dry-run=client -o yaml > "$manifest/namespace.yaml"`,
    `${make} > "$manifest/configmap.yaml"`,
    '(cd "$manifest" && az aks command invoke --resource-group "$RG" --name "$CLUSTER" \\',
    '  --command "kubectl apply -f namespace.yaml && kubectl apply -f configmap.yaml" --file .)',
  ];
}

export function publishOutputsScript(plan: ClusterPlan): GeneratedFile {
  const c = plan.cluster;
  const lines = [
    '#!/usr/bin/env bash',
    `# ${GENERATED}`,
    shComment(`Publishes the outputs of deployment ${deploymentName(c)} (infra/clusters/${c.name}/main.bicep) as the`),
    shComment(
      `ConfigMap ${OUTPUTS_CONFIGMAP} in ${FLUX_NS} on cluster ${c.name}: each output is one key, and the Flux`,
    ),
    '# Kustomizations read them through postBuild.substituteFrom. Run it after every deployment.',
    '# Usage: ./publish-outputs.sh [deployment-name]',
    'set -euo pipefail',
    '',
    `RG=${shq(c.resourceGroup)}`,
    `CLUSTER=${shq(c.name)}`,
    `DEPLOYMENT=${shq(deploymentName(c))}`,
    'if [ -n "${1:-}" ]; then DEPLOYMENT="$1"; fi',
    '',
    'literals=()',
    `for key in ${plan.outputNames.map(shq).join(' ')}; do`,
    '  value="$(az deployment group show --resource-group "$RG" ' +
      '--name "$DEPLOYMENT" --query "properties.outputs.${key}.value" --output tsv)"',
    '  if [ -z "$value" ]; then',
    '    echo "deployment $DEPLOYMENT has no output $key" >&2',
    '    exit 1',
    '  fi',
    '  literals+=("--from-literal=${key}=${value}")',
    'done',
    '',
    ...applyConfigMap(c.apiServer.private),
    `echo "ConfigMap ${FLUX_NS}/${OUTPUTS_CONFIGMAP} on $CLUSTER: \${#literals[@]} keys"`,
    '',
  ];
  return { path: `${infraDir(c)}/publish-outputs.sh`, content: lines.join('\n'), executable: true };
}

function poolFlags(pool: NodePool, clusterVersion: string): string[] {
  const f = [`--node-vm-size ${shq(pool.vmSize)}`, `--node-count ${pool.count}`];
  if (pool.autoscale)
    f.push('--enable-cluster-autoscaler', `--min-count ${pool.autoscale.min}`, `--max-count ${pool.autoscale.max}`);
  if (pool.zones.length) f.push(`--zones ${pool.zones.join(' ')}`);
  if (pool.osSku) f.push(`--os-sku ${pool.osSku}`);
  if (pool.orchestratorVersion && pool.orchestratorVersion !== clusterVersion)
    f.push(`--kubernetes-version ${shq(pool.orchestratorVersion)}`);
  return f;
}

/**
 * The scope's resource ID as one shell word; `subscriptionVar` (e.g. `"$SUBSCRIPTION"`) stands in for a missing
 * subscription.
 */
function scopeIdShell(s: ScopeRef, subscriptionVar: string): string {
  let rest = `/resourceGroups/${s.resourceGroup}`;
  if (s.type) {
    const [ns, ...types] = s.type.split('/');
    const names = s.name!.split('/');
    rest += `/providers/${ns}/${types.map((t, i) => `${t}/${names[i]}`).join('/')}`;
  }
  return s.subscriptionId
    ? shq(`/subscriptions/${s.subscriptionId}${rest}`)
    : `/subscriptions/${subscriptionVar}${shq(rest)}`;
}

/**
 * Flux on a private cluster without a network path to its API server: the manifests are built here
 * (`flux install --export`, `flux create ... --export`) and applied inside the cluster through
 * `az aks command invoke` (infra/README.md says why). Reuses the "$manifest" folder of applyConfigMap.
 */
function privateFluxInstall(fleet: Fleet, plan: ClusterPlan): string[] {
  const c = plan.cluster;
  const git = fleet.spec.git;
  const invoke = (command: string) =>
    `az aks command invoke --resource-group "$RG" --name "$CLUSTER" --command ${shq(command)}`;
  return [
    shComment(
      `GitOps on a private cluster: Flux installed through az aks command invoke, ` +
        `reconciling clusters/${c.name} on ${plan.environment.branch}.`,
    ),
    '# Private repositories: export GIT_TOKEN (a read token) first; it becomes the flux-system Secret.',
    `flux_ready="$(${invoke('kubectl -n flux-system get kustomization flux-system')} --query exitCode --output tsv)"`,
    'if [ "$flux_ready" != 0 ]; then',
    '  flux install --export > "$manifest/flux.yaml"',
    '  : > "$manifest/sync.yaml"',
    '  secret_ref=()',
    '  if [ -n "${GIT_TOKEN:-}" ]; then',
    `    flux create secret git flux-system --url ${shq(git.url)} ` +
      `--username git --password "$GIT_TOKEN" --export >> "$manifest/sync.yaml"`,
    '    secret_ref=(--secret-ref flux-system)',
    '  fi',
    `  flux create source git flux-system --url ${shq(git.url)} --branch ${shq(plan.environment.branch)} ` +
      `--interval ${shq(git.interval)} "\${secret_ref[@]}" --export >> "$manifest/sync.yaml"`,
    `  flux create kustomization flux-system --source GitRepository/flux-system ` +
      `--path ${shq(`./clusters/${c.name}`)} --prune true --interval ${shq(fleet.spec.gitops.interval)} ` +
      `--export >> "$manifest/sync.yaml"`,
    '  (cd "$manifest" && az aks command invoke --resource-group "$RG" --name "$CLUSTER" \\',
    "    --command 'kubectl apply -f flux.yaml && kubectl wait --for=condition=established " +
      '--timeout=2m crd/gitrepositories.source.toolkit.fluxcd.io ' +
      "crd/kustomizations.kustomize.toolkit.fluxcd.io && kubectl apply -f sync.yaml' \\",
    '    --file flux.yaml --file sync.yaml --output none)',
    'fi',
  ];
}

export function azScript(fleet: Fleet, plan: ClusterPlan): GeneratedFile {
  const c = plan.cluster;
  const n = c.network;
  const e = c.egress;
  const sp = c.systemPool;
  const L: string[] = [];
  const sub = c.subscriptionId ? shq(c.subscriptionId) : '"$(az account show --query id --output tsv)"';
  L.push(
    '#!/usr/bin/env bash',
    `# ${GENERATED}`,
    shComment(`Cluster ${c.name} (environment ${c.environment}) with az CLI commands: the same resources as`),
    shComment(`infra/clusters/${c.name}/main.bicep. Safe to re-run: existing resources are shown, not re-created`),
    '# (settings of an existing cluster are not changed: use the Bicep deployment for drift).',
    '# Needs: az (with the k8s-extension and amg extensions for Flux extension mode / Grafana), kubectl.',
    'set -euo pipefail',
    '',
  );
  const unsupported = azUnsupported(plan, azureBackupOn(fleet), hubOf(fleet)?.kind);
  if (unsupported.length)
    return { path: `infra/az/${c.name}.sh`, content: [...L, ...unsupported].join('\n'), executable: true };
  if (c.subscriptionId) L.push(`az account set --subscription ${shq(c.subscriptionId)}`);
  L.push(
    `SUBSCRIPTION=${sub}`,
    `RG=${shq(c.resourceGroup)}`,
    `LOCATION=${shq(c.location)}`,
    `CLUSTER=${shq(c.name)}`,
    `REGISTRY=${shq(plan.registry.name)}`,
    `REGISTRY_RG=${shq(plan.registry.resourceGroup)}`,
    `KEY_VAULT=${shq(plan.keyVault.name)}`,
    `KEY_VAULT_RG=${shq(plan.keyVault.resourceGroup)}`,
    `TAGS=(fleet=${shq(fleet.metadata.name)} environment=${shq(c.environment)} ` +
      `cluster=${shq(c.name)} managed-by=aksfleet)`,
    '',
    '# grant ROLE_ID PRINCIPAL_OBJECT_ID SCOPE: a role assignment, unless it exists',
    'grant() {',
    '  if [ -z "$(az role assignment list --assignee "$2" ' +
      '--role "$1" --scope "$3" --query "[0].id" --output tsv)" ]; then',
    '    az role assignment create --assignee-object-id "$2" ' +
      '--assignee-principal-type ServicePrincipal --role "$1" --scope "$3" --output none',
    '  fi',
    '}',
    '',
    '# Resource groups',
    'for group in "$RG" "$REGISTRY_RG" "$KEY_VAULT_RG"; do',
    '  az group show --name "$group" --output none 2>/dev/null || az group create ' +
      '--name "$group" --location "$LOCATION" --tags "${TAGS[@]}" --output none',
    'done',
    '',
    '# Shared: registry (no admin user) and Key Vault (RBAC authorization)',
    `az acr show --name "$REGISTRY" --resource-group "$REGISTRY_RG" ` +
      `--output none 2>/dev/null || az acr create --name "$REGISTRY" ` +
      `--resource-group "$REGISTRY_RG" --sku ${fleet.spec.registry.sku} --admin-enabled false --output none`,
    'az keyvault show --name "$KEY_VAULT" --resource-group "$KEY_VAULT_RG" ' +
      '--output none 2>/dev/null || az keyvault create --name "$KEY_VAULT" --resource-group "$KEY_VAULT_RG" ' +
      '--location "$LOCATION" --enable-rbac-authorization true --enable-purge-protection true ' +
      '--retention-days 90 --output none',
  );
  if (plan.backupStorage) {
    const b = plan.backupStorage;
    L.push(
      `az storage account show --name ${shq(b.name)} --resource-group ${shq(b.resourceGroup)} ` +
        `--output none 2>/dev/null || az storage account create --name ${shq(b.name)} ` +
        `--resource-group ${shq(b.resourceGroup)} --location "$LOCATION" --sku Standard_ZRS --kind StorageV2 ` +
        `--allow-blob-public-access false --allow-shared-key-access false --min-tls-version TLS1_2 --output none`,
      `az storage container show --name ${shq(b.container)} --account-name ${shq(b.name)} ` +
        `--auth-mode login --output none 2>/dev/null || az storage container create ` +
        `--name ${shq(b.container)} --account-name ${shq(b.name)} --auth-mode login --output none`,
    );
  }
  L.push(...azSharedAccess(fleet, plan), ...azNetwork(fleet, plan), ...azPrivateEndpoints(fleet, plan));
  L.push('', '# Monitoring');
  const mon = c.monitoring;
  const createFlags: string[] = [];
  if (mon.containerInsights) {
    L.push(
      `az monitor log-analytics workspace show --resource-group "$RG" --workspace-name "log-$CLUSTER" ` +
        `--output none 2>/dev/null || az monitor log-analytics workspace create --resource-group "$RG" ` +
        `--workspace-name "log-$CLUSTER" --location "$LOCATION" --retention-time ${mon.retentionDays} --output none`,
      'WORKSPACE_ID="$(az monitor log-analytics workspace show --resource-group "$RG" ' +
        '--workspace-name "log-$CLUSTER" --query id --output tsv)"',
    );
    createFlags.push(
      '--enable-addons monitoring',
      '--workspace-resource-id "$WORKSPACE_ID"',
      '--enable-msi-auth-for-monitoring true',
    );
  }
  if (mon.managedPrometheus) {
    L.push(
      'az monitor account show --name "amw-$CLUSTER" --resource-group "$RG" ' +
        '--output none 2>/dev/null || az monitor account create --name "amw-$CLUSTER" --resource-group "$RG" ' +
        '--location "$LOCATION" --output none',
      'MONITOR_WORKSPACE_ID="$(az monitor account show ' +
        '--name "amw-$CLUSTER" --resource-group "$RG" --query id --output tsv)"',
    );
    createFlags.push('--enable-azure-monitor-metrics', '--azure-monitor-workspace-resource-id "$MONITOR_WORKSPACE_ID"');
    if (mon.managedGrafana) {
      L.push(
        'GRAFANA="graf-$CLUSTER"',
        'GRAFANA="${GRAFANA:0:23}"',
        'az grafana show --name "$GRAFANA" --resource-group "$RG" --output none 2>/dev/null || az grafana create ' +
          '--name "$GRAFANA" --resource-group "$RG" --location "$LOCATION" --output none',
        'GRAFANA_ID="$(az grafana show --name "$GRAFANA" --resource-group "$RG" --query id --output tsv)"',
      );
      createFlags.push('--grafana-resource-id "$GRAFANA_ID"');
    }
  }
  // az aks create
  const f: string[] = [
    '--resource-group "$RG"',
    '--name "$CLUSTER"',
    '--location "$LOCATION"',
    `--kubernetes-version ${shq(c.kubernetesVersion)}`,
    `--tier ${c.tier.toLowerCase()}`,
    `--k8s-support-plan ${c.supportPlan}`,
    '--enable-managed-identity',
    '--enable-oidc-issuer',
    '--enable-workload-identity',
    '--enable-aad',
    '--network-plugin azure',
  ];
  if (n.plugin !== 'azure') f.push('--network-plugin-mode overlay');
  if (n.plugin !== 'azure' && n.podCidr) f.push(`--pod-cidr ${shq(n.podCidr)}`);
  if (n.plugin === 'cilium') f.push('--network-dataplane cilium');
  f.push(
    `--network-policy ${n.policy}`,
    `--service-cidr ${shq(n.serviceCidr)}`,
    `--dns-service-ip ${shq(n.dnsServiceIp)}`,
    `--outbound-type ${e.type}`,
  );
  if (e.type === 'managedNATGateway')
    f.push(
      `--nat-gateway-managed-outbound-ip-count ${e.natGatewayIps}`,
      `--nat-gateway-idle-timeout ${e.idleTimeoutMinutes}`,
    );
  if (e.type === 'loadBalancer') f.push(`--load-balancer-idle-timeout ${e.idleTimeoutMinutes}`);
  f.push(...azClusterNetworkFlags(plan));
  if (c.apiServer.private) f.push('--enable-private-cluster');
  else if (c.apiServer.authorizedIpRanges.length)
    f.push(`--api-server-authorized-ip-ranges ${shq(c.apiServer.authorizedIpRanges.join(','))}`);
  f.push(`--nodepool-name ${shq(sp.name)}`, ...poolFlags(sp, c.kubernetesVersion));
  if (sp.taints.length) f.push(`--nodepool-taints ${shq(sp.taints.join(','))}`);
  if (Object.keys(sp.labels).length)
    f.push(
      `--nodepool-labels ${Object.entries(sp.labels)
        .map(([k, v]) => shq(`${k}=${v}`))
        .join(' ')}`,
    );
  f.push(`--auto-upgrade-channel ${c.upgrade.channel}`, `--node-os-upgrade-channel ${c.upgrade.nodeOsChannel}`);
  const ap = c.autoscalerProfile;
  const cap: string[] = [];
  if (ap.scanInterval) cap.push(shq(`scan-interval=${ap.scanInterval}`));
  if (ap.maxEmptyBulkDelete !== undefined) cap.push(`max-empty-bulk-delete=${ap.maxEmptyBulkDelete}`);
  if (ap.scaleDownDelayAfterAdd) cap.push(shq(`scale-down-delay-after-add=${ap.scaleDownDelayAfterAdd}`));
  if (ap.scaleDownUnneededTime) cap.push(shq(`scale-down-unneeded-time=${ap.scaleDownUnneededTime}`));
  if (ap.expander) cap.push(`expander=${ap.expander}`);
  if (ap.balanceSimilarNodeGroups !== undefined) cap.push(`balance-similar-node-groups=${ap.balanceSimilarNodeGroups}`);
  if (cap.length) f.push(`--cluster-autoscaler-profile ${cap.join(' ')}`);
  f.push(...createFlags);
  if (c.userPools.some((p) => p.osType === 'Windows'))
    f.push('--windows-admin-username azureuser', '--windows-admin-password "$WINDOWS_ADMIN_PASSWORD"');
  f.push('--no-ssh-key', '--tags "${TAGS[@]}"', '--output none');
  L.push(
    '',
    '# The cluster: managed identity, OIDC issuer, workload identity, pinned version, system pool',
    'if ! az aks show --resource-group "$RG" --name "$CLUSTER" --output none 2>/dev/null; then',
    '  az aks create \\',
    ...f.map((x, i) => `    ${x}${i < f.length - 1 ? ' \\' : ''}`),
    'fi',
    `az aks nodepool update --resource-group "$RG" --cluster-name "$CLUSTER" ` +
      `--name ${shq(sp.name)} --max-surge ${shq(sp.maxSurge)} --output none`,
  );
  L.push('', '# User pools');
  for (const pool of c.userPools) {
    const pf = [
      `--resource-group "$RG"`,
      '--cluster-name "$CLUSTER"',
      `--name ${shq(pool.name)}`,
      `--mode ${pool.mode}`,
      `--os-type ${pool.osType}`,
      ...poolFlags(pool, c.kubernetesVersion),
      `--max-surge ${shq(pool.maxSurge)}`,
    ];
    pf.push(...azClusterNetworkFlags(plan).filter((x) => !x.startsWith('--assign-identity')));
    if (pool.taints.length) pf.push(`--node-taints ${shq(pool.taints.join(','))}`);
    if (Object.keys(pool.labels).length)
      pf.push(
        `--labels ${Object.entries(pool.labels)
          .map(([k, v]) => shq(`${k}=${v}`))
          .join(' ')}`,
      );
    pf.push('--output none');
    L.push(
      `if ! az aks nodepool show --resource-group "$RG" --cluster-name "$CLUSTER" ` +
        `--name ${shq(pool.name)} --output none 2>/dev/null; then`,
      '  az aks nodepool add \\',
      ...pf.map((x, i) => `    ${x}${i < pf.length - 1 ? ' \\' : ''}`),
      'fi',
    );
  }
  const windows: [string, Fleet['spec']['clusters'][number]['upgrade']['clusterWindow']][] = [
    ['aksManagedAutoUpgradeSchedule', c.upgrade.clusterWindow],
    ['aksManagedNodeOSUpgradeSchedule', c.upgrade.nodeOsWindow],
  ];
  if (windows.some(([, w]) => w)) L.push('', '# Planned maintenance windows');
  for (const [name, w] of windows) {
    if (!w) continue;
    const sched =
      w.schedule === 'daily'
        ? '--schedule-type Daily --interval-days 1'
        : `--schedule-type Weekly --interval-weeks 1 --day-of-week ${w.dayOfWeek}`;
    L.push(
      `az aks maintenanceconfiguration show --resource-group "$RG" ` +
        `--cluster-name "$CLUSTER" --name ${name} --output none 2>/dev/null || \\`,
      `  az aks maintenanceconfiguration add --resource-group "$RG" ` +
        `--cluster-name "$CLUSTER" --name ${name} ${sched} --start-time ${shq(w.startTime)} ` +
        `--duration ${w.durationHours} --utc-offset ${shq(w.utcOffset)} --output none`,
    );
  }
  L.push(
    '',
    '# Identities of the cluster',
    'OIDC_ISSUER="$(az aks show --resource-group "$RG" ' +
      '--name "$CLUSTER" --query oidcIssuerProfile.issuerUrl --output tsv)"',
    'KUBELET_OBJECT_ID="$(az aks show --resource-group "$RG" --name "$CLUSTER" ' +
      '--query identityProfile.kubeletidentity.objectId --output tsv)"',
    '',
    '# Workload identities: one user-assigned identity and one federated credential per service account',
    '# (issuer = this cluster, subject system:serviceaccount:<namespace>:<serviceAccount>).',
  );
  plan.identities.forEach((i, idx) => {
    L.push(
      shComment(`${i.name}: ${i.subject} (${i.owner})`),
      `az identity show --resource-group "$RG" --name ${shq(i.name)} --output none 2>/dev/null || az identity ` +
        `create --resource-group "$RG" --name ${shq(i.name)} --location "$LOCATION" --tags "\${TAGS[@]}" ` +
        `--output none`,
      `az identity federated-credential show --resource-group "$RG" --identity-name ${shq(i.name)} ` +
        `--name ${shq(i.credentialName)} --output none 2>/dev/null || \\`,
      `  az identity federated-credential create --resource-group "$RG" ` +
        `--identity-name ${shq(i.name)} --name ${shq(i.credentialName)} --issuer "$OIDC_ISSUER" ` +
        `--subject ${shq(i.subject)} --audiences ${TOKEN_EXCHANGE_AUDIENCE} --output none`,
      `IDENTITY_${idx}_CLIENT="$(az identity show --resource-group "$RG" ` +
        `--name ${shq(i.name)} --query clientId --output tsv)"`,
    );
    if (plan.roles.some((r) => r.principal.kind === 'identity' && r.principal.index === idx))
      L.push(
        `IDENTITY_${idx}_PRINCIPAL="$(az identity show --resource-group "$RG" ` +
          `--name ${shq(i.name)} --query principalId --output tsv)"`,
      );
  });
  L.push('', '# Role assignments');
  for (const r of plan.roles) {
    const principal =
      r.principal.kind === 'kubelet' ? '"$KUBELET_OBJECT_ID"' : `"$IDENTITY_${r.principal.index}_PRINCIPAL"`;
    L.push(
      shComment(`${r.role}: ${r.why}`),
      `grant ${shq(r.roleDefinitionId)} ${principal} ${scopeIdShell(r.scope, '"$SUBSCRIPTION"')}`,
    );
  }
  // Outputs -> ConfigMap (same keys as the Bicep outputs)
  L.push(
    '',
    `# The values Flux substitutes: ConfigMap ${OUTPUTS_CONFIGMAP} (same keys as the Bicep deployment outputs)`,
    'literals=(',
    `  "--from-literal=${OUTPUT_VARS.tenantId}=$(az account show --query tenantId --output tsv)"`,
    `  "--from-literal=${OUTPUT_VARS.oidcIssuer}=$OIDC_ISSUER"`,
    `  "--from-literal=${OUTPUT_VARS.keyVaultName}=$KEY_VAULT"`,
    `  "--from-literal=${OUTPUT_VARS.acrLoginServer}=$(az acr show --name "$REGISTRY" ` +
      `--resource-group "$REGISTRY_RG" --query loginServer --output tsv)"`,
    ...plan.identities.map((i, idx) => `  ${shq(`--from-literal=${i.clientIdVar}=`)}"$IDENTITY_${idx}_CLIENT"`),
    ...azEgressIpsLiteral(plan),
    ')',
    ...applyConfigMap(c.apiServer.private),
  );
  // GitOps
  const env = plan.environment;
  const git = fleet.spec.git;
  L.push('');
  if (fleet.spec.gitops.mode === 'extension') {
    const ks = clusterKustomizations(fleet, c);
    const kflags = (
      ks.length
        ? ks
        : [
            {
              name: 'cluster',
              path: `./clusters/${c.name}`,
              dependsOn: [] as readonly string[],
              prune: true,
              interval: fleet.spec.gitops.interval,
            },
          ]
    ).map((k) => {
      const parts = [`name=${k.name}`, `path=${k.path}`, `prune=${k.prune ?? false}`];
      if (k.dependsOn.length) parts.push(`dependsOn=[${k.dependsOn.join(',')}]`);
      if (k.interval) parts.push(`sync_interval=${k.interval}`);
      return `--kustomization ${parts.map(shq).join(' ')}`;
    });
    L.push(
      '# GitOps through the AKS Flux extension (the variables come from the ConfigMap above via substituteFrom)',
      'az k8s-extension show --resource-group "$RG" --cluster-name "$CLUSTER" ' +
        '--cluster-type managedClusters --name flux --output none 2>/dev/null || \\',
      '  az k8s-extension create --resource-group "$RG" --cluster-name "$CLUSTER" ' +
        '--cluster-type managedClusters --name flux --extension-type microsoft.flux --output none',
      `if ! az k8s-configuration flux show --resource-group "$RG" --cluster-name "$CLUSTER" ` +
        `--cluster-type managedClusters --name ${FLUX_CONFIGURATION_NAME} --output none 2>/dev/null; then`,
      '  az k8s-configuration flux create --resource-group "$RG" ' +
        '--cluster-name "$CLUSTER" --cluster-type managedClusters \\',
      `    --name ${FLUX_CONFIGURATION_NAME} --namespace ${FLUX_NS} --scope cluster \\`,
      `    --url ${shq(git.url)} --branch ${shq(env.branch)} --interval ${shq(git.interval)} \\`,
      ...kflags.map((k, i) => `    ${k}${i < kflags.length - 1 ? ' \\' : ''}`),
      'fi',
    );
  } else if (c.apiServer.private) {
    L.push(...privateFluxInstall(fleet, plan));
  } else {
    const provider = git.provider === 'github' ? 'github' : 'git';
    L.push(
      shComment(
        `GitOps: flux bootstrap writes clusters/${c.name}/flux-system ` +
          `and reconciles clusters/${c.name} on ${env.branch}.`,
      ),
      'if ! kubectl get namespace flux-system --output name >/dev/null 2>&1 || ! kubectl ' +
        '-n flux-system get kustomization flux-system --output name >/dev/null 2>&1; then',
      provider === 'github'
        ? `  flux bootstrap github --owner ${shq(git.owner ?? 'your-org')} ` +
            `--repository ${shq(git.repository ?? 'aks-gitops')} --branch ${shq(env.branch)} ` +
            `--path ${shq(`clusters/${c.name}`)}`
        : `  flux bootstrap git --url ${shq(git.url)} --branch ${shq(env.branch)} --path ${shq(`clusters/${c.name}`)}`,
      'fi',
    );
  }
  L.push(`echo "cluster $CLUSTER ready"`, '');
  return { path: `infra/az/${c.name}.sh`, content: L.join('\n'), executable: true };
}
