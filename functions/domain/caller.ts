import { ForbiddenError, ValidationError } from './errors.js';
import { COORDINATOR, type Province, type Role } from './provinces.js';

/** Who is calling, as established from a verified token: never from the request body. */
export interface Caller {
  /** The token's `sub`: stable per user, scopes idempotency keys. */
  subject: string;
  role: Role;
  /** A display name for the audit trail (`cognito:username`, `username` or the subject). */
  username: string;
}

export const isCoordinator = (caller: Caller): boolean => caller.role === COORDINATOR;

/**
 * A province office reports for its own province only; the coordinator acts for any province
 * and must say which one.
 */
export const resolveReportingProvince = (caller: Caller, requested: Province | undefined): Province => {
  if (caller.role === COORDINATOR) {
    if (requested === undefined) {
      throw new ValidationError('The coordinator must name the province it reports for.', [
        { field: 'province', message: 'required when the coordinator reports' },
      ]);
    }
    return requested;
  }
  if (requested !== undefined && requested !== caller.role) {
    throw new ForbiddenError(
      `The ${caller.role} office may report only for ${caller.role}, not for ${requested}.`,
    );
  }
  return caller.role;
};

export const requireCoordinator = (caller: Caller, action: string): void => {
  if (!isCoordinator(caller)) {
    throw new ForbiddenError(`Only the coordinator may ${action}.`);
  }
};
