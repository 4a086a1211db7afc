// Runs one scenario in a page and returns its observation as one JSON string (the
// drivers move a single string out of the page, not a tree of remote values).
import { createLab } from "./lab.js";

/**
 * Runs scenario `name` of `scenarios/<file>.js`. With `setup`, that module is imported
 * first: a polyfill target installs its MediaRecorder there (any MediaRecorder as a
 * target).
 */
export async function run(file, name, bytes = true, setup = null) {
  if (setup) {
    const init = await import(setup);
    if (typeof init.install === "function") await init.install();
  }
  const mod = await import(`../scenarios/${file}.js`);
  const lab = createLab();
  try {
    await mod.scenarios[name](lab);
  } catch (e) {
    lab.fail(e);
  }
  return JSON.stringify(await lab.finish({ bytes }));
}

/** Runs a scenario given as source (`async (lab) => { … }`): the browser fuzzer's scripts. */
export async function runSource(source, bytes = false, setup = null) {
  if (setup) {
    const init = await import(setup);
    if (typeof init.install === "function") await init.install();
  }
  const scenario = new Function(`return (${source});`)();
  const lab = createLab();
  try {
    await scenario(lab);
  } catch (e) {
    lab.fail(e);
  }
  return JSON.stringify(await lab.finish({ bytes }));
}
