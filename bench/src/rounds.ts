import { runBernstein } from "./bernstein-run.js";
import { bernsteinFigures, floorDispatchBreakdown, floorFigures, type RunFigures } from "./figures.js";
import { runFloor } from "./floor-run.js";
import type { Round } from "./results.js";
import type { TaskShape } from "./task-shape.js";
import type { Workload } from "./workload.js";

export interface RoundsOptions {
  workload: Workload;
  shape: TaskShape;
  tasks: number;
  maxAgents: number;
  rounds: number;
  /** Called after each round (progress on stderr). */
  onRound?: (index: number, round: Round) => void;
}

/**
 * Runs Bernstein and the floor back to back, `rounds` times, each on a fresh in-memory stack.
 * The side that goes first alternates, so neither always gets the colder (or the warmer) machine.
 */
export async function runRounds(options: RoundsOptions): Promise<Round[]> {
  const { workload, shape, tasks, maxAgents } = options;
  const bernstein = async (): Promise<RunFigures> =>
    bernsteinFigures(await runBernstein(workload, maxAgents), tasks, maxAgents);
  const done: Round[] = [];
  for (let i = 0; i < options.rounds; i++) {
    const order = i % 2 === 0 ? "floor-first" : "bernstein-first";
    const ours = order === "bernstein-first" ? await bernstein() : undefined;
    const floorRun = await runFloor(workload, shape, tasks, maxAgents);
    const round: Round = {
      order,
      bernstein: ours ?? (await bernstein()),
      floor: floorFigures(floorRun, tasks, maxAgents),
      floorBreakdown: floorDispatchBreakdown(floorRun),
    };
    done.push(round);
    options.onRound?.(i, round);
  }
  return done;
}
