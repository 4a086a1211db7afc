/**
 * Browser-runnable scenario scripts from fast-check: a stream (audio, video or both), a
 * recorder with a mimeType from the fuzzer's MIME table, and a list of commands taken
 * from `fuzz/`'s command set that a page can run (start with the fuzzer's timeslice
 * literals, stop, pause, resume, requestData, a track stopped or disabled, a listener
 * that calls back into the recorder) with waits in real milliseconds. A script is data;
 * {@link scriptSource} turns it into the source of a lab scenario.
 *
 * @module
 */
import fc from "fast-check";
import { timesliceArb } from "../../fuzz/commands.ts";
import { MIME_TYPES } from "../../fuzz/mime_model.ts";

/** One command of a browser script. */
export type ScriptCommand =
  | { op: "start"; timeslice: string }
  | { op: "stop" | "pause" | "resume" | "requestData" }
  | { op: "wait"; ms: number }
  | { op: "stopTrack" | "disableTrack"; kind: "audio" | "video" }
  | {
    op: "onEvent";
    event: "start" | "dataavailable" | "pause" | "resume";
    call: "stop" | "pause" | "resume" | "requestData";
  };

/** A browser script. */
export interface Script {
  /** Which devices getUserMedia asks for. */
  kinds: "audio" | "video" | "av";
  /** The recorder's mimeType (`null`: no options). */
  mimeType: string | null;
  /** The commands. */
  commands: ScriptCommand[];
}

const commandArb: fc.Arbitrary<ScriptCommand> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant("start" as const), timeslice: timesliceArb }),
  },
  { weight: 2, arbitrary: fc.constant({ op: "stop" as const }) },
  { weight: 2, arbitrary: fc.constant({ op: "pause" as const }) },
  { weight: 2, arbitrary: fc.constant({ op: "resume" as const }) },
  { weight: 2, arbitrary: fc.constant({ op: "requestData" as const }) },
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant("wait" as const),
      ms: fc.integer({ min: 0, max: 800 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constantFrom("stopTrack" as const, "disableTrack" as const),
      kind: fc.constantFrom("audio" as const, "video" as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("onEvent" as const),
      event: fc.constantFrom(
        "start" as const,
        "dataavailable" as const,
        "pause" as const,
        "resume" as const,
      ),
      call: fc.constantFrom(
        "stop" as const,
        "pause" as const,
        "resume" as const,
        "requestData" as const,
      ),
    }),
  },
);

/** Scripts: at most 8 commands, starting with a start() most of the time. */
export const scriptArb: fc.Arbitrary<Script> = fc.record({
  kinds: fc.constantFrom("av" as const, "audio" as const, "video" as const),
  mimeType: fc.oneof(fc.constant(null), fc.constantFrom(...MIME_TYPES)),
  commands: fc.tuple(
    fc.record({ op: fc.constant("start" as const), timeslice: timesliceArb }),
    fc.array(commandArb, { maxLength: 7 }),
  ).map(([first, rest]) => [first as ScriptCommand, ...rest]),
});

/**
 * The source of a lab scenario (`async (lab) => { … }`) that runs `script` against the
 * web API, ending with stop() (when still recording) and a wait for `stop`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scriptSource } from "./script.ts";
 * const src = scriptSource({ kinds: "audio", mimeType: null, commands: [{ op: "start", timeslice: "100" }] });
 * assert.ok(src.includes('lab.call("start(100)", () => rec.start(100))'));
 * ```
 */
export function scriptSource(script: Script): string {
  const gum =
    { av: "{ audio: true, video: true }", audio: "{ audio: true }", video: "{ video: true }" }[
      script.kinds
    ];
  const lines = [
    "async (lab) => {",
    `  const stream = await lab.gum(${gum});`,
    "  if (!stream) return;",
    `  const rec = lab.recorder(stream, ${
      script.mimeType === null ? "undefined" : `{ mimeType: ${JSON.stringify(script.mimeType)} }`
    });`,
    "  if (!rec) return stream.getTracks().forEach((t) => t.stop());",
  ];
  for (const c of script.commands) {
    switch (c.op) {
      case "start": {
        const arg = c.timeslice === "absent" ? "" : c.timeslice;
        lines.push(`  lab.call(${JSON.stringify(`start(${arg})`)}, () => rec.start(${arg}));`);
        break;
      }
      case "wait":
        lines.push(`  await lab.wait(${c.ms});`);
        break;
      case "stopTrack":
      case "disableTrack": {
        const get = c.kind === "audio" ? "getAudioTracks" : "getVideoTracks";
        const act = c.op === "stopTrack" ? "t.stop()" : "t.enabled = false";
        lines.push(
          `  for (const t of stream.${get}()) lab.call(${
            JSON.stringify(`${c.kind}.${c.op === "stopTrack" ? "stop()" : "enabled = false"}`)
          }, () => { ${act}; });`,
        );
        break;
      }
      case "onEvent":
        lines.push(
          `  lab.on(rec, ${JSON.stringify(c.event)}, (_e, r) => lab.call(${
            JSON.stringify(`${c.call}() in on${c.event}`)
          }, () => r.${c.call}()));`,
        );
        break;
      default:
        lines.push(`  lab.call(${JSON.stringify(`${c.op}()`)}, () => rec.${c.op}());`);
    }
  }
  lines.push(
    '  if (rec.state !== "inactive") {',
    '    lab.call("stop()", () => rec.stop());',
    '    await lab.until(rec, "stop", 2000);',
    "  } else await lab.wait(300);",
    "  stream.getTracks().forEach((t) => t.stop());",
    "}",
  );
  return lines.join("\n");
}
