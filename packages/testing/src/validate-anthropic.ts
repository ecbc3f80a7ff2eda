import type { z } from "zod";
import { type AnthropicContentBlock, type AnthropicMessage, AnthropicRequest } from "./anthropic-schema.js";

export type AnthropicValidation = { ok: true; request: AnthropicRequest } | { ok: false; message: string };

/** Validates a Messages API body the way the real service does; `message` reads like its 400s. */
export function validateAnthropicRequest(body: unknown): AnthropicValidation {
  const parsed = AnthropicRequest.safeParse(body, {
    reportInput: true,
    error: (issue) => (issue.input === undefined ? "Field required" : undefined),
  });
  if (!parsed.success) return { ok: false, message: describeIssue(parsed.error.issues[0]) };
  const message = checkTools(parsed.data) ?? checkMessages(parsed.data.messages);
  return message === undefined ? { ok: true, request: parsed.data } : { ok: false, message };
}

function describeIssue(found: z.core.$ZodIssue | undefined): string {
  if (found === undefined) return "invalid request";
  const issue = deepest(found);
  const path = issue.path.map(String).join(".");
  const message = unknownTag(issue) ?? issue.message;
  return path === "" ? message : `${path}: ${message}`;
}

/** For a union (string or blocks), the branch issue that got furthest names the real problem. */
function deepest(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== "invalid_union") return issue;
  let best: z.core.$ZodIssue = issue;
  for (const branch of issue.errors.flat()) {
    const candidate = deepest({ ...branch, path: [...issue.path, ...branch.path] });
    if (candidate.path.length > best.path.length) best = candidate;
  }
  return best;
}

function unknownTag(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code !== "invalid_union" || issue.discriminator === undefined) return undefined;
  const input = issue.input as Record<string, unknown> | undefined;
  const tag = String(input?.[issue.discriminator]);
  return `Input tag '${tag}' found using '${issue.discriminator}' does not match any of the expected tags`;
}

function checkTools(request: AnthropicRequest): string | undefined {
  const names = new Set<string>();
  for (const tool of request.tools ?? []) {
    if (names.has(tool.name)) return "tools: Tool names must be unique.";
    names.add(tool.name);
  }
  return undefined;
}

function blocksOf(message: AnthropicMessage): AnthropicContentBlock[] {
  return typeof message.content === "string" ? [{ type: "text", text: message.content }] : message.content;
}

function checkMessages(messages: AnthropicMessage[]): string | undefined {
  if (messages.length === 0) return "messages: at least one message is required";
  if (messages[0]?.role !== "user") return 'messages: first message must use the "user" role';
  let pendingToolUse: string[] = [];
  for (const [i, message] of messages.entries()) {
    const previous = messages[i - 1];
    if (previous !== undefined && previous.role === message.role) {
      return `messages: roles must alternate between "user" and "assistant", but found multiple "${message.role}" roles in a row`;
    }
    const isFinal = i === messages.length - 1;
    const blocks = blocksOf(message);
    if (blocks.length === 0 && !(isFinal && message.role === "assistant")) {
      return `messages.${i}: all messages must have non-empty content except for the optional final assistant message`;
    }
    const problem = checkBlocks(i, message.role, blocks, pendingToolUse);
    if (problem !== undefined) return problem;
    pendingToolUse = message.role === "assistant" ? toolUseIds(blocks) : [];
    if (pendingToolUse.length > 0 && isFinal) return unansweredToolUse(i, pendingToolUse);
  }
  return undefined;
}

function checkBlocks(
  i: number,
  role: AnthropicMessage["role"],
  blocks: AnthropicContentBlock[],
  pendingToolUse: string[],
): string | undefined {
  for (const [j, block] of blocks.entries()) {
    if (block.type === "text" && block.text === "") return "messages: text content blocks must be non-empty";
    if (block.type === "text" && block.text.trim() === "") {
      return `messages.${i}.content.${j}: text content blocks must contain non-whitespace text`;
    }
    if (block.type === "tool_use" && role !== "assistant") {
      return `messages.${i}.content.${j}: \`tool_use\` blocks can only be in \`assistant\` messages`;
    }
    if (block.type === "tool_result" && role !== "user") {
      return `messages.${i}.content.${j}: \`tool_result\` blocks can only be in \`user\` messages`;
    }
    if (block.type === "tool_result" && !pendingToolUse.includes(block.tool_use_id)) {
      return `messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${block.tool_use_id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
    }
  }
  const answered = new Set(blocks.flatMap((b) => (b.type === "tool_result" ? [b.tool_use_id] : [])));
  const missing = pendingToolUse.filter((id) => !answered.has(id));
  return missing.length > 0 ? unansweredToolUse(i, missing) : undefined;
}

function toolUseIds(blocks: AnthropicContentBlock[]): string[] {
  return blocks.flatMap((b) => (b.type === "tool_use" ? [b.id] : []));
}

function unansweredToolUse(i: number, ids: string[]): string {
  return `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${ids.join(", ")}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
}
