"""Live SIRET autocomplete as a person feels it: from the last keystroke to the suggestions on screen.

A real browser (Debian's chromium, through Playwright) opens « Annuaire » and types, key by key at a
person's pace (120–250 ms between keys), SIRET prefixes (10–14 digits), SIRENs (9 digits) and name
fragments (one or two words, 1–8 characters each) drawn from the directory. For each query, the page
notes when its last key went down and when the combobox first shows the answer to that exact query (its
`data-answered` attribute, watched by a MutationObserver): the difference is the figure. In the same
run, the app's own time for that search (`data-search-ms`, measured around the directory search in the
app process) and the number of searches the input ran against the keys typed (`data-searches`).

`python -m bench autocomplete [--count=N] [--queries=N]`; the directory is generated once and kept in
.data/bench (shared with bench/directory.py, which it extends when it has fewer establishments).
"""

from __future__ import annotations

import asyncio
import random

from bench import directory
from bench.common import app_process, bench_servers, int_option, print_table, summary_ms

QUERIES = 60
COUNT = 100_000
PACE = (0.12, 0.25)  # seconds between two keys

WATCH = """() => {
  window.__answers = {};
  window.__lastKey = 0;
  document.addEventListener("keydown", () => { window.__lastKey = performance.now(); }, true);
  new MutationObserver((records) => {
    for (const r of records) {
      const value = r.target.dataset.answered;
      if (value !== undefined && !(value in window.__answers)) window.__answers[value] = performance.now();
    }
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-answered"] });
}"""


def _queries(samples: list[tuple[str, str]], rng: random.Random, count: int) -> list[tuple[str, str]]:
    queries = []
    for _ in range(count):
        siret, name_norm = rng.choice(samples)
        kind = rng.choice(("siret", "siren", "name"))
        if kind == "siret":
            text = siret[: rng.randint(10, 14)]
        elif kind == "siren":
            text = siret[:9]
        else:
            words = [w for w in name_norm.split() if len(w) > 1] or name_norm.split()
            text = " ".join(w[: rng.randint(1, 8)] for w in rng.sample(words, k=min(len(words), rng.choice((1, 2)))))
        queries.append((kind, text))
    return queries


async def _type_all(url: str, queries: list[tuple[str, str]], rng: random.Random) -> dict:
    from playwright.async_api import async_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    felt: dict[str, list[float]] = {"siret": [], "siren": [], "name": []}
    server: dict[str, list[float]] = {"siret": [], "siren": [], "name": []}
    keys = searches = 0
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await browser.new_page()
        page.set_default_timeout(20_000)
        await page.goto(f"{url}/annuaire")
        field = page.locator("#annuaire-siret")
        await field.wait_for()
        await page.evaluate(WATCH)
        box = page.locator(".combobox")
        for index, (kind, text) in enumerate(queries):
            await field.fill("")
            await page.wait_for_function("() => document.querySelector('.combobox').dataset.answered === ''")
            await page.evaluate("() => { window.__answers = {}; }")
            before = int(await box.get_attribute("data-searches") or 0)
            await field.focus()
            for char in text:
                await page.keyboard.type(char)
                await asyncio.sleep(rng.uniform(*PACE))
            await page.wait_for_function("(t) => t in window.__answers", arg=text)
            shown, last = await page.evaluate("(t) => [window.__answers[t], window.__lastKey]", text)
            if index >= 3:  # the first queries warm the app (imports, the pool, PostgreSQL's cache)
                felt[kind].append((shown - last) / 1000)
                server[kind].append(float(await box.get_attribute("data-search-ms")) / 1000)
                keys += len(text)
                searches += int(await box.get_attribute("data-searches")) - before
        await browser.close()
    return {"felt": felt, "server": server, "keys": keys, "searches": searches}


def main(options: list[str]) -> None:
    directory.COUNT = int_option(options, "count", COUNT)
    queries = int_option(options, "queries", QUERIES)
    with bench_servers():
        samples = asyncio.run(directory._prepare("--rebuild" in options))
        rng = random.Random(16)
        typed = _queries(samples, rng, queries + 3)
        with app_process(port=8767) as url:
            result = asyncio.run(_type_all(url, typed, rng))
    rows = []
    every_felt = [v for values in result["felt"].values() for v in values]
    every_server = [v for values in result["server"].values() for v in values]
    for kind, felt, server in [*((k, result["felt"][k], result["server"][k]) for k in ("siret", "siren", "name")),
                               ("all", every_felt, every_server)]:
        f, s = summary_ms(felt), summary_ms(server)
        rows.append([kind, f["n"], f"{f['p50']:.1f}", f"{f['p95']:.1f}", f"{s['p50']:.2f}", f"{s['p95']:.2f}"])
    print_table(["kind", "queries", "last key → suggestions p50 ms", "p95 ms", "app search p50 ms", "app search p95 ms"], rows)
    print(f"{result['keys']} keys typed, {result['searches']} searches run ({result['searches'] / max(result['keys'], 1):.2f} per key)")
    p95 = summary_ms(every_felt)["p95"]
    print(f"p95 under 50 ms from the last keystroke to the suggestions: {'met' if p95 < 50 else 'missed'} ({p95:.1f} ms)")
