/**
 * Reference rules of pod templates, judged against the cluster as it will be
 * (src/checks/cluster): what a pod names must be provided by the render, the platform or a
 * controller of the render; downward-API fields and probe ports must exist on the pod itself.
 * Where the model cannot see everything (an unrendered HelmRelease, an operator's resource),
 * nothing is concluded.
 */
import type { Resource } from '../../resources/resource.js';
import { arr, containersOf, hasVariable, isKind, obj, str, type PodTemplate } from '../k8s.js';
import { clusterModel, type ClusterModel } from '../cluster/model.js';
import type { ClusterRule } from '../types.js';

/** One reference a pod template makes. */
interface PodRef {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  /** Where in the template, e.g. `container api env DB_PASSWORD secretKeyRef`. */
  readonly where: string;
  readonly optional: boolean;
  readonly clusterScoped?: boolean;
  /** Path of the reference in the pod spec. */
  readonly path: readonly (string | number)[];
}

const CORE = '';

/** Every ConfigMap, Secret, ServiceAccount, PVC, PriorityClass and SecretProviderClass a pod spec names. */
export function podReferences(spec: Record<string, unknown>): PodRef[] {
  const out: PodRef[] = [];
  const ref = (
    kind: string,
    name: unknown,
    where: string,
    optional: unknown,
    path: (string | number)[],
    group = CORE,
    clusterScoped = false,
  ) => {
    const n = str(name);
    if (n) out.push({ group, kind, name: n, where, optional: optional === true, clusterScoped, path });
  };
  const sa = str(spec.serviceAccountName) ?? str(spec.serviceAccount) ?? 'default';
  ref(
    'ServiceAccount',
    sa,
    'serviceAccountName',
    false,
    spec.serviceAccountName !== undefined ? ['serviceAccountName'] : [],
  );
  ref(
    'PriorityClass',
    spec.priorityClassName,
    'priorityClassName',
    false,
    ['priorityClassName'],
    'scheduling.k8s.io',
    true,
  );
  arr(spec.imagePullSecrets).forEach((s, i) =>
    ref('Secret', obj(s)?.name, `imagePullSecrets[${i}]`, false, ['imagePullSecrets', i]),
  );
  for (const field of ['initContainers', 'containers'] as const) {
    arr(spec[field]).forEach((cv, ci) => {
      const c = obj(cv) ?? {};
      const cw = `${field === 'initContainers' ? 'init container' : 'container'} ${str(c.name) ?? '<unnamed>'}`;
      arr(c.env).forEach((e, ei) => {
        const eo = obj(e) ?? {};
        const vf = obj(eo.valueFrom) ?? {};
        const cm = obj(vf.configMapKeyRef);
        const se = obj(vf.secretKeyRef);
        if (cm)
          ref('ConfigMap', cm.name, `${cw} env ${str(eo.name) ?? ''} configMapKeyRef`, cm.optional, [
            field,
            ci,
            'env',
            ei,
            'valueFrom',
            'configMapKeyRef',
          ]);
        if (se)
          ref('Secret', se.name, `${cw} env ${str(eo.name) ?? ''} secretKeyRef`, se.optional, [
            field,
            ci,
            'env',
            ei,
            'valueFrom',
            'secretKeyRef',
          ]);
      });
      arr(c.envFrom).forEach((e, i) => {
        const eo = obj(e) ?? {};
        const cm = obj(eo.configMapRef);
        const se = obj(eo.secretRef);
        if (cm)
          ref('ConfigMap', cm.name, `${cw} envFrom[${i}] configMapRef`, cm.optional, [
            field,
            ci,
            'envFrom',
            i,
            'configMapRef',
          ]);
        if (se)
          ref('Secret', se.name, `${cw} envFrom[${i}] secretRef`, se.optional, [field, ci, 'envFrom', i, 'secretRef']);
      });
    });
  }
  arr(spec.volumes).forEach((v, vi) => {
    const vo = obj(v) ?? {};
    const vw = `volume ${str(vo.name) ?? ''}`;
    const cm = obj(vo.configMap);
    const se = obj(vo.secret);
    const pvc = obj(vo.persistentVolumeClaim);
    const csi = obj(vo.csi);
    const at = (...rest: (string | number)[]) => ['volumes', vi, ...rest];
    if (cm) ref('ConfigMap', cm.name, `${vw} configMap`, cm.optional, at('configMap'));
    if (se) ref('Secret', se.secretName, `${vw} secret`, se.optional, at('secret'));
    if (pvc)
      ref('PersistentVolumeClaim', pvc.claimName, `${vw} persistentVolumeClaim`, false, at('persistentVolumeClaim'));
    if (csi && csi.driver === 'secrets-store.csi.k8s.io')
      ref(
        'SecretProviderClass',
        obj(csi.volumeAttributes)?.secretProviderClass,
        `${vw} csi secretProviderClass`,
        false,
        at('csi'),
        'secrets-store.csi.x-k8s.io',
      );
    arr(obj(vo.projected)?.sources).forEach((s, i) => {
      const so = obj(s) ?? {};
      const pcm = obj(so.configMap);
      const pse = obj(so.secret);
      if (pcm)
        ref(
          'ConfigMap',
          pcm.name,
          `${vw} projected.sources[${i}] configMap`,
          pcm.optional,
          at('projected', 'sources', i, 'configMap'),
        );
      if (pse)
        ref(
          'Secret',
          pse.name,
          `${vw} projected.sources[${i}] secret`,
          pse.optional,
          at('projected', 'sources', i, 'secret'),
        );
    });
  });
  return out;
}

/** Path of the pod spec in a workload (for field lines). */
export function podSpecPath(kind: string): (string | number)[] {
  if (kind === 'Pod') return ['spec'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  return ['spec', 'template', 'spec'];
}

function workloadId(t: PodTemplate): string {
  return `${t.kind} ${t.namespace}/${t.resource.object.metadata?.name ?? ''}`;
}

/** The rendered pod templates. */
function templates(model: ClusterModel): PodTemplate[] {
  return model.pods.flatMap((p) => (p.template ? [p.template] : []));
}

function unknownBecause(model: ClusterModel, r: PodRef, ns: string): string | undefined {
  return r.clusterScoped ? model.clusterOpaque : model.opaque(ns);
}

export const podReferencesExist: ClusterRule = {
  id: 'pod-references-exist',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc:
    'What a pod template names exists in the cluster as it will be: its ServiceAccount, ConfigMaps and Secrets ' +
    '(env, envFrom, volumes, projected, imagePullSecrets; optional ones excepted), PVCs, SecretProviderClasses ' +
    'and PriorityClass.',
  hint:
    'Add the missing object to the render (or an ExternalSecret, SealedSecret or Certificate that creates it), ' +
    'fix the name, or mark the reference optional: true.',
  check(ctx, report) {
    const model = clusterModel(ctx);
    for (const t of templates(model)) {
      // StatefulSet claims come from its volumeClaimTemplates.
      const claims =
        t.kind === 'StatefulSet'
          ? arr(obj(t.resource.object.spec)?.volumeClaimTemplates).map((c) => str(obj(obj(c)?.metadata)?.name))
          : [];
      for (const r of podReferences(t.spec)) {
        if (r.optional || hasVariable(r.name) || hasVariable(t.namespace)) continue;
        if (r.kind === 'PersistentVolumeClaim' && claims.includes(r.name)) continue;
        const ns = r.clusterScoped ? undefined : t.namespace;
        if (model.find(r.group, r.kind, ns, r.name)) continue;
        if (unknownBecause(model, r, t.namespace)) continue;
        if (!r.clusterScoped && model.createdAtRunTime(r.group, r.kind, t.namespace)) continue;
        report({
          resource: t.resource,
          line: model.lineOf(t.resource, [...podSpecPath(t.kind), ...r.path]),
          message: `${workloadId(t)}: ${r.where} names ${r.kind} ${ns ? `${ns}/` : ''}${r.name}, which nothing in the cluster provides (not rendered, not created by a controller of the render, not ${model.platform === 'aks' ? 'an AKS' : 'a Kubernetes'} built-in)`,
        });
      }
    }
  },
};

/** PVCs and StatefulSet volumeClaimTemplates with the StorageClass they ask for. */
function claims(
  resources: readonly Resource[],
): { resource: Resource; where: string; spec: Record<string, unknown>; path: (string | number)[] }[] {
  const out: { resource: Resource; where: string; spec: Record<string, unknown>; path: (string | number)[] }[] = [];
  for (const r of resources) {
    if (isKind(r.object, 'PersistentVolumeClaim', ''))
      out.push({
        resource: r,
        where: `PersistentVolumeClaim ${r.object.metadata?.namespace ?? 'default'}/${r.object.metadata?.name ?? ''}`,
        spec: obj(r.object.spec) ?? {},
        path: ['spec', 'storageClassName'],
      });
    if (isKind(r.object, 'StatefulSet', 'apps')) {
      arr(obj(r.object.spec)?.volumeClaimTemplates).forEach((c, i) =>
        out.push({
          resource: r,
          where: `StatefulSet ${r.object.metadata?.namespace ?? 'default'}/${r.object.metadata?.name ?? ''} volumeClaimTemplates[${i}]`,
          spec: obj(obj(c)?.spec) ?? {},
          path: ['spec', 'volumeClaimTemplates', i, 'spec', 'storageClassName'],
        }),
      );
    }
  }
  return out;
}

export const storageClassExists: ClusterRule = {
  id: 'storage-class-exists',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc:
    'The storageClassName of a PersistentVolumeClaim or StatefulSet volumeClaimTemplate names a StorageClass ' +
    'of the render or of the platform (AKS built-ins where the cluster is AKS; elsewhere only rendered ones ' +
    'can be judged).',
  hint:
    'Use a StorageClass the cluster has (on AKS: managed-csi, managed-csi-premium, azurefile-csi, ...) or add ' +
    'it to the render.',
  check(ctx, report) {
    const model = clusterModel(ctx);
    if (!model.facts.storageClasses || model.clusterOpaque) return;
    for (const c of claims(ctx.resources)) {
      const sc = str(c.spec.storageClassName);
      if (!sc || hasVariable(sc)) continue;
      if (model.find('storage.k8s.io', 'StorageClass', undefined, sc)) continue;
      const known = model
        .all('storage.k8s.io', 'StorageClass')
        .map((p) => p.name)
        .sort();
      report({
        resource: c.resource,
        line: model.lineOf(c.resource, c.path),
        message: `${c.where}: storageClassName ${sc} names no StorageClass of the cluster (known: ${known.join(', ')})`,
      });
    }
  },
};

const FIELD = /^metadata\.(labels|annotations)\['([^']+)'\]$/;

/** Downward-API fieldRefs of a pod spec to labels and annotations. */
function fieldRefs(
  spec: Record<string, unknown>,
): { where: string; map: 'labels' | 'annotations'; key: string; path: (string | number)[] }[] {
  const out: { where: string; map: 'labels' | 'annotations'; key: string; path: (string | number)[] }[] = [];
  const add = (fieldPath: unknown, where: string, path: (string | number)[]) => {
    const m = FIELD.exec(str(fieldPath) ?? '');
    if (m) out.push({ where, map: m[1] as 'labels' | 'annotations', key: m[2]!, path });
  };
  for (const field of ['initContainers', 'containers'] as const) {
    arr(spec[field]).forEach((cv, ci) => {
      const c = obj(cv) ?? {};
      arr(c.env).forEach((e, ei) => {
        const eo = obj(e) ?? {};
        add(
          obj(obj(eo.valueFrom)?.fieldRef)?.fieldPath,
          `${field === 'initContainers' ? 'init container' : 'container'} ${str(c.name) ?? '<unnamed>'} env ${str(eo.name) ?? ''}`,
          [field, ci, 'env', ei, 'valueFrom', 'fieldRef', 'fieldPath'],
        );
      });
    });
  }
  arr(spec.volumes).forEach((v, vi) => {
    const vo = obj(v) ?? {};
    arr(obj(vo.downwardAPI)?.items).forEach((it, k) =>
      add(obj(obj(it)?.fieldRef)?.fieldPath, `volume ${str(vo.name) ?? ''} downwardAPI ${str(obj(it)?.path) ?? ''}`, [
        'volumes',
        vi,
        'downwardAPI',
        'items',
        k,
      ]),
    );
    arr(obj(vo.projected)?.sources).forEach((s, si) =>
      arr(obj(obj(s)?.downwardAPI)?.items).forEach((it, k) =>
        add(obj(obj(it)?.fieldRef)?.fieldPath, `volume ${str(vo.name) ?? ''} downwardAPI ${str(obj(it)?.path) ?? ''}`, [
          'volumes',
          vi,
          'projected',
          'sources',
          si,
          'downwardAPI',
          'items',
          k,
        ]),
      ),
    );
  });
  return out;
}

export const downwardApiFieldsSet: ClusterRule = {
  id: 'downward-api-fields-set',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc:
    "A downward-API fieldRef to metadata.labels['k'] or metadata.annotations['k'] names a label or annotation " +
    'the pod template sets (or its controller adds, like pod-template-hash); otherwise the value is empty.',
  hint:
    'Set the label or annotation on the pod template (spec.template.metadata), or read the value from where it ' +
    'is (e.g. a ServiceAccount annotation is not a pod annotation).',
  check(ctx, report) {
    const model = clusterModel(ctx);
    for (const p of model.pods) {
      const t = p.template;
      if (!t) continue;
      for (const f of fieldRefs(t.spec)) {
        const set = f.map === 'labels' ? p.labels : p.annotations;
        const byController =
          f.map === 'labels' ? model.facts.controllerPodLabels : model.facts.controllerPodAnnotations;
        if (f.key in set || byController.includes(f.key)) continue;
        const sa = str(t.spec.serviceAccountName) ?? str(t.spec.serviceAccount) ?? 'default';
        const saObj = model.find('', 'ServiceAccount', t.namespace, sa)?.resource?.object;
        const onSa =
          saObj && f.key in ((f.map === 'labels' ? saObj.metadata?.labels : saObj.metadata?.annotations) ?? {})
            ? `; ServiceAccount ${t.namespace}/${sa} carries it, but a fieldRef reads the pod`
            : '';
        report({
          resource: t.resource,
          line: model.lineOf(t.resource, [...podSpecPath(t.kind), ...f.path]),
          message:
            `${workloadId(t)}: ${f.where} reads metadata.${f.map}['${f.key}'], which the pod template does not ` +
            `set (the value will be empty)${onSa}`,
        });
      }
    }
  },
};

/** Probe ports given by name, per container. */
export const probePortsDeclared: ClusterRule = {
  id: 'probe-ports-declared',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc:
    'A liveness, readiness or startup probe (httpGet or tcpSocket) that names its port by name names a port ' +
    'the container declares.',
  hint: "Declare the port under the container's ports with that name, or give the probe the port number.",
  check(ctx, report) {
    const model = clusterModel(ctx);
    for (const t of templates(model)) {
      containersOf(t.spec).forEach((c) => {
        const ci = arr(t.spec[c.init ? 'initContainers' : 'containers']).indexOf(c.raw);
        const names = arr(c.raw.ports)
          .map((p) => str(obj(p)?.name))
          .filter((n): n is string => !!n);
        for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
          const po = obj(c.raw[probe]) ?? {};
          for (const h of ['httpGet', 'tcpSocket']) {
            const port = obj(po[h])?.port;
            if (typeof port !== 'string' || /^\d+$/.test(port) || hasVariable(port) || names.includes(port)) continue;
            report({
              resource: t.resource,
              line: model.lineOf(t.resource, [
                ...podSpecPath(t.kind),
                c.init ? 'initContainers' : 'containers',
                ci,
                probe,
                h,
                'port',
              ]),
              message: `${workloadId(t)}: container ${c.name} ${probe}.${h}.port names port '${port}', which the container does not declare (declared: ${names.length ? names.join(', ') : 'none'})`,
            });
          }
        }
      });
    }
  },
};

export const referencePodRules: readonly ClusterRule[] = [
  podReferencesExist,
  storageClassExists,
  downwardApiFieldsSet,
  probePortsDeclared,
];
