// `conditional`: branches are tried in order and the first whose condition holds wins; the
// default branch (no criteria) is taken when none does. Natural-language conditions are batched
// into one LLM call the first time one is reached. The chosen branch's `next_block_label`
// decides what runs next (the walk in domain/workflow handles merge points).
import type { ConditionalBlockYaml } from '../../../domain/workflow/index.ts';
import type { BlockExecution, ExecutedBlock } from '../executor.ts';
import { evaluateJinja, evaluatePrompts, type CriteriaResult } from './criteria.ts';

interface Evaluation { branch_index: number; criteria_type: string; expression: string; result: boolean; reasoning?: string }

export async function runConditionalBlock(block: ConditionalBlockYaml, run: BlockExecution): Promise<ExecutedBlock> {
  const branches = block.branch_conditions ?? [];
  const branchIds = ((run.exec.responseBlocks.get(block.label)?.branch_conditions ?? []) as { id?: string }[]).map((b) => b.id ?? null);
  const evaluations: Evaluation[] = [];
  let prompted: Map<number, CriteriaResult> | undefined;
  let llm: { prompt: string | null; response: unknown } = { prompt: null, response: null };
  let taken: number | undefined;

  for (const [index, branch] of branches.entries()) {
    if (branch.is_default || !branch.criteria) continue;
    const type = branch.criteria.criteria_type ?? 'jinja2_template';
    let result: CriteriaResult | undefined;
    if (type === 'prompt') {
      if (!prompted) {
        // One call for this and every later natural-language branch.
        const pending = branches.map((b, i) => ({ b, i })).filter(({ b, i }) => i >= index && !b.is_default && b.criteria?.criteria_type === 'prompt');
        const verdict = await evaluatePrompts(pending.map(({ b }) => b.criteria!.expression), run);
        if (!verdict.ok) return failed(`Could not evaluate the conditions: ${verdict.reason}`, evaluations);
        prompted = new Map(pending.map(({ i }, k) => [i, verdict.results[k]]));
        llm = { prompt: verdict.llmPrompt, response: verdict.llmResponse };
      }
      result = prompted.get(index);
    } else {
      result = evaluateJinja(branch.criteria.expression, run);
    }
    if (!result) continue;
    evaluations.push({ branch_index: index, criteria_type: type, expression: result.expression, result: result.result, ...(result.reasoning ? { reasoning: result.reasoning } : {}) });
    if (result.result) { taken = index; break; }
  }
  if (taken === undefined) {
    const fallback = branches.findIndex((b) => b.is_default);
    if (fallback < 0) return failed(`No branch condition of ${block.label} was met and it has no default branch`, evaluations);
    taken = fallback;
  }
  const branch = branches[taken];
  const evaluation = evaluations.find((e) => e.branch_index === taken);
  const output = {
    branch_taken: branch.description ?? (branch.is_default ? 'default' : branch.criteria?.expression ?? null),
    branch_index: taken,
    branch_id: branchIds[taken] ?? null,
    branch_description: branch.description ?? null,
    criteria_type: branch.criteria?.criteria_type ?? null,
    criteria_expression: evaluation?.expression ?? branch.criteria?.expression ?? null,
    next_block_label: branch.next_block_label ?? null,
    evaluations,
    llm_response: llm.response,
    llm_prompt: llm.prompt,
  };
  return {
    status: 'completed', output, failureReason: null, branchTarget: branch.next_block_label ?? null,
    details: {
      executed_branch_id: output.branch_id,
      executed_branch_expression: output.criteria_expression,
      executed_branch_result: evaluation?.result ?? null,
      executed_branch_next_block: output.next_block_label,
    },
  };
}

function failed(reason: string, evaluations: Evaluation[]): ExecutedBlock {
  return { status: 'failed', output: { evaluations }, failureReason: reason };
}
