// Mat Coach's service worker: the pages work with no signal, and a routine saved for
// offline plays from this device.
//
// - Pages, scripts and styles: from the network when it answers (within NETWORK_MS), kept
//   as they come; from that copy when it does not. A routine saved for offline is kept
//   whole in SAVED (its page, cue sheet, transcript and MP3, of one build), and its page
//   comes from there first, so the page and the audio offline are always the same build.
// - Audio: a saved MP3 is answered from SAVED, Range requests sliced from it (the Cache API
//   does not store 206 replies, and a whole reply to a Range request breaks seeking; see
//   ../shared/notes/pitfalls-wave2.md). The rules are the server's (RFC 9110 and
//   web/ranges.py): one range only, anything else ignored (200), an unsatisfiable one 416.
//   An MP3 not saved streams from the network and is never stored: a half-heard track
//   must not fill the phone.
"use strict";

const PAGES = "matcoach-pages-v1";
const SAVED = "matcoach-saved";   // never renamed: it holds what people chose to keep
const NETWORK_MS = 4000;
const SHELL = ["/", "/offline", "/manifest.webmanifest", "/static/style.css",
  "/static/offline.js", "/static/poll.js", "/static/library.js", "/static/routine.js",
  "/static/feed.js", "/static/artwork.png", "/static/icon-192.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(PAGES).then((cache) => cache.addAll(SHELL))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(names
    .filter((name) => name !== PAGES && name !== SAVED)
    .map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.startsWith("/audio/")) {
    event.respondWith(audio(request));
  } else if (url.pathname !== "/build-status.json") {   // live, or nothing
    event.respondWith(page(request));
  }
});

async function audio(request) {
  const saved = await (await caches.open(SAVED)).match(request.url);
  if (!saved) { return fetch(request); }
  const range = request.headers.get("Range");
  return range ? sliced(await saved.blob(), range) : saved;
}

// One `bytes=` range of `blob`: 206 with its part, 416 when it starts past the end, and
// the whole file (200) for anything else, as the server answers.
function sliced(blob, header) {
  const size = blob.size;
  const whole = () => new Response(blob, {status: 200, headers: {
    "Content-Type": "audio/mpeg", "Content-Length": String(size), "Accept-Ranges": "bytes"}});
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) { return whole(); }
  let start, end;
  if (match[1] === "") {                       // the last N bytes
    const last = Number(match[2]);
    if (last === 0) { return unsatisfiable(size); }
    start = Math.max(0, size - last);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (start >= size) { return unsatisfiable(size); }
    if (end < start) { return whole(); }        // invalid: ignored, as RFC 9110 says
  }
  return new Response(blob.slice(start, end + 1), {status: 206, headers: {
    "Content-Type": "audio/mpeg", "Content-Length": String(end - start + 1),
    "Content-Range": `bytes ${start}-${end}/${size}`, "Accept-Ranges": "bytes"}});
}

function unsatisfiable(size) {
  return new Response(null, {status: 416, headers: {"Content-Range": `bytes */${size}`}});
}

// Network first, so that a connected phone always sees the library as it is now.
async function page(request) {
  try {
    const reply = await withTimeout(fetch(request), NETWORK_MS);
    if (reply.ok && !noStore(reply)) {
      const copy = reply.clone();
      caches.open(PAGES).then((cache) => cache.put(request, copy));
    }
    return reply;
  } catch (offline) {
    return await kept(request) || Response.error();
  }
}

async function kept(request) {
  const saved = await (await caches.open(SAVED)).match(request);
  if (saved) { return saved; }
  const pages = await caches.open(PAGES);
  // A filtered library is the library: its script applies the address's filters.
  const copy = await pages.match(request, {ignoreSearch: new URL(request.url).pathname === "/"});
  if (copy || request.mode !== "navigate") { return copy; }
  return pages.match("/offline");
}

function noStore(reply) {
  return /no-store/.test(reply.headers.get("Cache-Control") || "");
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no answer in time")), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); },
                 (error) => { clearTimeout(timer); reject(error); });
  });
}
