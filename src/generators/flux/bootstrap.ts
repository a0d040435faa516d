/**
 * `cluster-bootstrap/<cluster>.sh` (gitops.mode bootstrap): credentials for the cluster, then
 * `flux bootstrap github|git` for the cluster's environment branch and `clusters/<cluster>` path.
 * In extension mode the AKS Flux extension (infra/) installs Flux and no script is written.
 */
import { InputError } from '../../errors.js';
import { OUTPUTS_CONFIGMAP, clusterPath, environmentOf } from '../../model/fleet-model.js';
import type { Cluster, Fleet } from '../../spec/schema.js';
import type { GeneratedFile } from '../types.js';
import { requireEnv, shComment, shQuote } from '../shell.js';
import { HEADER } from './common.js';

export { shQuote } from '../shell.js';

function script(fleet: Fleet, cluster: Cluster): string {
  const env = environmentOf(fleet, cluster);
  const git = fleet.spec.git;
  const lines: string[] = [
    '#!/usr/bin/env bash',
    HEADER.trimEnd(),
    shComment(`Bootstraps Flux on AKS cluster ${cluster.name} (environment ${env.name}): Flux then reconciles`),
    shComment(`${clusterPath(cluster)} on branch ${env.branch} of ${git.url}.`),
    '# Before: `az login`; the cluster and its IaC outputs exist (infra/: they create the ConfigMap',
    `# ${OUTPUTS_CONFIGMAP} in flux-system that the Flux Kustomizations substitute from); flux CLI >= 2.3.`,
  ];
  if (cluster.apiServer.private) {
    lines.push('# The API server is private: run this from a machine that reaches it (VNet, VPN or a jump host).');
  }
  lines.push(
    'set -euo pipefail',
    '',
    `RESOURCE_GROUP=${shQuote(cluster.resourceGroup)}`,
    `CLUSTER_NAME=${shQuote(cluster.name)}`,
    '',
  );
  const sub = cluster.subscriptionId ? ` --subscription ${shQuote(cluster.subscriptionId)}` : '';
  lines.push(
    `az aks get-credentials${sub} --resource-group "$RESOURCE_GROUP" --name "$CLUSTER_NAME" --overwrite-existing`,
    '',
  );
  if (git.provider === 'github') {
    if (!git.owner || !git.repository)
      throw new InputError('flux bootstrap github needs git.owner and git.repository', {
        fieldPath: !git.owner ? 'spec.git.owner' : 'spec.git.repository',
      });
    lines.push(
      requireEnv('GITHUB_TOKEN', `export a token that may administer ${git.owner}/${git.repository}`),
      '# Flux gets a read-only deploy key (SSH). Add --personal when the owner is a user account.',
      'flux bootstrap github \\',
      `  --owner=${shQuote(git.owner)} \\`,
      `  --repository=${shQuote(git.repository)} \\`,
      `  --branch=${shQuote(env.branch)} \\`,
      `  --path=${shQuote(clusterPath(cluster))}`,
    );
  } else {
    if (git.url.startsWith('https://')) {
      lines.push(
        requireEnv('AZURE_DEVOPS_PAT', 'export a personal access token with Code (read and write)'),
        'flux bootstrap git \\',
        `  --url=${shQuote(git.url)} \\`,
        `  --branch=${shQuote(env.branch)} \\`,
        `  --path=${shQuote(clusterPath(cluster))} \\`,
        '  --username=git \\',
        '  --password="$AZURE_DEVOPS_PAT" \\',
        '  --token-auth',
      );
    } else {
      lines.push(
        '# SSH: flux generates a deploy key and prints it; add it to the repository when asked.',
        'flux bootstrap git \\',
        `  --url=${shQuote(git.url)} \\`,
        `  --branch=${shQuote(env.branch)} \\`,
        `  --path=${shQuote(clusterPath(cluster))}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

export function generateBootstrap(fleet: Fleet): GeneratedFile[] {
  if (fleet.spec.gitops.mode !== 'bootstrap') return [];
  return fleet.spec.clusters.map((c) => ({
    path: `cluster-bootstrap/${c.name}.sh`,
    content: script(fleet, c),
    executable: true,
  }));
}
