import { type AttemptContext, testCommandsOf } from "@bernstein/core";

/** The agent's standing instructions. */
export function systemPrompt(ctx: AttemptContext): string {
  return [
    `You are a ${ctx.task.role} engineer on a team of coding agents working on one repository.`,
    `The team's goal: ${ctx.goal}`,
    "You are given one task of that goal. Other agents work on the other tasks at the same time.",
    `Work only through the tools: list_files, read_file, search, write_file, edit_file, delete_file${ctx.commands.enabled ? ", run_command" : ""}.`,
    "Read the code you change before you change it. Keep changes focused on your task; do not reformat unrelated code.",
    ...(ctx.commands.enabled
      ? commandAdvice(ctx)
      : [
          "Add or update tests when the task changes behaviour. You cannot run commands; write code that is correct by reading.",
        ]),
    "When the task is done, call finish with a short summary of what you changed. Every reply must call a tool.",
  ].join("\n");
}

/** How to use `run_command`: the narrowest test first, then the checks the result must pass. */
function commandAdvice(ctx: AttemptContext): string[] {
  const checks = [...testCommandsOf(ctx.task.completionSignals), ...ctx.verifyCommands];
  return [
    "Add or update tests when the task changes behaviour. run_command runs a command on your current tree (your changes included) and returns its exit code and output.",
    "Run the narrowest test for your change first; before finish, run the checks your result must pass" +
      (checks.length > 0 ? `: ${checks.map((c) => `\`${c}\``).join(", ")}.` : "."),
  ];
}

/**
 * Paths the first message lists at most: a tree grows with every merge, and the message (in
 * every model call and transcript of the attempt) should not; `list_files` shows the rest.
 */
const LISTED_FILES = 200;

/** The first user message. It names the task by title: the scripted test model keys on it. */
export function taskMessage(ctx: AttemptContext, files: readonly string[]): string {
  const parts = [`Task: ${ctx.task.title}`];
  if (ctx.task.description) parts.push("", ctx.task.description);
  if (ctx.task.ownedFiles.length > 0) {
    parts.push("", `Files this task owns (other agents will not touch them): ${ctx.task.ownedFiles.join(", ")}`);
  }
  const tests = testCommandsOf(ctx.task.completionSignals);
  if (tests.length > 0) {
    parts.push(
      "",
      "When you finish, a runner checks your result with these commands, which must exit 0 (write the tests they run if they do not exist):",
      ...tests.map((command) => `- ${command}`),
    );
  }
  const listed = files.slice(0, LISTED_FILES);
  const more = files.length - listed.length;
  parts.push(
    "",
    more > 0 ? `The repository has ${files.length} files. The first ${listed.length}:` : `The repository's files:`,
    listed.join("\n"),
  );
  if (more > 0) parts.push(`… and ${more} more (list_files shows them by folder).`);
  if (ctx.feedback) parts.push("", "Feedback from the previous attempt:", ctx.feedback);
  return parts.join("\n");
}

/** Sent once when a reply calls no tool. */
export const REMINDER =
  "Your reply did not call a tool. Continue the task with the tools, or call finish with a summary if it is done.";
