/**
 * Helm's include/tpl closures on their own: the recursion cap (engine.go recursionMaxNums = 1000,
 * checked against Helm in test/helm-funcs/oracle.test.ts: the 1002nd nested include of a name is
 * refused), its counting per render, and the error texts Helm gives.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TemplateSet } from '../../gotemplate/contract.js';
import { GoError, type GoFunc } from '../../gotemplate/value.js';
import { includeFunc } from './template.js';

/** A set whose template "loop" includes itself `depth` times, then returns "end". */
function loopSet(depth: number, include: () => GoFunc): TemplateSet {
  let level = 0;
  const set: Partial<TemplateSet> = {
    execute: (name: string) => {
      if (level >= depth) return 'end';
      level++;
      try {
        return String(include().call([name, null]));
      } finally {
        level--;
      }
    },
  };
  return set as TemplateSet;
}

test('include refuses the 1002nd nested entry of one name, with Helm message', () => {
  let inc: GoFunc;
  const set = loopSet(5000, () => inc);
  inc = includeFunc(() => set, new Map());
  assert.throws(() => inc.call(['loop', null]), (e: unknown) => e instanceof GoError && e.message === 'rendering template has a nested reference name: loop: unable to execute template');
});

test('include allows 1001 nested entries of one name', () => {
  let inc: GoFunc;
  const set = loopSet(1000, () => inc);
  inc = includeFunc(() => set, new Map());
  assert.equal(inc.call(['loop', null]), 'end');
});

test('the count is of nested entries: sequential includes are not limited', () => {
  let inc: GoFunc;
  const set = loopSet(900, () => inc);
  const counts = new Map<string, number>();
  inc = includeFunc(() => set, counts);
  for (let i = 0; i < 3; i++) assert.equal(inc.call(['loop', null]), 'end');
  assert.equal(counts.get('loop'), 0);
});
