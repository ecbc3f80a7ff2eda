import { Text } from "ink";
import { bar, type Tint } from "../format.js";
import { Tinted } from "./Tinted.js";

export interface ProgressBarProps {
  /** Filled share, 0..1 (clamped). */
  share: number;
  /** Width in cells. */
  width: number;
  /** Colour of the filled part. */
  tint?: Tint | undefined;
}

/** A bar of block characters: readable without colour. */
export function ProgressBar({ share, width, tint }: ProgressBarProps) {
  const { filled, empty } = bar(share, width);
  return (
    <Text>
      <Tinted tint={tint}>{filled}</Tinted>
      <Tinted tint="gray">{empty}</Tinted>
    </Text>
  );
}
