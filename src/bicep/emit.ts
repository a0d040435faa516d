/**
 * The one Bicep serializer: declarations and values to text, deterministically (declaration
 * order as given, object keys in insertion order, two-space indent, LF, final newline).
 * Objects and arrays are written one entry per line, which every Bicep version accepts.
 */
import {
  BicepExpr,
  escapeString,
  isIdentifier,
  propertyKey,
  type BicepFile,
  type BicepObject,
  type BicepParamFile,
  type BicepValue,
  type Declaration,
  type Decorated,
  type ResourceDecl,
} from './ast.js';

const IND = '  ';

/** A value at an indentation level (the first line is not indented: it follows `key: `). */
export function emitValue(v: BicepValue, level = 0): string {
  if (v instanceof BicepExpr) return v.text;
  if (v === null) return 'null';
  if (typeof v === 'string') return emitString(v, level);
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`Bicep has no floating point literals: ${v} (write it as a string)`);
    return String(v);
  }
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    const items = v as readonly BicepValue[];
    if (items.length === 0) return '[]';
    const pad = IND.repeat(level + 1);
    return `[\n${items.map((x) => pad + emitValue(x, level + 1)).join('\n')}\n${IND.repeat(level)}]`;
  }
  return emitObject(v as BicepObject, level);
}

function emitString(s: string, _level: number): string {
  return `'${escapeString(s)}'`;
}

export function emitObject(obj: BicepObject, level: number, extraLines: readonly string[] = []): string {
  const entries = Object.entries(obj).filter(([, x]) => x !== undefined);
  if (entries.length === 0 && extraLines.length === 0) return '{}';
  const pad = IND.repeat(level + 1);
  const lines = entries.map(([k, x]) => `${pad}${propertyKey(k)}: ${emitValue(x!, level + 1)}`);
  return `{\n${[...lines, ...extraLines].join('\n')}\n${IND.repeat(level)}}`;
}

/** A comment line's text: line breaks and other control characters become visible escapes. */
function commentText(l: string): string {
  return l.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/gu, (c) => `\\x{${c.codePointAt(0)!.toString(16)}}`);
}

function commentLines(c: string | readonly string[] | undefined, pad: string): string[] {
  if (c === undefined) return [];
  const list = (typeof c === 'string' ? c.split('\n') : c).map(commentText);
  return list.map((l) => (l ? `${pad}// ${l}` : `${pad}//`));
}

function decoratorLines(d: Decorated, pad: string): string[] {
  const out = commentLines(d.comment, pad);
  if (d.description !== undefined) out.push(`${pad}@description('${escapeString(d.description)}')`);
  for (const x of d.decorators ?? []) out.push(`${pad}@${x}`);
  return out;
}

function checkName(name: string, what: string): string {
  if (!isIdentifier(name)) throw new Error(`invalid Bicep ${what} name '${name}'`);
  return name;
}

function emitResource(r: ResourceDecl, level: number): string {
  const pad = IND.repeat(level);
  const head =
    `${pad}resource ${checkName(r.symbol, 'resource')} ` +
    `'${r.type}@${r.apiVersion}'${r.existing ? ' existing' : ''} = `;
  const children = (r.children ?? []).map((c) => '\n' + emitResource(c, level + 1));
  const body = emitObject(r.body, level, children);
  let rhs = body;
  if (r.loop) {
    const it = r.loop.index ? `(${r.loop.item}, ${r.loop.index})` : r.loop.item;
    rhs = `[for ${it} in ${r.loop.over.text}: ${r.condition ? `if (${r.condition.text}) ` : ''}${body}]`;
  } else if (r.condition) rhs = `if (${r.condition.text}) ${body}`;
  return [...decoratorLines(r, pad), head + rhs].join('\n');
}

function emitDeclaration(d: Declaration): string {
  switch (d.kind) {
    case 'comment':
      return commentLines(d.text, '').join('\n');
    case 'targetScope':
      return `targetScope = '${d.scope}'`;
    case 'param': {
      const lines = decoratorLines(d, '');
      if (d.allowed) lines.push(`@allowed(${emitValue(d.allowed as readonly BicepValue[])})`);
      lines.push(
        `param ${checkName(d.name, 'parameter')} ${d.type}` +
          `${d.default !== undefined ? ` = ${emitValue(d.default)}` : ''}`,
      );
      return lines.join('\n');
    }
    case 'var':
      return [...decoratorLines(d, ''), `var ${checkName(d.name, 'variable')} = ${emitValue(d.value)}`].join('\n');
    case 'resource':
      return emitResource(d, 0);
    case 'module': {
      const body = emitObject(d.body, 0);
      return [
        ...decoratorLines(d, ''),
        `module ${checkName(d.symbol, 'module')} '${d.path}' = ` +
          `${d.condition ? `if (${d.condition.text}) ` : ''}${body}`,
      ].join('\n');
    }
    case 'output':
      return [...decoratorLines(d, ''), `output ${checkName(d.name, 'output')} ${d.type} = ${emitValue(d.value)}`].join(
        '\n',
      );
  }
}

/** A whole .bicep file: header comments, then declarations separated by blank lines. */
export function emitBicep(file: BicepFile): string {
  const parts: string[] = [];
  if (file.header?.length) parts.push(commentLines(file.header, '').join('\n'));
  for (const d of file.declarations) parts.push(emitDeclaration(d));
  return parts.join('\n\n') + '\n';
}

/** A .bicepparam file. */
export function emitBicepParam(file: BicepParamFile): string {
  const parts: string[] = [];
  if (file.header?.length) parts.push(commentLines(file.header, '').join('\n'));
  parts.push(`using '${escapeString(file.using)}'`);
  for (const p of file.params) {
    parts.push(
      [...commentLines(p.comment, ''), `param ${checkName(p.name, 'parameter')} = ${emitValue(p.value)}`].join('\n'),
    );
  }
  return parts.join('\n\n') + '\n';
}
