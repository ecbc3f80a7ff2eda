import { z } from "zod";

// The parts of Anthropic Messages API answers that Bernstein reads. Loose: the API adds
// fields and block types (thinking, citations...) that are skipped, not rejected.

export const AnthropicUsage = z.looseObject({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
});
export type AnthropicUsage = z.infer<typeof AnthropicUsage>;

const ContentBlock = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  input: z.unknown().optional(),
});

export const AnthropicMessage = z.looseObject({
  id: z.string().optional(),
  model: z.string(),
  content: z.array(ContentBlock),
  stop_reason: z.string().nullish(),
  usage: AnthropicUsage.optional(),
});
export type AnthropicMessage = z.infer<typeof AnthropicMessage>;

export const AnthropicStreamEvent = z.looseObject({
  type: z.string(),
  index: z.number().optional(),
  message: z.looseObject({ id: z.string().optional(), model: z.string(), usage: AnthropicUsage.optional() }).optional(),
  content_block: ContentBlock.optional(),
  delta: z
    .looseObject({
      type: z.string().optional(),
      text: z.string().optional(),
      partial_json: z.string().optional(),
      stop_reason: z.string().nullish(),
    })
    .optional(),
  usage: AnthropicUsage.optional(),
  error: z.looseObject({ type: z.string().optional(), message: z.string().optional() }).optional(),
});
export type AnthropicStreamEvent = z.infer<typeof AnthropicStreamEvent>;
