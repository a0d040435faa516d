/** What every generator returns: files relative to the output root. Generators are pure. */
export interface GeneratedFile {
  /** Path relative to the output root, `/` separators, no `..`. */
  readonly path: string;
  readonly content: string;
  /** Mark the file executable (scripts). */
  readonly executable?: boolean;
}
