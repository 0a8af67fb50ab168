"""Screenshots of every dashboard page at 1366×768 on the demo data, for a reviewer to look at.

Each page as the user it is for, in English (and the overview and an indicator page in
Dutch and German too): the first screen as seen, and the whole page scrolled through.

Run: .venv/bin/python bench/screenshots.py [--out screenshots]   (or `make screenshots`)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.browse import PAGES, chromium, demo_database, open_page, session, workdir
from tests.server import running_server

LANGUAGES = {"en": "en-GB", "nl": "nl-NL", "de": "de-DE"}
TRANSLATED = ("overview", "indicator", "entry")  # also shown in Dutch and German


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with workdir(None) as work, running_server(demo_database(work), work) as server, chromium() as browser:
        for language, locale in LANGUAGES.items():
            pages = [p for p in PAGES if language == "en" or p.name in TRANSLATED]
            contexts = {user: session(browser, server.url, user, locale) for user in {p.user for p in pages}}
            for target in pages:
                page = contexts[target.user].new_page()
                open_page(page, server.url, target)
                stem = args.out / f"{target.name}-{language}"
                page.screenshot(path=f"{stem}.png")
                page.screenshot(path=f"{stem}-full.png", full_page=True)
                print(f"{stem}.png  ({target.path} as {target.user or 'anonymous'})")
                page.close()
            for context in contexts.values():
                context.close()


if __name__ == "__main__":
    main()
