"""Resource rules without the web layer: who may do what, versions, links, files kept only
when the transaction commits, and the demo data."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from plc.communities import services as communities
from plc.communities.models import CommunityStatus, MemberRole, Visibility
from plc.core.errors import ServiceError
from plc.extensions import db
from plc.resources import services
from plc.resources.models import Licence, Resource, ResourceVersion
from tests.resources.conftest import PDF, PNG, stored_files


@pytest.fixture
def place(create_user, create_community, add_member):
    owner = create_user()
    community = create_community(owner=owner, visibility=Visibility.REQUEST)
    member = create_user()
    add_member(community, member)
    return community, owner, member


def _access(community, user):
    return communities.access_for(community, user)


def _fields(title="Lesplan", **extra):
    return services.ResourceFields(title=title, **extra)


def test_add_file_stores_the_content_and_flushes_without_committing(place, upload_folder):
    community, _owner, member = place
    resource = services.add_file(
        _access(community, member), member, _fields(), io.BytesIO(PDF), "a.pdf"
    )
    assert resource.id is not None and resource.licence == Licence.CC_BY
    (version,) = db.session.scalars(sa.select(ResourceVersion)).all()
    assert version.number == 1 and version.uploaded_by_id == member.id
    assert (upload_folder / version.storage_key).read_bytes() == PDF
    db.session.commit()
    assert stored_files(upload_folder) == [upload_folder / version.storage_key]


def test_a_rolled_back_upload_leaves_no_file(place, upload_folder):
    community, _owner, member = place
    services.add_file(_access(community, member), member, _fields(), io.BytesIO(PDF), "a.pdf")
    assert len(stored_files(upload_folder)) == 1
    db.session.rollback()
    assert stored_files(upload_folder) == []
    assert db.session.scalar(sa.select(sa.func.count(Resource.id))) == 0


def test_a_refused_title_stores_nothing(place, upload_folder):
    community, _owner, member = place
    with pytest.raises(ServiceError) as caught:
        services.add_file(
            _access(community, member), member, _fields("   "), io.BytesIO(PDF), "a.pdf"
        )
    assert caught.value.field == "title"
    assert stored_files(upload_folder) == []


def test_unknown_themes_are_refused(place):
    community, _owner, member = place
    with pytest.raises(ServiceError) as caught:
        services.add_link(
            _access(community, member), member, _fields(theme_ids=[424242]), "https://nro.nl"
        )
    assert caught.value.field == "themes"


def test_only_members_of_an_open_community_add(place, create_user):
    community, _owner, member = place
    outsider = create_user()
    with pytest.raises(ServiceError):
        services.add_link(_access(community, outsider), outsider, _fields(), "https://nro.nl")
    communities.set_status(community, CommunityStatus.CLOSED)
    db.session.flush()
    with pytest.raises(ServiceError):
        services.add_link(_access(community, member), member, _fields(), "https://nro.nl")


def test_who_may_change_a_resource(place, create_user, add_member):
    community, owner, member = place
    resource = services.add_link(
        _access(community, member), member, _fields(), "https://www.onderwijsraad.nl"
    )
    db.session.commit()
    colleague = create_user()
    add_member(community, colleague)
    facilitator = create_user()
    add_member(community, facilitator, MemberRole.FACILITATOR)
    admin = create_user(is_admin=True)
    assert services.can_change(_access(community, member), resource)
    assert services.can_change(_access(community, facilitator), resource)
    assert services.can_change(_access(community, owner), resource)
    assert services.can_change(_access(community, admin), resource)
    assert not services.can_change(_access(community, colleague), resource)
    assert not services.can_change(_access(community, create_user()), resource)
    with pytest.raises(ServiceError):
        services.remove(_access(community, colleague), resource)
    # Someone who left the community no longer changes what they shared.
    communities.leave(_access(community, member).member)
    db.session.commit()
    assert not services.can_change(_access(community, member), resource)


def test_versions_are_numbered_and_kept(place, upload_folder):
    community, _owner, member = place
    access = _access(community, member)
    resource = services.add_file(access, member, _fields(), io.BytesIO(PDF), "a.pdf")
    services.add_version(access, resource, member, io.BytesIO(PDF + b"%2"), "a.pdf", "twee")
    services.add_version(access, resource, member, io.BytesIO(PDF + b"%3"), "b.pdf")
    db.session.commit()
    assert [v.number for v in resource.versions] == [3, 2, 1]
    assert resource.current_version.filename == "b.pdf"
    assert services.version_of(resource).number == 3
    assert services.version_of(resource, 2).note == "twee"
    assert services.version_of(resource, 9) is None
    assert len(stored_files(upload_folder)) == 3


def test_links_have_no_versions(place):
    community, _owner, member = place
    access = _access(community, member)
    resource = services.add_link(access, member, _fields(), "https://www.nro.nl")
    with pytest.raises(ServiceError, match="Only files"):
        services.add_version(access, resource, member, io.BytesIO(PDF), "a.pdf")


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://example.org", "mailto:a@example.org", "//example.org", ""],
)
def test_clean_url_refuses_other_schemes(url):
    with pytest.raises(ServiceError) as caught:
        services.clean_url(url)
    assert caught.value.field == "url"


def test_clean_url_keeps_a_good_address():
    assert services.clean_url("  https://www.nro.nl/a?b=c#d ") == "https://www.nro.nl/a?b=c#d"
    assert services.clean_url("http://example.org:8080/") == "http://example.org:8080/"


def test_record_download_counts_in_sql(place):
    community, _owner, member = place
    resource = services.add_file(
        _access(community, member), member, _fields(), io.BytesIO(PNG), "a.png"
    )
    db.session.commit()
    for _ in range(3):
        services.record_download(resource)
    db.session.commit()
    db.session.refresh(resource)
    assert resource.download_count == 3


def test_removed_resources_are_gone_from_every_list(place):
    community, _owner, member = place
    access = _access(community, member)
    kept = services.add_link(access, member, _fields("Blijft"), "https://www.nro.nl")
    gone = services.add_link(access, member, _fields("Weg"), "https://www.slo.nl")
    services.remove(access, gone)
    db.session.commit()
    assert services.newest(community) == [kept]
    listed = db.session.scalars(services.library_query(community, services.LibraryFilters())).all()
    assert listed == [kept]
    assert services.resource_in(community, gone.id) is None
    with pytest.raises(ServiceError):
        services.remove(access, gone)  # already removed


def test_demo_adds_resources_with_licences_and_versions(app, upload_folder, demo_data):
    from plc.resources.demo import RESOURCES

    summary = demo_data()
    assert "Resources: " in summary
    resources = db.session.scalars(sa.select(Resource)).all()
    assert len(resources) == len(RESOURCES)
    assert {r.licence for r in resources} == set(Licence)
    assert {r.url for r in resources if r.url} >= {
        "https://www.onderwijsraad.nl",
        "https://www.nro.nl",
    }
    versions = db.session.scalars(sa.select(ResourceVersion)).all()
    assert sum(1 for r in resources if len(r.versions) == 2) == 2
    assert {v.content_type for v in versions} == {"application/pdf", "text/csv"}
    for version in versions:
        assert (upload_folder / version.storage_key).stat().st_size == version.size
    assert all(r.download_count > 0 for r in resources)
