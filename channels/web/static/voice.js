// Push to talk: the microphone recorded at 16 kHz mono, sent as a WAV to /api/v1/voice/turns; the reply is shown
// like a typed one and played. Press "Talk" to start, press it again to send.

const RATE = 16000;
let recording = null;

export async function toggleTalk(button, note, send) {
  if (recording) {
    const taken = recording;
    recording = null;
    button.setAttribute("aria-pressed", "false");
    button.textContent = "Talk";
    note.textContent = "Listening to what you said…";
    await send(wav(await stop(taken)));
    return;
  }
  try {
    recording = await start();
  } catch (error) {
    note.textContent = `The microphone is not available (${error.message}).`;
    return;
  }
  button.setAttribute("aria-pressed", "true");
  button.textContent = "Send what I said";
  note.textContent = "Recording… press again when you're done.";
}

async function start() {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true } });
  const context = new AudioContext({ sampleRate: RATE });
  const source = context.createMediaStreamSource(stream);
  const tap = context.createScriptProcessor(4096, 1, 1);
  const chunks = [];
  tap.onaudioprocess = (event) => chunks.push(new Float32Array(event.inputBuffer.getChannelData(0)));
  source.connect(tap);
  tap.connect(context.destination);
  return { stream, context, tap, chunks };
}

async function stop({ stream, context, tap, chunks }) {
  tap.disconnect();
  stream.getTracks().forEach((track) => track.stop());
  await context.close();
  const samples = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) { samples.set(chunk, at); at += chunk.length; }
  return samples;
}

function wav(samples) {
  const bytes = new DataView(new ArrayBuffer(44 + samples.length * 2));
  const text = (at, s) => [...s].forEach((c, i) => bytes.setUint8(at + i, c.charCodeAt(0)));
  text(0, "RIFF"); bytes.setUint32(4, 36 + samples.length * 2, true); text(8, "WAVE");
  text(12, "fmt "); bytes.setUint32(16, 16, true); bytes.setUint16(20, 1, true); bytes.setUint16(22, 1, true);
  bytes.setUint32(24, RATE, true); bytes.setUint32(28, RATE * 2, true); bytes.setUint16(32, 2, true);
  bytes.setUint16(34, 16, true); text(36, "data"); bytes.setUint32(40, samples.length * 2, true);
  samples.forEach((s, i) => bytes.setInt16(44 + i * 2, Math.max(-1, Math.min(1, s)) * 0x7fff, true));
  return new Blob([bytes], { type: "audio/wav" });
}

export function play(base64) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const audio = new Audio(URL.createObjectURL(new Blob([bytes], { type: "audio/wav" })));
  audio.dataset.spoken = "reply";
  document.body.append(audio);
  audio.hidden = true;
  audio.play().catch(() => {});
  return audio;
}
