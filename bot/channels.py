"""Ovi's channels: Rasa's REST webhook and socket.io (same URLs, same JSON/events), guarded.

Every message goes through ``admit`` before Rasa sees it:

1. bad input (``ovi_lang.input_check``): a message over 2,000 characters, empty, only emoji, binary or in a
   mixed script gets one short guiding Finnish line from the channel itself; Rasa does not parse it and the
   conversation's state does not change. The REST channel answers a body over ``MAX_BODY_BYTES`` the same
   way without even decoding its JSON, and Sanic refuses a body over ``REQUEST_MAX_SIZE`` (413) before
   reading it all;
2. personal identifiers are removed (``ovi_lang.privacy.scrub``): the NLU, the tracker store, the action
   server and every log only ever see the scrubbed text. On REST, a sender id that itself contains an
   identifier (a phone number as a session id) is replaced by a stable hash of it (socket.io needs its
   session id as it is: the answers go to the room of that id).

Scrubbing runs in a worker thread, so a long message does not hold up other residents' requests.

The REST channel also differs from Rasa's own in two ways:

- A response that has both text and a ``custom`` payload is sent as ONE message carrying both, as
  ../shared/SPEC.md §3 asks of the crisis answer ("the first message of such a reply carries, besides its
  text, a custom field"); Rasa's own collector would split them into two messages.
- Failures are logged without the resident's message (Rasa's own channel logs the text).

Configured in ``bot/credentials.yml`` as ``bot.channels.OviRestInput`` and ``bot.channels.OviSocketIOInput``;
their names are ``rest`` and ``socketio``, so the URLs stay ``/webhooks/rest/webhook`` and ``/socket.io``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import uuid
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import action_response_check
from ovi_lang.embeddings import default_encoder
from ovi_lang.input_check import MAX_BODY_BYTES, REPLIES, Problem, check_message, clean_message
from ovi_lang.privacy import scrub

logger = logging.getLogger(__name__)

action_response_check.install()  # every `rasa run` of Ovi loads this module: see action_response_check

REQUEST_MAX_SIZE = 8 * 1024 * 1024
"""Sanic answers 413 to a larger body without reading it; below it the channel answers politely."""
MAX_SENDER_CHARS = 128


@dataclass(frozen=True)
class Admitted:
    problem: Problem | None
    text: str


async def admit(text: object) -> Admitted:
    """Check a message and scrub it (in a worker thread: Voikko is not free on 2,000 characters); the
    admitted message's vector starts at once (``warm``)."""
    problem = check_message(text)
    if problem is not None or not isinstance(text, str):
        return Admitted(problem or "not_text", "")
    cleaned = clean_message(text)
    scrubbed = await asyncio.get_running_loop().run_in_executor(None, scrub, cleaned)
    warm(scrubbed)
    return Admitted(None, scrubbed)


def warm(text: str) -> None:
    """Start the message's e5 vector on a thread as it arrives (``QueryMemory.warm``), for the featurizer
    to take when the NLU reaches it: meanwhile the worker takes the conversation's lock, reads its tracker
    and runs spaCy. The text as Rasa's ``UserMessage`` keeps it (stripped); a "/intent" payload is never
    featurized."""
    text = text.strip()
    if text and not text.startswith("/"):
        default_encoder().warm([text])


def safe_sender(sender: str) -> str:
    """The sender id, or a stable pseudonym when the id itself contains a personal identifier."""
    if scrub(sender) == sender:
        return sender
    return "anon-" + hashlib.sha256(sender.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _limit_body_size(app: Sanic, _loop: Any) -> None:
    app.config.REQUEST_MAX_SIZE = min(app.config.REQUEST_MAX_SIZE, REQUEST_MAX_SIZE)


class OviCollectingOutputChannel(CollectingOutputChannel):
    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        if message.get("text") and message.get("custom") and not message.get("buttons"):
            await self._persist_message(
                self._message(recipient_id, text=message["text"], custom=message["custom"])
            )
            return
        await super().send_response(recipient_id, message)


def _reply(recipient_id: str, problem: Problem, status: int = 200) -> HTTPResponse:
    return response.json([{"recipient_id": recipient_id, "text": REPLIES[problem]}], status=status)


class OviRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)
        webhook.listener("before_server_start")(_limit_body_size)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if len(request.body or b"") > MAX_BODY_BYTES:  # answered unread: no JSON decoding of megabytes
                return _reply("", "too_long")
            try:
                payload = json.loads(request.body or b"")
            except (ValueError, UnicodeDecodeError):
                return _reply("", "binary", status=400)
            if not isinstance(payload, dict):
                return _reply("", "not_text", status=400)
            sender = payload.get("sender", "default")  # Rasa's own default sender id
            if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS \
                    or check_message(sender) is not None:
                return response.json({"error": "invalid sender"}, status=400)
            sender = safe_sender(sender)
            admitted = await admit(payload.get("message"))
            if admitted.problem is not None:
                return _reply(sender, admitted.problem)
            metadata = payload.get("metadata") if isinstance(payload.get("metadata"), dict) else None
            collector = OviCollectingOutputChannel()
            try:
                await on_new_message(UserMessage(admitted.text, collector, sender,
                                                 input_channel=self._extract_input_channel(request),
                                                 metadata=metadata))
            except CancelledError:
                logger.error("rest message timed out")
            except Exception:  # never log the message itself: it is residents' health and social data
                logger.error("rest message failed", exc_info=True)
            return response.json(collector.messages)

        return webhook

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()


class OviSocketIOOutput(SocketIOOutput):
    """Rasa 3.6's socket.io output passes a ``custom`` payload to ``AsyncServer.emit`` as keyword arguments,
    which fails (the crisis payload has a ``type``) and cuts the answer and the saving of the turn short.
    Here a message with a ``custom`` payload is emitted as one ``bot_uttered`` event that carries the text
    and the payload, as on REST."""

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        if message.get("custom") is not None:
            await self._send_message(recipient_id, {key: message[key] for key in ("text", "custom", "buttons")
                                                    if message.get(key)})
            return
        await super().send_response(recipient_id, message)


class OviSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel with every message admitted first (see ``admit``), session persistence
    that works with python-socketio 5 (see ``session_request``) and custom payloads that reach the client
    (``OviSocketIOOutput``)."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def guarded(message: UserMessage) -> None:
            # The sender id stays as it is: socket.io routes the answers to the room of that id (a session
            # id the widget generates).
            output: OutputChannel = message.output_channel
            admitted = await admit(message.text)
            if admitted.problem is not None:
                await output.send_text_message(message.sender_id, REPLIES[admitted.problem])
                return
            message.text = admitted.text
            message.output_channel = OviSocketIOOutput(self.sio, self.bot_message_evt)
            try:
                await on_new_message(message)
            except Exception:  # never log the message itself
                logger.error("socket.io message failed", exc_info=True)

        blueprint = super().blueprint(guarded)
        sio = self.sio

        # Rasa 3.6 calls python-socketio 5's coroutine ``enter_room`` without awaiting it, so with
        # ``session_persistence`` the client never joined its session's room and got no answers.
        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: dict[str, Any] | None) -> None:
            session_id = (data or {}).get("session_id") or uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        return blueprint
