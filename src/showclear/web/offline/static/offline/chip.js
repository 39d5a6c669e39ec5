/* Every page: the service worker, the status chip (online or not, commands waiting, the
   snapshot's age), the sync at start and at every reconnect, and the alerts that must be read. */
(function () {
  "use strict";
  var SC = self.SC;
  var PAGES = "showclear-pages";
  var started = {};

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () { /* no worker */ });
  }

  function chip() { return document.getElementById("netchip"); }

  function here() {
    var el = chip() || document.getElementById("offline-console");
    if (!el || !el.dataset.production) return null;
    return {production: el.dataset.production, person: el.dataset.person || ""};
  }

  SC.age = function (ms) {
    var minutes = Math.max(0, Math.round(ms / 60000));
    if (minutes < 60) return minutes + " min";
    var hours = Math.floor(minutes / 60);
    return hours < 48 ? hours + " h" : Math.floor(hours / 24) + " days";
  };

  /* What the chip says now; also the console's heading line. */
  SC.status = function (production, person) {
    var device = person ? SC.device(production, person) : Promise.resolve(null);
    return Promise.all([SC.waiting(production), SC.get("snapshots", production), device])
      .then(function (both) {
        var kept = both[1];
        var revoked = both[2] && both[2].revoked;
        var snap = kept && kept.snapshot;
        var issued = snap ? Date.parse(snap.issued_at) : NaN;
        var until = snap ? Date.parse(snap.valid_until) : NaN;
        return {online: navigator.onLine, waiting: both[0], snapshot: snap || null,
          age: isNaN(issued) ? null : Date.now() - issued,
          stale: !snap || isNaN(until) || Date.now() > until,
          revoked: revoked ? revoked.text : ""};
      });
  };

  SC.refreshChip = function () {
    var el = chip();
    var at = here();
    if (!el || !at) return Promise.resolve();
    return SC.status(at.production, at.person).then(function (s) {
      var parts = [s.online ? "Online" : "No signal", s.waiting + " waiting"];
      parts.push(s.snapshot ? "snapshot " + SC.age(s.age) + " old" : "no snapshot");
      el.textContent = s.revoked || parts.join(" · ");
      el.classList.toggle("revoked", !!s.revoked);
      el.classList.toggle("offline", !s.online);
      el.classList.toggle("stale", s.stale);
      el.dataset.waiting = String(s.waiting);
    }).catch(function () { el.textContent = navigator.onLine ? "Online" : "No signal"; });
  };

  /* The console of this production kept for use without signal. */
  function keepConsole(production) {
    if (!("caches" in self)) return Promise.resolve();
    var url = "/p/" + encodeURIComponent(production) + "/offline/";
    return fetch(url, {credentials: "same-origin"}).then(function (answer) {
      if (!answer.ok || answer.redirected) return;
      return answer.blob().then(function (body) {
        var headers = new Headers(answer.headers);
        headers.set("X-Showclear-Kept-At", new Date().toISOString());
        return caches.open(PAGES).then(function (cache) {
          return cache.put(url, new Response(body, {headers: headers}));
        });
      });
    }).catch(function () { /* kept next time */ });
  }

  /* Signed in on a production page: the device, a sync, a fresh snapshot when one is due. */
  SC.syncHere = function (force) {
    var at = here();
    if (!at || !at.person || !navigator.onLine) return SC.refreshChip();
    var csrf = SC.csrf();
    var due = force === true;
    var preparing = !!document.getElementById("offline-console"); /* about to work offline */
    return SC.ensureDevice(at.production, at.person, csrf, preparing).then(function (device) {
      return SC.tx(["devices"], "readwrite", function (s, done) {
        return done(s.devices.get(device.key)).then(function (now) {
          now.csrf = csrf; /* for Background Sync, which has no cookies to read */
          due = due || !(Date.now() - (now.polled_at || 0) < SC.SNAPSHOT_MAX_AGE_MS);
          if (due) now.polled_at = Date.now();
          return done(s.devices.put(now));
        });
      }).then(function () { return SC.sync(device, csrf, due); });
    }).then(function (outcome) {
      return SC.get("snapshots", at.production).then(function (kept) {
        var old = !kept || !(Date.now() - kept.fetched_at < SC.SNAPSHOT_MAX_AGE_MS);
        if (!old && !(outcome && outcome.sent)) return;
        return SC.fetchSnapshot(at.production).catch(function () { /* the kept one stays */ });
      });
    }).then(function () {
      document.dispatchEvent(new CustomEvent("showclear:synced"));
      return SC.showAlerts(at.production, at.person);
    }).catch(function (error) {
      document.dispatchEvent(new CustomEvent("showclear:problem", {detail: String(error)}));
    }).then(SC.refreshChip);
  };

  /* A blocking alert: the record disagreed with this phone, or two phones conflicted. */
  SC.showAlerts = function (production, person) {
    return SC.device(production, person).then(function (device) {
      if (!device || document.getElementById("offline-alert")) return;
      var unseen = (device.alerts || []).filter(function (a) {
        return (device.seen || []).indexOf(a.id) < 0;
      });
      if (!unseen.length) return;
      var dialog = document.createElement("dialog");
      dialog.id = "offline-alert";
      dialog.className = "offline-alert";
      var title = document.createElement("h2");
      var only = unseen.length === 1 && unseen[0].id === "revoked";
      title.textContent = only ? "This phone was revoked" : "The record disagrees with this phone";
      dialog.appendChild(title);
      unseen.forEach(function (a) {
        var p = document.createElement("p");
        p.className = "alert-text";
        p.textContent = a.text;
        dialog.appendChild(p);
      });
      var note = document.createElement("p");
      note.textContent = "Stop and tell the armorer. It is on the armorer's list to review.";
      dialog.appendChild(note);
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = "I have read this";
      button.addEventListener("click", function () {
        SC.tx(["devices"], "readwrite", function (s, done) {
          return done(s.devices.get(device.key)).then(function (now) {
            now.seen = (now.seen || []).concat(unseen.map(function (a) { return a.id; }));
            return done(s.devices.put(now));
          });
        }).then(function () { dialog.close(); dialog.remove(); });
      });
      dialog.appendChild(button);
      dialog.addEventListener("cancel", function (event) { event.preventDefault(); });
      document.body.appendChild(dialog);
      dialog.showModal();
    });
  };

  function start() {
    var at = here();
    if (!at) return;
    SC.refreshChip();
    var key = at.production + "|" + at.person;
    if (!started[key] && navigator.onLine) {
      started[key] = true;
      keepConsole(at.production);
    }
    SC.syncHere();
  }

  document.addEventListener("DOMContentLoaded", start);
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target === document.body) start();
  });
  window.addEventListener("online", function () { SC.syncHere(true); });
  window.addEventListener("offline", SC.refreshChip);
  setInterval(SC.refreshChip, 30000);
})();
