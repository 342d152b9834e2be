"""Pages of the defenders module: the record itself (`records`) and its parts: channels,
consents, close people, members and shares (`parts`)."""

from amparo.defenders.views.parts import (
    channel_add,
    channel_remove,
    close_person_add,
    close_person_remove,
    consent_add,
    consent_withdraw,
    member_add,
    member_new,
    member_remove,
    share_add,
    share_remove,
)
from amparo.defenders.views.records import (
    defender_create,
    defender_detail,
    defender_edit,
    defender_list,
    defender_readers,
    defender_status,
    my_record,
)

__all__ = [
    "channel_add",
    "channel_remove",
    "close_person_add",
    "close_person_remove",
    "consent_add",
    "consent_withdraw",
    "defender_create",
    "defender_detail",
    "defender_edit",
    "defender_list",
    "defender_readers",
    "defender_status",
    "member_add",
    "member_new",
    "member_remove",
    "my_record",
    "share_add",
    "share_remove",
]
