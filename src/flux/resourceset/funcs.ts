/**
 * The template functions of a ResourceSet, as flux-operator's builder registers them
 * (internal/builder/resourceset.go newTemplate): slim-sprig v3's HermeticTxtFuncMap (sprig's text
 * functions without dates that read the clock, random values, env and DNS), `slugify`, `inputs`
 * (the input set), and `toYaml`/`mustToYaml` (sigs.k8s.io/yaml.Marshal, the trailing newline
 * kept, unlike Helm's).
 */
import { goFunc, GoError, GoPanic, type GoFunc, type GoValue } from '../../gotemplate/value.js';
import { sprigFuncMap } from '../../helm/funcs/index.js';
import { toYaml } from '../../helm/funcs/yaml.js';
import { slugify } from './slugify.js';

/** slim-sprig v3.0.0's genericMap minus its nonhermeticFunctions, by name (functions.go). */
export const SLIM_SPRIG_HERMETIC: readonly string[] = (
  'hello ago duration durationRound must_date_modify mustDateModify mustToDate toDate unixEpoch trunc trim ' +
  'upper lower title substr repeat ' +
  'trimall trimAll trimSuffix trimPrefix contains hasPrefix hasSuffix quote squote cat indent nindent ' +
  'replace plural sha1sum sha256sum ' +
  'adler32sum toString atoi int64 int float64 seq toDecimal split splitList splitn toStrings until untilStep ' +
  'add1 add sub div mod mul ' +
  'randInt biggest max min maxf minf ceil floor round join sortAlpha default empty coalesce all any compact ' +
  'mustCompact fromJson toJson ' +
  'toPrettyJson toRawJson mustFromJson mustToJson mustToPrettyJson mustToRawJson ternary typeOf typeIs ' +
  'typeIsLike kindOf kindIs deepEqual ' +
  'base dir clean ext isAbs osBase osClean osDir osExt osIsAbs b64enc b64dec b32enc b32dec tuple list dict ' +
  'get set unset hasKey pluck keys ' +
  'pick omit values append push mustAppend mustPush prepend mustPrepend first mustFirst rest mustRest last ' +
  'mustLast initial mustInitial reverse ' +
  'mustReverse uniq mustUniq without mustWithout has mustHas slice mustSlice concat dig chunk mustChunk fail ' +
  'regexMatch mustRegexMatch ' +
  'regexFindAll mustRegexFindAll regexFind mustRegexFind regexReplaceAll mustRegexReplaceAll regexReplaceAllLiteral ' +
  'mustRegexReplaceAllLiteral regexSplit mustRegexSplit regexQuoteMeta urlParse urlJoin'
).split(' ');

/** sigs.k8s.io/yaml.Marshal of a template value (what the operator's toYaml returns). */
function marshalYaml(v: GoValue): string {
  return `${toYaml(v ?? null)}\n`;
}

/** The function map for one input set (`inputs` returns it). */
export function resourceSetFuncs(inputs: GoValue): Record<string, GoFunc> {
  const sprig = sprigFuncMap();
  const out: Record<string, GoFunc> = {};
  for (const name of SLIM_SPRIG_HERMETIC) if (sprig[name]) out[name] = sprig[name]!;
  out.hello = goFunc([], ['string'], () => 'Hello!');
  out.slugify = goFunc(['string'], ['string'], ([s]) => slugify(s as string));
  out.inputs = goFunc([], ['interface{}'], () => inputs);
  out.toYaml = goFunc(['interface{}'], ['string'], ([v]) => {
    try {
      return marshalYaml(v);
    } catch (e) {
      if (e instanceof GoError) return '';
      throw e;
    }
  });
  out.mustToYaml = goFunc(['interface{}'], ['string', 'error'], ([v]) => {
    try {
      return marshalYaml(v);
    } catch (e) {
      if (e instanceof GoPanic) throw new GoError(e.message);
      throw e;
    }
  });
  return out;
}
