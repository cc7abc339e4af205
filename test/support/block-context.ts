// Test helpers for the standalone block handlers: an in-memory RunRecorder, a BlockRunContext
// builder that uses the real template engine, and a real Chromium page as the run's browser.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { defaultChromiumPath, launchChromium } from '../../src/browser/launch.ts';
import { PageSession } from '../../src/browser/session.ts';
import type { ArtifactType } from '../../src/contracts/artifacts.ts';
import type { BlockYaml } from '../../src/domain/workflow/index.ts';
import { createLlmClient, parseLlmEnv } from '../../src/llm/index.ts';
import type { LlmClient } from '../../src/llm/types.ts';
import { createLogger } from '../../src/log/logger.ts';
import type { RunBrowser, RunRecorder, StepUsage } from '../../src/engine/ports.ts';
import { buildTemplateContext, renderDeep } from '../../src/engine/workflow/template/index.ts';
import type { BlockRunContext, BlockSettings } from '../../src/engine/workflow/blocks/block-handler.ts';

export interface SavedArtifact { id: string; type: ArtifactType; data: Buffer; blockRunId?: string; ext?: string }

export interface MemoryRecorder extends RunRecorder {
  artifacts: SavedArtifact[];
  usage: Array<StepUsage & { steps?: number }>;
}

export function memoryRecorder(): MemoryRecorder {
  const artifacts: SavedArtifact[] = [];
  const usage: MemoryRecorder['usage'] = [];
  let n = 0;
  return {
    artifacts,
    usage,
    async startStep() { return `stp_test_${++n}`; },
    async finishStep() {},
    async saveArtifact(type, data, opts) {
      const id = `a_test_${++n}`;
      artifacts.push({ id, type, data: Buffer.isBuffer(data) ? data : Buffer.from(data), blockRunId: opts.blockRunId, ext: opts.ext });
      return id;
    },
    async saveArtifactFile(type, _filePath, opts) {
      const id = `a_test_${++n}`;
      artifacts.push({ id, type, data: Buffer.alloc(0), blockRunId: opts.blockRunId, ext: path.extname(opts.name) });
      return id;
    },
    async addUsage(u) { usage.push(u); },
  };
}

export const TEST_SETTINGS: BlockSettings = {
  codeBlockEnabled: false,
  codeBlockTimeoutMs: 5_000,
  smtp: {},
  httpRequestDefaultTimeoutMs: 5_000,
};

/** An LLM that must not be called; tests that need one pass `scriptedLlmClient(baseUrl)`. */
const noLlm: LlmClient = {
  configured: false,
  problems: ['no LLM in this test'],
  supportsVision: false,
  complete: async () => { throw new Error('this test does not expect an LLM call'); },
};

/** The real LLM client pointed at test/fixtures/llm/scripted-openai-server.ts. */
export function scriptedLlmClient(baseUrl: string): LlmClient {
  return createLlmClient(parseLlmEnv({
    ENABLE_OPENAI_COMPATIBLE: 'true',
    OPENAI_COMPATIBLE_API_BASE: `${baseUrl}/v1`,
    OPENAI_COMPATIBLE_MODEL_NAME: 'scripted',
    LLM_KEY: 'OPENAI_COMPATIBLE',
    LLM_MAX_RETRIES: '0',
  }));
}

export interface ContextOptions {
  parameters?: Record<string, unknown>;
  browser?: RunBrowser;
  llm?: LlmClient;
  settings?: Partial<BlockSettings>;
  signal?: AbortSignal;
  recorder?: MemoryRecorder;
}

export function blockContext<B extends BlockYaml>(block: B, options: ContextOptions = {}): BlockRunContext<B> & { recorder: MemoryRecorder } {
  const template = buildTemplateContext({ parameters: options.parameters ?? {}, workflow: { workflow_run_id: 'wr_test' } });
  return {
    runId: 'wr_test',
    organizationId: 'o_test',
    blockRunId: 'wrb_test',
    block,
    render: (value) => renderDeep(value, template),
    browser: async () => {
      if (!options.browser) throw new Error('this test gives the block no browser');
      return options.browser;
    },
    recorder: options.recorder ?? memoryRecorder(),
    llm: options.llm ?? noLlm,
    settings: { ...TEST_SETTINGS, ...options.settings },
    signal: options.signal ?? new AbortController().signal,
    logger: createLogger(process.env.LOG_LEVEL ?? 'silent', 'standalone-blocks-test'),
  };
}

export interface TestBrowser {
  browser: Browser;
  /** A fresh context and page with its own downloads folder, as a RunBrowser. */
  open(): Promise<RunBrowser>;
  close(): Promise<void>;
}

export async function startTestBrowser(): Promise<TestBrowser> {
  const browser = await launchChromium({ executablePath: defaultChromiumPath() });
  const contexts: BrowserContext[] = [];
  const dirs: string[] = [];
  return {
    browser,
    async open() {
      const context = await browser.newContext();
      contexts.push(context);
      const scratchDir = await mkdtemp(path.join(tmpdir(), 'skyport-block-test-'));
      dirs.push(scratchDir);
      const downloadsDir = path.join(scratchDir, 'downloads');
      const session = await PageSession.open(context, { downloadDir: downloadsDir });
      return { context, session, page: () => session.page, downloadsDir, scratchDir };
    },
    async close() {
      await Promise.all(contexts.map((c) => c.close().catch(() => {})));
      await browser.close();
      await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}

/** A RunBrowser with only a downloads folder, for blocks that read run files but never the page. */
export async function filesOnlyBrowser(): Promise<RunBrowser & { cleanup(): Promise<void> }> {
  const downloadsDir = await mkdtemp(path.join(tmpdir(), 'skyport-block-files-'));
  return {
    context: undefined as unknown as BrowserContext,
    session: undefined as unknown as PageSession,
    page: () => { throw new Error('no page in this test'); },
    downloadsDir,
    scratchDir: downloadsDir,
    cleanup: () => rm(downloadsDir, { recursive: true, force: true }),
  };
}
