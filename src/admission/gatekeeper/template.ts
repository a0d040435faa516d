/**
 * A ConstraintTemplate (templates.gatekeeper.sh v1, v1beta1, v1alpha1) compiled once: the
 * constraint kind it defines (`spec.crd.spec.names.kind`), the parameters schema, and the code of
 * its admission target, either Rego (`targets[].rego` + `libs`, or a `code[]` entry with
 * `engine: Rego`) or CEL (`code[]` with `engine: K8sNativeValidation`: `variables`,
 * `validations`, `matchConditions`, `failurePolicy`).
 *
 * Which engine runs when a template carries both: the CEL one, as gator 3.23 and Gatekeeper 3.23
 * do by default (`--enable-k8s-native-validation=true`; the constraint framework picks the driver
 * registered first, and K8sNativeValidation is registered before Rego).
 *
 * Rego embedded in YAML is compiled with its block scalar's position, so a Rego error names the
 * template file, line and column.
 */
import { RegoFailure, compileRego, type RegoModuleInput, type RegoProgram } from '../../rego/index.js';
import { compileExpression, type CompiledExpression } from '../cel-policies/policy.js';
import type { PolicyDocument, PolicyLoadError } from '../types.js';

export const TEMPLATE_GROUP = 'templates.gatekeeper.sh';
export const ADMISSION_TARGET = 'admission.k8s.gatekeeper.sh';

/** The CEL part of a template (K8sNativeValidation). */
export interface CelCode {
  readonly variables: readonly { readonly name: string; readonly expression: CompiledExpression }[];
  readonly matchConditions: readonly { readonly name: string; readonly expression: CompiledExpression }[];
  readonly validations: readonly {
    readonly expression: CompiledExpression;
    readonly message?: string;
    readonly messageExpression?: CompiledExpression;
  }[];
  readonly failurePolicy: 'Fail' | 'Ignore';
}

/** The Rego part of a template. */
export interface RegoCode {
  readonly modules: readonly RegoModuleInput[];
  /** `data.<package>.violation`. */
  readonly query: string;
  readonly program?: RegoProgram;
  /** Calls `external_data` (Gatekeeper external data providers): not evaluable offline. */
  readonly externalData: boolean;
  /** Reads `data.inventory` (only then is the inventory built). */
  readonly usesInventory: boolean;
}

export interface CompiledTemplate {
  /** metadata.name (Gatekeeper requires it to be the lower-cased kind). */
  readonly name: string;
  /** The constraint kind it defines. */
  readonly kind: string;
  readonly file: string;
  readonly line?: number;
  readonly parametersSchema?: unknown;
  /** The engine that runs: CEL when the template has it, else Rego. */
  readonly engine: 'cel' | 'rego';
  readonly cel?: CelCode;
  readonly rego?: RegoCode;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isObj) : []);

/** True for a ConstraintTemplate document. */
export function isConstraintTemplate(o: Record<string, unknown>): boolean {
  return (
    o.kind === 'ConstraintTemplate' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith(`${TEMPLATE_GROUP}/`)
  );
}

/** The package a Rego text declares (first `package` line). */
export function regoPackage(text: string): string | undefined {
  const m = /^\s*package\s+([A-Za-z_][\w.]*|[A-Za-z_][\w]*(?:\[["'][^"']*["']\])*)/m.exec(text);
  return m?.[1];
}

/**
 * Where the content of a YAML block scalar starts: the line after the node's header, and the
 * indentation of its first non-empty line. Flow scalars start on the node's own line.
 */
export function blockScalarStart(
  source: string | undefined,
  node: { line: number; column: number },
): { line: number; indent: number } {
  if (source === undefined) return { line: node.line, indent: 0 };
  const lines = source.split('\n');
  const header = lines[node.line - 1] ?? '';
  const after = header.slice(node.column - 1).trimStart();
  if (!/^[|>]/.test(after)) return { line: node.line, indent: node.column - 1 };
  const explicit = /^[|>][+-]?([1-9])/.exec(after);
  for (let i = node.line; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() === '') continue;
    const indent = l.length - l.trimStart().length;
    if (explicit) {
      const parent = header.length - header.trimStart().length;
      return { line: node.line + 1, indent: parent + Number(explicit[1]) };
    }
    return { line: node.line + 1, indent };
  }
  return { line: node.line + 1, indent: 0 };
}

function modulePos(doc: PolicyDocument, path: readonly (string | number)[]): { lineOffset: number; indent: number } {
  if (!doc.posOf) return { lineOffset: doc.line ?? 1, indent: 0 };
  const start = blockScalarStart(doc.sourceText, doc.posOf(path));
  return { lineOffset: start.line, indent: start.indent };
}

/** The Rego sources of the admission target: (text, YAML path) of the template and its libs. */
function regoSources(
  target: Record<string, unknown>,
  base: (string | number)[],
): { rego?: { text: string; path: (string | number)[] }; libs: { text: string; path: (string | number)[] }[] } {
  const code = list(target.code);
  const idx = code.findIndex((c) => c.engine === 'Rego');
  if (idx >= 0 && isObj(code[idx]!.source) && typeof (code[idx]!.source as Record<string, unknown>).rego === 'string') {
    const src = code[idx]!.source as Record<string, unknown>;
    const p = [...base, 'code', idx, 'source'];
    return {
      rego: { text: src.rego as string, path: [...p, 'rego'] },
      libs: (Array.isArray(src.libs) ? src.libs : []).flatMap((l, i) =>
        typeof l === 'string' ? [{ text: l, path: [...p, 'libs', i] }] : [],
      ),
    };
  }
  if (typeof target.rego === 'string') {
    return {
      rego: { text: target.rego, path: [...base, 'rego'] },
      libs: (Array.isArray(target.libs) ? target.libs : []).flatMap((l, i) =>
        typeof l === 'string' ? [{ text: l, path: [...base, 'libs', i] }] : [],
      ),
    };
  }
  return { libs: [] };
}

function compileCelCode(source: Record<string, unknown>, base: string): CelCode {
  const field = (s: string): string => `${base}.${s}`;
  return {
    variables: list(source.variables).map((v, i) => ({
      name: String(v.name ?? ''),
      expression: compileExpression(v.expression, field(`variables[${i}].expression`)),
    })),
    matchConditions: list(source.matchConditions).map((m, i) => ({
      name: String(m.name ?? i),
      expression: compileExpression(m.expression, field(`matchConditions[${i}].expression`)),
    })),
    validations: list(source.validations).map((v, i) => ({
      expression: compileExpression(v.expression, field(`validations[${i}].expression`)),
      ...(typeof v.message === 'string' ? { message: v.message } : {}),
      ...(typeof v.messageExpression === 'string'
        ? { messageExpression: compileExpression(v.messageExpression, field(`validations[${i}].messageExpression`)) }
        : {}),
    })),
    failurePolicy: source.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
  };
}

const RESERVED_CEL_VARIABLES = new Set(['params', 'anyObject']);

/** Compiles one template; problems come back as load errors (the template is then absent or partial). */
export function compileTemplate(doc: PolicyDocument): { template?: CompiledTemplate; errors: PolicyLoadError[] } {
  const o = doc.object;
  const md = isObj(o.metadata) ? o.metadata : {};
  const name = typeof md.name === 'string' ? md.name : '';
  const err = (message: string, line = doc.line, column?: number): PolicyLoadError => ({
    file: doc.file,
    ...(line !== undefined ? { line } : {}),
    ...(column !== undefined ? { column } : {}),
    policy: name || undefined,
    message,
  });
  const spec = isObj(o.spec) ? o.spec : {};
  const crd = isObj(spec.crd) && isObj(spec.crd.spec) ? spec.crd.spec : {};
  const names = isObj(crd.names) ? crd.names : {};
  const kind = typeof names.kind === 'string' ? names.kind : '';
  if (!kind) return { errors: [err('ConstraintTemplate: spec.crd.spec.names.kind is required')] };
  if (name && name !== kind.toLowerCase())
    return {
      errors: [
        err(
          `ConstraintTemplate: metadata.name '${name}' must be the lower-case of spec.crd.spec.names.kind ` +
            `'${kind}' ('${kind.toLowerCase()}')`,
        ),
      ],
    };
  const validation = isObj(crd.validation) ? crd.validation : {};
  const parametersSchema = validation.openAPIV3Schema;
  const targets = list(spec.targets);
  const ti = targets.findIndex((t) => t.target === ADMISSION_TARGET);
  if (ti < 0) return { errors: [err(`ConstraintTemplate: no target '${ADMISSION_TARGET}' in spec.targets`)] };
  const target = targets[ti]!;
  const base: (string | number)[] = ['spec', 'targets', ti];
  const codes = list(target.code);
  const celIdx = codes.findIndex((c) => c.engine === 'K8sNativeValidation');
  const common = {
    name: name || kind.toLowerCase(),
    kind,
    file: doc.file,
    ...(doc.line !== undefined ? { line: doc.line } : {}),
    ...(parametersSchema !== undefined ? { parametersSchema } : {}),
  };

  if (celIdx >= 0 && isObj(codes[celIdx]!.source)) {
    const cel = compileCelCode(
      codes[celIdx]!.source as Record<string, unknown>,
      `spec.targets[${ti}].code[${celIdx}].source`,
    );
    const errors: PolicyLoadError[] = [];
    for (const v of cel.variables)
      if (RESERVED_CEL_VARIABLES.has(v.name))
        errors.push(err(`variable name '${v.name}' is reserved by Gatekeeper (params, anyObject)`));
    const exprs = [
      ...cel.variables.map((v) => v.expression),
      ...cel.matchConditions.map((m) => m.expression),
      ...cel.validations.flatMap((v) => (v.messageExpression ? [v.expression, v.messageExpression] : [v.expression])),
    ];
    for (const e of exprs) if (e.error) errors.push(err(e.error));
    if (cel.validations.length === 0)
      errors.push(err(`spec.targets[${ti}].code[${celIdx}].source.validations is empty`));
    if (errors.length) return { errors };
    return { template: { ...common, engine: 'cel', cel }, errors: [] };
  }

  const src = regoSources(target, base);
  if (!src.rego)
    return {
      errors: [err(`ConstraintTemplate: target '${ADMISSION_TARGET}' has no Rego and no K8sNativeValidation code`)],
    };
  const pkg = regoPackage(src.rego.text);
  if (!pkg) {
    const p = modulePos(doc, src.rego.path);
    return { errors: [err('Rego: no package declaration', p.lineOffset, p.indent + 1)] };
  }
  const positions: { lineOffset: number; indent: number }[] = [];
  const modules: RegoModuleInput[] = [src.rego, ...src.libs].map((m) => {
    const p = modulePos(doc, m.path);
    positions.push(p);
    return { file: doc.file, text: m.text, lineOffset: p.lineOffset };
  });
  const query = `data.${pkg}.violation`;
  const externalData = [src.rego, ...src.libs].some((m) => /\bexternal_data\s*\(/.test(m.text));
  const usesInventory = [src.rego, ...src.libs].some((m) =>
    /\bdata\s*(\.\s*inventory\b|\[\s*"inventory")/.test(m.text),
  );
  if (externalData)
    return {
      template: { ...common, engine: 'rego', rego: { modules, query, externalData, usesInventory } },
      errors: [],
    };
  try {
    const program = compileRego(modules, { v0UnlessImported: true });
    return {
      template: { ...common, engine: 'rego', rego: { modules, query, program, externalData, usesInventory } },
      errors: [],
    };
  } catch (e) {
    if (!(e instanceof RegoFailure)) return { errors: [err(`Rego: ${(e as Error).message}`)] };
    return {
      errors: e.errors.map((r) => {
        // The evaluator counts lines from lineOffset; columns are inside the dedented block.
        const m = modules.findIndex(
          (mod) => r.row >= (mod.lineOffset ?? 1) && r.row < (mod.lineOffset ?? 1) + mod.text.split('\n').length,
        );
        const indent = m >= 0 ? positions[m]!.indent : 0;
        return err(
          `Rego ${r.code}: ${r.message}`,
          r.row > 0 ? r.row : doc.line,
          r.col > 0 ? r.col + indent : undefined,
        );
      }),
    };
  }
}
