// Small browser-side helpers for the ReactPy interface. ReactPy renders on the server; these
// components cover what only the browser can do: the address bar and file uploads with progress.
// Each export is a function (node, props) called on every render with the latest props.

export function bind(node) {
  return {
    create: (type, props, children) => ({ type, props, children }),
    render: (element) => element.type(node, element.props || {}),
    unmount: () => {
      if (node._choraleCleanup) node._choraleCleanup();
      node.innerHTML = "";
    },
  };
}

// Keeps the address bar in step with the server-side route and reports back/forward navigation.
export function UrlSync(node, props) {
  node._props = props;
  if (!node._choraleInit) {
    node._choraleInit = true;
    const onPop = () => {
      const handler = node._props.onNavigate || node._props.on_navigate;
      if (handler) handler(location.pathname + location.search);
    };
    window.addEventListener("popstate", onPop);
    node._choraleCleanup = () => window.removeEventListener("popstate", onPop);
  }
  // props.replace: the server's navigation was a redirect (the landing after login) and replaces the entry
  // it leaves, so Back does not bounce off it; decided in the same render as the path, so nothing races it.
  const wanted = props.path;
  if (wanted && location.pathname + location.search !== wanted) {
    if (props.replace) history.replaceState(null, "", wanted);
    else history.pushState(null, "", wanted);
  }
  if (props.title) document.title = props.title;
  if (props.lang) document.documentElement.lang = props.lang;
}

// Writes a cookie the server reads on the next connection (language choice survives reloads).
export function CookieWriter(node, props) {
  if (props.name && props.value !== undefined && node._last !== props.value) {
    node._last = props.value;
    document.cookie = `${props.name}=${encodeURIComponent(props.value)}; path=/; max-age=31536000; SameSite=Lax`;
  }
}

// File upload with real progress: a file input and a drop zone; the file is sent as the raw request
// body with XMLHttpRequest (so the browser reports bytes sent) to props.url, with ?name=<file name>.
// Reports back to the server: onStart({name,size,type}), onProgress({loaded,total}) at most every
// 150 ms, onDone(json), onError(json) — json is the API's {code, message, message_en} or a local one.
// A Cancel button aborts the request (onError({code: "annule"})). props.maxBytes refuses a file before
// sending it; props.resetKey changing clears the last file so another one can be chosen.
// props.paramsFrom ({name: element id}) adds the current value of those fields (selects beside the
// upload) to the query at send time: the file goes where the form shows, even when it is dropped right
// after a choice, before the server's re-render has brought the new props.
export function FileUpload(node, props) {
  node._props = props;
  const call = (name, value) => {
    const p = node._props;
    const handler = p[name] || p[name.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase())];
    if (handler) handler(value);
  };
  const text = (key, fallback) => node._props[key] || fallback;
  if (!node._chorale) {
    const id = props.inputId || "file-upload";
    node.innerHTML = `
      <div class="upload">
        <div class="dropzone" data-role="dropzone">
          <label class="upload-label" for="${id}"></label>
          <span class="hint" data-role="hint"></span>
          <input type="file" id="${id}" data-role="input">
        </div>
        <div class="upload-progress" data-role="progress" hidden>
          <span class="upload-name" data-role="name"></span>
          <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="0"
               data-role="bar"><span style="width:0%"></span></div>
          <span class="upload-bytes" data-role="bytes" aria-live="polite"></span>
          <button type="button" class="btn btn-secondary upload-cancel" data-role="cancel"></button>
        </div>
      </div>`;
    const part = (role) => node.querySelector(`[data-role="${role}"]`);
    const ui = { input: part("input"), zone: part("dropzone"), progress: part("progress"), bar: part("bar"),
                 bytes: part("bytes"), cancel: part("cancel"), name: part("name"), label: node.querySelector("label"),
                 hint: part("hint"), xhr: null };
    node._chorale = ui;
    const size = (n, big) => (n / (big ? 1048576 : 1024)).toLocaleString(document.documentElement.lang || "fr",
                                                                       { minimumFractionDigits: big ? 1 : 0, maximumFractionDigits: big ? 1 : 0 });
    const show = (loaded, total) => {
      const percent = total ? Math.round((loaded / total) * 100) : 0;
      const big = total >= 1048576;
      const unit = big ? text("unitLabel", "Mo") : text("smallUnitLabel", "Ko");
      ui.bar.setAttribute("aria-valuenow", String(percent));
      ui.bar.firstElementChild.style.width = percent + "%";
      ui.bytes.textContent = `${size(loaded, big)} / ${size(total, big)} ${unit} (${percent} %)`;
    };
    const finish = () => {
      ui.xhr = null;
      ui.progress.hidden = true;
      ui.input.disabled = !!node._props.disabled;
      ui.input.value = "";
    };
    const send = (file) => {
      if (!file || ui.xhr) return;
      const max = node._props.maxBytes || node._props.max_bytes;
      if (max && file.size > max) {
        call("onError", { code: "fichier_trop_volumineux", message: text("tooLargeMessage", "Le fichier dépasse 30 Mo."),
                          name: file.name, size: file.size });
        ui.input.value = "";
        return;
      }
      let url = node._props.url;
      const from = node._props.paramsFrom || node._props.params_from || {};
      for (const [name, id] of Object.entries(from)) {
        const field = document.getElementById(id);
        if (field) url += (url.includes("?") ? "&" : "?") + encodeURIComponent(name) + "=" + encodeURIComponent(field.value);
      }
      const xhr = new XMLHttpRequest();
      ui.xhr = xhr;
      xhr.open("POST", url + (url.includes("?") ? "&" : "?") + "name=" + encodeURIComponent(file.name));
      xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
      xhr.setRequestHeader("Accept", "application/json");
      let last = 0;
      xhr.upload.onprogress = (e) => {
        show(e.loaded, e.total || file.size);
        const now = Date.now();
        if (now - last > 150 || e.loaded === e.total) {
          last = now;
          call("onProgress", { loaded: e.loaded, total: e.total || file.size });
        }
      };
      xhr.onload = () => {
        let body = null;
        try { body = JSON.parse(xhr.responseText); } catch (_) { body = null; }
        finish();
        if (xhr.status >= 200 && xhr.status < 300) call("onDone", body || {});
        else call("onError", body || { code: "erreur", status: xhr.status, message: text("errorMessage", "L'envoi a échoué.") });
      };
      xhr.onerror = () => {
        finish();
        call("onError", { code: "reseau", message: text("networkMessage", "L'envoi a été interrompu (réseau).") });
      };
      xhr.onabort = () => {
        finish();
        call("onError", { code: "annule", message: text("cancelledMessage", "Envoi annulé.") });
      };
      ui.name.textContent = file.name;
      ui.progress.hidden = false;
      ui.input.disabled = true;
      show(0, file.size);
      call("onStart", { name: file.name, size: file.size, type: file.type });
      xhr.send(file);
    };
    // props.submitId: the file is only chosen (onChosen({name, size})) and sent when the element with that
    // id is clicked (« Continuer »), so the choices beside it can be made or changed after the file.
    const submitId = () => node._props.submitId || node._props.submit_id;
    const pick = (file) => {
      if (!file) return;
      if (!submitId()) { send(file); return; }
      ui.pending = file;
      call("onChosen", { name: file.name, size: file.size });
    };
    const onSubmit = (e) => {
      const id = submitId();
      if (!id || !ui.pending || !e.target.closest || !e.target.closest("#" + CSS.escape(id))) return;
      const file = ui.pending;
      ui.pending = null;
      send(file);
    };
    document.addEventListener("click", onSubmit);
    ui.input.addEventListener("change", () => pick(ui.input.files && ui.input.files[0]));
    ui.cancel.addEventListener("click", () => { if (ui.xhr) ui.xhr.abort(); });
    ui.zone.addEventListener("dragover", (e) => { e.preventDefault(); ui.zone.classList.add("dragging"); });
    ui.zone.addEventListener("dragleave", () => ui.zone.classList.remove("dragging"));
    ui.zone.addEventListener("drop", (e) => {
      e.preventDefault();
      ui.zone.classList.remove("dragging");
      if (!node._props.disabled) pick(e.dataTransfer.files && e.dataTransfer.files[0]);
    });
    node._choraleCleanup = () => { if (ui.xhr) ui.xhr.abort(); document.removeEventListener("click", onSubmit); };
  }
  const ui = node._chorale;
  ui.label.textContent = text("label", "Choisir un fichier");
  ui.label.classList.toggle("required", !!props.required);  // the red asterisk of every required field
  ui.hint.textContent = text("hint", "");
  ui.cancel.textContent = text("cancelLabel", "Annuler l'envoi");
  if (props.accept) ui.input.setAttribute("accept", props.accept);
  if (props.describedBy) ui.input.setAttribute("aria-describedby", props.describedBy);
  if (props.required) ui.input.setAttribute("aria-required", "true");
  if (!ui.xhr) ui.input.disabled = !!props.disabled;
  ui.zone.classList.toggle("disabled", !!props.disabled);
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), ' +
  'textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
const focusables = (root) => Array.from(root.querySelectorAll(FOCUSABLE)).filter((el) => el.getClientRects().length > 0);
const focusLost = () => !document.activeElement || document.activeElement === document.body;
const MODAL = '[role="dialog"][aria-modal="true"], [role="alertdialog"][aria-modal="true"]';
// The last element focused outside any modal dialog: where focus goes back when a dialog closes. Kept
// from the module's load (UrlSync loads it with the app), since a dialog's autofocus may move focus
// before its DialogFocus has run.
let lastOutsideDialog = null;
document.addEventListener("focusin", (e) => { if (!e.target.closest || !e.target.closest(MODAL)) lastOutsideDialog = e.target; });

// WAI-ARIA tabs, for every [role=tablist] (components/tabs.py): Left/Right move to the previous/next tab
// (wrapping), Home/End to the first/last, and the tab reached is selected (a click, so the server's handler
// runs); the server then gives it tabindex 0 (roving tabindex).
document.addEventListener("keydown", (e) => {
  const tab = e.target.closest && e.target.closest('[role="tab"]');
  const list = tab && tab.closest('[role="tablist"]');
  if (!list || e.altKey || e.ctrlKey || e.metaKey) return;
  const tabs = Array.from(list.querySelectorAll('[role="tab"]'));
  const i = tabs.indexOf(tab), n = tabs.length;
  const next = { ArrowRight: (i + 1) % n, ArrowLeft: (i - 1 + n) % n, Home: 0, End: n - 1 }[e.key];
  if (next === undefined) return;
  e.preventDefault();
  tabs[next].focus();
  tabs[next].click();
});

// Rendered inside a modal dialog (components/dialog.py): takes focus when the dialog opens (the element
// marked data-autofocus, else the first focusable one: the safe action of a confirmation), keeps Tab and
// Shift+Tab inside it, and gives focus back to what had it once the dialog is gone. ReactPy does not tell
// an imported component it was removed, so removal is noticed with a MutationObserver.
export function DialogFocus(node) {
  if (node._choraleInit) return;
  node._choraleInit = true;
  const dialog = node.closest('[role="dialog"], [role="alertdialog"]');
  if (!dialog) return;
  const before = lastOutsideDialog;
  const first = dialog.querySelector("[data-autofocus], [autofocus]") || focusables(dialog)[0] || dialog;
  first.focus();
  const onKey = (e) => {
    if (e.key !== "Tab") return;
    const items = focusables(dialog);
    if (!items.length) { e.preventDefault(); return; }
    const index = items.indexOf(document.activeElement);
    if (e.shiftKey && index <= 0) { e.preventDefault(); items[items.length - 1].focus(); }
    else if (!e.shiftKey && (index === -1 || index === items.length - 1)) { e.preventDefault(); items[0].focus(); }
  };
  const onFocusIn = (e) => { if (dialog.isConnected && !dialog.contains(e.target)) (focusables(dialog)[0] || dialog).focus(); };
  document.addEventListener("keydown", onKey, true);
  document.addEventListener("focusin", onFocusIn);
  const observer = new MutationObserver(() => {
    if (dialog.isConnected) return;
    observer.disconnect();
    document.removeEventListener("keydown", onKey, true);
    document.removeEventListener("focusin", onFocusIn);
    if (focusLost() && before && before.isConnected) before.focus();
  });
  observer.observe(document.body, { childList: true, subtree: true });
}

// Puts focus back in the form when the element that had it was replaced by a re-render (a suggestion
// chosen in the SIRET autocomplete replaces its input with the chosen structure): props.targetId gets it,
// or else the first focusable element after the enclosing props.after (default ".field"). Armed once, by
// the user's own action (props.armed), and only ever when focus really went to <body>.
const RESTORE_WATCH_MS = 2000;
export function RestoreFocus(node, props) {
  if (!props.armed || node._choraleDone) return;
  node._choraleDone = true;
  const restore = () => {
    if (!focusLost() || !node.isConnected) return;
    if (props.targetId) {
      const target = document.getElementById(props.targetId);
      if (target) { target.focus(); return; }
    }
    const container = node.closest(props.after || ".field") || node;
    const next = focusables(document).find((el) => !container.contains(el) &&
      (container.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING));
    if (next) next.focus();
  };
  restore();
  // The choice's own re-renders follow in separate updates (the recipient's services and requirements load
  // once it is chosen) and may replace the very field just focused, or remove the old input only now: for
  // a moment, focus that falls back to <body> after a change of the page is given back the same way.
  const observer = new MutationObserver(restore);
  observer.observe(document.body, { childList: true, subtree: true });
  setTimeout(() => observer.disconnect(), RESTORE_WATCH_MS);
}
