import { codeBlock } from './src/engine/workflow/blocks/standalone/code.block.ts';
import { blockContext } from './src/engine/workflow/blocks/standalone/test-support.ts';
for (const code of ['const hoard = []; while (true) hoard.push(new Array(4e6).fill(Math.random()));', 'const hoard = []; while (true) hoard.push(new Float64Array(4e6));']) {
  const t = Date.now();
  const r = await codeBlock(blockContext({ block_type: 'code', label: 'c', code }, { settings: { codeBlockEnabled: true, codeBlockTimeoutMs: 20000 } }));
  console.log(Date.now() - t, r.status, r.failureReason);
}
