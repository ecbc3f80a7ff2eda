import type { TimerRow } from "@bernstein/db";

/** What the coordinator's alarm serves: each kind is one concern with its own due times. */
export type TimerKind = "read-model";

/**
 * A Durable Object has one alarm. The coordinator keeps its due times in the `timers` table
 * (`(kind, key)` at `dueAt`) and sets the alarm to the earliest, so one alarm serves every
 * concern: bringing D1 up to date, and whatever else must happen at a time.
 */
export class Alarms {
  private readonly sql: SqlStorage;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
  }

  /** `(kind, key)` is due at `dueAt` (an earlier due time already set stays). */
  async at(kind: TimerKind, key: string, dueAt: number): Promise<void> {
    this.sql.exec(
      "INSERT INTO timers (kind, key, due_at) VALUES (?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET due_at = min(due_at, excluded.due_at)",
      kind,
      key,
      dueAt,
    );
    await this.arm();
  }

  /** Takes the timers due at `now` (they are removed: a handler sets its own again if it must). */
  take(now: number): Pick<TimerRow, "kind" | "key">[] {
    const due = this.sql
      .exec("SELECT kind, key FROM timers WHERE due_at <= ? ORDER BY due_at", now)
      .toArray()
      .map((row) => ({ kind: String(row.kind), key: String(row.key) }));
    this.sql.exec("DELETE FROM timers WHERE due_at <= ?", now);
    return due;
  }

  /** Sets the one alarm to the earliest due time (or none). */
  async arm(): Promise<void> {
    const next = this.sql.exec("SELECT min(due_at) AS due FROM timers").one().due;
    if (next === null) await this.storage.deleteAlarm();
    else await this.storage.setAlarm(Number(next));
  }
}
