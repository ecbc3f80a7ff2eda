import { noRunnerNotice } from "@bernstein/core";
import { useEffect, useState } from "react";
import type { MonitorApi } from "../monitor-api.js";

/**
 * "no runner connected: ... waiting" while the run's commands or verifications wait and no
 * runner is connected (`GET /v1/runners?run=`), else null. Asked every `intervalMs` while
 * `live`; a failed read keeps the last answer (the header shows the connection's trouble).
 */
export function useRunnerNotice(api: MonitorApi, runId: string, live: boolean, intervalMs = 3_000): string | null {
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (!live) {
      setNotice(null);
      return;
    }
    let alive = true;
    const read = () =>
      api.runnerStatus(runId).then(
        (status) => alive && setNotice(noRunnerNotice(status)),
        () => undefined, // kept: the next read tries again, and the event stream reports outages
      );
    void read();
    const timer = setInterval(read, intervalMs);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [api, runId, live, intervalMs]);
  return notice;
}
