// The regression corpus: every bug the fuzzer found in src/, as a shrunk case replayed from
// data, strictly (no known bug tolerated). `"expect": "pass"`: the bug was fixed and must
// stay fixed. `"expect": "fail"` documents an open bug (`knownBug`, listed in
// fuzz/known_bugs.ts): the case must still fail with the same check when that bug is
// reported, and pass while it is tolerated. Once such a bug is fixed the replay passes and
// this test fails: set `"expect": "pass"` and delete the bug from KNOWN_BUGS.
import assert from "node:assert/strict";
import type { CaseData } from "./case_data.ts";
import { KNOWN_BUGS, reporting } from "./known_bugs.ts";
import { replayCase } from "./runner.ts";
import { Violation } from "./violation.ts";

interface Regression {
  id: string;
  knownBug: string;
  expect: "fail" | "pass";
  failure: string;
  case: CaseData;
}

const dir = new URL("./regressions/", import.meta.url);
const files = [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".json")).map((e) => e.name)
  .sort();

async function outcome(run: () => Promise<unknown>): Promise<Error | null> {
  try {
    await run();
    return null;
  } catch (error) {
    return error as Error;
  }
}

Deno.test("regression corpus: every file names a known bug or expects a pass", () => {
  assert.ok(files.length > 0);
  for (const name of files) {
    const r = JSON.parse(Deno.readTextFileSync(new URL(name, dir))) as Regression;
    assert.equal(`${r.id}.json`, name);
    assert.ok(r.expect === "pass" || r.knownBug in KNOWN_BUGS, `${name}: not in KNOWN_BUGS`);
  }
});

for (const name of files) {
  const r = JSON.parse(Deno.readTextFileSync(new URL(name, dir))) as Regression;
  Deno.test(`regression ${r.id} (expect ${r.expect})`, async () => {
    if (r.expect === "pass") {
      const strict = await outcome(() => reporting("all", () => replayCase(r.case)));
      assert.equal(strict, null, `${r.id} fails again: ${strict?.message}`);
      return;
    }
    const strict = await outcome(() => reporting([r.knownBug], () => replayCase(r.case)));
    assert.ok(
      strict instanceof Violation,
      `${r.id} no longer fails: if ${r.knownBug} was fixed, set "expect": "pass" in ` +
        `fuzz/regressions/${name} and remove it from KNOWN_BUGS (got ${strict})`,
    );
    const check = /^\[(\w+)\]/.exec(r.failure)?.[1];
    assert.equal(strict.check, check, `${r.id}: now fails with ${strict.message}`);
    // While tolerated, the case passes: the tolerance covers exactly this bug.
    const tolerated = await outcome(() => replayCase(r.case));
    assert.equal(tolerated, null, `${r.id} tolerated still fails: ${tolerated?.message}`);
  });
}
