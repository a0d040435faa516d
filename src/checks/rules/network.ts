/**
 * Network rules of the IaC (issue #22): in production the shared registry, Key Vault and backup
 * storage are not publicly reachable, each cluster has its private endpoints with their DNS zones
 * linked to its VNet, egress leaves from pinned addresses; and no NetworkPolicy opens 443 to the
 * whole internet on a cluster whose egress goes through a firewall (the seed's
 * "replace with egress IP or firewall"). Facts: src/checks/infra-network.ts.
 */
import { isKind, obj } from '../k8s.js';
import type { ClusterRule, InfraCluster, RepoRule } from '../types.js';

const GROUP_WHAT: Record<string, string> = {
  registry: 'the registry',
  vault: 'the Key Vault',
  blob: 'the backup storage (blob)',
};

const prodClusters = (clusters: readonly InfraCluster[] | undefined) =>
  (clusters ?? []).filter((c) => c.production && c.network);

export const prodSharedResourcesPrivate: RepoRule = {
  id: 'prod-shared-resources-private',
  scope: 'repo',
  severity: 'error',
  category: 'iac',
  doc:
    'With a production environment, the shared registry, Key Vault and backup storage have public network ' +
    'access Disabled (reached through private endpoints only).',
  hint:
    'Set privateLink: true on every environment (or spec.privateLink.publicNetworkAccess: Disabled) in ' +
    'fleet.yaml and regenerate.',
  check(ctx, report) {
    const a = ctx.infra?.sharedAccess;
    const prod = prodClusters(ctx.infra?.clusters);
    if (!a || prod.length === 0 || a.publicNetworkAccess === 'Disabled') return;
    report({
      file: a.file,
      line: a.line,
      resourceId: 'SharedResources/publicNetworkAccess',
      message: `the registry, Key Vault and backup storage are reachable from the internet (publicNetworkAccess '${a.publicNetworkAccess}') while production cluster${prod.length > 1 ? 's' : ''} ${prod.map((c) => c.name).join(', ')} use${prod.length > 1 ? '' : 's'} them`,
    });
  },
};

export const prodPrivateEndpoints: RepoRule = {
  id: 'prod-private-endpoints',
  scope: 'repo',
  severity: 'error',
  category: 'iac',
  doc:
    'Every production cluster has a private endpoint to the registry, the Key Vault and the backup storage, ' +
    "each with a DNS zone group whose private DNS zone is linked to the cluster's VNet.",
  hint:
    'Set privateLink on the environment and network.vnet.privateEndpointSubnet on the cluster in fleet.yaml, ' +
    'and regenerate (do not edit private-endpoints.bicep by hand).',
  check(ctx, report) {
    const need = ctx.infra?.privateLinkGroupIds ?? [];
    for (const c of prodClusters(ctx.infra?.clusters)) {
      const n = c.network!;
      const at = { resourceId: `ManagedCluster/${c.name}` };
      for (const g of need) {
        const ep = n.endpoints.find((e) => e.groupId === g);
        if (!ep) {
          report({
            ...at,
            file: n.endpointsFile,
            line: n.endpointsLine,
            message: `production cluster ${c.name} has no private endpoint to ${GROUP_WHAT[g] ?? g} (group ${g})${n.privateLink ? '' : `: its environment does not use privateLink`}`,
          });
          continue;
        }
        if (ep.hasZoneGroup === false)
          report({
            ...at,
            file: ep.file,
            line: ep.line,
            message:
              `the private endpoint of ${c.name} to ${GROUP_WHAT[g] ?? g} has no private DNS zone group: names ` +
              'resolve to the public address',
          });
        else if (!ep.linked)
          report({
            ...at,
            file: ep.file,
            line: ep.line,
            message: `private DNS zone ${ep.zone ?? '(unknown)'} of ${c.name}'s endpoint to ${GROUP_WHAT[g] ?? g} is not linked to the cluster's VNet: nodes resolve the public name, which public access Disabled refuses`,
          });
      }
    }
  },
};

export const prodEgressPinned: RepoRule = {
  id: 'prod-egress-pinned',
  scope: 'repo',
  severity: 'error',
  category: 'iac',
  doc:
    'Production clusters egress from pinned addresses: a NAT gateway (AKS-managed or ours) or a firewall ' +
    "(userDefinedRouting), never the load balancer's changing outbound IPs.",
  hint:
    'Set egress.type: userAssignedNATGateway (with network.vnet), managedNATGateway or userDefinedRouting on ' +
    'the cluster in fleet.yaml.',
  check(ctx, report) {
    for (const c of prodClusters(ctx.infra?.clusters)) {
      const n = c.network!;
      if (n.egressType === 'loadBalancer')
        report({
          file: n.egressFile,
          line: n.egressLine,
          resourceId: `ManagedCluster/${c.name}`,
          message: `production cluster ${c.name} egresses through the load balancer: its outbound IPs are not pinned`,
        });
    }
  },
};

function portsOpen443(ports: unknown): boolean {
  if (!Array.isArray(ports) || ports.length === 0) return true;
  return ports.some((p) => {
    const o = obj(p) ?? {};
    if (o.port === undefined) return true;
    const port = Number(o.port);
    const end = o.endPort === undefined ? port : Number(o.endPort);
    return (o.protocol ?? 'TCP') === 'TCP' && port <= 443 && 443 <= end;
  });
}

export const egressAnyBehindFirewall: ClusterRule = {
  id: 'egress-any-behind-firewall',
  scope: 'cluster',
  severity: 'error',
  category: 'iac',
  doc:
    'On a cluster whose egress goes through a firewall (userDefinedRouting), no NetworkPolicy allows egress to ' +
    '0.0.0.0/0 on port 443: name the ranges the pods need (the firewall decides the rest).',
  hint:
    'Replace the 0.0.0.0/0 rule (tenants[].egress in fleet.yaml) with the destination ranges, or the ' +
    "firewall's private IP for traffic it filters by name.",
  check(ctx, report) {
    const c = ctx.infra?.clusters.find((x) => x.name === ctx.cluster);
    if (!c?.network?.firewall) return;
    for (const r of ctx.resources) {
      if (!isKind(r.object, 'NetworkPolicy', 'networking.k8s.io')) continue;
      const egress = (obj(r.object.spec)?.egress as unknown[] | undefined) ?? [];
      for (const rule of egress) {
        const rr = obj(rule) ?? {};
        const to = (rr.to as unknown[] | undefined) ?? [];
        const any = to.some((t) => obj(obj(t)?.ipBlock)?.cidr === '0.0.0.0/0');
        if (any && portsOpen443(rr.ports))
          report({
            resource: r,
            message: `NetworkPolicy ${r.object.metadata?.namespace ?? 'default'}/${r.object.metadata?.name} allows egress to 0.0.0.0/0 on 443 while cluster ${ctx.cluster} routes egress through a firewall`,
          });
      }
    }
  },
};

export const networkRepoRules: readonly RepoRule[] = [
  prodSharedResourcesPrivate,
  prodPrivateEndpoints,
  prodEgressPinned,
];
export const networkClusterRules: readonly ClusterRule[] = [egressAnyBehindFirewall];
