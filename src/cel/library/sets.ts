/** cel-go's sets extension (ext.Sets): sets.contains, sets.equivalent, sets.intersects. */
import { charge } from '../cost.js';
import { equalCel } from '../semantics.js';
import { namespaced, type CelRegistrar } from './types.js';

const has = (l: unknown[], x: unknown): boolean => l.some((e) => equalCel(e, x));

export function registerSets(env: CelRegistrar): void {
  namespaced(env, 'sets.contains', ['list', 'list'], 'bool', (a: unknown[], b: unknown[]) => {
    charge(a.length * b.length);
    return b.every((x) => has(a, x));
  });
  namespaced(env, 'sets.equivalent', ['list', 'list'], 'bool', (a: unknown[], b: unknown[]) => {
    charge(a.length * b.length);
    return b.every((x) => has(a, x)) && a.every((x) => has(b, x));
  });
  namespaced(env, 'sets.intersects', ['list', 'list'], 'bool', (a: unknown[], b: unknown[]) => {
    charge(a.length * b.length);
    return b.some((x) => has(a, x));
  });
}
