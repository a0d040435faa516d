/**
 * The JSON kind Go's encoding/json names in "cannot unmarshal KIND into Go ..." errors (Helm decodes
 * Chart.yaml, values files and rendered manifest heads through sigs.k8s.io/yaml, so its errors say these).
 */
export function goJsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}
