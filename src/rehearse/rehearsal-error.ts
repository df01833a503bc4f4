const REHEARSAL_ERROR = Symbol.for('cdktf-cluster-profiles/RehearsalError');

/**
 * A rehearsal that could not run to the end: terraform missing or failing, a stack the stand-ins
 * cannot represent, an unreadable rehearsal log. The message is phrased for a person and printed by
 * the CLI without a stack trace. A rehearsal that ran but found the order broken is not an error:
 * its result lists the violations.
 */
export class RehearsalError extends Error {
  /** Whether `x` is a RehearsalError, also across copies of this package. */
  public static isRehearsalError(x: unknown): x is RehearsalError {
    return typeof x === 'object' && x !== null && REHEARSAL_ERROR in x;
  }

  constructor(message: string) {
    super(message);
    this.name = 'RehearsalError';
    Object.defineProperty(this, REHEARSAL_ERROR, { value: true });
  }
}
