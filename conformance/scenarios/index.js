// The corpus: every scenario file, in the order the lab runs them. A scenario's id is
// `<file>/<name>`.
export const FILES = [
  "timeslice",
  "mime",
  "bitrate",
  "state",
  "tracks",
  "reentrant",
  "gum",
  "found",
];
