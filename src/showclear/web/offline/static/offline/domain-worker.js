// The domain running in the phone (ADR 0013): Pyodide loads the server's own `showclear.domain`
// (served as /offline/domain.zip), so a step checked offline is checked by the server's rules.
// Messages: {id, op, ...} -> {id, ok: true, value} or {id, ok: false, error}.
import { loadPyodide } from "./vendor/pyodide/pyodide.mjs";

const here = (path) => new URL(path, self.location).href;
const WHEELS = [
  "vendor/msgspec-0.23.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl",
  "vendor/tzdata-2026.6-py2.py3-none-any.whl",
];

async function boot() {
  const py = await loadPyodide({ indexURL: here("vendor/pyodide/"), packages: [] });
  await py.loadPackage(WHEELS.map(here), { checkIntegrity: false, messageCallback: () => {} });
  const zip = await fetch("/offline/domain.zip", { credentials: "same-origin" });
  if (!zip.ok) throw new Error(`the domain could not be fetched (HTTP ${zip.status})`);
  py.unpackArchive(await zip.arrayBuffer(), "zip", { extractDir: "/home/pyodide/showclear-app" });
  py.runPython("import sys; sys.path.insert(0, '/home/pyodide/showclear-app')");
  return { py, worker: py.pyimport("showclear.domain.worker") };
}

const booted = boot();
let phone = null; // a showclear.domain.worker.Phone once a snapshot is loaded

function loaded() {
  if (phone === null) throw new Error("no snapshot loaded: load one first");
  return phone;
}

const OPS = {
  async load({ snapshot }, { worker }) {
    if (phone !== null) phone.destroy();
    phone = worker.Phone(JSON.stringify(snapshot.state));
    return { size: phone.state.size, production: phone.state.production };
  },
  async decide({ command }) {
    return JSON.parse(loaded().decide_json(JSON.stringify(command)));
  },
  async apply({ command }) {
    return JSON.parse(loaded().apply_json(JSON.stringify(command)));
  },
  async view() {
    return JSON.parse(loaded().view_json());
  },
  async catalogue(_message, { worker }) {
    return JSON.parse(worker.catalogue_json());
  },
};

self.onmessage = async (event) => {
  const { id, op } = event.data || {};
  try {
    if (!Object.hasOwn(OPS, op)) throw new Error(`unknown op '${op}'`);
    const value = await OPS[op](event.data, await booted);
    self.postMessage({ id, ok: true, value });
  } catch (error) {
    self.postMessage({ id, ok: false, error: String(error && error.message ? error.message : error) });
  }
};
