/** Assertions over FieldProblem lists that also check the message names the field. */
import assert from 'node:assert/strict';
import type { FieldProblem } from '../../../src/domain/errors.js';

/** Asserts a problem on `field` whose message matches `pattern` and names the field. */
export function assertProblem(problems: readonly FieldProblem[], field: string, pattern: RegExp): void {
  const onField = problems.filter((p) => p.field === field);
  assert.ok(onField.length > 0, `expected a problem on ${field}, got ${JSON.stringify(problems)}`);
  const hit = onField.find((p) => pattern.test(p.message));
  assert.ok(hit, `expected ${pattern} on ${field}, got ${JSON.stringify(onField)}`);
  assert.ok(hit.message.includes(field), `message should name ${field}: ${hit.message}`);
}

/** Asserts there is no problem on `field`. */
export function assertNoProblemOn(problems: readonly FieldProblem[], field: string): void {
  const onField = problems.filter((p) => p.field === field);
  assert.deepEqual(onField, [], `expected no problem on ${field}`);
}
