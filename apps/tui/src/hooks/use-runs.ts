import type { Run } from "@bernstein/core";
import { useEffect, useState } from "react";
import type { MonitorApi } from "../monitor-api.js";

/** The stack's runs, newest first; `error` when they could not be listed. */
export function useRuns(api: MonitorApi): { runs: Run[] | null; error: unknown } {
  const [result, setResult] = useState<{ runs: Run[] | null; error: unknown }>({ runs: null, error: undefined });
  useEffect(() => {
    let live = true;
    api.listRuns().then(
      (runs) =>
        live && setResult({ runs: [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt)), error: undefined }),
      (error: unknown) => live && setResult({ runs: null, error }),
    );
    return () => {
      live = false;
    };
  }, [api]);
  return result;
}
