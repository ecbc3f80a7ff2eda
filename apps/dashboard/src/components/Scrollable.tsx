import type { ReactNode } from "react";

/**
 * A box that scrolls on its own (a long log, a wide diff). It takes the keyboard focus, so
 * arrow keys scroll it for people without a mouse (WCAG 2.1.1; axe `scrollable-region-focusable`).
 */
export function Scrollable({ label, className, children }: { label: string; className: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to be scrolled.
    <section className={className} aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
