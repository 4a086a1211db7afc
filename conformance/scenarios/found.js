// Scenarios the browser fuzzer found and shrunk (`deno task conformance fuzz`), kept as
// part of the corpus. Each is generated code; see ../fuzz/.
export const scenarios = {};

// {"kinds":"av","mimeType":null,"commands":[{"op":"start","timeslice":"9"},{"op":"pause"}]}
scenarios["firefox-s7-4752cec4"] = async (lab) => {
  const stream = await lab.gum({ audio: true, video: true });
  if (!stream) return;
  const rec = lab.recorder(stream, undefined);
  if (!rec) return stream.getTracks().forEach((t) => t.stop());
  lab.call("start(9)", () => rec.start(9));
  lab.call("pause()", () => rec.pause());
  if (rec.state !== "inactive") {
    lab.call("stop()", () => rec.stop());
    await lab.until(rec, "stop", 2000);
  } else await lab.wait(300);
  stream.getTracks().forEach((t) => t.stop());
};

// {"kinds":"av","mimeType":null,"commands":[{"op":"start","timeslice":"0"}]}
scenarios["chromium-s1-5780dbaa"] = async (lab) => {
  const stream = await lab.gum({ audio: true, video: true });
  if (!stream) return;
  const rec = lab.recorder(stream, undefined);
  if (!rec) return stream.getTracks().forEach((t) => t.stop());
  lab.call("start(0)", () => rec.start(0));
  if (rec.state !== "inactive") {
    lab.call("stop()", () => rec.stop());
    await lab.until(rec, "stop", 2000);
  } else await lab.wait(300);
  stream.getTracks().forEach((t) => t.stop());
};

// {"kinds":"av","mimeType":null,"commands":[{"op":"start","timeslice":"absent"},{"op":"wait","ms":110}]}
scenarios["chromium-s1-765cbc65"] = async (lab) => {
  const stream = await lab.gum({ audio: true, video: true });
  if (!stream) return;
  const rec = lab.recorder(stream, undefined);
  if (!rec) return stream.getTracks().forEach((t) => t.stop());
  lab.call("start()", () => rec.start());
  await lab.wait(110);
  if (rec.state !== "inactive") {
    lab.call("stop()", () => rec.stop());
    await lab.until(rec, "stop", 2000);
  } else await lab.wait(300);
  stream.getTracks().forEach((t) => t.stop());
};
