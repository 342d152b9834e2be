"""The plan elements menu (DOMAIN.md 2.5, S21, S22), offered as a guide on the plan page.

A plan is not a form to fill completely: each element is a suggestion the team may add to the
plan with one click, as a measure (policies, roles, training) or as a protocol (field trips,
emergencies), and then adapt. Keys are stable codes stored on what was added (`guide_key`),
so the guide can show what the plan already covers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amparo.plans.enums import MeasureKind, ProtocolKind, Situation, Strategy


@dataclass(frozen=True)
class Element:
    key: str
    label: str | Promise
    #: The sentence the new measure or protocol starts with; the team rewrites it.
    suggestion: str | Promise
    measure_kind: MeasureKind | None = None
    strategies: tuple[Strategy, ...] = ()
    protocol_kind: ProtocolKind | None = None
    situation: Situation | None = None

    @property
    def makes_protocol(self) -> bool:
        return self.protocol_kind is not None


@dataclass(frozen=True)
class Group:
    key: str
    label: str | Promise
    elements: tuple[Element, ...] = field(default_factory=tuple)


A, D, P = Strategy.ACCEPTANCE, Strategy.DETERRENCE, Strategy.PROTECTION
K = MeasureKind


def _measure(
    key: str,
    label: str | Promise,
    suggestion: str | Promise,
    kind: MeasureKind,
    *strategies: Strategy,
) -> Element:
    return Element(key, label, suggestion, measure_kind=kind, strategies=strategies)


def _protocol(
    key: str,
    label: str | Promise,
    suggestion: str | Promise,
    kind: ProtocolKind,
    situation: Situation,
) -> Element:
    return Element(key, label, suggestion, protocol_kind=kind, situation=situation)


PRE, EMG = ProtocolKind.PREVENTIVE, ProtocolKind.EMERGENCY

GROUPS: tuple[Group, ...] = (
    Group(
        "organisation",
        _("The organisation and its people"),
        (
            _measure(
                "mandate",
                _("Mandate"),
                _("Write down the mandate: what the work is, and what it is not."),
                K.POLICY,
                A,
            ),
            _measure(
                "policy_statement",
                _("Policy statement"),
                _("Agree a short statement on why security matters and who is responsible."),
                K.POLICY,
                A,
            ),
            _measure(
                "training_handover",
                _("Training and handover"),
                _("Train everyone in the plan, and brief new people before they start."),
                K.TRAINING,
                P,
            ),
            _measure(
                "roles",
                _("Roles"),
                _("Name who is responsible for security, and who replaces them."),
                K.POLICY,
                P,
            ),
            _measure(
                "crisis_committee",
                _("Crisis committee (media, relatives)"),
                _("Set up a crisis committee that speaks to the media and supports relatives."),
                K.POLICY,
                P,
            ),
            _measure(
                "individual_duties",
                _("Individual duties (incident reporting, sanctions)"),
                _("Everyone reports security incidents; agree what happens when rules are broken."),
                K.ROUTINE,
                P,
            ),
        ),
    ),
    Group(
        "policies",
        _("Policies"),
        (
            _measure(
                "rest_stress",
                _("Rest and stress"),
                _("Agree on rest, time off and support when stress builds up."),
                K.PSYCHOSOCIAL,
                P,
            ),
            _measure(
                "serious_incidents",
                _("Serious incidents"),
                _("Agree how serious incidents are reported, analysed and answered."),
                K.POLICY,
                P,
            ),
            _measure(
                "witnesses",
                _("Witnesses"),
                _("Agree how witnesses and their information are protected."),
                K.POLICY,
                P,
            ),
            _measure(
                "health",
                _("Health"),
                _("Agree on health care, insurance and first aid."),
                K.PSYCHOSOCIAL,
                P,
            ),
            _measure(
                "authorities_armed_groups",
                _("Relations with authorities and armed groups"),
                _("Agree who meets authorities and armed groups, how, and what is said."),
                K.NETWORKING,
                A,
                D,
            ),
            _measure(
                "information",
                _("Information"),
                _("Agree what information is kept, where, who sees it and how it travels."),
                K.DIGITAL,
                P,
            ),
            _measure(
                "image",
                _("Public image"),
                _("Agree how the work is presented in public and who speaks for it."),
                K.POLICY,
                A,
            ),
            _measure(
                "office_home",
                _("Office and home security"),
                _("Check the office and homes: access, keys, visitors, lights and escape routes."),
                K.ROUTINE,
                P,
            ),
        ),
    ),
    Group(
        "preventive",
        _("Preventive protocols"),
        (
            _protocol(
                "field_trips",
                _("Field trips"),
                _("Field trip"),
                PRE,
                Situation.TRAVEL,
            ),
            _protocol("cash", _("Cash"), _("Handling cash"), PRE, Situation.OTHER),
            _protocol(
                "communications",
                _("Communications"),
                _("Communications"),
                PRE,
                Situation.OTHER,
            ),
            _protocol("vehicles", _("Vehicles"), _("Vehicles"), PRE, Situation.OTHER),
            _protocol("landmines", _("Landmines"), _("Landmines"), PRE, Situation.OTHER),
            _protocol("crime", _("Crime"), _("Common crime"), PRE, Situation.OTHER),
            _protocol(
                "press_conference",
                _("Press conference"),
                _("Press conference"),
                PRE,
                Situation.PRESS_CONFERENCE,
            ),
            _protocol(
                "remote_visit",
                _("Remote visit"),
                _("Visit to a remote area"),
                PRE,
                Situation.REMOTE_VISIT,
            ),
        ),
    ),
    Group(
        "emergency",
        _("Emergency protocols"),
        (
            _protocol(
                "detention", _("Detention"), _("If someone is detained"), EMG, Situation.DETENTION
            ),
            _protocol(
                "disappearance",
                _("Disappearance"),
                _("If someone disappears"),
                EMG,
                Situation.DISAPPEARANCE,
            ),
            _protocol(
                "kidnapping",
                _("Kidnapping"),
                _("If someone is kidnapped"),
                EMG,
                Situation.KIDNAPPING,
            ),
            _protocol(
                "sexual_assault",
                _("Sexual assault"),
                _("If someone is sexually assaulted"),
                EMG,
                Situation.SEXUAL_ASSAULT,
            ),
            _protocol("evacuation", _("Evacuation"), _("Evacuation"), EMG, Situation.EVACUATION),
            _protocol(
                "raid", _("Raid"), _("If the office or a home is raided"), EMG, Situation.RAID
            ),
            _protocol(
                "digital_compromise",
                _("Digital compromise"),
                _("If a phone, computer or account is compromised"),
                EMG,
                Situation.DIGITAL_COMPROMISE,
            ),
        ),
    ),
)

ELEMENTS: dict[str, Element] = {
    element.key: element for group in GROUPS for element in group.elements
}


def checklist(used_keys: set[str]) -> list[dict[str, object]]:
    """The guide for one plan: each group with its elements and whether the plan has them."""
    return [
        {
            "group": group,
            "items": [
                {"element": element, "added": element.key in used_keys}
                for element in group.elements
            ],
        }
        for group in GROUPS
    ]
