/** A bar with its figure in words next to it (the bar alone carries no number). */
export function ProgressBar({ value, max, label, tone }: { value: number; max: number; label: string; tone?: string }) {
  const share = max > 0 ? Math.min(1, value / max) : 0;
  return (
    <span className="progress">
      <span className={`bar${tone ? ` tone-${tone}` : ""}`} aria-hidden="true">
        <span style={{ width: `${Math.round(share * 100)}%` }} />
      </span>
      <span className="progress-label">{label}</span>
    </span>
  );
}
