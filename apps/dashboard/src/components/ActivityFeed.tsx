import type { RunState } from "@bernstein/core";
import { clock } from "../lib/format.js";
import { ACTIVITY_LOOK } from "../lib/status.js";
import { Scrollable } from "./Scrollable.js";

/** The run's recent events in words (newest first), from the reducer's activity list. */
export function ActivityFeed({ state }: { state: RunState }) {
  if (state.activity.length === 0) return <p>Nothing has happened yet.</p>;
  const entries = [...state.activity].reverse();
  return (
    <Scrollable className="activity-box" label="Recent events">
      <ol className="activity" data-event-seq={state.eventSeq}>
        {entries.map((entry) => {
          const look = ACTIVITY_LOOK[entry.tone];
          return (
            <li key={entry.seq} data-seq={entry.seq} className={`tone-${look.tone}`}>
              <time dateTime={entry.at}>{clock(entry.at)}</time> <span aria-hidden="true">{look.icon}</span>{" "}
              <span>{entry.text}</span>
            </li>
          );
        })}
      </ol>
    </Scrollable>
  );
}
