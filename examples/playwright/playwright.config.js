import { defineConfig } from "@playwright/test";

// Debian's chromium (apt-get install chromium); no browser download.
export default defineConfig({
  testDir: ".",
  reporter: "list",
  workers: 1,
  timeout: 90_000,
  use: {
    launchOptions: { executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium" },
  },
});
