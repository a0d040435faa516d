/**
 * The default chart version of each platform add-on (data/addon-versions.json): the pins
 * `spec.addons` takes when fleet.yaml does not give one. The file says where each comes from
 * (the charts of ../shared/charts, the renderer's test data) and why two cannot follow it.
 */
import { readFileSync } from 'node:fs';
import { dataFile } from '../package-root.js';

export type AddonKey =
  | 'certManager'
  | 'ingress'
  | 'kubePrometheusStack'
  | 'policy'
  | 'ratify'
  | 'secretsStoreCsi'
  | 'secretsStoreCsiAzureProvider'
  | 'velero';

export interface AddonVersion {
  readonly chart: string;
  readonly version: string;
  /** What ../shared/charts holds for this chart, in words. */
  readonly sharedCharts: string;
}

/** The data file, checked for shape: every add-on with an exact version. */
export function addonVersions(): Readonly<Record<AddonKey, AddonVersion>> {
  const raw = JSON.parse(readFileSync(dataFile('addon-versions.json'), 'utf8')) as {
    addons: Record<string, AddonVersion>;
  };
  const keys: AddonKey[] = [
    'certManager',
    'ingress',
    'kubePrometheusStack',
    'policy',
    'ratify',
    'secretsStoreCsi',
    'secretsStoreCsiAzureProvider',
    'velero',
  ];
  for (const k of keys) {
    const e = raw.addons[k];
    if (!e || typeof e.chart !== 'string' || !/^v?\d+\.\d+\.\d+$/.test(e.version))
      throw new Error(`data/addon-versions.json: malformed or missing entry ${JSON.stringify(k)}`);
  }
  return raw.addons as Record<AddonKey, AddonVersion>;
}

/** The default version of one add-on's chart. */
export function defaultAddonVersion(key: AddonKey): string {
  return addonVersions()[key].version;
}
