/**
 * Image rules: where images come from, how they are pinned, and the admission policy that
 * verifies their signatures. The fleet registry is the fleet spec's ACR (or infra's); more
 * registries can be allowed in .aksfleet.yaml. Without any known registry the
 * registry-specific rules do not apply (there is nothing to compare with).
 */
import { registryLoginServer } from '../../model/fleet-model.js';
import { apiGroup } from '../../resources/resource.js';
import { arr, containersOf, dirAnchor, imageMatchesPrefix, obj, parseImage, podTemplates } from '../k8s.js';
import { isPlatformNamespace } from '../platform-namespaces.js';
import type { CheckContext, ClusterRule } from '../types.js';

export function fleetRegistry(ctx: Pick<CheckContext, 'fleet' | 'infra'>): string | undefined {
  if (ctx.infra?.registryLoginServer) return ctx.infra.registryLoginServer;
  if (ctx.fleet) return registryLoginServer(ctx.fleet);
  return undefined;
}

export const imageFromFleetRegistry: ClusterRule = {
  id: 'image-from-fleet-registry',
  profile: 'aks-baseline',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc:
    'Containers in tenant namespaces run images from the fleet registry or a registry allowed in ' +
    '.aksfleet.yaml (allowedRegistries).',
  hint:
    'Import the image into the fleet ACR (az acr import) and refer to it there, or allow its registry in ' +
    '.aksfleet.yaml.',
  check(ctx, report) {
    const reg = fleetRegistry(ctx);
    const allowed = [...(reg ? [reg] : []), ...ctx.config.allowedRegistries];
    if (allowed.length === 0) return;
    for (const p of podTemplates(ctx.resources)) {
      if (isPlatformNamespace(ctx, p.namespace)) continue;
      for (const c of containersOf(p.spec)) {
        if (!c.image) continue;
        const img = parseImage(c.image);
        if (img.templated) continue;
        if (!allowed.some((a) => imageMatchesPrefix(img, a))) {
          report({
            resource: p.resource,
            message: `container ${c.name} image '${c.image}' is not from ${allowed.join(', ')}`,
          });
        }
      }
    }
  },
};

export const imageTagPinned: ClusterRule = {
  id: 'image-tag-pinned',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc: "Every container image names a version: no ':latest', no missing tag (which means latest).",
  hint: "Use an explicit version tag (':1.2.3') or a digest ('@sha256:...').",
  check(ctx, report) {
    for (const p of podTemplates(ctx.resources)) {
      for (const c of containersOf(p.spec)) {
        if (!c.image) {
          report({ resource: p.resource, message: `container ${c.name} has no image` });
          continue;
        }
        const img = parseImage(c.image);
        if (img.templated || img.digest) continue;
        if (!img.tag)
          report({ resource: p.resource, message: `container ${c.name} image '${c.image}' has no tag (pulls latest)` });
        else if (img.tag === 'latest')
          report({ resource: p.resource, message: `container ${c.name} image '${c.image}' uses the 'latest' tag` });
      }
    }
  },
};

export const imageDigestInProd: ClusterRule = {
  id: 'image-digest-in-prod',
  profile: 'aks-baseline',
  scope: 'cluster',
  severity: 'info',
  category: 'ops',
  doc: 'On production clusters tenant images are pinned by digest (a tag can be moved, a digest cannot).',
  hint: "Pin the image as 'registry/repo:tag@sha256:...' (Flux image automation can keep it up to date).",
  check(ctx, report) {
    if (!ctx.production) return;
    for (const p of podTemplates(ctx.resources)) {
      if (isPlatformNamespace(ctx, p.namespace)) continue;
      for (const c of containersOf(p.spec)) {
        if (!c.image) continue;
        const img = parseImage(c.image);
        if (!img.templated && !img.digest)
          report({
            resource: p.resource,
            message:
              `container ${c.name} image '${c.image}' is not pinned by digest on production cluster ` +
              `${ctx.cluster}`,
          });
      }
    }
  },
};

/** `acrprod123.azurecr.io/*` covers `acrprod123.azurecr.io/api`. Kyverno patterns are globs. */
export function globCovers(pattern: string, registry: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(`${registry}/any/image:tag`) || re.test(`${registry}/image`);
}

/** Image patterns verified by Kyverno verifyImages rules of the cluster. */
export function verifiedImagePatterns(
  ctx: CheckContext,
): { pattern: string; resource: import('../../resources/resource.js').Resource }[] {
  const out: { pattern: string; resource: import('../../resources/resource.js').Resource }[] = [];
  for (const r of ctx.resources) {
    // Kyverno 1.14+: ImageValidatingPolicy with matchImageReferences globs.
    if (r.object.kind === 'ImageValidatingPolicy' && apiGroup(r.object.apiVersion) === 'policies.kyverno.io') {
      for (const m of arr(obj(r.object.spec)?.matchImageReferences)) {
        const g = obj(m)?.glob;
        if (typeof g === 'string') out.push({ pattern: g, resource: r });
      }
      continue;
    }
    if (!['ClusterPolicy', 'Policy'].includes(r.object.kind ?? '') || apiGroup(r.object.apiVersion) !== 'kyverno.io')
      continue;
    for (const rule of arr(obj(r.object.spec)?.rules)) {
      for (const vi of arr(obj(rule)?.verifyImages)) {
        const v = obj(vi);
        if (!v) continue;
        for (const p of [...arr(v.imageReferences), v.image])
          if (typeof p === 'string') out.push({ pattern: p, resource: r });
      }
    }
  }
  return out;
}

export const imageSignaturePolicy: ClusterRule = {
  id: 'image-signature-policy',
  profile: 'aks-baseline',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc:
    'An admission policy verifies image signatures for the fleet registry: a Kyverno verifyImages rule (or ' +
    'ImageValidatingPolicy) whose image pattern covers it, or a Gatekeeper/Ratify verification constraint.',
  hint:
    "Add a Kyverno ClusterPolicy with verifyImages imageReferences ['<registry>/*'] (aksfleet generate writes " +
    'one).',
  check(ctx, report) {
    const reg = fleetRegistry(ctx);
    if (!reg) return;
    if (verifiedImagePatterns(ctx).some((p) => globCovers(p.pattern, reg))) return;
    const gatekeeper = ctx.resources.some(
      (r) =>
        apiGroup(r.object.apiVersion) === 'constraints.gatekeeper.sh' &&
        /ratify|verif|signed/i.test(r.object.kind ?? ''),
    );
    if (gatekeeper) return;
    report({
      resourceId: `cluster/${ctx.cluster}`,
      file: dirAnchor(ctx.fs, ctx.clusterPath),
      message: `no admission policy verifies signatures of images from ${reg} on cluster ${ctx.cluster}`,
    });
  },
};

export const imageRules: readonly ClusterRule[] = [
  imageFromFleetRegistry,
  imageTagPinned,
  imageDigestInProd,
  imageSignaturePolicy,
];
