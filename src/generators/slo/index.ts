import type { KObject } from '../../resources/resource.js';
import type { App, Fleet, Tenant } from '../../spec/schema.js';
import type { GeneratedFile } from '../types.js';

/**
 * The Kubernetes objects for an app's SLOs (PrometheusRule with recording rules and burn-rate
 * alerts; Grafana dashboard ConfigMaps). The Flux repo generator places them in the app's base.
 */
export function sloObjects(fleet: Fleet, tenant: Tenant, app: App): KObject[] {
  void fleet; void tenant; void app;
  return [];
}

/** promtool unit tests (and the plain rule files they load), kept in the repo beside the rules. */
export function generateSloTests(fleet: Fleet): GeneratedFile[] {
  void fleet;
  return [];
}
