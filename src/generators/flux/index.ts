import type { Fleet } from '../../spec/schema.js';
import type { GeneratedFile } from '../types.js';

/** The Flux repository tree: clusters/, platform/, tenants/, workloads/, cluster-bootstrap/. */
export function generateFluxRepo(fleet: Fleet): GeneratedFile[] {
  void fleet;
  return [];
}
