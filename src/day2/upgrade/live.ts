/**
 * Reading cluster state live through the Azure SDK (@azure/arm-containerservice with
 * @azure/identity's DefaultAzureCredential). Both are loaded only here, lazily, so everything
 * else works without them or without credentials. I/O: the planner never calls this.
 */
import { InputError } from '../../errors.js';
import type { Fleet } from '../../spec/schema.js';
import { clusterFromManagedCluster } from './state.js';
import type { ClusterState } from './types.js';

/** Reads one managed cluster (subscription, resource group, name) -> the SDK's ManagedCluster. */
export type GetManagedCluster = (subscriptionId: string, resourceGroup: string, name: string) => Promise<unknown>;

/** The SDK-backed reader (loads @azure/arm-containerservice and @azure/identity on first use). */
export async function sdkReader(): Promise<GetManagedCluster> {
  let sdk: typeof import('@azure/arm-containerservice');
  let identity: typeof import('@azure/identity');
  try {
    sdk = await import('@azure/arm-containerservice');
    identity = await import('@azure/identity');
  } catch (e) {
    throw new InputError(
      `--live needs @azure/arm-containerservice and @azure/identity installed (${(e as Error).message}); or pass ` +
        `--state with 'az aks show -o json' output`,
      { cause: e },
    );
  }
  const credential = new identity.DefaultAzureCredential();
  const clients = new Map<string, InstanceType<typeof sdk.ContainerServiceClient>>();
  return (sub, rg, name) => {
    let client = clients.get(sub);
    if (!client) clients.set(sub, (client = new sdk.ContainerServiceClient(credential, sub)));
    return client.managedClusters.get(rg, name);
  };
}

export async function readLiveState(
  fleet: Fleet,
  env: Readonly<Record<string, string | undefined>>,
  get?: GetManagedCluster,
): Promise<ClusterState[]> {
  const out: ClusterState[] = [];
  for (const c of fleet.spec.clusters) {
    const sub = c.subscriptionId ?? env.AZURE_SUBSCRIPTION_ID;
    if (!sub)
      throw new InputError(
        `cluster ${c.name} has no subscriptionId and AZURE_SUBSCRIPTION_ID is not set; --live cannot find it`,
        { fieldPath: `spec.clusters[${fleet.spec.clusters.indexOf(c)}].subscriptionId` },
      );
    get ??= await sdkReader();
    let mc: unknown;
    try {
      mc = await get(sub, c.resourceGroup, c.name);
    } catch (e) {
      throw new InputError(`reading managed cluster ${c.resourceGroup}/${c.name} failed: ${(e as Error).message}`, {
        cause: e,
      });
    }
    const fail = (path: (string | number)[], msg: string): never => {
      throw new InputError(`${c.name} (live): ${path.join('.')}: ${msg}`);
    };
    // The SDK's objects use the same flattened field names as `az aks show -o json`.
    out.push(
      clusterFromManagedCluster(JSON.parse(JSON.stringify(mc)), fail, `live:${sub}/${c.resourceGroup}/${c.name}`),
    );
  }
  return out;
}
