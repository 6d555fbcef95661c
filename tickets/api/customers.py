"""/api/v1/customers/: the customers of tickets the caller may see, and nobody else."""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from supportdesk.inputs import with_nul
from supportdesk.roles import AGENT, MANAGER, is_manager
from tickets.api.auth import require_role
from tickets.api.base import ApiView
from tickets.api.serializers import (
    CustomerDetailSerializer,
    CustomerPageSerializer,
    CustomerSerializer,
)
from tickets.customers.context import ContextSerializer, loaded_context, put_context
from tickets.customers.erasure import erase_customer, find_customer
from tickets.models import Customer, Ticket

PAGE_SIZE = 50
RECENT_TICKETS = 20


class EmailSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class ErasureSerializer(serializers.Serializer):
    tickets = serializers.IntegerField(help_text="Tickets anonymised (kept for the reports).")
    messages = serializers.IntegerField(help_text="Messages emptied.")
    attachments = serializers.IntegerField(help_text="Files deleted.")
    raw_mails = serializers.IntegerField(help_text="Mails as received, deleted.")
    contexts = serializers.IntegerField()
    webhook_payloads = serializers.IntegerField()
    audit_lines = serializers.IntegerField(help_text="Audit lines naming the address, blanked.")
    other = serializers.IntegerField()


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


def may_push_context(user) -> bool:
    """Managers, and users given "Can push customers' account context" (a service
    account for the backend that holds no inbox)."""
    return is_manager(user) or user.has_perm("tickets.push_customer_context")


class CustomerContextView(ApiView):
    @extend_schema(responses=ContextSerializer, operation_id="customers_context_read")
    def get(self, request: Request, email: str) -> Response:
        """The account context of a customer on a ticket you may see."""
        require_role(request, AGENT, MANAGER)
        customer = (
            visible_customers(request.user)
            .alias(address=Lower("email"))
            .filter(address=email.strip().lower())
            .select_related("context")
            .first()
        )
        context = loaded_context(customer) if customer else None
        if context is None:
            raise Http404("No account context for that customer on a ticket you can see.")
        return Response(ContextSerializer(context).data)

    @extend_schema(
        request=ContextSerializer,
        responses={200: ContextSerializer, 201: ContextSerializer},
        operation_id="customers_context_put",
    )
    def put(self, request: Request, email: str) -> Response:
        """Replace the customer's account context (managers, or the push permission);
        the customer is made if they never wrote yet."""
        if not may_push_context(request.user):
            raise PermissionDenied("This is for managers or the account-context pusher.")
        address = EmailSerializer(data={"email": email.strip()})
        address.is_valid(raise_exception=True)
        incoming = ContextSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        context, created = put_context(
            address.validated_data["email"], incoming.validated_data, by=request.user
        )
        return Response(ContextSerializer(context).data, status=201 if created else 200)


class CustomerErase(ApiView):
    @extend_schema(responses=ErasureSerializer, operation_id="customers_erase")
    def delete(self, request: Request, email: str) -> Response:
        """Erase everything personal about the customer, irreversibly (managers):
        the counts of what went; their tickets stay as anonymous rows for the reports."""
        require_role(request, MANAGER)
        customer = find_customer(email)
        if customer is None:
            raise Http404("No customer with that email.")
        erasure = erase_customer(customer, by=request.user, request=request._request)
        return Response(erasure.counts())
