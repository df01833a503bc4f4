/**
 * Where a problem was found, from the outermost container inwards. Every field is optional so that a
 * problem can be reported at whatever depth it is known.
 */
export interface Location {
  /** The file the profile came from. */
  readonly file?: string;
  /** The profile's name. */
  readonly profile?: string;
  /** The layer's name. */
  readonly layer?: string;
  /** The manifest's name inside a manifest layer. */
  readonly manifest?: string;
  /** The YAML document's 1-based position inside a manifest. */
  readonly document?: number;
  /** The field, as a dotted path (`pack.namespace`, `spec.version`). */
  readonly field?: string;
}

/** One problem in the input: where it is and what is wrong, already phrased for a person. */
export interface Problem extends Location {
  /** What was found and what was expected, without the location. */
  readonly message: string;
}

/** Renders a location as the prefix of an error message: `file.json: profile "a" layer "b"`. */
export function describeLocation(where: Location): string {
  const parts: string[] = [];
  if (where.profile !== undefined) parts.push(`profile "${where.profile}"`);
  if (where.layer !== undefined) parts.push(`layer "${where.layer}"`);
  if (where.manifest !== undefined) parts.push(`manifest "${where.manifest}"`);
  if (where.document !== undefined) parts.push(`document ${where.document}`);
  const inner = parts.join(' ');
  if (where.file === undefined) return inner;
  return inner === '' ? where.file : `${where.file}: ${inner}`;
}

/** Renders one problem as a single line. */
export function formatProblem(problem: Problem): string {
  const where = describeLocation(problem);
  const what = problem.field !== undefined ? `${problem.field} ${problem.message}` : problem.message;
  return where === '' ? what : `${where}: ${what}`;
}

const PROFILE_ERROR = Symbol.for('cdktf-cluster-profiles/ProfileError');

/**
 * Invalid input: one or more problems found in the profiles, each naming where it is. Thrown before
 * anything is synthesized or written, so a failed run leaves nothing half-done.
 */
export class ProfileError extends Error {
  /** Whether `x` is a ProfileError, also across copies of this package. */
  public static isProfileError(x: unknown): x is ProfileError {
    return typeof x === 'object' && x !== null && PROFILE_ERROR in x;
  }

  /** Every problem found, in input order. */
  public readonly problems: readonly Problem[];

  constructor(problems: Problem | readonly Problem[]) {
    const list = Array.isArray(problems) ? [...(problems as readonly Problem[])] : [problems as Problem];
    super(list.map(formatProblem).join('\n'));
    this.name = 'ProfileError';
    this.problems = list;
    Object.defineProperty(this, PROFILE_ERROR, { value: true });
  }
}

/**
 * Runs `step` and returns its result. When it throws a ProfileError, appends the error's problems to
 * `into` (each through `relabel`, when given) and returns undefined instead, so that the caller
 * goes on with its other steps and reports the problems of all of them at once; other errors
 * propagate. A step that returns a promise is awaited the same way.
 */
export function collectProblems<T>(into: Problem[], step: () => Promise<T>, relabel?: (problem: Problem) => Problem): Promise<T | undefined>;
export function collectProblems<T>(into: Problem[], step: () => T, relabel?: (problem: Problem) => Problem): T | undefined;
export function collectProblems<T>(into: Problem[], step: () => T | Promise<T>, relabel: (problem: Problem) => Problem = (p) => p): T | undefined | Promise<T | undefined> {
  const caught = (err: unknown): undefined => {
    if (!ProfileError.isProfileError(err)) throw err;
    into.push(...err.problems.map(relabel));
    return undefined;
  };
  try {
    const result = step();
    return result instanceof Promise ? result.catch(caught) : result;
  } catch (err) {
    return caught(err);
  }
}

/**
 * Collects problems so that a check can report every one at once instead of stopping at the first.
 */
export class ProblemList {
  private readonly items: Problem[] = [];
  private readonly seen = new Set<string>();

  /**
   * Records a problem, once: the same message at the same place (an undefined macro written in six
   * places of one layer's values) is one problem, reported once.
   */
  public add(where: Location, message: string): void {
    const problem: Problem = { ...where, message };
    const line = formatProblem(problem);
    if (this.seen.has(line)) return;
    this.seen.add(line);
    this.items.push(problem);
  }

  /** Whether nothing has been recorded. */
  public get empty(): boolean {
    return this.items.length === 0;
  }

  /** Throws a ProfileError holding every recorded problem, if there is any. */
  public throwIfAny(): void {
    if (this.items.length > 0) throw new ProfileError(this.items);
  }
}

/** Adds a problem for each key of `map` not in `allowed`: `<field>.<key> is not a known field; expected one of ...`. */
export function unknownKeys(map: Record<string, unknown>, allowed: readonly string[], at: Location, field: string, problems: ProblemList, notKnown = 'is not a known field'): void {
  for (const key of Object.keys(map)) {
    if (!allowed.includes(key)) problems.add({ ...at, field: field === '' ? key : `${field}.${key}` }, `${notKnown}; expected one of ${allowed.join(', ')}`);
  }
}

/** Names for a message: `"a", "b"`, or `none` when there are none. */
export function quotedList(names: readonly string[]): string {
  return names.length > 0 ? names.map((n) => `"${n}"`).join(', ') : 'none';
}

/** Quotes a found value for a message, shortening long ones so a message stays one readable line. */
export function shown(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (value === undefined) text = 'nothing';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
