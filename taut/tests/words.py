"""Test helpers for what a page says."""

import re

#: 911 as a number of its own: a random id or token in a page may hold those three digits.
NINE_ONE_ONE = re.compile(r"(?<![\w-])911(?![\w-])")
