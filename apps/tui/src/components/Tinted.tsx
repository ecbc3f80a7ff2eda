import { Text } from "ink";
import type { ReactNode } from "react";
import type { Tint } from "../format.js";
import { useColor } from "../theme.js";

export interface TintedProps {
  /** The colour, applied only when colours are on. */
  tint?: Tint | undefined;
  bold?: boolean;
  dim?: boolean;
  /** Swaps fore- and background (the selected row); works without colours too. */
  inverse?: boolean;
  children: ReactNode;
}

/** Text in a colour that respects NO_COLOR: without colours only bold and inverse remain. */
export function Tinted({ tint, bold, dim, inverse, children }: TintedProps) {
  const color = useColor();
  return (
    <Text
      {...(color && tint ? { color: tint } : {})}
      {...(bold ? { bold: true } : {})}
      {...(color && dim ? { dimColor: true } : {})}
      {...(inverse ? { inverse: true } : {})}
    >
      {children}
    </Text>
  );
}
