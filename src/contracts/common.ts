import { Type, type TSchema } from 'typebox';

/** `T | null`, the way the contract spells optional fields (`anyOf: [T, null]`). */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const StringMap = Type.Record(Type.String(), Type.String());
export const AnyObject = Type.Record(Type.String(), Type.Unknown());

export const ValidationErrorItem = Type.Object({
  loc: Type.Array(Type.Union([Type.String(), Type.Integer()])),
  msg: Type.String(),
  type: Type.String(),
}, { title: 'ValidationError' });

export const HTTPValidationError = Type.Object({ detail: Type.Array(ValidationErrorItem) }, { title: 'HTTPValidationError' });

/** Non-validation errors: `{"detail": "..."}` (or an object for a few structured errors). */
export const ErrorDetail = Type.Object({ detail: Type.Unknown() });

export const RunIdParams = Type.Object({ run_id: Type.String() });
