import { useEffect, useState } from "react";

/** The current time, refreshed every `intervalMs` while `ticking` (elapsed times keep moving). */
export function useNow(ticking: boolean, clock: () => number = Date.now, intervalMs = 1_000): number {
  const [now, setNow] = useState(clock);
  useEffect(() => {
    setNow(clock());
    if (!ticking) return;
    const timer = setInterval(() => setNow(clock()), intervalMs);
    return () => clearInterval(timer);
  }, [ticking, clock, intervalMs]);
  return now;
}
