// On-site search of the default theme: no external script, no CDN.
// Loads the language's search index (index.json, written by the build) on first use and
// lists the posts whose title, tags, versions, dates or text contain every typed word.
// Matching ignores case and accents ("anderung" finds "Änderung"); a post's date and its
// sub-release versions are searchable, so "2024-06" finds the posts of June 2024.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form || !window.fetch) return;
  var input = form.querySelector(".search-input");
  var list = form.querySelector(".search-results");
  var status = form.querySelector("#search-status");
  var maxResults = parseInt(form.dataset.max, 10) || 10;
  var snippetWords = parseInt(form.dataset.snippet, 10) || 30;
  var entries = null;
  var loading = null;

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function load() {
    if (!loading) {
      loading = fetch(form.dataset.index, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : []; })
        .catch(function () { return []; })
        .then(function (data) {
          entries = data.map(function (entry) {
            var meta = [entry.title, (entry.tags || []).join(" "), (entry.categories || []).join(" "),
                        (entry.versions || []).join(" "), entry.date, (entry.releaseDates || []).join(" ")].join(" ");
            return { entry: entry, title: fold(entry.title), meta: fold(meta), text: fold(entry.content) };
          });
          return entries;
        });
    }
    return loading;
  }

  function score(item, words) {
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      var word = words[i];
      if (item.title.indexOf(word) >= 0) total += 10;
      else if (item.meta.indexOf(word) >= 0) total += 5;
      else if (item.text.indexOf(word) >= 0) total += 1;
      else return 0;  // every word must occur somewhere
    }
    return total;
  }

  function snippet(entry, word) {
    var text = entry.content || "";
    var at = fold(text).indexOf(word);
    var words = text.slice(Math.max(0, at - 60)).split(/\s+/);
    if (at > 60) words.shift();  // the first word may be cut
    var cut = words.slice(0, snippetWords).join(" ");
    return (at > 60 ? "… " : "") + cut + (words.length > snippetWords ? " …" : "");
  }

  // A word that is one of the post's versions: the hit opens that release's section.
  function releaseSearched(entry, words) {
    var versions = entry.versions || [];
    for (var i = 0; i < versions.length; i++) {
      if (words.indexOf(fold(versions[i])) >= 0 && entry.releaseUrls && entry.releaseUrls[i]) {
        return { version: versions[i], url: entry.releaseUrls[i], date: releaseDate(entry, versions[i]) };
      }
    }
    return null;
  }

  function releaseDate(entry, version) {
    var dated = (entry.versions || []).length === (entry.releaseDates || []).length;
    return dated ? entry.releaseDates[entry.versions.indexOf(version)] : "";
  }

  // YYYY-MM-DD as the page's language writes dates ("8. Feb. 2024", "Feb 8, 2024").
  function localDate(day) {
    var parts = day.split("-").map(Number);
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || undefined, { dateStyle: "medium", timeZone: "UTC" })
        .format(new Date(Date.UTC(parts[0], parts[1] - 1, parts[2])));
    } catch (e) {
      return day;
    }
  }

  function show(query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length || !entries) {
      list.hidden = true;
      status.textContent = "";
      return;
    }
    var found = entries
      .map(function (item) { return { item: item, score: score(item, words) }; })
      .filter(function (hit) { return hit.score > 0; })
      .sort(function (a, b) { return b.score - a.score || (b.item.entry.date > a.item.entry.date ? 1 : -1); })
      .slice(0, maxResults);
    found.forEach(function (hit) {
      var entry = hit.item.entry;
      var release = releaseSearched(entry, words);
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = release ? release.url : entry.url;
      link.textContent = release ? release.version + " – " + entry.title : entry.title;
      li.appendChild(link);
      var day = release && release.date ? release.date : entry.date;
      if (day) {
        var time = document.createElement("time");
        time.dateTime = day;
        time.textContent = localDate(day);
        li.appendChild(time);
      }
      var text = document.createElement("p");
      text.textContent = snippet(entry, words[0]);
      li.appendChild(text);
      list.appendChild(li);
    });
    if (!found.length) {
      var none = document.createElement("li");
      none.className = "search-empty";
      none.textContent = form.dataset.noResults;
      list.appendChild(none);
    }
    list.hidden = false;
    status.textContent = found.length === 1 ? form.dataset.resultOne
      : found.length ? form.dataset.results.replace("{count}", found.length) : form.dataset.noResults;
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  input.addEventListener("focus", load);
  input.addEventListener("input", function () {
    var query = input.value;
    load().then(function () { if (input.value === query) show(query); });
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      input.value = "";
      show("");
    }
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) list.hidden = true;
  });
})();
