/**
 * infra/modules/monitoring.bicep: Container Insights (Log Analytics workspace + data collection
 * rule), and optionally Azure Monitor managed Prometheus (Azure Monitor workspace, data
 * collection endpoint and rule) and Azure Managed Grafana linked to it, per the spec's
 * cluster.monitoring fields. The aks module associates the rules with the cluster.
 */
import { expr, interp, type BicepFile } from '../../bicep/index.js';
import { GENERATED, resource } from './common.js';
import { roleId } from './data.js';

export function monitoringModuleFile(): BicepFile {
  const cond = (c: string) => expr(c);
  return {
    header: [GENERATED, 'Observability on the Azure side for one cluster.'],
    declarations: [
      { kind: 'param', name: 'clusterName', type: 'string' },
      { kind: 'param', name: 'location', type: 'string', default: expr('resourceGroup().location') },
      { kind: 'param', name: 'tags', type: 'object', default: {} },
      { kind: 'param', name: 'containerInsights', type: 'bool', default: true },
      { kind: 'param', name: 'retentionDays', type: 'int', default: 30 },
      { kind: 'param', name: 'managedPrometheus', type: 'bool', default: false },
      { kind: 'param', name: 'managedGrafana', type: 'bool', default: false },
      resource(
        'workspace',
        'Microsoft.OperationalInsights/workspaces',
        {
          name: interp`log-${expr('clusterName')}`,
          location: expr('location'),
          tags: expr('tags'),
          properties: { sku: { name: 'PerGB2018' }, retentionInDays: expr('retentionDays') },
        },
        {
          condition: cond('containerInsights'),
          comment: 'Container Insights routes node and control plane logs and metrics here.',
        },
      ),
      resource(
        'containerInsightsRule',
        'Microsoft.Insights/dataCollectionRules',
        {
          name: interp`MSCI-${expr('location')}-${expr('clusterName')}`,
          location: expr('location'),
          tags: expr('tags'),
          kind: 'Linux',
          properties: {
            dataSources: {
              extensions: [
                {
                  name: 'ContainerInsightsExtension',
                  streams: ['Microsoft-ContainerInsights-Group-Default'],
                  extensionName: 'ContainerInsights',
                  extensionSettings: {
                    dataCollectionSettings: {
                      interval: '1m',
                      namespaceFilteringMode: 'Off',
                      enableContainerLogV2: true,
                    },
                  },
                },
              ],
            },
            destinations: { logAnalytics: [{ name: 'ciworkspace', workspaceResourceId: expr('workspace.id') }] },
            dataFlows: [{ streams: ['Microsoft-ContainerInsights-Group-Default'], destinations: ['ciworkspace'] }],
          },
        },
        { condition: cond('containerInsights') },
      ),
      resource(
        'monitorWorkspace',
        'Microsoft.Monitor/accounts',
        { name: interp`amw-${expr('clusterName')}`, location: expr('location'), tags: expr('tags') },
        { condition: cond('managedPrometheus'), comment: 'Azure Monitor workspace: the managed Prometheus store.' },
      ),
      resource(
        'prometheusEndpoint',
        'Microsoft.Insights/dataCollectionEndpoints',
        {
          name: interp`MSProm-${expr('location')}-${expr('clusterName')}`,
          location: expr('location'),
          tags: expr('tags'),
          kind: 'Linux',
          properties: {},
        },
        { condition: cond('managedPrometheus') },
      ),
      resource(
        'prometheusRule',
        'Microsoft.Insights/dataCollectionRules',
        {
          name: interp`MSProm-${expr('location')}-${expr('clusterName')}`,
          location: expr('location'),
          tags: expr('tags'),
          kind: 'Linux',
          properties: {
            dataCollectionEndpointId: expr('prometheusEndpoint.id'),
            dataSources: {
              prometheusForwarder: [
                { name: 'PrometheusDataSource', streams: ['Microsoft-PrometheusMetrics'], labelIncludeFilter: {} },
              ],
            },
            destinations: {
              monitoringAccounts: [{ name: 'MonitoringAccount1', accountResourceId: expr('monitorWorkspace.id') }],
            },
            dataFlows: [{ streams: ['Microsoft-PrometheusMetrics'], destinations: ['MonitoringAccount1'] }],
          },
        },
        { condition: cond('managedPrometheus') },
      ),
      resource(
        'grafana',
        'Microsoft.Dashboard/grafana',
        {
          name: expr("take('graf-${clusterName}', 23)"),
          location: expr('location'),
          tags: expr('tags'),
          sku: { name: 'Standard' },
          identity: { type: 'SystemAssigned' },
          properties: {
            publicNetworkAccess: 'Enabled',
            grafanaIntegrations: {
              azureMonitorWorkspaceIntegrations: [{ azureMonitorWorkspaceResourceId: expr('monitorWorkspace.id') }],
            },
          },
        },
        { condition: cond('managedGrafana'), comment: 'Managed Grafana reading the managed Prometheus workspace.' },
      ),
      resource(
        'grafanaReadsMetrics',
        'Microsoft.Authorization/roleAssignments',
        {
          scope: expr('monitorWorkspace'),
          name: expr(`guid(monitorWorkspace.id, grafana.id, '${roleId('Monitoring Data Reader')}')`),
          properties: {
            roleDefinitionId: expr(
              `subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ` +
                `'${roleId('Monitoring Data Reader')}')`,
            ),
            principalId: expr('grafana.identity.principalId'),
            principalType: 'ServicePrincipal',
          },
        },
        {
          condition: cond('managedGrafana'),
          comment: "Monitoring Data Reader: Grafana's identity queries the Azure Monitor workspace.",
        },
      ),
      {
        kind: 'output',
        name: 'logAnalyticsWorkspaceId',
        type: 'string',
        value: expr("containerInsights ? workspace.id : ''"),
      },
      {
        kind: 'output',
        name: 'containerInsightsDataCollectionRuleId',
        type: 'string',
        value: expr("containerInsights ? containerInsightsRule.id : ''"),
      },
      {
        kind: 'output',
        name: 'azureMonitorWorkspaceId',
        type: 'string',
        value: expr("managedPrometheus ? monitorWorkspace.id : ''"),
      },
      {
        kind: 'output',
        name: 'prometheusDataCollectionRuleId',
        type: 'string',
        value: expr("managedPrometheus ? prometheusRule.id : ''"),
      },
      {
        kind: 'output',
        name: 'prometheusDataCollectionEndpointId',
        type: 'string',
        value: expr("managedPrometheus ? prometheusEndpoint.id : ''"),
      },
      { kind: 'output', name: 'grafanaId', type: 'string', value: expr("managedGrafana ? grafana.id : ''") },
    ],
  };
}
