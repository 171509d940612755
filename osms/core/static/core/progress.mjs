// Live progress of a page that waits for something (a statement being prepared, a register import):
// polls the page's small JSON endpoint, and when the state changes takes the region that shows it from
// a fresh copy of the page, so the page changes without a reload. The change is said in a polite live
// region; polling stops when the state is final. Without JavaScript the page refreshes itself instead
// (a <noscript> refresh, only while not final) and has a link to refresh it. docs/adr/0015.
const FIRST_DELAY_MS = 2000;
const LONGEST_DELAY_MS = 30000;

async function freshRegion(url) {
  const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
  if (!response.ok) return null;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  return page.querySelector("[data-progress-region]");
}

function follow(root) {
  const region = root.querySelector("[data-progress-region]");
  const announce = root.querySelector("[data-progress-announce]");
  let state = root.dataset.progressState;
  let version = root.dataset.progressVersion || state;
  let delay = FIRST_DELAY_MS;

  async function poll() {
    let answer = null;
    try {
      const response = await fetch(root.dataset.progressUrl, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" },
      });
      if (response.ok) answer = await response.json();
    } catch (error) {
      answer = null; // the network blinked: try again later
    }
    // The region is taken again when what it shows changed; the change of state is also said.
    if (answer && (answer.version || answer.state) !== version) {
      // The page names a lighter source of the region if it has one (a page whose opening is audited).
      const fresh = await freshRegion(root.dataset.progressFragment || window.location.href);
      if (fresh) {
        region.replaceChildren(...fresh.childNodes);
        version = answer.version || answer.state;
        if (answer.state !== state) {
          state = answer.state;
          root.dataset.progressState = state;
          if (answer.announcement) announce.textContent = answer.announcement;
        }
      }
    }
    if (answer && answer.final) return;
    // Quick while the answer is usually seconds away, then slower.
    delay = Math.min(Math.round(delay * 1.5), LONGEST_DELAY_MS);
    window.setTimeout(poll, delay);
  }
  window.setTimeout(poll, delay);
}

for (const root of document.querySelectorAll("[data-progress-url]")) follow(root);
