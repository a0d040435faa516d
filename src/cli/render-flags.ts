/**
 * The render flags of the commands that build clusters (build, check, diff, promote, ui) and their
 * usage text: declarations only, so that a command's options and help load without the render
 * code (render-options.ts parses them; `check --list-rules` needs the options alone).
 */
export const HELM_FLAGS = {
  'chart-source': { type: 'string', multiple: true },
  'chart-cache': { type: 'string' },
  'no-helm': { type: 'boolean' },
  'kube-version': { type: 'string' },
  'values-from': { type: 'string' },
  'fetch-charts': { type: 'boolean' },
} as const;

/** What `--fetch-charts` authenticates with (build, check, diff, promote: the commands that fetch). */
export const FETCH_AUTH_FLAGS = {
  'repository-config': { type: 'string' },
  'registry-config': { type: 'string' },
} as const;

/** Every render flag (build, check, diff, promote). */
export const RENDER_FLAGS = {
  source: { type: 'string', multiple: true },
  vars: { type: 'string' },
  'allow-missing-vars': { type: 'boolean' },
  ...HELM_FLAGS,
  ...FETCH_AUTH_FLAGS,
} as const;

export const HELM_USAGE =
  '[--chart-source KIND/NS/NAME=DIR] [--chart-cache DIR] [--fetch-charts] [--no-helm] [--kube-version V] ' +
  '[--values-from FILE]';
export const RENDER_USAGE =
  `[--source KIND/NS/NAME=PATH] [--vars FILE] [--allow-missing-vars] ${HELM_USAGE} [--repository-config FILE] ` +
  `[--registry-config FILE]   (defaults: the render: section of .aksfleet.yaml)`;

/** Cluster selection: `--path P` (a folder of the repository) or `--cluster NAME`. */
export const CLUSTER_FLAGS = {
  path: { type: 'string' },
  cluster: { type: 'string' },
} as const;
