from taut.accounts.roles import ROLE_NEEDS


def staff(request):
    """The signed-in staff member's clinic, for the top bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"clinic": user.clinic, "needs": _needs(user)}


def _needs(user):
    return {str(need) for need in ROLE_NEEDS.get(user.role, ())}
