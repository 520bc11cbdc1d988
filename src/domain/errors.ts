/**
 * Errors with a stable code. `src/http/on-error.ts` is the only place that turns them
 * into REST JSON or SOAP faults (docs/architecture.md, conventions, after outline's `server/errors.ts`).
 */

/** Base of every error a caller may see: a stable code, a Norwegian message, an HTTP status. */
export class BudbringerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** One broken rule on one field of the input. */
export interface FieldProblem {
  /** Dotted path in the canonical model, e.g. `mottaker.postAdresse.postnr`. */
  readonly field: string;
  /** Norwegian message naming the field and the reason, e.g. "Ugyldig fødselsnummer: ...". */
  readonly message: string;
}

/** The input breaks one or more validation rules (docs/interfaces.md §8): HTTP 400 / SOAP fault. */
export class ValidationError extends BudbringerError {
  constructor(
    readonly problems: readonly FieldProblem[],
    code = 'VALIDERINGSFEIL',
  ) {
    super(code, problems.map((p) => p.message).join('; '), 400);
  }

  /** The same refusal (its code kept) with each problem as a door names it. */
  renamed(name: (problem: FieldProblem) => FieldProblem): ValidationError {
    return new ValidationError(this.problems.map(name), this.code);
  }
}

/**
 * A letter alike in avsender, tittel and mottaker to more than 25 sent in 2 days
 * (docs/interfaces.md §8). Its own code, as KS's service answers it: `GJENTAGENDE_FORSENDELSE`,
 * which clients tell from other refusals (vtfk/azf-svarut takes it as "already sent").
 */
export class DuplicateLetterError extends ValidationError {
  constructor(problem: FieldProblem) {
    super([problem], 'GJENTAGENDE_FORSENDELSE');
  }
}

/** An unknown id, or one that belongs to another avsender: both answer alike (404). */
export class NotFoundError extends BudbringerError {
  constructor(what = 'Forsendelse') {
    super('IKKE_FUNNET', `${what} finnes ikke`, 404);
  }
}

/** Missing or wrong credentials (401 with a Basic challenge). */
export class AuthenticationError extends BudbringerError {
  constructor(message = 'Mangler eller ugyldig brukernavn/passord') {
    super('IKKE_AUTENTISERT', message, 401);
  }
}

/** Authenticated but not allowed (403). */
export class ForbiddenError extends BudbringerError {
  constructor(message = 'Ingen tilgang') {
    super('INGEN_TILGANG', message, 403);
  }
}

/** A request that conflicts with what exists, e.g. a caller-chosen id already in use (409). */
export class ConflictError extends BudbringerError {
  constructor(message: string) {
    super('KONFLIKT', message, 409);
  }
}

/** A request too large for a configured limit (413). */
export class PayloadTooLargeError extends BudbringerError {
  constructor(message: string) {
    super('FOR_STOR', message, 413);
  }
}

/** The request is malformed beyond a field rule: unreadable multipart, XML, JSON (400). */
export class BadRequestError extends BudbringerError {
  constructor(message: string, code = 'UGYLDIG_FORESPORSEL') {
    super(code, message, 400);
  }
}

/** Something the request needs cannot be reached now (a register); the caller may try again (503). */
export class UnavailableError extends BudbringerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UTILGJENGELIG', message, 503);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
