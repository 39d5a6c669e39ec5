/* The phone's own record (IndexedDB "showclear"): the queue of commands made without signal, the
   device keys, the latest snapshot per production. Plain script: pages and the service worker
   share it as self.SC. Upgrades migrate and keep every queued command. */
(function (root) {
  "use strict";
  var SC = root.SC = root.SC || {};
  var NAME = "showclear";
  var VERSION = 2;
  var opened = null;

  /* v1: queue, devices, snapshots. v2: a `state` index on the queue; old items get a state. */
  function upgrade(db, tx, oldVersion) {
    if (oldVersion < 1) {
      db.createObjectStore("queue", {keyPath: ["device", "seq"]})
        .createIndex("production", "production");
      db.createObjectStore("devices", {keyPath: "key"});
      db.createObjectStore("snapshots", {keyPath: "production"});
    }
    if (oldVersion < 2) {
      var queue = tx.objectStore("queue");
      queue.createIndex("state", "state");
      queue.openCursor().onsuccess = function (event) {
        var cursor = event.target.result;
        if (!cursor) return;
        var item = cursor.value;
        if (!item.state) {
          item.state = "waiting";
          cursor.update(item);
        }
        cursor.continue();
      };
    }
  }

  SC.db = function () {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        var request = root.indexedDB.open(NAME, VERSION);
        request.onupgradeneeded = function (event) {
          upgrade(request.result, request.transaction, event.oldVersion);
        };
        request.onsuccess = function () {
          var db = request.result;
          db.onversionchange = function () { db.close(); opened = null; };
          resolve(db);
        };
        request.onerror = function () { opened = null; reject(request.error); };
        request.onblocked = function () { /* another tab holds the old version; it closes */ };
      });
    }
    return opened;
  };

  function done(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  /* Run fn(stores) in one transaction; resolves with fn's value once the transaction commits. */
  SC.tx = function (names, mode, fn) {
    return SC.db().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(names, mode);
        var stores = {};
        names.forEach(function (name) { stores[name] = tx.objectStore(name); });
        var value;
        Promise.resolve(fn(stores, done)).then(function (v) { value = v; }, reject);
        tx.oncomplete = function () { resolve(value); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error || new Error("transaction aborted")); };
      });
    });
  };

  SC.get = function (store, key) {
    return SC.tx([store], "readonly", function (s) { return done(s[store].get(key)); });
  };

  SC.put = function (store, value) {
    return SC.tx([store], "readwrite", function (s) { return done(s[store].put(value)); });
  };

  SC.all = function (store) {
    return SC.tx([store], "readonly", function (s) { return done(s[store].getAll()); });
  };

  /* A device's queued commands in its order (seq 1, 2, 3 ...). */
  SC.queueOf = function (device) {
    var range = IDBKeyRange.bound([device, 0], [device, Infinity]);
    return SC.tx(["queue"], "readonly", function (s) { return done(s.queue.getAll(range)); });
  };

  /* Every queued command of a production, every device of this phone, in device order. */
  SC.queueFor = function (production) {
    return SC.tx(["queue"], "readonly", function (s) {
      return done(s.queue.index("production").getAll(production));
    }).then(function (items) {
      return items.sort(function (a, b) {
        return a.device < b.device ? -1 : a.device > b.device ? 1 : a.seq - b.seq;
      });
    });
  };

  /* The commands still to be sent: a revoked device's stay listed but are never sent. */
  SC.waiting = function (production) {
    return Promise.all([SC.queueFor(production), SC.all("devices")]).then(function (both) {
      var revoked = {};
      both[1].forEach(function (d) { if (d.revoked) revoked[d.id] = true; });
      return both[0].filter(function (item) {
        return item.state === "waiting" && !revoked[item.device];
      }).length;
    });
  };

  /* -- encodings ------------------------------------------------------------------------- */

  /* The canonical JSON the server re-encodes: sorted keys, no spaces, integers only. */
  SC.canonical = function canonical(value) {
    if (value === null || typeof value === "boolean" || typeof value === "string") {
      return JSON.stringify(value);
    }
    if (typeof value === "number") {
      if (!Number.isInteger(value)) throw new Error("not an integer: " + value);
      return JSON.stringify(value);
    }
    if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
    if (typeof value === "object") {
      return "{" + Object.keys(value).filter(function (k) {
        return value[k] !== undefined;
      }).sort().map(function (k) {
        return JSON.stringify(k) + ":" + canonical(value[k]);
      }).join(",") + "}";
    }
    throw new Error("cannot encode " + typeof value);
  };

  SC.b64url = function (bytes) {
    var text = "";
    new Uint8Array(bytes).forEach(function (b) { text += String.fromCharCode(b); });
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  };

  SC.hex = function (bytes) {
    return Array.prototype.map.call(new Uint8Array(bytes), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  };

  SC.sha256hex = function (text) {
    var bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
    return crypto.subtle.digest("SHA-256", bytes).then(SC.hex);
  };

  /* The phone's clock, RFC 3339 with offset: 2026-12-07T10:04:05.123000+00:00 */
  SC.clock = function (date) {
    return (date || new Date()).toISOString().replace(/\.(\d{3})Z$/, ".$1000+00:00");
  };

  SC.randomKey = function () {
    return SC.b64url(crypto.getRandomValues(new Uint8Array(18)));
  };

  /* Serialise work under one name across tabs and the worker (Web Locks where there are). */
  SC.locked = function (name, fn) {
    if (root.navigator && root.navigator.locks) {
      return root.navigator.locks.request(name, fn);
    }
    return Promise.resolve().then(fn);
  };

  SC.csrf = function () {
    if (typeof document === "undefined") return "";
    var match = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
    if (match) return decodeURIComponent(match[1]);
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  };
})(self);
