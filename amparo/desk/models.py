"""Protection Desk cases (DOMAIN.md 2.6): a case per defender or collective the desk
accompanies, its timeline, accompaniment log and referrals, and the requests for support that
arrive through the public form.

Tier 2 (plaintext, for lists, filters, dashboards, reports): states, priority, urgency,
confidentiality, consent scopes, closure reason, kinds, categories, statuses, outcomes, dates
and foreign keys. Everything people wrote about a person is Tier 1: case summary, closure note,
accompaniment notes, referral target and details, and every field of a request for support.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.core.crypto.fields import EncryptedTextField
from amparo.defenders.enums import ConsentScope
from amparo.desk.enums import (
    ENDED,
    MECHANISM_LEVEL_ON_OUR_SCALE,
    SENT_OR_LATER,
    AccompanimentKind,
    CaseState,
    ClosureReason,
    Confidentiality,
    ContactKind,
    Currency,
    EventKind,
    FundRule,
    GrantCategory,
    MechanismRiskLevel,
    Priority,
    ReferralKind,
    ReferralOutcome,
    ReferralStatus,
    RequestStatus,
    RiskDivergence,
    Urgency,
    risk_divergence,
)
from amparo.risk.enums import RiskLevel


class RequestDesk(models.Model):
    """An organisation whose desk accepts requests through the public form (ADR 0028)."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="request_desk"
    )
    accepts_requests = models.BooleanField(_("accepts requests for support"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("desk accepting requests")
        verbose_name_plural = _("desks accepting requests")

    def __str__(self) -> str:
        return f"request desk {self.organisation_id}"


class SupportRequest(models.Model):
    """A request for support sent through the public form, by someone without an account.

    Only what the requester chose to give is stored, encrypted; no address, no browser
    details. The desk turns it into a case or declines it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="support_requests"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    contact_kind = models.CharField(
        _("how to contact you"), max_length=10, choices=ContactKind.choices, blank=True
    )
    received_at = models.DateTimeField(default=timezone.now, editable=False)

    # Tier 1
    request = EncryptedTextField(_("what is happening and what support you need"))
    name = EncryptedTextField(_("name or pseudonym"), blank=True)
    contact = EncryptedTextField(_("number, address or handle"), blank=True)
    place = EncryptedTextField(_("country or region"), blank=True)

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-received_at", "-id")
        verbose_name = _("request for support")
        verbose_name_plural = _("requests for support")
        indexes = [models.Index(fields=["organisation", "status", "-received_at"])]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("desk:request-detail", args=[self.pk])

    @property
    def code(self) -> str:
        return f"R-{self.pk.hex[:6].upper()}"


def case_code(case_id: uuid.UUID) -> str:
    """`Case.code` from the case's id alone (the API's list reads no case instance)."""
    return f"C-{case_id.hex[:6].upper()}"


class Case(models.Model):
    """The desk's accompaniment of one defender or collective, from intake to closure."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: Always the defender's keeping organisation: its desk works the case, its key encrypts it.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="desk_cases"
    )
    defender = models.ForeignKey(
        "defenders.Defender",
        on_delete=models.PROTECT,
        related_name="desk_cases",
        verbose_name=_("defender"),
    )
    request = models.OneToOneField(
        SupportRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case",
        verbose_name=_("request for support"),
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CaseOfficer",
        related_name="desk_cases",
        verbose_name=_("assigned officers"),
    )

    # Tier 2
    state = models.CharField(
        _("state"), max_length=12, choices=CaseState.choices, default=CaseState.RECEIVED
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    confidentiality = models.CharField(
        _("who at the desk sees it"),
        max_length=10,
        choices=Confidentiality.choices,
        default=Confidentiality.INTERNAL,
    )
    #: The defender's consent for this case: codes of defenders.enums.ConsentScope.
    consent_scopes = models.JSONField(_("consent"), default=list, blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    review_on = models.DateField(_("next review"), null=True, blank=True)

    # Tier 1
    summary = EncryptedTextField(_("summary"), blank=True)
    #: DESK-5: the final risk note written at closure.
    closure_note = EncryptedTextField(_("final risk note"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            # The case list's keyset order, per desk.
            models.Index(fields=["organisation", "-created_at", "-id"], name="desk_case_list"),
            # Covers the dashboard's open cases by priority, confidentiality included (the
            # access rule reads it): counted from the index, never from the rows.
            models.Index(
                fields=["organisation", "state", "priority", "confidentiality"],
                name="desk_case_state_priority",
            ),
            models.Index(fields=["defender", "state"], name="desk_case_defender"),
            # The API's list pages by id within the desk (api.paging.pk_page): without it
            # SQLite read the desk's cases by organisation and sorted them all by id for each
            # page (7 ms at 20,000 cases, 0.1 ms with it).
            models.Index(fields=["organisation", "id"], name="desk_case_api_list"),
            # The dashboard panel's candidates (desk.panels): a person's cases and those with
            # overdue follow-ups, found by id, are kept or dropped and ordered from this index
            # alone. Reading those columns from the rows cost a row seek per candidate.
            models.Index(
                fields=["id", "organisation", "state", "confidentiality", "created_at"],
                name="desk_case_panel",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("desk:case-detail", args=[self.pk])

    @property
    def code(self) -> str:
        """Tier-2 identifier for places where the summary may not appear."""
        return case_code(self.pk)

    @property
    def consent_labels(self) -> list[Any]:
        labels = dict(ConsentScope.choices)
        return [labels.get(scope, scope) for scope in self.consent_scopes]

    @property
    def is_open(self) -> bool:
        return self.state not in ENDED


class CaseOfficer(models.Model):
    """A desk officer assigned to a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_assignments"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="desk_officer_once"),
        ]
        indexes = [models.Index(fields=["user", "case"])]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.case_id}"


class CaseEvent(models.Model):
    """One line of the case's timeline. Every service call adds one; codes and ids only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what happened"), max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    #: For state changes and triage: the codes before and after (Tier 2).
    before = models.CharField(max_length=40, blank=True)
    after = models.CharField(max_length=40, blank=True)
    #: The accompaniment or referral the event is about.
    object_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ("-at", "-id")
        indexes = [models.Index(fields=["case", "-at"], name="desk_event_timeline")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.case_id}"


class Accompaniment(models.Model):
    """A meeting, training, coaching, psychosocial session or visit, with a follow-up due."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="accompaniments")
    kind = models.CharField(_("kind"), max_length=14, choices=AccompanimentKind.choices)
    held_on = models.DateField(_("date"))
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)
    notes = EncryptedTextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-held_on", "-created_at")
        verbose_name = _("accompaniment")
        verbose_name_plural = _("accompaniment")
        indexes = [
            # Overdue follow-ups, oldest first (the desk dashboard): only the open ones are
            # indexed, in the list's order, so the page stops after its rows instead of
            # sorting every open follow-up of the desk.
            models.Index(
                fields=["follow_up_due", "id"],
                condition=models.Q(follow_up_done=False),
                name="desk_follow_up_open",
            ),
            # Whether a case has an open follow-up past due (the dashboard panel asks it of
            # each of its candidates), answered from the index.
            models.Index(
                fields=["case", "follow_up_due"],
                condition=models.Q(follow_up_done=False),
                name="desk_follow_up_open_case",
            ),
        ]

    def __str__(self) -> str:
        return f"accompaniment {self.pk}"

    @property
    def is_overdue(self) -> bool:
        return (
            not self.follow_up_done
            and self.follow_up_due is not None
            and self.follow_up_due < timezone.localdate()
        )


#: The largest cap a fund may set: `max_amount` is a PositiveIntegerField, PostgreSQL's
#: integer. The page's form and the API's schema both refuse more.
MAX_FUND_AMOUNT = 2_147_483_647


class GrantFund(models.Model):
    """An emergency grant fund the desk refers defenders to, with the rules it sets (DESK-2):
    the grant categories it covers, its maximum amount, how many grants a defender may get
    from it in twelve months, and whether it needs a current risk analysis and the defender's
    consent to share with partner organisations. Kept per organisation by its desk lead; a
    fund referrals named is retired (`is_active`), never deleted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="grant_funds"
    )
    #: GrantCategory codes, checked by the form and the services.
    categories = models.JSONField(_("grant categories it covers"), default=list)
    #: The fund's published cap, in whole units of `currency`: a rule, not anyone's money.
    max_amount = models.PositiveIntegerField(_("maximum amount"), null=True, blank=True)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    max_grants_per_year = models.PositiveSmallIntegerField(
        _("grants per defender in twelve months"), null=True, blank=True
    )
    requires_current_analysis = models.BooleanField(
        _("needs a current risk analysis"), default=False
    )
    requires_partner_consent = models.BooleanField(
        _("needs the defender's consent to share with partner organisations"), default=True
    )
    is_active = models.BooleanField(_("offered for new referrals"), default=True)

    # Tier 1: which funders a desk works with says who it is.
    name = EncryptedTextField(_("name"))

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("emergency grant fund")
        verbose_name_plural = _("emergency grant funds")
        indexes = [models.Index(fields=["organisation", "is_active"], name="desk_fund_active")]

    def __str__(self) -> str:
        return f"fund {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("desk:fund-list")

    @property
    def category_labels(self) -> list[Any]:
        labels = dict(GrantCategory.choices)
        return [labels.get(code, code) for code in self.categories]


def _risk_label(level: str | None) -> str:
    """A level of Amparo's scale as the reader's language names it; "" for none."""
    return str(RiskLevel(level).label) if level else ""


class Referral(models.Model):
    """A referral to an emergency grant, a State protection mechanism, a lawyer or another
    organisation; for mechanisms, the milestones whose delays DESK-4 measures."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(_("referred to"), max_length=14, choices=ReferralKind.choices)
    grant_category = models.CharField(
        _("grant category"), max_length=16, choices=GrantCategory.choices, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReferralStatus.choices,
        default=ReferralStatus.PROPOSED,
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=ReferralOutcome.choices, blank=True
    )
    requested_on = models.DateField(_("requested on"), null=True, blank=True)
    risk_study_on = models.DateField(_("risk study on"), null=True, blank=True)
    measures_granted_on = models.DateField(_("measures granted on"), null=True, blank=True)
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    #: DESK-3: the level the mechanism's latest risk study gave, on its own scale, and the
    #: study's date. Written only by services.record_mechanism_study.
    mechanism_level = models.CharField(
        _("the mechanism's risk level"),
        max_length=14,
        choices=MechanismRiskLevel.choices,
        blank=True,
    )
    mechanism_studied_on = models.DateField(
        _("date of the mechanism's risk study"), null=True, blank=True
    )
    #: DESK-3, a snapshot taken when the study is recorded: Amparo's analysis in force at the
    #: study's date and its level, as read through the risk module. Never typed, never edited.
    amparo_analysis_at_study = models.ForeignKey(
        "risk.RiskAnalysis",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("our analysis at the study"),
    )
    amparo_level_at_study = models.CharField(
        _("our risk level at the study"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    #: DESK-2: the fund an emergency grant is asked from; its rules are checked before sending.
    fund = models.ForeignKey(
        GrantFund,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("fund"),
    )
    #: DESK-2: the fund's rules a desk lead sent it despite (FundRule codes), who and when;
    #: the written reason is Tier 1 below.
    overridden_rules = models.JSONField(default=list, blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)

    # Tier 1
    target = EncryptedTextField(
        _("to whom"), blank=True, help_text=_("The fund, mechanism, lawyer or organisation.")
    )
    details = EncryptedTextField(_("details"), blank=True)
    mechanism_measures = EncryptedTextField(
        _("measures the mechanism granted"), blank=True, null=True
    )
    #: In the fund's currency, as a decimal number ("2500.00"); see `amount`.
    amount_requested = EncryptedTextField(_("amount requested"), blank=True, null=True)
    override_reason = EncryptedTextField(
        _("why it was sent despite the fund's rules"), blank=True, null=True
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["kind", "status"], name="desk_referral_status")]

    def __str__(self) -> str:
        return f"referral {self.pk}"

    @property
    def delay_days(self) -> int | None:
        """Days from the request to implementation (DESK-4), once both are known."""
        if self.requested_on is None or self.implemented_on is None:
            return None
        return (self.implemented_on - self.requested_on).days

    @property
    def mechanism_level_on_our_scale(self) -> str:
        """The mechanism's level on Amparo's scale (enums.MECHANISM_LEVEL_ON_OUR_SCALE)."""
        return MECHANISM_LEVEL_ON_OUR_SCALE.get(self.mechanism_level, "")

    @property
    def compared_level(self) -> str:
        """Amparo's level the mechanism's is compared with: the current analysis, which
        queries.referrals_of and get_referral_for_user annotate (`current_amparo_level`), or,
        without one, the snapshot taken at the study."""
        return getattr(self, "current_amparo_level", None) or self.amparo_level_at_study

    @property
    def risk_divergence(self) -> str:
        """DESK-3: `lower` (the dangerous case), `higher`, or "" when they agree."""
        return risk_divergence(self.mechanism_level, self.compared_level)

    def get_risk_divergence_display(self) -> str:
        return str(RiskDivergence(self.risk_divergence).label) if self.risk_divergence else ""

    def get_compared_level_display(self) -> str:
        return _risk_label(self.compared_level)

    def get_current_amparo_level_display(self) -> str:
        return _risk_label(getattr(self, "current_amparo_level", None))

    @property
    def is_sent(self) -> bool:
        """Sent to its recipient, or further along."""
        return self.status in SENT_OR_LATER

    @property
    def amount(self) -> Decimal | None:
        """The amount requested, in the fund's currency; None when not given."""
        return Decimal(self.amount_requested) if self.amount_requested else None

    @property
    def overridden_rule_labels(self) -> list[Any]:
        labels = dict(FundRule.choices)
        return [labels.get(code, code) for code in self.overridden_rules]

    def get_mechanism_level_on_our_scale_display(self) -> str:
        return _risk_label(self.mechanism_level_on_our_scale)

    def milestones(self) -> list[tuple[Any, Any]]:
        return [
            (_("requested on"), self.requested_on),
            (_("risk study on"), self.risk_study_on),
            (_("measures granted on"), self.measures_granted_on),
            (_("implemented on"), self.implemented_on),
        ]
