import { type KeyboardEvent, useCallback } from "react";

const NEXT = new Set(["ArrowDown", "j"]);
const PREVIOUS = new Set(["ArrowUp", "k"]);

/**
 * Arrow keys (and j/k) move the focus between the `[data-nav]` elements inside the container
 * the handler is put on; Home/End go to the first and last. Tab keeps its usual order.
 */
export function useListKeys(): (event: KeyboardEvent<Element>) => void {
  return useCallback((event: KeyboardEvent<Element>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target as Element;
    if (target.matches("input, textarea, select")) return;
    const items = [...event.currentTarget.querySelectorAll<HTMLElement | SVGElement>("[data-nav]")];
    if (items.length === 0) return;
    const at = items.findIndex((item) => item === target || item.contains(target));
    let next: number | undefined;
    if (NEXT.has(event.key)) next = Math.min(items.length - 1, at + 1);
    else if (PREVIOUS.has(event.key)) next = Math.max(0, at - 1);
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = items.length - 1;
    if (next === undefined) return;
    event.preventDefault();
    items[next]?.focus();
  }, []);
}
