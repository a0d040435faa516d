/**
 * The template function map exactly as Helm 4.2's engine wires it (pkg/engine/funcs.go and
 * engine.go's initFunMap): sprig v3.3.0's TxtFuncMap without `env` and `expandenv`, Helm's own
 * serialization functions, and the late-bound `include`, `tpl`, `required`, `fail`, `lookup` and
 * `getHostByName` (DNS off, as `helm template` and Flux's helm-controller render).
 *
 * Each family lives in its own file, as in sprig. Values follow src/gotemplate/value.ts.
 */
import type { TemplateSet } from '../../gotemplate/contract.js';
import { goFunc, type GoFunc } from '../../gotemplate/value.js';
import { cryptoFuncs } from './crypto.js';
import { dateFuncs } from './date.js';
import { dictFuncs } from './dicts.js';
import { flowFuncs } from './flow.js';
import { GeneratedValues } from './generated.js';
import { helmJsonFuncs } from './helm-json.js';
import { listFuncs } from './lists.js';
import { numericFuncs } from './numeric.js';
import { pathFuncs } from './paths.js';
import { reflectFuncs } from './reflect.js';
import { semverFuncs } from './semver.js';
import { regexFuncs } from './regex.js';
import { stringFuncs } from './strings.js';
import { includeFunc, lookupFunc, newIncludeState, tplFunc } from './template.js';
import { tomlFuncs } from './toml.js';
import { urlFuncs } from './url.js';
import { yamlFuncs } from './yaml.js';

export { GeneratedValues, GENERATED_MARKER, type Generated } from './generated.js';
export {
  INCLUDE_RECURSION_MAX,
  MAX_INCLUDE_DEPTH,
  TPL_NAME,
  includeFunc,
  tplFunc,
  newIncludeState,
  type IncludeState,
} from './template.js';

/** What {@link helmFuncMap} needs from its caller. */
export interface HelmFuncMapOptions {
  /**
   * The template set being rendered (all of a chart's templates), for `include` and `tpl`. Called
   * when a template calls them, so the set may be created after the map (it needs the map first).
   * Without it, `include` and `tpl` fail with an error saying so.
   */
  readonly templates?: () => TemplateSet;
  /**
   * The current time for `now`, `ago`, `date` with a non-time argument... Default: the Unix epoch,
   * so that output is deterministic; pass `() => new Date()` for wall-clock time.
   */
  readonly now?: () => Date;
  /** Where random and generated values come from and are recorded. Default: a new registry with seed "aksfleet". */
  readonly generated?: GeneratedValues;
}

/** Functions every render shares; built once. */
function staticFuncs(): Record<string, GoFunc> {
  return {
    ...stringFuncs,
    ...numericFuncs,
    ...listFuncs,
    ...dictFuncs,
    ...reflectFuncs,
    ...flowFuncs,
    ...pathFuncs,
    ...regexFuncs,
    ...urlFuncs,
    ...semverFuncs,
  };
}
let shared: Record<string, GoFunc> | undefined;

/**
 * sprig's own TxtFuncMap (no Helm overrides: sprig's toJson and fromJson, no include, tpl,
 * lookup or toYaml), for engines other than Helm that register sprig (the Flux Operator's
 * ResourceSet templates take the hermetic subset of slim-sprig from it).
 */
export function sprigFuncMap(opts: Pick<HelmFuncMapOptions, 'now' | 'generated'> = {}): Record<string, GoFunc> {
  shared ??= staticFuncs();
  return {
    ...shared,
    ...cryptoFuncs(opts.generated ?? new GeneratedValues()),
    ...dateFuncs(opts.now ?? ((): Date => new Date(0))),
  };
}

/**
 * Helm's function map for one render. `include` and `tpl` share one nested-include count, as
 * Helm's do within one `Engine.Render`.
 */
export function helmFuncMap(opts: HelmFuncMapOptions = {}): Record<string, GoFunc> {
  shared ??= staticFuncs();
  const generated = opts.generated ?? new GeneratedValues();
  const state = newIncludeState();
  const templates =
    opts.templates ??
    ((): TemplateSet => {
      throw new Error('helmFuncMap: include and tpl need the template set (options.templates)');
    });
  return {
    ...shared,
    ...cryptoFuncs(generated),
    ...dateFuncs(opts.now ?? ((): Date => new Date(0))),
    // Helm's own (funcs.go), replacing sprig's toJson/mustToJson/fromJson.
    ...yamlFuncs,
    ...helmJsonFuncs,
    ...tomlFuncs,
    include: includeFunc(templates, state),
    tpl: tplFunc(templates, state),
    lookup: lookupFunc,
    // engine.go: DNS lookups are off unless EnableDNS; helm template and helm-controller leave it off.
    getHostByName: goFunc(['string'], ['string'], () => ''),
  };
}
