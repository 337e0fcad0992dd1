"""The `directives` command line: a thin layer over the library (every command is a library
call). main.py holds the parser and the document commands, graph_commands.py the graph queries,
web_commands.py `serve`."""
from .main import build_parser, main

__all__ = ["build_parser", "main"]
