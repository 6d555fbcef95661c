from django import template

register = template.Library()


@register.filter
def who(user, default: str = "—") -> str:
    """A person's name; ``default`` when there is nobody (an import, a deleted user)."""
    if user is None:
        return default
    return user.get_full_name() or user.get_username()


@register.filter
def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{round(rate * 100)} %"
