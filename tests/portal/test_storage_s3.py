"""More than one web node: with S3_BUCKET set, uploads and exports go to S3-compatible object
storage every node shares. Tested against moto's S3 server on loopback (no cloud here): a
member's photo and an export file are stored in the bucket, not on this node's disk, and come
back only through the views that check who asks."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leden import photos
from leden.models import Lid
from portal import exportjobs
from portal.models import ExportJob, export_storage
from portal.queueing import enqueue
from portal.uploads import PrivateS3Storage, private_files
from tests import mailfixtures
from tests.leden.test_accounts_photo import jpeg_with_gps

boto3 = pytest.importorskip("boto3")
MOTO = Path(sys.executable).parent / "moto_server"
BUCKET = "regionet-test"
eager_celery = mailfixtures.eager_celery

pytestmark = pytest.mark.skipif(not MOTO.exists(), reason="moto[server] is not installed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = subprocess.Popen(
        [str(MOTO), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    options = {
        "bucket_name": BUCKET,
        "endpoint_url": s3_endpoint,
        "region_name": "us-east-1",
        "access_key": "testing",
        "secret_key": "testing",
        "default_acl": None,
        "file_overwrite": False,
        "location": "private",
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "portal.uploads.PrivateS3Storage", "OPTIONS": options},
    }
    # A model field took its storage when the models were loaded: give the photo field the
    # storage these settings make, as a node started with S3_BUCKET has.
    field = Lid._meta.get_field("foto")
    monkeypatch.setattr(field, "storage", private_files(url_name="leden:foto_bestand"))
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])


def _keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_member_photo_goes_to_the_bucket_and_comes_back_through_the_view(
    client, cast, bucket, settings
):
    lid = Lid.objects.get(user=cast["kern_twente"])  # loaded with the bucket's storage
    photos.lid_photo_set(lid=lid, upload=SimpleUploadedFile("x.jpg", jpeg_with_gps()))
    lid.refresh_from_db()
    assert isinstance(lid.foto.storage, PrivateS3Storage)
    assert _keys(bucket) == [f"private/{lid.foto.name}"]
    assert not Path(settings.PRIVATE_MEDIA_ROOT).exists() or not any(
        Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.jpg")
    )
    assert lid.foto.url == reverse("leden:foto_bestand", args=[lid.foto.name])
    client.force_login(cast["betrokken_twente"])
    response = client.get(reverse("leden:foto", args=[lid.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"  # a JPEG, from the bucket
    client.force_login(cast["lid_rotterdam"])
    assert client.get(reverse("leden:foto", args=[lid.pk])).status_code == 404


def test_export_job_writes_its_file_to_the_bucket(client, cast, bucket, monkeypatch, eager_celery):
    monkeypatch.setattr(exportjobs, "enqueue_on_commit", enqueue)
    client.force_login(cast["staff"])
    response = client.post(reverse("portal:members"), {"formaat": "xlsx"})
    job = ExportJob.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert job.status == ExportJob.Status.DONE
    assert isinstance(export_storage(), PrivateS3Storage)
    assert _keys(bucket) == [f"private/{job.file}"]
    download = client.get(reverse("portal:job_file", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"  # a zip: the workbook
    client.force_login(cast["coordinator_twente"])
    assert client.get(reverse("portal:job_file", args=[job.pk])).status_code == 404
