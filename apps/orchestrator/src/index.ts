import { createRouter } from "./router.js";

export { RunCoordinator } from "./coordinator/run-coordinator.js";

export default createRouter();
