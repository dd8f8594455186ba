from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from activity.history import history_for
from customers.models import CustomerProfile, User
from tests.factories import CustomerFactory, GroupFactory

HEADER = "email,first_name,last_name,phone,billing_line1,billing_city,groups"


def write_csv(tmp_path, *rows, bom=True, newline="\r\n"):
    text = newline.join([HEADER, *rows]) + newline
    path = tmp_path / "customers.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return str(path)


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_customers", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


@pytest.fixture
def band(db):
    return GroupFactory(name="Band")


@pytest.fixture
def school_file(tmp_path, band):
    return write_csv(
        tmp_path,
        "ana@example.com,Ana,Silva,555-0101,1 Oak St,Springfield,Band",
        "ben@example.com,Ben,Kim,,2 Elm St,Springfield,",
        "ANA@example.com,Ana,Silva,555-0101,1 Oak St,Springfield,Band",
        "not-an-address,Bad,Row,,,,",
        "cy@example.com,Cy,Lee,,,,Chess club",
    )


def test_good_rows_go_in_from_a_file_with_a_bom_and_windows_line_ends(school_file):
    run(school_file)

    ana = User.objects.get(email="ana@example.com")
    assert ana.profile.first_name == "Ana"
    assert list(ana.groups.values_list("name", flat=True)) == ["Band"]
    assert User.objects.filter(email="ben@example.com").exists()


def test_each_bad_row_is_reported_with_its_line_and_reason(school_file):
    _, err, error = run(school_file)

    assert err.splitlines() == [
        "line 4: ana@example.com already appears on line 2",
        "line 5: email 'not-an-address' is not a valid e-mail address",
        "line 6: group 'Chess club' does not exist",
    ]
    assert str(error) == "3 rows were refused; see above."


def test_the_summary_counts_every_outcome(school_file):
    out, _, _ = run(school_file)

    assert out.strip() == "5 rows: 2 created, 0 updated, 0 unchanged, 3 refused."


def test_a_second_run_changes_nothing(school_file):
    run(school_file)

    out, _, _ = run(school_file)

    assert "0 created, 0 updated, 2 unchanged" in out


def test_a_dry_run_writes_nothing(school_file):
    out, _, _ = run(school_file, "--dry-run")

    assert out.startswith("Dry run, nothing written: 5 rows: 2 created")
    assert not User.objects.filter(email="ana@example.com").exists()


def test_an_update_changes_the_profile_and_records_who_did_it(tmp_path, band):
    existing = CustomerFactory(user__email="ana@example.com", phone="555-0000")
    path = write_csv(
        tmp_path, "ana@example.com,Ana,Silva,555-0101,1 Oak St,Springfield,"
    )

    run(path)

    existing.refresh_from_db()
    entry = history_for(existing).get(action="customers.profile.changed")
    assert entry.actor_label == "command: import_customers"
    assert entry.changes["phone"] == ["555-0000", "555-0101"]


def test_imported_customers_have_no_usable_password(school_file):
    run(school_file)

    assert not User.objects.get(email="ben@example.com").has_usable_password()


def test_a_staff_account_is_never_changed_by_an_import(tmp_path, store_admin, band):
    path = write_csv(tmp_path, f"{store_admin.email},Mallory,,,,,Band")

    _, err, error = run(path)

    assert "is a staff account" in err
    assert CustomerProfile.objects.get(user=store_admin).first_name == "Office"


@pytest.mark.django_db
def test_a_missing_file_is_one_plain_line():
    _, _, error = run("/nonexistent/customers.csv")

    assert str(error) == "No such file: /nonexistent/customers.csv"


@pytest.mark.django_db
def test_a_file_without_an_email_column_is_refused(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("name,phone\nAna,555\n")

    _, _, error = run(str(path))

    assert str(error) == "The file has no 'email' column in its header line."


@pytest.mark.django_db
def test_a_file_in_another_encoding_names_the_option_to_use(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("email,first_name\nzoe@example.com,Zoë\n".encode("cp1252"))

    _, _, error = run(str(path))

    assert "--encoding" in str(error)
    _, _, error = run(str(path), "--encoding", "cp1252")
    assert error is None
    assert User.objects.get(email="zoe@example.com").profile.first_name == "Zoë"
