/*
 * Ovi chat widget: vanilla JavaScript, no build step, embeddable on any site:
 *
 *   <script src="https://ovi.example/widget.js" data-rasa-url="http://localhost:5005"></script>
 *
 * Options (data- attributes of the script tag):
 *   data-rasa-url   Rasa server base URL (required); the widget posts to its REST channel.
 *   data-container  CSS selector of an element to render the chat into. Without it (and without an
 *                   element #ovi-chat on the page) the chat opens from a floating button.
 *
 * Residents' messages are sensitive: nothing here writes them to the console or to storage. Only a
 * random conversation id is kept in sessionStorage so that a reload continues the same conversation.
 * Bot text is always inserted as text (textContent), never as HTML.
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
  var CONTAINER_SELECTOR = script.getAttribute("data-container") || "#ovi-chat";
  var TIMEOUT_MS = 30000;
  var SENDER_KEY = "ovi.sender";

  var TEXT = {
    title: "Ovi – apua oikeaan paikkaan",
    intro: "Hei! Kerro omin sanoin, mihin tarvitset apua.",
    emergency: "Hätätilanteessa soita ",
    emergencyNumber: "112",
    label: "Kirjoita viestisi",
    placeholder: "Kirjoita viestisi…",
    send: "Lähetä",
    typing: "Ovi kirjoittaa…",
    log: "Keskustelu",
    error: "Yhteys palvelimeen katkesi. Yritä hetken päästä uudelleen. Hätätilanteessa soita 112.",
    open: "Avaa Ovi-keskustelu",
    close: "Sulje keskustelu",
    services: "Palveluehdotukset",
    phone: "Puhelin",
    web: "Verkkosivut",
    address: "Osoite",
    hours: "Aukioloajat",
    newWindow: "(avautuu uuteen ikkunaan)",
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

  var memorySender = null;
  function senderId() {
    // sessionStorage can be unavailable (privacy modes, sandboxed iframes): fall back to memory.
    try {
      var stored = window.sessionStorage.getItem(SENDER_KEY);
      if (stored) {
        return stored;
      }
      var fresh = randomId();
      window.sessionStorage.setItem(SENDER_KEY, fresh);
      return fresh;
    } catch (e) {
      memorySender = memorySender || randomId();
      return memorySender;
    }
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

  // --- the widget --------------------------------------------------------------------------------

  function build(host, floating) {
    var root = el("section", "ovi-widget" + (floating ? " ovi-floating" : ""));
    root.setAttribute("aria-label", TEXT.title);

    var header = el("div", "ovi-header");
    var heading = el("div", "ovi-header-main");
    heading.appendChild(el("h2", "ovi-title", TEXT.title));
    // The standing emergency notice lives here, always visible, rather than in every reply.
    var emergency = el("p", "ovi-header-emergency", TEXT.emergency);
    var emergencyLink = el("a", null, TEXT.emergencyNumber);
    emergencyLink.href = telHref(TEXT.emergencyNumber);
    emergency.appendChild(emergencyLink);
    heading.appendChild(emergency);
    header.appendChild(heading);
    root.appendChild(header);

    var log = el("div", "ovi-log");
    log.id = "ovi-log";
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-label", TEXT.log);
    log.tabIndex = 0; // scrollable region must be reachable by keyboard
    log.appendChild(el("p", "ovi-intro", TEXT.intro));
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

    if (floating) {
      var launcher = el("button", "ovi-launcher", TEXT.open);
      launcher.type = "button";
      launcher.setAttribute("aria-expanded", "false");
      root.hidden = true;
      var close = el("button", "ovi-close", "×");
      close.type = "button";
      close.setAttribute("aria-label", TEXT.close);
      header.appendChild(close);
      var toggle = function (open) {
        root.hidden = !open;
        launcher.setAttribute("aria-expanded", open ? "true" : "false");
        (open ? input : launcher).focus();
      };
      launcher.addEventListener("click", function () {
        toggle(root.hidden);
      });
      close.addEventListener("click", function () {
        toggle(false);
      });
      host.appendChild(launcher);
    }
    host.appendChild(root);
    return { root: root, log: log, typing: typing, form: form, input: input, send: send };
  }

  function Chat(ui) {
    this.ui = ui;
    this.pending = false;
  }

  Chat.prototype.scroll = function () {
    this.ui.log.scrollTop = this.ui.log.scrollHeight;
  };

  Chat.prototype.append = function (node) {
    this.ui.log.appendChild(node);
    this.scroll();
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

  Chat.prototype.renderButtons = function (buttons) {
    var self = this;
    var group = el("div", "ovi-buttons");
    buttons.forEach(function (button) {
      if (!button || (button.payload === undefined && button.title === undefined)) {
        return;
      }
      var title = button.title !== undefined ? String(button.title) : String(button.payload);
      var payload = button.payload !== undefined ? String(button.payload) : title;
      var node = el("button", "ovi-button", title);
      node.type = "button";
      node.addEventListener("click", function () {
        if (self.pending) {
          return;
        }
        // A choice is made once: the group is spent after the first click.
        Array.prototype.forEach.call(group.querySelectorAll("button"), function (b) {
          b.disabled = true;
        });
        node.classList.add("ovi-chosen");
        self.send(payload, title);
      });
      group.appendChild(node);
    });
    return group.childNodes.length ? group : null;
  };

  Chat.prototype.renderService = function (service) {
    var item = el("li", "ovi-service");
    var providerType = PROVIDER_LABELS.hasOwnProperty(service.provider_type) ? service.provider_type : "";
    item.setAttribute("data-provider-type", providerType);
    item.setAttribute("data-service-id", service.id ? String(service.id) : "");

    var head = el("div", "ovi-service-head");
    head.appendChild(el("h3", "ovi-service-name", service.name || ""));
    if (providerType) {
      head.appendChild(el("span", "ovi-badge ovi-badge-" + providerType, PROVIDER_LABELS[providerType]));
    }
    item.appendChild(head);
    if (service.organization) {
      item.appendChild(el("p", "ovi-service-org", service.organization));
    }
    if (service.why) {
      item.appendChild(el("p", "ovi-service-why", service.why));
    }

    var details = el("dl", "ovi-service-details");
    var addDetail = function (term, content) {
      details.appendChild(el("dt", "ovi-sr-only", term));
      var dd = el("dd");
      dd.appendChild(content);
      details.appendChild(dd);
    };
    var href = service.phone ? telHref(service.phone) : null;
    if (href) {
      var phone = el("a", "ovi-service-phone", service.phone);
      phone.href = href;
      addDetail(TEXT.phone, phone);
    }
    var url = safeHttpUrl(service.url);
    if (url) {
      var link = el("a", "ovi-service-url", service.url);
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.appendChild(el("span", "ovi-sr-only", " " + TEXT.newWindow));
      addDetail(TEXT.web, link);
    }
    if (service.opening_hours) {
      addDetail(TEXT.hours, el("span", "ovi-service-hours", service.opening_hours));
    }
    if (service.address) {
      addDetail(TEXT.address, el("span", "ovi-service-address", service.address));
    }
    if (details.childNodes.length) {
      item.appendChild(details);
    }
    return item;
  };

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

  Chat.prototype.renderCustom = function (custom) {
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
        list.appendChild(self.renderService(service));
      }
    });
    return list.childNodes.length ? list : null;
  };

  // One Rasa message becomes one .ovi-msg.ovi-bot element: a crisis banner, its text, service cards
  // and buttons, in that order.
  Chat.prototype.renderMessage = function (message) {
    if (!message || typeof message !== "object") {
      return;
    }
    var node = el("div", "ovi-msg ovi-bot");
    var custom = message.custom ? this.renderCustom(message.custom) : null;
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
    var buttons = Array.isArray(message.buttons) ? this.renderButtons(message.buttons) : null;
    if (buttons) {
      node.appendChild(buttons);
    }
    if (node.childNodes.length) {
      this.append(node);
    }
  };

  Chat.prototype.render = function (messages) {
    var before = this.ui.log.childNodes.length;
    messages.forEach(this.renderMessage, this);
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

  Chat.prototype.send = function (message, shown) {
    var self = this;
    if (this.pending) {
      return;
    }
    this.addUser(shown === undefined ? message : shown);
    this.setPending(true);
    var controller = typeof AbortController === "function" ? new AbortController() : null;
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
        self.render(messages);
      })
      .catch(function () {
        // Deliberately no console output: it could end up next to the resident's message in bug reports.
        self.addError();
      })
      .then(function () {
        if (timer) {
          clearTimeout(timer);
        }
        self.setPending(false);
        self.ui.input.focus();
      });
  };

  function start() {
    ensureStylesheet();
    var host = document.querySelector(CONTAINER_SELECTOR);
    var floating = !host;
    var ui = build(host || document.body, floating);
    var chat = new Chat(ui);
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
    window.OviWidget = { rasaUrl: RASA_URL, webhook: WEBHOOK };
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
