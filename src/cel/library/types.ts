/** What a library module gets: the cel-js Environment's registration methods (typed loosely here). */
export interface CelRegistrar {
  registerFunction(signature: string | Record<string, unknown>, handler?: Function): CelRegistrar;
  registerOperator(signature: string, handler: Function): CelRegistrar;
  registerType(name: string, ctor: Function | Record<string, unknown>): CelRegistrar;
  registerConstant(name: string, type: string, value: unknown): CelRegistrar;
}

/** A namespaced global function (`sets.contains`), registered under its dotted name. */
export function namespaced(
  env: CelRegistrar,
  name: string,
  params: readonly string[],
  returnType: string,
  handler: Function,
): void {
  env.registerFunction({ name, returnType, params: params.map((type, i) => ({ name: `a${i}`, type })), handler });
}
