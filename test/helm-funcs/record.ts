// Records src/helm/funcs/cases.expected.json and charts.expected.json from the helm-engine oracle:
//   npx tsx test/helm-funcs/record.ts
import { writeFileSync } from 'node:fs';
import { CASES, CHART_CASES } from '../../src/helm/funcs/cases.js';
import { recordActions, recordCharts } from './oracle-cases.js';
import { oracle } from '../oracles/index.js';

const bin = oracle('helm-engine').path;
const write = (file: string, data: unknown): void =>
  writeFileSync(new URL(`../../src/helm/funcs/${file}`, import.meta.url), JSON.stringify(data, null, 1) + '\n');
write('cases.expected.json', recordActions(bin, CASES));
write('charts.expected.json', recordCharts(bin, CHART_CASES));
