/* Enhancements only: every page works without this script.
   - "Exit this page": pressing Shift three times leaves at once; the page is blanked first and
     the exit replaces this page in the history.
   - An error summary or tone advice takes the keyboard focus when the page opens; a link in an
     error summary moves the focus to its box. */
(function () {
  "use strict";
  document.documentElement.className += " js";

  function leave(url) {
    var cover = document.createElement("div");
    cover.className = "exit-overlay";
    document.body.appendChild(cover);
    document.title = "Loading";
    window.location.replace(url);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var exit = document.getElementById("exit-this-page");
    if (exit) {
      var url = exit.getAttribute("data-exit");
      exit.addEventListener("click", function (event) {
        event.preventDefault();
        leave(url);
      });
      var presses = 0;
      var timer = null;
      document.addEventListener("keyup", function (event) {
        if (event.key !== "Shift") { presses = 0; return; }
        presses += 1;
        clearTimeout(timer);
        timer = setTimeout(function () { presses = 0; }, 5000);
        if (presses >= 3) { leave(url); }
      });
    }

    var first = document.querySelector(".error-summary, .tone-advice");
    if (first) { first.focus(); }
    var links = document.querySelectorAll(".error-summary a[href^='#']");
    Array.prototype.forEach.call(links, function (link) {
      link.addEventListener("click", function (event) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (!target) { return; }
        event.preventDefault();
        var legend = target.closest("fieldset");
        (legend || target).scrollIntoView();
        target.focus({ preventScroll: true });
      });
    });
  });
}());
