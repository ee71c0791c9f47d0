// pressroom preview: tabs, embargo countdowns and live reload. No build step, no library.
//
// The server sends a "change" event (server-sent events, /events) whenever a
// file of the press room is saved. The page then fetches itself again and
// swaps in each region ([data-region]) whose HTML changed, keeping the tab,
// the scroll position and everything else in place: no navigation, no flash.
(() => {
  "use strict";

  const live = document.getElementById("live");
  const served = new WeakMap(); // region -> its HTML as the server sent it
  let updates = 0;
  let skew = 0; // the server's clock (PRESSROOM_NOW) minus the browser's

  // -- tabs -------------------------------------------------------------------
  function currentTab() {
    const wanted = location.hash.slice(1);
    const tabs = [...document.querySelectorAll("[data-tab]")].map((t) => t.dataset.tab);
    return tabs.includes(wanted) ? wanted : tabs[0];
  }

  function showTab(name) {
    document.querySelectorAll("[data-tab]").forEach((tab) => {
      tab.setAttribute("aria-selected", String(tab.dataset.tab === name));
      tab.tabIndex = tab.dataset.tab === name ? 0 : -1;
    });
    document.querySelectorAll("[data-panel]").forEach((panel) => {
      panel.hidden = panel.dataset.panel !== name;
    });
    if (name === "email") document.querySelectorAll(".mail-frame").forEach(fitFrame);
  }

  function setupTabs(root) {
    const tabs = [...root.querySelectorAll("[data-tab]")];
    tabs.forEach((tab, index) => {
      tab.addEventListener("click", () => {
        history.replaceState(null, "", "#" + tab.dataset.tab);
        showTab(tab.dataset.tab);
      });
      tab.addEventListener("keydown", (event) => {
        const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
        if (!step) return;
        const next = tabs[(index + step + tabs.length) % tabs.length];
        next.focus();
        next.click();
      });
    });
    if (tabs.length) showTab(currentTab());
  }

  // -- frames -------------------------------------------------------------------
  function fitFrame(frame) {
    try {
      const doc = frame.contentDocument;
      if (!doc || !doc.documentElement) return;
      const height = doc.documentElement.scrollHeight;
      if (height > 50) frame.style.height = height + 24 + "px";
    } catch (error) {
      /* not readable: keep the stylesheet's height */
    }
  }

  function setupFrames(root) {
    root.querySelectorAll(".mail-frame").forEach((frame) => {
      frame.addEventListener("load", () => fitFrame(frame));
      fitFrame(frame);
    });
    root.querySelectorAll(".pdf-frame").forEach((frame) => {
      const box = frame.closest("[data-pdf-state]");
      frame.addEventListener("load", () => {
        if (box) box.dataset.pdfState = "ready";
      });
    });
  }

  // -- countdowns -----------------------------------------------------------------
  function human(ms) {
    const minutes = Math.floor(ms / 60000);
    const days = Math.floor(minutes / 1440);
    const hours = Math.floor((minutes % 1440) / 60);
    if (days) return `${days} d ${hours} h`;
    if (hours) return `${hours} h ${minutes % 60} min`;
    return `${minutes % 60} min`;
  }

  function tick() {
    const now = Date.now() + skew;
    document.querySelectorAll("[data-until]").forEach((el) => {
      const left = Date.parse(el.dataset.until) - now;
      el.textContent = left > 0 ? "lifts in " + human(left) : "lifted";
    });
  }

  function readClock() {
    const app = document.getElementById("app");
    const now = app && Date.parse(app.dataset.now || "");
    skew = now ? now - Date.now() : 0;
  }

  // -- live reload -------------------------------------------------------------------
  function remember(root) {
    const regions = root.matches && root.matches("[data-region]") ? [root] : [];
    regions.push(...root.querySelectorAll("[data-region]"));
    regions.forEach((region) => served.set(region, region.innerHTML));
  }

  function setup(root) {
    remember(root); // before anything below changes the regions
    setupFrames(root);
  }

  function swap(fresh) {
    const app = document.getElementById("app");
    const next = fresh.getElementById("app");
    if (!app || !next) return;
    const x = window.scrollX;
    const y = window.scrollY;
    document.title = fresh.title;
    if (app.dataset.layout !== next.dataset.layout) {
      const node = document.adoptNode(next);
      app.replaceWith(node);
      setup(node);
      setupTabs(node);
    } else {
      app.dataset.now = next.dataset.now || "";
      next.querySelectorAll("[data-region]").forEach((region) => {
        const old = document.getElementById(region.id);
        if (!old || served.get(old) === region.innerHTML) return;
        const height = old.querySelector(".mail-frame")?.style.height;
        const node = document.adoptNode(region);
        const frame = node.querySelector(".mail-frame");
        if (frame && height) frame.style.height = height; // no jump while it loads
        old.replaceWith(node);
        setup(node);
      });
      showTab(currentTab());
    }
    readClock();
    tick();
    window.scrollTo(x, y);
    updates += 1;
    document.documentElement.dataset.updates = String(updates);
  }

  let busy = false;
  let again = false;

  async function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    live.dataset.state = "updating";
    try {
      do {
        again = false;
        const response = await fetch(location.pathname + location.search, {
          cache: "no-store",
          headers: { "X-Pressroom-Refresh": "1" },
        });
        const html = await response.text();
        swap(new DOMParser().parseFromString(html, "text/html"));
      } while (again);
      setLive("live");
    } catch (error) {
      setLive("offline"); // the server stopped: the event stream reconnects when it is back
    } finally {
      busy = false;
    }
  }

  function setLive(state) {
    live.dataset.state = state;
    live.querySelector(".live-label").textContent =
      { live: "Live", offline: "Reconnecting…", updating: "Updating…" }[state] || "Connecting";
  }

  // One event stream per visible tab: a browser opens at most six connections
  // to a server, and background tabs must not use them up. A tab that comes
  // back catches up at once.
  let source = null;
  let connectedBefore = false;

  function connect() {
    if (source || !window.EventSource) return;
    source = new EventSource("/events");
    source.addEventListener("open", () => {
      setLive("live");
      if (connectedBefore) refresh(); // back after a restart, a dropped line or a hidden tab
      connectedBefore = true;
    });
    source.addEventListener("change", () => {
      setLive("updating");
      refresh();
    });
    source.addEventListener("error", () => setLive("offline"));
  }

  function disconnect() {
    if (source) source.close();
    source = null;
  }

  document.addEventListener("visibilitychange", () => {
    if (document.hidden) disconnect();
    else connect();
  });

  readClock();
  setup(document);
  setupTabs(document);
  tick();
  setInterval(tick, 15000);
  window.addEventListener("hashchange", () => showTab(currentTab()));
  if (!document.hidden) connect();
})();
