import type { Fleet } from '../../spec/schema.js';
import type { GeneratedFile } from '../types.js';

/** infra/: Bicep modules, one entry + .bicepparam per cluster, and az CLI scripts. */
export function generateInfra(fleet: Fleet): GeneratedFile[] {
  void fleet;
  return [];
}
