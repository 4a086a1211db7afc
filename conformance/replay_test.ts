// The offline replay (issue 12): every committed observation is replayed on recsim with
// the engine's profile and compared by the lab's rules (conformance/README.md). Every
// failed check must be explained in conformance/divergences.json, and every explanation
// must still be needed: a fix that makes a check pass removes its explanation.
import assert from "node:assert/strict";
import { scoreAll } from "./lab/score.ts";

Deno.test("conformance replay: every failed check is explained, no explanation is stale", async (t) => {
  const scores = await scoreAll();
  assert.ok(scores.length > 0, "no committed observations under conformance/observations/");
  for (const s of scores) {
    await t.step(`${s.profile} vs ${s.engineVersion}`, () => {
      assert.ok(s.scenarios >= 80, `${s.scenarios} scenarios replayed`);
      const unexplained = s.divergences.filter((d) => d.reason === null).map((d) =>
        `${d.scenario} [${d.category}] ${d.name}: browser ${d.browser} / recsim ${d.recsim}`
      );
      assert.deepEqual(unexplained, [], "unexplained divergences");
      assert.deepEqual(s.stale, [], "explanations no failed check uses");
    });
  }
});
