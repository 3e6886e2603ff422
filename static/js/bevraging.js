// Saves each answer as it is given, by a small same-origin POST, so a long survey on a
// phone survives a lost connection. Without this script the form still works: its buttons
// post every answer at once. Answers not yet saved wait here and go when the connection is
// back; the page never sends the form while offline (the answers would be lost).
(function () {
  "use strict";
  var form = document.getElementById("bevraging");
  var status = document.getElementById("opslagstatus");
  if (!form || !status || !window.fetch || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-antwoord-url");
  var pending = [];
  var busy = false;
  var retry = null;

  function say(key) {
    status.textContent = status.getAttribute("data-" + key) || "";
  }

  function payload(id) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    data.append("respons", form.elements.respons.value);
    data.append("vragen", id);
    var fields = form.querySelectorAll('[name="v' + id + '"]');
    for (var i = 0; i < fields.length; i++) {
      var el = fields[i];
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) {
        continue;
      }
      data.append(el.name, el.value);
    }
    return data;
  }

  function later() {
    if (retry === null) {
      retry = window.setTimeout(function () {
        retry = null;
        flush();
      }, 3000);
    }
  }

  function flush() {
    if (busy || pending.length === 0) {
      return;
    }
    if (!navigator.onLine) {
      say("offline");
      return;
    }
    busy = true;
    var id = pending[0];
    say("saving");
    fetch(url, {
      method: "POST",
      body: payload(id),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        busy = false;
        if (response.ok || response.status === 400) {
          // 400: the answer itself is refused (shown again when the form is sent).
          pending = pending.filter(function (other) {
            return other !== id;
          });
          if (pending.length) {
            flush();
          } else {
            say("saved");
          }
        } else {
          say("offline");
          later();
        }
      })
      .catch(function () {
        busy = false;
        say("offline");
        later();
      });
  }

  form.addEventListener("change", function (event) {
    var box = event.target.closest("[data-vraag]");
    if (!box) {
      return;
    }
    var id = box.getAttribute("data-vraag");
    if (pending.indexOf(id) === -1) {
      pending.push(id);
    }
    flush();
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () {
    say("offline");
  });
  form.addEventListener("submit", function (event) {
    if (!navigator.onLine) {
      event.preventDefault();
      say("wait");
    }
  });
})();
