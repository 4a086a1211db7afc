// Decision 4 / issue 7: recsim's classes are assignable to lib.dom's, so code typed
// against the DOM accepts them. Type-checks small programs under `lib: ["dom"]` with
// `deno check` and a temporary configuration.
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url).pathname;

const CONFIG = JSON.stringify({
  compilerOptions: {
    lib: ["dom", "dom.iterable", "dom.asynciterable", "esnext"],
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
  },
});

async function check(program: string): Promise<{ code: number; out: string }> {
  const dir = await Deno.makeTempDir({ prefix: "recsim-dom-types-" });
  try {
    await Deno.writeTextFile(`${dir}/deno.json`, CONFIG);
    await Deno.writeTextFile(`${dir}/program.ts`, program.replaceAll("ROOT/", root));
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--config", `${dir}/deno.json`, `${dir}/program.ts`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    return { code: out.code, out: text };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("lib.dom: tracks, events, device infos and constraint dictionaries are assignable", async () => {
  const { code, out } = await check(`
import { createUserAgent } from "ROOT/mod.ts";
import { OverconstrainedError as RecsimOverconstrained } from "ROOT/src/dropin/constraints.ts";
const ua = createUserAgent();
const track: MediaStreamTrack = ua.createVideoTrack();
const tracks: MediaStreamTrack[] = [ua.createAudioTrack(), track.clone()];
const blobEvent: BlobEvent = new ua.BlobEvent("dataavailable", { data: new Blob() });
const errorEvent: ErrorEvent = new ua.ErrorEvent("error");
const infos: MediaDeviceInfo[] = await ua.mediaDevices.enumerateDevices();
const settings: MediaTrackSettings = track.getSettings();
const capabilities: MediaTrackCapabilities = track.getCapabilities();
const constraints: MediaTrackConstraints = track.getConstraints();
const supported: MediaTrackSupportedConstraints = ua.mediaDevices.getSupportedConstraints();
const error: OverconstrainedError = new RecsimOverconstrained("width");
const handler: ((this: MediaStreamTrack, ev: Event) => any) | null = track.onended;
track.onended = (ev: Event) => console.log(ev.type);
console.log(tracks, blobEvent, errorEvent, infos, settings, capabilities, constraints, supported, error, handler);
`);
  assert.equal(code, 0, out);
});

Deno.test({
  name:
    "lib.dom: MediaRecorder, MediaStream and MediaDevices are assignable (needs the handler types of media_recorder.ts and media_stream.ts)",
  async fn() {
    const { code, out } = await check(`
import { createUserAgent } from "ROOT/mod.ts";
const ua = createUserAgent();
const s: MediaStream = new ua.MediaStream([ua.createVideoTrack()]);
const r: MediaRecorder = new ua.MediaRecorder(new ua.MediaStream([ua.createAudioTrack()]));
const devices: MediaDevices = ua.mediaDevices;
const gum: Promise<MediaStream> = ua.mediaDevices.getUserMedia({ audio: true });
r.ondataavailable = (e) => console.log(e.data.size, e.timecode);
r.onerror = (e) => console.log(e.error);
console.log(s, r, devices, gum);
`);
    assert.equal(code, 0, out);
  },
});
