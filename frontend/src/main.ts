import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { fetchCatalogWithRetry } from "./lib/catalog";
import { PlaygroundSocket, socketUrl } from "./lib/socket";
import { browserSpeedStorage } from "./lib/pace.svelte";
import { Playground } from "./lib/store.svelte";
import { browserStorage } from "./lib/persist";
import { browserHash } from "./lib/urlHash";
import { canvasThumbnail } from "./lib/draw/thumbnail";
import { openRunHistory } from "./lib/runHistory";

const store = new Playground();
// `#bench` (or `?bench=1`) runs the render benchmark: synthetic events instead of the socket.
const bench =
  /^#bench\b/.test(window.location.hash) || /[?&]bench=1\b/.test(window.location.search);
if (bench) {
  void import("./lib/renderBench").then(({ benchOptions, DEFAULTS, runRenderBench }) =>
    runRenderBench(store, benchOptions(window.location) ?? DEFAULTS),
  );
} else {
  const socket = new PlaygroundSocket(socketUrl(window.location), {
    onEvent: (event) => store.apply(event),
    onState: (state, drop) => store.setConnection(state, drop),
  });
  store.connect((command) => socket.send(command));
  store.followUrlHash(browserHash, browserStorage);
  // The Runs list keeps runs in IndexedDB; a reload or a closed tab keeps the run in progress.
  void store.runs.attach(
    openRunHistory(),
    () => canvasThumbnail(document.querySelector('canvas[data-testid="boundary-canvas"]')),
    browserSpeedStorage,
  );
  window.addEventListener("pagehide", () => store.runs.leave());
  socket.connect();
}

void fetchCatalogWithRetry((error) => {
  store.catalogError = `Could not load the catalog: ${error.message} — retrying…`;
}).then((catalog) => {
  store.catalog = catalog;
  store.catalogError = null;
});

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");
export default mount(App, { target, props: { store } });
