"""Writes for visits. Every write takes the visit version the form was opened at, is
atomic, audited, and refused on a closed (signed or ended) visit."""
