/* The phone's device key, its signed queue and the sync with the server (docs/offline.md).
   Plain script on top of store.js: pages and the service worker share it as self.SC. */
(function (root) {
  "use strict";
  var SC = root.SC;
  var BATCH = 500;
  var TRIES = 4;
  var ZEROS = new Array(65).join("0");
  SC.SNAPSHOT_MAX_AGE_MS = 5 * 60 * 1000; /* fetch a new one at start when older than this */

  function api(production) { return "/api/productions/" + encodeURIComponent(production); }
  function deviceKey(production, person) { return production + "|" + person; }
  function wait(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  function call(method, url, body, csrf) {
    var headers = {"Accept": "application/json"};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (csrf) headers["X-CSRFToken"] = csrf;
    return fetch(url, {method: method, headers: headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body)});
  }

  /* A new key pair: Ed25519 where the browser has it, else ECDSA P-256; private key kept inside. */
  function newKeys() {
    return crypto.subtle.generateKey({name: "Ed25519"}, false, ["sign", "verify"])
      .then(function (keys) { return {keys: keys, alg: "Ed25519"}; })
      .catch(function () {
        return crypto.subtle.generateKey({name: "ECDSA", namedCurve: "P-256"}, false,
          ["sign", "verify"]).then(function (keys) { return {keys: keys, alg: "ECDSA-P256"}; });
      });
  }

  SC.device = function (production, person) {
    return SC.get("devices", deviceKey(production, person));
  };

  /* This phone's device for the person in the production: made once; registered once, when
     asked (the console opened with signal) or before its first sync. */
  SC.ensureDevice = function (production, person, csrf, register) {
    var key = deviceKey(production, person);
    return SC.locked("showclear-device-" + key, function () {
      return SC.get("devices", key).then(function (device) {
        if (device && !renewed(device, csrf)) return device;
        return (device ? archive(device) : Promise.resolve()).then(newKeys).then(function (made) {
          return crypto.subtle.exportKey("raw", made.keys.publicKey).then(function (raw) {
            return SC.sha256hex(new Uint8Array(raw)).then(function (digest) {
              device = {key: key, production: production, person: person,
                id: "D-" + digest.slice(0, 16), alg: made.alg, keys: made.keys,
                public: SC.b64url(raw), seq: 0, head: ZEROS, registered: false,
                server: {seq: 0, head: ""}, alerts: [], seen: [], problem: ""};
              return SC.put("devices", device).then(function () { return device; });
            });
          });
        });
      });
    }).then(function (device) {
      if (device.registered || !csrf || !register) return device;
      return SC.register(device, csrf).catch(function () { return device; });
    });
  };

  /* A revoked device is replaced after the person signs in again (a new CSRF token). */
  function renewed(device, csrf) {
    return !!(device.revoked && csrf && csrf !== device.revoked.csrf);
  }

  /* The revoked device kept under another key: its queue stays listed, never deleted. */
  function archive(device) {
    return SC.tx(["devices"], "readwrite", function (s, done) {
      var kept = Object.assign({}, device, {key: device.key + "|" + device.id, archived: true});
      return Promise.all([done(s.devices.put(kept)), done(s.devices.delete(device.key))]);
    });
  }

  SC.register = function (device, csrf) {
    var url = api(device.production) + "/devices";
    return call("POST", url, {key: device.public, alg: device.alg}, csrf).then(function (r) {
      if (!r.ok) throw new Error("registering the device: HTTP " + r.status);
      return r.json();
    }).then(function (answer) {
      if (answer.device !== device.id) {
        throw new Error("the server named the device " + answer.device + ", not " + device.id);
      }
      return SC.tx(["devices"], "readwrite", function (s, done) {
        return done(s.devices.get(device.key)).then(function (fresh) {
          fresh.registered = true;
          fresh.entry = answer.entry;
          device = fresh;
          return done(s.devices.put(fresh));
        });
      }).then(function () { return device; });
    });
  };

  SC.signature = signature;
  function signature(device, bytes) {
    var alg = device.alg === "Ed25519" ? {name: "Ed25519"} : {name: "ECDSA", hash: "SHA-256"};
    return crypto.subtle.sign(alg, device.keys.privateKey, bytes).then(SC.b64url);
  }

  /* Sign and queue one command: the next seq, the previous body's hash, the phone's clock. */
  SC.enqueue = function (device, command, result, snapshot, pins, moment) {
    return SC.locked("showclear-device-" + device.key, function () {
      return SC.get("devices", device.key).then(function (fresh) {
        var clean = {};
        Object.keys(command).forEach(function (k) {
          if (k !== "at" && k !== "client_at" && k !== "idempotency_key") clean[k] = command[k];
        });
        var body = SC.canonical({v: 1, device: fresh.id, seq: fresh.seq + 1, prev: fresh.head,
          device_at: SC.clock(moment), idempotency_key: SC.randomKey(), command: clean,
          result: result, snapshot: snapshot ? {size: snapshot.size, head: snapshot.head} : null});
        var bytes = new TextEncoder().encode(body);
        return Promise.all([signature(fresh, bytes), SC.sha256hex(bytes)]).then(function (both) {
          var item = {device: fresh.id, seq: fresh.seq + 1, production: fresh.production,
            person: fresh.person, key: fresh.key, body: body, sig: both[0], pins: pins || {},
            state: "waiting", answer: null, entry: null, made_at: Date.now()};
          return SC.tx(["devices", "queue"], "readwrite", function (s, done) {
            return done(s.devices.get(fresh.key)).then(function (now) {
              now.seq = item.seq;
              now.head = both[1];
              return Promise.all([done(s.devices.put(now)), done(s.queue.add(item))]);
            });
          }).then(function () { return item; });
        });
      });
    }).then(function (item) {
      SC.backgroundSync();
      return item;
    });
  };

  SC.backgroundSync = function () {
    var sw = root.navigator && root.navigator.serviceWorker;
    if (!sw || typeof document === "undefined") return;
    sw.ready.then(function (reg) {
      if (reg.sync) return reg.sync.register("showclear-sync");
    }).catch(function () { /* no Background Sync here: the pages sync on start and online */ });
  };

  /* Whether a sync answer stops the device's sync: a DEVICE refusal, or a skipped command. */
  function stops(result) {
    return result.status === "skipped" ||
      (result.status === "refused" && /^DEVICE-/.test((result.result || {}).rule || ""));
  }

  function mark(device, answer, csrf) {
    return SC.tx(["devices", "queue"], "readwrite", function (s, done) {
      var steps = answer.results.map(function (result) {
        return done(s.queue.get([device.id, result.seq])).then(function (item) {
          if (!item || result.status === "skipped") return;
          item.answer = result;
          item.entry = result.entry;
          var ok = (result.result || {}).ok;
          item.state = result.status === "refused" || ok === false ? "refused" : "sent";
          return done(s.queue.put(item));
        });
      });
      return Promise.all(steps).then(function () {
        return done(s.devices.get(device.key));
      }).then(function (now) {
        now.server = answer.device || now.server;
        /* a refusal the chain did not take: the waiting commands are signed again from it */
        if (answer.device && !answer.device.revoked && answer.results.some(stops)) {
          now.rechain = true;
        }
        if (answer.device && answer.device.revoked && !now.revoked) {
          /* Never sent again; kept, and told once. csrf: a new sign-in makes a new key. */
          var lost = answer.results.filter(function (r) {
            return r.status !== "recorded" && !(r.status === "duplicate" && (r.result || {}).ok);
          }).length;
          now.revoked = {at: Date.now(), csrf: csrf || "", text: "This phone was revoked on " +
            now.production + ": " + lost + (lost === 1 ? " step" : " steps") +
            " could not be sent"};
        }
        /* What stopped the chain, kept until a later command of the device is recorded. */
        var said = now.problem ? now.problem.split("\n") : [];
        answer.results.forEach(function (r) {
          if (stops(r)) {
            if (said.indexOf(plain(r)) < 0) said.push(plain(r));
          } else if (r.status === "recorded") {
            said = [];
          }
        });
        now.problem = said.join("\n");
        var alerts = (answer.alerts || []).map(function (a) {
          return {id: "incident:" + a.incident, text: a.text};
        });
        answer.results.forEach(function (r) {
          var told = r.incident && alerts.some(function (a) { return a.id === "incident:" + r.incident; });
          if (r.agrees === false && !told) {
            var said = r.result || {};
            alerts.push({id: "seq:" + r.seq, text: "Command " + r.seq + " of this phone: " +
              "the record decided otherwise" + (said.rule ? " (" + said.rule + ": " +
              (said.message || "") + ")" : "") + ". The armorer reviews it."});
          }
        });
        if (now.revoked) alerts.push({id: "revoked", text: now.revoked.text});
        alerts.forEach(function (a) {
          var known = now.alerts.some(function (b) { return b.id === a.id; });
          if (!known) now.alerts.push(a);
        });
        return done(s.devices.put(now));
      });
    });
  }

  function plain(result) {
    var said = result.result || {};
    if (result.status === "skipped") {
      return "Command " + result.seq + " was not decided: an earlier one was refused.";
    }
    return "Command " + result.seq + " refused: " + (said.rule || "") + ": " + (said.message || "");
  }

  /* Send one device's waiting commands, in order, in batches; retry with backoff. */
  SC.sync = function (device, csrf, poll) {
    return SC.locked("showclear-sync-" + device.key, function () {
      return Promise.all([SC.get("devices", device.key), SC.queueOf(device.id)]).then(function (both) {
        var fresh = both[0];
        var waiting = both[1].some(function (i) { return i.state === "waiting"; });
        if (fresh.revoked) return null; /* revoked: nothing is sent again */
        if (!waiting && (!poll || !fresh.registered)) return null; /* nothing to send or hear */
        return fresh.registered ? fresh : SC.register(fresh, csrf);
      }).then(function (fresh) {
        if (!fresh) return {sent: 0};
        var url = api(fresh.production) + "/devices/" + fresh.id + "/sync";
        var rechained = false; /* once a sync: a second refusal waits for the next one */
        function round(tries) {
          /* a sync stopped before its commands were signed again (a reload): first that */
          return SC.rechain(fresh).then(function () {
            return SC.queueOf(fresh.id);
          }).then(function (items) {
            var waiting = items.filter(function (i) { return i.state === "waiting"; });
            if (!waiting.length && !poll) return {sent: 0};
            var batch = waiting.slice(0, BATCH).map(function (i) {
              var envelope = {body: i.body, sig: i.sig};
              if (i.pins && Object.keys(i.pins).length) envelope.pins = i.pins;
              return envelope;
            });
            return call("POST", url, {commands: batch}, csrf).then(function (r) {
              if (r.status >= 500 || r.status === 429) throw new Error("HTTP " + r.status);
              return r.json().then(function (answer) {
                if (!r.ok) return {problem: "HTTP " + r.status + ": " + JSON.stringify(answer)};
                return mark(fresh, answer, csrf).then(function () {
                  if (answer.device && answer.device.revoked) return {revoked: true};
                  if (answer.results.some(stops)) {
                    if (rechained || !answer.device) return {stopped: true};
                    rechained = true;
                    return SC.rechain(fresh).then(function (again) {
                      return again ? round(0) : {stopped: true};
                    });
                  }
                  poll = false;
                  if (waiting.length > BATCH) return round(0);
                  return {sent: batch.length};
                });
              });
            }).catch(function (error) {
              if (tries + 1 >= TRIES) return {problem: String(error)};
              return wait(500 * Math.pow(2, tries)).then(function () { return round(tries + 1); });
            });
          });
        }
        return round(0);
      });
    });
  };

  SC.unb64 = unb64;
  function unb64(text) {
    var plain = String(text).replace(/-/g, "+").replace(/_/g, "/");
    var bytes = atob(plain + "===".slice((plain.length + 3) % 4));
    return Uint8Array.from(bytes, function (c) { return c.charCodeAt(0); });
  }

  /* The snapshot's signature under the log's key it names (true), or false where the browser
     has no Ed25519 to check it with; a signature that fails is an error: not kept. */
  SC.verifySnapshot = function (snapshot) {
    /* <name>+<8 hex>+<base64(0x01 || key)>: the name has no "+", the base64 may have some. */
    var parts = /^[^+]+\+[0-9a-f]{8}\+(.+)$/.exec(String(snapshot.vkey || ""));
    var raw = parts ? unb64(parts[1]) : new Uint8Array(0);
    if (raw.length !== 33 || raw[0] !== 1) {
      return Promise.reject(new Error("the snapshot names no Ed25519 log key: not kept"));
    }
    var unsigned = {};
    Object.keys(snapshot).forEach(function (k) { if (k !== "sig") unsigned[k] = snapshot[k]; });
    var text = new TextEncoder().encode(SC.SNAPSHOT_DOMAIN + SC.canonical(unsigned));
    return crypto.subtle.importKey("raw", raw.slice(1), {name: "Ed25519"}, false, ["verify"])
      .then(function (key) {
        return crypto.subtle.verify({name: "Ed25519"}, key, unb64(snapshot.sig || ""), text)
          .then(function (ok) {
            if (!ok) throw new Error("the snapshot's signature does not verify: not kept");
            return true;
          });
      }, function () { return false; /* no Ed25519 in this browser */ });
  };
  SC.SNAPSHOT_DOMAIN = "showclear offline snapshot v1\n";

  SC.fetchSnapshot = function (production) {
    return call("GET", api(production) + "/offline/snapshot").then(function (r) {
      if (!r.ok) throw new Error("snapshot: HTTP " + r.status);
      return r.json();
    }).then(function (snapshot) {
      return SC.verifySnapshot(snapshot).then(function (verified) {
        return SC.put("snapshots", {production: production, snapshot: snapshot,
          fetched_at: Date.now(), verified: verified});
      }).then(function () { return snapshot; });
    });
  };

  /* Every device of this phone with waiting commands (the service worker's Background Sync). */
  SC.syncAll = function () {
    return SC.all("devices").then(function (devices) {
      return Promise.all(devices.map(function (d) {
        return SC.sync(d, d.csrf || "").catch(function () { /* the pages retry */ });
      }));
    });
  };
})(self);
