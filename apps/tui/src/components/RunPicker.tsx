import { Box, Text, useInput } from "ink";
import { useEffect, useRef, useState } from "react";
import { clock, fit, RUN_LOOK } from "../format.js";
import { useRuns } from "../hooks/use-runs.js";
import { useTerminalSize } from "../hooks/use-terminal-size.js";
import type { MonitorApi } from "../monitor-api.js";
import { Tinted } from "./Tinted.js";

export interface RunPickerProps {
  api: MonitorApi;
  /** The run chosen with Enter. */
  onPick(runId: string): void;
  /** `q` or Esc: leave without choosing; Ctrl-C: `interrupted`. */
  onLeave(interrupted: boolean): void;
  /** Listing the runs failed. */
  onError(error: unknown): void;
}

/** Lists the stack's runs (newest first) to choose one to monitor. */
export function RunPicker({ api, onPick, onLeave, onError }: RunPickerProps) {
  const { runs, error } = useRuns(api);
  const [selected, setSelected] = useState(0);
  const { columns, rows } = useTerminalSize();
  useEffect(() => {
    if (error !== undefined) onError(error);
  }, [error, onError]);
  // Ink may deliver a key to the listener of an earlier render: read this render's values.
  const latest = useRef({ runs, selected });
  latest.current = { runs, selected };
  useInput((input, key) => {
    if (key.ctrl && input === "c") return onLeave(true);
    if (input === "q" || key.escape) return onLeave(false);
    const { runs: shown, selected: at } = latest.current;
    const count = shown?.length ?? 0;
    if (key.upArrow || input === "k") setSelected(Math.max(0, at - 1));
    if (key.downArrow || input === "j") setSelected(Math.min(Math.max(0, count - 1), at + 1));
    const run = shown?.[at];
    if (key.return && run) onPick(run.id);
    return undefined;
  });
  if (runs === null) return <Text>Listing the runs…</Text>;
  if (runs.length === 0) return <Text>This stack has no runs yet: start one with bernstein run --goal "…"</Text>;
  const shown = runs.slice(0, Math.max(1, rows - 4));
  const goal = Math.max(10, columns - 45);
  return (
    <Box flexDirection="column">
      <Tinted bold>Choose a run (↑↓ move, enter open, q quit)</Tinted>
      {shown.map((run, i) => {
        const look = RUN_LOOK[run.status];
        return (
          <Text key={run.id}>
            <Tinted inverse={i === selected}>{`${i === selected ? "›" : " "} ${run.id} `}</Tinted>
            <Tinted tint={look.tint} inverse={i === selected}>
              {fit(`${look.icon} ${run.status}`, 12)}
            </Tinted>
            <Tinted inverse={i === selected}>{` ${clock(run.createdAt)} ${fit(run.goal, goal)}`}</Tinted>
          </Text>
        );
      })}
    </Box>
  );
}
