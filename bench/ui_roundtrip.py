"""How fast the shop feels in a real browser, against a server that is already running.

(a) Round trip of one state change: click "Add to cart" and time, inside the page, until the cart
    badge shows the new count (click -> websocket event -> handler -> delta -> re-render).
(b) Catalogue load: navigation to a hydrated page with products on screen, in a fresh browser
    context each time (a first visit: nothing cached) and by reloading one context (a revisit).

    python bench/ui_roundtrip.py --base-url http://127.0.0.1:8000
"""

from __future__ import annotations

import argparse
import statistics
import time

from playwright.sync_api import Browser, Page, expect, sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HYDRATED = "[data-hydrated=true]"
IN_STOCK_ADD = ".product-card button[type=submit]:not([disabled])"

# Clicks inside the page and resolves when the badge text changes, so the figure excludes
# Playwright's own round trips to the browser.
CLICK_TO_BADGE_JS = """
async (selector) => {
  const badge = () => document.querySelector('#cart-count')?.textContent;
  const before = badge();
  return await new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (badge() !== before) { observer.disconnect(); resolve(performance.now() - start); }
    });
    observer.observe(document.body, {subtree: true, childList: true, characterData: true});
    const start = performance.now();
    document.querySelector(selector).click();
  });
}
"""


def summary(label: str, samples_ms: list[float]) -> str:
    ordered = sorted(samples_ms)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return (
        f"{label}: n={len(ordered)} median={statistics.median(ordered):.0f} ms "
        f"p90={p90:.0f} ms min={ordered[0]:.0f} ms max={ordered[-1]:.0f} ms"
    )


def open_catalogue(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/")
    expect(page.locator(HYDRATED)).to_be_attached(timeout=30_000)
    expect(page.locator(".product-card").first).to_be_visible(timeout=30_000)


def click_round_trips(browser: Browser, base_url: str, count: int) -> list[float]:
    context = browser.new_context()
    page = context.new_page()
    open_catalogue(page, base_url)
    page.evaluate(CLICK_TO_BADGE_JS, IN_STOCK_ADD)  # warm-up: first event pays for lazy work
    samples = [page.evaluate(CLICK_TO_BADGE_JS, IN_STOCK_ADD) for _ in range(count)]
    context.close()
    return samples


def timed_load(page: Page, base_url: str, reload: bool) -> float:
    start = time.perf_counter()
    if reload:
        page.reload()
        expect(page.locator(HYDRATED)).to_be_attached(timeout=30_000)
        expect(page.locator(".product-card").first).to_be_visible(timeout=30_000)
    else:
        open_catalogue(page, base_url)
    return (time.perf_counter() - start) * 1000


def catalogue_loads(browser: Browser, base_url: str, count: int) -> tuple[list[float], list[float]]:
    first_visits = []
    for _ in range(count):
        context = browser.new_context()
        first_visits.append(timed_load(context.new_page(), base_url, reload=False))
        context.close()
    context = browser.new_context()
    page = context.new_page()
    open_catalogue(page, base_url)
    revisits = [timed_load(page, base_url, reload=True) for _ in range(count)]
    context.close()
    return first_visits, revisits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8000")
    parser.add_argument("--clicks", type=int, default=30)
    parser.add_argument("--loads", type=int, default=10)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    base_url = args.base_url.rstrip("/")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, headless=True, args=CHROMIUM_ARGS
        )
        clicks = click_round_trips(browser, base_url, args.clicks)
        first_visits, revisits = catalogue_loads(browser, base_url, args.loads)
        browser.close()

    print(summary("Add to cart -> badge updated", clicks))
    print(summary("Catalogue load, first visit", first_visits))
    print(summary("Catalogue load, reload", revisits))


if __name__ == "__main__":
    main()
