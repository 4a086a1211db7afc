import assert from "node:assert/strict";
import { createUserAgent } from "../user_agent.ts";
import { readWebm } from "../container/webm_reader.ts";
import { recordedFrames } from "../testing.ts";
import { OverconstrainedError } from "./constraints.ts";
import type { MediaStreamConstraints } from "./devices.ts";

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

Deno.test("getUserMedia resolves on virtual time after the agent's latency, never before", async () => {
  using ua = createUserAgent({ getUserMediaLatency: 250 });
  let settled = false;
  const p = ua.mediaDevices.getUserMedia({ audio: true }).then((s) => {
    settled = true;
    return s;
  });
  await ua.clock.advance(249);
  assert.equal(settled, false);
  await ua.clock.advance(1);
  assert.equal(settled, true);
  const stream = await p;
  assert.equal(stream.getAudioTracks().length, 1);
  assert.equal(stream.getTracks()[0]!.label, "recsim virtual microphone");
  assert.equal(ua.permission("microphone"), "granted");
  assert.equal(ua.permission("camera"), "prompt");
});

Deno.test("the default latency is 0: the promise settles in the next task", async () => {
  using ua = createUserAgent();
  const p = ua.mediaDevices.getUserMedia({ video: true, audio: true });
  await ua.clock.settle();
  const stream = await p;
  assert.deepEqual(stream.getTracks().map((t) => t.kind), ["audio", "video"]);
  assert.equal(ua.clock.now(), 0);
  assert.throws(() => createUserAgent({ getUserMediaLatency: -1 }), TypeError);
});

Deno.test("chosen settings show in getSettings and the tracks produce frames at that size and rate", async () => {
  using ua = createUserAgent();
  const stream = await ua.clock.runUntil(ua.mediaDevices.getUserMedia({
    video: { width: { exact: 1280 }, height: { ideal: 720 }, frameRate: { max: 10 } },
    audio: { sampleRate: 16000, channelCount: { exact: 2 } },
  }));
  const [video] = stream.getVideoTracks();
  const [audio] = stream.getAudioTracks();
  const vs = video!.getSettings();
  assert.deepEqual([vs.width, vs.height, vs.frameRate, vs.facingMode], [1280, 720, 10, "user"]);
  const as = audio!.getSettings();
  assert.deepEqual([as.sampleRate, as.channelCount], [16000, 2]);
  assert.equal(vs.deviceId, ua.devices()[0]!.deviceId);
  assert.equal(as.groupId, ua.devices()[1]!.groupId);

  const rec = new ua.MediaRecorder(stream, { mimeType: "video/webm" });
  const chunks: Blob[] = [];
  rec.ondataavailable = (e) => chunks.push(e.data);
  rec.start();
  await ua.clock.advance(2000);
  rec.stop();
  await ua.clock.settle();
  const file = readWebm(new Uint8Array(await new Blob(chunks).arrayBuffer()));
  const v = file.tracks.find((t) => t.kind === "video")!;
  const a = file.tracks.find((t) => t.kind === "audio")!;
  assert.deepEqual([v.width, v.height], [1280, 720]);
  assert.equal(a.channels, 2); // (Opus in WebM always declares 48 kHz)
  const frames = recordedFrames(ua.trace);
  assert.equal(frames.get("video#1")!.length, 20); // 2 s at 10 fps
});

Deno.test("a device with a mode range: constraints choose within it; ideal beats the default", async () => {
  using ua = createUserAgent({ defaultDevices: false });
  const cam = ua.addDevice({
    kind: "videoinput",
    label: "range cam",
    width: { min: 320, max: 1920 },
    height: { min: 240, max: 1080 },
    frameRate: { min: 15, max: 30 },
    facingMode: "environment",
  });
  const md = ua.mediaDevices;
  const s1 = await ua.clock.runUntil(md.getUserMedia({ video: true }));
  assert.deepEqual(
    [s1.getVideoTracks()[0]!.getSettings().width, s1.getVideoTracks()[0]!.getSettings().height],
    [640, 480],
  );
  const s2 = await ua.clock.runUntil(md.getUserMedia({ video: { width: 1920, height: 1080 } }));
  assert.equal(s2.getVideoTracks()[0]!.getSettings().width, 1920);
  const s3 = await ua.clock.runUntil(md.getUserMedia({ video: { width: 100, frameRate: 60 } }));
  const st = s3.getVideoTracks()[0]!.getSettings();
  assert.deepEqual([st.width, st.height, st.frameRate], [320, 240, 30]);
  const caps = s3.getVideoTracks()[0]!.getCapabilities();
  assert.deepEqual(caps.width, { min: 320, max: 1920 });
  assert.deepEqual(caps.frameRate, { min: 15, max: 30 });
  assert.deepEqual(caps.facingMode, ["environment"]);
  assert.equal(caps.deviceId, cam.deviceId);
  assert.equal(s3.getVideoTracks()[0]!.label, "range cam");
});

Deno.test("several devices: the fitness-distance winner is chosen; deviceId and facingMode select", async () => {
  using ua = createUserAgent();
  const back = ua.addDevice({
    kind: "videoinput",
    label: "back",
    deviceId: "back-cam",
    facingMode: "environment",
    width: { min: 640, max: 4096 },
    height: { min: 480, max: 2160 },
  });
  const usb = ua.addDevice({ kind: "audioinput", label: "usb mic", sampleRate: 44100 });
  const md = ua.mediaDevices;
  const label = async (c: MediaStreamConstraints) =>
    (await ua.clock.runUntil(md.getUserMedia(c))).getTracks()[0]!.label;
  assert.equal(await label({ video: true }), "recsim virtual camera"); // first wins a tie
  assert.equal(await label({ video: { facingMode: "environment" } }), "back");
  assert.equal(await label({ video: { facingMode: { exact: "user" } } }), "recsim virtual camera");
  assert.equal(await label({ video: { width: 4000 } }), "back"); // closer to the ideal
  assert.equal(await label({ video: { deviceId: back.deviceId } }), "back");
  assert.equal(await label({ video: { deviceId: { exact: "back-cam" } } }), "back");
  // both microphones can run at 44.1 kHz: a tie, so the first one
  assert.equal(await label({ audio: { sampleRate: 44100 } }), "recsim virtual microphone");
  assert.equal(await label({ audio: { deviceId: [usb.deviceId] } }), "usb mic");
  assert.equal(await label({ audio: { groupId: { exact: usb.groupId } } }), "usb mic");
});

Deno.test("errors: TypeError, NotFoundError, OverconstrainedError, NotAllowedError, NotReadableError", async () => {
  using ua = createUserAgent({ getUserMediaLatency: 100 });
  const md = ua.mediaDevices;
  // TypeError at once, without virtual time
  for (const c of [{}, { audio: false, video: false }, { video: 1 }, { video: { width: "x" } }]) {
    const e = await rejection(md.getUserMedia(c as MediaStreamConstraints));
    assert.ok(e instanceof TypeError, JSON.stringify(c));
  }
  assert.ok((await rejection(md.getUserMedia())) instanceof TypeError);
  assert.equal(ua.clock.now(), 0);

  const run = (c: MediaStreamConstraints) => rejection(ua.clock.runUntil(md.getUserMedia(c)));
  const over = await run({ video: { width: { min: 4000 } } });
  assert.ok(over instanceof OverconstrainedError && over instanceof DOMException);
  assert.equal(over.name, "OverconstrainedError");
  assert.equal((over as OverconstrainedError).constraint, "width");
  assert.equal(ua.clock.now(), 100); // after the latency, as browsers do
  for (
    const [c, constraint] of [
      [{ video: { height: { exact: 5000 } } }, "height"],
      [{ video: { frameRate: { max: 0.5 } } }, "frameRate"],
      [{ video: { deviceId: { exact: "nope" } } }, "deviceId"],
      [{ video: { facingMode: { exact: "environment" } } }, "facingMode"],
      [{ audio: { sampleRate: { min: 96000 } } }, "sampleRate"],
      [{ audio: { channelCount: { exact: 8 } } }, "channelCount"],
      [{ audio: true, video: { width: { max: 10 } } }, "width"],
    ] as const
  ) {
    const e = await run(c as MediaStreamConstraints);
    assert.equal(e.name, "OverconstrainedError", JSON.stringify(c));
    assert.equal((e as OverconstrainedError).constraint, constraint);
  }

  ua.setPermission("camera", "denied");
  const denied = await run({ video: true, audio: true });
  assert.ok(denied instanceof DOMException);
  assert.equal(denied.name, "NotAllowedError");
  assert.equal((await ua.clock.runUntil(md.getUserMedia({ audio: true }))).active, true);
  ua.setPermission("camera", "prompt");

  const cam = ua.devices().find((d) => d.kind === "videoinput")!;
  ua.setDeviceBusy(cam.deviceId, true);
  assert.equal(ua.devices()[0]!.busy, true);
  assert.equal((await run({ video: true })).name, "NotReadableError");
  ua.setDeviceBusy(cam.deviceId, false);
  assert.ok(await ua.clock.runUntil(md.getUserMedia({ video: true })));

  ua.removeDevice(cam.deviceId);
  const notFound = await run({ video: true });
  assert.equal(notFound.name, "NotFoundError");
  assert.throws(() => ua.removeDevice("nope"), /no device with id 'nope'/);
  assert.throws(() => ua.setPermission("speaker" as "camera", "granted"), TypeError);
  assert.throws(() => ua.addDevice({ kind: "audiooutput" as "audioinput" }), TypeError);
  assert.throws(() => ua.addDevice({ kind: "videoinput", width: { min: 10, max: 5 } }), TypeError);
  assert.throws(
    () => ua.addDevice({ kind: "audioinput", deviceId: ua.devices()[0]!.deviceId }),
    /already plugged in/,
  );
});

Deno.test("a device unplugged or made busy during the latency fails the pending request", async () => {
  using ua = createUserAgent({ getUserMediaLatency: 100 });
  const mic = ua.devices()[1]!;
  const p = rejection(ua.mediaDevices.getUserMedia({ audio: true }));
  ua.removeDevice(mic.deviceId);
  await ua.clock.advance(100);
  assert.equal((await p).name, "NotFoundError");
  const cam = ua.devices()[0]!;
  const q = rejection(ua.mediaDevices.getUserMedia({ video: true }));
  ua.setDeviceBusy(cam.deviceId, true);
  await ua.clock.advance(100);
  assert.equal((await q).name, "NotReadableError");
});

Deno.test("enumerateDevices hides ids and labels until the kind's permission is granted", async () => {
  using ua = createUserAgent();
  ua.addDevice({ kind: "videoinput", label: "second cam" });
  const md = ua.mediaDevices;
  const before = await md.enumerateDevices();
  assert.deepEqual(before.map((d) => d.toJSON()), [
    { deviceId: "", kind: "audioinput", label: "", groupId: "" },
    { deviceId: "", kind: "videoinput", label: "", groupId: "" },
  ]);
  await ua.clock.runUntil(md.getUserMedia({ video: true }));
  const after = await md.enumerateDevices();
  assert.deepEqual(after.map((d) => [d.kind, d.label]), [
    ["audioinput", ""],
    ["videoinput", "recsim virtual camera"],
    ["videoinput", "second cam"],
  ]);
  assert.equal(after[1]!.deviceId, ua.devices()[0]!.deviceId);
  ua.setPermission("microphone", "granted");
  assert.equal((await md.enumerateDevices())[0]!.label, "recsim virtual microphone");
  assert.equal(md.getSupportedConstraints().facingMode, true);
  const none = createUserAgent({ defaultDevices: false });
  assert.deepEqual(await none.mediaDevices.enumerateDevices(), []);
  assert.equal((await rejection(none.mediaDevices.getDisplayMedia())).name, "NotSupportedError");
  none.close();
});

Deno.test("unplugging ends the tracks taken from the device (ended events) and fires devicechange", async () => {
  using ua = createUserAgent();
  const events: string[] = [];
  ua.mediaDevices.ondevicechange = () => events.push(`devicechange@${ua.clock.now()}`);
  const extra = ua.addDevice({ kind: "audioinput", label: "headset" });
  await ua.clock.settle();
  const stream = await ua.clock.runUntil(
    ua.mediaDevices.getUserMedia({ audio: { deviceId: { exact: extra.deviceId } }, video: true }),
  );
  const [mic] = stream.getAudioTracks();
  const copy = mic!.clone();
  mic!.onended = () => events.push("ended");
  copy.addEventListener("ended", () => events.push("clone ended"));
  assert.equal(ua.devices().find((d) => d.deviceId === extra.deviceId)!.liveTracks, 2);
  await ua.clock.advance(500);
  ua.removeDevice(extra.deviceId);
  assert.equal(mic!.readyState, "ended");
  await ua.clock.settle();
  assert.deepEqual(events, ["devicechange@0", "ended", "clone ended", "devicechange@500"]);
  assert.equal(stream.getVideoTracks()[0]!.readyState, "live");
  assert.equal(stream.active, true);
});

Deno.test("a recording of a track whose device is unplugged ends as for any ended track", async () => {
  using ua = createUserAgent();
  const stream = await ua.clock.runUntil(ua.mediaDevices.getUserMedia({ audio: true }));
  const rec = new ua.MediaRecorder(stream, { mimeType: "audio/webm" });
  const events: string[] = [];
  for (const t of ["start", "dataavailable", "stop", "error"]) {
    rec.addEventListener(t, () => events.push(t));
  }
  rec.start();
  await ua.clock.advance(1000);
  ua.removeDevice(ua.devices()[1]!.deviceId);
  await ua.clock.settle();
  assert.deepEqual(events, ["start", "dataavailable", "stop"]);
  assert.equal(rec.state, "inactive");
});

Deno.test("getConstraints returns the request; applyConstraints reselects within the device", async () => {
  using ua = createUserAgent();
  const stream = await ua.clock.runUntil(
    ua.mediaDevices.getUserMedia({ video: { width: { ideal: 800 } } }),
  );
  const track = stream.getVideoTracks()[0]!;
  assert.deepEqual(track.getConstraints(), { width: { ideal: 800 } });
  assert.equal(track.getSettings().width, 800);
  await track.applyConstraints({ width: { exact: 320 }, frameRate: 15 });
  assert.deepEqual(
    [track.getSettings().width, track.getSettings().height, track.getSettings().frameRate],
    [320, 240, 15],
  );
  assert.deepEqual(track.getConstraints(), { width: { exact: 320 }, frameRate: 15 });
  const e = await rejection(track.applyConstraints({ width: { min: 5000 } }));
  assert.ok(e instanceof OverconstrainedError);
  assert.equal(e.constraint, "width");
  assert.equal(track.getSettings().width, 320); // unchanged
  assert.deepEqual(track.getConstraints(), { width: { exact: 320 }, frameRate: 15 });

  // frames at the new settings
  const rec = new ua.MediaRecorder(new ua.MediaStream([track]), { mimeType: "video/webm" });
  const chunks: Blob[] = [];
  rec.ondataavailable = (ev) => chunks.push(ev.data);
  rec.start();
  await ua.clock.advance(1000);
  // while recording, only constraints the current settings satisfy are accepted
  await track.applyConstraints({ width: { max: 640 } });
  const busy = await rejection(track.applyConstraints({ width: { exact: 640 } }));
  assert.equal(busy.name, "OverconstrainedError");
  rec.stop();
  await ua.clock.settle();
  const file = readWebm(new Uint8Array(await new Blob(chunks).arrayBuffer()));
  assert.deepEqual([file.tracks[0]!.width, file.tracks[0]!.height], [320, 240]);
  assert.equal(recordedFrames(ua.trace).get("video#1")!.length, 15);
});

Deno.test("tracks made with createVideoTrack keep their one-mode capabilities and stored constraints", async () => {
  using ua = createUserAgent();
  const t = ua.createVideoTrack({ width: 320, height: 240 });
  assert.deepEqual(t.getCapabilities().width, { min: 320, max: 320 });
  await t.applyConstraints({ width: 640 });
  assert.deepEqual(t.getConstraints(), { width: 640 });
  assert.equal(t.getSettings().width, 320);
});

Deno.test("close() stops the tracks taken from devices", async () => {
  const ua = createUserAgent();
  const stream = await ua.clock.runUntil(
    ua.mediaDevices.getUserMedia({ audio: true, video: true }),
  );
  ua.close();
  assert.deepEqual(stream.getTracks().map((t) => t.readyState), ["ended", "ended"]);
  assert.throws(() => ua.addDevice({ kind: "audioinput" }), /closed/);
});

Deno.test("same seed, same device ids, track ids and pixels", async () => {
  const run = async () => {
    using ua = createUserAgent({ seed: 7 });
    const s = await ua.clock.runUntil(ua.mediaDevices.getUserMedia({ video: true }));
    return [ua.devices().map((d) => d.deviceId).join(), s.getTracks()[0]!.id].join("|");
  };
  assert.equal(await run(), await run());
});

Deno.test("getUserMedia waits the profile's getUserMediaLatency on virtual time (issue 8)", async () => {
  const { createUserAgent } = await import("../user_agent.ts");
  const { profiles } = await import("../profiles/mod.ts");
  const ua = createUserAgent({ profile: { ...profiles.chrome, getUserMediaLatency: 250 } });
  let settledAt = -1;
  ua.mediaDevices.getUserMedia({ audio: true }).then(() => (settledAt = ua.clock.now()));
  await ua.clock.advance(249);
  assert.equal(settledAt, -1);
  await ua.clock.advance(1);
  assert.equal(settledAt, 250);
  ua.close();
});

Deno.test("advance(100), await getUserMedia, advance(1500): the second advance() is queued behind the first (issue 14)", async () => {
  const ua = createUserAgent({ getUserMediaLatency: 100 });
  const gum = ua.mediaDevices.getUserMedia({ audio: true });
  const first = ua.clock.advance(100); // not awaited, as a test might write it
  const stream = await gum; // resolves inside the first advance()
  const rec = new ua.MediaRecorder(stream);
  const chunks: Blob[] = [];
  rec.ondataavailable = (e) => chunks.push(e.data);
  rec.start();
  await ua.clock.advance(1500);
  await first;
  rec.stop();
  await ua.clock.settle();
  assert.equal(ua.clock.now(), 1600);
  assert.equal(chunks.length, 1);
  const file = readWebm(new Uint8Array(await new Blob(chunks).arrayBuffer()));
  assert.equal(file.blocks.length, 75); // 1.5 s of 20 ms Opus frames
  ua.close();
});
