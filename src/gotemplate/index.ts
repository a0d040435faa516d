/**
 * A Go text/template engine in TypeScript (Go 1.26 semantics): lexer, parser, executor, builtins
 * and Go's fmt. No Helm knowledge; the function libraries plug in through {@link TemplateSetOptions.funcs}.
 *
 * ```ts
 * const set = newTemplateSet({ missingKey: 'zero' });
 * set.parse('t', 'Hello {{.name | printf "%q"}}');
 * set.execute('t', { name: 'world' }); // 'Hello "world"'
 * ```
 */
export { GoTemplateError } from './contract.js';
export type { TemplateLimits, TemplateSet, TemplateSetOptions } from './contract.js';
export { DEFAULT_MAX_EXEC_DEPTH, newTemplateSet } from './template.js';
export { compareGoStrings, formatValue, goTypeName, sprint, sprintf, sprintln, typeString } from './fmt.js';
export { formatFloat } from './float.js';
export { htmlEscapeString, jsEscapeString, queryEscape } from './funcs.js';
export { isTrue } from './exec.js';
export { quote, quoteRune, underscoreOK } from './strconv.js';
export * from './value.js';
