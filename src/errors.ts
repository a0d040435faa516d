/**
 * The small set of error classes aksfleet throws, and the exit codes they map to.
 *
 * Exit codes (a contract, see README): 0 success, 1 findings or differences,
 * 2 usage or input error, 3 internal error (a bug: please report it).
 */

import { locationPrefix, type Diagnostic, type SourceLocation } from './diagnostic.js';

/** Where in a source file something is (src/diagnostic.ts's SourceLocation). Lines and columns are 1-based. */
export type SourcePos = SourceLocation;

/** Base class: every error aksfleet raises on purpose. */
export class AksfleetError extends Error {
  readonly exitCode: number = 2;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The command line was wrong: unknown command or flag, missing argument. Exit 2. */
export class UsageError extends AksfleetError {
  override readonly exitCode = 2;
}

/**
 * The user's input is wrong: a file that does not parse, a field with a bad value, a reference
 * that does not resolve. Carries the file, line, column and field path when known. Exit 2.
 */
export class InputError extends AksfleetError {
  override readonly exitCode = 2;
  readonly pos?: SourcePos;
  readonly fieldPath?: string;
  /** Further problems found in the same pass (all are reported at once). */
  readonly more: readonly InputError[];
  /**
   * What an offline build cannot follow rather than a mistake of the input (a remote kustomize
   * base): `diff` lists it as not followed instead of failing the cluster.
   */
  readonly offline: boolean;
  constructor(
    message: string,
    opts: { pos?: SourcePos; fieldPath?: string; cause?: unknown; more?: InputError[]; offline?: boolean } = {},
  ) {
    super(message, { cause: opts.cause });
    this.pos = opts.pos;
    this.fieldPath = opts.fieldPath;
    this.more = opts.more ?? [];
    this.offline = opts.offline === true;
  }
  /** Where it is: the position with the field path (absent when neither is known). */
  get location(): SourceLocation | undefined {
    if (!this.pos && !this.fieldPath) return undefined;
    return { ...(this.pos ?? { file: '' }), ...(this.fieldPath ? { fieldPath: this.fieldPath } : {}) };
  }
  /** This error and the further ones, as Diagnostics (code `input`, severity error). */
  diagnostics(): Diagnostic[] {
    return [this, ...this.more].map((e) => ({
      severity: 'error',
      code: 'input',
      message: e.message,
      ...(e.location ? { location: e.location } : {}),
    }));
  }
  /** `file:line:col: field.path: message` */
  format(): string {
    return [this, ...this.more].map((e) => `${locationPrefix(e.location)}${e.message}`).join('\n');
  }
}

/** A file the writer would overwrite was edited by a user, or similar refusals. Exit 1. */
export class ConflictError extends AksfleetError {
  override readonly exitCode = 1;
}

/** Something that should never happen. Exit 3. */
export class InternalError extends AksfleetError {
  override readonly exitCode = 3;
}

/** Collects InputErrors so that all of them are reported at once, then throws one. */
export class ErrorCollector {
  readonly errors: InputError[] = [];
  add(e: InputError): void {
    this.errors.push(e);
  }
  get size(): number {
    return this.errors.length;
  }
  throwIfAny(): void {
    if (this.errors.length === 0) return;
    const [first, ...rest] = this.errors;
    throw new InputError(first!.message, { pos: first!.pos, fieldPath: first!.fieldPath, more: rest });
  }
}
