// Problems found in a workflow definition, already in the shape of one entry of Skyvern's 422
// body (`{"detail": [{"loc", "msg", "type"}]}`) so the HTTP layer can return them as they are.
import { Type, type Static } from 'typebox';

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
 * structure, or — with `parseAndValidateDefinitionInput` — rule violations). `detail` is the
 * 422 body's `detail` list; locs are relative to the request object (no `body` prefix).
 */
export class WorkflowDefinitionError extends Error {
  readonly status = 422;
  constructor(readonly detail: DefinitionProblem[]) {
    super(detail.map((p) => `${p.loc.join('.')}: ${p.msg}`).join('; ') || 'Invalid workflow definition');
    this.name = 'WorkflowDefinitionError';
  }
}
