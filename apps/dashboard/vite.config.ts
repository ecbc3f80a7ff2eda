import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The build is served by the orchestrator Worker as Workers Static Assets (its wrangler.jsonc
// points `assets.directory` at dist/). No source maps: the assets stay small and public.
export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: false, reportCompressedSize: false },
});
