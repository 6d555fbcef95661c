"""The tickets app's models, one module per part of the domain.

Each capability that brings its own tables adds a module here and one line
below, so ``tickets.models.X`` stays the one address for every model.
"""

from .agents import AgentSettings, Notification
from .article_report import ReportArticle
from .customer_access import Satisfaction, TicketAccess, token_hash
from .customers import CustomerContext
from .inboxes import Customer, Inbox, InboxQuerySet
from .live_counts import LiveCount
from .macros import Macro, MacroQuerySet
from .mail_intake import ImapMailbox, InboundEmail, InboundEmailQuerySet
from .merge import TicketMerge
from .participants import Participant
from .report_moves import ReportMove
from .reporting import ReportDay, ReportSlice
from .resolution import ArticleLink, ContactArticle, Resolution, ResolutionArticle
from .sla import BusinessHours, Holiday, SlaPolicy, TicketSla
from .slice_blocks import ReportSliceBlock
from .tags import Tag, TicketTag
from .thread import Attachment, Message, TicketEvent, attachment_path
from .ticket import EqualsAny, Ticket, TicketManager, TicketQuerySet
from .webhooks import Webhook, WebhookDelivery, WebhookEvent

__all__ = [
    "AgentSettings",
    "ArticleLink",
    "Attachment",
    "BusinessHours",
    "ContactArticle",
    "Customer",
    "CustomerContext",
    "EqualsAny",
    "Holiday",
    "ImapMailbox",
    "InboundEmail",
    "InboundEmailQuerySet",
    "Inbox",
    "InboxQuerySet",
    "LiveCount",
    "Macro",
    "MacroQuerySet",
    "Message",
    "Notification",
    "Participant",
    "ReportArticle",
    "ReportDay",
    "ReportMove",
    "ReportSlice",
    "ReportSliceBlock",
    "Resolution",
    "ResolutionArticle",
    "Satisfaction",
    "SlaPolicy",
    "Tag",
    "Ticket",
    "TicketAccess",
    "TicketEvent",
    "TicketManager",
    "TicketMerge",
    "TicketQuerySet",
    "TicketSla",
    "TicketTag",
    "Webhook",
    "WebhookDelivery",
    "WebhookEvent",
    "attachment_path",
    "token_hash",
]
