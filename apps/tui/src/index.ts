export { MonitorApp, type MonitorAppProps } from "./components/MonitorApp.js";
export { MonitorView, type MonitorViewProps, type Pane } from "./components/MonitorView.js";
export type { MonitorApi } from "./monitor-api.js";
export type { MonitorOutcome } from "./outcome.js";
export { type PatchStats, patchStats } from "./patch-stats.js";
export { type RenderMonitorOptions, renderMonitor } from "./render-monitor.js";
export { ColorContext } from "./theme.js";
