"""Importing mentors or mentees from a spreadsheet: check it, then import exactly what was
checked.

`check_file` reads the upload, runs the Resource's dry run (nothing is saved) and keeps the
file's bytes in the cache for an hour, keyed by the programme, the manager and the file's
SHA-256. `import_checked_file` takes the file back by that key, and in one transaction runs
the same checks again and saves each row that changes something; if any row's outcome is not
what the manager was shown (someone joined in between), it rolls everything back and asks
them to check again. Nothing about a pending upload is kept in the database, so no model (and
no migration) is needed; a cache that lost it just means "upload it again".
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import may_manage_programme

from .. import emails, services
from ..models import (
    Action,
    MenteeMembership,
    MenteeProfile,
    MentorMembership,
    MentorProfile,
    Programme,
)
from ..services.errors import InvalidTransition, NotAllowed
from . import emails as import_emails
from . import reading
from .resources import (
    CREATE,
    ERROR,
    INVITE,
    RESOURCES,
    UNCHANGED,
    PeopleResource,
    Person,
    RowOutcome,
)
from .values import key

log = logging.getLogger(__name__)

PENDING_SECONDS = 60 * 60
KINDS = tuple(RESOURCES)  # "mentors", "mentees"

# Headers people write for our columns, beyond the columns' own names.
HEADER_WORDS = {
    "name": "Full name",
    "full name": "Full name",
    "email address": "Email",
    "e mail": "Email",
    "gmc": "GMC number",
    "gmc no": "GMC number",
    "gmc reference number": "GMC number",
    "capacity": "Mentees at once",
    "target specialty": "Specialty they want to work in",
    "country of qualification": "Country of primary medical qualification",
    "year arrived": "Year they started working in the UK",
}


class ImportExpired(InvalidTransition):
    """The checked file is no longer kept (an hour passed, or it was imported already)."""


class ImportChanged(InvalidTransition):
    """Someone changed the programme between the check and the import."""


@dataclass
class Check:
    """What a file would do (or did): one line per row, or why it cannot be read."""

    kind: str
    filename: str = ""
    digest: str = ""
    file_error: str = ""
    ignored_columns: list[str] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)

    @property
    def counts(self) -> Counter:
        return Counter(row.outcome for row in self.rows)

    @property
    def to_import(self) -> int:
        return self.counts[CREATE] + self.counts[INVITE]

    @property
    def errors(self) -> list[RowOutcome]:
        return [row for row in self.rows if row.outcome == ERROR]

    def fingerprint(self) -> list[tuple[int, str, str]]:
        return [(row.number, row.outcome, row.email) for row in self.rows]


# --- Checking ------------------------------------------------------------------------------


def check_file(programme: Programme, kind: str, *, by: User, name: str, content: bytes) -> Check:
    """A dry run: each row's outcome and every error, with nothing saved. A file that can be
    read is kept for import_checked_file."""
    _may_import(by, programme)
    check = Check(kind=kind, filename=name)
    try:
        dataset, check.ignored_columns = _dataset(kind, name, content)
    except reading.UnreadableFile as error:
        check.file_error = error.message
        return check
    resource = RESOURCES[kind](programme, by=by)
    result = resource.import_data(dataset, dry_run=True, use_transactions=False)
    check.rows = resource.outcomes(result)
    check.digest = hashlib.sha256(kind.encode() + b"\0" + content).hexdigest()
    cache.set(
        _pending_key(programme, by, check.digest),
        {"name": name, "content": content, "kind": kind, "fingerprint": check.fingerprint()},
        PENDING_SECONDS,
    )
    return check


def _dataset(kind: str, name: str, content: bytes):
    """The file as a Dataset with our column names; optional columns it lacks are empty."""
    dataset = reading.read(name, content)
    columns = RESOURCES[kind].column_names()
    wanted = {key(c): c for c in columns}
    wanted.update({key(w): c for w, c in HEADER_WORDS.items() if c in columns})
    headers, ignored, seen = [], [], set()
    for header in dataset.headers:
        column = wanted.get(key(header or ""))
        if column is None or column in seen:
            ignored.append(header or "(no name)")
            headers.append(f"ignored {len(ignored)}")
        else:
            headers.append(column)
            seen.add(column)
    missing = [c for c in RESOURCES[kind].required_columns() if c not in seen]
    if missing:
        names = ", ".join(f"'{c}'" for c in missing)
        raise reading.UnreadableFile(
            f"The file has no {names} column. Download the template and copy your rows into it."
        )
    dataset.headers = headers
    for column in columns:
        if column not in seen:
            dataset.append_col([None] * dataset.height, header=column)
    return dataset, ignored


# --- Importing -------------------------------------------------------------------------------


def import_checked_file(programme: Programme, kind: str, *, by: User, digest: str) -> Check:
    """Import the file the manager checked, exactly as the check showed it: the rows with
    errors are left out, the others are saved and invited, all in one transaction."""
    _may_import(by, programme)
    pending_key = _pending_key(programme, by, digest)
    pending = cache.get(pending_key)
    if pending is None or pending["kind"] != kind:
        raise ImportExpired(
            "We no longer have the file you checked (we keep it for an hour, and only until "
            "it is imported). Upload it again."
        )
    dataset, ignored = _dataset(kind, pending["name"], pending["content"])
    with transaction.atomic():
        # One import per programme at a time: a second manager's waits, then sees the first's
        # people as unchanged and is asked to check again.
        Programme.objects.select_for_update().get(pk=programme.pk)
        resource = RESOURCES[kind](programme, by=by, importer=_save_row)
        resource.filename = pending["name"]
        result = resource.import_data(dataset, dry_run=False, use_transactions=True)
        check = Check(kind=kind, filename=pending["name"], digest=digest, ignored_columns=ignored)
        check.rows = resource.outcomes(result)
        if result.has_errors():
            log.error("Import of %s into %s failed: %s", kind, programme.pk, result.error_rows)
            raise ImportChanged("Something went wrong while importing. Nothing was saved.")
        if check.fingerprint() != [tuple(row) for row in pending["fingerprint"]]:
            raise ImportChanged(
                "Something changed in the programme since you checked this file, so nothing "
                "was imported. Check the file again."
            )
    cache.delete(pending_key)
    return check


def _save_row(resource: PeopleResource, person: Person) -> None:
    """Save one checked row (called by the Resource inside the import's transaction)."""
    note = f"Added from a spreadsheet ({resource.filename}, row {person.row_number})."
    user = person.user if person.outcome == INVITE else _create_account(person)
    if resource.kind == "mentor":
        _add_mentor(resource.programme, user, person, by=resource.by, note=note)
    else:
        _add_mentee(resource.programme, user, person, by=resource.by, note=note)


def _create_account(person: Person) -> User:
    """An account with no password: the person chooses one from the invitation. The address
    is not yet verified; allauth asks them to confirm it when they first sign in."""
    user = User.objects.create_user(person.email, password=None, full_name=person.display_name)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    return user


def _add_mentor(programme: Programme, user: User, person: Person, *, by: User, note: str) -> None:
    new_account = person.outcome == CREATE
    if not person.has_profile:
        profile = MentorProfile(
            user=user,
            job_title=person.job_title,
            organisation=person.organisation,
            gmc_number=person.gmc_number,
            primary_specialty=person.specialty,
            region=person.region,
            capacity=person.capacity,
            is_img=person.is_img
            or bool(person.qualification_country and person.qualification_country != "GB"),
            qualification_country=person.qualification_country or "",
        )
        profile.save()
    if not new_account:
        # Someone with an account is invited as any manager would invite them.
        services.invite_mentor(programme, email=user.email, by=by)
        return
    membership = MentorMembership.objects.create(
        programme=programme, user=user, status=MentorMembership.Status.INVITED, decided_by=by
    )
    membership.log_action(Action.INVITED, by=by, note=note)
    import_emails.invited_with_new_account(membership)


def _add_mentee(programme: Programme, user: User, person: Person, *, by: User, note: str) -> None:
    if not person.has_profile:
        MenteeProfile.objects.create(
            user=user,
            gmc_number=person.gmc_number,
            grade=person.grade or "",
            current_specialty=person.current_specialty,
            target_specialty=person.target_specialty,
            region=person.region,
            qualification_country=person.qualification_country or "",
            year_arrived=person.year_arrived,
        )
    # The manager's list is the decision: imported mentees are accepted into the programme.
    membership = MenteeMembership.objects.create(
        programme=programme,
        user=user,
        status=MenteeMembership.Status.ACCEPTED,
        decided_by=by,
        decided_at=timezone.now(),
    )
    membership.log_action(Action.APPLICATION_ACCEPTED, by=by, note=note)
    if person.outcome == CREATE:
        import_emails.invited_with_new_account(membership)
    else:
        emails.application_decided(membership)


# --- Helpers --------------------------------------------------------------------------------


def _may_import(by: User, programme: Programme) -> None:
    if not may_manage_programme(by, programme):
        raise NotAllowed("Only this programme's managers can import people into it.")


def _pending_key(programme: Programme, by: User, digest: str) -> str:
    return f"import:{programme.pk}:{by.pk}:{digest}"


__all__ = ["KINDS", "UNCHANGED", "Check", "check_file", "import_checked_file"]
