"""Believable demo data for `make run`: two programmes, about 40 mentors and 80 mentees.

Names and organisations are invented and every email uses example.org. A fixed random seed
makes every run the same, and running it again changes nothing: people are keyed by email.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from mentorship.models import (
    Goal,
    Grade,
    Language,
    MenteeGoal,
    MenteeMembership,
    MenteeProfile,
    MentorMembership,
    MentorProfile,
    Programme,
    Region,
    Specialty,
)

DEMO_PASSWORD = "demo-password-2026"

PROGRAMMES = [
    {
        "slug": "northfield-clinical-fellows",
        "name": "Clinical Fellows Mentoring Scheme",
        "organisation": "Northfield Teaching Hospitals NHS Foundation Trust",
        "description": "Mentoring for clinical fellows and trust-grade doctors new to the NHS. "
        "Mentors are consultants, GPs and service leaders across the trust and its primary "
        "care networks.",
        "meeting_cadence": "weekly",
    },
    {
        "slug": "pennine-img-network",
        "name": "Pennine IMG Support Network",
        "organisation": "Pennine Valleys Integrated Care Board",
        "description": "Peer and senior mentoring for international medical graduates in "
        "primary and community care across the Pennine Valleys.",
        "meeting_cadence": "fortnightly",
    },
]

# (country, weight, first names, family names, languages)
IMG_ORIGINS = [
    (
        "IN",
        34,
        ["Priya", "Arjun", "Ananya", "Rahul", "Sneha", "Vikram", "Divya", "Karthik"],
        ["Raghunathan", "Iyer", "Menon", "Reddy", "Nair", "Sharma", "Pillai", "Desai"],
        ["hindi", "tamil", "malayalam", "telugu"],
    ),
    (
        "PK",
        16,
        ["Ayesha", "Bilal", "Fatima", "Hamza", "Sana", "Usman", "Zainab", "Imran"],
        ["Qureshi", "Siddiqui", "Malik", "Chaudhry", "Raza", "Akhtar", "Butt", "Sheikh"],
        ["urdu", "punjabi", "pashto"],
    ),
    (
        "NG",
        16,
        ["Chinedu", "Amara", "Tunde", "Ngozi", "Emeka", "Funmilayo", "Ifeoma", "Segun"],
        ["Okafor", "Adeyemi", "Eze", "Nwosu", "Balogun", "Okonkwo", "Adebayo", "Obi"],
        ["yoruba", "igbo", "hausa"],
    ),
    (
        "EG",
        10,
        ["Ahmed", "Mariam", "Omar", "Nour", "Youssef", "Salma", "Karim", "Heba"],
        ["Hassan", "Mostafa", "Abdelrahman", "Farouk", "Saleh", "Gaber", "Shehata", "Naguib"],
        ["arabic"],
    ),
    (
        "SD",
        8,
        ["Mohamed", "Fatima", "Osman", "Amna", "Tariq", "Hiba", "Elfatih", "Rania"],
        ["Elhassan", "Abdalla", "Babiker", "Osman", "Mahgoub", "Elamin", "Ibrahim", "Yousif"],
        ["arabic"],
    ),
    (
        "LK",
        4,
        ["Nadeesha", "Kasun", "Dilani", "Ruwan"],
        ["Perera", "Fernando", "Jayasinghe", "Wickramasinghe"],
        ["sinhala", "tamil"],
    ),
    (
        "BD",
        4,
        ["Tahmina", "Rafiq", "Nusrat", "Arif"],
        ["Rahman", "Hossain", "Islam", "Ahmed"],
        ["bengali"],
    ),
    (
        "IQ",
        3,
        ["Zahraa", "Ali", "Noor", "Mustafa"],
        ["Al-Jabouri", "Kadhim", "Jawad", "Saeed"],
        ["arabic"],
    ),
    (
        "GH",
        3,
        ["Kwame", "Akosua", "Kofi", "Efua"],
        ["Mensah", "Asante", "Owusu", "Boateng"],
        ["english"],
    ),
    ("RO", 2, ["Andreea", "Mihai"], ["Popescu", "Ionescu"], ["romanian"]),
]
UK_FIRST = [
    "Helen",
    "James",
    "Sarah",
    "David",
    "Rachel",
    "Tom",
    "Claire",
    "Gareth",
    "Fiona",
    "Iain",
    "Lucy",
    "Owen",
    "Hannah",
    "Alistair",
    "Joanna",
    "Mark",
]
UK_LAST = [
    "Achterberg",
    "Whitfield",
    "Pryce",
    "Lockwood",
    "MacLeod",
    "Harrington",
    "Dawson",
    "Pemberton",
    "Thorne",
    "Gallagher",
    "Ashworth",
    "Kerr",
    "Llewellyn",
    "Fairbairn",
]

# Target specialties weighted like UK doctors in training: General Practice by far the largest.
TARGETS = [
    ("general-practice", 40),
    ("acute-internal-medicine", 6),
    ("psychiatry", 7),
    ("paediatrics", 6),
    ("emergency-medicine", 6),
    ("anaesthetics", 5),
    ("geriatric-medicine", 5),
    ("obstetrics-gynaecology", 4),
    ("general-surgery", 4),
    ("cardiology", 3),
    ("radiology", 3),
    ("trauma-orthopaedics", 2),
    ("oncology", 2),
    ("respiratory-medicine", 2),
    ("public-health", 1),
]
CURRENT = [
    "geriatric-medicine",
    "acute-internal-medicine",
    "emergency-medicine",
    "general-surgery",
    "paediatrics",
    "psychiatry",
    "respiratory-medicine",
    "obstetrics-gynaecology",
    "anaesthetics",
]
GOALS = [
    ("career-move", 9),
    ("training-applications", 9),
    ("postgraduate-exams", 8),
    ("adapting-uk-practice", 8),
    ("leadership", 6),
    ("understanding-nhs", 6),
    ("portfolio-pathway", 4),
    ("quality-improvement", 4),
    ("communication", 3),
    ("teaching", 2),
    ("research", 2),
    ("wellbeing", 3),
    ("leading-change", 2),
    ("stakeholder-management", 1),
]
MENTOR_ROLES = [
    ("Divisional Director for Primary Care", "general-practice"),
    ("GP Partner and Training Programme Director", "general-practice"),
    ("Clinical Director, Primary Care Network", "general-practice"),
    ("GP Trainer", "general-practice"),
    ("Consultant Geriatrician", "geriatric-medicine"),
    ("Consultant in Acute Medicine", "acute-internal-medicine"),
    ("Consultant Psychiatrist", "psychiatry"),
    ("Consultant Paediatrician", "paediatrics"),
    ("Consultant in Emergency Medicine", "emergency-medicine"),
    ("Consultant Anaesthetist", "anaesthetics"),
    ("Consultant Cardiologist", "cardiology"),
    ("Consultant Obstetrician and Gynaecologist", "obstetrics-gynaecology"),
    ("Consultant General Surgeon", "general-surgery"),
    ("Medical Director", "respiratory-medicine"),
    ("Director of Medical Education", "acute-internal-medicine"),
    ("Consultant Radiologist", "radiology"),
]
ORGANISATIONS = [
    "Northfield Teaching Hospitals NHS Foundation Trust",
    "Pennine Valleys Integrated Care Board",
    "Riverside Health Centre",
    "Calder Bridge Medical Practice",
    "Westmoor Community Health NHS Trust",
]
REGION_WEIGHTS = [
    ("north-east-yorkshire", 5),
    ("north-west", 4),
    ("midlands", 3),
    ("london", 3),
    ("east-of-england", 1),
    ("south-east", 1),
    ("scotland", 1),
    ("wales", 1),
]

FIXED = [
    ("mentee@example.org", "Dr Priya Raghunathan", "mentee"),
    ("mentor@example.org", "Dr Helen Achterberg", "mentor"),
    ("manager@example.org", "Samuel Okonkwo", "manager"),
    ("manager2@example.org", "Rebecca Lindqvist", "manager"),
    ("admin@example.org", "Site Administrator", "admin"),
]


def weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


class Command(BaseCommand):
    help = "Create demo programmes, mentors, mentees and managers (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        from django.test.utils import override_settings

        # The demo requests' emails are delivered after the commit; keep them off the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self._seed()
        self._report()

    @transaction.atomic
    def _seed(self) -> None:
        rng = random.Random(2026)
        self.password_hash = make_password(DEMO_PASSWORD)
        self.specialties = {s.code: s for s in Specialty.objects.all()}
        self.goals = {g.code: g for g in Goal.objects.all()}
        self.regions = {r.code: r for r in Region.objects.all()}
        self.languages = {lang.code: lang for lang in Language.objects.all()}

        programmes = [
            Programme.objects.update_or_create(
                slug=p["slug"], defaults={k: v for k, v in p.items() if k != "slug"}
            )[0]
            for p in PROGRAMMES
        ]
        manager, manager2 = (self._user(e, n) for e, n, r in FIXED if r == "manager")
        programmes[0].managers.add(manager)
        programmes[1].managers.add(manager2)
        self._user("admin@example.org", "Site Administrator", is_admin=True)

        mentor = self._user("mentor@example.org", "Dr Helen Achterberg")
        self._mentor(mentor, rng, role=MENTOR_ROLES[0], is_img=False)
        self._join_mentor(mentor, programmes[0], MentorMembership.Status.APPROVED)
        mentee = self._user("mentee@example.org", "Dr Priya Raghunathan")
        self._mentee(
            mentee,
            rng,
            origin=IMG_ORIGINS[0],
            target="general-practice",
            goals=["career-move", "leadership", "understanding-nhs"],
        )
        self._join_mentee(mentee, programmes[0], MenteeMembership.Status.ACCEPTED)

        for i in range(1, 40):
            is_img = rng.random() < 0.35
            origin = self._origin(rng)
            first, last = (
                (rng.choice(origin[2]), rng.choice(origin[3]))
                if is_img
                else (rng.choice(UK_FIRST), rng.choice(UK_LAST))
            )
            user = self._user(f"mentor{i:02d}@example.org", self._unique(f"Dr {first} {last}"))
            self._mentor(
                user, rng, role=MENTOR_ROLES[i % len(MENTOR_ROLES)], is_img=is_img, origin=origin
            )
            status = (
                MentorMembership.Status.APPLIED if i % 13 == 0 else MentorMembership.Status.APPROVED
            )
            self._join_mentor(user, programmes[i % 2], status)
            if i % 5 == 0:
                self._join_mentor(user, programmes[(i + 1) % 2], MentorMembership.Status.APPROVED)

        for i in range(1, 80):
            origin = self._origin(rng)
            name = f"Dr {rng.choice(origin[2])} {rng.choice(origin[3])}"
            user = self._user(f"mentee{i:02d}@example.org", self._unique(name, rng, origin))
            goal_count = rng.choice([1, 2, 3, 3, 4, 5])
            goals: list[str] = []
            while len(goals) < goal_count:
                code = weighted(rng, GOALS)
                if code not in goals:
                    goals.append(code)
            self._mentee(user, rng, origin=origin, target=weighted(rng, TARGETS), goals=goals)
            status = (
                MenteeMembership.Status.APPLIED if i % 6 == 0 else MenteeMembership.Status.ACCEPTED
            )
            self._join_mentee(user, programmes[i % 2], status)

        self._requests(programmes[0], mentor=mentor, mentee=mentee)

    def _report(self) -> None:
        programmes = Programme.objects.count()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000"))
        self.stdout.write(f"  Password for every demo account: {DEMO_PASSWORD}")
        for email, name, role in FIXED:
            self.stdout.write(f"  {role:<8} {email:<24} {name}")
        self.stdout.write(
            f"  Plus {MentorProfile.objects.count()} mentors and "
            f"{MenteeProfile.objects.count()} mentees in {programmes} programmes "
            "(mentorNN@ and menteeNN@example.org)."
        )
        self.stdout.write(
            "  Managers and the admin are asked to set up an authenticator app on first use."
        )

    def _requests(self, programme: Programme, *, mentor: User, mentee: User) -> None:
        """A few requests, made through the services (so each has its timeline), so that
        every role has something to do: the demo mentor has requests waiting, the demo
        mentee is eight weeks into a mentorship with the demo mentor (journey/demo.py puts
        mentorships at every stage), and the manager has a match to approve. Only the first
        run makes them; their emails go nowhere."""
        from journey import demo as journey_demo
        from mentorship import services
        from mentorship.models import MentorRequest
        from monitoring import demo as monitoring_demo

        if MentorRequest.objects.filter(programme=programme).exists():
            return
        accepted = list(
            MenteeMembership.objects.accepted()
            .filter(programme=programme)
            .exclude(user=mentee)
            .order_by("user__email")
            .values_list("user", flat=True)[:7]
        )
        others = list(
            MentorMembership.objects.approved()
            .filter(programme=programme)
            .exclude(user=mentor)
            .order_by("user__email")
            .values_list("user", flat=True)[:4]
        )
        applicants = list(
            MenteeMembership.objects.filter(
                programme=programme, status=MenteeMembership.Status.APPLIED
            ).order_by("user__email")[:1]
        )
        manager = programme.managers.order_by("pk").first()
        if len(accepted) < 7 or len(others) < 4 or manager is None:
            return
        asker_a, asker_b, asker_c, matched, completed, declined, quiet = (
            User.objects.get(pk=pk) for pk in accepted
        )
        other_mentor, second, third, fourth = (User.objects.get(pk=pk) for pk in others)
        services.request_mentor(
            asker_a,
            mentor,
            programme,
            message="Could you help me prepare for the MSRA and my GP application?",
        )
        waiting = services.request_mentor(
            asker_b, other_mentor, programme, message="I would value your advice."
        )
        services.accept_request(waiting, by=other_mentor)
        services.request_mentor(asker_c, other_mentor, programme)
        # A mentee in each state, so every page has something to show.
        live = services.accept_request(
            services.request_mentor(matched, second, programme), by=second
        )
        services.approve_request(live, by=manager)
        # The mentorship journey at every stage; the demo mentee is eight weeks into hers.
        journey_demo.seed(
            programme,
            manager=manager,
            mentor=mentor,
            pairs={
                "mid_way": (mentee, mentor),
                "quiet": (quiet, fourth),
                "completed": (completed, third),
            },
        )
        # Past cohorts: equality answers and answered outcome surveys for the reports.
        monitoring_demo.seed(programme, unique_name=self._unique)
        services.decline_request(
            services.request_mentor(declined, third, programme),
            by=third,
            reason=MentorRequest.DeclineReason.NO_TIME,
            note="My list is full until the spring. Dr Okafor in our trust may help.",
        )
        for membership in applicants:
            services.decide_mentee_application(
                membership,
                by=manager,
                accept=False,
                reason="This scheme is for doctors working in our trust. The regional IMG "
                "scheme is open to you: apply there.",
            )

    def _unique(self, name: str, rng: random.Random | None = None, origin=None) -> str:
        """No two demo people share a name: draw again, then add an initial."""
        taken = self.__dict__.setdefault("names", {"Dr Helen Achterberg", "Dr Priya Raghunathan"})
        for _ in range(20):
            if name not in taken:
                break
            if rng is not None and origin is not None:
                name = f"Dr {rng.choice(origin[2])} {rng.choice(origin[3])}"
            else:
                break
        initial = 0
        base = name
        while name in taken:
            initial += 1
            first, _, rest = base.partition(" ")[2].partition(" ")
            name = f"Dr {first} {chr(64 + initial)}. {rest}"
        taken.add(name)
        return name

    def _origin(self, rng: random.Random) -> tuple:
        return rng.choices(IMG_ORIGINS, weights=[o[1] for o in IMG_ORIGINS])[0]

    def _user(self, email: str, name: str, *, is_admin: bool = False) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            # One Argon2 hash for everyone: hashing is slow on purpose, and 120 of them add
            # up to half a minute of `make run`.
            user = User(email=email, full_name=name, password=self.password_hash)
        user.full_name = name
        user.is_staff = user.is_superuser = is_admin
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _mentor(
        self,
        user: User,
        rng: random.Random,
        *,
        role: tuple[str, str],
        is_img: bool,
        origin: tuple | None = None,
    ) -> None:
        title, primary = role
        profile, _ = MentorProfile.objects.update_or_create(
            user=user,
            defaults={
                "job_title": title,
                "organisation": rng.choice(ORGANISATIONS),
                "primary_specialty": self.specialties[primary],
                "region": self.regions[weighted(rng, REGION_WEIGHTS)],
                "capacity": rng.choice([1, 2, 2, 3]),
                "is_img": is_img,
                "qualification_country": origin[0] if is_img and origin else "",
                "bio": f"{title}. I have supervised many doctors new to the NHS and enjoy "
                "helping colleagues find their way into training and leadership roles.",
                "in_person": rng.random() < 0.6,
                "virtual": True,
                "shadowing": rng.random() < 0.4,
            },
        )
        goal_codes = rng.sample([g for g, _ in GOALS], k=rng.randint(4, 8))
        profile.goals.set([self.goals[c] for c in goal_codes])
        near = [c for c in CURRENT if c != primary]
        profile.other_specialties.set([self.specialties[rng.choice(near)]])
        langs = ["english"] + (rng.sample(origin[4], k=1) if is_img and origin else [])
        profile.languages.set([self.languages[c] for c in langs])

    def _mentee(
        self, user: User, rng: random.Random, *, origin: tuple, target: str, goals: list[str]
    ) -> None:
        profile, _ = MenteeProfile.objects.update_or_create(
            user=user,
            defaults={
                "qualification_country": origin[0],
                "grade": rng.choice(
                    [Grade.TRUST_GRADE] * 4 + [Grade.SPECIALTY_DOCTOR, Grade.CORE, Grade.FOUNDATION]
                ),
                "current_specialty": self.specialties[rng.choice(CURRENT)],
                "target_specialty": self.specialties[target],
                "region": self.regions[weighted(rng, REGION_WEIGHTS)],
                # In the past, whenever the demo is loaded.
                "year_arrived": rng.randint(2016, date.today().year - 1),
                "statement": "I would like guidance on how the NHS works and how to build "
                "a strong application for specialty training.",
                "in_person": rng.random() < 0.5,
                "virtual": True,
                "shadowing": rng.random() < 0.5,
            },
        )
        profile.mentee_goals.all().delete()
        MenteeGoal.objects.bulk_create(
            MenteeGoal(profile=profile, goal=self.goals[code], rank=rank)
            for rank, code in enumerate(goals, start=1)
        )
        profile.languages.set([self.languages["english"], self.languages[origin[4][0]]])

    def _join_mentor(self, user: User, programme: Programme, status: str) -> None:
        MentorMembership.objects.update_or_create(
            programme=programme, user=user, defaults={"status": status}
        )

    def _join_mentee(self, user: User, programme: Programme, status: str) -> None:
        MenteeMembership.objects.update_or_create(
            programme=programme, user=user, defaults={"status": status}
        )
