// The stock jsdom environment, no setup file (decision 32). `transform: {}` runs the ES
// modules as they are (Jest's ESM mode, hence --experimental-vm-modules in package.json).
export default {
  testEnvironment: "jsdom",
  transform: {},
  testTimeout: 30_000,
  testMatch: ["**/*.test.js", "**/*.test.cjs"],
  moduleFileExtensions: ["js", "cjs", "mjs", "json"],
};
