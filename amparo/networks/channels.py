"""Channels that carry alert messages out of Amparo: email for real, and HTTP gateways for SMS
and Signal (a self-hosted signal-cli REST API, or an SMS gateway that takes the same JSON).

Every message carries an idempotency key (the delivery's id): the HTTP gateways get it as the
`Idempotency-Key` header and in the body, email as a stable Message-ID, so a message sent again
after a crash can be recognised as the same one (ADR 0031). Gateways are configured by
settings, read with defaults until they exist:

    AMPARO_SMS_GATEWAY_URL, AMPARO_SMS_GATEWAY_TOKEN, AMPARO_SMS_SENDER
    AMPARO_SIGNAL_GATEWAY_URL, AMPARO_SIGNAL_GATEWAY_TOKEN, AMPARO_SIGNAL_SENDER
    AMPARO_GATEWAY_TIMEOUT (seconds, default 10)

Content is decided by the caller (amparo/networks/delivery.py): channels only carry it.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from http import HTTPStatus
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage

from amparo.networks.enums import E2E_CHANNELS, ChannelKind


class ChannelError(Exception):
    """The message may not have left; `code` is a short Tier-2 reason (never gateway text)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class ChannelUnavailable(ChannelError):
    """The channel is not configured on this installation."""

    def __init__(self) -> None:
        super().__init__("unavailable")


@dataclass(frozen=True)
class OutboundMessage:
    idempotency_key: str
    address: str
    subject: str
    body: str


class Channel(Protocol):
    kind: ChannelKind
    #: True when only the recipient can read the content (it may carry the alert's text).
    end_to_end: bool

    def send(self, message: OutboundMessage) -> None:
        """Hand the message over, or raise ChannelError."""


class EmailChannel:
    kind = ChannelKind.EMAIL
    end_to_end = False

    def send(self, message: OutboundMessage) -> None:
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("<> ") or "amparo.invalid"
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            to=[message.address],
            # Stable across retries: mail systems and clients fold duplicates by Message-ID.
            headers={"Message-ID": f"<{message.idempotency_key}@{domain}>"},
        )
        try:
            email.send(fail_silently=False)
        except OSError as error:
            raise ChannelError("refused") from error


class HttpGatewayChannel:
    """JSON POST in the signal-cli-rest-api `/v2/send` shape:
    `{"message": ..., "number": <sender>, "recipients": [<address>]}`."""

    def __init__(
        self, *, kind: ChannelKind, url: str, token: str = "", sender: str = "", timeout: float = 10
    ) -> None:
        self.kind = kind
        self.end_to_end = kind in E2E_CHANNELS
        self.url = url
        self.token = token
        self.sender = sender
        self.timeout = timeout

    def send(self, message: OutboundMessage) -> None:
        if not self.url.startswith(("http://", "https://")):
            raise ChannelUnavailable
        body = json.dumps(
            {
                "message": message.body,
                "number": self.sender,
                "recipients": [message.address],
                "idempotency_key": message.idempotency_key,
            }
        ).encode()
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": message.idempotency_key,
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")  # noqa: S310 -- scheme checked above
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as error:
            raise ChannelError(f"http_{error.code}") from error
        except TimeoutError as error:
            raise ChannelError("timeout") from error
        except OSError as error:
            raise ChannelError("unreachable") from error
        if not HTTPStatus.OK <= status < HTTPStatus.MULTIPLE_CHOICES:
            raise ChannelError(f"http_{status}")


def _gateway(kind: ChannelKind, prefix: str) -> HttpGatewayChannel:
    return HttpGatewayChannel(
        kind=kind,
        url=getattr(settings, f"AMPARO_{prefix}_GATEWAY_URL", ""),
        token=getattr(settings, f"AMPARO_{prefix}_GATEWAY_TOKEN", ""),
        sender=getattr(settings, f"AMPARO_{prefix}_SENDER", ""),
        timeout=float(getattr(settings, "AMPARO_GATEWAY_TIMEOUT", 10)),
    )


def channel_for(kind: str) -> Channel:
    """The configured channel of this kind (ChannelUnavailable when sending is attempted on a
    gateway that is not configured)."""
    if kind == ChannelKind.EMAIL:
        return EmailChannel()
    if kind == ChannelKind.SMS:
        return _gateway(ChannelKind.SMS, "SMS")
    if kind == ChannelKind.SIGNAL:
        return _gateway(ChannelKind.SIGNAL, "SIGNAL")
    raise ChannelUnavailable


def is_configured(kind: str) -> bool:
    if kind == ChannelKind.EMAIL:
        return True
    prefix = "SMS" if kind == ChannelKind.SMS else "SIGNAL"
    return bool(getattr(settings, f"AMPARO_{prefix}_GATEWAY_URL", ""))
