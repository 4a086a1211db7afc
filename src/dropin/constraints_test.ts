import assert from "node:assert/strict";
import {
  type DeviceCapabilities,
  numericCapability,
  OverconstrainedError,
  selectSettings,
  supportedConstraints,
} from "./constraints.ts";

const camera: DeviceCapabilities = {
  numeric: {
    width: numericCapability({ min: 320, max: 1920 }, 640, true, "width"),
    height: numericCapability({ min: 240, max: 1080 }, 480, true, "height"),
    frameRate: numericCapability({ min: 5, max: 30 }, 30, false, "frameRate"),
  },
  strings: { deviceId: ["cam-1"], groupId: ["g-1"], facingMode: ["environment"] },
};
const mic: DeviceCapabilities = {
  numeric: {
    sampleRate: numericCapability({ min: 16000, max: 48000 }, 48000, true, "sampleRate"),
    channelCount: numericCapability({ min: 1, max: 2 }, 1, true, "channelCount"),
  },
  strings: { deviceId: ["mic-1"], groupId: ["g-1"] },
};

function settings(caps: DeviceCapabilities, c: Record<string, unknown>) {
  const r = selectSettings(caps, c);
  assert.ok(r.ok, `expected success, got ${JSON.stringify(r)}`);
  return r;
}
function failure(caps: DeviceCapabilities, c: Record<string, unknown>): string[] {
  const r = selectSettings(caps, c);
  assert.ok(!r.ok, `expected failure, got ${JSON.stringify(r)}`);
  return r.failed;
}

Deno.test("no constraints: the user agent's defaults (640x480@30, 48 kHz mono)", () => {
  const v = settings(camera, {});
  assert.deepEqual(
    [v.settings.width, v.settings.height, v.settings.frameRate, v.distance],
    [640, 480, 30, 0],
  );
  assert.equal(v.settings.deviceId, "cam-1");
  assert.equal(v.settings.facingMode, "environment");
  const a = settings(mic, {});
  assert.deepEqual([a.settings.sampleRate, a.settings.channelCount], [48000, 1]);
});

Deno.test("bare and ideal numbers are preferences: clamped to the device, with a fitness distance", () => {
  assert.equal(settings(camera, { width: 1280 }).settings.width, 1280);
  assert.equal(settings(camera, { width: { ideal: 1280 } }).settings.height, 960); // 4:3 kept
  const clamped = settings(camera, { width: 4000 });
  assert.equal(clamped.settings.width, 1920);
  assert.equal(clamped.distance, (4000 - 1920) / 4000);
  assert.equal(settings(camera, { frameRate: 2 }).settings.frameRate, 5);
  assert.equal(settings(camera, { frameRate: 12.5 }).settings.frameRate, 12.5);
  assert.equal(settings(camera, { width: 1000.4 }).settings.width, 1000); // integer setting
  assert.equal(settings(mic, { sampleRate: 44100 }).settings.sampleRate, 44100);
  assert.equal(settings(mic, { channelCount: { ideal: 2 } }).settings.channelCount, 2);
});

Deno.test("exact, min and max are required; the ideal is honoured within them", () => {
  assert.equal(settings(camera, { width: { exact: 800 } }).settings.width, 800);
  assert.equal(settings(camera, { width: { min: 1000 } }).settings.width, 1000);
  assert.equal(settings(camera, { width: { min: 1000 } }).settings.height, 750);
  assert.equal(settings(camera, { height: { max: 240 } }).settings.width, 320);
  assert.equal(settings(camera, { width: { max: 400 } }).settings.width, 400);
  assert.equal(settings(camera, { width: { min: 700, ideal: 500 } }).settings.width, 700);
  assert.equal(
    settings(camera, { width: { min: 700, max: 900, ideal: 1920 } }).settings.width,
    900,
  );
  assert.equal(settings(camera, { frameRate: { max: 15 } }).settings.frameRate, 15);
  assert.equal(settings(mic, { sampleRate: { exact: 16000 } }).settings.sampleRate, 16000);
  assert.equal(settings(mic, { channelCount: { min: 2 } }).settings.channelCount, 2);
});

Deno.test("unsatisfiable required constraints fail, naming the constraints in order", () => {
  assert.deepEqual(failure(camera, { width: { exact: 100 } }), ["width"]);
  assert.deepEqual(failure(camera, { width: { min: 2000 } }), ["width"]);
  assert.deepEqual(failure(camera, { height: { max: 100 }, frameRate: { min: 60 } }), [
    "height",
    "frameRate",
  ]);
  assert.deepEqual(failure(camera, { width: { min: 900, max: 800 } }), ["width"]);
  assert.deepEqual(failure(camera, { width: { exact: 640.5 } }), ["width"]); // integer setting
  assert.deepEqual(failure(mic, { sampleRate: { exact: 96000 } }), ["sampleRate"]);
  assert.deepEqual(failure(mic, { channelCount: { max: 0 } }), ["channelCount"]);
  // a required constraint on a property the device lacks
  assert.deepEqual(failure(mic, { width: { min: 1 } }), ["width"]);
  // ...while a preference on it is ignored
  assert.ok(selectSettings(mic, { width: 640 }).ok);
});

Deno.test("string constraints: deviceId, groupId and facingMode, bare/ideal/exact/lists", () => {
  assert.equal(settings(camera, { deviceId: "other" }).distance, 1); // ideal: a preference
  assert.equal(settings(camera, { deviceId: "cam-1" }).distance, 0);
  assert.equal(settings(camera, { deviceId: ["x", "cam-1"] }).distance, 0);
  assert.equal(settings(camera, { deviceId: { exact: "cam-1" } }).settings.deviceId, "cam-1");
  assert.deepEqual(failure(camera, { deviceId: { exact: "other" } }), ["deviceId"]);
  assert.deepEqual(failure(camera, { groupId: { exact: ["a", "b"] } }), ["groupId"]);
  assert.equal(settings(camera, { facingMode: "user" }).distance, 1);
  assert.equal(
    settings(camera, { facingMode: { ideal: "environment" } }).settings.facingMode,
    "environment",
  );
  assert.deepEqual(failure(camera, { facingMode: { exact: "user" } }), ["facingMode"]);
  assert.deepEqual(failure(mic, { facingMode: { exact: "user" } }), ["facingMode"]);
});

Deno.test("advanced sets apply in order when satisfiable together with the earlier ones; bare values are exact there", () => {
  const r = settings(camera, {
    width: { min: 640 },
    advanced: [{ width: 4000 }, { width: 1280, height: 720 }, { frameRate: { min: 20 } }, {
      width: 800,
    }],
  });
  assert.deepEqual([r.settings.width, r.settings.height], [1280, 720]);
  assert.equal(r.settings.frameRate, 30);
  // an advanced set never makes the request fail
  assert.equal(
    settings(camera, { advanced: [{ facingMode: "user" }] }).settings.facingMode,
    "environment",
  );
});

Deno.test("malformed constraints are a TypeError; unknown ones are ignored", () => {
  const bad = (c: unknown) => () => selectSettings(camera, c as Record<string, unknown>);
  assert.throws(bad({ width: "wide" }), TypeError);
  assert.throws(bad({ width: { min: "1" } }), TypeError);
  assert.throws(bad({ facingMode: 3 }), TypeError);
  assert.throws(bad({ advanced: {} }), TypeError);
  assert.throws(() => selectSettings(camera, null as never), TypeError);
  assert.ok(settings(camera, { echoCancellation: true, zoom: { exact: 4 } }));
  assert.equal(settings(camera, { width: undefined }).settings.width, 640);
});

Deno.test("numericCapability validates ranges; supportedConstraints lists what is honoured", () => {
  assert.deepEqual(numericCapability(30, 60, false, "frameRate"), {
    min: 30,
    max: 30,
    integer: false,
    preferred: 30,
  });
  assert.throws(() => numericCapability({ min: 10, max: 5 }, 640, true, "width"), TypeError);
  assert.throws(() => numericCapability(0, 640, true, "width"), TypeError);
  assert.throws(() => numericCapability(10.5, 640, true, "width"), TypeError);
  assert.deepEqual(Object.keys(supportedConstraints()).sort(), [
    "channelCount",
    "deviceId",
    "facingMode",
    "frameRate",
    "groupId",
    "height",
    "sampleRate",
    "width",
  ]);
});

Deno.test("OverconstrainedError is a DOMException with a read-only constraint", () => {
  const e = new OverconstrainedError("frameRate", "too fast");
  assert.ok(e instanceof DOMException && e instanceof Error);
  assert.equal(e.name, "OverconstrainedError");
  assert.equal(e.message, "too fast");
  assert.equal(e.constraint, "frameRate");
  assert.equal(new OverconstrainedError("").constraint, "");
});
