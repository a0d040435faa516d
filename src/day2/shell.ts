/**
 * Bash quoting of the day-2 scripts (upgrade and blue/green plans): the generators' writers
 * (src/generators/shell.ts), one source of truth. A value is one single-quoted word (or bare when
 * bash gives none of its characters a meaning), a NUL is refused, and text in a comment is
 * escaped so that it cannot end the comment. Tests: shell.test.ts (bash and shellcheck judge the
 * rendered scripts with hostile values).
 */
export { shWord as shq, shCommentText } from '../generators/shell.js';
