"""The tickets app's models, one module per part of the domain.

Each capability that brings its own tables adds a module here and one line
below, so ``tickets.models.X`` stays the one address for every model.
"""

from .inboxes import Customer, Inbox, InboxQuerySet
from .mail_intake import ImapMailbox, InboundEmail, InboundEmailQuerySet
from .participants import Participant
from .reporting import ReportDay, ReportSlice
from .resolution import ArticleLink, ContactArticle, Resolution, ResolutionArticle
from .thread import Attachment, Message, TicketEvent, attachment_path
from .ticket import EqualsAny, Ticket, TicketManager, TicketQuerySet

__all__ = [
    "ArticleLink",
    "Attachment",
    "ContactArticle",
    "Customer",
    "EqualsAny",
    "ImapMailbox",
    "InboundEmail",
    "InboundEmailQuerySet",
    "Inbox",
    "InboxQuerySet",
    "Message",
    "Participant",
    "ReportDay",
    "ReportSlice",
    "Resolution",
    "ResolutionArticle",
    "Ticket",
    "TicketEvent",
    "TicketManager",
    "TicketQuerySet",
    "attachment_path",
]
