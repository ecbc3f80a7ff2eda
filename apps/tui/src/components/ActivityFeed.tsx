import type { ActivityEntry } from "@bernstein/core";
import { Box, Text } from "ink";
import { clock, fit, TONE_TINT } from "../format.js";
import { Tinted } from "./Tinted.js";

export interface ActivityFeedProps {
  /** The run's recent activity, oldest first (`RunState.activity`). */
  entries: readonly ActivityEntry[];
  /** Lines available, the title included. */
  height: number;
  width: number;
}

/** The latest events in words, newest at the bottom; cost and turn chatter left out. */
export function ActivityFeed({ entries, height, width }: ActivityFeedProps) {
  const shown = entries.filter((e) => e.tone !== "quiet").slice(-Math.max(1, height - 1));
  return (
    <Box flexDirection="column">
      <Tinted bold>Activity</Tinted>
      {shown.length === 0 ? <Text>No events yet.</Text> : null}
      {shown.map((entry) => (
        <Text key={entry.seq}>
          <Tinted tint="gray">{clock(entry.at)}</Tinted>{" "}
          <Tinted tint={TONE_TINT[entry.tone]}>{fit(entry.text, Math.max(10, width - 10)).trimEnd()}</Tinted>
        </Text>
      ))}
    </Box>
  );
}
