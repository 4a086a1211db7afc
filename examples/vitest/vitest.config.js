import { defineConfig } from "vitest/config";

// The stock jsdom environment: no setup file, no custom environment (decision 32).
// A generous timeout: the suite also runs under load, beside the rest of recsim's tests.
export default defineConfig({ test: { environment: "jsdom", testTimeout: 30_000 } });
