"""Names and folders the web modules share (kept apart so that no two of them import each other)."""
from pathlib import Path

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES = WEB_DIR / "templates"
STATIC = WEB_DIR / "static"
STATIC_MOUNT = "-/directives-static"  # served at /-/directives-static/<file>
PLUGIN_NAME = "directives-web"
