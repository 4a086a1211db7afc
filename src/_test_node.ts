// Helpers for the tests that run recsim under Node (not published).

/** Runs a command and returns its exit code and output (stdout then stderr). */
export async function run(
  cmd: string,
  args: string[],
  cwd?: string,
): Promise<{ code: number; out: string }> {
  const p = new Deno.Command(cmd, {
    args,
    ...(cwd ? { cwd } : {}),
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stdout, stderr } = await p.output();
  return { code, out: new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr) };
}

/** Whether `node` runs; under CI=true a missing Node is an error (decision 26). */
export async function hasNode(): Promise<boolean> {
  let ok = false;
  try {
    ok = (await run("node", ["--version"])).code === 0;
  } catch {
    ok = false;
  }
  if (!ok && Deno.env.get("CI") === "true") throw new Error("node is required in CI");
  if (!ok) console.warn("skipped: node is not installed (install Node.js 20+)");
  return ok;
}
