"""A photo whose file cannot be written (a full disk) or whose row cannot: nothing is left behind."""

import errno

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from progress import services
from progress.models import Photo
from progress.tests.test_views import jpeg

pytestmark = pytest.mark.django_db

DISK_FULL_MESSAGE = "พื้นที่เก็บไฟล์"  # "…the server's file space may be full…"


def files_under(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def fail_on_write(monkeypatch, nth):
    """The nth file written from now on fails the way a full disk does."""
    writes = {"count": 0}
    real = FileSystemStorage._save

    def save(storage, name, content):
        writes["count"] += 1
        if writes["count"] == nth:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(storage, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", save)


@pytest.mark.parametrize("failing_write", [1, 2], ids=["the photo", "its thumbnail"])
def test_a_full_disk_saves_nothing_and_says_so_in_thai(
    client, people, assignment, settings, tmp_path, monkeypatch, failing_write
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(people["province_user"])
    fail_on_write(monkeypatch, failing_write)
    upload = SimpleUploadedFile("site.jpg", jpeg(), content_type="image/jpeg")
    response = client.post(
        reverse("progress:photo_new", args=[assignment.pk]), {"image": upload, "caption": "สำรวจแปลง"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert DISK_FULL_MESSAGE in page
    assert 'value="สำรวจแปลง"' in page  # what was typed is kept
    assert not Photo.objects.exists()
    assert files_under(tmp_path) == []  # the photo written before the thumbnail failed is gone


def test_a_row_that_cannot_be_written_takes_its_files_away(
    people, assignment, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path

    def refuse(*args, **kwargs):
        raise IntegrityError("simulated: the row cannot be written")

    monkeypatch.setattr(Photo, "save", refuse)
    with pytest.raises(IntegrityError):
        services.photo_add(
            by=people["province_user"], activity_unit=assignment,
            upload=SimpleUploadedFile("site.jpg", jpeg()), caption="สำรวจแปลง",
        )  # fmt: skip
    assert files_under(tmp_path) == []
