// The core (mod.ts) runs anywhere and is deterministic: no Deno-only API, no WebAssembly
// or libav.js, no Math.random, and real time only inside the opt-in RealClock.
import assert from "node:assert/strict";

Deno.test("mod.ts's module graph uses no Deno API, no libav.js, no Math.random and no ambient time", async () => {
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "mod.ts"],
    stdout: "piped",
  }).output();
  const graph = JSON.parse(new TextDecoder().decode(info.stdout)) as {
    modules: { specifier: string }[];
  };
  const files = graph.modules.map((m) => m.specifier);
  assert.ok(files.length > 20);
  for (const file of files) {
    assert.ok(file.startsWith("file://"), `only local modules in the core: ${file}`);
    const text = await Deno.readTextFile(new URL(file));
    const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    assert.doesNotMatch(code, /\bDeno\./, `${file} uses a Deno API`);
    assert.doesNotMatch(code, /libav|WebAssembly/, `${file} imports WASM`);
    assert.doesNotMatch(code, /Math\.random/, `${file} uses Math.random`);
    if (!file.endsWith("/real_clock.ts")) {
      assert.doesNotMatch(
        code,
        /Date\.now|performance\.now|setTimeout|setInterval/,
        `${file} uses real time`,
      );
    }
  }
});

// Decision 32: Jest's stock jsdom environment has no TextEncoder/TextDecoder, so neither the
// core nor the testing helpers may use them (at import or later).
Deno.test("the core and the testing helpers use no TextEncoder or TextDecoder", async () => {
  for (const entry of ["mod.ts", "src/testing.ts", "src/dropin/fake_timers_clock.ts"]) {
    const info = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", entry],
      stdout: "piped",
    }).output();
    const graph = JSON.parse(new TextDecoder().decode(info.stdout)) as {
      modules: { specifier: string }[];
    };
    for (const { specifier } of graph.modules) {
      const text = await Deno.readTextFile(new URL(specifier));
      const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
      assert.doesNotMatch(
        code,
        /\bText(En|De)coder\b/,
        `${specifier} uses TextEncoder/TextDecoder`,
      );
    }
  }
});
