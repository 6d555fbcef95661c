"""Background work of the email channel (run by ``manage.py db_worker``)."""

from django.tasks import task

from tickets.mail import outbound


@task
def send_message(message_pk: int) -> str:
    return outbound.deliver_message(message_pk, only_when_due=True)


@task
def send_acknowledgement(message_pk: int) -> bool:
    return outbound.send_acknowledgement(message_pk)


@task
def fetch_mail() -> list[str]:
    """Poll every enabled IMAP mailbox once (cron ``manage.py fetch_mail`` does the same)."""
    from tickets.mail.imap import fetch_all

    return [str(report) for report in fetch_all()]
