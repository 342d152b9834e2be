"""The amp1 format, its associated data, nonces and the keyring (CRY-01, CRY-02, CRY-04)."""

from __future__ import annotations

import base64
import uuid

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from amparo.core import crypto
from amparo.core.crypto import aead, keyring
from amparo.core.crypto.master import master_key
from amparo.core.models import DataKey

pytestmark = pytest.mark.django_db

ORG_A = uuid.UUID("0a0a0a0a-0000-4000-8000-00000000000a")
ORG_B = uuid.UUID("0b0b0b0b-0000-4000-8000-00000000000b")
ROW = uuid.UUID("12121212-0000-4000-8000-000000000012")
OTHER_ROW = uuid.UUID("34343434-0000-4000-8000-000000000034")
LABEL = "desk.Case.notes"
PLACE = {"organisation_id": ORG_A, "label": LABEL, "row_id": ROW}
FIXTURES_OK = hypothesis_settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200, deadline=None
)


@pytest.mark.req("CRY-01")
@pytest.mark.parametrize("plaintext", [b"", b"Ana Mar\xc3\xada", b"\x00" * 4 * 1024 * 1024])
def test_encrypt_round_trips(plaintext):
    token = crypto.encrypt(plaintext, **PLACE)

    assert crypto.decrypt(token, **PLACE) == plaintext


@pytest.mark.req("CRY-01")
def test_token_has_the_versioned_format_and_hides_the_plaintext():
    token = crypto.encrypt(b"Finca La Esperanza", **PLACE)

    prefix, version, body = token.split(":")
    blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    assert (prefix, version, len(blob)) == ("amp1", "1", 12 + len(b"Finca La Esperanza") + 16)
    assert b"Esperanza" not in blob


@pytest.mark.req("CRY-01")
@FIXTURES_OK
@given(position=st.integers(min_value=0), replacement=st.sampled_from("Aa0_-:1z"))
def test_any_changed_character_fails(position, replacement):
    token = crypto.encrypt(b"witness: Rosa", **PLACE)
    index = position % len(token)
    if token[index] == replacement:
        replacement = "B"
    tampered = token[:index] + replacement + token[index + 1 :]

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered, **PLACE)


@pytest.mark.req("CRY-01")
@FIXTURES_OK
@given(position=st.integers(min_value=0), flip=st.integers(min_value=1, max_value=255))
def test_any_flipped_byte_of_nonce_ciphertext_or_tag_fails(position, flip):
    parsed = aead.parse_token(crypto.encrypt(b"safe house: Calle 9", **PLACE))
    blob = bytearray(parsed.blob)
    blob[position % len(blob)] ^= flip

    with pytest.raises(crypto.DecryptionError, match="does not authenticate"):
        crypto.decrypt(aead.format_token(parsed.version, bytes(blob)), **PLACE)


@pytest.mark.req("CRY-01")
@pytest.mark.parametrize(
    "token",
    ["", "plain text", "amp2:1:AAAA", "amp1:0:AAAA", "amp1:+1:AAAA", "amp1:1:", "AMP1:1:AAAA"],
)
def test_unknown_prefix_or_malformed_token_fails(token):
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, **PLACE)


def test_non_canonical_base64_is_refused():
    token = crypto.encrypt(b"x", **PLACE)  # 29 bytes: the last character carries 2 spare bits
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    spare_bit_set = alphabet[alphabet.index(token[-1]) ^ 1]

    with pytest.raises(crypto.DecryptionError, match="canonical"):
        crypto.decrypt(token[:-1] + spare_bit_set, **PLACE)


def _reference_unb64url(text: str) -> bytes | None:
    """What `unb64url` must accept, written the obvious way: decode, then encode again and
    compare (None where it must refuse)."""
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        return None
    return data if base64.urlsafe_b64encode(data).rstrip(b"=").decode() == text else None


@given(
    text=st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= .\n\x00é",
        max_size=40,
    )
    | st.binary(max_size=30).map(aead.b64url)
)
def test_base64_decoding_accepts_exactly_the_canonical_encoding(text):
    """The decoder checks the alphabet, the length and the spare bits instead of encoding the
    bytes again (it runs once per encrypted value read): it must accept and refuse exactly
    what the round trip would."""
    expected = _reference_unb64url(text)

    if expected is None:
        with pytest.raises(crypto.DecryptionError):
            aead.unb64url(text)
    else:
        assert aead.unb64url(text) == expected


def test_forgetting_the_keys_drops_the_ciphers_built_from_them():
    crypto.decrypt(crypto.encrypt(b"x", **PLACE), **PLACE)
    assert aead._cipher.cache_info().currsize > 0

    keyring.forget_all()

    assert aead._cipher.cache_info().currsize == 0


@pytest.mark.req("CRY-02")
@pytest.mark.parametrize(
    "elsewhere",
    [
        {"row_id": OTHER_ROW},
        {"label": "desk.Case.referral"},
        {"label": "incidents.Incident.notes"},
        {"organisation_id": ORG_B},
        {"organisation_id": None},
    ],
    ids=["row", "field", "model", "organisation", "platform"],
)
def test_ciphertext_moved_elsewhere_fails(elsewhere):
    token = crypto.encrypt(b"perpetrator: Unit 7", **PLACE)

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, **{**PLACE, **elsewhere})


@pytest.mark.req("CRY-02")
def test_relabelled_version_fails():
    keyring.current_key(ORG_A)
    keyring.add_version(organisation_id=ORG_A)
    parsed = aead.parse_token(crypto.encrypt(b"route B", **PLACE))

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(aead.format_token(1, parsed.blob), **PLACE)


@pytest.mark.req("CRY-01")
def test_nonces_never_repeat_in_100000_encryptions():
    key = bytes(32)

    nonces = {aead.seal(key, b"", b"")[: aead.NONCE_BYTES] for _ in range(100_000)}

    assert len(nonces) == 100_000


@pytest.mark.req("CRY-01")
@FIXTURES_OK
@given(plaintext=st.binary(max_size=64))
def test_the_same_plaintext_never_encrypts_twice_alike(plaintext):
    first, second = (crypto.encrypt(plaintext, **PLACE) for _ in range(2))

    assert first != second
    assert crypto.decrypt(first, **PLACE) == crypto.decrypt(second, **PLACE) == plaintext


@pytest.mark.req("CRY-04")
def test_first_use_creates_one_wrapped_key_per_organisation():
    crypto.encrypt(b"a", **PLACE)
    crypto.encrypt(b"b", **PLACE)
    crypto.encrypt(b"c", **{**PLACE, "organisation_id": ORG_B})

    keys = list(DataKey.objects.values_list("organisation_id", "version"))
    assert sorted(keys, key=str) == sorted([(ORG_A, 1), (ORG_B, 1)], key=str)
    wrapped = DataKey.objects.get(organisation_id=ORG_A).wrapped
    assert len(aead.unb64url(wrapped)) == 12 + 32 + 16


@pytest.mark.req("CRY-04")
def test_a_data_key_wrapped_for_one_organisation_fails_under_another():
    dek = bytes(range(32))
    wrapped = keyring.wrap_dek(dek, organisation_id=ORG_A, version=1, kek=master_key())

    with pytest.raises(crypto.DecryptionError):
        keyring.unwrap_dek(wrapped, organisation_id=ORG_B, version=1, kek=master_key())
    assert keyring.unwrap_dek(wrapped, organisation_id=ORG_A, version=1, kek=master_key()) == dek


@pytest.mark.req("CRY-04")
def test_a_wrapped_key_copied_to_another_organisation_in_the_database_fails():
    crypto.encrypt(b"a", **PLACE)
    token_b = crypto.encrypt(b"b", **{**PLACE, "organisation_id": ORG_B})
    DataKey.objects.filter(organisation_id=ORG_B).update(
        wrapped=DataKey.objects.get(organisation_id=ORG_A).wrapped
    )
    keyring.forget_all()

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token_b, **{**PLACE, "organisation_id": ORG_B})


@pytest.mark.req("CRY-04")
def test_the_master_key_and_data_keys_never_reach_the_database_in_clear():
    crypto.encrypt(b"a", **PLACE)
    dek = keyring.key_for(ORG_A, 1)
    row = DataKey.objects.values_list("wrapped", "kek_id").get()
    text = " ".join(row)
    kek = master_key()

    forms = [base64.b64encode(k).decode() for k in (dek, kek)] + [k.hex() for k in (dek, kek)]
    assert [form for form in forms if form in text] == []
