/**
 * The change the demo commits on its first environment's branch, so that the environment
 * branches really differ and `diff` and `promote` have something to show: the first app's image
 * tag bumped by one (a new release in dev, to promote to qa then prod). Only that value of the
 * fleet file's text changes; comments and layout are kept.
 */
import { isScalar, parseDocument } from 'yaml';

export interface DemoChange {
  readonly text: string;
  readonly app: string;
  readonly from: string;
  readonly to: string;
}

/** `acr.io/api:1.2.3` -> `acr.io/api:1.2.4`; undefined when the tag does not end in a number (or is a digest). */
export function bumpImageTag(image: string): string | undefined {
  if (image.includes('@')) return undefined;
  const m = /^(.*:[^/:]*?)(\d+)$/.exec(image);
  return m ? `${m[1]}${Number(m[2]) + 1}` : undefined;
}

/** The fleet file's text with its first bumpable app image bumped, or undefined when there is none. */
export function bumpFirstAppImage(fleetText: string): DemoChange | undefined {
  const doc = parseDocument(fleetText);
  const tenants = doc.getIn(['spec', 'tenants']);
  const nTenants = (tenants as { items?: unknown[] } | undefined)?.items?.length ?? 0;
  for (let t = 0; t < nTenants; t++) {
    const nApps = (doc.getIn(['spec', 'tenants', t, 'apps']) as { items?: unknown[] } | undefined)?.items?.length ?? 0;
    for (let a = 0; a < nApps; a++) {
      const node = doc.getIn(['spec', 'tenants', t, 'apps', a, 'image'], true);
      if (!isScalar(node) || typeof node.value !== 'string' || !node.range) continue;
      const to = bumpImageTag(node.value);
      if (!to) continue;
      const [start, end] = node.range;
      const written = node.type === 'PLAIN' ? to : JSON.stringify(to);
      return {
        text: `${fleetText.slice(0, start)}${written}${fleetText.slice(end)}`,
        app: String(doc.getIn(['spec', 'tenants', t, 'apps', a, 'name'])),
        from: node.value,
        to,
      };
    }
  }
  return undefined;
}
