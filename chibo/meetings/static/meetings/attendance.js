/* chibo: attendance taps that survive a bad network (no framework).
 *
 * Every tap form marked [data-offline-tap] gets a fresh client id (crypto.randomUUID) and the tap
 * time. When the phone is offline, or the POST cannot reach the server, the tap is kept in
 * localStorage and sent later to the sync URL as JSON: [{client_id, meeting, member, status,
 * reason, at, code}]. The server applies each client id once; later taps win by `at`.
 */
(function () {
  "use strict";
  var KEY = "chibo.attendance.queue.v1";
  var box = document.getElementById("offline-status");
  if (!box) return;
  var syncUrl = box.getAttribute("data-sync-url");
  var syncing = false;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function save(queue) {
    try { localStorage.setItem(KEY, JSON.stringify(queue)); } catch (e) { /* storage full: keep in memory */ }
    show(queue);
  }
  function csrfToken() {
    try {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      if (headers["X-CSRFToken"]) return headers["X-CSRFToken"];
    } catch (e) { /* fall back to the cookie */ }
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function show(queue) {
    document.querySelectorAll(".att-pending").forEach(function (el) { el.hidden = true; });
    queue.forEach(function (item) {
      var row = document.getElementById("att-" + item.member);
      var badge = row && row.querySelector(".att-pending");
      if (badge) badge.hidden = false;
    });
    if (queue.length) {
      box.hidden = false;
      box.textContent = box.getAttribute("data-msg-queued").replace("%(n)s", String(queue.length));
    }
  }
  function tapFrom(form, submitter) {
    var status = (submitter && submitter.value) || form.getAttribute("data-status") || "";
    var reason = form.querySelector("[name=reason]");
    var code = form.querySelector("[name=code]");
    return {
      client_id: form.querySelector("[name=client_id]").value || uuid(),
      meeting: Number(form.getAttribute("data-meeting")),
      member: Number(form.getAttribute("data-member")),
      status: status,
      reason: reason ? reason.value : "",
      code: code ? code.value : "",
      at: form.querySelector("[name=at]").value || new Date().toISOString()
    };
  }
  function stamp(form) {
    form.querySelector("[name=client_id]").value = uuid();
    form.querySelector("[name=at]").value = new Date().toISOString();
  }
  function enqueue(tap) {
    var queue = load().filter(function (t) { return t.client_id !== tap.client_id; });
    queue.push(tap);
    save(queue);
  }

  function sync() {
    var queue = load();
    if (syncing || !queue.length || navigator.onLine === false) return;
    syncing = true;
    fetch(syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(queue)
    }).then(function (resp) {
      if (!resp.ok) throw new Error("sync " + resp.status);
      return resp.json();
    }).then(function (data) {
      var done = {};
      (data.results || []).forEach(function (r) { done[r.client_id] = r; });
      var rest = load().filter(function (t) { return !done[t.client_id]; });
      save(rest);
      var refused = (data.results || []).filter(function (r) { return r.outcome === "refused" || r.outcome === "not_found"; });
      box.hidden = false;
      box.textContent = refused.length ? refused.map(function (r) { return r.message; }).join(" ") : box.getAttribute("data-msg-synced");
      if (!rest.length) setTimeout(function () { window.location.reload(); }, 800);
    }).catch(function () { /* still offline: try again later */ }).then(function () { syncing = false; });
  }

  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (!form.hasAttribute || !form.hasAttribute("data-offline-tap")) return;
    stamp(form);
    var hx = form.hasAttribute("hx-post");
    if (navigator.onLine === false) {
      evt.preventDefault();
      evt.stopImmediatePropagation();
      enqueue(tapFrom(form, evt.submitter));
      return;
    }
    if (hx) return; /* htmx posts it; a network failure comes back as htmx:sendError */
    evt.preventDefault(); /* self check-in: post it ourselves so a failure can be queued */
    var body = new FormData(form);
    if (evt.submitter && evt.submitter.name) body.append(evt.submitter.name, evt.submitter.value);
    var tap = tapFrom(form, evt.submitter);
    fetch(form.action || window.location.href, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (resp) {
        if (resp.redirected) { window.location.href = resp.url; return null; }
        return resp.text().then(function (html) { document.open(); document.write(html); document.close(); });
      })
      .catch(function () { enqueue(tap); });
  }, true);

  /* htmx: remember which tap failed to leave the phone and queue it. */
  document.body.addEventListener("htmx:sendError", function (evt) {
    var form = evt.detail.elt && evt.detail.elt.closest ? evt.detail.elt.closest("form[data-offline-tap]") : null;
    if (!form) return;
    var params = (evt.detail.requestConfig && evt.detail.requestConfig.parameters) || {};
    var tap = tapFrom(form, null);
    if (params.status) tap.status = params.status;
    if (params.reason !== undefined) tap.reason = params.reason;
    if (tap.status) enqueue(tap);
  });
  document.body.addEventListener("htmx:configRequest", function (evt) {
    var p = evt.detail.parameters;
    if (p && p.client_id === "" && evt.detail.elt && evt.detail.elt.closest && evt.detail.elt.closest("form[data-offline-tap]")) {
      var form = evt.detail.elt.closest("form[data-offline-tap]");
      stamp(form);
      p.client_id = form.querySelector("[name=client_id]").value;
      p.at = form.querySelector("[name=at]").value;
    }
  });

  window.addEventListener("online", sync);
  setInterval(sync, 30000);
  show(load());
  sync();
})();
