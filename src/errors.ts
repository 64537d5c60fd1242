/**
 * User errors carry a stable code and tell the user what to do; anything else escaping to the
 * CLI is a bug and is reported as one. Expected outcomes (a phase failed, a gate missed) are
 * result values, never exceptions.
 */

/** The one table of exit codes: the CI verdict. README "Exit codes" documents the same five. */
export const EXIT = { passed: 0, failed: 1, invalid: 2, infrastructure: 3, interrupted: 130 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export abstract class UserError extends Error {
  abstract readonly code: string;
  abstract readonly exitCode: ExitCode;
}

/** One problem in a plan: where it is, what is wrong, what to do. */
export interface PlanProblem {
  readonly file: string;
  /** e.g. `phases.integration.services[1]`; empty for the plan as a whole. */
  readonly path: string;
  readonly message: string;
}

export function formatProblem(p: PlanProblem): string {
  return `${p.file}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

/** The plan (or the command line) is invalid; nothing was started. Exit 2. */
export class PlanInvalidError extends UserError {
  readonly code = 'PLAN_INVALID';
  readonly exitCode = EXIT.invalid;
  constructor(readonly problems: readonly PlanProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'PlanInvalidError';
  }
}

export class UsageError extends UserError {
  readonly code = 'USAGE';
  readonly exitCode = EXIT.invalid;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The engine, an image build or a service failed us. Exit 3. */
export class InfrastructureError extends UserError {
  readonly code: string;
  readonly exitCode = EXIT.infrastructure;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'InfrastructureError';
  }
}
