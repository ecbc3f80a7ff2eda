import { Box, Text } from "ink";
import { fit } from "../format.js";
import type { Notice } from "../hooks/use-task-action.js";
import { Tinted } from "./Tinted.js";

export interface StatusBarProps {
  /** A question waiting for y/n, shown instead of the notice. */
  question: string | null;
  notice: Notice | null;
  width: number;
}

const KEYS = "↑↓/jk move  enter detail  l log  a approve  r reject  x cancel  R retry  q quit (the run goes on)";

/** The last action's outcome (or a pending question) and the keys. */
export function StatusBar({ question, notice, width }: StatusBarProps) {
  const tint = notice?.tone === "bad" ? "red" : notice?.tone === "ok" ? "green" : undefined;
  return (
    <Box flexDirection="column">
      {question ? (
        <Tinted tint="yellow" bold>
          {fit(`${question} [y/n]`, width).trimEnd()}
        </Tinted>
      ) : (
        <Tinted tint={tint}>{notice ? fit(notice.text, width).trimEnd() : " "}</Tinted>
      )}
      <Tinted tint="gray">
        <Text>{fit(KEYS, width).trimEnd()}</Text>
      </Tinted>
    </Box>
  );
}
