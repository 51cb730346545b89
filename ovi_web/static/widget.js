/*
 * Ovi chat widget: vanilla JavaScript, no build step, embeddable on any site with one tag:
 *
 *   <script src="https://ovi.example/widget.js" data-rasa-url="https://ovi.example:5005"></script>
 *
 * The embedding site's origin must be listed in OVI_ALLOWED_ORIGINS on the Ovi server (Rasa and the web
 * app answer CORS only for those origins).
 *
 * Options (data- attributes of the script tag):
 *   data-rasa-url        Rasa server base URL; the widget posts to its REST channel.
 *   data-container       CSS selector of an element to render the chat into. Without it (and without an
 *                        element #ovi-chat on the page) the chat opens from a floating launcher button.
 *   data-exit-url        Where "Poistu nopeasti" goes (http(s) only); default: the Finnish Meteorological
 *                        Institute's front page, a neutral page nobody has to explain.
 *   data-retention-days  How long the server keeps conversations, for the privacy notice.
 *
 * The web app that serves this file is found from the script's own src, so the error report and the
 * privacy page work when the widget is embedded on another site.
 *
 * Residents' messages are sensitive: nothing here writes them to the console or to any log. The
 * conversation id and the transcript (the messages' data, never HTML) live in sessionStorage, which the
 * browser drops with the tab; never in localStorage or cookies. "Aloita alusta" and "Poistu nopeasti"
 * (also: Escape twice; when embedded, with the focus in the widget) delete them. Bot text and anything else from the network is inserted as text
 * (textContent), never as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__oviWidgetLoaded) {
    return;
  }
  window.__oviWidgetLoaded = true;

  var RASA_URL = (script.getAttribute("data-rasa-url") || "http://localhost:5005").replace(/\/+$/, "");
  var WEBHOOK = RASA_URL + "/webhooks/rest/webhook";
  var BASE_URL = new URL(script.src, window.location.href).origin;
  var REPORT_URL = BASE_URL + "/api/virheilmoitukset";
  var PRIVACY_URL = BASE_URL + "/tietosuoja";
  var CONTAINER_SELECTOR = script.getAttribute("data-container") || "#ovi-chat";
  var DEFAULT_EXIT_URL = "https://www.ilmatieteenlaitos.fi/";
  var TIMEOUT_MS = 30000;
  var KEY_PREFIX = "ovi.";
  var SENDER_KEY = "ovi.sender";
  var TRANSCRIPT_KEY = "ovi.transcript";
  var OPEN_KEY = "ovi.open";
  var TRANSCRIPT_MAX = 200; // entries; older ones are dropped first
  var OPEN_NOW_FRESH_MS = 15 * 60 * 1000; // "auki nyt" from an older reply is no longer shown
  var DOUBLE_ESCAPE_MS = 800;
  var REPORT_MAX = 2000;

  var TEXT = {
    title: "Ovi – apua oikeaan paikkaan",
    intro: "Hei! Kerro omin sanoin, mihin tarvitset apua.",
    privacyTitle: "Ennen kuin kirjoitat",
    privacyNoName: "Älä kirjoita nimeäsi, henkilötunnustasi tai muita tunnistetietoja.",
    privacyServer: "Keskustelu tallentuu Ovin palvelimelle ilman nimiä ja henkilötunnuksia ",
    privacyServerDays: "enintään {days} päiväksi, ",
    privacyServerLimited: "rajatuksi ajaksi, ",
    privacyServerEnd: "ja poistetaan sen jälkeen.",
    privacyBrowser: "Tässä selaimessa keskustelu säilyy vain tämän välilehden ajan. Poistu nopeasti " +
      "-painike (tai Esc kahdesti) vaihtaa sivun ja poistaa keskustelun selaimesta.",
    privacyLink: "Lue lisää tietosuojasta",
    emergency: "Hätätilanteessa soita ",
    emergencyNumber: "112",
    label: "Kirjoita viestisi",
    placeholder: "Kirjoita viestisi…",
    send: "Lähetä",
    typing: "Ovi kirjoittaa…",
    log: "Keskustelu",
    error: "Yhteys palvelimeen katkesi. Yritä hetken päästä uudelleen. Hätätilanteessa soita 112.",
    open: "Avaa Ovi-keskustelu",
    openClose: "Sulje Ovi-keskustelu",
    close: "Sulje keskustelu",
    restart: "Aloita alusta",
    restartLabel: "Aloita alusta: tyhjennä keskustelu ja aloita uusi",
    exit: "Poistu nopeasti",
    exitLabel: "Poistu nopeasti: vaihtaa sivun ja poistaa keskustelun selaimesta (myös Esc kahdesti)",
    services: "Palveluehdotukset",
    phone: "Puhelin",
    web: "Verkkosivut",
    address: "Osoite",
    map: "Näytä kartalla",
    hours: "Aukioloajat",
    openNow: "Auki nyt",
    alwaysOpen: "Auki aina (24/7)",
    closedNow: "Suljettu nyt",
    newWindow: "(avautuu uuteen ikkunaan)",
    report: "Ilmoita virheestä",
    reportLabel: "Mikä palvelun tiedoissa on väärin?",
    reportNote: "Älä kirjoita henkilötietoja.",
    reportSend: "Lähetä ilmoitus",
    reportCancel: "Peruuta",
    reportEmpty: "Kirjoita, mikä tiedoissa on väärin.",
    reportTooLong: "Ilmoitus on liian pitkä (enintään 2000 merkkiä).",
    reportDone: "Kiitos! Ilmoitus virheestä lähetettiin Ovin ylläpidolle.",
    reportFailed: "Ilmoituksen lähettäminen epäonnistui. Yritä hetken päästä uudelleen.",
  };
  var PROVIDER_LABELS = {
    ngo: "järjestö",
    public: "julkinen palvelu",
    parish: "seurakunta",
    private: "yksityinen",
  };

  // --- helpers ---------------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function button(className, text, label) {
    var node = el("button", className, text);
    node.type = "button";
    if (label) {
      node.setAttribute("aria-label", label);
    }
    return node;
  }

  function randomId() {
    var cryptoObj = window.crypto || window.msCrypto;
    if (cryptoObj && typeof cryptoObj.randomUUID === "function") {
      return cryptoObj.randomUUID();
    }
    var bytes = new Uint8Array(16);
    if (cryptoObj && cryptoObj.getRandomValues) {
      cryptoObj.getRandomValues(bytes);
    } else {
      for (var i = 0; i < bytes.length; i++) {
        bytes[i] = Math.floor(Math.random() * 256);
      }
    }
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  // sessionStorage can be unavailable (privacy modes, sandboxed iframes): fall back to memory, which
  // keeps the conversation going until a reload.
  var memory = {};
  var store = {
    get: function (key) {
      try {
        return window.sessionStorage.getItem(key);
      } catch (e) {
        return memory.hasOwnProperty(key) ? memory[key] : null;
      }
    },
    // False only when the storage is full (the caller then drops old entries); unavailable storage
    // falls back to memory.
    set: function (key, value) {
      try {
        window.sessionStorage.setItem(key, value);
        return true;
      } catch (e) {
        if (e && (e.name === "QuotaExceededError" || e.code === 22)) {
          return false;
        }
        memory[key] = value;
        return true;
      }
    },
    clear: function () {
      memory = {};
      try {
        var ours = [];
        for (var i = 0; i < window.sessionStorage.length; i++) {
          var key = window.sessionStorage.key(i);
          if (key && key.indexOf(KEY_PREFIX) === 0) {
            ours.push(key);
          }
        }
        ours.forEach(function (key) {
          window.sessionStorage.removeItem(key);
        });
      } catch (e) {
        /* nothing stored, nothing to remove */
      }
    },
  };

  function senderId() {
    var stored = store.get(SENDER_KEY);
    if (stored) {
      return stored;
    }
    var fresh = randomId();
    store.set(SENDER_KEY, fresh);
    return fresh;
  }

  function safeHttpUrl(value) {
    // Only http(s) links: a "javascript:" URL in the directory must never become clickable.
    if (typeof value !== "string" || !value.trim()) {
      return null;
    }
    try {
      var url = new URL(value.trim(), window.location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  // A string or number from a payload as trimmed text; anything else (objects, null) as "".
  function plainText(value) {
    if (typeof value === "number" && isFinite(value)) {
      return String(value);
    }
    return typeof value === "string" ? value.trim() : "";
  }

  function telHref(phone) {
    var digits = String(phone).replace(/[^0-9+]/g, "");
    return digits ? "tel:" + digits : null;
  }

  // The card's own map search, else one built here: OpenStreetMap needs no account and tracks nobody.
  function mapHref(service, address) {
    var given = safeHttpUrl(service.map_url);
    if (given && given.indexOf("https://www.openstreetmap.org/") === 0) {
      return given;
    }
    return "https://www.openstreetmap.org/search?query=" + encodeURIComponent(address);
  }

  function newWindowLink(className, text, href) {
    var link = el("a", className, text);
    link.href = href;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    link.appendChild(document.createTextNode(" "));
    link.appendChild(el("span", "ovi-new-window", TEXT.newWindow));
    return link;
  }

  function ensureStylesheet() {
    if (document.querySelector("link[data-ovi-widget-css]")) {
      return;
    }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = new URL("widget.css", script.src).href;
    link.setAttribute("data-ovi-widget-css", "");
    document.head.appendChild(link);
  }

  function exitUrl() {
    return safeHttpUrl(script.getAttribute("data-exit-url")) || DEFAULT_EXIT_URL;
  }

  function retentionDays() {
    var days = parseFloat(script.getAttribute("data-retention-days") || "");
    return isFinite(days) && days > 0 ? Math.round(days * 10) / 10 : null;
  }

  // --- the transcript: what a reload re-renders (data only; sessionStorage) -------------------------

  function Transcript() {
    this.entries = [];
    try {
      var saved = JSON.parse(store.get(TRANSCRIPT_KEY) || "[]");
      if (Array.isArray(saved)) {
        this.entries = saved.filter(function (entry) {
          return entry && typeof entry === "object";
        });
      }
    } catch (e) {
      this.entries = [];
    }
  }

  Transcript.prototype.add = function (entry) {
    entry.t = Date.now();
    this.entries.push(entry);
    this.save();
    return entry;
  };

  Transcript.prototype.save = function () {
    while (this.entries.length > TRANSCRIPT_MAX) {
      this.entries.shift();
    }
    // Over the storage quota: drop the oldest entries until it fits (or nothing is left).
    while (!store.set(TRANSCRIPT_KEY, JSON.stringify(this.entries)) && this.entries.length) {
      this.entries.shift();
    }
  };

  Transcript.prototype.clear = function () {
    this.entries = [];
  };

  // Only the parts of a Rasa message the widget renders are kept.
  function storableMessage(message) {
    var kept = {};
    if (typeof message.text === "string") {
      kept.text = message.text;
    }
    if (Array.isArray(message.buttons)) {
      kept.buttons = message.buttons;
    }
    if (message.custom && typeof message.custom === "object") {
      kept.custom = message.custom;
    }
    return kept;
  }

  // --- the widget's frame ------------------------------------------------------------------------

  function privacyNotice() {
    var box = el("div", "ovi-privacy");
    box.appendChild(el("p", "ovi-privacy-title", TEXT.privacyTitle));
    box.appendChild(el("p", "ovi-privacy-strong", TEXT.privacyNoName));
    var days = retentionDays();
    var server =
      TEXT.privacyServer +
      (days ? TEXT.privacyServerDays.replace("{days}", String(days)) : TEXT.privacyServerLimited) +
      TEXT.privacyServerEnd;
    box.appendChild(el("p", null, server));
    box.appendChild(el("p", null, TEXT.privacyBrowser));
    var more = el("p");
    more.appendChild(newWindowLink("ovi-privacy-link", TEXT.privacyLink, PRIVACY_URL));
    box.appendChild(more);
    return box;
  }

  function build(host, floating) {
    var root = el("section", "ovi-widget" + (floating ? " ovi-floating" : ""));
    root.id = "ovi-panel";
    root.setAttribute("aria-label", TEXT.title);

    var header = el("div", "ovi-header");
    var top = el("div", "ovi-header-top");
    top.appendChild(el("h2", "ovi-title", TEXT.title));
    var close = null;
    if (floating) {
      close = button("ovi-close", "×", TEXT.close);
      top.appendChild(close);
    }
    header.appendChild(top);
    // The standing emergency notice lives here, always visible, rather than in every reply.
    var emergency = el("p", "ovi-header-emergency", TEXT.emergency);
    var emergencyLink = el("a", null, TEXT.emergencyNumber);
    emergencyLink.href = telHref(TEXT.emergencyNumber);
    emergency.appendChild(emergencyLink);
    header.appendChild(emergency);
    var tools = el("div", "ovi-tools");
    // Quick exit first in the tab order of the panel: someone may be looking over the resident's shoulder.
    var exit = button("ovi-exit", TEXT.exit, TEXT.exitLabel);
    var restart = button("ovi-restart", TEXT.restart, TEXT.restartLabel);
    tools.appendChild(exit);
    tools.appendChild(restart);
    header.appendChild(tools);
    root.appendChild(header);

    var log = el("div", "ovi-log");
    log.id = "ovi-log";
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-label", TEXT.log);
    log.tabIndex = 0; // scrollable region must be reachable by keyboard
    root.appendChild(log);

    var typing = el("div", "ovi-typing", TEXT.typing);
    typing.id = "ovi-typing";
    typing.setAttribute("role", "status");
    typing.hidden = true;
    root.appendChild(typing);

    var form = el("form", "ovi-form");
    form.setAttribute("autocomplete", "off");
    var label = el("label", "ovi-sr-only", TEXT.label);
    label.htmlFor = "ovi-input";
    var input = el("input", "ovi-input");
    input.id = "ovi-input";
    input.type = "text";
    input.name = "message";
    input.placeholder = TEXT.placeholder;
    input.maxLength = 1000;
    input.setAttribute("autocomplete", "off");
    var send = el("button", "ovi-send", TEXT.send);
    send.type = "submit";
    send.id = "ovi-send";
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(send);
    root.appendChild(form);

    var launcher = null;
    if (floating) {
      launcher = button("ovi-launcher", TEXT.open);
      launcher.setAttribute("aria-expanded", "false");
      launcher.setAttribute("aria-controls", root.id);
      root.hidden = true;
      host.appendChild(launcher);
    }
    host.appendChild(root);
    return {
      root: root, log: log, typing: typing, form: form, input: input, send: send,
      launcher: launcher, close: close, exit: exit, restart: restart,
    };
  }

  // --- the conversation --------------------------------------------------------------------------

  function Chat(ui) {
    this.ui = ui;
    this.pending = false;
    this.generation = 0; // a reply to an abandoned conversation (restart) is dropped
    this.transcript = new Transcript();
    this.reports = 0;
  }

  Chat.prototype.scroll = function () {
    this.ui.log.scrollTop = this.ui.log.scrollHeight;
  };

  Chat.prototype.append = function (node) {
    this.ui.log.appendChild(node);
    this.scroll();
  };

  Chat.prototype.intro = function () {
    this.ui.log.appendChild(el("p", "ovi-intro", TEXT.intro));
    this.ui.log.appendChild(privacyNotice());
  };

  Chat.prototype.addUser = function (text) {
    this.append(el("div", "ovi-msg ovi-user", text));
  };

  Chat.prototype.addError = function () {
    this.append(el("div", "ovi-msg ovi-error", TEXT.error));
  };

  Chat.prototype.setPending = function (pending) {
    this.pending = pending;
    this.ui.typing.hidden = !pending;
    this.ui.send.disabled = pending;
    this.ui.log.setAttribute("aria-busy", pending ? "true" : "false");
    if (pending) {
      this.scroll();
    }
  };

  Chat.prototype.renderButtons = function (buttons, entry) {
    var self = this;
    var group = el("div", "ovi-buttons");
    buttons.forEach(function (spec, index) {
      if (!spec || (spec.payload === undefined && spec.title === undefined)) {
        return;
      }
      var title = spec.title !== undefined ? String(spec.title) : String(spec.payload);
      var payload = spec.payload !== undefined ? String(spec.payload) : title;
      var node = button("ovi-button", title);
      node.addEventListener("click", function () {
        if (self.pending) {
          return;
        }
        // A choice is made once: the group is spent after the first click (also after a reload).
        spend(group, node);
        if (entry) {
          entry.chosen = index;
          self.transcript.save();
        }
        self.send(payload, title);
      });
      group.appendChild(node);
      if (entry && entry.chosen !== undefined) {
        node.disabled = true;
        if (entry.chosen === index) {
          node.classList.add("ovi-chosen");
        }
      }
    });
    return group.childNodes.length ? group : null;
  };

  function spend(group, chosen) {
    Array.prototype.forEach.call(group.querySelectorAll("button"), function (b) {
      b.disabled = true;
    });
    chosen.classList.add("ovi-chosen");
  }

  // "Auki nyt" is true when the reply came; a card restored from an older reply shows only its hours.
  function openBadge(service, fresh) {
    if (service.always_open === true) {
      return el("span", "ovi-badge ovi-badge-open", TEXT.alwaysOpen);
    }
    if (!fresh || typeof service.open_now !== "boolean") {
      return null;
    }
    if (service.open_now) {
      return el("span", "ovi-badge ovi-badge-open", TEXT.openNow);
    }
    return plainText(service.opening_hours) ? el("span", "ovi-badge ovi-badge-closed", TEXT.closedNow) : null;
  }

  Chat.prototype.renderService = function (service, fresh) {
    var item = el("li", "ovi-service");
    var providerType = PROVIDER_LABELS.hasOwnProperty(service.provider_type) ? service.provider_type : "";
    var serviceId = plainText(service.id);
    item.setAttribute("data-provider-type", providerType);
    item.setAttribute("data-service-id", serviceId);

    var head = el("div", "ovi-service-head");
    head.appendChild(el("h3", "ovi-service-name", plainText(service.name)));
    if (providerType) {
      head.appendChild(el("span", "ovi-badge ovi-badge-" + providerType, PROVIDER_LABELS[providerType]));
    }
    var badge = openBadge(service, fresh);
    if (badge) {
      head.appendChild(badge);
    }
    item.appendChild(head);
    if (plainText(service.organization)) {
      item.appendChild(el("p", "ovi-service-org", plainText(service.organization)));
    }
    if (plainText(service.why)) {
      item.appendChild(el("p", "ovi-service-why", plainText(service.why)));
    }

    var details = el("dl", "ovi-service-details");
    var addDetail = function (term, content) {
      details.appendChild(el("dt", "ovi-sr-only", term));
      var dd = el("dd");
      content.forEach(function (node) {
        dd.appendChild(node);
      });
      details.appendChild(dd);
    };
    var phoneText = plainText(service.phone);
    var href = phoneText ? telHref(phoneText) : null;
    if (href) {
      var phone = el("a", "ovi-service-phone", phoneText);
      phone.href = href;
      addDetail(TEXT.phone, [phone]);
    }
    var url = safeHttpUrl(service.url);
    if (url) {
      addDetail(TEXT.web, [newWindowLink("ovi-service-url", service.url.trim(), url)]);
    }
    if (plainText(service.opening_hours)) {
      addDetail(TEXT.hours, [el("span", "ovi-service-hours", plainText(service.opening_hours))]);
    }
    var address = plainText(service.address);
    if (address) {
      addDetail(TEXT.address, [
        el("span", "ovi-service-address", address),
        document.createTextNode(" "),
        newWindowLink("ovi-service-map", TEXT.map, mapHref(service, address)),
      ]);
    }
    if (details.childNodes.length) {
      item.appendChild(details);
    }
    if (serviceId) {
      item.appendChild(this.reportControl(serviceId, plainText(service.name)));
    }
    return item;
  };

  // --- "Ilmoita virheestä": a small inline form under the card ------------------------------------

  Chat.prototype.reportControl = function (serviceId, serviceName) {
    var self = this;
    var box = el("div", "ovi-report");
    var open = button("ovi-report-open", TEXT.report);
    open.setAttribute("aria-expanded", "false");
    if (serviceName) {
      open.setAttribute("aria-label", TEXT.report + ": " + serviceName);
    }
    box.appendChild(open);
    open.addEventListener("click", function () {
      if (box.querySelector("form")) {
        box.querySelector("textarea").focus();
        return;
      }
      var done = box.querySelector(".ovi-report-result");
      if (done) {
        box.removeChild(done);
      }
      self.reports += 1;
      var form = reportForm("ovi-report-" + self.reports);
      box.appendChild(form.node);
      open.setAttribute("aria-expanded", "true");
      open.setAttribute("aria-controls", form.node.id);
      form.text.focus();
      form.node.scrollIntoView({ block: "nearest" }); // the buttons too, not just the textarea
      var closeForm = function (resultText, failed) {
        box.removeChild(form.node);
        open.setAttribute("aria-expanded", "false");
        open.removeAttribute("aria-controls");
        if (!resultText) {
          open.focus();
          return;
        }
        // Inside the log (aria-live="polite"), so the result is read out; focus goes to it as well.
        var result = el("p", "ovi-report-result" + (failed ? " ovi-report-failed" : ""), resultText);
        result.tabIndex = -1;
        box.appendChild(result);
        result.focus();
      };
      form.cancel.addEventListener("click", function () {
        closeForm(null);
      });
      form.node.addEventListener("keydown", function (event) {
        if (event.key === "Escape") {
          event.stopPropagation(); // Escape here cancels the form, it does not close the chat
          closeForm(null);
        }
      });
      form.node.addEventListener("submit", function (event) {
        event.preventDefault();
        var message = form.text.value.trim();
        if (!message || message.length > REPORT_MAX) {
          form.problem(message ? TEXT.reportTooLong : TEXT.reportEmpty);
          return;
        }
        form.busy(true);
        postReport(serviceId, message).then(function (outcome) {
          if (outcome.ok) {
            closeForm(TEXT.reportDone, false);
          } else if (outcome.error) {
            form.busy(false);
            form.problem(outcome.error);
          } else {
            closeForm(TEXT.reportFailed, true);
          }
        });
      });
    });
    return box;
  };

  function reportForm(id) {
    var node = el("form", "ovi-report-form");
    node.id = id;
    node.noValidate = true;
    var label = el("label", "ovi-report-label", TEXT.reportLabel);
    label.htmlFor = id + "-text";
    var note = el("p", "ovi-report-note", TEXT.reportNote);
    note.id = id + "-note";
    var problemNode = el("p", "ovi-report-problem");
    problemNode.id = id + "-problem";
    problemNode.hidden = true;
    var text = el("textarea", "ovi-report-text");
    text.id = id + "-text";
    text.rows = 3;
    text.maxLength = REPORT_MAX;
    text.setAttribute("aria-describedby", note.id);
    text.addEventListener("input", function () {
      // The problem is fixed as soon as something is written: do not leave a stale error in view.
      if (!problemNode.hidden && text.value.trim()) {
        problemNode.hidden = true;
        text.removeAttribute("aria-invalid");
        text.setAttribute("aria-describedby", note.id);
      }
    });
    var actions = el("div", "ovi-report-actions");
    var submit = el("button", "ovi-report-send", TEXT.reportSend);
    submit.type = "submit";
    var cancel = button("ovi-report-cancel", TEXT.reportCancel);
    actions.appendChild(submit);
    actions.appendChild(cancel);
    node.appendChild(label);
    node.appendChild(note);
    node.appendChild(text);
    node.appendChild(problemNode);
    node.appendChild(actions);
    return {
      node: node,
      text: text,
      cancel: cancel,
      problem: function (message) {
        problemNode.textContent = message;
        problemNode.hidden = false;
        text.setAttribute("aria-invalid", "true");
        text.setAttribute("aria-describedby", note.id + " " + problemNode.id);
        text.focus();
      },
      busy: function (on) {
        submit.disabled = on;
        cancel.disabled = on;
      },
    };
  }

  // Resolves to {ok: true}, {error: "<the server's Finnish message>"} or {} (no usable answer).
  function postReport(serviceId, message) {
    return fetch(REPORT_URL, {
      method: "POST",
      mode: "cors",
      credentials: "omit", // no cookies: the report is anonymous
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ service_id: serviceId, message: message, source: "widget" }),
    })
      .then(function (response) {
        return response.json().then(
          function (body) {
            if (response.status === 201) {
              return { ok: true };
            }
            return body && typeof body.error === "string" ? { error: body.error } : {};
          },
          function () {
            return {};
          }
        );
      })
      .catch(function () {
        return {};
      });
  }

  // --- bot messages ------------------------------------------------------------------------------

  // Crisis help: 112 and the right 24/7 lines as a banner (role="alert") above the message's text.
  // Lines without a usable phone number are skipped; with none left the payload is ignored.
  Chat.prototype.renderCrisis = function (custom) {
    if (!Array.isArray(custom.lines)) {
      return null;
    }
    var banner = el("div", "ovi-crisis");
    banner.setAttribute("role", "alert");
    if (typeof custom.kind === "string" && /^[a-z_]{1,40}$/.test(custom.kind)) {
      banner.setAttribute("data-crisis-kind", custom.kind);
    }
    var list = el("ul", "ovi-crisis-lines");
    custom.lines.forEach(function (line) {
      if (!line || typeof line !== "object") {
        return;
      }
      var phone = plainText(line.phone);
      var href = phone ? telHref(phone) : null;
      if (!href) {
        return;
      }
      // The first line (the emergency number 112) is the most prominent one.
      var item = el("li", "ovi-crisis-line" + (list.childNodes.length ? "" : " ovi-crisis-primary"));
      var name = plainText(line.name);
      if (name) {
        item.appendChild(el("span", "ovi-crisis-name", name));
      }
      var link = el("a", "ovi-crisis-phone", phone);
      link.href = href;
      item.appendChild(link);
      var available = plainText(line.available);
      if (available) {
        item.appendChild(el("span", "ovi-crisis-available", available));
      }
      list.appendChild(item);
    });
    if (!list.childNodes.length) {
      return null;
    }
    banner.appendChild(list);
    return banner;
  };

  Chat.prototype.renderCustom = function (custom, fresh) {
    if (!custom || typeof custom !== "object") {
      return null;
    }
    if (custom.type === "crisis") {
      return this.renderCrisis(custom);
    }
    if (custom.type !== "service_list" || !Array.isArray(custom.services)) {
      return null; // unknown custom payloads are not for this widget
    }
    var list = el("ul", "ovi-service-list");
    list.setAttribute("aria-label", TEXT.services);
    var self = this;
    custom.services.forEach(function (service) {
      if (service && typeof service === "object") {
        list.appendChild(self.renderService(service, fresh));
      }
    });
    return list.childNodes.length ? list : null;
  };

  // One Rasa message becomes one .ovi-msg.ovi-bot element: a crisis banner, its text, service cards
  // and buttons, in that order. ``entry`` is its transcript entry (where a button choice is kept).
  Chat.prototype.renderMessage = function (message, entry) {
    if (!message || typeof message !== "object") {
      return;
    }
    var fresh = !entry || !entry.t || Date.now() - entry.t < OPEN_NOW_FRESH_MS;
    var node = el("div", "ovi-msg ovi-bot");
    var custom = message.custom ? this.renderCustom(message.custom, fresh) : null;
    var crisis = custom && custom.classList.contains("ovi-crisis");
    if (crisis) {
      node.classList.add("ovi-crisis-msg");
      node.appendChild(custom);
    }
    if (typeof message.text === "string" && message.text) {
      node.appendChild(el("div", "ovi-text", message.text));
    }
    if (custom && !crisis) {
      node.classList.add("ovi-services");
      node.appendChild(custom);
    }
    var buttons = Array.isArray(message.buttons) ? this.renderButtons(message.buttons, entry) : null;
    if (buttons) {
      node.appendChild(buttons);
    }
    if (node.childNodes.length) {
      this.append(node);
    }
  };

  Chat.prototype.render = function (messages) {
    var self = this;
    var before = this.ui.log.childNodes.length;
    messages.forEach(function (message) {
      if (message && typeof message === "object") {
        self.renderMessage(message, self.transcript.add({ bot: storableMessage(message) }));
      }
    });
    // Crisis help must not scroll out of sight under the messages that follow it: show its top.
    var added = Array.prototype.slice.call(this.ui.log.childNodes, before);
    for (var i = 0; i < added.length; i++) {
      if (added[i].classList && added[i].classList.contains("ovi-crisis-msg")) {
        var log = this.ui.log;
        var offset = added[i].getBoundingClientRect().top - log.getBoundingClientRect().top;
        log.scrollTop = Math.max(0, log.scrollTop + offset - 8);
        break;
      }
    }
  };

  // The earlier messages of this tab's conversation, after a reload.
  Chat.prototype.restore = function () {
    var self = this;
    this.transcript.entries.forEach(function (entry) {
      if (typeof entry.user === "string") {
        self.addUser(entry.user);
      } else if (entry.bot && typeof entry.bot === "object") {
        self.renderMessage(entry.bot, entry);
      }
    });
  };

  Chat.prototype.send = function (message, shown) {
    var self = this;
    if (this.pending) {
      return;
    }
    var text = shown === undefined ? message : shown;
    this.addUser(text);
    this.transcript.add({ user: text });
    this.setPending(true);
    var generation = this.generation;
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    this.controller = controller;
    var timer = controller
      ? setTimeout(function () {
          controller.abort();
        }, TIMEOUT_MS)
      : null;
    fetch(WEBHOOK, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: senderId(), message: message }),
      signal: controller ? controller.signal : undefined,
      credentials: "omit",
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (messages) {
        if (!Array.isArray(messages)) {
          throw new Error("unexpected reply");
        }
        if (generation === self.generation) {
          self.render(messages);
        }
      })
      .catch(function () {
        // Deliberately no console output: it could end up next to the resident's message in bug reports.
        if (generation === self.generation) {
          self.addError();
        }
      })
      .then(function () {
        if (timer) {
          clearTimeout(timer);
        }
        if (generation === self.generation) {
          self.setPending(false);
          self.ui.input.focus();
        }
      });
  };

  // Forget this conversation in the browser: storage, transcript and the rendered messages.
  Chat.prototype.forget = function () {
    this.generation += 1;
    if (this.controller) {
      this.controller.abort();
    }
    store.clear();
    this.transcript.clear();
    while (this.ui.log.firstChild) {
      this.ui.log.removeChild(this.ui.log.firstChild);
    }
    this.setPending(false);
    this.ui.input.value = "";
  };

  // "Aloita alusta": a new conversation id (made on the next message) and an empty transcript.
  Chat.prototype.restart = function () {
    this.forget();
    this.intro();
    this.ui.input.focus();
  };

  // "Poistu nopeasti": forget everything, then replace this page in the history with a neutral one, so
  // Back does not return to the conversation.
  Chat.prototype.quickExit = function () {
    this.forget();
    this.ui.root.hidden = true;
    document.title = "";
    window.location.replace(exitUrl());
  };

  // --- start -------------------------------------------------------------------------------------

  function wire(ui, chat) {
    ui.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = ui.input.value.trim();
      if (!text || chat.pending) {
        ui.input.focus();
        return; // keep the unsent text in the input
      }
      ui.input.value = "";
      chat.send(text);
      ui.input.focus();
    });
    ui.restart.addEventListener("click", function () {
      chat.restart();
    });
    ui.exit.addEventListener("click", function () {
      chat.quickExit();
    });

    // Escape twice in a row: the quick exit without finding the button. On Ovi's own chat page anywhere;
    // embedded on another site only with the focus in the widget (its launcher included), so closing
    // the host site's own menus with Escape does not throw the resident off the page.
    var lastEscape = 0;
    document.addEventListener(
      "keydown",
      function (event) {
        if (event.key !== "Escape") {
          return;
        }
        var inWidget = ui.root.contains(event.target) || event.target === ui.launcher;
        if (ui.launcher && !inWidget) {
          lastEscape = 0;
          return;
        }
        var now = Date.now();
        if (now - lastEscape < DOUBLE_ESCAPE_MS) {
          chat.quickExit();
        }
        lastEscape = now;
      },
      true
    );

    if (!ui.launcher) {
      return;
    }
    var toggle = function (open, moveFocus) {
      ui.root.hidden = !open;
      ui.launcher.setAttribute("aria-expanded", open ? "true" : "false");
      ui.launcher.textContent = open ? TEXT.openClose : TEXT.open;
      store.set(OPEN_KEY, open ? "1" : "0");
      if (moveFocus) {
        (open ? ui.input : ui.launcher).focus();
      }
    };
    ui.launcher.addEventListener("click", function () {
      toggle(ui.root.hidden, true);
    });
    ui.close.addEventListener("click", function () {
      toggle(false, true);
    });
    ui.root.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        toggle(false, true);
      }
    });
    // A reload keeps the panel as it was; focus stays where the page puts it.
    if (store.get(OPEN_KEY) === "1") {
      toggle(true, false);
    }
  }

  function start() {
    ensureStylesheet();
    var host = document.querySelector(CONTAINER_SELECTOR);
    var ui = build(host || document.body, !host);
    var chat = new Chat(ui);
    chat.intro();
    chat.restore();
    wire(ui, chat);
    window.OviWidget = { rasaUrl: RASA_URL, webhook: WEBHOOK, baseUrl: BASE_URL };
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
