// The live dashboard of ecg serve: one tile per device (trace of the last
// 10 s, heart rate, rhythm label and confidence, quality, alert banner),
// devices in alert first. It reads server-sent events from /events; it
// fetches nothing else.
"use strict";
const POINTS = 500; // 10 s at 50 Hz, as the server keeps
const tiles = document.getElementById("tiles");
const summary = document.getElementById("summary");
const devices = new Map(); // id -> {el, canvas, trace: Float32Array, n}

function tile(id) {
  const el = document.createElement("div");
  el.className = "tile";
  el.dataset.device = id;
  el.innerHTML = '<div class="head"><a class="id"></a><span class="hr"></span></div>' +
    '<div class="banner"></div><canvas width="480" height="120"></canvas>' +
    '<div class="meta"><span class="label"></span><span class="quality"></span></div>';
  const link = el.querySelector(".id");
  link.textContent = id;
  link.href = "device/" + encodeURIComponent(id); // its page: last minutes, spectrogram
  const d = { el, canvas: el.querySelector("canvas"), trace: new Float32Array(POINTS), n: 0 };
  devices.set(id, d);
  return d;
}

function draw(d) {
  const c = d.canvas, g = c.getContext("2d");
  g.clearRect(0, 0, c.width, c.height);
  const n = Math.min(d.n, POINTS);
  if (n < 2) return;
  let lo = Infinity, hi = -Infinity;
  for (let k = 0; k < n; k++) {
    const v = d.trace[(d.n - n + k) % POINTS];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo || 1;
  g.strokeStyle = d.el.classList.contains("alert") ? "#c62828" : "#1565c0";
  g.lineWidth = 1.5;
  g.beginPath();
  for (let k = 0; k < n; k++) {
    const v = d.trace[(d.n - n + k) % POINTS];
    const x = (k + POINTS - n) * c.width / (POINTS - 1);
    const y = c.height - 4 - (v - lo) / span * (c.height - 8);
    if (k === 0) g.moveTo(x, y); else g.lineTo(x, y);
  }
  g.stroke();
}

function update(views) {
  const alive = new Set();
  let inAlert = 0;
  views.forEach((v, i) => {
    alive.add(v.id);
    const d = devices.get(v.id) || tile(v.id);
    for (const p of v.points || []) d.trace[d.n++ % POINTS] = p;
    const alert = (v.alerts || []).length > 0;
    if (alert) inAlert++;
    d.el.classList.toggle("alert", alert);
    d.el.querySelector(".banner").textContent = alert ? "ALERT " + v.alerts.join(", ") : "";
    d.el.querySelector(".hr").textContent = v.hr == null ? "– bpm" : Math.round(v.hr) + " bpm";
    d.el.querySelector(".label").textContent = v.label ? v.label + " " + Math.round(v.confidence * 100) + "%" : "no window yet";
    const q = d.el.querySelector(".quality");
    q.textContent = v.quality;
    q.className = "quality q-" + v.quality;
    if (tiles.children[i] !== d.el) tiles.insertBefore(d.el, tiles.children[i] || null);
    draw(d);
  });
  for (const [id, d] of devices) {
    if (!alive.has(id)) { d.el.remove(); devices.delete(id); }
  }
  summary.textContent = views.length + " devices, " + inAlert + " in alert";
}

// ?frames=N stops after N updates: a page that settles, for headless
// screenshots and DOM dumps.
const frames = Number(new URLSearchParams(location.search).get("frames")) || 0;
let seen = 0;
const source = new EventSource("events");
source.onmessage = (e) => {
  update(JSON.parse(e.data));
  if (frames && ++seen >= frames) source.close();
};
source.onerror = () => { summary.textContent = "reconnecting…"; };
