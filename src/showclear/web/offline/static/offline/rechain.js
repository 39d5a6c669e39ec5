/* A phone's chain never stuck: after a refusal the server's chain did not take, the waiting
   commands are signed again from the server's position (docs/offline.md, ADR 0014). Plain
   script on top of store.js and sync.js (self.SC), in the pages and the service worker. */
(function (root) {
  "use strict";
  var SC = root.SC;
  var ZEROS = new Array(65).join("0");

  /* The device's own key checks the signature of a stored body (an altered one does not). */
  function verifies(device, item) {
    var alg = device.alg === "Ed25519" ? {name: "Ed25519"} : {name: "ECDSA", hash: "SHA-256"};
    return crypto.subtle.verify(alg, device.keys.publicKey, SC.unb64(item.sig),
      new TextEncoder().encode(item.body)).catch(function () { return false; });
  }

  /* Nothing to sign again: the waiting commands continue the server's chain. */
  function settled(device) {
    return SC.tx(["devices"], "readwrite", function (s, done) {
      return done(s.devices.get(device.key)).then(function (now) {
        now.rechain = false;
        return done(s.devices.put(now));
      });
    }).then(function () { return false; });
  }

  /* A key of the queue just before `seq` for an item taken out of the chain (kept, never sent). */
  function aside(taken, seq) {
    var at = seq - 0.5;
    while (taken[at]) at = (at + seq) / 2;
    taken[at] = true;
    return at;
  }

  /* After a refusal the server's chain did not take, sign the waiting commands again from its
     position: same command, clock, key, result and snapshot; the next seq and prev. A body
     that no longer verifies was altered on this phone: refused here, not sent. */
  SC.rechain = function (device) {
    return SC.locked("showclear-device-" + device.key, function () {
      return Promise.all([SC.get("devices", device.key), SC.queueOf(device.id)]).then(function (both) {
        var fresh = both[0];
        var items = both[1];
        var waiting = items.filter(function (i) { return i.state === "waiting"; });
        var position = fresh.server || {seq: 0, head: ""};
        var seq = position.seq;
        var head = position.head || ZEROS;
        var first = waiting.length ? JSON.parse(waiting[0].body) : null;
        if (!fresh.rechain) return false;
        if (!first || (first.seq === seq + 1 && first.prev === head)) return settled(fresh);
        var taken = {};
        items.forEach(function (i) { taken[i.seq] = true; });
        var out = [];
        var gone = [];
        return waiting.reduce(function (chain, item) {
          return chain.then(function () { return verifies(fresh, item); }).then(function (ok) {
            if (!ok) {
              gone.push(item);
              return;
            }
            var body = JSON.parse(item.body);
            body.seq = seq + 1;
            body.prev = head;
            var text = SC.canonical(body);
            var bytes = new TextEncoder().encode(text);
            return Promise.all([SC.signature(fresh, bytes), SC.sha256hex(bytes)]).then(function (made) {
              seq += 1;
              head = made[1];
              var previous = (item.previous || []).concat([{body: item.body, sig: item.sig}]);
              out.push(Object.assign({}, item, {seq: seq, body: text, sig: made[0],
                previous: previous, was: item.was || item.seq}));
            });
          });
        }, Promise.resolve()).then(function () {
          return SC.tx(["devices", "queue"], "readwrite", function (s, done) {
            var moves = items.filter(function (i) {
              return i.state !== "waiting" && i.seq > position.seq && Number.isInteger(i.seq);
            }).concat(gone);
            var deletes = moves.concat(waiting).map(function (i) {
              return done(s.queue.delete([device.id, i.seq]));
            });
            return Promise.all(deletes).then(function () {
              var puts = moves.map(function (i) {
                var kept = Object.assign({}, i, {seq: aside(taken, i.was || i.seq), was: i.was || i.seq});
                if (gone.indexOf(i) >= 0) {
                  kept.state = "refused";
                  kept.answer = {seq: kept.was, status: "refused", entry: null, agrees: true,
                    incident: null, result: {ok: false, rule: null,
                      message: "altered on this phone after it was signed: not sent"}};
                }
                return done(s.queue.put(kept));
              }).concat(out.map(function (i) { return done(s.queue.put(i)); }));
              return Promise.all(puts);
            }).then(function () {
              return done(s.devices.get(device.key));
            }).then(function (now) {
              now.seq = seq;
              now.head = head;
              now.rechain = false;
              return done(s.devices.put(now));
            });
          }).then(function () { return true; });
        });
      });
    });
  };
})(self);
