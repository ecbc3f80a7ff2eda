import { currentOutage, describeVerification, type RunFigures, type RunState } from "@bernstein/core";
import { Box, Text } from "ink";
import { duration, fit, RUN_LOOK, usd } from "../format.js";
import type { ConnectionStatus } from "../hooks/use-run-state.js";
import { ProgressBar } from "./ProgressBar.js";
import { Tinted } from "./Tinted.js";

export interface HeaderProps {
  state: RunState;
  /** Derived from `state` by `runFigures`: the same numbers `--json` prints. */
  figures: RunFigures;
  connection: ConnectionStatus;
  /** Columns available. */
  width: number;
}

const CONNECTION: Readonly<Record<ConnectionStatus, { text: string; tint: "green" | "yellow" | "gray" }>> = {
  connecting: { text: "○ connecting", tint: "gray" },
  live: { text: "● live", tint: "green" },
  reconnecting: { text: "↻ reconnecting", tint: "yellow" },
  ended: { text: "■ ended", tint: "gray" },
};

/** The run at a glance: goal, status, elapsed, progress, spend and agents. */
export function Header({ state, figures, connection, width }: HeaderProps) {
  const look = RUN_LOOK[state.status];
  const link = CONNECTION[connection];
  const unmerged = figures.unmerged > 0 ? ` (${figures.unmerged} not merged)` : "";
  const waiting = figures.awaitingApproval > 0 ? ` ${figures.awaitingApproval} awaiting approval` : "";
  const budget = figures.budgetUsd === null ? "no budget" : `of ${usd(figures.budgetUsd)}`;
  // A model that is down shows here until it answers again (a pause for it shows as the error).
  const outage = currentOutage(state.activity);
  return (
    <Box flexDirection="column">
      <Text>
        <Tinted bold>bernstein</Tinted> {state.id}{" "}
        <Tinted tint={look.tint} bold>
          {look.icon} {state.status}
        </Tinted>
        {"   "}elapsed {duration(figures.elapsedMs)}
        {"   "}
        <Tinted tint={link.tint}>{link.text}</Tinted>
      </Text>
      <Text>goal: {fit(state.goal, Math.max(10, width - 6)).trimEnd()}</Text>
      <Text>
        tasks <ProgressBar share={figures.progress} width={16} tint="green" /> {figures.merged}/{figures.total} merged
        {unmerged}
        {waiting}
        {"   "}spend{" "}
        {figures.budgetShare === null ? null : (
          <>
            <ProgressBar
              share={figures.budgetShare}
              width={12}
              tint={figures.budgetShare >= 0.8 ? "yellow" : "cyan"}
            />{" "}
          </>
        )}
        {usd(figures.spentUsd)} {budget}
        {"   "}agents {figures.running}/{figures.maxAgents}
      </Text>
      {outage && !state.error ? <Tinted tint="yellow">{fit(outage, width)}</Tinted> : null}
      {state.error ? (
        <Tinted tint={state.status === "paused" ? "yellow" : "red"}>
          {fit(`${state.status === "paused" ? "paused" : "error"}: ${state.error.code}: ${state.error.message}`, width)}
        </Tinted>
      ) : null}
      {state.verification ? <Text>{fit(describeVerification(state.verification), width).trimEnd()}</Text> : null}
    </Box>
  );
}
