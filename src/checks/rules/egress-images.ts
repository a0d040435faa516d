/**
 * egress-image-hosts: on a cluster whose egress goes through an Azure Firewall
 * (userDefinedRouting), every image the rendered objects run (platform add-ons included, as their
 * charts render) is pulled from a host the firewall's application rules allow, as written in its
 * Bicep file (the cluster's network.bicep or the hub's main.bicep). An image from any other host
 * would fail to pull (ImagePullBackOff) once the cluster is deployed. Facts: src/checks/infra-network.ts.
 */
import { fqdnAllows, imageHost } from '../../facts/addon-image-hosts.js';
import { containersOf, dirAnchor, parseImage, podTemplates } from '../k8s.js';
import type { ClusterRule } from '../types.js';
import { firewallFileCandidates } from '../infra-network.js';

export const egressImageHosts: ClusterRule = {
  id: 'egress-image-hosts',
  scope: 'cluster',
  severity: 'error',
  category: 'iac',
  doc:
    'On a cluster whose egress goes through a firewall (userDefinedRouting), every container image is pulled ' +
    "from a host the firewall's application rules allow (targetFqdns in its Bicep file; the add-ons' hosts are " +
    'data/addon-image-hosts.json).',
  hint:
    'Mirror the image into the fleet registry (az acr import) and refer to it there, or allow its host (and ' +
    'the host its blobs redirect to) in the firewall application rules.',
  check(ctx, report) {
    const net = ctx.infra?.clusters.find((x) => x.name === ctx.cluster)?.network;
    if (!net?.firewall) return;
    const images = podTemplates(ctx.resources).flatMap((p) => containersOf(p.spec).map((c) => ({ p, c })));
    if (!images.length) return;
    if (!net.firewallFqdns) {
      report({
        resourceId: `cluster/${ctx.cluster}`,
        file: dirAnchor(ctx.fs, ctx.clusterPath),
        severity: 'warning',
        message: `cluster ${ctx.cluster} routes egress through a firewall, but neither ${firewallFileCandidates(ctx.cluster).join(' nor ')} declares its application rules here: the hosts of its ${images.length} container images were not compared with them`,
      });
      return;
    }
    const allowed = net.firewallFqdns.fqdns;
    for (const { p, c } of images) {
      if (!c.image || parseImage(c.image).templated) continue;
      const host = imageHost(c.image);
      if (allowed.some((t) => fqdnAllows(t, host))) continue;
      report({
        resource: p.resource,
        message:
          `container ${c.name} image '${c.image}' is pulled from ${host}, which the firewall of cluster ` +
          `${ctx.cluster} does not allow (${net.firewallFqdns.file}): mirror it into the fleet registry or ` +
          `allow ${host}`,
      });
    }
  },
};
