// Keeps a match run's page up to date while the run (or a bulk approval of its proposals)
// is under way: polls the run's status and shows the progress in an aria-live region; when
// it is done, loads the page again with the results. The region's data-watch says which to
// follow: "run" (the default) or "approval". Without JavaScript the page offers a "Refresh
// the page" link instead.
const region = document.querySelector("[data-match-run-progress]");

if (region) {
  const url = region.dataset.statusUrl;
  const watch = region.dataset.watch || "run";
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
      const state = watch === "approval" ? run.approval : run;
      failures = 0;
      if (!state) {
        window.location.assign(run.url);
        return;
      }
      if (state.progress && message.textContent !== state.progress) {
        message.textContent = state.progress;
      }
      if (state.done) {
        message.textContent = `${state.progress} Loading the results.`;
        window.location.assign(run.url);
        return;
      }
    } catch {
      failures += 1;
      if (failures >= 5) {
        message.textContent =
          "We could not check on progress just now. Refresh the page to see whether it has finished.";
        return;
      }
    }
    window.setTimeout(poll, POLL_MS);
  };

  window.setTimeout(poll, POLL_MS);
}
