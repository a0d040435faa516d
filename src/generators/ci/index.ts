import type { Fleet } from '../../spec/schema.js';
import type { GeneratedFile } from '../types.js';

/** CI that runs the gate: .github/workflows/aksfleet.yaml or an Azure Pipelines YAML. */
export function generateCi(fleet: Fleet): GeneratedFile[] {
  void fleet;
  return [];
}
