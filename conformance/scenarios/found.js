// Scenarios the browser fuzzer found and shrunk (`deno task conformance fuzz`), kept as
// part of the corpus. Each is generated code; see ../fuzz/.
export const scenarios = {};
