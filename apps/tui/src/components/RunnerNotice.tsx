import { fit } from "../format.js";
import { Tinted } from "./Tinted.js";

/** The "no runner connected" line under the header: work waits that only a runner can do. */
export function RunnerNotice({ text, width }: { text: string; width: number }) {
  return (
    <Tinted tint="yellow" bold>
      {fit(`⚠ ${text}`, width).trimEnd()}
    </Tinted>
  );
}
