// A small recording page, written for a browser: camera and microphone, a MediaRecorder
// with a 1 s timeslice, each chunk POSTed to /chunk?seq=N as it arrives, a Stop button.
const record = document.getElementById("record");
const stop = document.getElementById("stop");
const status = document.getElementById("status");
let recorder = null;
let seq = 0;
let uploads = Promise.resolve();

record.addEventListener("click", async () => {
  record.disabled = true;
  status.textContent = "asking for the camera";
  const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  recorder = new MediaRecorder(stream, { mimeType: "video/webm" });
  recorder.ondataavailable = (event) => {
    if (event.data.size === 0) return;
    const n = seq++;
    uploads = uploads.then(() => fetch(`/chunk?seq=${n}`, { method: "POST", body: event.data }));
    status.textContent = `recording: ${seq} chunks`;
  };
  recorder.onstop = async () => {
    for (const track of stream.getTracks()) track.stop();
    await uploads;
    await fetch("/complete", { method: "POST", body: JSON.stringify({ chunks: seq }) });
    status.textContent = `uploaded ${seq} chunks`;
  };
  recorder.start(1000);
  stop.disabled = false;
  status.textContent = "recording";
});

stop.addEventListener("click", () => {
  stop.disabled = true;
  recorder.stop();
});
