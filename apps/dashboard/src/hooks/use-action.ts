import { type BernsteinError, toBernsteinError } from "@bernstein/core";
import { useCallback, useState } from "react";

export interface Action {
  run(act: () => Promise<unknown>): Promise<boolean>;
  pending: boolean;
  error: BernsteinError | undefined;
}

/** One control (approve, cancel, ...): its request in flight, and the API error it ended with. */
export function useAction(): Action {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<BernsteinError>();
  const run = useCallback(async (act: () => Promise<unknown>) => {
    setPending(true);
    setError(undefined);
    try {
      await act();
      return true;
    } catch (caught) {
      setError(toBernsteinError(caught));
      return false;
    } finally {
      setPending(false);
    }
  }, []);
  return { run, pending, error };
}
