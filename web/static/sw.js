// Mat Coach's service worker: the pages work with no signal, and a routine saved for
// offline plays from this device.
//
// - Pages, scripts and styles: from the network, kept as they come. When it has not
//   answered within NETWORK_MS, or fails, or a proxy says the app is down (502-504), a
//   kept copy answers; with none, it waits on for the network. A routine saved for
//   offline (offline.js: one cache per saved build, "matcoach-saved/<id>/<build>") answers
//   first, so that its page and its audio are always the same build.
// - Audio: a saved MP3 is answered from its saved copy, Range requests sliced from it
//   (the Cache API does not store 206 replies, and a whole reply to a Range request
//   breaks seeking; see ../shared/notes/pitfalls-wave2.md), by RFC 9110 14: one byte
//   range, the unit in any case; anything else ignored (200); unsatisfiable 416. An MP3
//   not saved streams from the network and is never stored: a half-heard track must not
//   fill the phone.
// - A request made with cache "no-store" (offline.js saving a routine) is left to the
//   network: a save must never store a kept copy as if it were the current one.
// - The therapists' pages (/therapist/) and plans' private pages (/p/) are left to the
//   network and never kept: a kept copy would outlive signing out, or the plan.
"use strict";

const PAGES = "matcoach-pages-v1";
const SAVED = "matcoach-saved/";   // + id/build; never renamed: people chose to keep them
const NETWORK_MS = 4000;
const APP_DOWN = [502, 503, 504];
const SHELL = ["/", "/offline", "/manifest.webmanifest", "/static/style.css",
  "/static/offline.js", "/static/poll.js", "/static/library.js", "/static/routine.js",
  "/static/feed.js", "/static/artwork.png", "/static/icon-192.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(PAGES).then((cache) => cache.addAll(SHELL))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(names
    .filter((name) => name !== PAGES && !name.startsWith(SAVED))
    .map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin ||
      request.cache === "no-store" || url.pathname === "/build-status.json" ||
      url.pathname.startsWith("/therapist/") || url.pathname.startsWith("/p/") ||
      url.pathname.startsWith("/progress/")) { return; }
  event.respondWith(url.pathname.startsWith("/audio/") ? audio(request) : page(request));
});

// The saved copy of what `request` asks for, newest save first; a page's query
// ("?play=1" from a card, "?download=1") does not make it another page.
async function savedCopy(request) {
  const names = (await caches.keys()).filter((name) => name.startsWith(SAVED)).reverse();
  for (const name of names) {
    const copy = await (await caches.open(name)).match(request, {ignoreSearch: true});
    if (copy) { return copy; }
  }
  return undefined;
}

async function audio(request) {
  const saved = await savedCopy(request);
  if (!saved) { return fetch(request); }
  const range = request.headers.get("Range");
  return range ? sliced(await saved.blob(), range) : saved;
}

// One byte range of `blob`: 206 with its part, 416 when none of it is there, and the
// whole file (200) for anything else.
function sliced(blob, header) {
  const size = blob.size;
  const whole = () => new Response(blob, {status: 200, headers: {
    "Content-Type": "audio/mpeg", "Content-Length": String(size), "Accept-Ranges": "bytes"}});
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match || (match[1] === "" && match[2] === "")) { return whole(); }
  let start, end;
  if (match[1] === "") {                       // the last N bytes (all of them if N > size)
    const last = Number(match[2]);
    if (last === 0) { return whole(); }         // ignored, as the server does
    start = Math.max(0, size - last);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (start >= size) { return unsatisfiable(size); }
    if (end < start) { return whole(); }        // invalid: ignored, as RFC 9110 allows
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
  const network = fetch(request);
  network.catch(() => {});   // answered from a kept copy meanwhile: its failure is no error
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(resolve, NETWORK_MS); });
  try {
    const first = await Promise.race([network, late]);
    clearTimeout(timer);
    if (first) { return await answered(request, first); }
    const copy = await kept(request);         // no answer in time
    return copy || await answered(request, await network);
  } catch (offline) {
    clearTimeout(timer);
    return await kept(request) || (request.mode === "navigate"
      ? await (await caches.open(PAGES)).match("/offline") : Response.error());
  }
}

async function answered(request, reply) {
  if (APP_DOWN.includes(reply.status)) {
    const copy = await kept(request);
    if (copy) { return copy; }
  }
  if (reply.status === 200 && !/no-store/.test(reply.headers.get("Cache-Control") || "")) {
    const copy = reply.clone();
    caches.open(PAGES).then((cache) => cache.put(request, copy)).catch(() => {});
  }
  return reply;
}

async function kept(request) {
  const saved = await savedCopy(request);
  if (saved) { return saved; }
  // A filtered library is the library: its script applies the address's filters.
  const home = new URL(request.url).pathname === "/";
  return (await caches.open(PAGES)).match(request, {ignoreSearch: home});
}
