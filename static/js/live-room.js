// The live room: chat, questions, polls, raised hands and who is here, over Socket.IO
// (namespace "/live"; the protocol is docs/REALTIME.md).
//
// - Every text comes from the page (data-strings), so it is translated with the rest of the site.
// - Messages are kept by id and shown in id order; a message that arrives twice (a broadcast and
//   a replay) is shown once. On every (re)connect the client joins again with `since` = the last
//   message id it has, and gets what it missed.
// - Chat messages go out one at a time from an outbox, each with its own client id; one that
//   is not acknowledged (a dropped connection) is sent again with the same id after rejoining,
//   and the server stores it once.
// - Who is here: the join answer brings the whole list and its version; after that the server
//   sends steps (presence:joined / presence:left, each from `previous` to `version`). A step is
//   applied only on the version it starts from; one that comes early waits, and a step missing
//   for 2–4 s (or a heartbeat reporting a newer version) fetches the whole list again, so
//   the list can lag a moment but never stays wrong.
// - Keyboard and screen reader: the chat is a role="log" live region (quiet while a replay is
//   drawn), the cursor stays in the message box after sending, and redrawn lists keep the focus
//   on the button that had it.
(function () {
  "use strict";

  var root = document.getElementById("live-room");
  if (!root || typeof window.io !== "function") {
    return;
  }
  var T = JSON.parse(root.getAttribute("data-strings"));
  var sessionId = Number(root.getAttribute("data-session-id"));
  var me = Number(root.getAttribute("data-user-id"));
  var facilitator = root.getAttribute("data-facilitator") === "true";
  var lang = document.documentElement.lang || "nl";
  var ACK_TIMEOUT = 10000;
  var GAP_WAIT = 2000; // broadcasts of two changes may cross: wait 2–4 s for a missing step

  var $ = function (id) { return document.getElementById(id); };
  var statusLine = $("room-status");
  var errorLine = $("room-error");
  var rejoinButton = $("room-rejoin");
  var chatLog = $("chat-log");
  var chatList = $("chat-messages");
  var pendingList = $("chat-pending");
  var chatForm = $("chat-form");
  var chatInput = $("chat-body");
  var pinnedBox = $("chat-pinned");
  var peopleList = $("people");
  var peopleCount = $("people-count");
  var handButton = $("hand-toggle");
  var handList = $("hands");
  var questionForm = $("question-form");
  var questionInput = $("question-body");
  var questionList = $("questions");
  var pollBox = $("polls");
  var pollForm = $("poll-form");

  var state = {
    joined: false,
    ended: false, // removed, or the room closed: no automatic rejoin
    messages: {}, // id → message
    outbox: [], // {client_id, body} not acknowledged yet, oldest first
    sending: false,
    pinned: null,
    questions: {}, // id → question
    myVotes: {}, // question id → true
    polls: {}, // id → poll
    myChoices: {}, // poll id → [option ids]
    hands: [],
    handsVersion: null,
    people: [], // by name
    presenceVersion: -1,
    pendingSteps: {}, // previous version → a presence step that came before the one it follows
    gapTimer: null,
    heartbeat: null
  };

  root.hidden = false;

  // -- helpers ---------------------------------------------------------------------------------

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function button(label, focusKey, onClick, className) {
    var node = el("button", className || "btn btn-link btn-sm p-0", label);
    node.type = "button";
    node.setAttribute("data-focus-key", focusKey);
    node.addEventListener("click", onClick);
    return node;
  }

  function clock(iso) {
    try {
      return new Date(iso).toLocaleTimeString(lang, {
        hour: "2-digit", minute: "2-digit", timeZone: "Europe/Amsterdam"
      });
    } catch (e) {
      return "";
    }
  }

  function clientId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function authorName(author) {
    if (!author) { return T.formerMember; }
    return author.id === me ? author.name + " (" + T.you + ")" : author.name;
  }

  // Redraw a list without losing the keyboard focus of the button that had it.
  function redraw(container, draw) {
    var active = document.activeElement;
    var key = active && container.contains(active) ? active.getAttribute("data-focus-key") : null;
    draw();
    if (key) {
      var again = container.querySelector('[data-focus-key="' + key + '"]');
      (again || container.closest("section") || document.body).focus();
    }
  }

  function showStatus(text) {
    statusLine.textContent = text;
  }

  function showError(answer) {
    var message = answer && answer.error ? answer.error.message : T.error;
    errorLine.textContent = message;
    if (answer && answer.error) { handleRefusal(answer.error.code); }
  }

  function clearError() {
    errorLine.textContent = "";
  }

  // Send an event and call back with the acknowledgement; a timeout counts as an error.
  function call(event, payload, done) {
    payload.session_id = sessionId;
    socket.timeout(ACK_TIMEOUT).emit(event, payload, function (err, answer) {
      done(err ? { ok: false, error: { code: "timeout", message: T.error } } : answer);
    });
  }

  function act(event, payload) {
    clearError();
    call(event, payload, function (answer) {
      if (!answer.ok) { showError(answer); }
    });
  }

  // -- connection ------------------------------------------------------------------------------

  var socket = window.io("/live", { transports: ["websocket", "polling"] });

  function lastMessageId() {
    var ids = Object.keys(state.messages).map(Number);
    return ids.length ? Math.max.apply(null, ids) : 0;
  }

  function join() {
    call("room:join", { since: lastMessageId() }, function (answer) {
      if (!answer.ok) {
        state.joined = false;
        showError(answer);
        return;
      }
      state.joined = true;
      state.ended = false;
      clearError();
      rejoinButton.hidden = true;
      applySnapshot(answer);
      showStatus(answer.room.open ? T.connected : T.closed);
      startHeartbeat(answer.heartbeat_seconds);
      flushOutbox();
    });
  }

  function handleRefusal(code) {
    if (code === "removed") {
      end(T.removed, false);
    } else if (code === "room_closed") {
      end(T.closed, true);
    } else if (code === "not_joined" && socket.connected) {
      join();
    }
  }

  function end(text, mayReturn) {
    state.joined = false;
    state.ended = true;
    stopHeartbeat();
    showStatus(text);
    rejoinButton.hidden = !mayReturn;
    if (!mayReturn) { socket.disconnect(); }
  }

  function startHeartbeat(seconds) {
    stopHeartbeat();
    state.heartbeat = window.setInterval(function () {
      if (!state.joined) { return; }
      call("room:ping", {}, function (answer) {
        if (!answer.ok) {
          if (answer.error.code !== "timeout") { showError(answer); }
          return;
        }
        if (answer.presence_version > state.presenceVersion) {
          awaitStep(); // a step is on its way, or got lost: the whole list if it does not come
        }
        if (answer.hands_version !== state.handsVersion) {
          call("hands:get", {}, function (got) {
            if (got.ok) { applyHands(got.hands); }
          });
        }
        if (answer.last_message_id > lastMessageId()) {
          join(); // a broadcast got lost on the way: catch up
        }
      });
    }, (seconds || 30) * 1000);
  }

  function stopHeartbeat() {
    if (state.heartbeat) { window.clearInterval(state.heartbeat); }
    state.heartbeat = null;
  }

  socket.on("connect", function () {
    if (!state.ended) { join(); }
  });
  socket.on("disconnect", function () {
    state.joined = false;
    state.sending = false;
    stopHeartbeat();
    if (!state.ended) { showStatus(T.reconnecting); }
  });
  socket.on("connect_error", function (err) {
    // A refusal by the server (no login, another site) is final; a network error is retried.
    if (err && err.data && err.data.code) {
      end(err.data.message || T.refused, false);
    }
  });
  rejoinButton.addEventListener("click", function () {
    state.ended = false;
    if (socket.connected) { join(); } else { socket.connect(); }
  });

  // -- snapshot --------------------------------------------------------------------------------

  function applySnapshot(answer) {
    // A replay is drawn quietly: only messages that arrive live are read out.
    chatLog.setAttribute("aria-live", "off");
    answer.removed_message_ids.forEach(takeOutMessage);
    answer.messages.forEach(insertMessage);
    chatLog.scrollTop = chatLog.scrollHeight;
    // Screen readers take changes in a moment later: speak again once the replay is in.
    window.setTimeout(function () { chatLog.setAttribute("aria-live", "polite"); }, 1000);
    state.pinned = answer.pinned;
    drawPinned();
    refreshPinButtons();
    state.questions = {};
    state.myVotes = {};
    answer.questions.forEach(function (question) {
      state.questions[question.id] = question;
      if (question.voted) { state.myVotes[question.id] = true; }
    });
    drawQuestions();
    state.polls = {};
    answer.polls.forEach(function (poll) {
      state.polls[poll.id] = poll;
      state.myChoices[poll.id] = poll.my_choices || [];
    });
    drawPolls();
    state.presenceVersion = -1;
    state.pendingSteps = {};
    applyPresence(answer.presence);
    applyHands(answer.hands);
  }

  // -- chat ------------------------------------------------------------------------------------

  function nearBottom() {
    return chatLog.scrollHeight - chatLog.scrollTop - chatLog.clientHeight < 40;
  }

  function scrollDown(stick) {
    if (stick) { chatLog.scrollTop = chatLog.scrollHeight; }
  }

  function pinLabel(id) {
    return state.pinned && state.pinned.id === id ? T.unpin : T.pin;
  }

  function messageItem(message, pending) {
    var item = el("li", "chat-message" + (pending ? " is-pending" : ""));
    var head = el("p", "chat-meta");
    head.appendChild(el("span", "chat-author", authorName(message.author)));
    if (message.created_at) {
      var time = el("time", "chat-time", clock(message.created_at));
      time.setAttribute("datetime", message.created_at);
      head.appendChild(document.createTextNode(" "));
      head.appendChild(time);
    }
    if (pending) {
      head.appendChild(el("span", "chat-pending", " · " + T.notSent));
    }
    item.appendChild(head);
    item.appendChild(el("p", "chat-body", message.body));
    if (facilitator && !pending) {
      var tools = el("p", "chat-tools");
      var about = fill(T.messageOf, { name: message.author ? message.author.name : T.formerMember });
      var pin = button(pinLabel(message.id), "pin-" + message.id, function () {
        var pinned = state.pinned && state.pinned.id === message.id;
        act("chat:pin", { message_id: pinned ? null : message.id });
      });
      pin.setAttribute("data-pin", String(message.id));
      pin.setAttribute("data-about", about);
      pin.setAttribute("aria-label", pinLabel(message.id) + " — " + about);
      var remove = button(T.removeMessage, "remove-" + message.id, function () {
        act("chat:remove", { message_id: message.id });
      });
      remove.setAttribute("aria-label", T.removeMessage + " — " + about);
      tools.appendChild(pin);
      tools.appendChild(document.createTextNode(" "));
      tools.appendChild(remove);
      item.appendChild(tools);
    }
    item.setAttribute("data-id", String(message.id || ""));
    return item;
  }

  // Messages are only ever inserted or taken out, never redrawn: the log then reads out each
  // new message once, in its place by id.
  function insertMessage(message) {
    if (state.messages[message.id]) { return; }
    state.messages[message.id] = message;
    var stick = nearBottom();
    var item = messageItem(message, false);
    var later = Array.prototype.find.call(chatList.children, function (node) {
      return Number(node.getAttribute("data-id")) > message.id;
    });
    chatList.insertBefore(item, later || null);
    scrollDown(stick);
  }

  function takeOutMessage(id) {
    delete state.messages[id];
    var item = chatList.querySelector('[data-id="' + id + '"]');
    if (item) {
      redraw(chatList, function () { item.remove(); });
    }
  }

  function drawOutbox() {
    var stick = nearBottom();
    pendingList.textContent = "";
    state.outbox.forEach(function (entry) {
      pendingList.appendChild(messageItem({ body: entry.body, author: { id: me, name: myName() } }, true));
    });
    scrollDown(stick);
  }

  function myName() {
    var person = state.people.filter(function (p) { return p.id === me; })[0];
    return person ? person.name : "";
  }

  function refreshPinButtons() {
    Array.prototype.forEach.call(chatList.querySelectorAll("[data-pin]"), function (pin) {
      var id = Number(pin.getAttribute("data-pin"));
      pin.textContent = pinLabel(id);
      pin.setAttribute("aria-label", pinLabel(id) + " — " + pin.getAttribute("data-about"));
    });
  }

  function flushOutbox() {
    if (!state.joined || state.sending || !state.outbox.length) { return; }
    var entry = state.outbox[0];
    state.sending = true;
    call("chat:send", { client_id: entry.client_id, body: entry.body }, function (answer) {
      state.sending = false;
      if (answer.ok) {
        state.outbox.shift();
        drawOutbox();
        insertMessage(answer.message);
        flushOutbox();
      } else if (answer.error.code === "invalid") {
        state.outbox.shift(); // it will never go through: say why, give the text back
        drawOutbox();
        if (!chatInput.value) { chatInput.value = entry.body; }
        showError(answer);
        flushOutbox();
      } else if (answer.error.code !== "timeout") {
        showError(answer); // kept in the outbox: sent again after the next join
      }
    });
  }

  chatForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = chatInput.value.trim();
    if (!body) { return; }
    clearError();
    state.outbox.push({ client_id: clientId(), body: body });
    chatInput.value = "";
    chatInput.focus();
    drawOutbox();
    chatLog.scrollTop = chatLog.scrollHeight;
    flushOutbox();
  });

  function drawPinned() {
    pinnedBox.textContent = "";
    pinnedBox.hidden = !state.pinned;
    if (state.pinned) {
      pinnedBox.appendChild(el("p", "chat-pinned-title", T.pinned));
      pinnedBox.appendChild(el("p", "mb-0",
        authorName(state.pinned.author) + ": " + state.pinned.body));
    }
  }

  socket.on("chat:message", function (data) { insertMessage(data.message); });
  socket.on("chat:removed", function (data) { takeOutMessage(data.message_id); });
  socket.on("chat:pinned", function (data) {
    state.pinned = data.message;
    drawPinned();
    refreshPinButtons();
  });

  // -- people and hands ------------------------------------------------------------------------

  // The whole list (join answer, presence:get): taken when it is newer than what we have.
  function applyPresence(presence) {
    if (!presence || presence.version <= state.presenceVersion) { return; }
    state.presenceVersion = presence.version;
    state.people = presence.people.slice();
    applySteps();
  }

  // A step (presence:joined / presence:left): kept until the list is at its `previous`.
  function onStep(step) {
    if (step.version <= state.presenceVersion) { return; } // in the list already
    state.pendingSteps[step.previous] = step;
    applySteps();
    if (Object.keys(state.pendingSteps).length) { awaitStep(); }
  }

  function byName(a, b) {
    return a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id;
  }

  function applySteps() {
    Object.keys(state.pendingSteps).forEach(function (previous) {
      if (Number(previous) < state.presenceVersion) { delete state.pendingSteps[previous]; }
    });
    var step;
    while ((step = state.pendingSteps[state.presenceVersion])) {
      delete state.pendingSteps[state.presenceVersion];
      if (step.person) {
        var person = step.person;
        state.people = state.people.filter(function (p) { return p.id !== person.id; });
        state.people.push(person);
        state.people.sort(byName);
      } else {
        state.people = state.people.filter(function (p) {
          return step.user_ids.indexOf(p.id) < 0;
        });
      }
      state.presenceVersion = step.version;
    }
    drawPeople();
  }

  // A step is missing: wait a moment (it may be on its way), then fetch the whole list.
  function awaitStep() {
    if (state.gapTimer) { return; }
    var wanted = state.presenceVersion;
    state.gapTimer = window.setTimeout(function () {
      state.gapTimer = null;
      if (!state.joined) { return; }
      var moved = state.presenceVersion !== wanted;
      if (moved && !Object.keys(state.pendingSteps).length) { return; } // it came
      call("presence:get", {}, function (answer) {
        if (answer.ok) { applyPresence(answer.presence); }
      });
    }, GAP_WAIT * (1 + Math.random())); // spread: a whole room must not ask at the same moment
  }

  function drawPeople() {
    redraw(peopleList, function () {
      peopleList.textContent = "";
      peopleCount.textContent = String(state.people.length);
      if (!state.people.length) { peopleList.appendChild(el("li", "text-muted", T.nobody)); }
      state.people.forEach(function (person) {
        var item = el("li", "room-person");
        var name = person.id === me ? person.name + " (" + T.you + ")" : person.name;
        item.appendChild(el("span", null, name));
        if (person.facilitator) {
          item.appendChild(el("span", "badge text-bg-light border ms-1", T.facilitator));
        }
        if (facilitator && !person.facilitator && person.id !== me) {
          var remove = button(T.removePerson, "person-" + person.id, function () {
            if (window.confirm(fill(T.confirmRemove, { name: person.name }))) {
              act("room:remove", { user_id: person.id });
            }
          }, "btn btn-link btn-sm p-0 ms-2");
          remove.setAttribute("aria-label", T.removePerson + " — " + person.name);
          item.appendChild(remove);
        }
        peopleList.appendChild(item);
      });
    });
  }

  function applyHands(hands) {
    state.hands = hands.queue;
    state.handsVersion = hands.version;
    var raised = state.hands.some(function (hand) { return hand.user && hand.user.id === me; });
    handButton.textContent = raised ? T.lowerHand : T.raiseHand;
    handButton.setAttribute("aria-pressed", raised ? "true" : "false");
    redraw(handList, function () {
      handList.textContent = "";
      if (!state.hands.length) { handList.appendChild(el("li", "text-muted", T.noHands)); }
      state.hands.forEach(function (hand) {
        var item = el("li", null, authorName(hand.user));
        if (facilitator && hand.user && hand.user.id !== me) {
          var lower = button(T.lowerHand, "hand-" + hand.user.id, function () {
            act("hand:lower", { user_id: hand.user.id });
          }, "btn btn-link btn-sm p-0 ms-2");
          lower.setAttribute("aria-label", fill(T.lowerHandOf, { name: hand.user.name }));
          item.appendChild(lower);
        }
        handList.appendChild(item);
      });
    });
  }

  handButton.addEventListener("click", function () {
    act(handButton.getAttribute("aria-pressed") === "true" ? "hand:lower" : "hand:raise", {});
  });

  socket.on("presence:joined", onStep);
  socket.on("presence:left", onStep);
  socket.on("hands", applyHands);

  // -- questions -------------------------------------------------------------------------------

  function votesText(n) {
    return n === 1 ? T.oneVote : fill(T.votes, { n: n });
  }

  function drawQuestions() {
    redraw(questionList, function () {
      questionList.textContent = "";
      var questions = Object.keys(state.questions).map(function (id) { return state.questions[id]; });
      questions.sort(function (a, b) { return b.votes - a.votes || a.id - b.id; });
      if (!questions.length) { questionList.appendChild(el("li", "text-muted", T.noQuestions)); }
      questions.forEach(function (question) {
        var item = el("li", "room-question is-" + question.status);
        item.appendChild(el("p", "mb-1", question.body));
        var meta = el("p", "room-question-meta");
        meta.appendChild(el("span", null, authorName(question.author) + " · " + votesText(question.votes)));
        if (question.status !== "open") {
          meta.appendChild(el("span", "badge text-bg-light border ms-1", T[question.status]));
        }
        item.appendChild(meta);
        if (question.status === "hidden" && !facilitator) {
          item.appendChild(el("p", "small text-muted mb-1", T.hiddenForOthers));
        }
        var tools = el("p", "room-tools");
        if (question.status === "open") {
          var voted = !!state.myVotes[question.id];
          // A toggle keeps its name; aria-pressed (and the look) says whether one voted.
          var vote = button(T.castVote, "vote-" + question.id, function () {
            if (state.myVotes[question.id]) { return; }
            clearError();
            call("question:vote", { question_id: question.id }, function (answer) {
              if (!answer.ok) { showError(answer); return; }
              state.myVotes[question.id] = true;
              updateQuestion(answer.question);
            });
          }, voted ? "btn btn-primary btn-sm" : "btn btn-outline-primary btn-sm");
          vote.setAttribute("aria-pressed", voted ? "true" : "false");
          vote.setAttribute("aria-label", T.castVote + ": " + question.body);
          tools.appendChild(vote);
        }
        if (facilitator) {
          var moves = question.status === "open" ? [["answered", T.markAnswered], ["hidden", T.hide]]
            : [["open", T.reopen]];
          moves.forEach(function (move) {
            var control = button(move[1], "mark-" + move[0] + "-" + question.id, function () {
              act("question:mark", { question_id: question.id, status: move[0] });
            }, "btn btn-outline-secondary btn-sm ms-1");
            control.setAttribute("aria-label", move[1] + ": " + question.body);
            tools.appendChild(control);
          });
        }
        if (tools.childNodes.length) { item.appendChild(tools); }
        questionList.appendChild(item);
      });
    });
  }

  function updateQuestion(question) {
    var known = state.questions[question.id];
    // Votes only ever grow: of two updates that crossed, the higher count is the newer.
    if (known && known.votes > question.votes) { question.votes = known.votes; }
    state.questions[question.id] = question;
    drawQuestions();
  }

  questionForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = questionInput.value.trim();
    if (!body) { return; }
    clearError();
    call("question:ask", { client_id: clientId(), body: body }, function (answer) {
      if (!answer.ok) { showError(answer); return; }
      questionInput.value = "";
      updateQuestion(answer.question);
    });
  });

  socket.on("question:new", function (data) { updateQuestion(data.question); });
  socket.on("question:updated", function (data) { updateQuestion(data.question); });
  socket.on("question:hidden", function (data) {
    var question = state.questions[data.question_id];
    if (!question) { return; }
    if (facilitator || (question.author && question.author.id === me)) {
      question.status = "hidden";
    } else {
      delete state.questions[data.question_id];
    }
    drawQuestions();
  });

  // -- polls -----------------------------------------------------------------------------------

  function pollResults(poll, list) {
    var mine = state.myChoices[poll.id] || [];
    poll.options.forEach(function (option) {
      var share = poll.ballots ? Math.round((100 * option.count) / poll.ballots) : 0;
      var item = el("li", "poll-result");
      var label = option.label + ": " + option.count + " (" + share + "%)";
      if (mine.indexOf(option.id) >= 0) { label += " · " + T.yourChoice; }
      item.appendChild(el("span", null, label));
      var bar = el("span", "poll-bar");
      bar.setAttribute("aria-hidden", "true");
      var fillBar = el("span", "poll-bar-fill");
      fillBar.style.width = share + "%";
      bar.appendChild(fillBar);
      item.appendChild(bar);
      list.appendChild(item);
    });
  }

  function pollVoteForm(poll) {
    var form = el("form", "poll-vote");
    form.noValidate = true;
    var fieldset = el("fieldset");
    fieldset.appendChild(el("legend", "visually-hidden", poll.question));
    poll.options.forEach(function (option) {
      var id = "poll-" + poll.id + "-option-" + option.id;
      var check = el("div", "form-check");
      var input = el("input", "form-check-input");
      input.type = poll.multiple ? "checkbox" : "radio";
      input.name = "poll-" + poll.id;
      input.id = id;
      input.value = String(option.id);
      input.setAttribute("data-focus-key", id);
      var label = el("label", "form-check-label", option.label);
      label.htmlFor = id;
      check.appendChild(input);
      check.appendChild(label);
      fieldset.appendChild(check);
    });
    form.appendChild(fieldset);
    var submit = el("button", "btn btn-primary btn-sm", T.castVote);
    submit.type = "submit";
    submit.setAttribute("data-focus-key", "poll-vote-" + poll.id);
    form.appendChild(submit);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = Array.prototype.filter.call(form.querySelectorAll("input"), function (input) {
        return input.checked;
      }).map(function (input) { return Number(input.value); });
      if (!chosen.length) {
        errorLine.textContent = poll.multiple ? T.chooseSome : T.chooseOne;
        return;
      }
      clearError();
      call("poll:vote", { poll_id: poll.id, option_ids: chosen }, function (answer) {
        if (!answer.ok) { showError(answer); return; }
        state.myChoices[poll.id] = answer.my_choices;
        drawPolls();
        var heading = $("poll-title-" + poll.id);
        if (heading) { heading.focus(); } // the form is gone: land on its poll
      });
    });
    return form;
  }

  function drawPolls() {
    redraw(pollBox, function () {
      pollBox.textContent = "";
      var polls = Object.keys(state.polls).map(function (id) { return state.polls[id]; })
        .sort(function (a, b) { return a.id - b.id; });
      if (!polls.length) { pollBox.appendChild(el("p", "text-muted", T.noPolls)); }
      polls.forEach(function (poll) {
        var box = el("article", "room-poll is-" + poll.status);
        box.setAttribute("aria-labelledby", "poll-title-" + poll.id);
        var title = el("h3", "h6 mb-1", poll.question);
        title.id = "poll-title-" + poll.id;
        title.tabIndex = -1;
        box.appendChild(title);
        var status = { draft: T.draft, open: T.pollOpen, closed: T.pollClosed }[poll.status];
        box.appendChild(el("p", "small text-muted mb-1",
          status + " · " + fill(T.ballots, { n: poll.ballots })));
        var voted = (state.myChoices[poll.id] || []).length > 0;
        if (poll.status === "open" && !voted) {
          box.appendChild(pollVoteForm(poll));
        }
        if (facilitator || voted || poll.status === "closed") {
          var results = el("ul", "poll-results");
          results.setAttribute("aria-label", T.results + ": " + poll.question);
          pollResults(poll, results);
          box.appendChild(results);
        }
        if (facilitator && poll.status !== "closed") {
          var opening = poll.status === "draft";
          var control = button(opening ? T.openPoll : T.closePoll, "poll-move-" + poll.id, function () {
            act(opening ? "poll:open" : "poll:close", { poll_id: poll.id });
          }, "btn btn-outline-secondary btn-sm mt-1");
          control.setAttribute("aria-label", (opening ? T.openPoll : T.closePoll) + ": " + poll.question);
          box.appendChild(control);
        }
        pollBox.appendChild(box);
      });
    });
  }

  function updatePoll(poll) {
    state.polls[poll.id] = poll;
    drawPolls();
  }

  socket.on("poll:updated", function (data) { updatePoll(data.poll); });
  socket.on("poll:results", function (data) {
    var poll = state.polls[data.poll_id];
    // Ballots are final, so the result with more ballots is the newer one.
    if (!poll || data.ballots < poll.ballots) { return; }
    poll.ballots = data.ballots;
    data.counts.forEach(function (count) {
      poll.options.forEach(function (option) {
        if (option.id === count.option_id) { option.count = count.count; }
      });
    });
    drawPolls();
  });

  if (pollForm) {
    pollForm.addEventListener("submit", function (event) {
      event.preventDefault();
      clearError();
      var options = $("poll-options").value.split("\n").map(function (line) { return line.trim(); })
        .filter(function (line) { return line; });
      call("poll:create", {
        question: $("poll-question").value,
        options: options,
        multiple: $("poll-multiple").checked
      }, function (answer) {
        if (!answer.ok) { showError(answer); return; }
        pollForm.reset();
        updatePoll(answer.poll);
        $("poll-question").focus();
      });
    });
  }

  // -- the room itself -------------------------------------------------------------------------

  socket.on("room:state", function (data) {
    if (!data.room.open) {
      end(T.closed, true);
    } else {
      showStatus(T.opened);
    }
  });
  socket.on("room:removed", function () { end(T.removed, false); });

  if (facilitator) {
    $("room-open").addEventListener("click", function () {
      clearError();
      call("room:open", {}, function (answer) {
        if (!answer.ok) { showError(answer); return; }
        state.ended = false;
        showStatus(T.opened);
        join();
      });
    });
    $("room-close").addEventListener("click", function () { act("room:close", {}); });
  }
})();
