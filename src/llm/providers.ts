// Builds an AI SDK language model for a resolved model choice. All HTTP is done by
// the @ai-sdk/* providers; this only decides which provider, endpoint and keys.
// Keys are always passed explicitly, so the SDK never falls back to reading
// process.env on its own (that would hide configuration mistakes).
// Each provider's SDK is imported when a model of that provider is first built, so a process
// loads only the SDKs its configured models use (and the API without an LLM loads none).
import type { LanguageModel } from 'ai';
import type { LlmProviderSettings } from '../config/llm.env.ts';
import type { LlmModelChoice } from './model-keys.ts';

export async function createLanguageModel(choice: LlmModelChoice, providers: LlmProviderSettings): Promise<LanguageModel> {
  switch (choice.provider) {
    case 'openai': {
      const { apiKey, baseUrl, apiMode } = providers.openai;
      const { createOpenAI } = await import('@ai-sdk/openai');
      const openai = createOpenAI({ apiKey, baseURL: baseUrl });
      // The SDK's default is the Responses API; proxies behind OPENAI_API_BASE often only speak chat completions.
      return apiMode === 'chat' ? openai.chat(choice.modelId) : openai.responses(choice.modelId);
    }
    case 'anthropic': {
      const { apiKey, baseUrl } = providers.anthropic;
      const { createAnthropic } = await import('@ai-sdk/anthropic');
      return createAnthropic({ apiKey, baseURL: baseUrl })(choice.modelId);
    }
    case 'gemini': {
      const { apiKey, baseUrl } = providers.gemini;
      const { createGoogleGenerativeAI } = await import('@ai-sdk/google');
      return createGoogleGenerativeAI({ apiKey, baseURL: baseUrl })(choice.modelId);
    }
    case 'azure': {
      const { apiKey, baseUrl, apiVersion } = providers.azure;
      // Skyvern's AZURE_API_BASE is the resource endpoint and AZURE_API_VERSION a dated
      // version, i.e. the classic /openai/deployments/{deployment}/… URLs.
      const { createAzure } = await import('@ai-sdk/azure');
      const azure = createAzure({
        apiKey,
        baseURL: azureOpenAiBase(baseUrl ?? ''),
        apiVersion,
        useDeploymentBasedUrls: true,
      });
      return azure.chat(choice.modelId);
    }
    case 'ollama': {
      const serverUrl = (providers.ollama.serverUrl ?? '').replace(/\/+$/, '').replace(/\/api$/, '');
      const { createOllama } = await import('ollama-ai-provider-v2');
      return createOllama({ baseURL: `${serverUrl}/api` })(choice.modelId);
    }
    case 'openai_compatible': {
      const { apiKey, baseUrl, apiVersion } = providers.openaiCompatible;
      const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
      const compatible = createOpenAICompatible({
        name: 'openai_compatible',
        baseURL: (baseUrl ?? '').replace(/\/+$/, ''),
        apiKey,
        includeUsage: true,
        queryParams: apiVersion ? { 'api-version': apiVersion } : undefined,
      });
      return compatible.chatModel(choice.modelId);
    }
  }
}

function azureOpenAiBase(endpoint: string): string {
  const trimmed = endpoint.replace(/\/+$/, '');
  return /\/openai$/.test(trimmed) ? trimmed : `${trimmed}/openai`;
}
