"""docs/api.md's verification snippet accepts our signature and nothing else."""

import re
from pathlib import Path

from django.conf import settings

from tickets.webhooks.signing import sign

DOC = Path(settings.BASE_DIR) / "docs" / "api.md"


def documented_verify():
    webhooks = DOC.read_text(encoding="utf-8").split("## Webhooks", 1)[1]
    [snippet] = re.findall(r"```python\n(.*?)```", webhooks.split("\n## ", 1)[0], re.S)
    namespace: dict = {}
    exec(snippet, namespace)  # the doc's code, as a receiver would paste it
    return namespace["verify"]


def test_the_documented_snippet_verifies_a_delivery_signature():
    verify = documented_verify()
    body = b'{"event":"ticket.solved","data":{"ticket":{"number":7}}}'
    header = sign("whsec_doc", body)

    assert verify("whsec_doc", header, body)
    assert not verify("whsec_other", header, body)
    assert not verify("whsec_doc", header, body.replace(b"7", b"8"))
    assert not verify("whsec_doc", sign("whsec_doc", body, timestamp=1_000_000), body)
    assert not verify("whsec_doc", "garbage", body)
