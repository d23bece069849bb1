// The AI assistant without page reloads: questions and "Hat das geholfen?" are sent with
// fetch, the answer is appended to the conversation (role="log", read out by screen readers),
// the keyboard focus stays in the question field. Without JavaScript every form posts and
// the server redirects back to the conversation – nothing here is needed for that.
//
// The server answers requests carrying the header X-Amtshilfe-Fragment with JSON:
// ask → {conversation_id, conversation_url, message_id, html}; feedback → {html}; errors → {errors: [...]}.
// Texts come from data-* attributes of the chat, so that they are translated by Django.
(function () {
  "use strict";
  if (window.amtshilfeAssistant) { return; }  // loaded once, even if included twice
  window.amtshilfeAssistant = true;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function send(url, body) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Amtshilfe-Fragment": "1", "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      }, function () {
        return { ok: false, status: response.status, data: {} };
      });
    });
  }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }

  function text(chat, name) { return chat.getAttribute("data-text-" + name) || ""; }

  function setStatus(chat, message, isError) {
    var status = chat.querySelector("[data-assistant-status]");
    if (!status) { return; }
    status.textContent = message;
    status.classList.toggle("assistant-status-error", Boolean(isError));
  }

  function showFieldError(field, message) {
    var errorId = field.id + "-error";
    var error = document.getElementById(errorId);
    if (!message) {
      if (error) { error.remove(); }
      field.removeAttribute("aria-invalid");
      field.setAttribute("aria-describedby", (field.getAttribute("aria-describedby") || "").replace(errorId, "").trim());
      return;
    }
    if (!error) {
      error = document.createElement("p");
      error.className = "error";
      error.id = errorId;
      field.insertAdjacentElement("afterend", error);
      field.setAttribute("aria-describedby", ((field.getAttribute("aria-describedby") || "") + " " + errorId).trim());
    }
    error.textContent = message;
    field.setAttribute("aria-invalid", "true");
  }

  function setBusy(chat, form, busy) {
    var log = chat.querySelector("[data-assistant-log]");
    var button = form.querySelector("[data-assistant-submit]");
    if (log) { log.setAttribute("aria-busy", busy ? "true" : "false"); }
    if (button) {
      if (!button.getAttribute("data-label")) { button.setAttribute("data-label", button.textContent); }
      button.disabled = busy;
      button.textContent = busy ? text(chat, "busy-button") : button.getAttribute("data-label");
    }
    form.setAttribute("aria-busy", busy ? "true" : "false");
  }

  function ask(chat, form) {
    var field = form.querySelector("textarea[name=question]");
    var conversation = form.querySelector("input[name=conversation]");
    var log = chat.querySelector("[data-assistant-log]");
    if (!field || !log || form.getAttribute("aria-busy") === "true") { return; }
    if (!field.value.trim()) {
      showFieldError(field, text(chat, "empty"));
      setStatus(chat, text(chat, "empty"), true);
      field.focus();
      return;
    }
    showFieldError(field, "");
    setBusy(chat, form, true);
    setStatus(chat, text(chat, "busy"), false);
    send(form.action, new FormData(form)).then(function (result) {
      setBusy(chat, form, false);
      if (!result.ok) {
        var errors = result.data.errors || [];
        var message = errors.length ? errors.join(" ") : text(chat, "failed");
        showFieldError(field, message);
        setStatus(chat, message, true);
        field.focus();
        return;
      }
      var empty = log.querySelector("[data-assistant-empty]");
      if (empty) { empty.remove(); }
      log.appendChild(fragment(result.data.html));
      if (conversation) { conversation.value = result.data.conversation_id; }
      // On the assistant's own page the address becomes the conversation's, so that a reload
      // or a bookmark shows it again (the widget and "Hilfe finden" leave the address alone).
      if (chat.hasAttribute("data-assistant-update-url") && result.data.conversation_url && window.history.replaceState) {
        window.history.replaceState(null, "", result.data.conversation_url);
      }
      chat.querySelectorAll("[data-assistant-new]").forEach(function (link) { link.hidden = false; });
      chat.querySelectorAll("[data-assistant-conversation-link]").forEach(function (link) {
        if (result.data.conversation_url) { link.href = result.data.conversation_url; link.hidden = false; }
      });
      field.value = "";
      setStatus(chat, text(chat, "done"), false);
      var added = log.lastElementChild;
      if (added && added.scrollIntoView) { added.scrollIntoView({ block: "nearest" }); }
      field.focus();
    }, function () {
      setBusy(chat, form, false);
      setStatus(chat, text(chat, "failed"), true);
      field.focus();
    });
  }

  function sendFeedback(chat, form, submitter) {
    var body = new FormData(form);
    if (submitter && submitter.name) { body.append(submitter.name, submitter.value); }
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (button) { button.disabled = true; });
    send(form.action, body).then(function (result) {
      buttons.forEach(function (button) { button.disabled = false; });
      if (!result.ok) {
        setStatus(chat, (result.data.errors || [text(chat, "failed")]).join(" "), true);
        return;
      }
      var box = form.closest("[data-assistant-feedback]") || form;
      var replacement = fragment(result.data.html);
      var done = replacement.querySelector("[data-assistant-feedback-done]");
      box.replaceWith(replacement);
      if (done) { done.focus(); }
    }, function () {
      buttons.forEach(function (button) { button.disabled = false; });
      setStatus(chat, text(chat, "failed"), true);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var chat = form.closest ? form.closest("[data-assistant-chat]") : null;
    if (!chat || !window.fetch) { return; }
    if (form.hasAttribute("data-assistant-form")) {
      event.preventDefault();
      ask(chat, form);
    } else if (form.hasAttribute("data-assistant-feedback-form")) {
      event.preventDefault();
      sendFeedback(chat, form, event.submitter);
    }
  });

  // Ctrl+Enter (Cmd+Enter on a Mac) sends the question; Enter alone starts a new line.
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) { return; }
    if (!field.matches || !field.matches("[data-assistant-form] textarea[name=question]")) { return; }
    event.preventDefault();
    if (field.form.requestSubmit) { field.form.requestSubmit(); } else { ask(field.closest("[data-assistant-chat]"), field.form); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-assistant-js-hint]").forEach(function (hint) { hint.hidden = false; });
    // The widget: opening it puts the focus into the question field; Escape closes it and
    // returns the focus to the button that opened it.
    document.querySelectorAll("[data-assistant-widget]").forEach(function (details) {
      var summary = details.querySelector("summary");
      details.addEventListener("toggle", function () {
        if (details.open) {
          var field = details.querySelector("textarea[name=question]");
          if (field) { field.focus(); }
        }
      });
      details.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && details.open) {
          details.open = false;
          if (summary) { summary.focus(); }
        }
      });
    });
  });
})();
