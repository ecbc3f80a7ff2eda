import type { RunState } from "@bernstein/core";
import { type FormEvent, useState } from "react";
import { client } from "../api.js";
import { useAction } from "../hooks/use-action.js";
import { ErrorNotice } from "./ErrorNotice.js";

/** Cancel the run (after a second, explicit click) and add budget: the CLI's `cancel` and `budget --add`. */
export function RunActions({ state }: { state: RunState }) {
  const cancel = useAction();
  const budget = useAction();
  const [confirming, setConfirming] = useState(false);
  const [amount, setAmount] = useState("");

  const addBudget = async (event: FormEvent) => {
    event.preventDefault();
    if (await budget.run(() => client.addBudget(state.id, Number(amount)))) setAmount("");
  };

  return (
    <div className="actions run-actions">
      {confirming ? (
        <fieldset className="confirm">
          <legend>Cancel every task of this run?</legend>
          <button
            type="button"
            className="danger"
            disabled={cancel.pending}
            onClick={() => cancel.run(() => client.cancelRun(state.id)).then(() => setConfirming(false))}
          >
            Yes, cancel run
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep running
          </button>
        </fieldset>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Cancel run
        </button>
      )}
      <form className="inline" onSubmit={addBudget}>
        <label htmlFor="budget-add">Add budget (USD)</label>
        <input
          id="budget-add"
          type="number"
          inputMode="decimal"
          min="0.01"
          step="0.01"
          required
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
        />
        <button type="submit" disabled={budget.pending}>
          Add budget
        </button>
      </form>
      {cancel.error ? <ErrorNotice error={cancel.error} what="cancel failed" /> : null}
      {budget.error ? <ErrorNotice error={budget.error} what="adding budget failed" /> : null}
    </div>
  );
}
