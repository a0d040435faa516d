/**
 * Writing values from the fleet spec into generated bash scripts so that bash never evaluates
 * them: every value is one single-quoted word (bash expands nothing inside single quotes), and
 * text in comments cannot end the comment. Values never go inside double quotes, `${VAR:?word}`
 * or heredocs, where `$(...)`, backticks and `${...}` would run.
 */

/** Characters that need no quoting in any bash context (not even a glob or a tilde). */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One single-quoted bash word that stands for exactly `s` (`'` written as `'\''`). A NUL cannot
 * be in a bash word and is refused (the spec refuses control characters before any generator runs).
 */
export function shQuote(s: string): string {
  if (s.includes('\0')) throw new Error('a NUL character cannot be written into a shell script');
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Like shQuote, but left bare when `s` only holds characters bash gives no meaning to. */
export function shWord(s: string): string {
  return PLAIN_WORD.test(s) ? s : shQuote(s);
}

/**
 * Text for a `#` comment line (bash, and YAML, whose comments end at CR too): line breaks and every other control
 * character (C0, DEL, C1, U+2028/U+2029) are written as visible escapes, so a value cannot end the comment and start a
 * command line.
 */
export function shCommentText(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/gu, (c) => `\\x{${c.codePointAt(0)!.toString(16)}}`);
}

/** `# text` lines (the text escaped as in shCommentText). */
export function shComment(text: string): string {
  return `# ${shCommentText(text)}`;
}

/**
 * A bash statement that stops the script with `message` on stderr unless the environment
 * variable `name` is set and not empty. The message is a single-quoted word: unlike
 * `: "${NAME:?message}"`, nothing in it is expanded.
 */
export function requireEnv(name: string, message: string): string {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new Error(`not an environment variable name: ${name}`);
  return `if [ -z "\${${name}:-}" ]; then echo ${shQuote(`${name}: ${message}`)} >&2; exit 1; fi`;
}
