#!/usr/bin/env python3
"""Prove that the newest Barman Cloud backups in an S3 object store are usable.

Run by the backup-validation CronJob inside the Barman Cloud plugin's sidecar image,
which already ships python3, barman (barman.cloud) and boto3: nothing is installed at
run time. Only the standard library, barman and boto3 are used.

Checks, against the layout barman-cloud writes
(<destination>/<server>/base/<backup id>/backup.info and <destination>/<server>/wals/...):
  1. the newest base backup whose backup.info says status=DONE exists, is younger than
     MAX_BASE_BACKUP_AGE_SECONDS (by its end_time) and still has its data files;
  2. the WAL segments that backup needs to be consistent (begin_wal..end_wal) are archived;
  3. the newest archived WAL segment exists and is younger than MAX_WAL_AGE_SECONDS
     (by the object's LastModified).

Environment:
  BACKUP_DESTINATION_PATH       required, e.g. s3://bucket/path (the ObjectStore destinationPath)
  BACKUP_SERVER_NAME            required, barman server name (the CNPG cluster name by default)
  MAX_BASE_BACKUP_AGE_SECONDS   required, positive integer
  MAX_WAL_AGE_SECONDS           required, positive integer
  S3_ENDPOINT_URL               optional, e.g. https://minio.storage.svc:9000
  BACKUP_ENCRYPTION             optional, the server-side encryption the backups ask for (AES256,
                                aws:kms): named in the hint when nothing was ever archived
  AWS_CA_BUNDLE                 optional, CA bundle for a private endpoint (read by boto3)
  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (optionally AWS_SESSION_TOKEN, AWS_DEFAULT_REGION):
                                credentials, read by boto3's standard chain
  TMPDIR, HOME                  TMPDIR defaults to /tmp and HOME to TMPDIR; nothing is written
                                anywhere else, so a read-only root filesystem and any UID will do

Exit status: 0 all checks passed, 1 a check failed, 2 configuration or connection error.
"""
import datetime
import logging
import os
import sys

# Before boto3 is imported: an arbitrary UID may have no passwd entry and no home.
os.environ.setdefault("TMPDIR", "/tmp")
os.environ.setdefault("HOME", os.environ["TMPDIR"])
sys.dont_write_bytecode = True

OK, FAILED, CONFIG_ERROR = 0, 1, 2


def say(status, message):
    print("[%s] %s" % (status, message), flush=True)


def utc(moment):
    """barman writes offset-aware times; read a naive one as UTC rather than crash."""
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def age_text(seconds):
    return "%dh%02dm%02ds" % (seconds // 3600, seconds % 3600 // 60, seconds % 60)


def read_config():
    """Return the settings, or raise ValueError with every problem found."""
    env, problems = os.environ, []
    config = {}
    for name in ("BACKUP_DESTINATION_PATH", "BACKUP_SERVER_NAME"):
        config[name] = env.get(name, "").strip()
        if not config[name]:
            problems.append("%s is not set" % name)
    destination = config["BACKUP_DESTINATION_PATH"]
    if destination and not (destination.startswith("s3://") and len(destination) > 5):
        problems.append("BACKUP_DESTINATION_PATH must look like s3://bucket/path, got %r" % destination)
    for name in ("MAX_BASE_BACKUP_AGE_SECONDS", "MAX_WAL_AGE_SECONDS"):
        value = env.get(name, "").strip()
        if not value.isdigit() or int(value) <= 0:
            problems.append("%s must be a positive number of seconds, got %r" % (name, value))
        else:
            config[name] = int(value)
    config["S3_ENDPOINT_URL"] = env.get("S3_ENDPOINT_URL", "").strip() or None
    if problems:
        raise ValueError("; ".join(problems))
    return config


def check(config, cloud, catalog, s3_client):
    """Run the checks; return the list of failures (empty when everything is fine)."""
    from barman import xlog
    from barman.infofile import BackupInfo

    failures = []
    now = datetime.datetime.now(datetime.timezone.utc)
    where = "%s/%s" % (config["BACKUP_DESTINATION_PATH"].rstrip("/"), config["BACKUP_SERVER_NAME"])

    # 1. Newest completed base backup, from barman's own metadata (backup.info).
    backups = catalog.get_backup_list().values()
    for backup_id in catalog.unreadable_backups:
        say("WARN", "base backup %s has no readable backup.info" % backup_id)
    done = [b for b in backups if b.status == BackupInfo.DONE and b.end_time]
    not_done = sorted("%s (%s)" % (b.backup_id, b.status) for b in backups
                      if not (b.status == BackupInfo.DONE and b.end_time))
    if not_done:
        say("INFO", "base backups not completed: %s" % ", ".join(not_done))
    newest = max(done, key=lambda b: utc(b.end_time), default=None)
    if newest is None:
        failures.append("no completed base backup (status DONE) in %s/base" % where)
    else:
        age = (now - utc(newest.end_time)).total_seconds()
        summary = "newest completed base backup %s ended %s (%s ago; %d completed in total)" % (
            newest.backup_id, newest.end_time.isoformat(), age_text(age), len(done))
        if age > config["MAX_BASE_BACKUP_AGE_SECONDS"]:
            failures.append("%s: older than MAX_BASE_BACKUP_AGE_SECONDS=%d" % (
                summary, config["MAX_BASE_BACKUP_AGE_SECONDS"]))
        else:
            say("OK", summary)
        data_file = catalog.get_backup_files(newest, allow_missing=True)[None]
        if data_file.path is None and newest.snapshots_info is None:
            failures.append("base backup %s has no data file under %s/base/%s/" % (
                newest.backup_id, where, newest.backup_id))

    # 2 and 3. Archived WAL segments, as barman itself recognises them.
    wal_paths = catalog.get_wal_paths()
    segments = sorted(name for name in wal_paths if xlog.is_wal_file(name))
    if newest is not None and newest.begin_wal and newest.end_wal:
        needed = list(xlog.generate_segment_names(
            newest.begin_wal, newest.end_wal, newest.version, newest.xlog_segment_size))
        missing = [name for name in needed if name not in wal_paths]
        if missing:
            failures.append("base backup %s is not restorable: WAL segment(s) %s missing from %s/wals" % (
                newest.backup_id, ", ".join(missing), where))
        else:
            say("OK", "WAL segments %s..%s needed by base backup %s are archived" % (
                newest.begin_wal, newest.end_wal, newest.backup_id))
    if not segments:
        failures.append("no archived WAL segment in %s/wals" % where)
    else:
        key = wal_paths[segments[-1]]
        modified = s3_client.head_object(Bucket=cloud.bucket_name, Key=key)["LastModified"]
        age = (now - modified).total_seconds()
        summary = "newest archived WAL segment %s written %s (%s ago; %d segments archived)" % (
            segments[-1], modified.isoformat(), age_text(age), len(segments))
        if age > config["MAX_WAL_AGE_SECONDS"]:
            failures.append("%s: older than MAX_WAL_AGE_SECONDS=%d" % (summary, config["MAX_WAL_AGE_SECONDS"]))
        else:
            say("OK", summary)
    return failures


def main():
    logging.basicConfig(level=logging.WARNING, format="[barman] %(levelname)s %(message)s")
    try:
        config = read_config()
    except ValueError as exc:
        say("ERROR", "configuration: %s" % exc)
        return CONFIG_ERROR

    try:
        from botocore.exceptions import BotoCoreError, ClientError
        from barman.cloud import CloudBackupCatalog
        from barman.cloud_providers.aws_s3 import S3CloudInterface
    except ImportError as exc:
        say("ERROR", "%s cannot import barman/boto3 (%s): run this with the image's barman python" % (
            sys.executable, exc))
        return CONFIG_ERROR

    say("INFO", "checking %s/%s (endpoint %s)" % (
        config["BACKUP_DESTINATION_PATH"].rstrip("/"), config["BACKUP_SERVER_NAME"],
        config["S3_ENDPOINT_URL"] or "AWS default"))
    try:
        cloud = S3CloudInterface(
            url=config["BACKUP_DESTINATION_PATH"], endpoint_url=config["S3_ENDPOINT_URL"], jobs=1)
        if not cloud.test_connectivity():
            say("ERROR", "cannot connect to the object store")
            return CONFIG_ERROR
        if not cloud.bucket_exists:
            say("ERROR", "bucket %r does not exist" % cloud.bucket_name)
            return CONFIG_ERROR
        catalog = CloudBackupCatalog(cloud_interface=cloud, server_name=config["BACKUP_SERVER_NAME"])
        failures = check(config, cloud, catalog, cloud.s3.meta.client)
    except (BotoCoreError, ClientError, ValueError) as exc:
        say("ERROR", "object store: %s: %s" % (type(exc).__name__, exc))
        return CONFIG_ERROR

    for failure in failures:
        say("FAIL", failure)
    encryption = os.environ.get("BACKUP_ENCRYPTION", "").strip()
    if encryption and not catalog.get_backup_list() and not catalog.get_wal_paths():
        say("HINT", "nothing was ever archived under %s/%s: if the archiver's log shows refused uploads, "
            "the object store may not serve server-side encryption %s (SSE-S3 needs a KMS on MinIO and "
            "Ceph RGW); set encryption: ServerSideEncryption.BUCKET_DEFAULT in addBackup, or enable SSE "
            "on the store" % (config["BACKUP_DESTINATION_PATH"].rstrip("/"), config["BACKUP_SERVER_NAME"], encryption))
    if failures:
        say("FAIL", "backup validation failed: %d problem(s)" % len(failures))
        return FAILED
    say("OK", "backup validation passed")
    return OK


if __name__ == "__main__":
    sys.exit(main())
