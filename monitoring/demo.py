"""Demo data for equality monitoring and outcomes over time, called by seed_demo:

    from monitoring import demo as monitoring_demo
    monitoring_demo.seed(programmes[0])

It gives most of the programme's mentees and mentors equality answers (some "prefer not to
say", some none), and adds 48 past mentees ("alumni", alumnusNN@example.org) whose
mentorships ended 7 to 16 months ago with feedback and answered outcome surveys, so that
both managers' pages show groups of 5 or more. Runs once per programme: a second call
changes nothing. Names are invented; the alumni cannot sign in (no usable password).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import User
from journey.models import Feedback
from journey.models.endings import MENTORSHIP_FUNCTIONS
from mentorship.models import (
    MenteeMembership,
    MenteeProfile,
    MentorMembership,
    Mentorship,
    Programme,
    Specialty,
)

from .models import PREFER_NOT_TO_SAY, EqualityAnswers, OutcomeSurvey
from .services import add_months

ALUMNI = 48
# (country, likely ethnicity codes) for the alumni and for answering by country.
ORIGINS = [
    ("IN", ["asian_indian"]),
    ("PK", ["asian_pakistani"]),
    ("NG", ["black_african"]),
    ("EG", ["other_arab"]),
    ("SD", ["other_arab", "black_african"]),
    ("BD", ["asian_bangladeshi"]),
    ("LK", ["asian_other"]),
    ("GB", ["white_british", "asian_indian", "mixed_white_asian"]),
    ("IE", ["white_irish"]),
    ("RO", ["white_other"]),
]
# Most UK IMGs qualified in India, Pakistan, Nigeria, Egypt or Sudan (indexes into ORIGINS).
ALUMNI_ORIGINS = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9]
FIRST = ["Aisha", "Rahul", "Chidi", "Yusuf", "Mariam", "Omar", "Priti", "Tunde", "Sana", "Nikhil"]
LAST = ["Adeyemi", "Iyer", "Hassan", "Chaudhry", "Okonkwo", "Mahmoud", "Perera", "Rahman"]


def seed(
    programme: Programme,
    *,
    today: datetime.date | None = None,
    unique_name: Callable[[str], str] = lambda name: name,
) -> None:
    """Equality answers and answered outcome surveys for `programme` (once). `unique_name`
    lets the demo keep every person's name different from everyone else's."""
    if OutcomeSurvey.objects.in_programme(programme).exists():
        return
    today = today or timezone.localdate()
    rng = random.Random(f"monitoring:{programme.slug}")
    _alumni(programme, rng, today, unique_name)
    _equality_answers(programme, rng)


def _alumni(
    programme: Programme,
    rng: random.Random,
    today: datetime.date,
    unique_name: Callable[[str], str],
) -> None:
    mentors = list(
        MentorMembership.objects.approved()
        .filter(programme=programme)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    if not mentors:
        return
    gp = Specialty.objects.filter(code="general-practice").first() or Specialty.objects.first()
    unusable = make_password(None)
    for i in range(1, ALUMNI + 1):
        email = f"alumnus{i:02d}.{programme.slug}@example.org"
        if User.objects.filter(email=email).exists():
            continue
        country, _ = ORIGINS[ALUMNI_ORIGINS[i % len(ALUMNI_ORIGINS)]]
        user = User.objects.create(
            email=email,
            full_name=unique_name(f"Dr {FIRST[i % len(FIRST)]} {LAST[(i * 3) % len(LAST)]}"),
            password=unusable,
        )
        MenteeProfile.objects.create(
            user=user, qualification_country=country, grade="trust_grade", target_specialty=gp
        )
        # Ended 7 to 16 months ago: the first 26 have had both surveys, the rest the first.
        months_ago = 13 + i % 3 if i <= 26 else 7 + i % 3
        ended_on = add_months(today, -months_ago) - datetime.timedelta(days=rng.randint(0, 20))
        started_on = ended_on - datetime.timedelta(weeks=16)
        accepted_at = timezone.make_aware(
            datetime.datetime.combine(
                started_on - datetime.timedelta(days=rng.randint(5, 60)), datetime.time(10)
            )
        )
        MenteeMembership.objects.create(
            programme=programme,
            user=user,
            status=MenteeMembership.Status.ACCEPTED,
            decided_at=accepted_at,
        )
        completed = rng.random() < 0.8
        mentorship = Mentorship.objects.create(
            programme=programme,
            mentor_id=mentors[i % len(mentors)],
            mentee=user,
            status=Mentorship.Status.COMPLETED if completed else Mentorship.Status.ENDED_EARLY,
            started_on=started_on,
            planned_end_on=started_on + datetime.timedelta(weeks=16),
            ended_on=ended_on,
            ended_because="" if completed else Mentorship.EndedBecause.CIRCUMSTANCES,
        )
        # As if approved on the day it started (created_at is when the match was made).
        Mentorship.objects.filter(pk=mentorship.pk).update(
            created_at=timezone.make_aware(datetime.datetime.combine(started_on, datetime.time(9)))
        )
        Feedback.objects.create(
            mentorship=mentorship,
            person=user,
            function_ratings={
                code: rng.choice([2, 3, 3, 4, 4]) for code, _ in MENTORSHIP_FUNCTIONS[:8]
            },
            would_recommend=Feedback.Recommend.YES,
        )
        for wave in OutcomeSurvey.Wave.values:
            due_on = add_months(ended_on, wave)
            if due_on > today:
                continue
            _survey(mentorship, user, wave, due_on, rng, today)


def _survey(mentorship, user, wave: int, due_on, rng: random.Random, today) -> None:
    survey = OutcomeSurvey(mentorship=mentorship, mentee=user, wave=wave, due_on=due_on)
    if rng.random() < 0.85:
        survey.status = OutcomeSurvey.Status.ANSWERED
        survey.answered_at = timezone.make_aware(
            datetime.datetime.combine(due_on + datetime.timedelta(days=3), datetime.time(9))
        )
        survey.still_in_nhs = rng.choice(["yes"] * 6 + ["no"] * 2 + [PREFER_NOT_TO_SAY])
        survey.training = rng.choice(["in_post"] * 3 + ["applying"] * 3 + ["neither"])
        survey.helped = rng.choice(["yes"] * 6 + ["partly"] * 3 + ["no"])
    elif due_on + datetime.timedelta(days=OutcomeSurvey.ANSWER_WITHIN_DAYS) <= today:
        survey.status = OutcomeSurvey.Status.CLOSED
        survey.closed_at = timezone.now()
    survey.save()


def _equality_answers(programme: Programme, rng: random.Random) -> None:
    """Most people answer; some prefer not to say; about one in seven skips the questions."""
    likely = dict(ORIGINS)
    mentees = MenteeMembership.objects.filter(programme=programme).values_list("user_id", flat=True)
    mentors = MentorMembership.objects.filter(programme=programme).values_list("user_id", flat=True)
    countries = dict(
        MenteeProfile.objects.filter(user_id__in=mentees).values_list(
            "user_id", "qualification_country"
        )
    )
    answered = set(EqualityAnswers.objects.values_list("user_id", flat=True))
    rows = []
    for user_id in sorted({*mentees, *mentors} - answered):
        if rng.random() < 0.14:
            continue
        options = likely.get(str(countries.get(user_id) or ""), ["white_british", "asian_indian"])
        rows.append(
            EqualityAnswers(
                user_id=user_id,
                sex=rng.choice(["female"] * 11 + ["male"] * 8 + [PREFER_NOT_TO_SAY]),
                ethnicity=PREFER_NOT_TO_SAY if rng.random() < 0.06 else rng.choice(options),
                disability=rng.choice(["no"] * 15 + ["yes"] + [PREFER_NOT_TO_SAY]),
            )
        )
    EqualityAnswers.objects.bulk_create(rows)
