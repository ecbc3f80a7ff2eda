import type { Attempt } from "@bernstein/core";
import { count, duration, shortModel, usd } from "../lib/format.js";

/** A task's attempts: model, tokens, cost, duration, outcome; a button picks the one shown below. */
export function AttemptTable(props: {
  attempts: readonly Attempt[];
  chosen: number | undefined;
  onChoose: (n: number) => void;
}) {
  return (
    <div className="table-wrap">
      <table className="attempts">
        <thead>
          <tr>
            <th scope="col">Attempt</th>
            <th scope="col">Outcome</th>
            <th scope="col">Model</th>
            <th scope="col" className="num">
              Tokens in / out / cached
            </th>
            <th scope="col" className="num">
              Cost
            </th>
            <th scope="col" className="num">
              Duration
            </th>
          </tr>
        </thead>
        <tbody>
          {props.attempts.map((a) => (
            <tr key={a.id} aria-current={a.n === props.chosen ? "true" : undefined}>
              <td>
                <button
                  type="button"
                  className="link"
                  aria-pressed={a.n === props.chosen}
                  onClick={() => props.onChoose(a.n)}
                >
                  #{a.n}
                </button>
              </td>
              <td>
                {a.status}
                {a.error ? (
                  <div className="sub">
                    {a.error.code}: {a.error.message}
                  </div>
                ) : null}
              </td>
              <td>{shortModel(a.model)}</td>
              <td className="num">
                {count(a.tokensIn)} / {count(a.tokensOut)} / {count(a.tokensCached)}
              </td>
              <td className="num">{usd(a.costUsd)}</td>
              <td className="num">
                {duration(a.finishedAt ? Date.parse(a.finishedAt) - Date.parse(a.startedAt) : null)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
