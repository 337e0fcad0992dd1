"""Command groups that live beside their library modules; each entry is `register(sub, add)`."""
REGISTER: list = []
