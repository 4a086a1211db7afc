// MediaStream Recording's "is type supported" algorithm (src/recorder/mime_type.ts, steps
// 1–10), with a fake TypeSupport and through the real API. The WHATWG MIME parsing it uses is
// tested in src/mime_type_test.ts.
import assert from "node:assert/strict";
import { EXPOSED_CODECS, isTypeSupportedAlgorithm, type TypeSupport } from "./mime_type.ts";
import { createUserAgent } from "../user_agent.ts";

/** A fake TypeSupport that records every question it is asked. */
function fakeSupport(containers: Record<string, string[]>) {
  const calls: string[] = [];
  const support: TypeSupport = {
    supportsContainer(essence) {
      calls.push(`container ${essence}`);
      return essence in containers;
    },
    supportsCodec(essence, codec) {
      calls.push(`codec ${essence} ${codec}`);
      return containers[essence]?.includes(codec) ?? false;
    },
  };
  return { support, calls };
}

const WEBM = { "video/webm": ["vp8", "vp9", "opus", "pcm"], "audio/ogg": ["opus"] };

Deno.test("is type supported step 1: the empty string is supported without asking the encoder", () => {
  const { support, calls } = fakeSupport({});
  assert.equal(isTypeSupportedAlgorithm("", false, support), true);
  assert.equal(isTypeSupportedAlgorithm("", true, support), true);
  assert.deepEqual(calls, []);
});

Deno.test("is type supported step 2: an invalid MIME type string is not supported", () => {
  const { support, calls } = fakeSupport(WEBM);
  for (const bad of ["video", "garbage", "/webm", "video/", "vi deo/webm", " "]) {
    assert.equal(isTypeSupportedAlgorithm(bad, true, support), false, bad);
  }
  assert.deepEqual(calls, []);
});

Deno.test("is type supported step 3: an unsupported container is false; the essence is lowercased", () => {
  const { support, calls } = fakeSupport(WEBM);
  assert.equal(isTypeSupportedAlgorithm("video/mp4", true, support), false);
  assert.equal(isTypeSupportedAlgorithm("video/mp4;codecs=vp8", true, support), false);
  assert.equal(isTypeSupportedAlgorithm("VIDEO/WebM", false, support), true);
  assert.deepEqual(calls, ["container video/mp4", "container video/mp4", "container video/webm"]);
});

Deno.test("is type supported step 5: more than one video codec or more than one audio codec is false", () => {
  const { support } = fakeSupport(WEBM);
  for (const defer of [false, true]) {
    assert.equal(isTypeSupportedAlgorithm("video/webm;codecs=vp8,vp9", defer, support), false);
    assert.equal(isTypeSupportedAlgorithm("video/webm;codecs=vp8,vp8", defer, support), false);
    assert.equal(isTypeSupportedAlgorithm('video/webm;codecs="VP8, vp8.0"', defer, support), false);
    assert.equal(isTypeSupportedAlgorithm("video/webm;codecs=opus,pcm", defer, support), false);
    assert.equal(
      isTypeSupportedAlgorithm("video/webm;codecs=vp8,opus,opus", defer, support),
      false,
    );
  }
  assert.equal(isTypeSupportedAlgorithm("video/webm;codecs=vp8,opus", false, support), true);
});

Deno.test("is type supported step 8: an exposed codec the encoder cannot produce in the container is false", () => {
  const { support, calls } = fakeSupport(WEBM);
  assert.equal(isTypeSupportedAlgorithm("video/webm;codecs=h264", true, support), false);
  assert.equal(isTypeSupportedAlgorithm("video/webm;codecs=av01.0.04M.08", true, support), false);
  assert.equal(isTypeSupportedAlgorithm("audio/ogg;codecs=vp8", true, support), false);
  // Even with an unknown codec alongside, the exposed unsupported one decides.
  assert.equal(isTypeSupportedAlgorithm("video/webm;codecs=h264,daala", true, support), false);
  assert.ok(calls.includes("codec video/webm h264"));
  assert.ok(calls.includes("codec video/webm av01"));
});

Deno.test("is type supported steps 6–8: identifiers are case-insensitive and cut at the first '.'", () => {
  const { support, calls } = fakeSupport(WEBM);
  assert.equal(isTypeSupportedAlgorithm("video/webm;codecs=VP8", false, support), true);
  assert.equal(isTypeSupportedAlgorithm("video/webm;codecs=vp9.0", false, support), true);
  assert.equal(isTypeSupportedAlgorithm('video/webm;codecs="Vp9.0.1, OPUS"', false, support), true);
  assert.deepEqual(calls.filter((c) => c.startsWith("codec")), [
    "codec video/webm vp8",
    "codec video/webm vp9",
    "codec video/webm vp9",
    "codec video/webm opus",
  ]);
});

Deno.test("is type supported step 9: identifiers outside the exposed list return deferNewerCodecsCheck", () => {
  const { support, calls } = fakeSupport(WEBM);
  for (
    const type of [
      "video/webm;codecs=vp09.00.10.08",
      "video/webm;codecs=daala",
      "video/webm;codecs=vp8,foo",
    ]
  ) {
    assert.equal(isTypeSupportedAlgorithm(type, false, support), false, `${type}, defer false`);
    assert.equal(isTypeSupportedAlgorithm(type, true, support), true, `${type}, defer true`);
  }
  // Unknown identifiers are not counted as video or audio (step 5 counts exposed ones only).
  assert.equal(isTypeSupportedAlgorithm("video/webm;codecs=foo,bar,vp8", true, support), true);
  assert.equal(
    calls.filter((c) => c.includes("foo") || c.includes("daala")).length,
    0,
    "never asked",
  );
});

Deno.test("is type supported step 10: a supported container with supported exposed codecs is true", () => {
  const { support } = fakeSupport(WEBM);
  assert.equal(isTypeSupportedAlgorithm("video/webm", false, support), true);
  assert.equal(isTypeSupportedAlgorithm("video/webm;codecs=vp9", false, support), true);
  assert.equal(isTypeSupportedAlgorithm("audio/ogg;codecs=opus", false, support), true);
  assert.equal(isTypeSupportedAlgorithm("video/webm;foo=bar", false, support), true);
});

Deno.test("EXPOSED_CODECS classifies the spec's synchronously exposed codecs", () => {
  for (const v of ["vp8", "vp9", "av1", "av01", "avc1", "avc3", "hvc1", "hev1", "h264"]) {
    assert.equal(EXPOSED_CODECS.get(v), "video", v);
  }
  for (const a of ["opus", "pcm"]) assert.equal(EXPOSED_CODECS.get(a), "audio", a);
  assert.equal(EXPOSED_CODECS.has("vp09"), false);
});

Deno.test("MediaRecorder.isTypeSupported through a user agent with the synthetic encoder", () => {
  const ua = createUserAgent();
  const expected: Array<[string, boolean]> = [
    ["", true],
    ["video/webm", true],
    ["video/webm;codecs=vp8", true],
    ["video/webm;codecs=vp8,opus", true],
    ["video/webm;codecs=vp9,opus", true],
    ['video/webm;codecs="vp9, opus"', true],
    ["audio/webm", true],
    ["audio/webm;codecs=opus", true],
    ["audio/ogg", true],
    ["audio/ogg;codecs=opus", true],
    ["audio/webm;codecs=vp8", false],
    ["audio/ogg;codecs=vp8", false],
    ["video/mp4", false],
    ["video/webm;codecs=h264", false],
    ["video/webm;codecs=vp8,vp9", false],
    ["video/webm;codecs=vp09.00.10.08", false],
    ["garbage", false],
  ];
  for (const [type, want] of expected) {
    assert.equal(ua.MediaRecorder.isTypeSupported(type), want, JSON.stringify(type));
  }
  ua.close();
});

Deno.test("MediaRecorder.isTypeSupported converts its argument with WebIDL DOMString", () => {
  const ua = createUserAgent();
  const isTypeSupported = ua.MediaRecorder.isTypeSupported as (x: unknown) => boolean;
  assert.equal(isTypeSupported.call(ua.MediaRecorder, { toString: () => "video/webm" }), true);
  assert.equal(isTypeSupported.call(ua.MediaRecorder, null), false, '"null" is not a MIME type');
  assert.throws(() => isTypeSupported.call(ua.MediaRecorder, Symbol("x")), TypeError);
  ua.close();
});

Deno.test("the MediaRecorder constructor defers unknown codecs (is type supported with deferNewerCodecsCheck true)", () => {
  const ua = createUserAgent();
  const stream = new ua.MediaStream([ua.createVideoTrack()]);
  // isTypeSupported says false, but the constructor accepts it (the check is deferred).
  assert.equal(ua.MediaRecorder.isTypeSupported("video/webm;codecs=vp09.00.10.08"), false);
  const rec = new ua.MediaRecorder(stream, { mimeType: "video/webm;codecs=vp09.00.10.08" });
  assert.equal(rec.mimeType, "video/webm;codecs=vp09.00.10.08");
  assert.throws(
    () => new ua.MediaRecorder(stream, { mimeType: "video/mp4" }),
    (e: unknown) => e instanceof DOMException && e.name === "NotSupportedError",
  );
  ua.close();
});
