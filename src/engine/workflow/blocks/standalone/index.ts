// Handlers for the blocks that do one self-contained thing (no agent loop): navigation, waiting,
// one LLM call, HTTP, code, email, file parsing and printing. See README.md.
import type { BlockType } from '../../../../domain/workflow/index.ts';
import type { BlockHandler } from '../block-handler.ts';
import { codeBlock } from './code.block.ts';
import { fileUrlParserBlock } from './file-url-parser.block.ts';
import { gotoUrlBlock } from './goto-url.block.ts';
import { httpRequestBlock } from './http-request.block.ts';
import { printPageBlock } from './print-page.block.ts';
import { sendEmailBlock } from './send-email.block.ts';
import { textPromptBlock } from './text-prompt.block.ts';
import { waitBlock } from './wait.block.ts';

// Each handler is typed for its own block; the runner looks them up by `block_type`, so the map
// is keyed loosely and every handler only ever receives blocks of its key's type.
export const STANDALONE_BLOCK_HANDLERS: Partial<Record<BlockType, BlockHandler>> = {
  goto_url: gotoUrlBlock as BlockHandler,
  wait: waitBlock as BlockHandler,
  text_prompt: textPromptBlock as BlockHandler,
  http_request: httpRequestBlock as BlockHandler,
  code: codeBlock as BlockHandler,
  send_email: sendEmailBlock as BlockHandler,
  file_url_parser: fileUrlParserBlock as BlockHandler,
  // Deprecated in Skyvern: a file_url_parser fixed to PDF.
  pdf_parser: fileUrlParserBlock as BlockHandler,
  print_page: printPageBlock as BlockHandler,
};

export { CODE_BLOCK_DISABLED_REASON } from './code.block.ts';
