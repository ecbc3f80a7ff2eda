export { childrenOf, cwdOf, processesIn } from "./find.js";
export {
  groupMembers,
  identityOf,
  isRunning,
  type ProcessIdentity,
  type StopOptions,
  type StopResult,
  signalProcess,
  stopProcess,
} from "./identity.js";
export {
  type Ledger,
  type LedgerEntry,
  type LeftoverOutcome,
  readLedger,
  removeLedger,
  stopLeftovers,
  writeLedger,
} from "./ledger.js";
export { type Lifeline, lifeline, type WatchOptions } from "./lifeline.js";
export { hasProcfs, listProcesses, type ProcStat, parseProcStat, readProcStat } from "./proc-stat.js";
