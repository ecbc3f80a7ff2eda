import { z } from "zod";

// The parts of Chat Completions answers that Bernstein reads. Loose, because OpenAI-compatible
// servers (Ollama, vLLM, OpenRouter, Workers AI) add, omit and null fields freely.

export const OpenAIUsage = z.looseObject({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
});
export type OpenAIUsage = z.infer<typeof OpenAIUsage>;

const ToolCall = z.looseObject({
  index: z.number().optional(),
  id: z.string().nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});

export const OpenAICompletion = z.looseObject({
  id: z.string().optional(),
  model: z.string().optional(),
  choices: z
    .array(
      z.looseObject({
        message: z.looseObject({
          content: z.string().nullish(),
          refusal: z.string().nullish(),
          tool_calls: z.array(ToolCall).nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: OpenAIUsage.nullish(),
});
export type OpenAICompletion = z.infer<typeof OpenAICompletion>;

export const OpenAIChunk = z.looseObject({
  model: z.string().optional(),
  choices: z
    .array(
      z.looseObject({
        delta: z
          .looseObject({
            content: z.string().nullish(),
            refusal: z.string().nullish(),
            tool_calls: z.array(ToolCall).nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: OpenAIUsage.nullish(),
  error: z.looseObject({ message: z.string().optional(), type: z.string().nullish() }).nullish(),
});
export type OpenAIChunk = z.infer<typeof OpenAIChunk>;
