// Keeps a match run's page up to date while it runs: polls the run's status and shows its
// progress in an aria-live region; when the run is done, loads the page with the results.
// Without JavaScript the page offers a "Refresh the page" link instead.
const region = document.querySelector("[data-match-run-progress]");

if (region) {
  const url = region.dataset.statusUrl;
  const message = region.querySelector("[data-progress-message]");
  const POLL_MS = 2000;
  let failures = 0;

  const poll = async () => {
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (!response.ok) throw new Error(`status ${response.status}`);
      const run = await response.json();
      failures = 0;
      if (run.progress && message.textContent !== run.progress) {
        message.textContent = run.progress;
      }
      if (run.done) {
        message.textContent = `${run.progress} Loading the results.`;
        window.location.assign(run.url);
        return;
      }
    } catch {
      failures += 1;
      if (failures >= 5) {
        message.textContent =
          "We could not check on matching just now. Refresh the page to see whether it has finished.";
        return;
      }
    }
    window.setTimeout(poll, POLL_MS);
  };

  window.setTimeout(poll, POLL_MS);
}
