"""Text typed by a person, shown inside a sentence of ours."""


def sentence(text: str) -> str:
    """``text`` ending as a sentence ends: a full stop added only when it has none (typed
    text often ends with one already, and "come.." reads as a slip)."""
    text = text.strip()
    if not text or text[-1] in ".!?…":
        return text
    return text + "."
