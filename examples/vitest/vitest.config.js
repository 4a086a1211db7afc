import { defineConfig } from "vitest/config";

// The stock jsdom environment: no setup file, no custom environment (decision 32).
export default defineConfig({ test: { environment: "jsdom" } });
