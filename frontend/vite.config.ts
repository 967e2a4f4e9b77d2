import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vitest/config";

// `make dev` runs uvicorn here; NNP_BACKEND points the dev proxy elsewhere.
const BACKEND = process.env.NNP_BACKEND ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [svelte()],
  // Tests run the store's runes with Svelte's client runtime, as the browser does.
  resolve: process.env.VITEST ? { conditions: ["browser"] } : undefined,
  build: {
    outDir: "../server/static",
    emptyOutDir: true,
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      "/api": BACKEND,
      "/ws": { target: BACKEND, ws: true },
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
