"""Text as a search compares it, and a prefix match that an ordinary B-tree index serves.

``fold("  José  Öztürk-SSand ")`` is ``"jose ozturk ssand"``: accents gone (Unicode NFKD,
combining marks dropped, plus the few Latin letters NFKD leaves whole), case folded, and
anything that is not a letter or digit turned into one space. Names are stored folded (see
``Patient.search_name``) and what a person types is folded the same way, so "jose" finds
"José" and "ÖZTÜRK" finds "Öztürk" on every database, without collations or extensions.

``column__prefix=value`` is "starts with" written so that each database answers it from a
B-tree index (see docs/decisions/0018-search-from-indexes.md):

- SQLite compares text byte by byte (BINARY), so a range ``[value, value + U+10FFFF)``
  holds exactly the strings that start with ``value`` and is served by a plain index
  (SQLite's own LIKE is case-insensitive and uses an index only on NOCASE columns);
- PostgreSQL compares text by the database's collation, where such a range is not a prefix,
  so there it is ``LIKE 'value%'``, served by an index with ``varchar_pattern_ops``.
"""

import unicodedata

from django.db.models import CharField, Lookup

# Latin letters NFKD keeps whole; a person searching types them as these.
_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i", "ħ": "h"}
)
_LAST = "\U0010ffff"  # the greatest code point: sorts after every character a name holds


def fold(text: str) -> str:
    """``text`` as searches compare it: no accents, case folded, words split by one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LETTERS)
    return " ".join("".join(c if c.isalnum() else " " for c in bare).split())


@CharField.register_lookup
class Prefix(Lookup):
    """``column__prefix=value``: the column starts with ``value`` (exactly, case included),
    answered from an index on SQLite and PostgreSQL."""

    lookup_name = "prefix"

    def as_sql(self, compiler, connection):
        column, column_params = self.process_lhs(compiler, connection)
        value = self._value()
        return f"({column} >= %s AND {column} < %s)", (
            *column_params, value, *column_params, value + _LAST,
        )  # fmt: skip

    def as_postgresql(self, compiler, connection):
        column, column_params = self.process_lhs(compiler, connection)
        escaped = connection.ops.prep_for_like_query(self._value())
        return f"{column} LIKE %s", (*column_params, f"{escaped}%")

    def _value(self) -> str:
        if not isinstance(self.rhs, str):
            raise TypeError("__prefix compares with a string.")
        return self.rhs
