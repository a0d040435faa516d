/** The `images` context variable (pkg/engine/context AddImageInfos): per container list, per container name. */
import { isMap } from '../pattern/go-values.js';
import { wildcardMatch } from '../wildcard/match.js';

export interface ImageInfo {
  registry: string;
  name: string;
  path: string;
  tag?: string;
  digest?: string;
  reference: string;
  referenceWithTag: string;
}

/** docker reference parsing, enough for registry/path/tag/digest with docker.io defaults. */
export function parseImage(image: string): ImageInfo {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry = 'docker.io';
  let path = rest;
  const first = rest.split('/')[0]!;
  if (rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    path = rest.slice(first.length + 1);
  }
  if (!tag && !digest) tag = 'latest';
  const name = path.split('/').pop()!;
  const reference = `${registry}/${path}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  const info: ImageInfo = { registry, name, path, reference, referenceWithTag: `${registry}/${path}:${tag ?? ''}` };
  if (tag) info.tag = tag;
  if (digest) info.digest = digest;
  return info;
}

function podSpecOf(resource: Record<string, unknown>): Record<string, unknown> | undefined {
  const spec = isMap(resource.spec) ? resource.spec : undefined;
  if (!spec) return undefined;
  switch (resource.kind) {
    case 'Pod':
      return spec;
    case 'CronJob': {
      const jt = isMap(spec.jobTemplate) && isMap(spec.jobTemplate.spec) ? spec.jobTemplate.spec : undefined;
      return jt && isMap(jt.template) && isMap(jt.template.spec) ? jt.template.spec : undefined;
    }
    default:
      return isMap(spec.template) && isMap(spec.template.spec) ? spec.template.spec : undefined;
  }
}

/** An image as Kyverno prints it (pkg/utils/api ImageInfo.String): `registry/path@digest`, else `registry/path:tag`. */
export function kyvernoImageString(info: ImageInfo): string {
  const image = info.registry ? `${info.registry}/${info.path}` : info.path;
  return info.digest ? `${image}@${info.digest}` : `${image}:${info.tag ?? ''}`;
}

/**
 * The images of a resource that a verifyImages rule names (pkg/engine/utils ExtractMatchingImages:
 * every container image, as kyvernoImageString prints it, against each entry's `imageReferences`
 * wildcards, `image` in the deprecated form). Empty: the rule gives no result for the resource.
 */
export function verifyImagesTargets(resource: Record<string, unknown>, verifyImages: unknown): string[] {
  const infos = imageInfos(resource);
  if (!infos || !Array.isArray(verifyImages)) return [];
  const out: string[] = [];
  for (const list of Object.values(infos)) {
    for (const info of Object.values(list as Record<string, ImageInfo>)) {
      const image = kyvernoImageString(info);
      for (const v of verifyImages.filter(isMap)) {
        const refs = Array.isArray(v.imageReferences)
          ? v.imageReferences.map(String)
          : typeof v.image === 'string'
            ? [v.image]
            : [];
        if (refs.some((p) => wildcardMatch(p, image))) out.push(image);
      }
    }
  }
  return out;
}

/**
 * `images.containers.<name>`, `images.initContainers...`, `images.ephemeralContainers...`; undefined for non-workloads.
 */
export function imageInfos(resource: Record<string, unknown>): Record<string, unknown> | undefined {
  const spec = podSpecOf(resource);
  if (!spec) return undefined;
  const out: Record<string, unknown> = {};
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    const cs = Array.isArray(spec[list]) ? spec[list].filter(isMap) : [];
    const m: Record<string, unknown> = {};
    for (const c of cs) if (typeof c.name === 'string' && typeof c.image === 'string') m[c.name] = parseImage(c.image);
    if (Object.keys(m).length) out[list] = m;
  }
  return Object.keys(out).length ? out : undefined;
}
