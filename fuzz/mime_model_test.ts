import assert from "node:assert/strict";
import { createUserAgent } from "../src/user_agent.ts";
import { configure, MIME_TABLE, MIME_TYPES } from "./mime_model.ts";

Deno.test("configure: default container and codecs by track kinds", () => {
  assert.deepEqual(configure("", ["video", "audio"]), {
    kind: "ok",
    essence: "video/webm",
    extendedMimeType: 'video/webm;codecs="vp8,opus"',
    codecs: ["vp8", "opus"],
  });
  assert.deepEqual(configure("", ["audio"]), {
    kind: "ok",
    essence: "audio/webm",
    extendedMimeType: "audio/webm;codecs=opus",
    codecs: ["opus"],
  });
  assert.deepEqual(configure("video/webm;codecs=vp8,opus", ["video"]), {
    kind: "ok",
    essence: "video/webm",
    extendedMimeType: "video/webm;codecs=vp8",
    codecs: ["vp8"],
  });
  assert.deepEqual(configure("audio/ogg", ["audio"]), {
    kind: "ok",
    essence: "audio/ogg",
    extendedMimeType: "audio/ogg;codecs=opus",
    codecs: ["opus"],
  });
});

Deno.test("configure: step 14 and 15.2 decisions", () => {
  assert.equal(configure("audio/webm", ["video", "audio"]).kind, "unrecordable");
  assert.equal(configure("video/webm;codecs=vp8", ["video", "audio"]).kind, "unrecordable");
  assert.equal(configure("audio/ogg", ["audio", "audio"]).kind, "unrecordable");
  assert.equal(configure("video/webm;codecs=vp09.00.10.08", ["video"]).kind, "deferred-failure");
  assert.equal(configure("video/webm;codecs=vp09.00.10.08", ["audio"]).kind, "unrecordable");
  assert.throws(() => configure("video/mp4", ["video"]));
});

Deno.test("the table's constructor column matches recsim's spec-profile constructor", () => {
  // A cross-check of data, not a derivation: the table was written from the spec.
  const ua = createUserAgent();
  const stream = new ua.MediaStream([ua.createAudioTrack()]);
  for (const type of MIME_TYPES) {
    let accepted = true;
    try {
      new ua.MediaRecorder(stream, { mimeType: type });
    } catch {
      accepted = false;
    }
    assert.equal(accepted, MIME_TABLE[type]!.constructs, type);
  }
  ua.close();
});
