/**
 * What cel-go's optional library has and cel-js lacks: `optional.ofNonZeroValue(v)` and equality
 * of optionals (`optional.none() == optional.none()`). (`optMap`/`optFlatMap` are comprehensions:
 * src/cel/comprehensions.ts.)
 */
import { equalCel } from '../semantics.js';
import { Duration, isCelMap, mapEntries, Optional, UnsignedInt } from '../values.js';
import type { CelRegistrar } from './types.js';

/** cel-go's zero values: null, false, 0, 0u, 0.0, "", b"", [], {}, a zero duration, the epoch. */
function isZero(v: unknown): boolean {
  if (v === null || v === false || v === 0 || v === 0n || v === '') return true;
  if (v instanceof UnsignedInt) return v.value === 0n;
  if (v instanceof Uint8Array || Array.isArray(v)) return v.length === 0;
  if (v instanceof Duration) return (v.seconds as bigint) === 0n && (v.nanos as number) === 0;
  if (v instanceof Date) return v.getTime() === 0;
  if (isCelMap(v)) return mapEntries(v).length === 0;
  return false;
}

export function registerOptionals(env: CelRegistrar): void {
  env.registerFunction('OptionalNamespace.ofNonZeroValue(dyn): optional<dyn>', (_ns: unknown, v: unknown) =>
    isZero(v) ? Optional.none() : Optional.of(v),
  );
  env.registerOperator('optional<dyn> == optional<dyn>', (a: Optional, b: Optional) => {
    if (!a.hasValue() || !b.hasValue()) return a.hasValue() === b.hasValue();
    return equalCel(a.value(), b.value());
  });
}
