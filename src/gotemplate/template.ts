/**
 * A set of associated templates (Go's *template.Template and its namespace): parse, lookup,
 * execute, clone, funcs. Implements the {@link TemplateSet} contract.
 */
import { GoTemplateError, type TemplateSet, type TemplateSetOptions } from './contract.js';
import { execute } from './exec.js';
import { builtins } from './funcs.js';
import { isEmptyTree, type Tree } from './node.js';
import { parse } from './parse.js';
import { quote } from './strconv.js';
import type { GoFunc, GoValue } from './value.js';

/**
 * The default cap on nested `template` calls. Go allows 100000, which a JavaScript stack cannot
 * hold; 1000 matches Helm's cap on nested `include`/`tpl` calls.
 */
export const DEFAULT_MAX_EXEC_DEPTH = 1000;

class GoTemplateSet implements TemplateSet {
  readonly trees: Map<string, Tree>;
  private userFuncs: Record<string, GoFunc>;
  private rootName: string | undefined;

  constructor(
    private readonly options: TemplateSetOptions,
    trees?: Map<string, Tree>,
    funcs?: Record<string, GoFunc>,
    rootName?: string,
  ) {
    this.trees = trees ?? new Map();
    this.userFuncs = funcs ?? { ...(options.funcs ?? {}) };
    this.rootName = rootName;
  }

  parse(name: string, text: string): void {
    const delims = this.options.delims ?? ['{{', '}}'];
    const parsed = parse(
      name,
      text,
      delims,
      (fn) =>
        Object.prototype.hasOwnProperty.call(this.userFuncs, fn) || Object.prototype.hasOwnProperty.call(builtins, fn),
    );
    this.rootName ??= name;
    for (const [n, tree] of parsed) {
      const old = this.trees.get(n);
      // Go's associate: an empty redefinition does not replace a template with content.
      if (old && isEmptyTree(tree.root) && old.root !== null) continue;
      this.trees.set(n, tree);
    }
  }

  has(name: string): boolean {
    return this.trees.has(name);
  }

  names(): string[] {
    return [...this.trees.keys()].sort();
  }

  execute(name: string, data: GoValue): string {
    const tree = this.trees.get(name);
    if (!tree) {
      throw new GoTemplateError(
        `template: no template ${quote(name)} associated with template ${quote(this.rootName ?? name)}`,
        name,
      );
    }
    const limits = this.options.limits ?? {};
    return execute(
      {
        lookup: (n) => this.trees.get(n),
        findFunction: (n) => {
          if (Object.prototype.hasOwnProperty.call(this.userFuncs, n))
            return { fn: this.userFuncs[n]!, isBuiltin: false };
          if (Object.prototype.hasOwnProperty.call(builtins, n)) return { fn: builtins[n]!, isBuiltin: true };
          return undefined;
        },
        missingKey: this.options.missingKey ?? 'default',
        maxExecDepth: limits.maxExecDepth ?? DEFAULT_MAX_EXEC_DEPTH,
        ...(limits.deadline !== undefined ? { deadline: limits.deadline } : {}),
        ...(limits.maxOutputBytes !== undefined ? { maxOutputBytes: limits.maxOutputBytes } : {}),
      },
      name,
      tree,
      data === undefined ? undefined : data,
    );
  }

  clone(): TemplateSet {
    // Trees are never mutated after parsing, so sharing them is safe; the maps are copied.
    return new GoTemplateSet(this.options, new Map(this.trees), { ...this.userFuncs }, this.rootName);
  }

  funcs(extra: Readonly<Record<string, GoFunc>>): void {
    this.userFuncs = { ...this.userFuncs, ...extra };
  }
}

/** Creates an empty template set (Go: `template.New(..).Funcs(..).Option(..).Delims(..)`). */
export function newTemplateSet(options: TemplateSetOptions = {}): TemplateSet {
  return new GoTemplateSet(options);
}

/** The parse tree of a template of a set made by {@link newTemplateSet} (for tests and tools). */
export function treeOf(set: TemplateSet, name: string): Tree | undefined {
  return set instanceof GoTemplateSet ? set.trees.get(name) : undefined;
}
