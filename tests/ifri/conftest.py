"""Fixtures of the tests that store files in S3-compatible object storage:
a local S3 server and both storages pointed at it."""

import boto3
import pytest
from botocore.config import Config

from ..helpers import PRIVATE_BUCKET, PUBLIC_BUCKET

CONNECTION = {
    "access_key": "test-access-key",
    "secret_key": "test-secret-key",
    "region_name": "us-east-1",
    "signature_version": "s3v4",
}


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server in a thread on 127.0.0.1, with both buckets."""
    moto_server = pytest.importorskip(
        "moto.server",
        reason="moto[server] is not installed (it is in the dev extra: make install)",
    )
    server = moto_server.ThreadedMotoServer(
        ip_address="127.0.0.1", port=0, verbose=False
    )
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = s3_client(endpoint)
    for bucket in (PUBLIC_BUCKET, PRIVATE_BUCKET):
        client.create_bucket(Bucket=bucket)
    yield endpoint
    server.stop()


def s3_client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=CONNECTION["access_key"],
        aws_secret_access_key=CONNECTION["secret_key"],
        region_name=CONNECTION["region_name"],
        config=Config(signature_version="s3v4"),
    )


@pytest.fixture
def s3(settings, s3_endpoint):
    """Both storages in object storage, as the STORAGES block of settings.py
    configures them from AWS_STORAGE_BUCKET_NAME and PRIVATE_STORAGE_BUCKET_NAME.
    """
    connection = {**CONNECTION, "endpoint_url": s3_endpoint}
    settings.PDF_SIGNED_URL_TTL = 60
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "ifri.storage.PublicS3Storage",
            # Readable by anyone, as AWS_DEFAULT_ACL=public-read makes it.
            "OPTIONS": {
                **connection,
                "bucket_name": PUBLIC_BUCKET,
                "default_acl": "public-read",
            },
        },
        "private": {
            "BACKEND": "ifri.storage.PrivateS3Storage",
            "OPTIONS": {
                **connection,
                "bucket_name": PRIVATE_BUCKET,
                "querystring_expire": 60,
            },
        },
    }
    client = s3_client(s3_endpoint)
    # The server lives for the session: each test starts with empty buckets.
    for bucket in (PUBLIC_BUCKET, PRIVATE_BUCKET):
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                client.delete_object(Bucket=bucket, Key=item["Key"])
    return client
