/**
 * Reference rules of traffic objects, judged against the cluster as it will be
 * (src/checks/cluster): Services that select no pod or target ports no pod declares; HTTPRoute,
 * GRPCRoute and Ingress backends to missing Services or ports and parentRefs to missing Gateways
 * or listeners; HPA and VPA targets and PDB selectors that match nothing.
 */
import { apiGroup, type Resource } from '../../resources/resource.js';
import { arr, hasVariable, isKind, obj, str } from '../k8s.js';
import { labelSelectorMatches } from '../../resources/label-selector.js';
import { clusterModel, type ClusterModel } from '../cluster/model.js';
import type { ClusterRule, Reporter } from '../types.js';
import { showSelector } from './references-network.js';

const idOf = (r: Resource) =>
  `${r.object.kind} ${r.object.metadata?.namespace ? `${r.object.metadata.namespace}/` : ''}${r.object.metadata?.name ?? ''}`;
const nsOf = (r: Resource) => r.object.metadata?.namespace ?? 'default';

function services(resources: readonly Resource[]): Resource[] {
  return resources.filter((r) => isKind(r.object, 'Service', '') && obj(r.object.spec)?.type !== 'ExternalName');
}
function selectorOf(svc: Resource): Record<string, unknown> | undefined {
  const sel = obj(obj(svc.object.spec)?.selector);
  return sel && Object.keys(sel).length ? sel : undefined;
}
function selectedPods(model: ClusterModel, svc: Resource) {
  const sel = selectorOf(svc);
  return sel
    ? model.pods.filter(
        (p) => p.namespace === nsOf(svc) && labelSelectorMatches({ matchLabels: sel }, p.labels, 'nothing'),
      )
    : [];
}

export const serviceSelectsPods: ClusterRule = {
  id: 'service-selects-pods',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc:
    'A Service with a selector selects at least one pod template of its namespace in the cluster as it will be ' +
    '(otherwise it has no endpoints).',
  hint: "Make the Service selector match the labels of the workload's pod template (spec.template.metadata.labels).",
  check(ctx, report) {
    const model = clusterModel(ctx);
    for (const svc of services(ctx.resources)) {
      const sel = selectorOf(svc);
      if (!sel || Object.values(sel).some((v) => hasVariable(String(v))) || hasVariable(nsOf(svc))) continue;
      if (selectedPods(model, svc).length || model.opaque(nsOf(svc))) continue;
      report({
        resource: svc,
        line: model.lineOf(svc, ['spec', 'selector']),
        message:
          `${idOf(svc)}: selector ${showSelector({ matchLabels: sel })} selects no pod of namespace ` + `${nsOf(svc)}`,
      });
    }
  },
};

export const serviceTargetPortDeclared: ClusterRule = {
  id: 'service-target-port-declared',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc:
    'A Service port whose targetPort is a name targets a port every selected pod template declares by that ' +
    'name (a pod without it gets no endpoint).',
  hint: 'Name the container port (ports[].name) as the Service targetPort says, or use the port number.',
  check(ctx, report) {
    const model = clusterModel(ctx);
    for (const svc of services(ctx.resources)) {
      const pods = selectedPods(model, svc).filter((p) => p.template);
      arr(obj(svc.object.spec)?.ports).forEach((port, k) => {
        const tp = obj(port)?.targetPort;
        if (typeof tp !== 'string' || /^\d+$/.test(tp) || hasVariable(tp)) return;
        const proto = str(obj(port)?.protocol) ?? 'TCP';
        for (const p of pods) {
          if (p.containers.some((c) => c.ports.some((cp) => cp.name === tp && cp.protocol === proto))) continue;
          const t = p.template!;
          report({
            resource: svc,
            line: model.lineOf(svc, ['spec', 'ports', k, 'targetPort']),
            message: `${idOf(svc)}: targetPort '${tp}' (${proto}) is declared by no container of ${t.kind} ${t.namespace}/${t.resource.object.metadata?.name ?? ''} it selects`,
          });
        }
      });
    }
  },
};

/** Service ports by number and name, when the Service is rendered. */
function servicePorts(svc: Resource): { port: number; name?: string }[] {
  return arr(obj(svc.object.spec)?.ports)
    .map(obj)
    .filter((p): p is Record<string, unknown> => !!p)
    .map((p) => ({ port: Number(p.port), name: str(p.name) }));
}

/** A backend Service reference and the port it asks for. */
function checkBackend(
  model: ClusterModel,
  report: Reporter,
  from: Resource,
  where: string,
  path: (string | number)[],
  ns: string,
  name: string | undefined,
  port: { number?: number; name?: string },
): void {
  if (!name || hasVariable(name) || hasVariable(ns)) return;
  const svc = model.find('', 'Service', ns, name);
  if (!svc) {
    if (model.opaque(ns)) return;
    report({
      resource: from,
      line: model.lineOf(from, path),
      message: `${idOf(from)}: ${where} names Service ${ns}/${name}, which nothing in the cluster provides`,
    });
    return;
  }
  if (!svc.resource || (port.number === undefined && port.name === undefined)) return;
  const ports = servicePorts(svc.resource);
  const ok =
    port.number !== undefined ? ports.some((p) => p.port === port.number) : ports.some((p) => p.name === port.name);
  if (!ok)
    report({
      resource: from,
      line: model.lineOf(from, path),
      message: `${idOf(from)}: ${where} asks Service ${ns}/${name} for port ${port.number ?? `'${port.name}'`}, which it does not expose (ports: ${ports.map((p) => (p.name ? `${p.port} (${p.name})` : `${p.port}`)).join(', ') || 'none'}; Service at ${svc.resource.origin?.file ?? '?'}:${svc.resource.origin?.line ?? '?'})`,
    });
}

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const isRoute = (r: Resource) =>
  (r.object.kind === 'HTTPRoute' || r.object.kind === 'GRPCRoute') && apiGroup(r.object.apiVersion) === GATEWAY_GROUP;

export const routeBackendsExist: ClusterRule = {
  id: 'route-backends-exist',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc:
    'HTTPRoute and GRPCRoute backendRefs and Ingress backends name a Service of the cluster as it will be, and ' +
    'a port that Service exposes.',
  hint:
    'Point the backend at an existing Service and one of its ports (spec.ports[].port, or its name for an ' +
    'Ingress).',
  check(ctx, report) {
    const model = clusterModel(ctx);
    for (const r of ctx.resources) {
      const spec = obj(r.object.spec) ?? {};
      if (isRoute(r)) {
        arr(spec.rules).forEach((rule, i) => {
          arr(obj(rule)?.backendRefs).forEach((b, j) => {
            const bo = obj(b) ?? {};
            if ((str(bo.group) ?? '') !== '' || (str(bo.kind) ?? 'Service') !== 'Service') return;
            checkBackend(
              model,
              report,
              r,
              `rules[${i}].backendRefs[${j}]`,
              ['spec', 'rules', i, 'backendRefs', j],
              str(bo.namespace) ?? nsOf(r),
              str(bo.name),
              { number: typeof bo.port === 'number' ? bo.port : undefined },
            );
          });
        });
      } else if (isKind(r.object, 'Ingress', 'networking.k8s.io')) {
        const backend = (b: unknown, where: string, path: (string | number)[]) => {
          const s = obj(obj(b)?.service);
          if (!s) return;
          const p = obj(s.port) ?? {};
          checkBackend(model, report, r, where, path, nsOf(r), str(s.name), {
            number: typeof p.number === 'number' ? p.number : undefined,
            name: str(p.name),
          });
        };
        backend(spec.defaultBackend, 'spec.defaultBackend', ['spec', 'defaultBackend']);
        arr(spec.rules).forEach((rule, i) =>
          arr(obj(obj(rule)?.http)?.paths).forEach((path, j) =>
            backend(obj(path)?.backend, `rules[${i}].http.paths[${j}].backend`, [
              'spec',
              'rules',
              i,
              'http',
              'paths',
              j,
              'backend',
            ]),
          ),
        );
      }
    }
  },
};

export const routeParentsExist: ClusterRule = {
  id: 'route-parents-exist',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc:
    'HTTPRoute and GRPCRoute parentRefs name a Gateway of the cluster as it will be, and (with sectionName or ' +
    'port) one of its listeners.',
  hint:
    'Point parentRefs at an existing Gateway (name, namespace) and a listener it declares ' +
    '(spec.listeners[].name or port).',
  check(ctx, report) {
    const model = clusterModel(ctx);
    for (const r of ctx.resources.filter(isRoute)) {
      arr(obj(r.object.spec)?.parentRefs).forEach((pr, i) => {
        const po = obj(pr) ?? {};
        if ((str(po.group) ?? GATEWAY_GROUP) !== GATEWAY_GROUP || (str(po.kind) ?? 'Gateway') !== 'Gateway') return;
        const ns = str(po.namespace) ?? nsOf(r);
        const name = str(po.name);
        if (!name || hasVariable(name) || hasVariable(ns)) return;
        const gw = model.find(GATEWAY_GROUP, 'Gateway', ns, name);
        if (!gw) {
          if (!model.opaque(ns))
            report({
              resource: r,
              line: model.lineOf(r, ['spec', 'parentRefs', i]),
              message:
                `${idOf(r)}: parentRefs[${i}] names Gateway ${ns}/${name}, which nothing in the cluster ` + 'provides',
            });
          return;
        }
        if (!gw.resource) return;
        const listeners = arr(obj(gw.resource.object.spec)?.listeners)
          .map(obj)
          .filter((l): l is Record<string, unknown> => !!l);
        const section = str(po.sectionName);
        const port = typeof po.port === 'number' ? po.port : undefined;
        const ok = listeners.some(
          (l) => (section === undefined || l.name === section) && (port === undefined || l.port === port),
        );
        if (!ok)
          report({
            resource: r,
            line: model.lineOf(r, ['spec', 'parentRefs', i]),
            message: `${idOf(r)}: parentRefs[${i}] asks Gateway ${ns}/${name} for listener ${[section && `'${section}'`, port && `port ${port}`].filter(Boolean).join(' on ')}, which it does not declare (listeners: ${listeners.map((l) => `${String(l.name)}:${String(l.port)}`).join(', ') || 'none'})`,
          });
      });
    }
  },
};

export const scalingTargetsExist: ClusterRule = {
  id: 'scaling-targets-exist',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc:
    'A HorizontalPodAutoscaler scaleTargetRef and a VerticalPodAutoscaler targetRef name a workload of the ' +
    'cluster as it will be.',
  hint: "Point the autoscaler at the workload's kind, apiVersion and name.",
  check(ctx, report) {
    const model = clusterModel(ctx);
    for (const r of ctx.resources) {
      const spec = obj(r.object.spec) ?? {};
      const ns = nsOf(r);
      if (hasVariable(ns)) continue;
      const target = isKind(r.object, 'HorizontalPodAutoscaler', 'autoscaling')
        ? (['scaleTargetRef', obj(spec.scaleTargetRef)] as const)
        : isKind(r.object, 'VerticalPodAutoscaler', 'autoscaling.k8s.io')
          ? (['targetRef', obj(spec.targetRef)] as const)
          : undefined;
      if (target?.[1]) {
        const t = target[1];
        const kind = str(t.kind);
        const name = str(t.name);
        if (!kind || !name || hasVariable(name)) continue;
        if (model.find(apiGroup(str(t.apiVersion)), kind, ns, name) || model.opaque(ns)) continue;
        report({
          resource: r,
          line: model.lineOf(r, ['spec', target[0]]),
          message: `${idOf(r)}: ${target[0]} names ${kind} ${ns}/${name} (${str(t.apiVersion) ?? 'no apiVersion'}), which nothing in the cluster provides`,
        });
      }
    }
  },
};

export const pdbSelectsPods: ClusterRule = {
  id: 'pdb-selects-pods',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc:
    'A PodDisruptionBudget selector selects at least one pod template of its namespace in the cluster as it ' +
    'will be (otherwise it protects nothing).',
  hint: "Make the PDB selector match the labels of the workload's pod template.",
  check(ctx, report) {
    const model = clusterModel(ctx);
    for (const r of ctx.resources) {
      if (!isKind(r.object, 'PodDisruptionBudget', 'policy')) continue;
      const selector = obj(r.object.spec)?.selector;
      const ns = nsOf(r);
      if (selector === undefined || hasVariable(ns)) continue;
      if (
        model.pods.some((p) => p.namespace === ns && labelSelectorMatches(selector, p.labels, 'nothing')) ||
        model.opaque(ns)
      )
        continue;
      report({
        resource: r,
        line: model.lineOf(r, ['spec', 'selector']),
        message: `${idOf(r)}: selector ${showSelector(selector)} selects no pod of namespace ${ns}`,
      });
    }
  },
};

export const referenceTrafficRules: readonly ClusterRule[] = [
  serviceSelectsPods,
  serviceTargetPortDeclared,
  routeBackendsExist,
  routeParentsExist,
  scalingTargetsExist,
  pdbSelectsPods,
];
