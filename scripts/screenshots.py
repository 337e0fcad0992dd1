"""Screenshots of the web pages for the README (docs/screenshots/), on the bundled corpus.

    python3 scripts/screenshots.py                 # needs Debian's chromium and playwright

The corpus is ingested into a temporary database, `directives serve` runs on it, and Debian's
chromium (driven by Playwright, no browser download) photographs each page as a desktop
(1280 × 900) and as a phone (390 × 844) shows it.
"""
from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]

PAGES = [  # (file name, path, viewport)
    ("home", "/", "desktop"),
    ("document", "/document/{004}", "desktop"),
    ("directive", "/directive?key=91-KL%2FTW", "desktop"),
    ("lineage", "/lineage?key=224-KH%2FThU", "desktop"),
    ("search", "/search?q=giao+duc", "desktop"),
    ("deadlines", "/deadlines?since=2000-01-01&undated=1", "desktop"),
    ("phone-document", "/document/{004}", "phone"),
    ("phone-search", "/search?q=giao+duc", "phone"),
]
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    from playwright.sync_api import sync_playwright

    from pipeline.ingest import ingest
    from pipeline.storage import open_db

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "directives.db"
        ingest([ROOT / "corpus"], db, workers=0)
        conn = open_db(db)
        doc004 = conn.execute("select id from documents where path like '%004_%'").fetchone()[0]
        conn.close()
        port = _free_port()
        server = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--db", str(db),
                                   "--port", str(port)], cwd=ROOT)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
                for name, path, kind in PAGES:
                    w, h = SIZES[kind]
                    ctx = browser.new_context(viewport={"width": w, "height": h},
                                              is_mobile=kind == "phone",
                                              device_scale_factor=1)
                    page = ctx.new_page()
                    page.goto(base + path.replace("{004}", str(doc004)))
                    if page.locator(".lineage-graph").count():
                        page.wait_for_selector('.lineage-graph[data-rendered]', timeout=20_000)
                    out = OUT / f"{name}.png"
                    page.screenshot(path=str(out))
                    print(f"{out.relative_to(ROOT)}: {out.stat().st_size // 1024} KB")
                    ctx.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
