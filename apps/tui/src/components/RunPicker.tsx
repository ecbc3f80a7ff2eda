import { Box, type Key, Text, useInput } from "ink";
import { useEffect, useRef, useState } from "react";
import { clock, fit, RUN_LOOK } from "../format.js";
import { eachKey } from "../hooks/key-chunks.js";
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
  // Ink may deliver a key to the listener of an earlier render: read this render's runs. The
  // selection is a ref that each key moves at once: "j" then Enter before a render opens the
  // row "j" moved to.
  const latestRuns = useRef(runs);
  latestRuns.current = runs;
  const selectedNow = useRef(0);
  const onKey = (input: string, key: Key) => {
    if (key.ctrl && input === "c") return onLeave(true);
    if (input === "q" || key.escape) return onLeave(false);
    const shown = latestRuns.current;
    const last = Math.max(0, (shown?.length ?? 0) - 1);
    const at = Math.min(selectedNow.current, last);
    if (key.upArrow || input === "k") selectedNow.current = Math.max(0, at - 1);
    else if (key.downArrow || input === "j") selectedNow.current = Math.min(last, at + 1);
    else if (key.return && shown?.[at]) return onPick(shown[at].id);
    setSelected(selectedNow.current);
    return undefined;
  };
  useInput((input, key) => eachKey(input, key, onKey));
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
