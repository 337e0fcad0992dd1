"""Command groups that live beside their library modules; each entry is `register(sub, add)`."""
REGISTER: list = []
from . import cli_web; REGISTER.append(cli_web.register)  # noqa: E402,E702
from . import cli_graph; REGISTER.append(cli_graph.register)  # noqa: E402,E702
