"""What decides whether a string is a template, without importing Jinja (the importer and
explain ask it about every string)."""

from __future__ import annotations

import re

#: A string that is one whole expression keeps the expression's type.
WHOLE = re.compile(r"^\{\{(?P<expr>(?:(?!\{\{|\}\}).)*)\}\}$", re.S)
#: The functions templates call; no variable may take their names.
FUNCTIONS = ("env", "secret", "file")


def has_template(text: str) -> bool:
    return "{" in text and ("{{" in text or "{%" in text or "{#" in text)
