// The page's side of the domain worker: one promise per message (ADR 0013).
export class OfflineDomain {
  constructor(url = "/static/offline/domain-worker.js") {
    this.worker = new Worker(url, { type: "module" });
    this.waiting = new Map();
    this.next = 1;
    this.worker.onmessage = (event) => {
      const { id, ok, value, error } = event.data;
      const pending = this.waiting.get(id);
      if (!pending) return;
      this.waiting.delete(id);
      if (ok) pending.resolve(value);
      else pending.reject(new Error(error));
    };
    this.worker.onerror = (event) => {
      const error = new Error(`the offline checker stopped: ${event.message || "unknown error"}`);
      for (const pending of this.waiting.values()) pending.reject(error);
      this.waiting.clear();
    };
  }

  call(op, fields = {}) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, ...fields });
    });
  }

  load(snapshot) { return this.call("load", { snapshot }); }
  decide(command) { return this.call("decide", { command }); }
  apply(command) { return this.call("apply", { command }); }
  view() { return this.call("view"); }
  catalogue() { return this.call("catalogue"); }
}
