"""How a proportion reads on the analytics pages: "62 % (55–68 %)"."""

from django import template

register = template.Library()


@register.filter
def share(proportion) -> str:
    """A proportion with its interval in whole percent, or a dash when it has no sessions."""
    if proportion is None or proportion.estimate is None:
        return "—"
    return (
        f"{round(proportion.estimate * 100)} % "
        f"({round(proportion.low * 100)}–{round(proportion.high * 100)} %)"
    )


@register.filter
def per_thousand(value: float) -> str:
    return f"{value:.1f}"
