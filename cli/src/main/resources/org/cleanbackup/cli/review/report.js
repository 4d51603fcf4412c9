// The static --html page: renders the embedded plan once, read-only. No network: every picture is a data: URI.
(function () {
  const data = JSON.parse(document.getElementById('data').textContent);
  const s = data.summary;
  document.getElementById('summary').textContent = data.page.total + ' group(s), ' + s.mode
    + ' mode; a snapshot of the plan (read-only: run "cleanbackup review" to decide and apply).';
  const main = document.getElementById('groups');
  data.page.groups.forEach((g, i) => main.append(renderGroup(g, i, { interactive: false, thumb: f => f.thumb || null })));
})();
