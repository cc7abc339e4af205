import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDefinitionInput } from './parse.ts';
import { BlockWalk, orderBlocks, plannedOrder } from './execution-order.ts';
import type { BlockYaml } from './schema/blocks.ts';

function definition(blocks: unknown[], extra: object = {}) {
  return parseDefinitionInput({
    json_definition: { title: 't', workflow_definition: { parameters: [], blocks, ...extra } },
  }).workflow_definition;
}
const wait = (label: string, next?: string) => ({ block_type: 'wait', label, next_block_label: next ?? null });
const conditional = (label: string, targets: (string | null)[], next?: string) => ({
  block_type: 'conditional', label, next_block_label: next ?? null,
  branch_conditions: targets.map((t, i) => (i === targets.length - 1
    ? { is_default: true, next_block_label: t }
    : { criteria: { expression: `{{ ${i} }}` }, next_block_label: t })),
});

describe('BlockWalk', () => {
  it('version 1 runs in list order and leaves the finally block out', () => {
    const def = definition([wait('a'), wait('cleanup'), wait('b')], { finally_block_label: 'cleanup' });
    assert.deepEqual(plannedOrder(BlockWalk.forDefinition(def)), ['a', 'b']);
  });

  it('orderBlocks gives the order and the finally block', () => {
    const def = definition([wait('a', 'b'), wait('b'), wait('cleanup')], { finally_block_label: 'cleanup' });
    assert.deepEqual(orderBlocks(def), { order: ['a', 'b'], finallyBlockLabel: 'cleanup' });
  });

  it('version 2 starts at the root and follows next_block_label', () => {
    const def = definition([wait('c'), wait('a', 'b'), wait('b', 'c')]);
    assert.deepEqual(plannedOrder(BlockWalk.forDefinition(def)), ['a', 'b', 'c']);
  });

  it('a conditional jumps to the chosen branch, then resumes at its merge point', () => {
    const def = definition([
      conditional('check', ['yes', 'no'], 'after'), wait('yes'), wait('no'), wait('after'),
    ]);
    const walk = BlockWalk.forDefinition(def);
    assert.deepEqual(walk.start(), { next: 'check' });
    assert.deepEqual(walk.next('check', 'yes'), { next: 'yes' });
    // `yes` has no next_block_label; with conditionals present that would stop — but the merge point applies.
    assert.deepEqual(walk.next('yes'), { next: 'after' });
    assert.deepEqual(walk.next('after'), { next: null });
  });

  it('a branch with no target continues at the conditional next_block_label', () => {
    const def = definition([wait('start', 'check'), conditional('check', ['x', null], 'end'), wait('x', 'end'), wait('end')]);
    const walk = BlockWalk.forDefinition(def);
    walk.start();
    walk.next('start');
    assert.deepEqual(walk.next('check', null), { next: 'end' });
  });

  it('revisiting a block is a runtime error (cycle)', () => {
    const blocks = definition([wait('a', 'b'), wait('b', 'a')]).blocks as BlockYaml[];
    const walk = new BlockWalk(blocks, { graph: true });
    // No root exists in a pure cycle: the walk falls back to the first block.
    assert.deepEqual(walk.start(), { next: 'a' });
    assert.deepEqual(walk.next('a'), { next: 'b' });
    assert.ok('error' in walk.next('b'));
  });

  it('loop bodies walk in order unless they use graph features', () => {
    const def = definition([{
      block_type: 'for_loop', label: 'loop', loop_variable_reference: '{{ [1,2] }}', loop_blocks: [wait('x'), wait('y')],
    }]);
    const loop = def.blocks[0];
    assert.ok(loop.block_type === 'for_loop');
    const walk = BlockWalk.forLoopBody(loop.loop_blocks);
    assert.deepEqual(plannedOrder(walk), ['x', 'y']);
    // A fresh walk per iteration: the same blocks run again.
    assert.deepEqual(plannedOrder(BlockWalk.forLoopBody(loop.loop_blocks)), ['x', 'y']);
  });
});
