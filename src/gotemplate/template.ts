/**
 * A set of associated templates (Go's *template.Template and its namespace): parse, lookup,
 * execute, clone, funcs. Implements the {@link TemplateSet} contract.
 */
import { GoTemplateError, type TemplateSet, type TemplateSetOptions } from './contract.js';
import { type ExecEnv, execute } from './exec.js';
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

type FuncLayers = readonly Readonly<Record<string, GoFunc>>[];
/** A set's function map is a list of layers, the last added first; flattened past this many. */
const MAX_FUNC_LAYERS = 4;

function ownFunc(layers: FuncLayers, name: string): GoFunc | undefined {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    if (Object.prototype.hasOwnProperty.call(layer, name)) return layer[name];
  }
  return undefined;
}

function hasOwnFunc(layers: FuncLayers, name: string): boolean {
  for (let i = layers.length - 1; i >= 0; i--) if (Object.prototype.hasOwnProperty.call(layers[i]!, name)) return true;
  return false;
}

type FoundFunc = { readonly fn: GoFunc; readonly isBuiltin: boolean } | undefined;

class GoTemplateSet implements TemplateSet {
  /**
   * The templates by name. After {@link clone} the two sets share one map until either adds to it
   * (copy on write: `treesShared`), so a clone for every `tpl` call copies nothing it does not change.
   */
  private treeMap: Map<string, Tree>;
  private treesShared: boolean;
  /** The function map, as layers never changed once added (clones share them). */
  private userFuncs: FuncLayers;
  private rootName: string | undefined;
  /** The executor's view of this set, made on first execute, dropped when the function map changes. */
  private env: ExecEnv | undefined;
  private readonly hasFunction = (fn: string): boolean =>
    hasOwnFunc(this.userFuncs, fn) || Object.prototype.hasOwnProperty.call(builtins, fn);

  constructor(
    private readonly options: TemplateSetOptions,
    trees?: Map<string, Tree>,
    funcs?: FuncLayers,
    rootName?: string,
  ) {
    this.treeMap = trees ?? new Map();
    this.treesShared = trees !== undefined;
    this.userFuncs = funcs ?? [{ ...(options.funcs ?? {}) }];
    this.rootName = rootName;
  }

  get trees(): ReadonlyMap<string, Tree> {
    return this.treeMap;
  }

  parse(name: string, text: string): void {
    const delims = this.options.delims ?? ['{{', '}}'];
    const parsed = parse(name, text, delims, this.hasFunction);
    this.rootName ??= name;
    if (this.treesShared) {
      this.treeMap = new Map(this.treeMap);
      this.treesShared = false;
    }
    for (const [n, tree] of parsed) {
      const old = this.treeMap.get(n);
      // Go's associate: an empty redefinition does not replace a template with content.
      if (old && isEmptyTree(tree.root) && old.root !== null) continue;
      this.treeMap.set(n, tree);
    }
  }

  has(name: string): boolean {
    return this.treeMap.has(name);
  }

  names(): string[] {
    return [...this.treeMap.keys()].sort();
  }

  execute(name: string, data: GoValue): string {
    const tree = this.treeMap.get(name);
    if (!tree) {
      throw new GoTemplateError(
        `template: no template ${quote(name)} associated with template ${quote(this.rootName ?? name)}`,
        name,
      );
    }
    this.env ??= this.newEnv();
    return execute(this.env, name, tree, data === undefined ? undefined : data);
  }

  private newEnv(): ExecEnv {
    const limits = this.options.limits ?? {};
    const layers = this.userFuncs;
    // Resolved once per name for this function map (user functions may override builtins).
    const found = new Map<string, FoundFunc>();
    return {
      lookup: (n) => this.treeMap.get(n),
      findFunction: (n) => {
        let f = found.get(n);
        if (f === undefined && !found.has(n)) {
          const user = hasOwnFunc(layers, n);
          if (user) f = { fn: ownFunc(layers, n)!, isBuiltin: false };
          else if (Object.prototype.hasOwnProperty.call(builtins, n)) f = { fn: builtins[n]!, isBuiltin: true };
          found.set(n, f);
        }
        return f;
      },
      missingKey: this.options.missingKey ?? 'default',
      maxExecDepth: limits.maxExecDepth ?? DEFAULT_MAX_EXEC_DEPTH,
      ...(limits.budget !== undefined ? { budget: limits.budget } : {}),
      ...(limits.maxOutputBytes !== undefined ? { maxOutputBytes: limits.maxOutputBytes } : {}),
    };
  }

  clone(): TemplateSet {
    // Trees are never mutated after parsing, so sharing them is safe; the map is copied on the first write.
    this.treesShared = true;
    return new GoTemplateSet(this.options, this.treeMap, this.userFuncs, this.rootName);
  }

  funcs(extra: Readonly<Record<string, GoFunc>>): void {
    const layers = [...this.userFuncs, { ...extra }];
    this.userFuncs = layers.length > MAX_FUNC_LAYERS ? [Object.assign({}, ...layers)] : layers;
    this.env = undefined;
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
