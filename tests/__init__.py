"""Browser and cross-app tests. A package, so `tests` here is never a dependency's
top-level `tests` (textstat 0.7.8 installs one into site-packages)."""
