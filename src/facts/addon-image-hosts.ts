/**
 * The registry hosts each platform add-on chart pulls its images from, as data
 * (data/addon-image-hosts.json, each entry with the chart version and values key it was measured
 * from). The IaC generator allows them in the firewall application rules; the
 * `egress-image-hosts` check compares rendered images with what the firewall allows.
 */
import { readFileSync } from 'node:fs';
import { dataFile } from '../package-root.js';

export interface AddonImageHosts {
  readonly version: string;
  readonly hosts: readonly string[];
  readonly sources: readonly { readonly image: string; readonly valuesKey: string }[];
}

export interface AddonImageData {
  /** Chart name -> the hosts its images come from. */
  readonly charts: Readonly<Record<string, AddonImageHosts>>;
  /** Registry host -> the FQDNs a pull from it reaches (API, token service, blob CDN). */
  readonly pullEndpoints: Readonly<Record<string, { readonly fqdns: readonly string[]; readonly source: string }>>;
}

/** The data file, checked for shape. */
export function addonImageData(): AddonImageData {
  const raw = JSON.parse(readFileSync(dataFile('addon-image-hosts.json'), 'utf8')) as {
    charts: Record<string, AddonImageHosts>;
    pullEndpoints: { hosts: AddonImageData['pullEndpoints'] };
  };
  const fqdn = /^(\*\.)?[a-z0-9.-]+$/;
  for (const [chart, e] of Object.entries(raw.charts))
    if (
      !Array.isArray(e.hosts) ||
      !e.hosts.every((h) => fqdn.test(h)) ||
      !Array.isArray(e.sources) ||
      !e.sources.length
    )
      throw new Error(`data/addon-image-hosts.json: malformed entry for chart ${JSON.stringify(chart)}`);
  for (const [host, e] of Object.entries(raw.pullEndpoints.hosts))
    if (!Array.isArray(e.fqdns) || !e.fqdns.every((h) => fqdn.test(h)))
      throw new Error(`data/addon-image-hosts.json: malformed pull endpoints of ${JSON.stringify(host)}`);
  return { charts: raw.charts, pullEndpoints: raw.pullEndpoints.hosts };
}

/** The FQDNs the firewall must allow for the images of these charts (hosts and their pull endpoints), sorted. */
export function imageFqdnsOf(data: AddonImageData, charts: readonly string[]): string[] {
  const out = new Set<string>();
  for (const chart of charts)
    for (const h of data.charts[chart]?.hosts ?? []) for (const f of data.pullEndpoints[h]?.fqdns ?? [h]) out.add(f);
  return [...out].sort();
}

/**
 * The registry host of an image reference, as the container runtime resolves it: the first path
 * component when it has a dot or a port or is `localhost`, docker.io otherwise.
 */
export function imageHost(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = image.slice(0, slash);
  if (first.includes('.') || first.includes(':') || first === 'localhost')
    return first.toLowerCase().replace(/:\d+$/, '');
  return 'docker.io';
}

/** Whether an application rule target (`host` or `*.suffix`) allows a host. */
export function fqdnAllows(target: string, host: string): boolean {
  const t = target.toLowerCase();
  return t.startsWith('*.') ? host.endsWith(t.slice(1)) : t === host;
}
