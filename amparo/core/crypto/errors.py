"""Exceptions of envelope encryption. Callers catch DecryptionError for every failed read."""

from __future__ import annotations


class CryptoError(Exception):
    """Base of every error raised by amparo.core.crypto."""


class MasterKeyMissing(CryptoError):
    """No usable master key (KEK): Tier-1 data can be neither read nor written."""


class DecryptionError(CryptoError):
    """A ciphertext is malformed, tampered with, or bound to another row, field or
    organisation. Never answered with an empty value."""


class KeyDestroyed(DecryptionError):
    """The data key this ciphertext needs is gone: the organisation was crypto-shredded."""
