// mimeType families either engine knows, and some neither does: isTypeSupported, the
// constructor, start(), the mimeType at each point and the Blob types.
import { record } from "./_common.js";

const AV = [
  "",
  "video/webm",
  "video/webm;codecs=vp8",
  "video/webm;codecs=vp9",
  "video/webm;codecs=vp8,opus",
  "video/webm;codecs=vp9,opus",
  "video/webm;codecs=av1",
  "video/webm;codecs=av01",
  "video/webm;codecs=h264",
  "video/webm;codecs=h264,opus",
  "video/webm;codecs=VP8",
  "video/x-matroska;codecs=avc1",
  "video/mp4",
  "video/mp4;codecs=avc1",
  "audio/webm",
  "audio/webm;codecs=opus",
  "audio/ogg",
  "audio/ogg;codecs=opus",
  "audio/mp4",
  "video/webm;codecs=foo",
  "text/plain",
];

/** A file-name-friendly form of a MIME type. */
export function slug(type) {
  return type === "" ? "empty" : type.replace(/[^a-zA-Z0-9]+/g, "-").replace(/-$/, "");
}

export const scenarios = {};
for (const type of AV) {
  scenarios[`av-${slug(type)}`] = (lab) =>
    record(lab, {
      options: { mimeType: type },
      beforeStart: (lab) => lab.note("isTypeSupported", MediaRecorder.isTypeSupported(type)),
      start: ["500", 500, true],
      duration: 1200,
    });
}
for (
  const type of [
    "",
    "audio/webm",
    "audio/ogg",
    "video/webm;codecs=vp8",
    "video/webm;codecs=vp8,opus",
  ]
) {
  scenarios[`audio-${slug(type)}`] = (lab) =>
    record(lab, {
      constraints: { audio: true },
      options: { mimeType: type },
      start: ["500", 500, true],
      duration: 1200,
    });
}
for (const type of ["", "audio/webm", "video/webm;codecs=vp8,opus"]) {
  scenarios[`video-${slug(type)}`] = (lab) =>
    record(lab, {
      constraints: { video: true },
      options: { mimeType: type },
      start: ["500", 500, true],
      duration: 1200,
    });
}

/** isTypeSupported over a wide table of types (no recording). */
scenarios["is-type-supported-table"] = (lab) => {
  const types = [
    ...AV,
    "video/webm;codecs=vp8.0",
    "video/webm;codecs=vp09.00.10.08",
    'video/webm;codecs="vp8, opus"',
    "video/webm;codecs=vp8,vp8",
    "video/webm;codecs=pcm",
    "audio/webm;codecs=pcm",
    "video/x-matroska",
    "video/x-matroska;codecs=hevc",
    "video/mp4;codecs=avc1.42E01E,mp4a.40.2",
    "video/mp4;codecs=vp9",
    "audio/mp4;codecs=mp4a.40.2",
    "audio/mp4;codecs=opus",
    "audio/wav",
    "audio/mpeg",
    "VIDEO/WEBM",
    " video/webm",
    "video/webm;",
    "video",
    "*/*",
  ];
  for (const type of types) {
    lab.note(`isTypeSupported(${JSON.stringify(type)})`, MediaRecorder.isTypeSupported(type));
  }
  return Promise.resolve();
};
