/**
 * The corpus and the committed observations: scenario ids are `<file>/<name>`, and the
 * observations of engine version V live in `conformance/observations/<engine>-<major>/`.
 *
 * @module
 */
import type { Engine, Observation, Scenario } from "./types.ts";

const root = new URL("../", import.meta.url);

/** The scenario files, from `scenarios/index.js`. */
export async function scenarioFiles(): Promise<string[]> {
  const { FILES } = await import(new URL("scenarios/index.js", root).href);
  return FILES as string[];
}

/** Every scenario of the corpus, in order, with its id. */
export async function loadCorpus(): Promise<
  { id: string; file: string; name: string; run: Scenario }[]
> {
  const out = [];
  for (const file of await scenarioFiles()) {
    const mod = await import(new URL(`scenarios/${file}.js`, root).href);
    for (const [name, run] of Object.entries(mod.scenarios as Record<string, Scenario>)) {
      out.push({ id: `${file}/${name}`, file, name, run });
    }
  }
  return out;
}

/**
 * The observation directory of an engine version, e.g. `observations/chromium-156/`: the
 * major version, or major.minor for WebKitGTK, whose releases are all 2.x
 * (`webkitgtk-2.50`).
 */
export function observationDir(engine: Engine, version: string): URL {
  return new URL(`observations/${engineVersionKey(engine, version)}/`, root);
}

/** `<engine>-<major>` (`<engine>-<major>.<minor>` for WebKitGTK) of a full version. */
export function engineVersionKey(engine: Engine, version: string): string {
  const parts = version.split(".");
  return `${engine}-${engine === "webkitgtk" ? parts.slice(0, 2).join(".") : parts[0]}`;
}

/** Reads every committed observation, per engine version directory. */
export async function loadObservations(): Promise<Map<string, Map<string, Observation>>> {
  const all = new Map<string, Map<string, Observation>>();
  const dir = new URL("observations/", root);
  let entries: Deno.DirEntry[] = [];
  try {
    entries = [...Deno.readDirSync(dir)].filter((e) => e.isDirectory).sort((a, b) =>
      a.name.localeCompare(b.name)
    );
  } catch {
    return all;
  }
  for (const engineDir of entries) {
    const map = new Map<string, Observation>();
    const base = new URL(`${engineDir.name}/`, dir);
    for (const fileDir of Deno.readDirSync(base)) {
      if (!fileDir.isDirectory) continue;
      for (const f of Deno.readDirSync(new URL(`${fileDir.name}/`, base))) {
        if (!f.name.endsWith(".json")) continue;
        const obs = JSON.parse(
          await Deno.readTextFile(new URL(`${fileDir.name}/${f.name}`, base)),
        ) as Observation;
        map.set(obs.scenario, obs);
      }
    }
    all.set(engineDir.name, map);
  }
  return all;
}

/** Writes one observation file. */
export async function writeObservation(obs: Observation): Promise<string> {
  const [file, name] = obs.scenario.split("/") as [string, string];
  const dir = new URL(`${file}/`, observationDir(obs.engine, obs.version));
  await Deno.mkdir(dir, { recursive: true });
  const path = new URL(`${name}.json`, dir);
  await Deno.writeTextFile(path, JSON.stringify(obs, null, 1) + "\n");
  return path.pathname;
}
