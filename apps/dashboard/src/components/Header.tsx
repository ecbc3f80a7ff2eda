import { Link } from "wouter";
import type { LiveStatus } from "../hooks/use-run-state.js";

const LIVE_WORDS: Record<LiveStatus, { icon: string; text: string; tone: string }> = {
  connecting: { icon: "◌", text: "connecting", tone: "idle" },
  live: { icon: "●", text: "live", tone: "ok" },
  reconnecting: { icon: "↻", text: "reconnecting", tone: "warn" },
  ended: { icon: "■", text: "run ended", tone: "idle" },
};

/** The top bar: home, the live connection of the run on screen, and log out (a form POST). */
export function Header({ live }: { live?: LiveStatus | undefined }) {
  const look = live ? LIVE_WORDS[live] : undefined;
  return (
    <header className="topbar">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <Link href="/" className="brand">
        Bernstein
      </Link>
      <nav aria-label="Main">
        <Link href="/">Runs</Link>
      </nav>
      <span className="spacer" />
      {look ? (
        <output className={`live tone-${look.tone}`} data-live={live} aria-live="polite">
          <span aria-hidden="true">{look.icon}</span> {look.text}
        </output>
      ) : null}
      <form method="post" action="/logout">
        <button type="submit" className="quiet">
          Log out
        </button>
      </form>
    </header>
  );
}
