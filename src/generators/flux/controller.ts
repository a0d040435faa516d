/**
 * The shape of one platform add-on's controller folder (platform.ts writes them; policies.ts adds the policy engine's).
 */

export interface ChartSource {
  readonly name: string;
  readonly url: string;
  readonly oci?: boolean;
}

/** One add-on's controller folder: namespace (unless shared), chart source and HelmRelease. */
export interface Controller {
  readonly dir: string;
  readonly namespace: string;
  readonly createNamespace: boolean;
  readonly source: ChartSource;
  readonly release: {
    name: string;
    chart: string;
    version: string;
    values: Record<string, unknown>;
    dependsOn?: string[];
  };
  readonly comment: string;
}
