// Kanban board: drag and drop, and the move buttons without a page load.
//
// Without JavaScript every card's move buttons post a form and the page reloads. With it:
// 1. A move (button, keyboard or drop) posts the same form with fetch and gets JSON back
//    ({message, level}); a stale move answers 409 with the message naming who moved it.
// 2. The board is then reloaded in place (GET of the current address with HX-Request, which
//    answers only the board) and the message goes to the live region #kanban-status.
// 3. After a move by button (mouse or keyboard) the focus returns to the same button of the
//    moved card, or to the card itself if that button is gone (e.g. now in the last column).
(function () {
  "use strict";

  var dragged = null; // the card being dragged
  var marker = null; // the drop line shown while dragging

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function announce(message, level) {
    var status = document.getElementById("kanban-status");
    if (!status) { return; }
    status.classList.remove("is-warning", "is-error");
    if (level === "warning" || level === "error") { status.classList.add("is-" + level); }
    // Empty first, so that the same text twice is announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function reloadBoard() {
    var board = document.getElementById("kanban-board");
    if (board) { board.classList.add("is-busy"); }
    return fetch(window.location.href, {
      headers: { "HX-Request": "true" },
      credentials: "same-origin",
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("kanban-board");
      var current = document.getElementById("kanban-board");
      if (fresh && current) { current.replaceWith(document.adoptNode(fresh)); }
    }).finally(function () {
      var board = document.getElementById("kanban-board");
      if (board) { board.classList.remove("is-busy"); }
    });
  }

  function restoreFocus(cardId, direction) {
    var card = document.getElementById("karte-" + cardId);
    if (!card) { return; }
    var button = direction ? card.querySelector('button[data-dir="' + direction + '"]') : null;
    var target = button || card;
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "nearest" });
  }

  function failedMessage() {
    var status = document.getElementById("kanban-status");
    return (status && status.dataset.failed) || "Die Karte ließ sich nicht verschieben.";
  }

  function move(form, data, cardId, direction) {
    return fetch(form.action, {
      method: "POST",
      body: data,
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
    }).then(function (response) {
      var contentType = response.headers.get("Content-Type") || "";
      if (contentType.indexOf("application/json") === -1) {
        return { message: failedMessage(), level: "error" };
      }
      return response.json();
    }).catch(function () {
      return { message: failedMessage(), level: "error" };
    }).then(function (answer) {
      return reloadBoard().catch(function () { /* the message below still tells what happened */ })
        .then(function () {
          announce(answer.message, answer.level);
          if (direction !== null) { restoreFocus(cardId, direction); }
        });
    });
  }

  // --- Move buttons -----------------------------------------------------------------------

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("kanban-move")) { return; }
    var button = event.submitter;
    if (!button || !button.value) { return; }
    event.preventDefault();
    var card = form.closest(".kanban-card");
    var data = new FormData(form, button);
    move(form, data, card.dataset.card, button.dataset.dir || "");
  });

  // --- Drag and drop ----------------------------------------------------------------------

  function listOf(target) {
    if (!(target instanceof Element)) { return null; }
    var list = target.closest(".kanban-cards");
    if (list) { return list; }
    var column = target.closest(".kanban-column");
    return column ? column.querySelector(".kanban-cards") : null;
  }

  function cardBelow(list, y) {
    var cards = list.querySelectorAll(".kanban-card");
    for (var i = 0; i < cards.length; i++) {
      if (cards[i] === dragged) { continue; }
      var box = cards[i].getBoundingClientRect();
      if (y < box.top + box.height / 2) { return cards[i]; }
    }
    return null;
  }

  function clearDropState() {
    if (marker && marker.parentNode) { marker.parentNode.removeChild(marker); }
    document.querySelectorAll(".kanban-cards.is-drop-target").forEach(function (list) {
      list.classList.remove("is-drop-target");
    });
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target instanceof Element ? event.target.closest('.kanban-card[draggable="true"]') : null;
    if (!card) { return; }
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.card);
    if (!marker) {
      marker = document.createElement("li");
      marker.className = "kanban-drop-marker";
      marker.setAttribute("aria-hidden", "true");
    }
  });

  document.addEventListener("dragover", function (event) {
    if (!dragged) { return; }
    var list = listOf(event.target);
    if (!list) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!list.classList.contains("is-drop-target")) {
      clearDropState();
      list.classList.add("is-drop-target");
    }
    var below = cardBelow(list, event.clientY);
    if (below) { list.insertBefore(marker, below); } else { list.appendChild(marker); }
  });

  document.addEventListener("drop", function (event) {
    if (!dragged) { return; }
    var list = listOf(event.target);
    if (!list) { return; }
    event.preventDefault();
    var card = dragged;
    var below = cardBelow(list, event.clientY);
    clearDropState();
    var column = list.dataset.column;
    var sameColumn = card.closest(".kanban-cards") === list;
    var position = "";
    if (below) {
      position = Number(below.dataset.position);
      // The card leaves its old place first: below it, every position is one less.
      if (sameColumn && position > Number(card.dataset.position)) { position -= 1; }
    }
    if (sameColumn && (below === card.nextElementSibling || (!below && !card.nextElementSibling))) {
      return; // dropped where it was
    }
    var form = card.querySelector("form.kanban-move");
    if (!form) { return; }
    var data = new FormData(form);
    data.set("ziel", column + ":" + position);
    move(form, data, card.dataset.card, null);
  });

  document.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("is-dragging"); }
    dragged = null;
    clearDropState();
  });

  // --- Filters (htmx swaps the board) ---------------------------------------------------------

  // The filter form is the only htmx element on the page: tell how many cards it left.
  document.addEventListener("htmx:afterSettle", function () {
    var summary = document.querySelector("#kanban-board .kanban-summary");
    if (summary) { announce(summary.textContent.replace(/\s+/g, " ").trim(), "info"); }
  });
})();
