/**
 * Test doubles of the HelmRelease stage: an in-memory {@link ChartStore} (answers from a list of
 * charts by source and chart name; any version constraint matches exactly or `*`) and a small
 * chart that exercises values, capabilities, CRDs, hooks, cluster-scoped objects and a `fail`.
 */
import type { ChartFile } from '../../helm/chart/types.js';
import type { ChartRequest, ChartStore } from '../../helm/sources/types.js';
import { filesDigest } from './chart-source.js';

export interface MemoryChart {
  readonly sourceId: string;
  readonly chart: string;
  readonly version: string;
  readonly files: Readonly<Record<string, string>>;
}

/** A store over charts held in memory; records every request it answered. */
export function memoryChartStore(charts: readonly MemoryChart[]): ChartStore & { readonly requests: ChartRequest[] } {
  const requests: ChartRequest[] = [];
  return {
    requests,
    lookup(req) {
      requests.push(req);
      const hit = charts.find(
        (c) =>
          c.sourceId === req.sourceId &&
          (req.sourceKind === 'OCIRepository' || c.chart === req.chart) &&
          (req.version === undefined || req.version === '*' || req.version === c.version),
      );
      if (!hit)
        return {
          ok: false,
          reason: `test store: no chart ${req.chart || req.url} ${req.version ?? ''} for ${req.sourceId}`,
        };
      const files: ChartFile[] = Object.entries(hit.files).map(([name, text]) => ({
        name,
        data: new TextEncoder().encode(text),
      }));
      return {
        ok: true,
        chart: {
          files,
          version: hit.version,
          digest: filesDigest(files),
          from: 'mapped',
          location: `memory/${hit.chart}-${hit.version}`,
        },
      };
    },
  };
}

/** A demo chart at `version` (templates use the values `replicas`, `image`, `greeting`, `boom`, `privileged`). */
export function demoChartFiles(version = '1.2.3'): Record<string, string> {
  return {
    'Chart.yaml': `apiVersion: v2\nname: demo\nversion: ${version}\n`,
    'values.yaml':
      'replicas: 1\nimage:\n  repository: nginx\n  tag: "1.25"\ngreeting: hello\nboom: false\nprivileged: false\n',
    'crds/widget.yaml': [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata:',
      '  name: widgets.example.com',
      'spec:',
      '  group: example.com',
      '  scope: Namespaced',
      '  names:',
      '    kind: Widget',
      '    plural: widgets',
      '  versions:',
      '    - name: v1',
      '      served: true',
      '      storage: true',
      '',
    ].join('\n'),
    'templates/deployment.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: {{ .Release.Name }}',
      '  labels:',
      '    app: demo',
      'spec:',
      '  replicas: {{ .Values.replicas }}',
      '  selector:',
      '    matchLabels:',
      '      app: demo',
      '  template:',
      '    metadata:',
      '      labels:',
      '        app: demo',
      '    spec:',
      '      containers:',
      '        - name: demo',
      '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
      '{{- if .Values.privileged }}',
      '          securityContext:',
      '            privileged: true',
      '{{- end }}',
      '',
    ].join('\n'),
    'templates/configmap.yaml': [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: {{ .Release.Name }}-config',
      'data:',
      '  greeting: {{ .Values.greeting | quote }}',
      '  kube: {{ .Capabilities.KubeVersion.Version | quote }}',
      '  widgets: {{ .Capabilities.APIVersions.Has "example.com/v1/Widget" | quote }}',
      '  namespace: {{ .Release.Namespace | quote }}',
      '',
    ].join('\n'),
    'templates/clusterrole.yaml':
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n' +
      '  name: {{ .Release.Name }}-reader\nrules: []\n',
    'templates/hook.yaml':
      'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-hook\n  annotations:\n' +
      '    helm.sh/hook: pre-install\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n' +
      '      containers: [{name: x, image: busybox}]\n',
    'templates/fail.yaml': '{{- if .Values.boom }}{{ fail "boom requested" }}{{ end }}\n',
  };
}

/** The HelmRepository `flux-system/charts` that {@link demoHelmRelease} installs from. */
export const DEMO_HELM_REPOSITORY =
  'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: ' +
  'flux-system\nspec:\n  url: https://charts.example.com\n';

/** A HelmRelease `apps/NAME` of the demo chart 1.2.3 from {@link DEMO_HELM_REPOSITORY}; `extra`: more `spec` lines. */
export const demoHelmRelease = (name: string, extra: string): string =>
  `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: ${name}\n  namespace: ` +
  'apps\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: demo\n      version: "1.2.3"\n      ' +
  `sourceRef:\n        kind: HelmRepository\n        name: charts\n        namespace: flux-system\n${extra}`;
