"""Ovi's REST channel: Rasa's REST webhook (same URL and JSON), with two differences.

- A response that has both text and a ``custom`` payload is sent as ONE message carrying both, as
  ../shared/SPEC.md §3 asks of the crisis answer ("the first message of such a reply carries, besides its
  text, a custom field"); Rasa's own collector would split them into two messages.
- Failures are logged without the resident's message (Rasa's own channel logs the text).

Configured in ``bot/credentials.yml`` as ``bot.channels.OviRestInput``; its name is ``rest``, so the URL
stays ``/webhooks/rest/webhook``.
"""

from __future__ import annotations

import logging
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)


class OviCollectingOutputChannel(CollectingOutputChannel):
    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        if message.get("text") and message.get("custom") and not message.get("buttons"):
            await self._persist_message(
                self._message(recipient_id, text=message["text"], custom=message["custom"])
            )
            return
        await super().send_response(recipient_id, message)


class OviRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            sender_id = await self._extract_sender(request)
            text = self._extract_message(request)
            collector = OviCollectingOutputChannel()
            try:
                await on_new_message(UserMessage(text, collector, sender_id,
                                                 input_channel=self._extract_input_channel(request),
                                                 metadata=self.get_metadata(request)))
            except CancelledError:
                logger.error("rest message timed out")
            except Exception:  # never log the message itself: it is residents' health and social data
                logger.error("rest message failed", exc_info=True)
            return response.json(collector.messages)

        return webhook
