"""The customer's account context: the schema the backend pushes, storing it, and
what the ticket page and suggestions read from it."""

import json

from django.db import transaction
from django.utils import timezone
from rest_framework import serializers

from tickets.models import Customer, CustomerContext
from tickets.services import get_or_create_customer

MAX_FAILURES = 20
MAX_EXTRA_BYTES = 8192


class FailureSerializer(serializers.Serializer):
    id = serializers.CharField(max_length=100, help_text="The generation's id.")
    error_code = serializers.CharField(max_length=60, help_text="e.g. GPU_TIMEOUT, NSFW_BLOCKED.")
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class ContextSerializer(serializers.ModelSerializer):
    """``PUT /api/v1/customers/<email>/context``: the whole context each time
    (a field left out is cleared). Times are ISO 8601 with their offset."""

    recent_failures = FailureSerializer(
        many=True, required=False, help_text=f"Newest first, at most {MAX_FAILURES}."
    )
    extra = serializers.JSONField(
        required=False, help_text="Anything else, a JSON object (at most 8 KB)."
    )
    updated_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = CustomerContext
        fields = [
            "plan", "plan_change", "plan_changed_at", "credits_balance", "credits_refreshed_at",
            "renewal_date", "recent_failures", "extra", "updated_at",
        ]  # fmt: skip
        extra_kwargs = {
            "plan": {"help_text": "The plan's name, e.g. Pro."},
            "plan_change": {"help_text": "How the last plan change went (or empty)."},
            "credits_balance": {"min_value": -(2**31), "max_value": 2**31 - 1},
        }

    def validate_recent_failures(self, value: list) -> list:
        if len(value) > MAX_FAILURES:
            raise serializers.ValidationError(f"At most {MAX_FAILURES} failures.")
        return [{**row, "at": row["at"].isoformat() if row.get("at") else None} for row in value]

    def validate_extra(self, value) -> dict:
        if not isinstance(value, dict):
            raise serializers.ValidationError("A JSON object, please.")
        if len(json.dumps(value)) > MAX_EXTRA_BYTES:
            raise serializers.ValidationError(f"At most {MAX_EXTRA_BYTES} bytes of JSON.")
        if "\x00" in json.dumps(value):
            raise serializers.ValidationError("Null characters are not allowed.")
        return value


FIELDS = [
    "plan", "plan_change", "plan_changed_at", "credits_balance", "credits_refreshed_at",
    "renewal_date", "recent_failures", "extra",
]  # fmt: skip
EMPTY = {"plan": "", "plan_change": "", "recent_failures": [], "extra": {}}


@transaction.atomic
def put_context(email: str, data: dict, *, by) -> tuple[CustomerContext, bool]:
    """Replace the customer's context with ``data`` (validated); the customer is
    made if they never wrote yet. (context, created)."""
    customer: Customer = get_or_create_customer(email)
    values = {name: data.get(name, EMPTY.get(name)) for name in FIELDS}
    return CustomerContext.objects.update_or_create(
        customer=customer, defaults={**values, "updated_at": timezone.now(), "updated_by": by}
    )


def loaded_context(customer: Customer) -> CustomerContext | None:
    """The customer's context, read with them (select_related) or else now."""
    try:
        return customer.context
    except CustomerContext.DoesNotExist:
        return None
