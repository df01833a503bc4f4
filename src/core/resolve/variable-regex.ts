import { RE2JS } from 're2js';

/**
 * Profile variable regexes, read as Terraform reads them: the stack checks a value with
 * `can(regex(pattern, value))`, and Terraform's `regex` is Go's RE2 syntax, matched in linear time.
 * JavaScript's RegExp accepts more (lookarounds, backreferences) and backtracks, so `^(a+)+$` on a
 * long value would never end; re2js is a linear-time port of RE2 with RE2's syntax.
 */

/** Why `pattern` is not an RE2 regular expression, or undefined when it is one. */
export function re2SyntaxError(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Whether `pattern` (a valid RE2 expression) matches somewhere in `text`, as Terraform's `regex` finds it. */
export function re2Matches(pattern: string, text: string): boolean {
  return RE2JS.compile(pattern).matcher(text).find();
}
