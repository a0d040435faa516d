/** The example fleet that `aksfleet init` writes (examples/fleet.yaml, shipped with the package). */
import { readFileSync } from 'node:fs';
import { exampleFile } from '../package-root.js';

/** The example fleet's text, with a yaml-language-server schema line pointing at `schemaRef`. */
export function exampleFleetText(schemaRef = './fleet.schema.json'): string {
  const body = readFileSync(exampleFile('fleet.yaml'), 'utf8');
  return `# yaml-language-server: $schema=${schemaRef}\n${body}`;
}
