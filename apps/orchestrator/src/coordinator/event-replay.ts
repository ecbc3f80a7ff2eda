import type { RunEvent } from "@bernstein/core";
import type { RunStore } from "./store/run-store.js";

/** Events per page of an SSE replay. */
const REPLAY_PAGE = 1_000;

/** The run's log after `after`, read page by page: the backlog an SSE subscription replays first. */
export function eventsToReplay(rows: RunStore, after: number): RunEvent[] {
  const backlog: RunEvent[] = [];
  for (let from = after; ; ) {
    const page = rows.eventsAfter(from, REPLAY_PAGE);
    backlog.push(...page);
    if (page.length < REPLAY_PAGE) break;
    from = page[page.length - 1]?.seq ?? from;
  }
  return backlog;
}
