import { createContext, useContext } from "react";

/** Whether the monitor may colour its output (off for NO_COLOR, TERM=dumb or a non-colour terminal). */
export const ColorContext = createContext(true);

/** True when colours are on. */
export function useColor(): boolean {
  return useContext(ColorContext);
}
