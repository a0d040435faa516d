/**
 * The real Flux repositories of ../shared/corpus used by the end-to-end tests, and what each cluster path is expected
 * to do.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildClusterOptions } from '../../src/flux/index.js';

export const CORPUS = join(
  process.env.AKSFLEET_ROOT ?? join(import.meta.dirname, '..', '..'),
  '..',
  'shared',
  'corpus',
);
export const haveCorpus = existsSync(CORPUS);

export interface CorpusCase {
  readonly repo: string;
  readonly opts: BuildClusterOptions;
  /** Kustomizations expected not to be buildable offline (foreign sources), by id. */
  readonly notBuildable?: readonly string[];
  /** Kustomizations expected to fail, with why (each verified with kubectl kustomize too). */
  readonly failing?: Readonly<Record<string, RegExp>>;
}

export const CASES: readonly CorpusCase[] = [
  {
    repo: 'onedr0p+home-ops',
    // substituteFrom Secret/network/cloudflare-tunnel-id-secret exists only in the cluster (ExternalSecret).
    opts: { path: 'kubernetes/flux/cluster', allowMissingVars: true },
    // The corpus copy left out sonarr's shell scripts (code was not copied): kubectl kustomize fails the same way.
    failing: { 'default/sonarr': /refresh-series\.sh/ },
  },
  { repo: 'fluxcd+flux2-kustomize-helm-example', opts: { path: 'clusters/production' } },
  { repo: 'fluxcd+flux2-kustomize-helm-example', opts: { path: 'clusters/staging' } },
  {
    repo: 'fluxcd+flux2-multi-tenancy',
    opts: { path: 'clusters/production' },
    notBuildable: ['flux-system/kyverno-controller', 'apps/dev-team'],
  },
  {
    repo: 'fluxcd+flux2-multi-tenancy',
    opts: { path: 'clusters/staging' },
    notBuildable: ['flux-system/kyverno-controller', 'apps/dev-team'],
  },
  { repo: 'fluxcd+flux2-hub-spoke-example', opts: { path: 'hub' } },
  { repo: 'Azure+gitops-flux2-kustomize-helm-mt', opts: { path: 'clusters/production' } },
  { repo: 'Azure+gitops-flux2-kustomize-helm-mt', opts: { path: 'clusters/staging' } },
];

export const caseName = (c: CorpusCase) => `${c.repo} ${c.opts.path ?? `--cluster ${c.opts.cluster}`}`;
