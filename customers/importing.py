"""Importing customers from a CSV file, row by row.

Every row is checked on its own: a bad row is reported with its line number
and reason, and the good rows still go in. Re-running the same file changes
nothing, so an interrupted import can simply be run again.
"""

import csv
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from activity.history import changed_fields, history_record
from customers.models import CustomerProfile, User, normalize_email

logger = logging.getLogger(__name__)

PROFILE_COLUMNS = (
    "first_name",
    "last_name",
    "phone",
    "billing_name",
    "billing_line1",
    "billing_line2",
    "billing_city",
    "billing_region",
    "billing_postal_code",
    "billing_country",
)
COLUMNS = ("email", *PROFILE_COLUMNS, "groups")
GROUP_SEPARATOR = ";"


class RowError(Exception):
    """Why one row cannot be imported; the message names the column."""


@dataclass
class CustomerRow:
    line: int
    email: str
    profile: dict[str, str]
    groups: list[str]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.refused)


def read_rows(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """The file's rows as dicts, each with the line number it starts on."""
    reader = csv.DictReader(lines)
    missing = [
        column for column in ("email",) if column not in (reader.fieldnames or [])
    ]
    if missing:
        raise RowError("The file has no 'email' column in its header line.")
    line = reader.line_num + 1
    for row in reader:
        yield line, row
        line = reader.line_num + 1


def parse_row(line: int, row: dict[str, str], known_groups: set[str]) -> CustomerRow:
    email = normalize_email(row.get("email") or "")
    try:
        validate_email(email)
    except ValidationError:
        raise RowError(f"email {email!r} is not a valid e-mail address") from None

    profile = {}
    for column in PROFILE_COLUMNS:
        value = (row.get(column) or "").strip()
        limit = CustomerProfile._meta.get_field(column).max_length
        if len(value) > limit:
            raise RowError(f"{column} is longer than {limit} characters")
        profile[column] = value
    country = profile["billing_country"]
    if country and not (len(country) == 2 and country.isalpha()):
        raise RowError(f"billing_country {country!r} is not a two-letter country code")
    profile["billing_country"] = country.upper()

    groups = [
        name.strip()
        for name in (row.get("groups") or "").split(GROUP_SEPARATOR)
        if name.strip()
    ]
    unknown = [name for name in groups if name not in known_groups]
    if unknown:
        raise RowError(f"group {unknown[0]!r} does not exist")
    return CustomerRow(line=line, email=email, profile=profile, groups=groups)


def customer_import_row(row: CustomerRow, *, actor: str) -> str:
    """Create or update one customer; returns "created", "updated" or "unchanged"."""
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email=row.email).first()
        if user is None:
            return create_customer(row, actor=actor)
        if user.is_staff:
            raise RowError(f"{row.email} is a staff account; staff are not imported")
        return update_customer(user, row, actor=actor)


def create_customer(row: CustomerRow, *, actor: str) -> str:
    user = User.objects.create_user(row.email, None)
    EmailAddress.objects.create(user=user, email=row.email, primary=True)
    profile = CustomerProfile.objects.create(user=user, **row.profile)
    user.groups.set(Group.objects.filter(name__in=row.groups))
    history_record(
        profile,
        "customers.profile.imported",
        actor=actor,
        changes={**{key: [None, value] for key, value in row.profile.items() if value}},
    )
    return "created"


def update_customer(user: User, row: CustomerRow, *, actor: str) -> str:
    profile, _ = CustomerProfile.objects.get_or_create(user=user)
    before = {column: getattr(profile, column) for column in PROFILE_COLUMNS}
    changes = changed_fields(before, row.profile)
    groups_before = sorted(user.groups.values_list("name", flat=True))
    groups_after = sorted(set(groups_before) | set(row.groups))
    if not changes and groups_before == groups_after:
        return "unchanged"

    if changes:
        for column, (_, value) in changes.items():
            setattr(profile, column, value)
        profile.version += 1
        profile.save()
        history_record(
            profile, "customers.profile.changed", actor=actor, changes=changes
        )
    if groups_before != groups_after:
        # An import only adds groups: membership given in the back office or
        # by buying a membership is never taken away by a spreadsheet.
        user.groups.add(*Group.objects.filter(name__in=row.groups))
        history_record(
            profile,
            "customers.groups.changed",
            actor=actor,
            changes={"groups": [groups_before, groups_after]},
        )
    return "updated"


def customers_import(
    lines: Iterable[str], *, actor: str, dry_run: bool = False, progress=None
) -> ImportReport:
    """Import every row of a customers CSV; see the module docstring."""
    report = ImportReport()
    known_groups = set(Group.objects.values_list("name", flat=True))
    seen: dict[str, int] = {}

    with transaction.atomic():
        for line, raw in read_rows(lines):
            try:
                row = parse_row(line, raw, known_groups)
                if row.email in seen:
                    raise RowError(
                        f"{row.email} already appears on line {seen[row.email]}"
                    )
                seen[row.email] = line
                outcome = customer_import_row(row, actor=actor)
            except RowError as error:
                report.refused.append((line, str(error)))
            else:
                setattr(report, outcome, getattr(report, outcome) + 1)
            if progress is not None:
                progress.update(1)
        if dry_run:
            transaction.set_rollback(True)
    return report
