import assert from "node:assert/strict";
import { LIBAV_MISSING, main, providerIn } from "./main.ts";
import { syntheticEncoder } from "../src/encoding/synthetic_encoder.ts";

async function cli(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main(argv, (line) => lines.push(line));
  return { code, out: lines.join("\n") };
}

Deno.test("deno task fuzz: prints runs, speeds and the coverage table", async () => {
  const { code, out } = await cli(["--runs", "20", "--seed", "9"]);
  assert.equal(code, 0, out);
  for (const label of ["runs", "commands", "runs/s", "commands/s", "termination path"]) {
    assert.match(out, new RegExp(`^${label.replace("/", "\\/")}\\s`, "m"), label);
  }
  assert.match(out, /state \\ method/);
});

Deno.test("deno task fuzz: a failure prints the shrunk case and a replay command, exit 1", async () => {
  const { mutations } = await import("../src/recorder/_mutations.ts");
  mutations.syncStartEvent = true;
  const dir = await Deno.makeTempDir();
  try {
    const found = await cli(["--runs", "50", "--seed", "3"]);
    assert.equal(found.code, 1);
    const replay = /deno task fuzz --replay "([^"]+)"/.exec(found.out)?.[1];
    assert.ok(replay, found.out);
    assert.match(found.out, /shrunk to 1 commands:\n\s+1\. rec\.start/);
    const again = await cli(["--replay", replay, "--trace", dir]);
    assert.equal(again.code, 1);
    const trace = JSON.parse(await Deno.readTextFile(`${dir}/trace.json`));
    assert.ok(trace.entries.some((e: { kind: string }) => e.kind === "event"));
  } finally {
    mutations.syncStartEvent = false;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task fuzz: flags errors exit 2; --help exits 0", async () => {
  assert.equal((await cli(["--bogus"])).code, 2);
  const help = await cli(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.out, /--shard i\/n/);
});

Deno.test("deno task fuzz --encoder libav: finds the provider (or says it is missing)", () => {
  assert.equal(LIBAV_MISSING, "libav campaigns arrive with the libav encoder");
  assert.equal(providerIn({ syntheticEncoder }), syntheticEncoder);
  assert.equal(providerIn({ createThingEncoder: () => syntheticEncoder }), syntheticEncoder);
  assert.equal(providerIn({ other: 1 }), null);
});
