// Problems found in a workflow definition, already in the shape of one entry of Skyvern's 422
// body (`{"detail": [{"loc", "msg", "type"}]}`) so the HTTP layer can return them as they are.
import { Type, type Static } from 'typebox';
import { ValidationFailed } from '../errors.ts';

export const DefinitionProblemSchema = Type.Object({
  /** Path inside the request object, e.g. `['workflow_definition', 'blocks', 2, 'loop_blocks', 0, 'label']`. */
  loc: Type.Array(Type.Union([Type.String(), Type.Integer()])),
  msg: Type.String(),
  type: Type.String(),
});
export type DefinitionProblem = Static<typeof DefinitionProblemSchema>;
export type Loc = DefinitionProblem['loc'];

export function problem(loc: Loc, msg: string): DefinitionProblem {
  return { loc: [...loc], msg, type: 'value_error' };
}

/**
 * Thrown by the parse helpers when the input cannot become a definition (bad YAML, wrong
 * structure, or — with `parseAndValidateDefinitionInput` — rule violations). It is the domain's
 * `ValidationFailed`, so the HTTP error handler answers 422 `{"detail": issues}`; locs are
 * relative to the request object (no `body` prefix — add one when the request is nested).
 */
export class WorkflowDefinitionError extends ValidationFailed {
  constructor(issues: DefinitionProblem[]) {
    super(issues);
    this.name = 'WorkflowDefinitionError';
  }
}
