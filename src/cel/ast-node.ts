/** A node of cel-js's syntax tree, as the rewrites in ast.ts and the comprehensions see it. */
export interface CelAstNode {
  readonly op: string;
  readonly args: unknown;
  readonly pos: number;
  readonly meta: {
    check?: Function;
    evaluate?: Function;
    alternate?: CelAstNode;
    macro?: { evaluate?: Function } & Record<string, unknown>;
  };
  setMeta(key: string, value: unknown): CelAstNode;
  clone(op: { name: string; check: Function; evaluate: Function }, args: unknown): CelAstNode;
}
