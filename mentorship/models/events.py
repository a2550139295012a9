"""The event log: every decision about a request, a membership or a mentorship, and every
change to a programme's own settings, with who, when, from which state to which (or which
values), and why. Actions are typed; no rule reads a label."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Action(models.TextChoices):
    # Mentor requests
    REQUESTED = "requested", "Requested"
    PROPOSED = "proposed", "Suggested by the programme team"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    ASKED = "asked", "Asked a question"
    ANSWERED = "answered", "Answered the question"
    WITHDRAWN = "withdrawn", "Withdrawn"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not approved"
    EXPIRED = "expired", "Expired"
    # Programme memberships
    APPLIED = "applied", "Applied to the programme"
    APPLICATION_ACCEPTED = "application_accepted", "Accepted into the programme"
    APPLICATION_DECLINED = "application_declined", "Not accepted into the programme"
    OFFERED_TO_MENTOR = "offered_to_mentor", "Offered to mentor"
    INVITED = "invited", "Invited to mentor"
    INVITATION_ACCEPTED = "invitation_accepted", "Accepted the invitation to mentor"
    VETTED = "vetted", "Approved as a mentor"
    NOT_VETTED = "not_vetted", "Not approved as a mentor"
    LEFT = "left", "Left the programme"
    # Mentorships
    STARTED = "started", "Mentorship started"
    COMPLETED = "completed", "Mentorship completed"
    ENDED_EARLY = "ended_early", "Mentorship ended early"
    NOT_A_GOOD_FIT = "not_a_good_fit", "Ended as not a good fit"
    # The mentorship journey (the journey app)
    AGREEMENT_PROPOSED = "agreement_proposed", "Agreement proposed"
    AGREEMENT_CONFIRMED = "agreement_confirmed", "Agreement confirmed"
    GOAL_UPDATED = "goal_updated", "Goal updated"
    MEETING_LOGGED = "meeting_logged", "Meeting logged"
    MEETING_CONFIRMED = "meeting_confirmed", "Meeting confirmed"
    NEXT_MEETING_SET = "next_meeting_set", "Next meeting set"
    NEXT_MEETING_CANCELLED = "next_meeting_cancelled", "Next meeting cancelled"
    ACTION_POINT_ADDED = "action_point_added", "Action point added"
    ACTION_POINT_DONE = "action_point_done", "Action point done"
    NUDGED_QUIET = "nudged_quiet", "Reminded to meet"
    CHECK_IN_ANSWERED = "check_in_answered", "Check-in answered"
    CHECK_IN_ALERT = "check_in_alert", "Check-in raised an alert"
    CHECK_IN_HANDLED = "check_in_handled", "Check-in alert dealt with"
    CONCERN_RAISED = "concern_raised", "Concern raised"
    CONCERN_ACKNOWLEDGED = "concern_acknowledged", "Concern acknowledged"
    CONCERN_CLOSED = "concern_closed", "Concern closed"
    EXTENSION_PROPOSED = "extension_proposed", "Extension proposed"
    EXTENDED = "extended", "Planned end extended"
    EXTENSION_DECLINED = "extension_declined", "Extension declined"
    PAUSED = "paused", "Paused"
    RESUMED = "resumed", "Resumed"
    COMPLETION_PROPOSED = "completion_proposed", "Completion proposed"
    COMPLETION_WITHDRAWN = "completion_withdrawn", "Completion proposal withdrawn"
    FEEDBACK_GIVEN = "feedback_given", "Feedback given"
    CERTIFICATE_ISSUED = "certificate_issued", "Certificate issued"
    # The programme itself (an event with no request, membership or mentorship)
    SETTINGS_CHANGED = "settings_changed", "Programme settings changed"


class EventQuerySet(models.QuerySet["Event"]):
    def in_programme(self, programme) -> EventQuerySet:
        return self.filter(programme=programme)

    def about_programme(self) -> EventQuerySet:
        """Events about the programme itself (its settings), not about one person's thing."""
        return self.filter(
            request__isnull=True,
            mentorship__isnull=True,
            mentee_membership__isnull=True,
            mentor_membership__isnull=True,
        )

    def shared(self) -> EventQuerySet:
        """What both people in a mentorship see; check-ins and concerns are left out."""
        return self.filter(programme_team_only=False)


class Event(models.Model):
    """One logged decision. At most one of request, mentorship, mentee_membership and
    mentor_membership says what it is about; with none, it is about the programme itself (a
    settings change). Programme says where."""

    programme = models.ForeignKey(
        "mentorship.Programme", on_delete=models.CASCADE, related_name="events"
    )
    request = models.ForeignKey(
        "mentorship.MentorRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    mentorship = models.ForeignKey(
        "mentorship.Mentorship",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    mentee_membership = models.ForeignKey(
        "mentorship.MenteeMembership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    mentor_membership = models.ForeignKey(
        "mentorship.MentorMembership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the system acted (for example, expiry).",
    )
    action = models.CharField(max_length=40, choices=Action.choices)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    note = models.TextField(blank=True)
    programme_team_only = models.BooleanField(
        default=False,
        help_text="Check-ins and concerns: the programme team sees these, the other person not.",
    )
    changes = models.JSONField(
        default=list,
        blank=True,
        help_text="For a settings change: each setting's name, old and new value, as shown.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["programme", "created_at"]),
            # The mentors' answers to requests, read alone by the dashboard and the mentor
            # list (each request's first answer; response rates): see models/progress.py.
            models.Index(
                fields=["request", "actor", "created_at"],
                condition=models.Q(
                    action__in=["accepted", "declined", "asked", "approved"],
                    request__isnull=False,
                ),
                name="mentorship_event_answers_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="event_is_about_at_most_one_thing",
                condition=(
                    models.Q(
                        request__isnull=False,
                        mentorship__isnull=True,
                        mentee_membership__isnull=True,
                        mentor_membership__isnull=True,
                    )
                    | models.Q(
                        request__isnull=True,
                        mentorship__isnull=False,
                        mentee_membership__isnull=True,
                        mentor_membership__isnull=True,
                    )
                    | models.Q(
                        request__isnull=True,
                        mentorship__isnull=True,
                        mentee_membership__isnull=False,
                        mentor_membership__isnull=True,
                    )
                    | models.Q(
                        request__isnull=True,
                        mentorship__isnull=True,
                        mentee_membership__isnull=True,
                        mentor_membership__isnull=False,
                    )
                    | models.Q(  # about the programme itself
                        request__isnull=True,
                        mentorship__isnull=True,
                        mentee_membership__isnull=True,
                        mentor_membership__isnull=True,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        if self.is_about_programme:
            said = self.summary or self.note
            return f"{self.get_action_display()}: {said}" if said else self.get_action_display()
        return f"{self.get_action_display()}: {self.from_status or '-'} -> {self.to_status or '-'}"

    @property
    def is_about_programme(self) -> bool:
        return not (
            self.request_id
            or self.mentorship_id
            or self.mentee_membership_id
            or self.mentor_membership_id
        )

    @property
    def summary(self) -> str:
        """The changes in one line: "Length of a mentorship: 16 weeks → 12 weeks; ..."."""
        return "; ".join(
            f"{change['label']}: {change['old']} → {change['new']}" for change in self.changes
        )

    @classmethod
    def log_programme_action(
        cls, programme, action: Action, *, by=None, note: str = "", changes=()
    ) -> Event:
        """Record one decision about the programme itself (only its team sees these)."""
        return cls.objects.create(
            programme=programme,
            actor=by,
            action=action,
            note=note,
            changes=list(changes),
            programme_team_only=True,
        )


class LoggedModel(models.Model):
    """A model whose decisions are logged as events: `thing.log_action(Action.X, by=...)`."""

    # The Event field that points at this model.
    event_field: str = ""

    class Meta:
        abstract = True

    def log_action(
        self,
        action: Action,
        *,
        by=None,
        note: str = "",
        from_status: str = "",
        programme_team_only: bool = False,
    ) -> Event:
        """Record one decision about this thing; call it after saving the new state.
        `programme_team_only` hides it from the other person's timeline (a check-in, a
        concern)."""
        return Event.objects.create(
            programme_id=self.programme_id,
            actor=by,
            action=action,
            from_status=from_status,
            to_status=getattr(self, "status", ""),
            note=note,
            programme_team_only=programme_team_only,
            **{self.event_field: self},
        )
