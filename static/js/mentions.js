// @mention suggestions while typing, for textareas with a data-mention-url.
// Without JavaScript a plain "@Full Name" works the same: this only saves typing.
// Keyboard: arrow keys choose, Enter or Tab inserts, Escape closes. The list is an ARIA listbox
// tied to the textarea (aria-controls, aria-activedescendant), and a live region says how many
// suggestions there are.
(function () {
  "use strict";

  function setup(textarea) {
    var url = textarea.getAttribute("data-mention-url");
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var names = [];
    var active = -1;
    var pending = null;
    list.id = textarea.id + "-mentions";
    list.className = "mention-list list-group";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", textarea.getAttribute("data-mention-label") || "Suggestions");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    textarea.setAttribute("aria-controls", list.id);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.parentNode.insertBefore(list, textarea.nextSibling);
    textarea.parentNode.insertBefore(status, list.nextSibling);

    function query() {
      var before = textarea.value.slice(0, textarea.selectionStart);
      var match = /(^|\s)@([^\s@]{1,30})$/.exec(before);
      return match ? match[2] : null;
    }

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      names = [];
      active = -1;
      textarea.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var items = list.children;
      for (var i = 0; i < items.length; i++) {
        items[i].classList.toggle("active", i === index);
        items[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0) {
        textarea.setAttribute("aria-activedescendant", items[index].id);
      }
    }

    function insert(name) {
      var caret = textarea.selectionStart;
      var before = textarea.value.slice(0, caret).replace(/@[^\s@]*$/, "@" + name + " ");
      textarea.value = before + textarea.value.slice(caret);
      textarea.selectionStart = textarea.selectionEnd = before.length;
      close();
      textarea.focus();
    }

    function show(found) {
      close();
      names = found;
      if (!names.length) {
        status.textContent = "";
        return;
      }
      names.forEach(function (name, index) {
        var item = document.createElement("li");
        item.id = list.id + "-" + index;
        item.className = "list-group-item";
        item.setAttribute("role", "option");
        item.textContent = name;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          insert(name);
        });
        list.appendChild(item);
      });
      list.hidden = false;
      highlight(0);
      status.textContent = names.length + " " + (textarea.getAttribute("data-mention-found") || "");
    }

    textarea.addEventListener("input", function () {
      var text = query();
      if (text === null) {
        close();
        return;
      }
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(text), { credentials: "same-origin", signal: pending.signal })
        .then(function (response) { return response.ok ? response.json() : { names: [] }; })
        .then(function (data) { show(data.names || []); })
        .catch(function () {});
    });

    textarea.addEventListener("keydown", function (event) {
      if (list.hidden || !names.length) {
        return;
      }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + names.length) % names.length);
      } else if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        insert(names[active]);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });

    textarea.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-mention-url]"), setup);
  });
})();
