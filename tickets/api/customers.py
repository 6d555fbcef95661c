"""/api/v1/customers/: the customers of tickets the caller may see, and nobody else."""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from supportdesk.inputs import with_nul
from supportdesk.roles import AGENT, MANAGER
from tickets.api.auth import require_role
from tickets.api.base import ApiView
from tickets.api.serializers import (
    CustomerDetailSerializer,
    CustomerPageSerializer,
    CustomerSerializer,
)
from tickets.models import Customer, Ticket

PAGE_SIZE = 50
RECENT_TICKETS = 20


def visible_customers(user):
    """Customers with at least one ticket ``user`` may see (the one visibility rule)."""
    tickets = Ticket.objects.visible_to(user).filter(customer_id=OuterRef("pk"))
    return Customer.objects.filter(Exists(tickets))


class CustomerList(ApiView):
    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Part of the email or name."),
            OpenApiParameter("after", OpenApiTypes.STR, description="Cursor (from `next`)."),
        ],
        responses=CustomerPageSerializer,
        operation_id="customers_list",
    )
    def get(self, request: Request) -> Response:
        """By email, in keyset pages."""
        require_role(request, AGENT, MANAGER)
        customers = visible_customers(request.user).alias(address=Lower("email"))
        q = request.query_params.get("q", "").strip()
        after = request.query_params.get("after", "")
        if bad := with_nul(request.query_params, "q", "after"):
            raise ValidationError({name: ["Contains a NUL character."] for name in bad})
        if len(q) > 200 or len(after) > 254:
            raise ValidationError({"q" if len(q) > 200 else "after": ["Too long."]})
        if q:
            customers = customers.filter(email__icontains=q) | customers.filter(name__icontains=q)
        if after:
            customers = customers.filter(address__gt=after.lower())
        rows = list(customers.order_by("address")[: PAGE_SIZE + 1])
        more = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        next_url = None
        if more:
            query = request.query_params.copy()
            query["after"] = rows[-1].email.lower()
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return Response({"results": CustomerSerializer(rows, many=True).data, "next": next_url})


class CustomerDetail(ApiView):
    @extend_schema(responses=CustomerDetailSerializer, operation_id="customers_read")
    def get(self, request: Request, email: str) -> Response:
        """The customer and their latest tickets that you may see."""
        require_role(request, AGENT, MANAGER)
        customer = (
            visible_customers(request.user)
            .alias(address=Lower("email"))
            .filter(address=email.strip().lower())
            .first()
        )
        if customer is None:
            raise Http404("No customer with that email on a ticket you can see.")
        customer.visible_tickets = list(
            Ticket.objects.visible_to(request.user)
            .filter(customer=customer)
            .select_related("inbox", "customer", "assignee", "category")
            .order_by("-created_at", "-id")[:RECENT_TICKETS]
        )
        return Response(CustomerDetailSerializer(customer).data)
