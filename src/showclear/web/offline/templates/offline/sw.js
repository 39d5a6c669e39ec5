/* showclear's service worker: pages and assets for use without signal, and the queue's sync.
   Served by the app at /sw.js (scope /); VERSION is a hash of every file it keeps, so a changed
   file is a new worker whose install replaces the assets. It never touches IndexedDB on upgrade:
   the queue of commands waiting to be sent lives there and outlives every version. */
"use strict";
var VERSION = "{{ version }}";
var ASSETS = "showclear-assets-" + VERSION;
var PAGES = "showclear-pages"; /* production pages as last seen; kept across versions */
var PRECACHE = {{ precache|safe }};
importScripts("{{ store }}", "{{ sync }}", "{{ rechain }}");

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(ASSETS).then(function (cache) {
    return Promise.all(PRECACHE.map(function (url) {
      return fetch(url, {cache: "no-cache", credentials: "same-origin"}).then(function (answer) {
        if (answer.ok) return cache.put(url, answer);
      }).catch(function () { /* kept at the next version; the page says what is missing */ });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  /* Only the old versions' asset caches go; the pages cache and IndexedDB stay. */
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("showclear-assets-") === 0 && name !== ASSETS;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function production(url) {
  var match = /^\/p\/([^/]+)\//.exec(url.pathname);
  return match ? decodeURIComponent(match[1]) : null;
}

function pad(n) { return (n < 10 ? "0" : "") + n; }

function fromCache(request, url, htmx) {
  return caches.open(PAGES).then(function (cache) {
    return cache.match(request, {ignoreVary: true});
  }).then(function (kept) {
    var prod = production(url);
    if (!kept) {
      var console_ = "/p/" + encodeURIComponent(prod) + "/offline/";
      if (url.pathname === console_) {
        return new Response("<!doctype html><title>No signal</title><p>No signal, and this " +
          "phone has not kept the offline console yet: open it once with signal.</p>",
          {status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}});
      }
      if (htmx) { /* htmx runs no scripts it swaps in: the browser opens the console itself */
        return new Response("", {status: 200, headers: {"HX-Redirect": console_}});
      }
      return caches.open(PAGES).then(function (cache) { return cache.match(console_); })
        .then(function (shell) {
          return shell ? marked(shell, null, prod) : Response.error();
        });
    }
    if (url.pathname === "/p/" + encodeURIComponent(prod) + "/offline/") return kept;
    return marked(kept, kept.headers.get("X-Showclear-Kept-At"), prod);
  });
}

/* A kept page says it is not live: "No signal: as of HH:MM", with the way to the console. */
function marked(response, keptAt, prod) {
  return response.text().then(function (html) {
    var when = keptAt ? new Date(keptAt) : null;
    var as = when ? " as of " + pad(when.getHours()) + ":" + pad(when.getMinutes()) : "";
    var link = "/p/" + encodeURIComponent(prod) + "/offline/";
    var note = '<p class="nosignal" role="status">No signal:' + as +
      '. <a href="' + link + '">Offline console</a></p>';
    /* Its forms are hidden: a step without signal is made on the console, checked and queued. */
    html = html.replace('<main id="main">', '<main id="main" class="kept">' + note);
    return new Response(html, {status: 200, headers: {
      "Content-Type": "text/html; charset=utf-8", "X-Showclear-From": "cache"}});
  });
}

function networkFirst(request, url, htmx) {
  return fetch(request).then(function (answer) {
    var type = answer.headers.get("Content-Type") || "";
    if (answer.ok && type.indexOf("text/html") === 0 && !answer.redirected) {
      var copy = answer.clone();
      copy.text().then(function (body) {
        if (body.indexOf('<main id="main">') < 0) return; /* a fragment, not a whole page */
        var headers = new Headers(copy.headers);
        headers.set("X-Showclear-Kept-At", new Date().toISOString());
        return caches.open(PAGES).then(function (cache) {
          return cache.put(url.pathname + url.search, new Response(body, {headers: headers}));
        });
      });
    }
    return answer;
  }).catch(function () { return fromCache(url.pathname + url.search, url, htmx); });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/accounts/login/") === 0) {
    /* Signed out, or the session ended: the pages kept for that person go; the queue stays. */
    event.waitUntil(caches.delete(PAGES));
    return;
  }
  if (url.pathname.indexOf("/api/") === 0 || url.pathname === "/sw.js") return;
  var htmx = request.headers.get("HX-Request") === "true";
  var page = production(url) !== null && (request.mode === "navigate" || htmx);
  if (page && url.pathname.indexOf("/banner/") < 0 && url.pathname.indexOf("/live/") < 0) {
    event.respondWith(networkFirst(request, url, htmx));
    return;
  }
  if (url.pathname.indexOf("/static/") === 0 || url.pathname === "/offline/domain.zip") {
    event.respondWith(caches.open(ASSETS).then(function (cache) {
      return cache.match(url.pathname).then(function (kept) { return kept || fetch(request); });
    }));
  }
});

/* Background Sync where the browser has it; the pages also sync on every start and reconnect. */
self.addEventListener("sync", function (event) {
  if (event.tag === "showclear-sync") {
    event.waitUntil(self.SC.syncAll());
  }
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.op === "version") {
    event.source.postMessage({op: "version", version: VERSION});
  }
});
