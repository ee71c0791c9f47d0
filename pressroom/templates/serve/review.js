// pressroom preview: sign in with an approver code, and approve the version shown.
// Both are POSTs to this server (same origin); the session is an HttpOnly cookie.
(function () {
  "use strict";
  const message = document.getElementById("review-message");
  function headers() {
    const h = { "Content-Type": "application/json" };
    // the write guard's token: the page's own (on this computer), else the one this
    // browser kept when the editor asked for it (a preview open to a network)
    const meta = document.querySelector('meta[name="pressroom-token"]');
    const token = (meta && meta.content) || localStorage.getItem("pressroom-token") || "";
    if (token) h["X-Pressroom-Token"] = token;
    return h;
  }
  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST", headers: headers(), body: JSON.stringify(body),
      credentials: "same-origin",
    });
    let data = {};
    try { data = await response.json(); } catch (e) { /* not JSON */ }
    return { ok: response.ok, text: data.message || data.error || "" };
  }
  const form = document.getElementById("code-form");
  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const code = form.elements.code.value.trim();
      if (!code) { message.textContent = "Type your approver code."; form.elements.code.focus(); return; }
      const result = await post("/approver", { code: code });
      if (result.ok) { window.location.reload(); return; }
      message.textContent = result.text || "That code was refused.";
      form.elements.code.value = "";
      form.elements.code.focus();
    });
  }
  document.addEventListener("click", async (event) => {
    const button = event.target.closest && event.target.closest("#approve");
    if (!button) return;
    button.disabled = true;
    const result = await post("/release/" + encodeURIComponent(button.dataset.release) + "/approve",
                              { seen: button.dataset.seen });
    message.textContent = result.text || (result.ok ? "Approved." : "Not approved.");
    if (result.ok) { window.setTimeout(() => window.location.reload(), 600); }
    else { button.disabled = false; }
  });
})();
