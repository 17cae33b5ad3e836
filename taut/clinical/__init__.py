"""Taut's clinical rules: pure, sourced, tested.

Nothing in this package imports Django, reads settings, looks at the clock or
does I/O beyond loading its own versioned data files. Every public function's
docstring names its source (the ids are those of ``docs/clinical-rules.md``).
The web application calls these functions; it never re-implements a rule.
"""
