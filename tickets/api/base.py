"""The base of every API view. (Apart from auth.py: DRF imports the
authentication classes while it defines APIView.)"""

from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.views import APIView


class ApiView(APIView):
    """Every API view: refuses NUL characters in the query string and the path
    (PostgreSQL cannot store or compare them) with a 400 naming the parameter,
    before any query could fail on them."""

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        odd = [
            name
            for name, values in [
                *request.query_params.lists(),
                *((k, [v]) for k, v in kwargs.items()),
            ]
            if any("\x00" in str(value) for value in values)
        ]
        if odd:
            raise ValidationError({name: ["Null characters are not allowed."] for name in odd})
