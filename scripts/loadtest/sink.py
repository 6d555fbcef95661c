"""An SMTP sink for the load test: accepts every mail and appends its Message-ID to a
file, one per line, so the run can count delivered and duplicated replies.

    python scripts/loadtest/sink.py PORT RECEIVED_FILE
"""

import asyncio
import signal
import sys
from email.parser import BytesHeaderParser

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, path: str) -> None:
        self.path = path

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        headers = BytesHeaderParser().parsebytes(envelope.original_content or envelope.content)
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(f"{headers.get('Message-ID', '').strip()}\n")
        return "250 OK"


def main() -> None:
    port, path = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Recorder(path), hostname="127.0.0.1", port=port)
    controller.start()
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        loop.run_until_complete(stop.wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
