// One error model. The HTTP layer maps these to status codes and `{"detail": ...}` bodies;
// the worker maps them to run statuses and failure reasons.
export class AppError extends Error {
  constructor(readonly code: string, readonly status: number, message: string, readonly detail?: unknown) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) { super('not_found', 404, message); }
}

export class BadRequestError extends AppError {
  constructor(message: string) { super('bad_request', 400, message); }
}

export class ConflictError extends AppError {
  constructor(message: string) { super('conflict', 409, message); }
}

export class AuthError extends AppError {
  constructor(message: string, status = 403) { super('auth', status, message); }
}

export interface ValidationIssue { loc: (string | number)[]; msg: string; type: string }

/** Renders as Skyvern's 422 `{"detail":[{"loc","msg","type"}]}`. */
export class ValidationFailed extends AppError {
  constructor(readonly issues: ValidationIssue[]) {
    super('validation', 422, issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; '));
  }
}

export function validationError(loc: (string | number)[], msg: string, type = 'value_error'): ValidationFailed {
  return new ValidationFailed([{ loc, msg, type }]);
}
