"""The audit log: security-relevant actions, for managers to read (supportdesk.audit.views).

``record`` is the one way in. Sign-ins, failures and lockouts arrive through
Django's and axes' signals (wired in ``connect``), role and inbox-membership
changes through ``m2m_changed`` (the admin changes them), the rest from the
services that do the action (publish, discard, unlock).
"""

import logging

from django.contrib.auth.models import AbstractBaseUser

log = logging.getLogger("supportdesk.security")


def record(
    action: str,
    *,
    by: AbstractBaseUser | None = None,
    name: str = "",
    target: object = "",
    detail: str = "",
    request=None,
) -> None:
    from supportdesk.accounts.client_ip import client_ip
    from supportdesk.models import AuditEvent

    actor = by if by is not None and by.is_authenticated else None
    event = AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_name=(actor.get_username() if actor else name).replace("\x00", "")[:150],
        target=str(target).replace("\x00", "")[:255],
        detail=detail.replace("\x00", "")[:500],
        ip_address=client_ip(request) if request is not None else None,
    )
    log.info("audit: %s by %s on %r %s", action, event.actor_name, event.target, event.detail)


# == wiring (SupportdeskConfig.ready, TicketsConfig.ready) ==


def _signed_in(sender, request, user, **kwargs) -> None:
    record("sign_in", by=user, request=request)


def _sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    record("sign_in_failed", name=credentials.get("username") or "", request=request)


def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    record("locked_out", name=username or "", detail=f"from {ip_address}", request=request)


def _groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """A user's role groups changed (from either side of the relation)."""
    from django.contrib.auth.models import Group

    from supportdesk.roles import ROLES

    if action not in {"post_add", "post_remove"} or not pk_set:
        return
    verb = "added to" if action == "post_add" else "removed from"
    if reverse:  # group.user_set.add(users)
        if instance.name in ROLES:
            names = model.objects.filter(pk__in=pk_set).values_list("username", flat=True)
            for username in names:
                record("roles_changed", target=username, detail=f"{verb} {instance.name}")
        return
    roles = sorted(
        Group.objects.filter(pk__in=pk_set, name__in=ROLES).values_list("name", flat=True)
    )
    if roles:
        record(
            "roles_changed", target=instance.get_username(), detail=f"{verb} {', '.join(roles)}"
        )


def membership_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """Inbox members changed; connected by the tickets app for Inbox.members."""
    if action not in {"post_add", "post_remove"} or not pk_set:
        return
    verb = "added to" if action == "post_add" else "removed from"
    if reverse:  # user.inboxes.add(inboxes)
        for inbox in model.objects.filter(pk__in=pk_set):
            record("inbox_membership", target=instance.get_username(), detail=f"{verb} {inbox}")
        return
    for user in model.objects.filter(pk__in=pk_set):
        record("inbox_membership", target=user.get_username(), detail=f"{verb} {instance}")


def connect() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth import get_user_model
    from django.contrib.auth.signals import user_logged_in, user_login_failed
    from django.db.models.signals import m2m_changed

    user_logged_in.connect(_signed_in, dispatch_uid="audit.sign_in")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="audit.sign_in_failed")
    user_locked_out.connect(_locked_out, dispatch_uid="audit.locked_out")
    m2m_changed.connect(
        _groups_changed, sender=get_user_model().groups.through, dispatch_uid="audit.groups"
    )
